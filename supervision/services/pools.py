"""One list and two pools (Art 25, 26; 国办发〔2015〕58号 "一单两库"): the check-item list of a
jurisdiction, the inspector pool and the pool of external quality supervisors, and the
conflict tags that make a person stand aside when drawn for an agency.

Who acts: the officials of the jurisdiction (``provincial_official`` of the province,
``ministry_official`` for 000000) keep the check-item list and the inspector pool; the testing
centre (``osta_staff`` of the jurisdiction) keeps the external supervisors. Each pool is kept
by the authority of its own jurisdiction only; another jurisdiction's rows answer 404.

The two pools share one set of services, parametrised by a ``Pool`` (the models share the
abstract ``PoolMember``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal import access, audit, clock
from portal.models import Agency, AgencyStatus, User
from portal.refusals import Refusal, refuse
from portal.roles import AuthorityRole
from supervision.models import (
    CheckItem,
    CheckMethod,
    ConflictKind,
    ConflictTag,
    ExternalSupervisor,
    Inspector,
    PlanState,
)

ITEM_ACTION = "supervision.pools.items"


# --- The check-item list (Art 25) ----------------------------------------------------------


@dataclass(frozen=True)
class ItemInput:
    code: str
    title: str
    legal_basis: str
    method: str
    records: str


def _clean_item(data: ItemInput) -> dict[str, str]:
    values = {
        "code": (data.code or "").strip().upper(),
        "title": (data.title or "").strip(),
        "legal_basis": (data.legal_basis or "").strip(),
        "method": data.method,
        "records": (data.records or "").strip(),
    }
    errors = {}
    if not values["code"]:
        errors["code"] = _("Give the item's code, for example GD-01.")
    if not values["title"]:
        errors["title"] = _("Say what is checked.")
    if not values["legal_basis"]:
        errors["legal_basis"] = _("Name the legal basis (the rule and its article).")
    if values["method"] not in CheckMethod.values:
        errors["method"] = _("Choose document review or on-site inspection.")
    if not values["records"]:
        errors["records"] = _("Say what the inspector records.")
    if errors:
        raise ValidationError(errors)
    return values


def _code_taken(jurisdiction: str, code: str, exclude: int | None = None) -> bool:
    found = CheckItem.objects.filter(jurisdiction=jurisdiction, code=code)
    if exclude is not None:
        found = found.exclude(pk=exclude)
    return found.exists()


@transaction.atomic
def add_check_item(official: User, data: ItemInput) -> CheckItem:
    """Art 25 (抽查事项清单): an official of the jurisdiction adds an item to its list."""
    access.require(official, ITEM_ACTION)
    jurisdiction = official.jurisdiction
    values = _clean_item(data)
    if _code_taken(jurisdiction, values["code"]):
        raise ValidationError({"code": _("The list already has an item with this code.")})
    item = CheckItem(
        jurisdiction=jurisdiction, created_by=official, created_at=clock.now(), **values
    )
    item.full_clean(exclude=["created_by"])
    item.save()
    audit.record(official, "supervision.check_item.add", item, values, province=jurisdiction)
    return item


def sealed_plans_using(item: CheckItem) -> int:
    """How many plans past their draft use ``item`` (their published list must not change)."""
    return item.plans.exclude(state=PlanState.DRAFT).count()


def edit_item_refusal(item: CheckItem, actor) -> Refusal | None:
    if not access.can(actor, ITEM_ACTION, item):
        return Refusal(_("Only an official of the list's jurisdiction may change it."), "forbidden")
    if sealed_plans_using(item):
        return Refusal(
            _(
                "A sealed plan uses this item, so it stays as published; retire it and add a "
                "new item instead."
            ),
            "in_use",
        )
    return None


@transaction.atomic
def update_check_item(official: User, item: CheckItem, data: ItemInput) -> CheckItem:
    """Art 25: an official edits an item not yet used by a sealed plan."""
    item = CheckItem.objects.select_for_update().get(pk=item.pk)
    access.require(official, ITEM_ACTION, item)
    refuse(edit_item_refusal(item, official))
    values = _clean_item(data)
    if _code_taken(item.jurisdiction, values["code"], exclude=item.pk):
        raise ValidationError({"code": _("The list already has an item with this code.")})
    changes = {k: [getattr(item, k), v] for k, v in values.items() if getattr(item, k) != v}
    if not changes:
        return item
    for name, value in values.items():
        setattr(item, name, value)
    item.save(update_fields=list(changes))
    audit.record(official, "supervision.check_item.edit", item, changes, province=item.jurisdiction)
    return item


@transaction.atomic
def set_check_item_active(official: User, item: CheckItem, *, active: bool) -> CheckItem:
    """Art 25: an official retires an item (the row stays; plans that used it keep it) or
    puts a retired item back on the list."""
    item = CheckItem.objects.select_for_update().get(pk=item.pk)
    access.require(official, ITEM_ACTION, item)
    if item.active == active:
        refuse(Refusal(_("This item is already in use.") if active else _("This item is retired.")))
    item.active = active
    item.save(update_fields=["active"])
    audit.record(
        official,
        "supervision.check_item.reinstate" if active else "supervision.check_item.retire",
        item,
        {"active": [not active, active]},
        province=item.jurisdiction,
    )
    return item


# --- The two pools (Art 25 inspectors, Art 26 external supervisors) --------------------------


@dataclass(frozen=True)
class Pool:
    """What tells the inspector pool and the external supervisors' pool apart."""

    key: str  # "inspectors" | "supervisors"
    model: type
    group: str  # the authority group its users must be in
    action: str  # the access action of the keepers of the pool
    audit_name: str  # audit actions are "supervision.<audit_name>.<verb>"
    tag_field: str  # the ConflictTag field naming the entry
    title: object
    singular: object

    @property
    def entry_url(self) -> str:
        """The URL name of an entry's page (``supervision:inspector``)."""
        return f"supervision:{self.key[:-1]}"

    def url(self, suffix: str) -> str:
        return f"{self.entry_url}_{suffix}"

    @property
    def add_url(self) -> str:
        return self.url("add")

    @property
    def edit_url(self) -> str:
        return self.url("edit")

    @property
    def active_url(self) -> str:
        return self.url("active")

    @property
    def conflict_add_url(self) -> str:
        return self.url("conflict_add")

    @property
    def conflict_remove_url(self) -> str:
        return self.url("conflict_remove")

    @property
    def list_url(self) -> str:
        return f"supervision:{self.key}"


