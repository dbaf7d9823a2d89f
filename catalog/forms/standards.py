"""Forms of national standards (Art 7, 8): the occupation, the edition, one form per skill
level with its methods, ratios and eligibility, and the PDF."""

from __future__ import annotations

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from catalog import queries, services
from catalog.models import (
    EducationLevel,
    EligibilityRoute,
    EligibilityRule,
    LevelRequirement,
    Method,
    MethodRequirement,
    NationalStandard,
    Occupation,
    OccupationStatus,
    SkillLevel,
    WorkType,
)
from portal import codes
from portal.forms import Form


def _label(model, field: str) -> str:
    """A form label from the model's (already translated) verbose name."""
    return capfirst(model._meta.get_field(field).verbose_name)


class StandardOccupationForm(Form):
    """Step one of recording a standard: whose occupation it is."""

    occupation = forms.CharField(
        label=_("Occupation code"), max_length=12, help_text=_("For example 6-31-01-03.")
    )

    def clean_occupation(self) -> Occupation:
        raw = self.cleaned_data["occupation"]
        occupation = Occupation.objects.filter(code=codes.normalize_occupation_code(raw)).first()
        if occupation is None:
            raise forms.ValidationError(
                _("No occupation has the code %(code)s."),
                code="unknown_occupation",
                params={"code": raw},
            )
        if not occupation.is_skill or not occupation.is_active:
            raise forms.ValidationError(
                _("This occupation cannot be assessed here (Art 6)."), code="not_assessable"
            )
        return occupation


