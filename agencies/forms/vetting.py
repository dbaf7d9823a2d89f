"""Forms of the vetting (Art 14): the official's material check, expert assignment, site
visit and decision, and the expert's declaration and review. Input parsing and field-level
messages only; the rules live in ``agencies.services.vetting``."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from agencies.forms import DATE
from agencies.models import ApplicationStatus, Condition, ExpertAssignment
from agencies.queries.vetting import Stage
from portal.forms import Form
from portal.models import AgencyKind
from portal.ui.queues import QueueForm


class StatusFilterForm(QueueForm):
    """The vetting queue's filters: it opens on what waits for the official (``pending``)."""

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        initial="pending",
        choices=[("pending", _("Waiting for me")), ("all", _("All"))]
        + [c for c in ApplicationStatus.choices if c[0] != ApplicationStatus.DRAFT],
    )
    stage = forms.ChoiceField(
        label=_("Step"),
        required=False,
        choices=[("", _("Any step"))] + [(s, Stage.LABELS[s]) for s in Stage.OFFICIAL],
    )
    field_order = ["q", "status", "stage", "sort"]


class AssignmentFilterForm(QueueForm):
    """The expert's reviews: they open on those still to do (docs/decisions/0027)."""

    show = forms.ChoiceField(
        label=_("Show"),
        required=False,
        initial="pending",
        choices=[("pending", _("To do")), ("all", _("All"))],
    )
    field_order = ["q", "show", "sort"]


class UsccForm(Form):
    decision = forms.ChoiceField(
        label=_("Decision on the code"),
        widget=forms.RadioSelect,
        choices=[
            ("confirm", _("Confirm the code (it is the registered code)")),
            ("reject", _("Reject the code")),
        ],
    )
    note = forms.CharField(
        label=_("Note"), max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )


class AcceptForm(Form):
    use_expert_review = forms.BooleanField(label=_("Expert review"), required=False, initial=True)
    use_site_visit = forms.BooleanField(label=_("Site visit"), required=False)
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


# Items an official may comment on when returning the materials; the keys are those of
# ``MaterialReview.comments`` that the applicant's pages show beside each item.
RETURN_ITEMS = (
    ("legal_name", _("Legal name")),
    ("uscc", _("Unified social credit code")),
    ("address", _("Registered address")),
    ("legal_representative", _("Legal representative")),
    ("contact_name", _("Contact person and phone")),
    ("declared_years", _("Years of relevant work")),
    ("declared_total_assessed", _("Person-times assessed in total")),
    *((f"condition_{c.value}", c.label) for c in Condition),
    ("scope", _("Requested scope")),
    ("sites", _("Sites")),
)


def return_item_labels() -> dict[str, str]:
    return {key: str(label) for key, label in RETURN_ITEMS}


class ReturnForm(Form):
    general_comment = forms.CharField(
        label=_("General comment"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in RETURN_ITEMS:
            self.fields[f"c_{key}"] = forms.CharField(
                label=label,
                required=False,
                max_length=1000,
                widget=forms.Textarea(attrs={"rows": 1}),
            )

    def item_fields(self):
        return [self[f"c_{key}"] for key, _label in RETURN_ITEMS]

    def comments(self) -> dict[str, str]:
        return {
            key: self.cleaned_data[f"c_{key}"]
            for key, _label in RETURN_ITEMS
            if self.cleaned_data.get(f"c_{key}", "").strip()
        }


class ExpertChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.display_name if hasattr(obj, "display_name") else str(obj)


class AssignForm(Form):
    experts = ExpertChoiceField(
        label=_("Experts of the pool"), queryset=None, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, pool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["experts"].queryset = pool


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".jpg,.jpeg,.png,.pdf"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class SiteVisitForm(Form):
    visited_on = forms.DateField(label=_("Date of the visit"), widget=DATE)
    people = forms.CharField(label=_("People who visited"), max_length=300)
    findings = forms.CharField(label=_("Findings"), widget=forms.Textarea(attrs={"rows": 4}))
    photos = MultipleFileField(
        label=_("Photos"),
        required=False,
        help_text=_("JPEG, PNG or PDF; several files may be chosen."),
    )


class DecisionForm(Form):
    """Per requested scope row, the levels to approve (pre-ticked: all requested)."""

    reasons = forms.CharField(
        label=_("Reasons of the decision"), widget=forms.Textarea(attrs={"rows": 4})
    )
    may_serve_others = forms.BooleanField(
        label=_("May also assess other employers' staff and the public"),
        required=False,
        help_text=_("Employers only (Art 16)."),
    )

    def __init__(self, *args, application, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope_rows = []
        for item in scope:
            name = f"scope_{item.pk}"
            levels = list(item.levels.all())
            self.fields[name] = forms.MultipleChoiceField(
                label=str(item),
                required=False,
                widget=forms.CheckboxSelectMultiple,
                choices=[(lv.pk, lv.display) for lv in levels],
                initial=[lv.pk for lv in levels],
            )
            self.scope_rows.append((item, name))
        if application.kind != AgencyKind.EMPLOYER:
            del self.fields["may_serve_others"]

    def scope_fields(self):
        return [self[name] for _item, name in self.scope_rows]

    def approved_levels(self) -> dict[int, list]:
        return {item.pk: list(self.cleaned_data.get(name) or []) for item, name in self.scope_rows}


class ConflictForm(Form):
    has_conflict = forms.TypedChoiceField(
        label=_("Conflict of interest"),
        widget=forms.RadioSelect,
        coerce=lambda v: v == "yes",
        choices=[
            ("no", _("I have no conflict of interest with this applicant")),
            ("yes", _("I have a conflict of interest and withdraw from this review")),
        ],
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when you withdraw: describe the conflict."),
    )

    def clean(self):
        data = super().clean()
        if data.get("has_conflict") and not data.get("note", "").strip():
            self.add_error("note", _("Describe the conflict of interest."))
        return data


class ReviewForm(Form):
    opinion = forms.CharField(label=_("Opinion"), widget=forms.Textarea(attrs={"rows": 5}))
    recommendation = forms.ChoiceField(
        label=_("Recommendation"),
        widget=forms.RadioSelect,
        choices=ExpertAssignment.Recommendation.choices,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for condition in Condition:
            self.fields[f"score_{condition.value}"] = forms.IntegerField(
                label=condition.label,
                min_value=0,
                max_value=100,
                widget=forms.NumberInput(attrs={"min": 0, "max": 100, "class": "score"}),
            )
        # Scores first, then the opinion and the recommendation.
        self.order_fields([f"score_{c}" for c in Condition.values])

    def score_fields(self):
        return [self[f"score_{c}"] for c in Condition.values]

    def scores(self) -> dict[int, int]:
        return {c: self.cleaned_data[f"score_{c}"] for c in Condition.values}