INSPECTORS = Pool(
    key="inspectors",
    model=Inspector,
    group=AuthorityRole.INSPECTOR,
    action="supervision.pools.inspectors",
    audit_name="inspector",
    tag_field="inspector",
    title=gettext_lazy("Inspector pool"),
    singular=gettext_lazy("inspector"),
)
SUPERVISORS = Pool(
    key="supervisors",
    model=ExternalSupervisor,
    group=AuthorityRole.EXPERT,
    action="supervision.pools.supervisors",
    audit_name="external_supervisor",
    tag_field="supervisor",
    title=gettext_lazy("External quality supervisors"),
    singular=gettext_lazy("external quality supervisor"),
)
POOLS = {p.key: p for p in (INSPECTORS, SUPERVISORS)}


@dataclass(frozen=True)
class MemberInput:
    organisation: str
    specialities: str = ""
    capacity: int = 5


def _clean_member(data: MemberInput) -> dict:
    organisation = (data.organisation or "").strip()
    if not organisation:
        raise ValidationError({"organisation": _("Give the person's organisation.")})
    capacity = int(data.capacity or 0)
    if capacity < 1 or capacity > 100:
        raise ValidationError({"capacity": _("Give a number from 1 to 100.")})
    return {
        "organisation": organisation,
        "specialities": (data.specialities or "").strip(),
        "capacity": capacity,
    }


def _member_user(pool: Pool, jurisdiction: str, username: str) -> User:
    """The account a new entry is for, or a field error saying why it cannot be."""
    user = User.objects.filter(username=(username or "").strip()).first()
    if user is None or not user.is_active:
        raise ValidationError({"username": _("No active account has this user name.")})
    if pool.group not in user.authority_roles():
        message = (
            _("This account is not in the inspector group; ask for the role to be given first.")
            if pool is INSPECTORS
            else _("This account is not in the expert group; ask for the role to be given first.")
        )
        raise ValidationError({"username": message})
    if user.jurisdiction != jurisdiction:
        raise ValidationError(
            {"username": _("This account belongs to another jurisdiction; its own pool keeps it.")}
        )
    if pool.model.objects.filter(user=user).exists():
        raise ValidationError({"username": _("This account is already in the pool.")})
    return user


@transaction.atomic
def add_member(official: User, pool: Pool, username: str, data: MemberInput):
    """Art 25 (执法检查人员名录库) / Art 26 (外部质量督导): the keeper of the pool of the
    jurisdiction adds an account of the right group and jurisdiction."""
    access.require(official, pool.action)
    jurisdiction = official.jurisdiction
    user = _member_user(pool, jurisdiction, username)
    values = _clean_member(data)
    entry = pool.model(user=user, jurisdiction=jurisdiction, created_at=clock.now(), **values)
    entry.full_clean(exclude=["user"])
    entry.save()
    action = (  # literal names, for the audit sentences (tests/portal/audit_scan.py)
        "supervision.inspector.add" if pool is INSPECTORS else "supervision.external_supervisor.add"
    )
    audit.record(
        official,
        action,
        entry,
        {"user": user.username, **values},
        province=jurisdiction,
    )
    return entry