class StandardForm(Form):
    """The header of a national standard edition; its levels are ``StandardLevelForm`` rows."""

    title = forms.CharField(label=_label(NationalStandard, "title"), max_length=120)
    edition_year = forms.IntegerField(
        label=_label(NationalStandard, "edition_year"), min_value=1990, max_value=2100
    )
    document_number = forms.CharField(
        label=_label(NationalStandard, "document_number"), max_length=60, required=False
    )
    issued_on = forms.DateField(
        label=_label(NationalStandard, "issued_on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    effective_from = forms.DateField(
        label=_label(NationalStandard, "effective_from"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    supersedes = forms.ModelChoiceField(
        label=_label(NationalStandard, "supersedes"),
        queryset=NationalStandard.objects.none(),
        required=False,
        empty_label=_("None: the first edition recorded here"),
    )
    work_types = forms.ModelMultipleChoiceField(
        label=_label(NationalStandard, "work_types"),
        queryset=WorkType.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick none when the standard covers the whole occupation."),
    )
    is_demo = forms.BooleanField(
        label=_("Demo data"),
        required=False,
        help_text=NationalStandard._meta.get_field("is_demo").help_text,
    )

    def __init__(
        self, *args, occupation: Occupation, standard: NationalStandard | None = None, **kwargs
    ):
        self.occupation, self.standard = occupation, standard
        if standard is not None:
            kwargs.setdefault(
                "initial",
                {
                    "title": standard.title,
                    "edition_year": standard.edition_year,
                    "document_number": standard.document_number,
                    "issued_on": standard.issued_on,
                    "effective_from": standard.effective_from,
                    "work_types": list(standard.work_types.all()),
                    "is_demo": standard.is_demo,
                },
            )
        else:
            kwargs.setdefault(
                "initial",
                {
                    "title": _("National vocational skill standard of %(name)s")
                    % {"name": occupation.name}
                },
            )
        super().__init__(*args, **kwargs)
        work_types = WorkType.objects.filter(occupation=occupation)
        if standard is None:
            work_types = work_types.filter(status=OccupationStatus.ACTIVE)
            self.fields["supersedes"].queryset = NationalStandard.objects.filter(
                occupation=occupation, superseded_by__isnull=True
            ).order_by("-effective_from")
        else:
            # Which edition it replaces is fixed once recorded.
            del self.fields["supersedes"]
            work_types = work_types.filter(status=OccupationStatus.ACTIVE) | work_types.filter(
                standards=standard
            )
        self.fields["work_types"].queryset = work_types.distinct().order_by("name")
        if not self.fields["work_types"].queryset.exists():
            del self.fields["work_types"]

    def clean(self):
        data = super().clean()
        effective = data.get("effective_from")
        if effective and self.standard is not None:
            before = self.standard.supersedes
            after = getattr(self.standard, "superseded_by", None)
            if before is not None and effective <= before.effective_from:
                self.add_error(
                    "effective_from",
                    forms.ValidationError(
                        _("A new edition takes effect after the edition it replaces."),
                        code="before_superseded",
                    ),
                )
            if after is not None and effective >= after.effective_from:
                self.add_error(
                    "effective_from",
                    forms.ValidationError(
                        _(
                            "This edition must take effect before the edition that replaces it "
                            "(%(date)s)."
                        ),
                        code="after_successor",
                        params={"date": after.effective_from.isoformat()},
                    ),
                )
        return data

    def service_fields(self) -> dict:
        data = self.cleaned_data
        fields = {name: data[name] for name in services.STANDARD_FIELDS}
        fields["document_number"] = fields["document_number"] or ""
        return fields


RATIO_FIELDS = (
    "theory_candidates_per_invigilator",
    "theory_min_invigilators_per_room",
    "skill_candidates_per_examiner",
    "skill_min_examiners",
    "skill_examiners_odd",
    "review_panel_min",
    "review_panel_odd",
)
RATIO_DEFAULTS = {f: LevelRequirement._meta.get_field(f).default for f in RATIO_FIELDS}
# Comprehensive review is for levels 2 and 1 and the tiers above (rank 4 and up).
REVIEW_MIN_RANK = 4


class StandardLevelForm(Form):
    """One skill level of a standard: covered or not, its methods, ratios and eligibility."""

    covered = forms.BooleanField(label=_("Covered by this standard"), required=False)

    def __init__(self, *args, level: SkillLevel, **kwargs):
        self.level = level
        super().__init__(*args, **kwargs)
        for method, label in Method.choices:
            self.fields[f"{method}_used"] = forms.BooleanField(label=label, required=False)
            self.fields[f"{method}_full"] = forms.IntegerField(
                label=_label(MethodRequirement, "full_marks"),
                required=False,
                min_value=1,
                max_value=1000,
                initial=100,
            )
            self.fields[f"{method}_pass"] = forms.IntegerField(
                label=_label(MethodRequirement, "pass_mark"),
                required=False,
                min_value=1,
                max_value=1000,
                initial=60,
            )
            self.fields[f"{method}_minutes"] = forms.IntegerField(
                label=_label(MethodRequirement, "duration_minutes"),
                required=False,
                min_value=1,
                max_value=1440,
            )
        for name in RATIO_FIELDS:
            if name.endswith("_odd"):
                field = forms.BooleanField(label=_label(LevelRequirement, name), required=False)
            else:
                field = forms.IntegerField(
                    label=_label(LevelRequirement, name), required=False, min_value=1, max_value=200
                )
            field.initial = RATIO_DEFAULTS[name]
            self.fields[name] = field
        lower = SkillLevel.objects.filter(rank__lt=level.rank).order_by("-rank")
        if lower.exists():  # nothing is held before the lowest level
            self.fields["prior_level"] = forms.ModelChoiceField(
                label=_label(EligibilityRule, "prior_level"), queryset=lower, required=False
            )
            self.fields["prior_years"] = forms.IntegerField(
                label=_label(EligibilityRule, "years"), required=False, min_value=0, max_value=40
            )
            self.fields["prior_text"] = forms.CharField(
                label=_label(EligibilityRule, "description"), required=False, max_length=300
            )
        self.fields["total_years"] = forms.IntegerField(
            label=_label(EligibilityRule, "years"), required=False, min_value=0, max_value=40
        )
        self.fields["total_text"] = forms.CharField(
            label=_label(EligibilityRule, "description"), required=False, max_length=300
        )
        self.fields["education"] = forms.ChoiceField(
            label=_label(EligibilityRule, "education_level"),
            required=False,
            choices=[("", "—"), *EducationLevel.choices],
        )
        self.fields["education_years"] = forms.IntegerField(
            label=_label(EligibilityRule, "years"), required=False, min_value=0, max_value=40
        )
        self.fields["education_text"] = forms.CharField(
            label=_label(EligibilityRule, "description"), required=False, max_length=300
        )
        if level.rank < REVIEW_MIN_RANK:
            self.fields["review_used"].disabled = True
            self.fields["review_used"].help_text = _(
                "Comprehensive review applies only to levels 2 and 1, not %(level)s."
            ) % {"level": level.display}

    # -- for the template

    def method_rows(self):
        for method, label in Method.choices:
            yield {
                "label": label,
                "used": self[f"{method}_used"],
                "numbers": [
                    self[f"{method}_full"],
                    self[f"{method}_pass"],
                    self[f"{method}_minutes"],
                ],
            }

    def ratio_fields(self):
        return [self[name] for name in RATIO_FIELDS]

    def eligibility_groups(self):
        labels = dict(EligibilityRoute.choices)
        groups = [
            (labels[EligibilityRoute.PRIOR_LEVEL], ["prior_level", "prior_years", "prior_text"]),
            (labels[EligibilityRoute.TOTAL_YEARS], ["total_years", "total_text"]),
            (
                labels[EligibilityRoute.EDUCATION],
                ["education", "education_years", "education_text"],
            ),
        ]
        return [
            (label, [self[n] for n in names]) for label, names in groups if names[0] in self.fields
        ]

    @property
    def is_covered(self) -> bool:
        if self.is_bound:
            return bool(self.data.get(self.add_prefix("covered")))
        return bool(self.initial.get("covered"))

    # -- validation

    def clean(self):
        data = super().clean()
        if not data.get("covered"):
            return data
        used = [m for m in Method.values if data.get(f"{m}_used")]
        if not used:
            raise forms.ValidationError(
                _("Choose at least one assessment method."), code="no_method"
            )
        for method in used:
            full, mark = data.get(f"{method}_full"), data.get(f"{method}_pass")
            for name, value in ((f"{method}_full", full), (f"{method}_pass", mark)):
                if value is None and name not in self.errors:
                    self.add_error(
                        name,
                        forms.ValidationError(
                            forms.Field.default_error_messages["required"], code="required"
                        ),
                    )
            if full is not None and mark is not None and mark > full:
                self.add_error(
                    f"{method}_pass",
                    forms.ValidationError(
                        _("The pass mark must be above 0 and at most the full marks."),
                        code="pass_above_full",
                    ),
                )
        for name, odd in (
            ("skill_min_examiners", "skill_examiners_odd"),
            ("review_panel_min", "review_panel_odd"),
        ):
            value = data.get(name)
            if data.get(odd) and value is not None and value % 2 == 0:
                self.add_error(
                    name,
                    forms.ValidationError(
                        _("The minimum must be an odd number when an odd number is required."),
                        code="not_odd",
                    ),
                )
        if data.get("prior_years") is not None and not data.get("prior_level"):
            self.add_error(
                "prior_level",
                forms.ValidationError(
                    _("Name the level held for this eligibility rule."), code="required"
                ),
            )
        if data.get("education_years") is not None and not (data.get("education") or "").strip():
            self.add_error(
                "education",
                forms.ValidationError(
                    _("Name the education for this eligibility rule."), code="required"
                ),
            )
        return data

    def level_input(self) -> services.LevelInput:
        data = self.cleaned_data
        methods = [
            services.MethodInput(m, data[f"{m}_full"], data[f"{m}_pass"], data[f"{m}_minutes"])
            for m in Method.values
            if data.get(f"{m}_used")
        ]
        ratios = {}
        for name in RATIO_FIELDS:
            value = data.get(name)
            ratios[name] = RATIO_DEFAULTS[name] if value is None else value
        eligibility = []
        if data.get("prior_years") is not None and data.get("prior_level"):
            prior, years = data["prior_level"], data["prior_years"]
            eligibility.append(
                services.EligibilityInput(
                    EligibilityRoute.PRIOR_LEVEL,
                    prior_level=prior.pk,
                    years=years,
                    description=data["prior_text"].strip()
                    or gettext(
                        "Holds %(level)s and has worked %(years)d more years in the occupation."
                    )
                    % {"level": prior.display, "years": years},
                )
            )
        if data.get("total_years") is not None:
            years = data["total_years"]
            eligibility.append(
                services.EligibilityInput(
                    EligibilityRoute.TOTAL_YEARS,
                    years=years,
                    description=data["total_text"].strip()
                    or gettext("Has worked %(years)d years in the occupation.") % {"years": years},
                )
            )
        education = data.get("education") or ""
        if education:
            years = data.get("education_years") or 0
            eligibility.append(
                services.EligibilityInput(
                    EligibilityRoute.EDUCATION,
                    years=years,
                    education_level=education,
                    description=data["education_text"].strip()
                    or str(EducationLevel(education).label),
                )
            )
        return services.LevelInput(self.level.pk, methods, eligibility, ratios)


def level_initial(level: SkillLevel, requirement: LevelRequirement | None) -> dict:
    """The row of one level: defaults for a level not covered, else what the standard says."""
    below = (
        SkillLevel.objects.filter(rank__lt=level.rank, employer_only=False)
        .order_by("-rank")
        .first()
    )
    initial: dict = {"covered": False, "prior_level": below, **RATIO_DEFAULTS}
    for method in Method.values:
        initial[f"{method}_full"], initial[f"{method}_pass"] = 100, 60
    initial["theory_used"] = initial["skill_used"] = True
    initial["review_used"] = level.rank >= REVIEW_MIN_RANK
    if requirement is None:
        return initial
    initial["covered"] = True
    initial.update({name: getattr(requirement, name) for name in RATIO_FIELDS})
    for method in Method.values:
        initial[f"{method}_used"] = False
    for m in requirement.methods.all():
        initial.update(
            {
                f"{m.method}_used": True,
                f"{m.method}_full": m.full_marks,
                f"{m.method}_pass": m.pass_mark,
                f"{m.method}_minutes": m.duration_minutes,
            }
        )
    seen = set()
    for rule in requirement.eligibility.all():
        if rule.route in seen:
            continue  # one rule per route on this form (see docs/decisions/0009)
        seen.add(rule.route)
        if rule.route == EligibilityRoute.PRIOR_LEVEL:
            initial.update(
                prior_level=rule.prior_level, prior_years=rule.years, prior_text=rule.description
            )
        elif rule.route == EligibilityRoute.TOTAL_YEARS:
            initial.update(total_years=rule.years, total_text=rule.description)
        elif rule.route == EligibilityRoute.EDUCATION:
            initial.update(
                education=rule.education_level,
                education_years=rule.years,
                education_text=rule.description,
            )
    return initial


class BaseStandardLevelFormSet(forms.BaseFormSet):
    """One ``StandardLevelForm`` per skill level, in the order of ``levels``."""

    def __init__(self, *args, levels: list[SkillLevel], **kwargs):
        self.levels = levels
        super().__init__(*args, **kwargs)

    def total_form_count(self):
        return min(super().total_form_count(), len(self.levels))

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "level": self.levels[index]}

    def clean(self):
        if any(self.errors):
            return
        if not any(f.cleaned_data.get("covered") for f in self.forms):
            raise forms.ValidationError(_("A standard covers at least one level."), code="no_level")

    def level_inputs(self) -> list[services.LevelInput]:
        return [f.level_input() for f in self.forms if f.cleaned_data.get("covered")]


StandardLevelFormSet = forms.formset_factory(
    StandardLevelForm,
    formset=BaseStandardLevelFormSet,
    extra=0,
    max_num=7,
    absolute_max=7,
    validate_max=True,
)


def standard_level_formset(data, standard: NationalStandard | None) -> BaseStandardLevelFormSet:
    """One row per skill level, lowest first, filled from the standard where it covers it."""
    levels = sorted(queries.levels(), key=lambda lv: lv.rank)
    existing = {}
    if standard is not None:
        existing = {
            r.level_id: r
            for r in standard.levels.prefetch_related("methods", "eligibility__prior_level")
        }
    return StandardLevelFormSet(
        data,
        prefix="levels",
        levels=levels,
        initial=[level_initial(level, existing.get(level.pk)) for level in levels],
    )


class StandardDocumentForm(Form):
    file = forms.FileField(
        label=_label(NationalStandard, "document"),
        help_text=_("PDF only; it is published with the standard."),
    )
