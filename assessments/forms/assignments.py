"""Forms of assignment (Art 19): whom the agency puts where, the rounds of a skill sitting, the
reason for taking someone off, and the assigned person's declaration of conflicts. Forms
parse; ``assessments.services.assignments`` decides and the views put refusals at the fields."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.models import AssignmentKind, ConflictKind, Engagement
from assessments.services.assignments import DECLARABLE, kind_for
from portal.forms import Form

SESSION_WIDE = "session"


def _place_label(sitting) -> str:
    return (
        f"{sitting.method_label} · {sitting.date:%Y-%m-%d} "
        f"{sitting.starts_at:%H:%M}–{sitting.ends_at:%H:%M} · {sitting.room.name} · "
        f"{AssignmentKind(kind_for(sitting)).label}"
    )


class AssignForm(Form):
    place = forms.ChoiceField(label=_("Where"))
    person = forms.ChoiceField(label=_("Person"))
    is_leader = forms.BooleanField(
        label=_("Group leader (考评组长)"),
        required=False,
        help_text=_("One of the examiners or reviewers of each scoring sitting."),
    )

    def __init__(self, *args, session, sittings, **kwargs):
        super().__init__(*args, **kwargs)
        self.sittings = {str(s.pk): s for s in sittings}
        self.session = session
        self.fields["place"].choices = [
            ("", _("(choose)")),
            *[(pk, _place_label(s)) for pk, s in self.sittings.items()],
            (SESSION_WIDE, _("Internal quality supervisor (whole session)")),
        ]
        engaged = (
            Engagement.objects.filter(agency=session.agency, retired_on__isnull=True)
            .select_related("examiner", "supervisor")
            .order_by("examiner__real_name", "supervisor__real_name")
        )
        self.people = {}
        choices = [("", _("(choose)"))]
        for engagement in engaged:
            person = engagement.person
            key = f"{person.kind[0]}{person.pk}"
            self.people[key] = person
            label = (
                f"{person.real_name} · {person.get_grade_display()}"
                if person.kind == "examiner"
                else f"{person.real_name} · {_('quality supervisor')}"
            )
            choices.append((key, label))
        self.fields["person"].choices = choices

    def target(self):
        place = self.cleaned_data["place"]
        if place == SESSION_WIDE:
            return self.session, AssignmentKind.SUPERVISOR
        sitting = self.sittings[place]
        return sitting, kind_for(sitting)

    def service_args(self) -> dict:
        target, kind = self.target()
        return {
            "target": target,
            "kind": kind,
            "person": self.people[self.cleaned_data["person"]],
            "is_leader": self.cleaned_data["is_leader"],
        }


class RoundsForm(Form):
    rounds = forms.IntegerField(
        label=_("Rounds"),
        min_value=1,
        max_value=100,
        help_text=_(
            "Candidates examined one group after another: the examiners needed are those of one "
            "round."
        ),
    )


class RemovalForm(Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The person sees it on their assignments page."),
    )


class DeclarationForm(Form):
    """The person's employer, one choice per candidate, and standing aside."""

    employer_name = forms.CharField(label=_("Your employer"), max_length=120)
    employer_uscc = forms.CharField(
        label=_("Your employer's unified social credit code"),
        max_length=18,
        help_text=_(
            "Candidates of the same employer are taken off your list, unless the employer is "
            "the agency itself (Art 16)."
        ),
    )
    stand_aside = forms.BooleanField(
        label=_("I stand aside from the whole sitting"),
        required=False,
    )
    reason = forms.CharField(
        label=_("Why you stand aside"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = list(candidates)
        choices = [("", _("No conflict")), *[(k.value, k.label) for k in DECLARABLE]]
        for enrolment in self.candidates:
            self.fields[f"kind_{enrolment.pk}"] = forms.ChoiceField(
                label=enrolment.real_name, choices=choices, required=False
            )
            self.fields[f"note_{enrolment.pk}"] = forms.CharField(
                label=_("Note"),
                max_length=300,
                required=False,
                widget=forms.TextInput(
                    attrs={"placeholder": _("Note (needed for another interest)")}
                ),
            )

    def rows(self):
        for enrolment in self.candidates:
            yield enrolment, self[f"kind_{enrolment.pk}"], self[f"note_{enrolment.pk}"]

    def service_args(self) -> dict:
        data = self.cleaned_data
        conflicts = {}
        for enrolment in self.candidates:
            kind = data.get(f"kind_{enrolment.pk}")
            if kind:
                conflicts[enrolment.pk] = (kind, data.get(f"note_{enrolment.pk}", ""))
        return {
            "employer_name": data["employer_name"],
            "employer_uscc": data["employer_uscc"],
            "conflicts": conflicts,
            "stand_aside": data["stand_aside"],
            "reason": data.get("reason", ""),
        }


CONFLICT_LABELS = dict(ConflictKind.choices)