def _lock(pool: Pool, entry):
    return pool.model.objects.select_for_update().select_related("user").get(pk=entry.pk)


@transaction.atomic
def update_member(official: User, pool: Pool, entry, data: MemberInput):
    """Art 25/26: the keeper of the pool edits an entry's organisation, specialities and how
    many objects one plan may send the person to."""
    entry = _lock(pool, entry)
    access.require(official, pool.action, entry)
    values = _clean_member(data)
    changes = {k: [getattr(entry, k), v] for k, v in values.items() if getattr(entry, k) != v}
    if not changes:
        return entry
    for name, value in values.items():
        setattr(entry, name, value)
    entry.save(update_fields=list(changes))
    action = (  # literal names, for the audit sentences (tests/portal/audit_scan.py)
        "supervision.inspector.edit"
        if pool is INSPECTORS
        else "supervision.external_supervisor.edit"
    )
    audit.record(
        official,
        action,
        entry,
        changes,
        province=entry.jurisdiction,
    )
    return entry


@transaction.atomic
def set_member_active(official: User, pool: Pool, entry, *, active: bool):
    """Art 25/26: the keeper deactivates an entry (no later plan draws the person; plans
    already drawn keep their assignments) or makes it active again."""
    entry = _lock(pool, entry)
    access.require(official, pool.action, entry)
    if entry.active == active:
        refuse(
            Refusal(_("This entry is already active.") if active else _("This entry is inactive."))
        )
    entry.active = active
    entry.save(update_fields=["active"])
    if pool is INSPECTORS:  # literal names, for the audit sentences (tests/portal/audit_scan.py)
        action = (
            "supervision.inspector.reactivate" if active else "supervision.inspector.deactivate"
        )
    else:
        action = (
            "supervision.external_supervisor.reactivate"
            if active
            else "supervision.external_supervisor.deactivate"
        )
    audit.record(
        official,
        action,
        entry,
        {"active": [not active, active]},
        province=entry.jurisdiction,
    )
    return entry


def find_agency(text: str) -> Agency | None:
    """An agency of the directory by its unified social credit code or its exact name."""
    text = (text or "").strip()
    if not text:
        return None
    found = Agency.objects.exclude(status=AgencyStatus.APPLICANT)
    return found.filter(uscc=text.upper()).first() or found.filter(name=text).order_by("pk").first()


@transaction.atomic
def add_conflict(official: User, pool: Pool, entry, *, agency: str, kind: str, note: str = ""):
    """Art 25/26 (回避): the keeper records that the person must stand aside when drawn for
    ``agency`` (former employer, worked for, declared relation, same organisation). The tag
    is never published; the sealed snapshot only lists the objects a pseudonym avoids."""
    entry = _lock(pool, entry)
    access.require(official, pool.action, entry)
    found = find_agency(agency)
    if found is None:
        raise ValidationError(
            {"agency": _("No agency of the directory has this unified social credit code or name.")}
        )
    if kind not in ConflictKind.values:
        raise ValidationError({"kind": _("Choose the kind of conflict.")})
    note = (note or "").strip()
    if len(note) > 200:
        raise ValidationError({"note": _("Keep the note under 200 characters.")})
    tags = ConflictTag.objects.filter(**{pool.tag_field: entry})
    if tags.filter(agency=found, kind=kind).exists():
        raise ValidationError({"agency": _("This conflict is already recorded.")})
    tag = ConflictTag.objects.create(
        **{pool.tag_field: entry},
        agency=found,
        kind=kind,
        note=note,
        recorded_at=clock.now(),
    )
    action = (  # literal names, for the audit sentences (tests/portal/audit_scan.py)
        "supervision.inspector.conflict_add"
        if pool is INSPECTORS
        else "supervision.external_supervisor.conflict_add"
    )
    audit.record(
        official,
        action,
        entry,
        {"agency": found.name, "kind": kind},
        province=entry.jurisdiction,
    )
    return tag


@transaction.atomic
def remove_conflict(official: User, pool: Pool, entry, tag: ConflictTag) -> None:
    """Art 25/26: the keeper removes a conflict tag recorded in error or no longer true."""
    entry = _lock(pool, entry)
    access.require(official, pool.action, entry)
    tag = ConflictTag.objects.select_for_update().filter(pk=tag.pk, **{pool.tag_field: entry})
    tag = tag.select_related("agency").first()
    if tag is None:
        refuse(Refusal(_("This conflict has already been removed.")))
    changes = {"agency": tag.agency.name, "kind": tag.kind}
    tag.delete()
    action = (  # literal names, for the audit sentences (tests/portal/audit_scan.py)
        "supervision.inspector.conflict_remove"
        if pool is INSPECTORS
        else "supervision.external_supervisor.conflict_remove"
    )
    audit.record(
        official,
        action,
        entry,
        changes,
        province=entry.jurisdiction,
    )
