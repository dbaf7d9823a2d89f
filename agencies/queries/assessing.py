"""What assessments ask of agencies (Art 15, 16, 22, 27): may this agency assess this
occupation (work type) and level on that date, whom may it assess, and is a worker its own
staff. Assessments call these and never read ``ScopeItem`` or ``DirectoryEntry`` itself."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils.translation import gettext as _

from agencies.models import AffiliatedEmployer, AffiliateStatus, DirectoryEntry, ScopeItem
from agencies.services import assessment_refusal
from portal import clock
from portal.models import Agency, AgencyKind


def scope_refusal(agency: Agency, occupation, work_type, level, *, on: dt.date) -> str | None:
    """Why ``agency`` may not assess ``occupation`` (``work_type``) at ``level`` on ``on``, or
    None when its approved scope covers it (Art 15, 22, 27).

    First the agency itself (listed, not suspended, within its filing term on that date: the
    check of ``require_can_assess``), then the approved scope: an item for the occupation, a
    work type it covers (an item without a work type covers the whole occupation), the level.
    """
    refusal = assessment_refusal(agency, on=on)
    if refusal:
        return refusal
    items = list(
        ScopeItem.objects.filter(entry__agency=agency, occupation=occupation).prefetch_related(
            "levels"
        )
    )
    if not items:
        return _("The occupation %(occupation)s is not in the agency's approved scope.") % {
            "occupation": occupation
        }
    work_type_id = getattr(work_type, "pk", work_type)
    covering = [i for i in items if i.work_type_id is None or i.work_type_id == work_type_id]
    if not covering:
        if work_type is None:
            return _(
                "The agency's approved scope covers only some work types of this occupation: "
                "choose one of them."
            )
        return _("The work type %(work_type)s is not in the agency's approved scope.") % {
            "work_type": work_type
        }
    level_id = getattr(level, "pk", level)
    if not any(lv.pk == level_id for item in covering for lv in item.levels.all()):
        return _("The level %(level)s is not in the agency's approved scope.") % {
            "level": getattr(level, "display", level)
        }
    return None


def may_serve_others(agency: Agency) -> bool:
    """Whether the agency may assess people who are not its own staff (Art 16).

    A social training-and-evaluation organisation assesses anyone; an employer assesses its
    own staff (dispatched staff and confirmed affiliated employers included) unless its listing
    lets it serve other employers and the public.
    """
    if agency.kind == AgencyKind.SOCIAL_ORG:
        return True
    return DirectoryEntry.objects.filter(agency=agency, may_serve_others=True).exists()


def is_own_staff(agency: Agency, usccs: Iterable[str], *, on: dt.date | None = None) -> bool:
    """Whether one of ``usccs`` (the employer of a worker, or for dispatched staff the unit
    where the person works) is the agency itself or an affiliated employer its filing
    authority confirmed and that was not withdrawn by ``on`` (Art 16)."""
    wanted = {u.strip().upper() for u in usccs if u and u.strip()}
    if not wanted:
        return False
    if agency.uscc.upper() in wanted:
        return True
    on = on or clock.today()
    return AffiliatedEmployer.objects.filter(
        agency=agency,
        uscc__in=wanted,
        status=AffiliateStatus.CONFIRMED,
        decided_at__date__lte=on,
    ).exists()
