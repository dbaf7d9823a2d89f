"""The external quality supervisor's report form (Art 26): process, findings, rating and an
optional rectification order; the rules are ``supervision.services.quality.file_report``'s."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms import Form
from supervision.models import CheckItem, Rating, Severity

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
#: Finding rows offered on the form.
FINDING_ROWS = 3


class ReportForm(Form):
    process = forms.CharField(
        label=_("How the session was run"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
        error_messages={"required": _("Say how the session was run.")},
        help_text=_("Sign-in and identity checks, invigilation, marking, the venue, incidents."),
    )
    rating = forms.ChoiceField(
        label=_("Rating"),
        choices=Rating.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a rating.")},
    )

    def __init__(self, *args, jurisdiction: str, **kwargs):
        super().__init__(*args, **kwargs)
        items = CheckItem.objects.filter(jurisdiction=jurisdiction, active=True)
        for n in range(1, FINDING_ROWS + 1):
            what = {"n": n}
            self.fields[f"finding_{n}_severity"] = forms.ChoiceField(
                label=_("Finding %(n)s: severity") % what,
                choices=[("", _("(no finding)")), *Severity.choices],
                required=False,
            )
            self.fields[f"finding_{n}_check_item"] = forms.ModelChoiceField(
                label=_("Finding %(n)s: check item") % what,
                queryset=items,
                required=False,
                empty_label=_("(none)"),
            )
            self.fields[f"finding_{n}_description"] = forms.CharField(
                label=_("Finding %(n)s: what was found") % what,
                widget=forms.Textarea(attrs={"rows": 2}),
                max_length=2000,
                required=False,
            )
        self.fields["order_requirements"] = forms.CharField(
            label=_("Rectification order: what must be put right"),
            widget=forms.Textarea(attrs={"rows": 3}),
            max_length=4000,
            required=False,
            help_text=_("Leave empty when the findings need no rectification order."),
        )
        self.fields["order_deadline"] = forms.DateField(
            label=_("Rectification order: deadline"), widget=DATE, required=False
        )

    def report_data(self) -> dict:
        """The cleaned data as ``file_report`` takes it."""
        data = self.cleaned_data
        findings = [
            {
                "severity": data.get(f"finding_{n}_severity") or "",
                "check_item": data.get(f"finding_{n}_check_item"),
                "description": data.get(f"finding_{n}_description") or "",
            }
            for n in range(1, FINDING_ROWS + 1)
        ]
        return {
            "process": data["process"],
            "rating": data["rating"],
            "findings": findings,
            "order_requirements": data.get("order_requirements") or "",
            "order_deadline": data.get("order_deadline"),
        }
