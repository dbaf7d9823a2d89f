"""Publication of spot-check results (一公开, Art 25; decision 0056).

An official of the plan's jurisdiction publishes each concluded inspection's result as a public
notice of kind ``supervision.spot_check_result`` within ``SPOT_CHECK_PUBLISH_WORKING_DAYS``
working days of its conclusion (``Inspection.publish_due``, set by the inspections stage with
``supervision.deadlines.publish_due``). The notice states the outcome of an administrative
inspection: it takes no objections (decision 0056), stays among the current notices for
``SPOT_CHECK_RESULT_NOTICE_WORKING_DAYS`` working days and is kept on the plan's public results
page for good. Its text names the plan, the agency, the check items, the conclusion, the
findings counted per check item and severity, and the rectification deadline; never a person
(no inspector, no one present, no ID number) and never the findings' own words.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal import access, audit, clock, notices
from portal.models import Audience, Objection, PublicNotice
from portal.refusals import Refusal, refuse
from supervision.models import (
    Finding,
    Inspection,
    InspectionState,
    PlanKind,
    RectificationOrder,
    Severity,
)

logger = logging.getLogger(__name__)

NOTICE_KIND = "supervision.spot_check_result"
JOB_LABEL = "supervision.publication.flag_overdue"
# Punctuation of the notice's lists (its text is written in the portal's language, Chinese).
LIST_SEP = "、"
ITEM_SEP = "；"


# --- What is published -----------------------------------------------------------------------


@dataclass(frozen=True)
class ItemFindings:
    """The findings of one check item, counted by severity (no words of the findings)."""

    code: str
    title: str
    minor: int
    serious: int

    @property
    def text(self) -> str:
        """「严重问题 1 项、一般问题 2 项」 in the current language."""
        parts = []
        if self.serious:
            parts.append(_("%(n)d serious") % {"n": self.serious})
        if self.minor:
            parts.append(_("%(n)d minor") % {"n": self.minor})
        return LIST_SEP.join(parts)


def summarise(findings) -> list[ItemFindings]:
    """Findings (with their check item loaded) counted per check item, in code order; those
    without a check item come last under 「其他」."""
    counts: dict[int | None, list[int]] = {}
    titles: dict[int, tuple[str, str]] = {}
    for f in findings:
        row = counts.setdefault(f.check_item_id, [0, 0])
        row[1 if f.severity == Severity.SERIOUS else 0] += 1
        if f.check_item is not None:
            titles[f.check_item_id] = (f.check_item.code, f.check_item.title)
    found = [ItemFindings(*titles[pk], *row) for pk, row in counts.items() if pk is not None]
    found.sort(key=lambda f: f.code)
    if None in counts:
        found.append(ItemFindings("", _("Other"), *counts[None]))
    return found


def findings_summary(inspection: Inspection) -> list[ItemFindings]:
    """The inspection's findings counted per check item and severity."""
    return summarise(
        Finding.objects.filter(inspection=inspection).select_related("check_item").order_by("pk")
    )


def order_deadlines(inspection: Inspection) -> list:
    """The deadlines of the rectification orders the inspection led to, earliest first."""
    return sorted(
        set(
            RectificationOrder.objects.filter(inspection=inspection).values_list(
                "deadline", flat=True
            )
        )
    )


def notice_text(inspection: Inspection) -> tuple[str, str]:
    """Title and body of the result notice, in the portal's language (Chinese)."""
    from portal.authorities import authority_for
    from portal.templatetags.portal_tags import cndate

    plan, agency = inspection.plan, inspection.agency
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Spot-check result: %(agency)s (%(plan)s)") % {
            "agency": agency.name,
            "plan": plan.title,
        }
        items = [f"{i.code} {i.title}" for i in plan.check_items.order_by("code")]
        concluded_on = (
            timezone.localdate(inspection.concluded_at) if inspection.concluded_at else None
        )
        lines = [
            _(
                "%(authority)s publishes the result of the inspection of %(agency)s (unified "
                "social credit code %(uscc)s), drawn by the double-random spot-check plan "
                "%(plan)s (Art 25)."
            )
            % {
                "authority": authority_for(plan.jurisdiction).name,
                "agency": agency.name,
                "uscc": agency.uscc,
                "plan": plan.title,
            },
            _("Check items: %(items)s.") % {"items": ITEM_SEP.join(items) or "—"},
            _("Concluded on %(date)s. Conclusion: %(conclusion)s.")
            % {
                "date": cndate(concluded_on) if concluded_on else "—",
                "conclusion": inspection.get_conclusion_display(),
            },
        ]
        summary = findings_summary(inspection)
        if summary:
            lines.append(
                _("Findings by check item: %(findings)s.")
                % {
                    "findings": ITEM_SEP.join(
                        f"{f.code} {f.title}：{f.text}".strip() for f in summary
                    )
                }
            )
        deadlines = order_deadlines(inspection)
        if deadlines:
            lines.append(
                _("The agency has been ordered to rectify the problems by %(date)s.")
                % {"date": LIST_SEP.join(cndate(d) for d in deadlines)}
            )
        lines.append(
            _(
                "This notice publishes the outcome of an administrative inspection; it takes no "
                "objections. The agency may apply for administrative reconsideration or bring an "
                "administrative lawsuit against a decision that follows from it; anyone may "
                "report a problem of the agency to the authority as a complaint."
            )
        )
    return title, "\n\n".join(lines)


