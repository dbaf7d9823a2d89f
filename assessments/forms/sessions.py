"""Forms of assessment sessions (Art 17–18): the plan with its sittings, the officials' question
and stop, the agency's answer and cancellation, the public search. Forms parse; the services
decide (scope, basis, rooms, lead time) and the views put their refusals back at the fields."""

from __future__ import annotations

from django import forms
from django.forms import BaseFormSet, formset_factory
from django.utils.translation import gettext_lazy as _

from assessments.services import SittingData
from catalog.models import Method, Occupation, SkillLevel, WorkType
from portal.forms import FilterForm, Form

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
METHOD_CHOICES = [("", _("(no sitting)")), *Method.choices]


class SessionForm(Form):
    venue = forms.ModelChoiceField(label=_("Venue"), queryset=None)
    city = forms.CharField(
        label=_("City"), max_length=40, help_text=_("Where the venue is, as workers search it.")
    )
    occupation = forms.ModelChoiceField(label=_("Occupation"), queryset=None, to_field_name="code")
    work_type = forms.ModelChoiceField(
        label=_("Work type"), queryset=None, required=False, empty_label=_("(whole occupation)")
    )
    level = forms.ModelChoiceField(label=_("Level"), queryset=SkillLevel.objects.all())
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1, max_value=5000)
    registration_opens = forms.DateField(label=_("Registration opens"), widget=DATE)
    registration_closes = forms.DateField(label=_("Registration closes"), widget=DATE)
    fee = forms.DecimalField(
        label=_("Fee (yuan)"),
        min_value=0,
        max_digits=8,
        decimal_places=2,
        help_text=_("Per candidate, as in the agency's published fee schedule (Art 19)."),
    )
    how_to_register = forms.CharField(
        label=_("How to register"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Where and how workers register: address, phone, documents to bring."),
    )

    def __init__(self, *args, venues, occupations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["venue"].queryset = venues
        self.fields["occupation"].queryset = occupations
        self.fields["work_type"].queryset = WorkType.objects.filter(
            occupation__in=occupations
        ).select_related("occupation")
        self.fields["work_type"].label_from_instance = lambda w: f"{w.occupation.name}：{w.name}"

    def clean(self):
        data = super().clean()
        work_type, occupation = data.get("work_type"), data.get("occupation")
        if work_type and occupation and work_type.occupation_id != occupation.pk:
            self.add_error("work_type", _("This work type belongs to another occupation."))
        return data

    def service_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.fields}


class SittingForm(Form):
    method = forms.ChoiceField(label=_("Method"), choices=METHOD_CHOICES, required=False)
    date = forms.DateField(label=_("Date"), widget=DATE, required=False)
    starts_at = forms.TimeField(label=_("Starts at"), widget=TIME, required=False)
    ends_at = forms.TimeField(label=_("Ends at"), widget=TIME, required=False)
    room = forms.ModelChoiceField(label=_("Room"), queryset=None, required=False)

    def __init__(self, *args, rooms=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = rooms
        self.fields["room"].label_from_instance = lambda r: (
            f"{r.venue.name} · {r.name}（{r.get_kind_display()}，{r.places}）"
        )

    def clean(self):
        data = super().clean()
        if not data.get("method"):
            return data
        for name in ("date", "starts_at", "ends_at", "room"):
            if not data.get(name) and name not in self.errors:
                self.add_error(name, _("Fill in this field for the sitting."))
        return data


class BaseSittingFormSet(BaseFormSet):
    def __init__(self, *args, rooms, **kwargs):
        self.rooms = rooms
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {"rooms": self.rooms}

    def sittings(self) -> list[SittingData]:
        return [
            SittingData(
                f.cleaned_data["method"],
                f.cleaned_data["date"],
                f.cleaned_data["starts_at"],
                f.cleaned_data["ends_at"],
                f.cleaned_data["room"],
            )
            for f in self.forms
            if f.cleaned_data.get("method")
        ]


SittingFormSet = formset_factory(SittingForm, formset=BaseSittingFormSet, extra=0)
SITTING_INITIAL = [{"method": "theory"}, {"method": "skill"}, {"method": ""}]


class QuestionForm(Form):
    text = forms.CharField(
        label=_("Question to the agency"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Registration waits until the agency answers."),
    )


class AnswerForm(Form):
    answer = forms.CharField(
        label=_("Answer"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReasonForm(Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Candidates known by e-mail receive it."),
    )


class PlanFilterForm(FilterForm):
    """The officials' list of filed plans: agency, occupation, level, dates, state."""

    q = forms.CharField(label=_("Agency name or credit code"), required=False, max_length=60)
    occupation = forms.CharField(
        label=_("Occupation (name or code)"), required=False, max_length=60
    )
    level = forms.ModelChoiceField(
        label=_("Level"), queryset=SkillLevel.objects.all(), required=False
    )
    status = forms.ChoiceField(label=_("Status"), required=False, choices=())
    sits_from = forms.DateField(label=_("Sittings from"), widget=DATE, required=False)
    sits_until = forms.DateField(label=_("Sittings until"), widget=DATE, required=False)

    def __init__(self, *args, **kwargs):
        from assessments.models import SessionStatus

        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            ("", _("All")),
            ("asked", _("Question waiting")),
            *[(v, lbl) for v, lbl in SessionStatus.choices if v != SessionStatus.DRAFT],
        ]


class PublicSearchForm(FilterForm):
    """``/sessions/``: what workers look for."""

    province = forms.ChoiceField(label=_("Province"), required=False, choices=())
    city = forms.CharField(label=_("City"), required=False, max_length=40)
    occupation = forms.CharField(label=_("Occupation"), required=False, max_length=60)
    level = forms.ModelChoiceField(
        label=_("Level"),
        queryset=SkillLevel.objects.filter(employer_only=False),
        required=False,
        empty_label=_("Any level"),
    )
    month = forms.CharField(
        label=_("Month"),
        required=False,
        max_length=7,
        widget=forms.TextInput(attrs={"type": "month"}),
    )

    def __init__(self, *args, **kwargs):
        from portal.models import Province

        super().__init__(*args, **kwargs)
        self.fields["province"].choices = [
            ("", _("Any province")),
            *Province.objects.order_by("code").values_list("code", "name"),
        ]

    def clean_month(self):
        value = self.cleaned_data.get("month", "").strip()
        if not value:
            return ""
        import re

        if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", value):
            raise forms.ValidationError(_("Choose a month."))
        return value


__all__ = [
    "SITTING_INITIAL",
    "AnswerForm",
    "Occupation",
    "PlanFilterForm",
    "PublicSearchForm",
    "QuestionForm",
    "ReasonForm",
    "SessionForm",
    "SittingFormSet",
]
