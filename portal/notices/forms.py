"""Forms of public notices: the public objection and tracking forms, officials' decisions."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal import documents, notices
from portal.captcha import CaptchaFormMixin
from portal.forms import FilterForm, Form


class ObjectionForm(CaptchaFormMixin, Form):
    captcha_purpose = "objection"

    name = forms.CharField(
        label=_("Your name (or your organisation's)"),
        max_length=notices.MAX_NAME,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    contact = forms.CharField(
        label=_("Phone or e-mail"),
        max_length=notices.MAX_CONTACT,
        help_text=_("The authority may contact you about your objection."),
        widget=forms.TextInput(attrs={"autocomplete": "tel"}),
    )
    content = forms.CharField(
        label=_("Your objection and its grounds"),
        max_length=notices.MAX_CONTENT,
        help_text=_(
            "The agency concerned will read this text, without your name and contact. "
            "Do not write personal details in it."
        ),
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    evidence = forms.FileField(
        label=_("Evidence (optional)"),
        required=False,
        help_text=_("One PDF, image, Word or Excel file. Only the authority can open it."),
    )

    def clean_contact(self) -> str:
        return notices.validate_contact(self.cleaned_data["contact"])

    def clean_evidence(self):
        upload = self.cleaned_data.get("evidence")
        if upload:
            documents.validate_upload(upload)
        return upload or None


class TrackForm(Form):
    code = forms.CharField(
        label=_("Tracking code"),
        max_length=40,
        help_text=_("The 16-character code you were given when you filed your objection."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_code(self) -> str:
        code = notices.normalise_tracking_code(self.cleaned_data["code"])
        if not notices.is_tracking_code(code):
            raise ValidationError(
                _("A tracking code has 16 letters and digits, for example ABCD-EFGH-JKMN-PQRS."),
                code="format",
            )
        return code


class DecisionForm(Form):
    """One per pending objection (prefixed with its number); ``decision`` comes from the
    button pressed, so the template renders it as two submit buttons."""

    DISMISS = "dismiss"
    UPHOLD = "uphold"

    decision = forms.ChoiceField(
        choices=[(DISMISS, _("Dismiss")), (UPHOLD, _("Uphold"))], widget=forms.HiddenInput
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=notices.MAX_REASON,
        help_text=_(
            "The objector (with the tracking code) and the agency concerned read this reason. "
            "Do not name the objector."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class NoticeQueueForm(FilterForm):
    """The officials' notices: they open on those with objections to decide (ADR 0027)."""

    show = forms.ChoiceField(
        label=_("Show"),
        required=False,
        initial="pending",
        choices=[
            ("pending", _("With pending objections")),
            ("open", _("Open for objections")),
            ("closed", _("Closed")),
        ],
    )


class PublicNoticeFilterForm(FilterForm):
    """The public list's filters: open or ended, kind, province (or national) and agency."""

    show = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[("", _("Open for objections")), ("closed", _("Ended"))],
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    province = forms.ChoiceField(label=_("Province"), required=False)
    agency = forms.CharField(
        label=_("Agency (name or credit code)"),
        required=False,
        max_length=60,
        widget=forms.TextInput(attrs={"type": "search"}),
    )

    def __init__(self, *args, **kwargs) -> None:
        from portal.models import Province
        from portal.roles import NATIONAL

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All kinds"))] + sorted(
            ((k, str(v.label)) for k, v in notices.registered_kinds().items()),
            key=lambda c: c[1],
        )
        self.fields["province"].choices = [
            ("", _("All provinces")),
            (NATIONAL, _("Nationwide")),
        ] + [(p.code, p.name) for p in Province.objects.all()]

    @property
    def filtered(self) -> bool:
        data = self.cleaned_data if self.is_valid() else {}
        return any(data.get(k) for k in ("kind", "province", "agency"))