# --- Publishing ------------------------------------------------------------------------------


def plan_official(user, inspection: Inspection | None) -> bool:
    """An official of the plan's jurisdiction: provincial officials of its province, national
    ministry officials for every plan (Art 24)."""
    from portal.roles import NATIONAL
    from portal.roles import AuthorityRole as R

    roles = user.authority_roles()
    if not user.jurisdiction:
        return False
    national = user.jurisdiction == NATIONAL and R.MINISTRY_OFFICIAL in roles
    if inspection is None:
        return national or R.PROVINCIAL_OFFICIAL in roles
    if national:
        return True
    return R.PROVINCIAL_OFFICIAL in roles and inspection.plan.jurisdiction == user.jurisdiction


def publish_refusal(inspection: Inspection, actor=None) -> Refusal | None:
    """Why the inspection's result cannot be published now (None: it can)."""
    if inspection.plan.kind != PlanKind.SPOT_CHECK:
        return Refusal(_("Only the results of spot checks are published here."), "kind")
    if inspection.state == InspectionState.PUBLISHED or inspection.notice_id:
        return Refusal(_("The result of this inspection has already been published."), "published")
    if inspection.state != InspectionState.CONCLUDED:
        return Refusal(
            _("The inspection has not been concluded yet: there is no result to publish."),
            "not_concluded",
        )
    return None


@transaction.atomic
def publish_result(official, inspection: Inspection) -> Inspection:
    """Art 25 (一公开): an official of the plan's jurisdiction publishes a concluded
    inspection's result as a public notice that takes no objections (decision 0056); the
    inspection becomes published and the plan's public results page shows it."""
    inspection = (
        Inspection.objects.select_for_update(of=("self",))
        .select_related("plan", "agency")
        .get(pk=inspection.pk)
    )
    access.require(official, "supervision.publication.publish", inspection)
    refuse(publish_refusal(inspection, official))
    title, body = notice_text(inspection)
    notice = notices.publish_notice(
        official,
        inspection,
        kind=NOTICE_KIND,
        title=title,
        body=body,
        period_working_days=settings.SPOT_CHECK_RESULT_NOTICE_WORKING_DAYS,
        jurisdiction=inspection.plan.jurisdiction,
        agency=inspection.agency,
    )
    now = clock.now()
    before = inspection.state
    inspection.state = InspectionState.PUBLISHED
    inspection.published_at = now
    inspection.notice = notice
    inspection.save(update_fields=["state", "published_at", "notice"])
    audit.record(
        official,
        "supervision.publication.publish",
        inspection,
        {
            "state": [before, InspectionState.PUBLISHED],
            "notice": [None, notice.pk],
            "publish_due": [None, inspection.publish_due],
            "late": [None, bool(inspection.publish_due and clock.today() > inspection.publish_due)],
        },
        agency=inspection.agency,
        province=inspection.plan.jurisdiction,
        audience=Audience.AGENCY,
    )
    return inspection


def result_stood(notice: PublicNotice) -> None:
    """``on_stood``: the notice leaves the current list; nothing else changes (the result was
    final when it was published)."""
    return None


def result_overturned(notice: PublicNotice, objection: Objection) -> None:
    """``on_overturned``: unreachable, the kind takes no objections (decision 0056)."""
    raise RuntimeError(f"spot-check result notice {notice.pk} takes no objections")


# --- The deadline ----------------------------------------------------------------------------


def waiting(queryset: QuerySet[Inspection] | None = None) -> QuerySet[Inspection]:
    """Concluded spot-check inspections whose result is not published yet."""
    queryset = Inspection.objects.all() if queryset is None else queryset
    return queryset.filter(
        state=InspectionState.CONCLUDED, plan__kind=PlanKind.SPOT_CHECK, notice__isnull=True
    )


def overdue(queryset: QuerySet[Inspection] | None = None) -> QuerySet[Inspection]:
    """Those of ``waiting`` whose publication day has passed."""
    return waiting(queryset).filter(publish_due__lt=clock.today())


def flag_overdue() -> str:
    """Periodic job: log the inspections whose result is overdue for publication, per
    jurisdiction (ids only, no names); the officials' dashboard panel shows them too."""
    late = list(
        overdue()
        .order_by("plan__jurisdiction", "publish_due", "pk")
        .values_list("pk", "plan__jurisdiction", "publish_due")
    )
    by_area: dict[str, list[int]] = {}
    for pk, area, _due in late:
        by_area.setdefault(area, []).append(pk)
    for area, pks in by_area.items():
        logger.warning(
            "spot-check results overdue for publication in %s: %d (inspections %s)",
            area,
            len(pks),
            ", ".join(map(str, pks[:50])),
        )
    return f"{len(late)} overdue" + "".join(
        f"; {area}: {len(pks)}" for area, pks in sorted(by_area.items())
    )
