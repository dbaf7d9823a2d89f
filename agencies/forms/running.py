"""Forms of running a listed agency (Art 16, 19, 22, 27, 28): the agency's published rules
and fees and its change requests; the officials' filters, decision on a change, suspension
and removal.

Forms parse input and give field-level messages; the services decide (nothing changed, a
request already pending, the agency's state) and the views put their refusals back here.
"""

from __future__ import annotations

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from agencies.forms import DATE
from agencies.forms.applications import ScopeForm, _Rows
from agencies.models import ChangeKind, ChangeStatus, RulesKind
from agencies.queries.running import SUPERVISED_STATUSES
from portal.forms import Form
from portal.models import AgencyStatus
from portal.ui.queues import QueueForm

EXPLANATION = forms.CharField(
    label=_("Explanation for the filing authority (optional)"),
    required=False,
    max_length=2000,
    widget=forms.Textarea(attrs={"rows": 3}),
)


class PublishRulesForm(Form):
    text = forms.CharField(
        label=_("Text of the new version"),
        max_length=50000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Publishing makes this the current version; earlier versions stay visible."),
    )

    def __init__(self, *args, kind: str, **kwargs) -> None:
        super().__init__(*args, prefix=kind, **kwargs)
        self.kind = kind
        self.kind_label = RulesKind(kind).label


class DetailsChangeForm(Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    legal_representative = forms.CharField(
        label=_("Legal representative"), max_length=60, required=False
    )
    contact_name = forms.CharField(label=_("Contact person"), max_length=60, required=False)
    contact_phone = forms.CharField(
        label=_("Contact phone"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel"}),
    )
    contact_email = forms.EmailField(label=_("Contact e-mail"), required=False)
    explanation = EXPLANATION

    FIELDS = (
        "name",
        "address",
        "legal_representative",
        "contact_name",
        "contact_phone",
        "contact_email",
    )

    @classmethod
    def initial_for(cls, agency) -> dict:
        return {name: getattr(agency, name) for name in cls.FIELDS}

    @classmethod
    def labels(cls) -> dict:
        """The fields' labels, naming the details of a change request on its page."""
        return {k: f.label for k, f in cls.base_fields.items()}


class ScopeRowForm(ScopeForm):
    """One row of the scope after the change: occupation code, work type, levels."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["declared_assessed"]


class _ScopeRows(_Rows):
    def items(self) -> list[tuple]:
        """(occupation, work type, levels) of the rows kept, as ``request_scope_change`` takes."""
        return [
            (
                f.cleaned_data["occupation"],
                f.cleaned_data["work_type"],
                list(f.cleaned_data["levels"]),
            )
            for f in self.kept()
        ]


ScopeChangeFormSet = formset_factory(
    ScopeRowForm, formset=_ScopeRows, extra=1, can_delete=True, max_num=50, validate_max=True
)


def scope_initial(entry) -> list[dict]:
    """The rows of the scope form filled with the entry's approved scope."""
    if entry is None:
        return []
    return [
        {
            "occupation": s.occupation.code,
            "work_type": s.work_type.name if s.work_type else "",
            "levels": [lv.pk for lv in s.levels.all()],
        }
        for s in entry.scope.select_related("occupation", "work_type").prefetch_related("levels")
    ]


class ScopeExplanationForm(Form):
    explanation = EXPLANATION


class ServeOthersForm(Form):
    value = forms.TypedChoiceField(
        label=_("Assessing other employers' staff and the public"),
        choices=[
            ("1", _("Ask to assess other employers' staff and the public as well")),
            ("0", _("Assess our own staff only")),
        ],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    explanation = EXPLANATION


class RenewalForm(Form):
    explanation = EXPLANATION


# --- The officials' pages ------------------------------------------------------------------


class ListedFilterForm(Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All"))] + [c for c in AgencyStatus.choices if c[0] in SUPERVISED_STATUSES],
    )
    q = forms.CharField(label=_("Name"), required=False, max_length=40)


class ChangeFilterForm(QueueForm):
    """The change requests' filters: the queue opens on the pending ones (docs/decisions/0027)."""

    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All"))] + ChangeKind.choices
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        initial=ChangeStatus.PENDING,
        choices=[("all", _("All"))] + ChangeStatus.choices,
    )
    field_order = ["q", "status", "kind", "sort"]


class DecisionForm(Form):
    reason = forms.CharField(
        label=_("Reasons of the decision"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("Sent to the agency with the decision and kept in the audit trail."),
    )


class SuspendForm(Form):
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


class RemoveForm(Form):
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
    # The password is asked on the confirmation page (portal.ui.confirm, decision 0026).
