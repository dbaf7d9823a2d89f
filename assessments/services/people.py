"""Examiners and quality supervisors (Art 19, 23): an agency adds, edits and retires the
people it uses, records their training; the testing centre suspends a qualification.

One record per person (found by the blind index of the ID number): adding a person already
on record adds the agency's own use of them (an ``Engagement``) and leaves the record as it
is; a suspension is on the record, so it takes effect in every agency at once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from assessments.models import (
    Engagement,
    Examiner,
    ExaminerOccupation,
    Grade,
    QualificationStatus,
    QualifiedPerson,
    QualitySupervisor,
    TrainingRecord,
)
from assessments.models.people import HIGHEST_RANK, LOWEST_RANK
from catalog.models import Occupation, SkillLevel
from portal import access, audit, clock, documents, pii
from portal.models import Agency, AgencyMembership, Audience, Province, User
from portal.refusals import Refusal, refuse
from portal.roles import AgencyRole

MODELS: dict[str, type[QualifiedPerson]] = {"examiner": Examiner, "supervisor": QualitySupervisor}
ROLE_OF = {"examiner": AgencyRole.EXAMINER, "supervisor": AgencyRole.QUALITY_SUPERVISOR}
SOON_DAYS = 30


@dataclass
class OccupationRange:
    occupation: Occupation
    lowest: SkillLevel
    highest: SkillLevel


@dataclass
class PersonInput:
    """What the agency states about a person (the form's cleaned data, by name)."""

    real_name: str
    id_type: str
    id_number: str
    province: Province
    qualification_number: str
    valid_from: dt.date
    valid_until: dt.date
    grade: str = ""
    username: str = ""
    document: object = None  # an uploaded file
    occupations: list[OccupationRange] = field(default_factory=list)


# --- Reads every stage uses ----------------------------------------------------------------


def find_person(kind: str, id_type: str, number: str) -> QualifiedPerson | None:
    """The one record of this ID (under any index key), or None."""
    candidates = pii.index_candidates(id_type, number)
    return MODELS[kind].objects.filter(id_index__in=candidates).first() if candidates else None


def range_refusal(grade: str, lowest: SkillLevel, highest: SkillLevel) -> str | None:
    """考评员 assess levels 5 to 3 (三级), 高级考评员 all five levels (Art 19)."""
    if lowest.rank > highest.rank:
        return Refusal(_("The lowest level must not be above the highest."), "range_order")
    if lowest.rank < LOWEST_RANK or highest.rank > HIGHEST_RANK.get(grade, 0):
        if grade == Grade.EXAMINER:
            return Refusal(
                _("An assessor assesses levels 5 to 3 only; 2 and 1 need a senior assessor."),
                "range_grade",
            )
        return Refusal(_("Choose levels from 5 (初级工) to 1 (高级技师)."), "range_grade")
    return None


def serving_refusal(
    person: QualifiedPerson,
    *,
    on: dt.date | None = None,
    occupation: Occupation | None = None,
    level: SkillLevel | None = None,
) -> str | None:
    """Why ``person`` may not serve in an assessment on ``on`` (None: they may). Part 2 asks
    this before assigning an examiner or supervisor to a session."""
    on = on or clock.today()
    if person.is_suspended:
        return Refusal(
            _("The qualification is suspended: %(reason)s") % {"reason": person.suspension_reason},
            "suspended",
        )
    if not person.valid_from <= on <= person.valid_until:
        return Refusal(_("The qualification is not valid on that date."), "not_valid")
    if occupation is not None and isinstance(person, Examiner):
        covered = person.occupations.filter(
            occupation=occupation,
            lowest__rank__lte=level.rank if level else 99,
            highest__rank__gte=level.rank if level else 0,
        ).exists()
        if not covered:
            return Refusal(
                _("The qualification does not cover this occupation and level."), "not_covered"
            )
    return None


def ending_soon(queryset, *, days: int = SOON_DAYS):
    """Records in force whose qualification ends within ``days`` (ended ones too)."""
    return queryset.filter(
        status=QualificationStatus.ACTIVE, valid_until__lte=clock.today() + dt.timedelta(days=days)
    )


# --- The agency's people ---------------------------------------------------------------------


def _validate(kind: str, data: PersonInput, *, new: bool) -> None:
    errors: dict[str, list[str]] = {}
    if not data.real_name.strip():
        errors["real_name"] = [_("Enter the person's real name.")]
    if new:
        try:
            pii.validate(data.id_type, data.id_number)
        except ValidationError as exc:
            errors["id_number"] = exc.messages
    if data.valid_until <= data.valid_from:
        errors["valid_until"] = [_("The end of the validity must come after its start.")]
    elif data.valid_until < clock.today():
        errors["valid_until"] = [_("This qualification has already ended.")]
    if kind == "examiner":
        if data.grade not in Grade.values:
            errors["grade"] = [_("Choose the grade.")]
        elif not data.occupations:
            errors["occupations"] = [_("List at least one occupation with its levels.")]
        seen = set()
        for item in data.occupations:
            refusal = range_refusal(data.grade, item.lowest, item.highest)
            if refusal:
                errors.setdefault("occupations", []).append(f"{item.occupation.name}：{refusal}")
            if item.occupation.pk in seen:
                errors.setdefault("occupations", []).append(
                    _("%(name)s is listed twice.") % {"name": item.occupation.name}
                )
            seen.add(item.occupation.pk)
    if errors:
        raise ValidationError(errors)


def _account(agency: Agency, kind: str, username: str) -> User | None:
    if not username:
        return None
    membership = (
        AgencyMembership.objects.filter(
            agency=agency, user__username=username, user__is_active=True, role=ROLE_OF[kind]
        )
        .select_related("user")
        .first()
    )
    if membership is None:
        raise ValidationError(
            {
                "username": _("No member of this agency with that username has the role %(role)s.")
                % {"role": AgencyRole(ROLE_OF[kind]).label}
            }
        )
    return membership.user


def _store(actor, upload, record: QualifiedPerson, agency: Agency, title: str, kind: str):
    if upload is None:
        return None
    return documents.store_document(
        actor,
        upload,
        title=title,
        kind=kind,
        owner_agency=agency,
        owner_jurisdiction=record.province_id,
        subject=record,
    )


def _set_occupations(record: Examiner, items: list[OccupationRange]) -> None:
    record.occupations.all().delete()
    ExaminerOccupation.objects.bulk_create(
        ExaminerOccupation(
            examiner=record, occupation=i.occupation, lowest=i.lowest, highest=i.highest
        )
        for i in items
    )


def _ranges(items: list[OccupationRange]) -> list[str]:
    return [f"{i.occupation.code} {i.lowest.code}-{i.highest.code}" for i in items]


def _engagement_kw(record: QualifiedPerson) -> dict:
    return {"examiner": record} if isinstance(record, Examiner) else {"supervisor": record}


@transaction.atomic
def add_person(actor, agency: Agency, kind: str, data: PersonInput) -> tuple[Engagement, bool]:
    """The agency adds an examiner or supervisor it uses (Art 19).

    A person already on record (same ID, any agency) is not recorded twice: the agency's own
    use of the record is added (or taken up again after a retirement) and the record stays
    as it is. Returns ``(engagement, created)`` with ``created`` True for a new record."""
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    access.require(actor, "assessments.people.manage", agency)
    model = MODELS[kind]
    _validate(kind, data, new=True)
    existing = find_person(kind, data.id_type, data.id_number)
    if existing is not None:
        existing = model.objects.select_for_update().get(pk=existing.pk)
        if existing.real_name != data.real_name.strip():
            raise ValidationError(
                {"real_name": _("This ID number is on record under another name.")}
            )
        engagement = Engagement.objects.filter(agency=agency, **_engagement_kw(existing)).first()
        if engagement is not None and not engagement.is_retired:
            raise ValidationError({"id_number": _("This person is already in the agency's list.")})
        if engagement is None:
            engagement = Engagement(agency=agency, added_by=actor, **_engagement_kw(existing))
        engagement.started_on, engagement.retired_on = clock.today(), None
        engagement.added_by = actor
        engagement.save()
        audit.record(
            actor,
            ("assessments.examiner.join" if kind == "examiner" else "assessments.supervisor.join"),
            existing,
            {"agency": [None, agency.name], "real_name": [None, existing.real_name]},
            agency=agency,
            audience=Audience.AGENCY,
        )
        return engagement, False
    user = _account(agency, kind, data.username)
    derived = pii.derive(data.id_type, data.id_number)
    record = model(
        user=user,
        real_name=data.real_name.strip(),
        id_type=data.id_type,
        id_number=data.id_number,
        gender=derived.gender if derived else "",
        birth_date=derived.birth_date if derived else None,
        province=data.province,
        qualification_number=data.qualification_number.strip(),
        valid_from=data.valid_from,
        valid_until=data.valid_until,
    )
    if kind == "examiner":
        record.grade = data.grade
    if user is not None and model.objects.filter(user=user).exists():
        raise ValidationError({"username": _("This account already belongs to another record.")})
    record.full_clean(exclude=["id_index", "qualification_document"])
    record.save(force_insert=True)
    if kind == "examiner":
        _set_occupations(record, data.occupations)
    doc = _store(actor, data.document, record, agency, record.qualification_number, "qualification")
    if doc is not None:
        record.qualification_document = doc
        record.save(update_fields=["qualification_document"])
    engagement = Engagement.objects.create(
        agency=agency, started_on=clock.today(), added_by=actor, **_engagement_kw(record)
    )
    audit.record(
        actor,
        ("assessments.examiner.add" if kind == "examiner" else "assessments.supervisor.add"),
        record,
        {
            "real_name": [None, record.real_name],
            "grade": [None, getattr(record, "grade", "")],
            "valid_until": [None, record.valid_until],
            "occupations": [None, _ranges(data.occupations)],
        },
        agency=agency,
        audience=Audience.AGENCY,
    )
    return engagement, True


def edit_refusal(engagement: Engagement, actor=None) -> str | None:
    if engagement.is_retired:
        return Refusal(_("This person is retired here; add them again first."), "retired")
    return None


@transaction.atomic
def edit_person(actor, engagement: Engagement, data: PersonInput) -> QualifiedPerson:
    """An agency using the person corrects the qualification (grade, validity, occupations,
    certificate). The ID number is never changed: a wrong one means a new record."""
    engagement = Engagement.objects.select_for_update().get(pk=engagement.pk)
    access.require(actor, "assessments.people.manage", engagement)
    refuse(edit_refusal(engagement, actor))
    record = engagement.person
    kind = record.kind
    record = type(record).objects.select_for_update().get(pk=record.pk)
    _validate(kind, data, new=False)
    before = {
        "real_name": record.real_name,
        "qualification_number": record.qualification_number,
        "valid_from": record.valid_from,
        "valid_until": record.valid_until,
        "grade": getattr(record, "grade", ""),
    }
    record.real_name = data.real_name.strip()
    record.qualification_number = data.qualification_number.strip()
    record.valid_from, record.valid_until = data.valid_from, data.valid_until
    fields = ["real_name", "qualification_number", "valid_from", "valid_until"]
    if kind == "examiner":
        old_ranges = [
            f"{o.occupation.code} {o.lowest_id}-{o.highest_id}"
            for o in record.occupations.select_related("occupation")
        ]
        record.grade = data.grade
        fields.append("grade")
        _set_occupations(record, data.occupations)
    doc = _store(
        actor,
        data.document,
        record,
        engagement.agency,
        record.qualification_number,
        "qualification",
    )
    if doc is not None:
        record.qualification_document = doc
        fields.append("qualification_document")
    record.save(update_fields=fields)
    changes = {k: [v, getattr(record, k)] for k, v in before.items() if v != getattr(record, k)}
    if kind == "examiner" and old_ranges != _ranges(data.occupations):
        changes["occupations"] = [old_ranges, _ranges(data.occupations)]
    if doc is not None:
        changes["qualification_document"] = [None, doc.pk]
    audit.record(
        actor,
        ("assessments.examiner.edit" if kind == "examiner" else "assessments.supervisor.edit"),
        record,
        changes,
        agency=engagement.agency,
        audience=Audience.AGENCY,
    )
    return record


@transaction.atomic
def add_training(
    actor,
    engagement: Engagement,
    *,
    held_on: dt.date,
    hours: Decimal,
    organiser: str,
    topic: str,
    certificate=None,
) -> TrainingRecord:
    """Record a training the person took (Art 23: the agency trains its examiners and
    supervisors and keeps the record)."""
    engagement = Engagement.objects.select_for_update().get(pk=engagement.pk)
    access.require(actor, "assessments.people.manage", engagement)
    refuse(edit_refusal(engagement, actor))
    errors = {}
    if held_on > clock.today():
        errors["held_on"] = [_("The training cannot be in the future.")]
    if not Decimal("0.5") <= hours <= Decimal("500"):
        errors["hours"] = [_("Enter between 0.5 and 500 hours.")]
    if not organiser.strip():
        errors["organiser"] = [_("Enter who organised the training.")]
    if not topic.strip():
        errors["topic"] = [_("Enter what the training was about.")]
    if errors:
        raise ValidationError(errors)
    record = engagement.person
    doc = _store(actor, certificate, record, engagement.agency, topic.strip(), "training")
    training = TrainingRecord.objects.create(
        agency=engagement.agency,
        held_on=held_on,
        hours=hours,
        organiser=organiser.strip(),
        topic=topic.strip(),
        certificate=doc,
        recorded_by=actor,
        **_engagement_kw(record),
    )
    audit.record(
        actor,
        (
            "assessments.examiner.training"
            if record.kind == "examiner"
            else "assessments.supervisor.training"
        ),
        record,
        {
            "held_on": [None, held_on],
            "hours": [None, str(hours)],
            "organiser": [None, training.organiser],
            "topic": [None, training.topic],
        },
        agency=engagement.agency,
        audience=Audience.AGENCY,
    )
    return training


def retirement_refusal(engagement: Engagement, actor=None) -> str | None:
    if engagement.is_retired:
        return Refusal(_("This person is already retired here."), "retired")
    return None


@transaction.atomic
def retire(actor, engagement: Engagement) -> Engagement:
    """The agency stops using the person; the record and its history stay (other agencies
    keep their own use)."""
    engagement = Engagement.objects.select_for_update().get(pk=engagement.pk)
    access.require(actor, "assessments.people.manage", engagement)
    refuse(retirement_refusal(engagement, actor))
    engagement.retired_on = clock.today()
    engagement.save(update_fields=["retired_on"])
    record = engagement.person
    audit.record(
        actor,
        (
            "assessments.examiner.retire"
            if record.kind == "examiner"
            else "assessments.supervisor.retire"
        ),
        record,
        {"agency": [engagement.agency.name, None], "retired_on": [None, engagement.retired_on]},
        agency=engagement.agency,
        audience=Audience.AGENCY,
    )
    return engagement


# --- The testing centre's registry -----------------------------------------------------------


def suspension_refusal(record: QualifiedPerson, actor=None) -> str | None:
    if record.is_suspended:
        return Refusal(_("The qualification is already suspended."), "suspended")
    return None


@transaction.atomic
def suspend(actor, record: QualifiedPerson, *, reason: str) -> QualifiedPerson:
    """The testing centre suspends a qualification with a reason; being on the one record of
    the person, it takes effect in every agency at once (Art 19, 23)."""
    record = type(record).objects.select_for_update().get(pk=record.pk)
    access.require(actor, "assessments.people.suspend", record)
    refuse(suspension_refusal(record, actor))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the suspension.")})
    record.status = QualificationStatus.SUSPENDED
    record.suspension_reason = reason.strip()
    record.suspended_at, record.suspended_by = clock.now(), actor
    record.save(update_fields=["status", "suspension_reason", "suspended_at", "suspended_by"])
    audit.record(
        actor,
        (
            "assessments.examiner.suspend"
            if record.kind == "examiner"
            else "assessments.supervisor.suspend"
        ),
        record,
        {"status": [QualificationStatus.ACTIVE, record.status], "reason": [None, reason.strip()]},
        province=record.province_id,
    )
    return record


def reinstatement_refusal(record: QualifiedPerson, actor=None) -> str | None:
    if not record.is_suspended:
        return Refusal(_("The qualification is not suspended."), "not_suspended")
    return None


@transaction.atomic
def reinstate(actor, record: QualifiedPerson) -> QualifiedPerson:
    """The testing centre lifts its suspension."""
    record = type(record).objects.select_for_update().get(pk=record.pk)
    access.require(actor, "assessments.people.suspend", record)
    refuse(reinstatement_refusal(record, actor))
    old_reason = record.suspension_reason
    record.status = QualificationStatus.ACTIVE
    record.suspension_reason, record.suspended_at, record.suspended_by = "", None, None
    record.save(update_fields=["status", "suspension_reason", "suspended_at", "suspended_by"])
    audit.record(
        actor,
        (
            "assessments.examiner.reinstate"
            if record.kind == "examiner"
            else "assessments.supervisor.reinstate"
        ),
        record,
        {"status": [QualificationStatus.SUSPENDED, record.status], "reason": [old_reason, None]},
        province=record.province_id,
    )
    return record
