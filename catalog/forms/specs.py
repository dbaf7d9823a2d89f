"""Forms of an agency's evaluation specification (Art 8): the header and one row per level."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from catalog import queries, services
from catalog.models import (
    EligibilityRoute,
    EvaluationSpec,
    Method,
    Occupation,
    SkillLevel,
    SpecStatus,
    WorkType,
)
from portal import codes
from portal.forms import Form
from portal.ui.queues import QueueForm


class SpecForm(Form):
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


class LevelForm(Form):
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

    def level_inputs(self) -> list[services.LevelInput]:
        """The covered rows as the services' level inputs (each method scored out of 100)."""
        items = []
        for form in self:
            data = form.cleaned_data
            if not data or not data.get("covers"):
                continue
            methods = []
            if data.get("theory"):
                methods.append(
                    services.MethodInput(
                        Method.THEORY, 100, data["pass_mark"], data.get("theory_minutes")
                    )
                )
            if data.get("skill"):
                methods.append(
                    services.MethodInput(
                        Method.SKILL, 100, data["pass_mark"], data.get("skill_minutes")
                    )
                )
            if data.get("review"):
                methods.append(services.MethodInput(Method.REVIEW, 100, data["pass_mark"], None))
            eligibility = []
            level = data["level"]
            below = queries.level_below(level)
            if data.get("prior_level_years") is not None and below is not None:
                eligibility.append(
                    services.EligibilityInput(
                        EligibilityRoute.PRIOR_LEVEL,
                        prior_level=below.pk,
                        years=data["prior_level_years"],
                        description=gettext(
                            "Holds %(level)s and has worked %(years)d more years in the occupation."
                        )
                        % {"level": below.display, "years": data["prior_level_years"]},
                    )
                )
            if data.get("total_years") is not None:
                eligibility.append(
                    services.EligibilityInput(
                        EligibilityRoute.TOTAL_YEARS,
                        years=data["total_years"],
                        description=gettext("Has worked %(years)d years in the occupation.")
                        % {"years": data["total_years"]},
                    )
                )
            items.append(services.LevelInput(level.pk, methods, eligibility))
        return items


LevelFormSet = forms.formset_factory(LevelForm, formset=BaseLevelFormSet, extra=0, max_num=7)


def spec_level_initial(agency, spec: EvaluationSpec | None) -> list[dict]:
    """One row per level the agency may assess (Art 9), filled from the spec where covered."""
    existing = {}
    if spec is not None:
        existing = {
            r.level_id: r
            for r in spec.levels.select_related("level").prefetch_related("methods", "eligibility")
        }
    initial = []
    for level in sorted(queries.levels(), key=lambda lv: -lv.rank):
        if not services.level_allowed_for(agency.kind, level):
            continue
        req = existing.get(level.pk)
        if req is None:
            initial.append({"level": level, "covers": False, "pass_mark": 60})
            continue
        methods = {m.method: m for m in req.methods.all()}
        rules = {e.route: e for e in req.eligibility.all()}
        any_method = next(iter(methods.values()), None)
        theory, skill = methods.get(Method.THEORY), methods.get(Method.SKILL)
        prior, total = (
            rules.get(EligibilityRoute.PRIOR_LEVEL),
            rules.get(EligibilityRoute.TOTAL_YEARS),
        )
        initial.append(
            {
                "level": req.level,
                "covers": True,
                "theory": theory is not None,
                "theory_minutes": theory.duration_minutes if theory else None,
                "skill": skill is not None,
                "skill_minutes": skill.duration_minutes if skill else None,
                "review": Method.REVIEW in methods,
                "pass_mark": any_method.pass_mark if any_method else 60,
                "prior_level_years": prior.years if prior else None,
                "total_years": total.years if total else None,
            }
        )
    return initial


def spec_initial(spec: EvaluationSpec | None) -> dict:
    """The header form's values of an existing specification."""
    if spec is None:
        return {}
    return {
        "occupation": spec.occupation.code,
        "title": spec.title,
        "summary": spec.summary,
        "work_type": spec.work_type.name if spec.work_type else "",
    }


class SpecQueueForm(QueueForm):
    """The filing queue's filters: it opens on the specifications submitted for filing, the
    longest waiting first (docs/decisions/0027)."""

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        initial=SpecStatus.SUBMITTED,
        choices=[("all", _("All"))] + SpecStatus.choices,
    )
    field_order = ["q", "status", "sort"]
