"""Reads of a listed agency's running (Art 16, 19, 22, 27, 28): its published rules and change
requests, and the officials' listed agencies, change queue and list of removed agencies."""

from __future__ import annotations

import datetime as dt

from django.db.models import (
    Case,
    CharField,
    Count,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Concat
from django.utils.translation import gettext as _

from agencies.models import (
    ChangeKind,
    ChangeRequest,
    ChangeStatus,
    DirectoryEntry,
    PublishedRules,
    RulesKind,
    Sanction,
    SanctionKind,
)
from agencies.queries.listing import ScopeNames, approved_scope
from agencies.services import assessment_refusal
from agencies.services.listing import term_end
from portal import access, clock
from portal.models import (
    Agency,
    AgencyKind,
    AgencyStatus,
    AuditEntry,
    PublicNotice,
    jurisdiction_label,
)
from portal.notices import subject_key

# The agencies an official supervises: listed once, whatever became of them since.
SUPERVISED_STATUSES = (
    AgencyStatus.LISTED,
    AgencyStatus.SUSPENDED,
    AgencyStatus.LAPSED,
    AgencyStatus.REMOVED,
)


def entry_of(agency) -> DirectoryEntry | None:
    return DirectoryEntry.objects.filter(agency=agency).select_related("application__call").first()


# --- The agency's own pages ------------------------------------------------------------------


def rules_sections(agency, bound=None, form_for=None) -> list[dict]:
    """One section per kind of rules (Art 19): the current version, the earlier ones, and the
    publishing form (``bound`` when it failed, else ``form_for(kind)``)."""
    versions: dict[str, list[PublishedRules]] = {k: [] for k in RulesKind.values}
    for rules in PublishedRules.objects.filter(agency=agency).select_related("published_by"):
        versions[rules.kind].append(rules)
    sections = []
    for kind in RulesKind:
        history = sorted(versions[kind.value], key=lambda r: -r.version)
        form = bound if bound is not None and bound.kind == kind.value else None
        sections.append(
            {
                "kind": kind.value,
                "label": kind.label,
                "current": history[0] if history else None,
                "earlier": history[1:],
                "form": form or form_for(kind.value),
                "open": form is not None,
            }
        )
    return sections


def changes_page(agency) -> dict:
    entry = DirectoryEntry.objects.filter(agency=agency).first()
    return {
        "entry": entry,
        "changes": ChangeRequest.objects.filter(agency=agency).select_related("requested_by"),
        "is_employer": agency.kind == AgencyKind.EMPLOYER,
        "refusal": assessment_refusal(agency) if entry else None,
    }


def own_changes(agency) -> QuerySet[ChangeRequest]:
    return ChangeRequest.objects.filter(agency=agency).select_related("requested_by", "decided_by")


def describe_change(change: ChangeRequest, labels: dict) -> list[tuple[str, list, list]]:
    """(what, lines before, lines after) rows of a change request, for people; details are
    named by ``labels`` (the fields of the form that asked for them)."""
    if change.kind == ChangeKind.DETAILS:
        return [
            (str(labels.get(k, k)), [change.before.get(k) or "—"], [v or "—"])
            for k, v in change.payload.items()
        ]
    if change.kind == ChangeKind.SCOPE:
        before, after = change.before.get("scope", []), change.payload.get("scope", [])
        names = ScopeNames(before, after)
        return [(_("Scope"), [names.line(s) for s in before], [names.line(s) for s in after])]
    if change.kind == ChangeKind.SERVE_OTHERS:
        yes, no = _("Yes"), _("No")
        return [
            (
                _("May also assess other employers' staff and the public"),
                [yes if change.before.get("may_serve_others") else no],
                [yes if change.payload.get("may_serve_others") else no],
            )
        ]
    return [
        (
            _("Filing term ends on"),
            [change.before.get("valid_until", "")],
            [_("Renewed by the filing authority")],
        )
    ]


def change_page(change: ChangeRequest, labels: dict) -> dict:
    """The agency's page of one of its requests, with what happened to it."""
    return {
        "change": change,
        "rows": describe_change(change, labels),
        "history": AuditEntry.objects.filter(
            object_type="agencies.changerequest", object_id=str(change.pk)
        )
        .select_related("actor")
        .order_by("seq", "created_at"),
        "withdrawable": change.status == ChangeStatus.PENDING,
    }


# --- The officials' pages --------------------------------------------------------------------


def supervised_agencies(user) -> QuerySet[Agency]:
    return access.visible(
        user, Agency.objects.filter(status__in=SUPERVISED_STATUSES)
    ).select_related("directory_entry", "registered_province")


def listed_agencies_page(user, *, status: str, q: str) -> dict:
    """The agencies the official supervises, filtered, with the number in each status."""
    agencies = supervised_agencies(user)
    counts = dict(agencies.order_by().values_list("status").annotate(n=Count("pk", distinct=True)))
    if status:
        agencies = agencies.filter(status=status)
    if q:
        agencies = agencies.filter(name__contains=q)
    return {
        "agencies": agencies.order_by("name", "pk"),
        "statuses": [
            (value, label, counts.get(value, 0))
            for value, label in AgencyStatus.choices
            if value in SUPERVISED_STATUSES
        ],
        "status": status,
        "q": q,
        "total": sum(counts.values()),
    }


def with_term_days_left(agencies) -> None:
    """Mark each agency of a page with the days left of its filing term."""
    today = clock.today()
    for agency in agencies:
        entry = getattr(agency, "directory_entry", None)
        agency.term_days_left = (entry.valid_until - today).days if entry else None


def listed_agency_page(agency: Agency) -> dict:
    """An official's page of a listed agency: its entry, scope, sites, changes and sanctions."""
    entry = entry_of(agency)
    sanctions = list(agency.sanctions.select_related("decided_by"))
    return {
        "agency": agency,
        "entry": entry,
        "filing_authority": jurisdiction_label(agency.filing_jurisdiction),
        "term_days_left": (entry.valid_until - clock.today()).days if entry else None,
        "scope": approved_scope(entry),
        "sites": agency.sites.select_related("province").order_by("province", "name"),
        "changes": agency.change_requests.select_related("decided_by"),
        "sanctions": sanctions,
        "open_suspension": next(
            (s for s in sanctions if s.kind == SanctionKind.SUSPENSION and s.lifted_at is None),
            None,
        ),
        "refusal": assessment_refusal(agency),
    }


def pending_changes_of(agency: Agency) -> int:
    """How many change requests of ``agency`` wait for a decision (a removal closes them)."""
    return agency.change_requests.filter(status=ChangeStatus.PENDING).count()


def changes_for_official(user) -> QuerySet[ChangeRequest]:
    return access.visible(user, ChangeRequest.objects.all()).select_related(
        "agency", "requested_by", "decided_by"
    )


def change_queue(
    user, *, kind: str = "", status: str = ChangeStatus.PENDING, q: str = "", sort: str = ""
) -> dict:
    """The official's change requests: by default the pending ones, longest waiting first;
    ``status`` "all" lists every one (pending first); searched by name or credit code; each
    row with the end of its open public notice (``notice_ends``)."""
    from portal.models import NoticeStatus, PublicNotice
    from portal.ui import queues

    changes = changes_for_official(user)
    pending = changes.filter(status=ChangeStatus.PENDING).count()
    if kind:
        changes = changes.filter(kind=kind)
    if status and status != "all":
        changes = changes.filter(status=status)
    if q:
        changes = changes.filter(
            Q(agency__name__icontains=q) | Q(agency__uscc__icontains=q.upper())
        )
    label = ChangeRequest._meta.label_lower
    subject = Concat(Value(f"{label}:"), Cast(OuterRef("pk"), CharField()))
    notice = PublicNotice.objects.filter(status=NoticeStatus.OPEN, subject=subject)
    changes = changes.annotate(
        waiting=Case(
            When(status=ChangeStatus.PENDING, then=Value(0)),
            When(status=ChangeStatus.ON_NOTICE, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        ),
        notice_ends=Subquery(notice.values("ends_on")[:1]),
    )
    order = {
        queues.RECENT: ["-requested_at", "-pk"],
        queues.NAME: ["agency__name", "pk"],
    }.get(sort, ["waiting", "requested_at", "pk"])
    return {"changes": changes.order_by(*order), "pending": pending}


def scope_rows(before: list[dict], after: list[dict]) -> list[dict]:
    """One row per occupation (work type): levels before and after, added and dropped."""
    names = ScopeNames(before, after)
    old = {(s["occupation"], s["work_type"]): set(s["levels"]) for s in before}
    new = {(s["occupation"], s["work_type"]): set(s["levels"]) for s in after}
    rows = []
    for key in sorted(old.keys() | new.keys(), key=lambda k: (k[0], k[1] or 0)):
        was, will = old.get(key, set()), new.get(key, set())
        rows.append(
            {
                "occupation": names.occupation(key[0]),
                "work_type": names.work_type(key[1]),
                "before": names.levels_text(was, "—"),
                "after": names.levels_text(will, "—"),
                "added": names.levels_text(will - was, "—") if will - was else "",
                "dropped": names.levels_text(was - will, "—") if was - will else "",
            }
        )
    return rows


def _is_extension(change: ChangeRequest) -> bool:
    def flat(scope):
        return {(s["occupation"], s["work_type"], lv) for s in scope for lv in s["levels"]}

    return bool(flat(change.payload.get("scope", [])) - flat(change.before.get("scope", [])))


def change_request_page(change: ChangeRequest) -> dict:
    """The official's page of a change request: what changes, and what the decision does."""
    agency = change.agency
    entry = entry_of(agency)
    context: dict = {
        "change": change,
        "agency": agency,
        "filing_authority": jurisdiction_label(agency.filing_jurisdiction),
        "entry": entry,
    }
    if change.kind == ChangeKind.DETAILS:
        context["detail_rows"] = [
            (
                Agency._meta.get_field(field).verbose_name,
                change.before.get(field, ""),
                value,
            )
            for field, value in change.payload.items()
        ]
    elif change.kind == ChangeKind.SCOPE:
        context["scope_rows"] = scope_rows(
            change.before.get("scope", []), change.payload.get("scope", [])
        )
        context["is_extension"] = _is_extension(change)
        context["goes_to_notice"] = context["is_extension"] and agency.kind == AgencyKind.SOCIAL_ORG
    elif change.kind == ChangeKind.SERVE_OTHERS:
        context["serve_before"] = change.before.get("may_serve_others")
        context["serve_after"] = change.payload.get("may_serve_others")
    elif change.kind == ChangeKind.RENEWAL and entry is not None:
        start = max(entry.valid_until + dt.timedelta(days=1), clock.today())
        context["renewal_until"] = term_end(start, entry.application.call.filing_term_years)
        context["term_years"] = entry.application.call.filing_term_years
    context["notice"] = (
        PublicNotice.objects.filter(subject=subject_key(change)).order_by("-pk").first()
    )
    return context


def removed_agencies() -> QuerySet[Sanction]:
    """Removals of agencies still removed, the latest first (Art 22, 27, 28)."""
    return (
        Sanction.objects.filter(kind=SanctionKind.REMOVAL, agency__status=AgencyStatus.REMOVED)
        .select_related("agency")
        .order_by("-starts_on", "-decided_at")
    )
