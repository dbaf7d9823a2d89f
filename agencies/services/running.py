"""Running a listed agency (Art 16, 19, 22, 27, 28): published rules and fees, changes of
details and scope, renewal of the filing term, suspension and removal."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
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
    TermReminder,
)
from agencies.services.listing import add_scope, term_end
from catalog import queries as catalog
from catalog.models import Occupation, SkillLevel, WorkType
from catalog.services import level_allowed_for
from portal import access, audit, clock, notices
from portal.access import SYSTEM
from portal.audit_models import Audience
from portal.models import Agency, AgencyKind, AgencyMembership, AgencyStatus
from portal.roles import AgencyRole

DETAIL_FIELDS = (
    "name",
    "address",
    "legal_representative",
    "contact_name",
    "contact_phone",
    "contact_email",
)
SCOPE_NOTICE_KIND = "agencies.scope_extension"
REMINDER_DAYS = (90, 30)


# --- The one check assessments call ---------------------------------------------------------


def assessment_refusal(agency: Agency, *, on: dt.date | None = None) -> str | None:
    """Why the agency may not be used for a new assessment on ``on``, or None if it may.

    Only a listed agency within its filing term may assess (Art 15, 22, 27).
    """
    on = on or clock.today()
    if agency.status == AgencyStatus.SUSPENDED:
        return _("The agency is suspended.")
    if agency.status == AgencyStatus.REMOVED:
        return _("The agency has been removed from the directory.")
    if agency.status == AgencyStatus.LAPSED:
        return _("The agency's filing term has ended.")
    if agency.status != AgencyStatus.LISTED:
        return _("The agency is not listed in the directory.")
    entry = DirectoryEntry.objects.filter(agency=agency).first()
    if entry is None or not entry.valid_from <= on <= entry.valid_until:
        return _("The agency's filing term has ended.")
    return None


def require_can_assess(agency: Agency, *, on: dt.date | None = None) -> None:
    refusal = assessment_refusal(agency, on=on)
    if refusal:
        raise ValidationError(refusal, code="agency_not_active")


def _entry(agency: Agency) -> DirectoryEntry:
    entry = DirectoryEntry.objects.filter(agency=agency).select_related("application__call").first()
    if entry is None:
        raise ValidationError(_("The agency is not listed in the directory."), code="not_listed")
    return entry


# --- Published rules and fees (Art 19) -------------------------------------------------------


@transaction.atomic
def publish_rules(actor, agency: Agency, kind: str, text: str) -> PublishedRules:
    """Publish a new version of exam-affairs, quality or certificate rules, or the fees."""
    access.require(actor, "agencies.rules.publish", agency)
    if kind not in RulesKind.values:
        raise ValidationError({"kind": _("Choose what you publish.")})
    if not text.strip():
        raise ValidationError({"text": _("Write the text to publish.")})
    last = (
        PublishedRules.objects.select_for_update()
        .filter(agency=agency, kind=kind)
        .order_by("-version")
        .first()
    )
    if last is not None and last.text.strip() == text.strip():
        raise ValidationError({"text": _("This is the version already published.")})
    rules = PublishedRules.objects.create(
        agency=agency,
        kind=kind,
        version=(last.version + 1) if last else 1,
        text=text.strip(),
        published_at=clock.now(),
        published_by=actor,
    )
    audit.record(
        actor,
        "agencies.rules.publish",
        rules,
        {"kind": [None, kind], "version": [None, rules.version]},
        agency=agency,
        audience=Audience.AGENCY,
    )
    return rules


def current_rules(agency: Agency) -> list[PublishedRules]:
    latest: dict[str, PublishedRules] = {}
    for rules in PublishedRules.objects.filter(agency=agency).order_by("kind", "-version"):
        latest.setdefault(rules.kind, rules)
    return [latest[k] for k in RulesKind.values if k in latest]


# --- Change requests --------------------------------------------------------------------------


def _request(
    actor, agency: Agency, kind: str, payload: dict, before: dict, explanation: str
) -> ChangeRequest:
    access.require(actor, "agencies.change.request", agency)
    _entry(agency)
    if agency.status not in (AgencyStatus.LISTED, AgencyStatus.LAPSED):
        raise ValidationError(_("Only a listed agency can ask for changes."), code="wrong_state")
    if ChangeRequest.objects.filter(
        agency=agency, kind=kind, status__in=(ChangeStatus.PENDING, ChangeStatus.ON_NOTICE)
    ).exists():
        raise ValidationError(
            _("A request of this kind is already being handled."), code="duplicate"
        )
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
    """Name, address, contact or legal representative: confirmed by the filing authority."""
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
    """The whole scope as it should be after the change: [(occupation, work_type, levels)]."""
    entry = _entry(agency)
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
    entry = _entry(agency)
    if agency.kind != AgencyKind.EMPLOYER:
        raise ValidationError(_("Only employers ask for this (Art 16)."), code="not_employer")
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
    """Apply to renew the filing term (material check and decision by the filing authority)."""
    entry = _entry(agency)
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
    if change.status != ChangeStatus.PENDING:
        raise ValidationError(_("This request is not waiting for a decision."), code="wrong_state")
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
        entry = _entry(change.agency)
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
    change.save()
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
    agency, entry = change.agency, _entry(change.agency)
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
    return (
        ChangeRequest.objects.select_for_update()
        .select_related("agency")
        .get(pk=int(notice.subject.split(":")[1]))
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


@transaction.atomic
def withdraw_change(actor, change: ChangeRequest) -> ChangeRequest:
    change = (
        ChangeRequest.objects.select_for_update(of=("self",))
        .select_related("agency")
        .get(pk=change.pk)
    )
    access.require(actor, "agencies.change.request", change.agency)
    if change.status != ChangeStatus.PENDING:
        raise ValidationError(_("Only a pending request can be withdrawn."), code="wrong_state")
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


# --- Suspension and removal (Art 27, 28) --------------------------------------------------------


@transaction.atomic
def suspend_agency(
    actor, agency: Agency, *, reason: str, legal_basis: str, until: dt.date
) -> Sanction:
    """The filing authority suspends a listed agency for a period."""
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    access.require(actor, "agencies.agency.sanction", agency)
    if agency.status not in (AgencyStatus.LISTED, AgencyStatus.LAPSED):
        raise ValidationError(_("Only a listed agency can be suspended."), code="wrong_state")
    errors = {}
    if not reason.strip():
        errors["reason"] = _("Give the reason.")
    if not legal_basis.strip():
        errors["legal_basis"] = _("Give the legal basis.")
    if until <= clock.today():
        errors["until"] = _("The suspension must end after today.")
    if errors:
        raise ValidationError(errors)
    sanction = Sanction.objects.create(
        agency=agency,
        kind=SanctionKind.SUSPENSION,
        reason=reason.strip(),
        legal_basis=legal_basis.strip(),
        starts_on=clock.today(),
        ends_on=until,
        decided_by=actor,
        decided_at=clock.now(),
    )
    old, agency.status = agency.status, AgencyStatus.SUSPENDED
    agency.save(update_fields=["status"])
    audit.record(
        actor,
        "agencies.agency.suspend",
        agency,
        {"status": [old, agency.status], "until": [None, until], "reason": [None, sanction.reason]},
        agency=agency,
        audience=Audience.AGENCY,
    )
    return sanction


@transaction.atomic
def remove_agency(
    actor, agency: Agency, *, reason: str, legal_basis: str, follow_up_plan: str, password: str
) -> Sanction:
    """Remove an agency from the directory (Art 27) with the follow-up plan Art 28 requires.

    The official confirms with their password first (re-authentication for a grave act).
    Certificates already issued stay valid and verifiable.
    """
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    access.require(actor, "agencies.agency.sanction", agency)
    if not actor.check_password(password or ""):
        raise ValidationError({"password": _("The password is wrong.")})
    if agency.status in (AgencyStatus.REMOVED, AgencyStatus.APPLICANT):
        raise ValidationError(
            _("Only a listed, suspended or lapsed agency can be removed."), code="wrong_state"
        )
    errors = {}
    for field, value, message in (
        ("reason", reason, _("Give the reason.")),
        ("legal_basis", legal_basis, _("Give the legal basis.")),
        (
            "follow_up_plan",
            follow_up_plan,
            _("Describe the follow-up: planned sessions and candidates (Art 28)."),
        ),
    ):
        if not value.strip():
            errors[field] = message
    if errors:
        raise ValidationError(errors)
    Sanction.objects.filter(
        agency=agency, kind=SanctionKind.SUSPENSION, lifted_at__isnull=True
    ).update(lifted_at=clock.now())
    sanction = Sanction.objects.create(
        agency=agency,
        kind=SanctionKind.REMOVAL,
        reason=reason.strip(),
        legal_basis=legal_basis.strip(),
        follow_up_plan=follow_up_plan.strip(),
        starts_on=clock.today(),
        decided_by=actor,
        decided_at=clock.now(),
    )
    old, agency.status = agency.status, AgencyStatus.REMOVED
    agency.save(update_fields=["status"])
    ChangeRequest.objects.filter(agency=agency, status=ChangeStatus.PENDING).update(
        status=ChangeStatus.REJECTED,
        decision_reason=_("The agency was removed from the directory."),
    )
    audit.record(
        actor,
        "agencies.agency.remove",
        agency,
        {
            "status": [old, agency.status],
            "reason": [None, sanction.reason],
            "follow_up_plan": [None, sanction.follow_up_plan],
        },
        agency=agency,
        audience=Audience.AGENCY,
    )
    return sanction


def lift_ended_suspensions() -> int:
    """Periodic job: a suspension whose period has passed is lifted; the agency is listed again
    (or lapsed, if its term ended meanwhile)."""
    count = 0
    for sanction in Sanction.objects.filter(
        kind=SanctionKind.SUSPENSION, lifted_at__isnull=True, ends_on__lt=clock.today()
    ).select_related("agency"):
        with transaction.atomic():
            agency = Agency.objects.select_for_update().get(pk=sanction.agency_id)
            Sanction.objects.filter(pk=sanction.pk).update(lifted_at=clock.now())
            if agency.status == AgencyStatus.SUSPENDED:
                entry = DirectoryEntry.objects.filter(agency=agency).first()
                agency.status = (
                    AgencyStatus.LAPSED
                    if entry and entry.valid_until < clock.today()
                    else AgencyStatus.LISTED
                )
                agency.save(update_fields=["status"])
                audit.record(
                    SYSTEM,
                    "agencies.agency.suspension_ended",
                    agency,
                    {"status": [AgencyStatus.SUSPENDED, agency.status]},
                    agency=agency,
                    audience=Audience.AGENCY,
                )
            count += 1
    return count


def lapse_ended_terms() -> int:
    """Periodic job: a listed agency whose filing term has passed becomes lapsed (Art 22)."""
    count = 0
    for entry in DirectoryEntry.objects.filter(
        valid_until__lt=clock.today(), agency__status=AgencyStatus.LISTED
    ):
        with transaction.atomic():
            Agency.objects.filter(pk=entry.agency_id).update(status=AgencyStatus.LAPSED)
            audit.record(
                SYSTEM,
                "agencies.agency.lapse",
                entry.agency,
                {
                    "status": [AgencyStatus.LISTED, AgencyStatus.LAPSED],
                    "valid_until": [entry.valid_until, entry.valid_until],
                },
                agency=entry.agency,
                audience=Audience.AGENCY,
            )
            count += 1
    return count


def send_term_reminders() -> int:
    """Periodic job: e-mail the agency's admins 90 and 30 days before the term ends (once each)."""
    today, sent = clock.today(), 0
    for days in REMINDER_DAYS:
        due = DirectoryEntry.objects.filter(
            agency__status=AgencyStatus.LISTED,
            valid_until__lte=today + dt.timedelta(days=days),
            valid_until__gte=today,
        ).select_related("agency")
        for entry in due:
            with transaction.atomic():
                reminder, created = TermReminder.objects.get_or_create(
                    entry=entry,
                    valid_until=entry.valid_until,
                    days_before=days,
                    defaults={"sent_at": clock.now()},
                )
                if not created:
                    continue
                emails = list(
                    AgencyMembership.objects.filter(
                        agency=entry.agency, role=AgencyRole.ADMIN, user__is_active=True
                    )
                    .exclude(user__email="")
                    .values_list("user__email", flat=True)
                )
                if emails:
                    transaction.on_commit(
                        lambda e=entry, to=emails: send_mail(
                            _("Your filing term ends on %(date)s") % {"date": e.valid_until},
                            _(
                                "The filing term of %(name)s in the directory of evaluation "
                                "agencies ends on %(date)s. Apply to renew it in the portal."
                            )
                            % {"name": e.agency.name, "date": e.valid_until},
                            None,
                            to,
                        )
                    )
                sent += 1
    return sent
