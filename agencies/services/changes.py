"""Changes of a listed agency (Art 14, 16, 22): its details, its scope, an employer's right to
assess others, and renewal of the filing term, asked by the agency and decided by its filing
authority; a social organisation's scope extension first goes to public notice."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from agencies.models import ChangeKind, ChangeRequest, ChangeStatus, DirectoryEntry
from agencies.services._refusal import Refusal, refuse
from agencies.services.listing import add_scope, term_end
from agencies.services.running import listed_entry
from catalog import queries as catalog
from catalog.models import Occupation, SkillLevel, WorkType
from catalog.services import level_allowed_for
from portal import access, audit, clock, notices
from portal.access import SYSTEM
from portal.models import Agency, AgencyKind, AgencyStatus, Audience

DETAIL_FIELDS = (
    "name",
    "address",
    "legal_representative",
    "contact_name",
    "contact_phone",
    "contact_email",
)
SCOPE_NOTICE_KIND = "agencies.scope_extension"


# --- Change requests --------------------------------------------------------------------------


def change_request_refusal(agency: Agency, actor=None, kind: str | None = None) -> str | None:
    """Why the agency may not ask for a change (of ``kind``, if given) now, or None: only a
    listed or lapsed agency asks, only an employer asks to serve others (Art 16), and one
    request of a kind is handled at a time."""
    if not DirectoryEntry.objects.filter(agency=agency).exists():
        return Refusal(_("The agency is not listed in the directory."), "not_listed")
    if agency.status not in (AgencyStatus.LISTED, AgencyStatus.LAPSED):
        return Refusal(_("Only a listed agency can ask for changes."))
    if kind == ChangeKind.SERVE_OTHERS and agency.kind != AgencyKind.EMPLOYER:
        return Refusal(_("Only employers ask for this (Art 16)."), "not_employer")
    if (
        kind is not None
        and ChangeRequest.objects.filter(
            agency=agency, kind=kind, status__in=(ChangeStatus.PENDING, ChangeStatus.ON_NOTICE)
        ).exists()
    ):
        return Refusal(_("A request of this kind is already being handled."), "duplicate")
    return None


def _requestable(actor, agency: Agency, kind: str) -> tuple[Agency, DirectoryEntry]:
    """Lock the agency (one request of a kind at a time), check access and the refusal."""
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    access.require(actor, "agencies.change.request", agency)
    refuse(change_request_refusal(agency, actor, kind))
    return agency, listed_entry(agency)


def _request(
    actor, agency: Agency, kind: str, payload: dict, before: dict, explanation: str
) -> ChangeRequest:
    change = ChangeRequest.objects.create(
        agency=agency,
        kind=kind,
        payload=payload,
        before=before,
        explanation=explanation.strip(),
        requested_by=actor,
        requested_at=clock.now(),
    )
    audit.record(
        actor,
        "agencies.change.request",
        change,
        {"kind": [None, kind], "payload": [before or None, payload]},
        agency=agency,
        audience=Audience.AGENCY,
    )
    return change


@transaction.atomic
def request_details_change(
    actor, agency: Agency, changes: dict[str, str], explanation: str = ""
) -> ChangeRequest:
    """Name, address, contact or legal representative: confirmed by the filing authority
    (Art 22)."""
    agency, _entry = _requestable(actor, agency, ChangeKind.DETAILS)
    payload = {
        k: v.strip()
        for k, v in changes.items()
        if k in DETAIL_FIELDS and v is not None and v.strip() != getattr(agency, k)
    }
    if not payload:
        raise ValidationError(_("Nothing differs from the current details."), code="no_change")
    if "name" in payload and not payload["name"]:
        raise ValidationError({"name": _("The name cannot be empty.")})
    before = {k: getattr(agency, k) for k in payload}
    return _request(actor, agency, ChangeKind.DETAILS, payload, before, explanation)


def _scope_payload(agency: Agency, items) -> list[dict]:
    payload, problems = [], []
    for occupation, work_type, levels in items:
        label = f"{occupation.code} {occupation.name}"
        if not levels:
            problems.append(
                _("Choose at least one level for %(occupation)s.") % {"occupation": label}
            )
        for level in levels:
            if not level_allowed_for(agency.kind, level):
                problems.append(
                    _("Only employers may assess %(level)s (Art 9).") % {"level": level.display}
                )
            elif catalog.basis_for(occupation, level, work_type=work_type, agency=agency) is None:
                problems.append(
                    _(
                        "%(occupation)s %(level)s has no national standard and no "
                        "specification filed by you (Art 17)."
                    )
                    % {"occupation": label, "level": level.display}
                )
        payload.append(
            {
                "occupation": occupation.code,
                "work_type": work_type.pk if work_type else None,
                "levels": sorted(lv.pk for lv in levels),
            }
        )
    if problems:
        raise ValidationError({"scope": problems})
    return payload


def _scope_snapshot(entry: DirectoryEntry) -> list[dict]:
    return [
        {
            "occupation": s.occupation.code,
            "work_type": s.work_type_id,
            "levels": sorted(s.levels.values_list("pk", flat=True)),
        }
        for s in entry.scope.select_related("occupation")
    ]


@transaction.atomic
def request_scope_change(actor, agency: Agency, items, explanation: str = "") -> ChangeRequest:
    """The whole scope as it should be after the change: [(occupation, work_type, levels)]
    (Art 14, 22)."""
    agency, entry = _requestable(actor, agency, ChangeKind.SCOPE)
    payload = _scope_payload(agency, items)
    before = _scope_snapshot(entry)
    if _flatten(payload) == _flatten(before):
        raise ValidationError(_("Nothing differs from the current scope."), code="no_change")
    return _request(
        actor, agency, ChangeKind.SCOPE, {"scope": payload}, {"scope": before}, explanation
    )


@transaction.atomic
def request_serve_others(actor, agency: Agency, value: bool, explanation: str = ""):
    """Art 16: an employer may, if allowed, assess other employers' staff and the public."""
    agency, entry = _requestable(actor, agency, ChangeKind.SERVE_OTHERS)
    if entry.may_serve_others == value:
        raise ValidationError(_("Nothing differs from the current setting."), code="no_change")
    return _request(
        actor,
        agency,
        ChangeKind.SERVE_OTHERS,
        {"may_serve_others": value},
        {"may_serve_others": entry.may_serve_others},
        explanation,
    )


