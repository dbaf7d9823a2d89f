"""The public certificate lookup's form (Art 22; decision 0047): the name with either the ID
number (and its type) or the certificate number, behind the proof-of-work check.

Field checks say what is wrong with what was typed (a resident ID's check character, a
number's shape) and nothing about what the portal holds: those messages depend only on the
input, so they are no oracle. The ID number is never written back into the page
(``NoEchoInput``): a form shown again with an error would otherwise carry a full ID number.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from certificates.services import lookup
from portal import captcha, pii
from portal.captcha import CaptchaFormMixin
from portal.forms import Form
from portal.models import IdType

BY_ID, BY_NUMBER = "id", "number"


class NoEchoInput(forms.TextInput):
    """A text input that never renders the value typed (the ID number stays out of pages)."""

    def format_value(self, value):
        return None


class LookupForm(CaptchaFormMixin, Form):
    """``limits``: the (limit name, key) pairs a lookup counts. With the human check on, the
    check is spent and the limits counted together once every other field passed
    (``portal.captcha.verify_and_hit``: one Redis round trip); ``refused`` then names the
    limit that refused, and ``limits_counted`` says they were counted here."""

    captcha_purpose = "certificate_lookup"

    way = forms.ChoiceField(
        label=_("Look up by"),
        choices=[(BY_ID, _("Name and ID number")), (BY_NUMBER, _("Name and certificate number"))],
        initial=BY_ID,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose how to look the certificate up.")},
    )
    name = forms.CharField(
        label=_("Holder's name"),
        max_length=60,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"max_length": _("A name has at most %(limit_value)d characters.")},
    )
    id_type = forms.ChoiceField(
        label=_("ID type"),
        choices=IdType.choices,
        initial=IdType.RESIDENT_ID,
        required=False,
        error_messages={"invalid_choice": _("Choose an ID type from the list.")},
    )
    id_number = forms.CharField(
        label=_("ID number"),
        max_length=40,
        required=False,
        widget=NoEchoInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"max_length": _("An ID number has at most 20 letters and digits.")},
    )
    number = forms.CharField(
        label=_("Certificate number"),
        max_length=40,
        required=False,
        help_text=_(
            "22 characters (S or Y and 21 digits), or a 16-digit number of an older certificate."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"max_length": _("A certificate number has at most 22 characters.")},
    )

    def __init__(self, *args, limits=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.limits = list(limits)
        self.refused = ""
        self.limits_counted = False
        field = self.fields.get(self.captcha_field_name)
        if field is not None:
            field.deferred = True

    def clean_name(self) -> str:
        name = lookup.normalise_name(self.cleaned_data["name"])
        if not name:
            raise ValidationError(_("Enter the holder's name."), code="required")
        if not any(ch.isalpha() for ch in name):
            raise ValidationError(
                _("Enter the name as on the certificate, in Chinese characters or letters."),
                code="invalid",
            )
        return name

    def clean(self):
        data = super().clean()
        way = data.get("way")
        if way == BY_ID:
            id_type = data.get("id_type") or IdType.RESIDENT_ID
            data["id_type"] = id_type
            typed = data.get("id_number", "")
            if "id_number" in self.errors or "id_type" in self.errors:
                pass  # one message at a time: the ID type first
            elif not typed.strip():
                self.add_error("id_number", _("Enter the ID number."))
            else:
                try:
                    pii.validate(id_type, typed)
                except ValidationError as exc:
                    self.add_error("id_number", exc)
                else:
                    data["id_number"] = pii.normalise(id_type, typed)
            data["number"] = ""
        elif way == BY_NUMBER:
            typed = data.get("number", "")
            if "number" in self.errors:
                pass
            elif not typed.strip():
                self.add_error("number", _("Enter the certificate number."))
            else:
                number = lookup.normalise_number(typed)
                if not number:
                    self.add_error(
                        "number",
                        _(
                            "This is not a certificate number: enter the 22 characters "
                            "(S or Y and 21 digits) or the 16 digits of an older certificate."
                        ),
                    )
                data["number"] = number
            data["id_number"] = ""
        self._spend_the_check(data)
        return data

    def _spend_the_check(self, data: dict) -> None:
        """Once every other field passed: spend the human check, count its quota and the
        lookup's limits (decision 0047: a typo costs no quota)."""
        field = self.fields.get(self.captcha_field_name)
        payload = data.get(self.captcha_field_name)
        if field is None or not payload or self.errors:
            return
        outcome, refused = captcha.verify_and_hit(
            payload, self.captcha_purpose, field.request, self.limits
        )
        error = field.error_for(outcome)
        if error is not None:
            self.add_error(self.captcha_field_name, error)
            return
        self.refused, self.limits_counted = refused, True

    def query(self) -> lookup.Query:
        data = self.cleaned_data
        return lookup.Query(
            name=data["name"],
            id_type=data.get("id_type") or IdType.RESIDENT_ID,
            id_number=data.get("id_number", ""),
            number=data.get("number", ""),
        )

    @property
    def by_id(self) -> bool:
        return self.is_bound and self.cleaned_data.get("way") == BY_ID
