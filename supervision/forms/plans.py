"""Forms of spot-check plans and their draw (Art 25, 26): input parsing and field messages;
the rules that span rows are the services'."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms import Form
from supervision.models import CheckItem, ObjectKind, PlanKind, RiskTier

_RULE = re.compile(r"^\s*(\d+(?:\.\d{1,2})?)\s*([%％])?\s*$")
DATE = forms.DateInput(attrs={"type": "date"})


def rule_text(rule: dict | None) -> str:
    if not rule:
        return ""
    return f"{rule['percent']}%" if "percent" in rule else str(rule.get("count", ""))


class PlanForm(Form):
    """A draft plan: title, kind, objects, period, check items, per-tier proportion or count,
    inspectors per object and objects per inspector at most."""

    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind of plan"), choices=PlanKind.choices)
    object_kind = forms.ChoiceField(
        label=_("Objects drawn"),
        choices=[
            (ObjectKind.AGENCY, _("Agencies listed in the jurisdiction")),
            (ObjectKind.SESSION, _("Assessment sessions of the period")),
        ],
        help_text=_("A quality plan always draws assessment sessions."),
    )
    period_start = forms.DateField(label=_("Period from"), widget=DATE)
    period_end = forms.DateField(label=_("Period to"), widget=DATE)
    check_items = forms.ModelMultipleChoiceField(
        label=_("Check items"),
        queryset=CheckItem.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    inspectors_per_object = forms.IntegerField(
        label=_("Inspectors per object"), min_value=2, max_value=10, initial=2
    )
    max_objects_per_inspector = forms.IntegerField(
        label=_("Objects per inspector at most"), min_value=1, max_value=100, initial=5
    )

    def __init__(self, *args, jurisdiction: str, kinds: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["check_items"].queryset = CheckItem.objects.filter(
            jurisdiction=jurisdiction, active=True
        ).order_by("code")
        self.fields["kind"].choices = [c for c in PlanKind.choices if c[0] in kinds]
        if len(kinds) == 1:
            self.fields["kind"].initial = kinds[0]
        for tier in RiskTier:
            self.fields[f"tier_{tier.value}"] = forms.CharField(
                label=_("%(tier)s: proportion or count") % {"tier": tier.label},
                max_length=10,
                required=False,
                help_text=_(
                    "「30%」 draws that share of the tier (rounded up), 「3」 that many; "
                    "empty: none."
                ),
            )

    def clean(self):
        data = super().clean()
        rules = {}
        for tier in RiskTier:
            name = f"tier_{tier.value}"
            text = (data.get(name) or "").strip()
            if not text:
                continue
            found = _RULE.match(text)
            if not found:
                self.add_error(
                    name, _("Type a share such as 「30%」 or a whole number such as 「3」.")
                )
                continue
            number, percent = found.groups()
            if percent:
                rules[str(tier.value)] = {"percent": number}
            elif "." in number:
                self.add_error(name, _("A count is a whole number."))
            else:
                rules[str(tier.value)] = {"count": int(number)}
        data["tier_rules"] = rules
        return data

    @classmethod
    def initial_of(cls, plan) -> dict:
        initial = {
            "title": plan.title,
            "kind": plan.kind,
            "object_kind": plan.object_kind,
            "period_start": plan.period_start,
            "period_end": plan.period_end,
            "check_items": list(plan.check_items.all()),
            "inspectors_per_object": plan.inspectors_per_object,
            "max_objects_per_inspector": plan.max_objects_per_inspector,
        }
        for tier in RiskTier:
            initial[f"tier_{tier.value}"] = rule_text((plan.tier_rules or {}).get(str(tier.value)))
        return initial


class AdjustForm(Form):
    """Move an agency of the pool to another tier, with the published reason."""

    agency = forms.IntegerField(widget=forms.HiddenInput)
    tier = forms.TypedChoiceField(label=_("Risk tier"), choices=RiskTier.choices, coerce=int)
    reason = forms.CharField(
        label=_("Reason (published with the plan)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ApproveForm(Form):
    randomness_source = forms.CharField(
        label=_("Public randomness source"),
        max_length=200,
        help_text=_("A public draw whose numbers nobody knows today, e.g. 中国福利彩票双色球."),
    )
    randomness_date = forms.DateField(
        label=_("Date of the public numbers"),
        widget=DATE,
        help_text=_("A day after today; the draw takes place on or after it."),
    )


class DrawForm(Form):
    numbers = forms.CharField(
        label=_("Public numbers"),
        max_length=200,
        help_text=_("As published by the source, in order, separated by spaces."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )


class CloseForm(Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed when some inspections are not published yet."),
    )


class VerifyForm(Form):
    numbers = forms.CharField(
        label=_("Public numbers as you read them at the source"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
