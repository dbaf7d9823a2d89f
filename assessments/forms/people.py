"""Forms of examiners and supervisors (Art 19, 23): the agency's record of a person, a
training, the testing centre's suspension.

Forms parse input and give field-level messages (an ID number's check character, a level
range); the services decide (the same person on record, a grade's levels) and the views put
their refusals back here."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.models import Grade
from assessments.services import OccupationRange, PersonInput, range_refusal
from catalog.models import Occupation, SkillLevel
from portal import codes, pii
from portal.forms import Form
from portal.models import IdType, Province

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
OCCUPATION_ROWS = 3
LEVELS = [("", "—"), ("5", "五级"), ("4", "四级"), ("3", "三级"), ("2", "二级"), ("1", "一级")]
UPLOAD_HELP = _("PDF, PNG or JPEG.")


class PersonForm(Form):
    """One form for adding and editing; ``kind`` is ``examiner`` or ``supervisor``. Editing
    leaves out the ID (a wrong number is a new record) and the account."""

    real_name = forms.CharField(label=_("Real name"), max_length=60)
    id_type = forms.ChoiceField(label=_("ID type"), choices=IdType.choices)
    id_number = forms.CharField(
        label=_("ID number"),
        max_length=32,
        help_text=_("Gender and birth date are read from a resident ID; they are not asked."),
    )
    username = forms.CharField(
        label=_("Account in the agency (optional)"),
        max_length=150,
        required=False,
        help_text=_("The username of the member with the role examiner or quality supervisor."),
    )
    grade = forms.ChoiceField(label=_("Grade"), choices=Grade.choices)
    province = forms.ModelChoiceField(
        label=_("Registered with the testing centre of"),
        queryset=Province.objects.order_by("code"),
        to_field_name="code",
    )
    qualification_number = forms.CharField(
        label=_("Qualification certificate number"), max_length=40
    )
    valid_from = forms.DateField(label=_("Valid from"), widget=DATE)
    valid_until = forms.DateField(label=_("Valid until"), widget=DATE)
    document = forms.FileField(
        label=_("Qualification certificate (scan)"), required=False, help_text=UPLOAD_HELP
    )

    def __init__(self, *args, kind: str, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        if editing:
            for name in ("id_type", "id_number", "username", "province"):
                del self.fields[name]
        if kind != "examiner":
            del self.fields["grade"]
            return
        for i in range(1, OCCUPATION_ROWS + 1):
            self.fields[f"occupation_{i}"] = forms.CharField(
                label=_("Occupation %(n)s (code)") % {"n": i},
                max_length=12,
                required=i == 1,
                help_text=_("Such as 6-31-01-03.") if i == 1 else "",
            )
            self.fields[f"lowest_{i}"] = forms.ChoiceField(
                label=_("Lowest level"), choices=LEVELS, required=False
            )
            self.fields[f"highest_{i}"] = forms.ChoiceField(
                label=_("Highest level"), choices=LEVELS, required=False
            )

    def clean_id_number(self) -> str:
        id_type = self.data.get(self.add_prefix("id_type"), "")
        value = pii.normalise(id_type, self.cleaned_data["id_number"])
        pii.validate(id_type, value)
        return value

    def clean(self):
        data = super().clean()
        if self.kind != "examiner":
            return data
        ranges = []
        for i in range(1, OCCUPATION_ROWS + 1):
            code = (data.get(f"occupation_{i}") or "").strip()
            if not code:
                continue
            try:
                occupation = Occupation.objects.get(code=codes.normalize_occupation_code(code))
            except (Occupation.DoesNotExist, ValueError):
                self.add_error(f"occupation_{i}", _("No occupation of the catalog has this code."))
                continue
            low, high = data.get(f"lowest_{i}"), data.get(f"highest_{i}")
            if not low or not high:
                self.add_error(f"highest_{i}" if low else f"lowest_{i}", _("Choose both levels."))
                continue
            levels = SkillLevel.objects.in_bulk([low, high])
            refusal = range_refusal(data.get("grade", ""), levels[low], levels[high])
            if refusal:  # at the row's field; the service checks again
                self.add_error(f"highest_{i}", refusal)
                continue
            ranges.append(OccupationRange(occupation, levels[low], levels[high]))
        data["occupations"] = ranges
        return data

    def person_input(self, initial=None) -> PersonInput:
        """The service's input; for an edit, the ID and province come from ``initial``."""
        d = self.cleaned_data
        base = initial or {}
        return PersonInput(
            real_name=d["real_name"],
            id_type=d.get("id_type", base.get("id_type", "")),
            id_number=d.get("id_number", base.get("id_number", "")),
            province=d.get("province", base.get("province")),
            qualification_number=d["qualification_number"],
            valid_from=d["valid_from"],
            valid_until=d["valid_until"],
            grade=d.get("grade", ""),
            username=(d.get("username") or "").strip(),
            document=d.get("document"),
            occupations=d.get("occupations", []),
        )

    def occupation_rows(self):
        """The occupation fields grouped by row, for the template."""
        return [
            (self[f"occupation_{i}"], self[f"lowest_{i}"], self[f"highest_{i}"])
            for i in range(1, OCCUPATION_ROWS + 1)
            if f"occupation_{i}" in self.fields
        ]

    def plain_fields(self):
        """The fields outside the occupation rows, in order."""
        rows = ("occupation_", "lowest_", "highest_")
        return [f for f in self.visible_fields() if not f.name.startswith(rows)]


def initial_of(record) -> dict:
    """The form's initial values for editing ``record``."""
    initial = {
        "real_name": record.real_name,
        "qualification_number": record.qualification_number,
        "valid_from": record.valid_from,
        "valid_until": record.valid_until,
        "grade": getattr(record, "grade", ""),
    }
    if record.kind == "examiner":
        for i, o in enumerate(record.occupations.select_related("occupation"), start=1):
            if i > OCCUPATION_ROWS:
                break
            initial[f"occupation_{i}"] = o.occupation.code
            initial[f"lowest_{i}"] = o.lowest_id
            initial[f"highest_{i}"] = o.highest_id
    return initial


class TrainingForm(Form):
    held_on = forms.DateField(label=_("Date of the training"), widget=DATE)
    hours = forms.DecimalField(
        label=_("Hours"), max_digits=5, decimal_places=1, min_value=0.5, max_value=500
    )
    organiser = forms.CharField(label=_("Organiser"), max_length=120)
    topic = forms.CharField(label=_("Topic"), max_length=200)
    certificate = forms.FileField(
        label=_("Training certificate (scan)"), required=False, help_text=UPLOAD_HELP
    )


class SuspendForm(Form):
    reason = forms.CharField(
        label=_("Reason for the suspension"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown to every agency that uses this person."),
    )


class RegistryFilter(Form):
    kind = forms.ChoiceField(
        label=_("Who"),
        choices=[("examiner", _("Examiners")), ("supervisor", _("Quality supervisors"))],
        required=False,
    )
    ending = forms.BooleanField(label=_("Validity ending within 30 days"), required=False)