@transaction.atomic
def request_renewal(actor, agency: Agency, explanation: str = "") -> ChangeRequest:
    """Apply to renew the filing term (material check and decision by the filing authority,
    Art 22)."""
    agency, entry = _requestable(actor, agency, ChangeKind.RENEWAL)
    return _request(
        actor,
        agency,
        ChangeKind.RENEWAL,
        {"valid_until_before": str(entry.valid_until)},
        {"valid_until": str(entry.valid_until)},
        explanation,
    )


def _flatten(scope: list[dict]) -> set[tuple]:
    return {(s["occupation"], s["work_type"], lv) for s in scope for lv in s["levels"]}


def _is_extension(change: ChangeRequest) -> bool:
    return bool(_flatten(change.payload["scope"]) - _flatten(change.before["scope"]))


def change_decision_refusal(change: ChangeRequest, actor=None) -> str | None:
    """Only a pending request is decided."""
    if change.status != ChangeStatus.PENDING:
        return Refusal(_("This request is not waiting for a decision."))
    return None


@transaction.atomic
def decide_change(actor, change: ChangeRequest, *, approve: bool, reason: str) -> ChangeRequest:
    """The filing authority confirms or refuses a change. A social organisation's scope
    extension first goes to public notice (Art 14), like its first approval."""
    change = (
        ChangeRequest.objects.select_for_update(of=("self",))
        .select_related("agency")
        .get(pk=change.pk)
    )
    access.require(actor, "agencies.change.decide", change.agency)
    refuse(change_decision_refusal(change, actor))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reasons of the decision.")})
    change.decision_reason, change.decided_by, change.decided_at = (
        reason.strip(),
        actor,
        clock.now(),
    )
    if not approve:
        change.status = ChangeStatus.REJECTED
    elif (
        change.kind == ChangeKind.SCOPE
        and change.agency.kind == AgencyKind.SOCIAL_ORG
        and _is_extension(change)
    ):
        change.status = ChangeStatus.ON_NOTICE
        entry = listed_entry(change.agency)
        notices.publish_notice(
            actor,
            change,
            kind=SCOPE_NOTICE_KIND,
            title=_("Public notice: scope extension of %(name)s") % {"name": change.agency.name},
            body=_scope_notice_body(change),
            jurisdiction=entry.filing_jurisdiction,
            period_working_days=entry.application.call.notice_period_days,
            agency=change.agency,
        )
    else:
        change.status = ChangeStatus.APPROVED
        _apply(change)
    change.save(update_fields=["status", "decision_reason", "decided_by", "decided_at"])
    audit.record(
        actor,
        "agencies.change.decide",
        change,
        {"status": [ChangeStatus.PENDING, change.status], "reason": [None, change.decision_reason]},
        agency=change.agency,
        audience=Audience.AGENCY,
    )
    return change


