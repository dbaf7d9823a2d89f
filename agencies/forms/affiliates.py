"""Forms of affiliated employers (Art 16): the agency's declaration and the filing
authority's decision. The services check the code, duplicates and the agency's state."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from agencies.models import AffiliateStatus
from portal.forms import Form
from portal.ui.queues import QueueForm


class AffiliateForm(Form):
    name = forms.CharField(label=_("Employer name"), max_length=120)
    uscc = forms.CharField(
        label=_("Unified social credit code"),
        max_length=18,
        min_length=18,
        help_text=_("18 characters, as on the employer's business licence."),
    )
    relation = forms.CharField(
        label=_("Relation to the agency"),
        max_length=200,
        help_text=_("For example: wholly owned subsidiary, branch, holding company's member."),
    )


class AffiliateDecisionForm(Form):
    reason = forms.CharField(
        label=_("Reason (required when refusing)"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown to the agency with the decision and kept in the audit trail."),
    )


class AffiliateFilterForm(QueueForm):
    """The declarations' filters: the queue opens on those waiting (docs/decisions/0027)."""

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        initial=AffiliateStatus.PENDING,
        choices=[("all", _("All"))] + AffiliateStatus.choices,
    )
    field_order = ["q", "status", "sort"]
