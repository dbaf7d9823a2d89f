"""Forms of the listing (Art 15, 20): the public directory's search, the contact an agency
publishes there and the site serial."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from agencies.forms.applications import PUBLICATION_NOTE, public_contact_fields
from catalog.models import SkillLevel
from portal.forms import FilterForm, Form
from portal.models import AgencyKind, Province


class DirectorySearchForm(FilterForm):
    q = forms.CharField(
        label=_("Agency name"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    province = forms.ChoiceField(label=_("Province"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Any")), *AgencyKind.choices]
    )
    occupation = forms.CharField(
        label=_("Occupation (code or name)"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. 6-31 or 电工")}),
    )
    level = forms.ChoiceField(label=_("Level"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["province"].choices = [("", _("All provinces"))] + [
            (p.code, p.name) for p in Province.objects.all()
        ]
        self.fields["level"].choices = [("", _("Any level"))] + [
            (lv.pk, lv.display) for lv in SkillLevel.objects.order_by("-rank")
        ]


class SerialForm(Form):
    serial = forms.CharField(
        label=_("Site serial"),
        required=False,
        max_length=6,
        help_text=_("Six digits; leave empty for the next free serial."),
    )


class PublicContactForm(Form):
    """The contact the directory publishes, chosen on purpose (the help note says so)."""

    public_contact_name, public_phone, public_email = public_contact_fields()
    publication_note = PUBLICATION_NOTE

    FIELDS = ("public_contact_name", "public_phone", "public_email")

    @classmethod
    def initial_for(cls, agency) -> dict:
        return {name: getattr(agency, name) for name in cls.FIELDS}

    def service_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data["public_contact_name"],
            "phone": data["public_phone"],
            "email": data["public_email"],
        }