def _scope_notice_body(change: ChangeRequest) -> str:
    lines = [_("%(name)s asks to extend its approved scope to:") % {"name": change.agency.name}]
    levels = {lv.pk: lv.display for lv in SkillLevel.objects.all()}
    names = dict(
        Occupation.objects.filter(
            code__in=[s["occupation"] for s in change.payload["scope"]]
        ).values_list("code", "name")
    )
    for item in change.payload["scope"]:
        lines.append(
            f"· {item['occupation']} {names.get(item['occupation'], '')}："
            + "、".join(levels[c] for c in item["levels"])
        )
    return "\n".join(lines)


def _apply(change: ChangeRequest) -> None:
    agency, entry = change.agency, listed_entry(change.agency)
    if change.kind == ChangeKind.DETAILS:
        for field, value in change.payload.items():
            setattr(agency, field, value)
        agency.save(update_fields=list(change.payload))
    elif change.kind == ChangeKind.SERVE_OTHERS:
        entry.may_serve_others = change.payload["may_serve_others"]
        entry.save(update_fields=["may_serve_others"])
    elif change.kind == ChangeKind.RENEWAL:
        start = max(entry.valid_until + dt.timedelta(days=1), clock.today())
        entry.valid_until = term_end(start, entry.application.call.filing_term_years)
        entry.save(update_fields=["valid_until"])
        if agency.status == AgencyStatus.LAPSED:
            agency.status = AgencyStatus.LISTED
            agency.save(update_fields=["status"])
    elif change.kind == ChangeKind.SCOPE:
        entry.scope.all().delete()
        for item in change.payload["scope"]:
            occupation = Occupation.objects.get(code=item["occupation"])
            work_type = WorkType.objects.filter(pk=item["work_type"]).first()
            add_scope(
                entry, occupation, work_type, list(SkillLevel.objects.filter(pk__in=item["levels"]))
            )


def _change_of(notice) -> ChangeRequest:
    return notices.subject_object(
        notice, ChangeRequest.objects.select_for_update().select_related("agency")
    )


def on_scope_notice_stood(notice) -> None:
    change = _change_of(notice)
    if change.status != ChangeStatus.ON_NOTICE:
        return
    change.status = ChangeStatus.APPROVED
    _apply(change)
    change.save(update_fields=["status"])
    audit.record(
        SYSTEM,
        "agencies.change.stands",
        change,
        {"status": [ChangeStatus.ON_NOTICE, ChangeStatus.APPROVED]},
        agency=change.agency,
        audience=Audience.AGENCY,
    )


def on_scope_notice_overturned(notice, objection) -> None:
    change = _change_of(notice)
    if change.status != ChangeStatus.ON_NOTICE:
        return
    change.status = ChangeStatus.REJECTED
    change.decision_reason = _(
        "An objection raised during the public notice was upheld: %(reason)s"
    ) % {"reason": objection.decision_reason}
    change.save(update_fields=["status", "decision_reason"])
    audit.record(
        SYSTEM,
        "agencies.change.overturned",
        change,
        {"status": [ChangeStatus.ON_NOTICE, ChangeStatus.REJECTED]},
        agency=change.agency,
        audience=Audience.AGENCY,
    )


def change_withdrawal_refusal(change: ChangeRequest, actor=None) -> str | None:
    """Only a pending request is withdrawn (one on notice runs its course)."""
    if change.status != ChangeStatus.PENDING:
        return Refusal(_("Only a pending request can be withdrawn."))
    return None


@transaction.atomic
def withdraw_change(actor, change: ChangeRequest) -> ChangeRequest:
    """The agency withdraws its pending request."""
    change = (
        ChangeRequest.objects.select_for_update(of=("self",))
        .select_related("agency")
        .get(pk=change.pk)
    )
    access.require(actor, "agencies.change.request", change.agency)
    refuse(change_withdrawal_refusal(change, actor))
    change.status = ChangeStatus.WITHDRAWN
    change.save(update_fields=["status"])
    audit.record(
        actor,
        "agencies.change.withdraw",
        change,
        {"status": [ChangeStatus.PENDING, ChangeStatus.WITHDRAWN]},
        agency=change.agency,
        audience=Audience.AGENCY,
    )
    return change
