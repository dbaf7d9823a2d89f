"""Forms of scores (Art 18–20): the examiner's marks (one field per candidate), a theory entry
typed or imported, the group leader's settled score, a correction and its refusal. Forms parse;
``assessments.services.scores`` decides and the views put its errors back at the fields."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms import Form

SCORE_INPUT = {"inputmode": "decimal", "autocomplete": "off", "class": "score-input"}


class CandidateScoresForm(Form):
    """One optional score field per candidate (``mark_<id>`` or ``score_<id>``); the service
    checks the range and decimals."""

    def __init__(self, *args, candidates=(), prefix_name: str = "mark", initial_values=None,
                 required: bool = False, **kwargs):  # fmt: skip
        super().__init__(*args, **kwargs)
        self.prefix_name = prefix_name
        for enrolment in candidates:
            name = f"{prefix_name}_{enrolment.pk}"
            self.fields[name] = forms.CharField(
                label=enrolment.real_name,
                required=False,
                max_length=8,
                widget=forms.TextInput(attrs=SCORE_INPUT),
            )
            if initial_values and enrolment.pk in initial_values:
                self.initial[name] = initial_values[enrolment.pk]

    def values(self) -> dict[int, str]:
        start = len(self.prefix_name) + 1
        return {int(name[start:]): value for name, value in self.cleaned_data.items()}


class TheoryUploadForm(Form):
    scores_file = forms.FileField(
        label=_("Scores (XLSX, XLS, ODS or CSV)"),
        help_text=_("First row: 准考证号 (or 证件号码) and 成绩; then one row per candidate."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls,.ods,.csv"}),
    )


class SettleForm(Form):
    value = forms.CharField(
        label=_("Settled score"), max_length=8, widget=forms.TextInput(attrs=SCORE_INPUT)
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why the score stands at this value; the examiners' marks are kept."),
    )


class CorrectionForm(Form):
    value = forms.CharField(
        label=_("Corrected score"), max_length=8, widget=forms.TextInput(attrs=SCORE_INPUT)
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The internal quality supervisor reads it before confirming."),
    )


class RefusalForm(Form):
    reason = forms.CharField(
        label=_("Reason for refusing"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
