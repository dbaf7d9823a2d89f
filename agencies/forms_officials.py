"""Forms of the officials' supervision pages of listed agencies (Art 16, 22, 27, 28): input
parsing and field-level messages only; the rules live in ``agencies.services.running``."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from agencies.models import ChangeKind, ChangeStatus
from portal.models import AgencyStatus

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
SUPERVISED_STATUSES = (
    AgencyStatus.LISTED,
    AgencyStatus.SUSPENDED,
    AgencyStatus.LAPSED,
    AgencyStatus.REMOVED,
)


class ListedFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All"))] + [c for c in AgencyStatus.choices if c[0] in SUPERVISED_STATUSES],
    )
    q = forms.CharField(label=_("Name"), required=False, max_length=40)


class ChangeFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All"))] + ChangeKind.choices
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All"))] + ChangeStatus.choices
    )


class DecisionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reasons of the decision"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("Sent to the agency with the decision and kept in the audit trail."),
    )


class SuspendForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    legal_basis = forms.CharField(
        label=_("Legal basis"),
        max_length=300,
        help_text=_("For example: 《职业技能等级认定工作规程（试行）》第二十七条."),
    )
    until = forms.DateField(
        label=_("Suspended until"),
        widget=DATE,
        help_text=_("The suspension is lifted by the daily job on the day after this date."),
    )


class RemoveForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    legal_basis = forms.CharField(label=_("Legal basis"), max_length=300)
    follow_up_plan = forms.CharField(
        label=_("Follow-up plan"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        help_text=_(
            "Art 28: what happens to the planned sessions and their candidates. Certificates "
            "already issued stay valid. Published on the list of removed agencies."
        ),
    )
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Removal is a grave act: confirm it with your password."),
    )
