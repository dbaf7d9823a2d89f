"""Keeping the occupation catalogue (Art 6): occupations and work types, withdrawn, never
deleted."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from catalog.models import Occupation, OccupationSource, OccupationStatus, WorkType
from portal import access, audit, codes
from portal.roles import NATIONAL

OCCUPATION_FIELDS = (
    "name",
    "major_category_id",
    "is_digital",
    "is_green",
    "is_skill",
    "source",
    "work_type_count",
)


def _skill_flag(major_category_id: str, requested: bool | None) -> bool:
    # Professional-technical occupations (category 2) are never skill occupations (Art 6).
    if major_category_id == "2":
        return False
    return True if requested is None else requested


@transaction.atomic
def create_occupation(
    actor,
    *,
    code: str,
    name: str,
    major_category_id: str,
    is_digital=False,
    is_green=False,
    is_skill: bool | None = None,
    source: str = OccupationSource.PUBLISHED_LATER,
    work_type_count=None,
) -> Occupation:
    """Add an occupation published or filed after the 2022 classification (Art 6)."""
    access.require(actor, "catalog.occupation.manage")
    occupation = Occupation(
        code=codes.normalize_occupation_code(code),
        name=name.strip(),
        major_category_id=major_category_id,
        is_digital=is_digital,
        is_green=is_green,
        is_skill=_skill_flag(major_category_id, is_skill),
        source=source,
        work_type_count=work_type_count,
    )
    occupation.full_clean()
    occupation.save()
    audit.record(
        actor,
        "catalog.occupation.create",
        occupation,
        {f: [None, getattr(occupation, f)] for f in ("code",) + OCCUPATION_FIELDS},
        province=NATIONAL,
    )
    return occupation


@transaction.atomic
def update_occupation(actor, occupation: Occupation, **fields) -> Occupation:
    access.require(actor, "catalog.occupation.manage")
    occupation = Occupation.objects.select_for_update().get(pk=occupation.pk)
    before = audit.snapshot(occupation, OCCUPATION_FIELDS)
    for name, value in fields.items():
        if name not in OCCUPATION_FIELDS:
            raise ValueError(f"unknown occupation field {name}")
        setattr(occupation, name, value.strip() if isinstance(value, str) else value)
    occupation.is_skill = _skill_flag(occupation.major_category_id, occupation.is_skill)
    occupation.full_clean()
    occupation.save(update_fields=[*fields, "is_skill", "updated_at"])
    changes = audit.diff(before, occupation, OCCUPATION_FIELDS)
    if changes:
        audit.record(actor, "catalog.occupation.change", occupation, changes, province=NATIONAL)
    return occupation


@transaction.atomic
def set_occupation_status(
    actor, occupation: Occupation, status: str, reason: str = ""
) -> Occupation:
    """Withdraw an occupation from (or restore it to) the catalogue; never deleted."""
    access.require(actor, "catalog.occupation.manage")
    occupation = Occupation.objects.select_for_update().get(pk=occupation.pk)
    if status not in OccupationStatus.values or occupation.status == status:
        raise ValidationError(_("The occupation is already in that state."), code="wrong_state")
    if status == OccupationStatus.WITHDRAWN and not reason.strip():
        raise ValidationError({"reason": _("Give the reason for withdrawing.")})
    old = occupation.status
    occupation.status = status
    occupation.save(update_fields=["status", "updated_at"])
    audit.record(
        actor,
        "catalog.occupation.withdraw"
        if status == OccupationStatus.WITHDRAWN
        else "catalog.occupation.restore",
        occupation,
        {"status": [old, status], "reason": [None, reason.strip() or None]},
        province=NATIONAL,
    )
    return occupation


@transaction.atomic
def add_work_type(
    actor, occupation: Occupation, *, name: str, code: str = "", is_demo: bool = False
) -> WorkType:
    access.require(actor, "catalog.occupation.manage")
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Enter the work type's name.")})
    if WorkType.objects.filter(occupation=occupation, name=name).exists():
        raise ValidationError({"name": _("This occupation already has a work type of that name.")})
    work_type = WorkType.objects.create(
        occupation=occupation, name=name, code=code.strip(), is_demo=is_demo
    )
    audit.record(
        actor,
        "catalog.work_type.create",
        work_type,
        {"occupation": [None, occupation.code], "name": [None, name]},
        province=NATIONAL,
    )
    return work_type


@transaction.atomic
def set_work_type_status(actor, work_type: WorkType, status: str) -> WorkType:
    access.require(actor, "catalog.occupation.manage")
    work_type = WorkType.objects.select_for_update().get(pk=work_type.pk)
    if status not in OccupationStatus.values or work_type.status == status:
        raise ValidationError(_("The work type is already in that state."), code="wrong_state")
    old, work_type.status = work_type.status, status
    work_type.save(update_fields=["status"])
    audit.record(
        actor, "catalog.work_type.status", work_type, {"status": [old, status]}, province=NATIONAL
    )
    return work_type
