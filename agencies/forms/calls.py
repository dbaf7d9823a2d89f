"""Forms of the calls for agencies (Art 11): a draft call and the occupations in its scope.

Input parsing and field-level messages only; the rules live in ``agencies.services.calls``."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from agencies.forms import DATE
from agencies.models import AgencyCall
from agencies.services.calls import CALL_FIELDS
from catalog.models import Occupation
from portal.forms import ModelForm


class CallForm(ModelForm):
    """A draft call: every field of the call, occupations in scope by their codes."""

    occupation_codes = forms.CharField(
        label=_("Occupations in scope (codes)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "6-31-01-03 4-13-01-05"}),
        help_text=_(
            "Occupation codes separated by spaces, commas or new lines. "
            "Leave empty for every skill occupation."
        ),
    )

    class Meta:
        model = AgencyCall
        fields = list(CALL_FIELDS)
        widgets = {
            "opens_on": DATE,
            "deadline": DATE,
            "body": forms.Textarea(attrs={"rows": 8}),
            "commitment_text": forms.Textarea(attrs={"rows": 9}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["occupation_codes"] = " ".join(
                self.instance.occupations.order_by("code").values_list("code", flat=True)
            )

    def clean_occupation_codes(self):
        codes = [c for c in re.split(r"[\s,，、;；]+", self.cleaned_data["occupation_codes"]) if c]
        found = {o.code: o for o in Occupation.objects.filter(code__in=codes)}
        unknown = [c for c in codes if c not in found]
        if unknown:
            raise forms.ValidationError(
                _("Not in the occupation catalogue: %(codes)s") % {"codes": "、".join(unknown)}
            )
        not_skill = [c for c in codes if not found[c].is_skill]
        if not_skill:
            raise forms.ValidationError(
                _("Not a skill occupation (Art 6): %(codes)s") % {"codes": "、".join(not_skill)}
            )
        return [found[c] for c in dict.fromkeys(codes)]

    def service_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in CALL_FIELDS}
