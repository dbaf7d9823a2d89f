"""Forms of the inspections stage (Art 25, 27): records, findings, conclusion, orders and
their answers, follow-ups."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms import Form
from supervision.models import Conclusion, FollowUpKind, RecordKind, Severity

TEXT = forms.Textarea(attrs={"rows": 4})
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class _MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class FilesField(forms.FileField):
    """Several files (checked for size and real type when stored)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", _MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", _("PDF, JPEG or PNG; several files may be chosen."))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class RecordForm(Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=RecordKind.choices)
    visited_on = forms.DateField(label=_("Date"), widget=DATE)
    people_present = forms.CharField(
        label=_("People present"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Names and roles; required for an on-site visit."),
    )
    notes = forms.CharField(label=_("What was checked and seen"), max_length=5000, widget=TEXT)
    documents = FilesField(label=_("Photos and documents"))


class FindingForm(Form):
    check_item = forms.ModelChoiceField(
        label=_("Check item"), queryset=None, required=False, empty_label=_("(none)")
    )
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices)
    description = forms.CharField(label=_("Finding"), max_length=3000, widget=TEXT)

    def __init__(self, *args, inspection, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["check_item"].queryset = inspection.plan.check_items.order_by("code")
        self.fields["check_item"].label_from_instance = lambda i: f"{i.code} {i.title}"


class ConclusionForm(Form):
    conclusion = forms.ChoiceField(label=_("Conclusion"), choices=Conclusion.choices)
    note = forms.CharField(
        label=_("Conclusion in words"), max_length=3000, required=False, widget=TEXT
    )


class OrderForm(Form):
    findings = forms.ModelMultipleChoiceField(
        label=_("Findings to put right"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    requirements = forms.CharField(label=_("What must be put right"), max_length=3000, widget=TEXT)
    deadline = forms.DateField(label=_("Rectification deadline"), widget=DATE)

    def __init__(self, *args, findings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["findings"].queryset = findings
        self.fields["findings"].label_from_instance = lambda f: (
            f"{f.get_severity_display()}：{f.description[:60]}"
        )


class AnswerForm(Form):
    answer = forms.CharField(label=_("What was put right"), max_length=5000, widget=TEXT)
    evidence = FilesField(label=_("Evidence"))


class AcceptForm(Form):
    note = forms.CharField(label=_("Review note"), max_length=2000, required=False, widget=TEXT)


class ReopenForm(Form):
    reason = forms.CharField(label=_("What is still wrong"), max_length=2000, widget=TEXT)
    deadline = forms.DateField(label=_("New deadline"), widget=DATE)


class FollowUpForm(Form):
    kind = forms.ChoiceField(label=_("What follows"), choices=FollowUpKind.choices)
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=TEXT)
    legal_basis = forms.CharField(
        label=_("Legal basis"),
        max_length=500,
        required=False,
        help_text=_("For a suspension or a removal."),
    )
    until = forms.DateField(
        label=_("Suspended until"), required=False, widget=DATE, help_text=_("For a suspension.")
    )
    follow_up_plan = forms.CharField(
        label=_("Follow-up plan (Art 28)"),
        max_length=3000,
        required=False,
        widget=TEXT,
        help_text=_("For a removal: planned sessions and candidates."),
    )
    certificate = forms.CharField(
        label=_("Certificate number"),
        max_length=30,
        required=False,
        help_text=_("For a revocation: the number of the agency's certificate."),
    )
