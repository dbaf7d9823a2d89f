"""Forms of the catalog: public search, occupations, import, specifications."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from catalog.models import MajorCategory, Occupation, SkillLevel, WorkType
from portal import codes


class OccupationSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Code or name"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("e.g. 6-31 or 电工")}),
    )
    major_category = forms.ChoiceField(label=_("Major category"), required=False)
    marker = forms.ChoiceField(
        label=_("Marker"),
        required=False,
        choices=[
            ("", _("Any")),
            ("S", _("Digital occupation (S)")),
            ("L", _("Green occupation (L)")),
        ],
    )
    has_standard = forms.ChoiceField(
        label=_("National standard"),
        required=False,
        choices=[
            ("", _("Any")),
            ("yes", _("Has a national standard")),
            ("no", _("No national standard")),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["major_category"].choices = [("", _("All categories"))] + [
            (c.code, f"{c.code} {c.name}") for c in MajorCategory.objects.all()
        ]


class OccupationForm(forms.ModelForm):
    class Meta:
        model = Occupation
        fields = [
            "code",
            "name",
            "major_category",
            "is_digital",
            "is_green",
            "source",
            "work_type_count",
        ]

    def clean_code(self) -> str:
        return codes.normalize_occupation_code(self.cleaned_data["code"])


class WorkTypeForm(forms.Form):
    name = forms.CharField(label=_("Work type"), max_length=80)
    code = forms.CharField(label=_("Code (optional)"), max_length=20, required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Catalogue file"),
        help_text=_(
            "CSV (UTF-8 or GB18030) or XLSX with the columns code, name, major_category, "
            "work_type_count, marker."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 10 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return upload


class SpecForm(forms.Form):
    """The header of an evaluation specification; levels are edited with LevelForm rows."""

    occupation = forms.CharField(
        label=_("Occupation code"), max_length=12, help_text=_("For example 6-31-01-03.")
    )
    work_type = forms.CharField(label=_("Work type (optional)"), max_length=80, required=False)
    title = forms.CharField(label=_("Title"), max_length=120)
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
    )

    def clean_occupation(self) -> Occupation:
        raw = self.cleaned_data["occupation"]
        try:
            code = codes.normalize_occupation_code(raw)
        except ValueError:
            code = raw
        occupation = Occupation.objects.filter(code=code).first()
        if occupation is None:
            raise forms.ValidationError(_("No occupation has the code %(code)s.") % {"code": raw})
        return occupation

    def clean(self):
        data = super().clean()
        occupation, name = data.get("occupation"), (data.get("work_type") or "").strip()
        data["work_type"] = None
        if occupation and name:
            work_type = WorkType.objects.filter(occupation=occupation, name=name).first()
            if work_type is None:
                self.add_error(
                    "work_type",
                    _("This occupation has no work type called %(name)s.") % {"name": name},
                )
            data["work_type"] = work_type
        return data


class LevelForm(forms.Form):
    """One level row of a specification: whether it is covered, its methods and eligibility."""

    level = forms.ModelChoiceField(queryset=SkillLevel.objects.all(), widget=forms.HiddenInput)
    covers = forms.BooleanField(label=_("Covered by this specification"), required=False)
    theory = forms.BooleanField(label=_("Theory exam"), required=False)
    theory_minutes = forms.IntegerField(
        label=_("Theory (minutes)"), required=False, min_value=1, max_value=600
    )
    skill = forms.BooleanField(label=_("Skill operation assessment"), required=False)
    skill_minutes = forms.IntegerField(
        label=_("Skill (minutes)"), required=False, min_value=1, max_value=1440
    )
    review = forms.BooleanField(label=_("Comprehensive review"), required=False)
    pass_mark = forms.IntegerField(
        label=_("Pass mark (of 100)"), initial=60, min_value=1, max_value=100
    )
    prior_level_years = forms.IntegerField(
        label=_("Eligibility: years after the level below"),
        required=False,
        min_value=0,
        max_value=40,
    )
    total_years = forms.IntegerField(
        label=_("Eligibility: years in the occupation"), required=False, min_value=0, max_value=40
    )

    def clean(self):
        data = super().clean()
        if data.get("covers") and not (
            data.get("theory") or data.get("skill") or data.get("review")
        ):
            raise forms.ValidationError(_("Choose at least one assessment method."))
        return data


class BaseLevelFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        if not any(f.cleaned_data.get("covers") for f in self.forms):
            raise forms.ValidationError(_("Tick at least one level the specification covers."))
