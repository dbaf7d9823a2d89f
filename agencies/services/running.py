"""Running a listed agency (Art 16, 19, 22, 27, 28): the check assessments call, published
rules and fees, suspension and removal, and the periodic jobs of the filing term (lapse,
reminders, end of suspensions). Change requests and renewal are in ``changes``."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils.translation import gettext as _

from agencies.models import (
    ChangeRequest,
    ChangeStatus,
    DirectoryEntry,
    PublishedRules,
    RulesKind,
    Sanction,
    SanctionKind,
    TermReminder,
)
from agencies.services._refusal import Refusal, refuse
from portal import access, audit, clock
from portal.access import SYSTEM
from portal.jobs.background import enqueue
from portal.models import Agency, AgencyMembership, AgencyStatus, Audience
from portal.roles import AgencyRole

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


def listed_entry(agency: Agency) -> DirectoryEntry:
    """The agency's directory entry; refused if it was never listed."""
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


# --- Suspension and removal (Art 27, 28) --------------------------------------------------------


def suspension_refusal(agency: Agency, actor=None) -> str | None:
    """Only a listed (or lapsed) agency is suspended (Art 27)."""
    if agency.status not in (AgencyStatus.LISTED, AgencyStatus.LAPSED):
        return Refusal(_("Only a listed agency can be suspended."))
    return None


@transaction.atomic
def suspend_agency(
    actor, agency: Agency, *, reason: str, legal_basis: str, until: dt.date, password: str
) -> Sanction:
    """The filing authority suspends a listed agency for a period (Art 27).

    The official confirms with their password first, as for a removal (re-authentication for
    a grave act)."""
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    access.require(actor, "agencies.agency.sanction", agency)
    if not actor.check_password(password or ""):
        raise ValidationError({"password": _("The password is wrong.")})
    refuse(suspension_refusal(agency, actor))
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


def removal_refusal(agency: Agency, actor=None) -> str | None:
    """A listed, suspended or lapsed agency can be removed; an applicant was never listed."""
    if agency.status in (AgencyStatus.REMOVED, AgencyStatus.APPLICANT):
        return Refusal(_("Only a listed, suspended or lapsed agency can be removed."))
    return None


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
    refuse(removal_refusal(agency, actor))
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
    """Periodic job: e-mail the agency's admins 90 and 30 days before the term ends (once each,
    Art 22). The reminder is recorded here; the e-mail goes out in a task after the commit."""
    from agencies.tasks import mail_term_reminder

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
                enqueue(mail_term_reminder, reminder.pk)
                sent += 1
    return sent


def mail_term_reminder(reminder_id: int) -> int:
    """E-mail one recorded term reminder to the agency's active admins; the number of
    recipients. Run by ``agencies.tasks.mail_term_reminder`` after the reminder committed."""
    reminder = TermReminder.objects.select_related("entry__agency").filter(pk=reminder_id).first()
    if reminder is None:
        return 0
    agency = reminder.entry.agency
    emails = list(
        AgencyMembership.objects.filter(agency=agency, role=AgencyRole.ADMIN, user__is_active=True)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    if emails:
        send_mail(
            _("Your filing term ends on %(date)s") % {"date": reminder.valid_until},
            _(
                "The filing term of %(name)s in the directory of evaluation "
                "agencies ends on %(date)s. Apply to renew it in the portal."
            )
            % {"name": agency.name, "date": reminder.valid_until},
            None,
            emails,
        )
    return len(emails)
