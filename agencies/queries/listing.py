"""Reads of the listing (Art 15, 20, 22): the public directory and its entries, the approved
scope as people read it, and the sites awaiting their serial."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Prefetch, Q, QuerySet

from agencies.models import DirectoryEntry, ScopeItem
from agencies.services import current_rules
from catalog.models import Occupation, SkillLevel, WorkType
from portal.models import AgencyKind, AgencySite, AgencyStatus, jurisdiction_label

# Suspended and lapsed agencies stay in the directory, marked; removed ones leave it.
DIRECTORY_STATUSES = (AgencyStatus.LISTED, AgencyStatus.SUSPENDED, AgencyStatus.LAPSED)


# --- The scope as text ---------------------------------------------------------------------


def levels_text(levels: Iterable[SkillLevel], empty: str = "") -> str:
    """Levels highest first, as 「高级技师、技师」: how every page writes a scope's levels."""
    return "、".join(lv.display for lv in sorted(levels, key=lambda lv: -lv.rank)) or empty


def approved_scope(entry: DirectoryEntry | None) -> list[ScopeItem]:
    """The entry's approved scope with its basis, each item carrying ``level_text``."""
    if entry is None:
        return []
    items = list(
        entry.scope.select_related("occupation", "work_type", "standard", "spec").prefetch_related(
            "levels"
        )
    )
    for item in items:
        item.level_text = levels_text(item.levels.all())
    return items


class ScopeNames:
    """Names of the occupations, work types and levels of scope snapshots (the ``scope`` lists
    of a change request: ``{"occupation": code, "work_type": pk, "levels": [pk]}``)."""

    def __init__(self, *scopes: list[dict]) -> None:
        rows = [s for scope in scopes for s in scope]
        self.occupations = dict(
            Occupation.objects.filter(code__in={s["occupation"] for s in rows}).values_list(
                "code", "name"
            )
        )
        self.work_types = dict(
            WorkType.objects.filter(
                pk__in=[s["work_type"] for s in rows if s["work_type"]]
            ).values_list("pk", "name")
        )
        self.levels = {lv.pk: lv for lv in SkillLevel.objects.all()}

    def occupation(self, code: str) -> str:
        return f"{code} {self.occupations.get(code, '')}"

    def work_type(self, pk) -> str:
        return self.work_types.get(pk, "")

    def levels_text(self, pks: Iterable[int], empty: str = "") -> str:
        return levels_text([self.levels[p] for p in pks if p in self.levels], empty)

    def line(self, s: dict) -> str:
        """「6-31-01-03 电工（work type）：高级工、中级工」"""
        label = self.occupation(s["occupation"])
        if s["work_type"]:
            label += f"（{self.work_type(s['work_type'])}）"
        return f"{label}：{self.levels_text(s['levels'])}"


# --- The directory ---------------------------------------------------------------------------


def directory(
    *, q: str = "", province: str = "", kind: str = "", occupation: str = "", level: str = ""
) -> QuerySet[DirectoryEntry]:
    """The public directory (Art 15, 22): listed agencies, and suspended or lapsed ones marked."""
    entries = DirectoryEntry.objects.filter(agency__status__in=DIRECTORY_STATUSES).select_related(
        "agency"
    )
    if q:
        entries = entries.filter(agency__name__contains=q.strip()[:40])
    if province:
        entries = entries.filter(
            Q(filing_jurisdiction=province) | Q(agency__sites__province=province)
        )
    if kind in AgencyKind.values:
        entries = entries.filter(agency__kind=kind)
    if occupation:
        entries = entries.filter(
            Q(scope__occupation__code__startswith=occupation)
            | Q(scope__occupation__name__contains=occupation)
        )
    if level:
        entries = entries.filter(scope__levels=level)
    return entries.distinct().order_by("agency__name")


def directory_search(filters: dict) -> QuerySet[DirectoryEntry]:
    """The directory filtered as the search form asks, with the occupations of each entry."""
    return directory(**{k: v or "" for k, v in filters.items()}).prefetch_related(
        Prefetch("scope", queryset=ScopeItem.objects.select_related("occupation"))
    )


def directory_entries() -> QuerySet[DirectoryEntry]:
    """Entries of the directory, for loading the one a public page shows."""
    return directory().select_related("agency__registered_province")


def directory_entry_page(entry: DirectoryEntry) -> dict:
    return {
        "entry": entry,
        "agency": entry.agency,
        "scope": approved_scope(entry),
        "sites": entry.agency.sites.select_related("province").order_by("province", "name"),
        "published_rules": current_rules(entry.agency),
        "filing_authority": jurisdiction_label(entry.filing_jurisdiction),
    }


# --- Who may assess an occupation (the catalogue's occupation page) ---------------------------


def agencies_for_occupation(occupation: Occupation) -> list[dict]:
    """Listed agencies whose approved scope covers ``occupation``, grouped by the region of the
    filing authority (nationwide first, then provinces by code), each with its levels.

    Two queries: the scope items with their agency, and their levels. Suspended, lapsed and
    removed agencies are left out: they may not assess now (Art 27, 28)."""
    items = list(
        ScopeItem.objects.filter(occupation=occupation, entry__agency__status=AgencyStatus.LISTED)
        .select_related("entry__agency", "work_type")
        .prefetch_related("levels")
        .order_by("entry__filing_jurisdiction", "entry__agency__name", "work_type__name")
    )
    groups: dict[str, dict] = {}
    for item in items:
        entry = item.entry
        group = groups.setdefault(
            entry.filing_jurisdiction,
            {"region": jurisdiction_label(entry.filing_jurisdiction), "rows": []},
        )
        group["rows"].append(
            {
                "agency": entry.agency,
                "work_type": item.work_type.name if item.work_type_id else "",
                "levels": levels_text(item.levels.all()),
                "level_codes": sorted(lv.code for lv in item.levels.all()),
                "valid_until": entry.valid_until,
            }
        )
    return list(groups.values())


# --- Site serials (Art 20) -------------------------------------------------------------------


def sites_awaiting_serial(user) -> QuerySet[AgencySite]:
    """Sites in the official's province whose agency is listed and that have no serial yet."""
    if not user.jurisdiction or user.jurisdiction == "000000":
        return AgencySite.objects.none()
    return AgencySite.objects.filter(
        province_id=user.jurisdiction, site_serial="", agency__status=AgencyStatus.LISTED
    ).select_related("agency")


def recent_serials(user) -> QuerySet[AgencySite]:
    """The ten highest serials in use in the official's province."""
    return (
        AgencySite.objects.filter(province_id=user.jurisdiction)
        .exclude(site_serial="")
        .select_related("agency")
        .order_by("-site_serial")[:10]
    )
