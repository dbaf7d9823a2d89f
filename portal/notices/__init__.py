"""Public notices (公示, Art 14): publication, objections, decisions, closing; two registries.

Any subject can be put on notice: an agency approval now, assessment results and
spot-check results later. ``portal`` imports no app, so the subject is a string key
(``subject_key``, read back typed with ``notice.subject_ref`` or ``subject_object``) and
the app that owns it registers what happens at the end:

* ``register_kind(kind, *, label, on_stood, on_overturned)``: ``on_stood(notice)`` runs
  when the period ended without an upheld objection; ``on_overturned(notice, objection)``
  when an official upheld an objection. Both run inside the transaction that closes the
  notice: if a callback raises, the notice stays open.
* ``register_announcements(provider)``: ``provider()`` returns ``Announcement`` items
  (calls for agencies, results) listed with the notices on the public page.

Every state change runs in one transaction with its audit entry. The objector's name
and contact are for the authority only: entries naming them have audience "authority";
the agency concerned reads the substance (content, status, decision reason).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import secrets
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import models, transaction
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from portal import access, audit, clock, documents
from portal.models import (
    Audience,
    NoticeOutcome,
    NoticeStatus,
    Objection,
    ObjectionStatus,
    PublicNotice,
    SubjectRef,  # noqa: F401 - re-exported: notices.SubjectRef
)
from portal.models.notices import TRACKING_ALPHABET, TRACKING_LENGTH
from portal.refusals import Refusal, refuse
from portal.roles import NATIONAL

logger = logging.getLogger(__name__)

MAX_PERIOD_WORKING_DAYS = 60
MAX_NAME = 60
MAX_CONTACT = 100
MAX_CONTENT = 5000
MAX_REASON = 2000
EVIDENCE_KIND = "notice_objection_evidence"
JOB_LABEL = "portal.close_due_notices"


def answer_due_on(submitted_at: dt.datetime) -> dt.date:
    """The working day by which the authority answers an objection filed at ``submitted_at``.

    The rules (Art 14) ask for public notice and the hearing of opinions but set no period for
    answering an objection; the portal promises one, ``OBJECTION_ANSWER_WORKING_DAYS`` working
    days after the filing day on the working-day calendar (``clock.add_working_days``), shown
    to the objector on the confirmation and the tracking page. It is computed, not stored: a
    holiday the calendar gains later moves it, as it moves a notice's period."""
    filed_on = timezone.localdate(submitted_at)
    return clock.add_working_days(filed_on, settings.OBJECTION_ANSWER_WORKING_DAYS)


def subject_key(obj: models.Model | str) -> str:
    """``app_label.model:pk`` of a model instance (a string key is returned unchanged)."""
    if isinstance(obj, str):
        return obj
    return f"{obj._meta.label_lower}:{obj.pk}"


M = TypeVar("M", bound=models.Model)


def subject_object(notice: PublicNotice, model: type[M] | QuerySet[M]) -> M:
    """The notice's subject loaded through ``model`` (a model or a queryset, e.g. one with
    ``select_for_update()``); a notice about another model is refused with ``ValueError``
    and a missing row raises the model's ``DoesNotExist``."""
    queryset = model if isinstance(model, QuerySet) else model._default_manager.all()
    ref = notice.subject_ref
    if ref.label != queryset.model._meta.label_lower:
        raise ValueError(
            f"notice {notice.pk} is about {ref.label}, not {queryset.model._meta.label_lower}"
        )
    return queryset.get(pk=ref.pk)


# --- Registry of notice kinds ---------------------------------------------------------------


@dataclass(frozen=True)
class NoticeKind:
    kind: str
    label: str | Promise
    on_stood: Callable[[PublicNotice], object]
    on_overturned: Callable[[PublicNotice, Objection], object]
    # Where an official upholds an objection of this kind when that needs more than a reason
    # (results notices name the candidates concerned); None: on the notice's own page.
    uphold_url: Callable[[Objection], str] | None = None
    # False: the notice publishes an outcome for information and takes no objections (its
    # period is how long it stays among the current notices; decision 0056).
    objections: bool = True


_KINDS: dict[str, NoticeKind] = {}


def register_kind(
    kind: str,
    *,
    label: str | Promise,
    on_stood: Callable[[PublicNotice], object],
    on_overturned: Callable[[PublicNotice, Objection], object],
    uphold_url: Callable[[Objection], str] | None = None,
    objections: bool = True,
) -> None:
    """Register (or replace, on reload) a kind of notice, e.g. ``agencies.approval``;
    ``objections=False`` for a notice that publishes an outcome and takes no objections."""
    if not kind or len(kind) > 60:
        raise ValueError(f"a notice kind is a short dotted name, got {kind!r}")
    _KINDS[kind] = NoticeKind(kind, label, on_stood, on_overturned, uphold_url, objections)


def takes_objections(kind: str) -> bool:
    """Whether notices of ``kind`` take objections (unregistered kinds: as every notice)."""
    registered = _KINDS.get(kind)
    return registered is None or registered.objections


def uphold_url(objection: Objection) -> str | None:
    """The page where an official upholds ``objection`` if its kind has one of its own."""
    registered = _KINDS.get(objection.notice.kind)
    if registered is None or registered.uphold_url is None:
        return None
    return registered.uphold_url(objection)


def kind_of(kind: str) -> NoticeKind:
    """The registered kind; unknown kinds are refused loudly (LookupError)."""
    try:
        return _KINDS[kind]
    except KeyError as exc:
        raise LookupError(f"unregistered public-notice kind {kind!r}") from exc


def registered_kinds() -> dict[str, NoticeKind]:
    return dict(_KINDS)


def kind_label(kind: str) -> str:
    registered = _KINDS.get(kind)
    return str(registered.label) if registered is not None else str(_("Public notice"))


# --- Registry of announcements -----------------------------------------------------------------


@dataclass(frozen=True)
class Announcement:
    """An item another app lists on the public notices page (e.g. a call for agencies)."""

    title: str
    url: str
    published_on: dt.date
    kind_label: str
    ends_on: dt.date | None = None


_PROVIDERS: list[Callable[[], list[Announcement]]] = []


def register_announcements(provider: Callable[[], list[Announcement]]) -> None:
    """Add a provider; ``provider()`` returns the announcements to list (registered once)."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def announcements() -> list[Announcement]:
    """Every provider's announcements; a failing provider is logged and skipped."""
    found: list[Announcement] = []
    for provider in list(_PROVIDERS):
        try:
            found.extend(provider() or [])
        except Exception:
            logger.exception("announcement provider %r failed", provider)
    return found


# --- Checks ------------------------------------------------------------------------------------

_PHONE = re.compile(r"^\+?[0-9][0-9\- ]{4,22}[0-9]$")


def _nfkc(value: str) -> str:
    return unicodedata.normalize("NFKC", value or "").strip()


def validate_contact(value: str) -> str:
    """A phone number (mobile or landline) or an e-mail address; returns it normalised."""
    value = _nfkc(value)
    message = _("Enter a phone number or an e-mail address.")
    if "@" in value:
        EmailValidator(message=message, code="contact")(value)
        return value
    digits = sum(c.isdigit() for c in value)
    if not _PHONE.match(value) or not 7 <= digits <= 15:
        raise ValidationError(message, code="contact")
    return value


def _required(value: str, limit: int, field: str, errors: dict) -> str:
    value = (value or "").strip()
    if not value:
        errors[field] = ValidationError(_("This field is required."), code="required")
    elif len(value) > limit:
        errors[field] = ValidationError(
            _("Keep this to at most %(limit)d characters.") % {"limit": limit}, code="max_length"
        )
    return value


def normalise_tracking_code(value: str) -> str:
    """Full-width characters, lower case, spaces and hyphens are forgiven."""
    return re.sub(r"[\s\-－—]", "", _nfkc(value)).upper()


def is_tracking_code(value: str) -> bool:
    return len(value) == TRACKING_LENGTH and all(c in TRACKING_ALPHABET for c in value)


def format_tracking_code(code: str) -> str:
    """``ABCD-EFGH-JKMN-PQRS``: easier to copy down and read over the phone."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def new_tracking_code() -> str:
    return "".join(secrets.choice(TRACKING_ALPHABET) for _i in range(TRACKING_LENGTH))


def _date_text(day: dt.date) -> str:
    from portal.templatetags.portal_tags import cndate

    return cndate(day)


def is_accepting(notice: PublicNotice, today: dt.date | None = None) -> bool:
    """Open, and today is within the period (the last day included); never for a kind
    that takes no objections."""
    return (
        notice.status == NoticeStatus.OPEN
        and (today or clock.today()) <= notice.ends_on
        and takes_objections(notice.kind)
    )


def days_left(notice: PublicNotice, today: dt.date | None = None) -> int | None:
    """Working days after today up to the end of the period; None once it is over."""
    today = today or clock.today()
    if not is_accepting(notice, today):
        return None
    return clock.working_days_between(today, notice.ends_on)


def _ensure_accepting(notice: PublicNotice) -> None:
    if not takes_objections(notice.kind):
        raise ValidationError(
            _("This public notice publishes a result for information; it takes no objections."),
            code="no_objections",
        )
    if notice.status != NoticeStatus.OPEN:
        raise ValidationError(
            _("This public notice has closed; objections are no longer accepted."),
            code="closed",
        )
    if clock.today() > notice.ends_on:
        raise ValidationError(
            _(
                "The objection period of this public notice ended on %(date)s; "
                "objections are no longer accepted."
            )
            % {"date": _date_text(notice.ends_on)},
            code="period_ended",
        )


def _portal_language():
    """Texts kept in rows (reasons, titles) are written in the portal's language, whatever
    language the visitor or official who caused them reads."""
    return translation.override(settings.LANGUAGE_CODE)


def _user_or_none(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


# --- Services ----------------------------------------------------------------------------------


@transaction.atomic
def publish_notice(
    actor,
    subject: models.Model | str,
    *,
    kind: str,
    title: str,
    body: str,
    period_working_days: int,
    jurisdiction: str,
    agency=None,
) -> PublicNotice:
    """Publish a notice from today for ``period_working_days`` working days.

    Callers check their own business access (who may approve an agency, publish
    results); this service requires the kind to be registered.
    """
    from portal.models import validate_jurisdiction

    kind_of(kind)
    errors: dict[str, ValidationError] = {}
    title = _required(title, 200, "title", errors)
    body = _required(body, 20000, "body", errors)
    if (
        not isinstance(period_working_days, int)
        or isinstance(period_working_days, bool)
        or not 1 <= period_working_days <= MAX_PERIOD_WORKING_DAYS
    ):
        errors["period_working_days"] = ValidationError(
            _("The period is between 1 and %(max)d working days.")
            % {"max": MAX_PERIOD_WORKING_DAYS},
            code="period",
        )
    try:
        if not jurisdiction:
            raise ValidationError(_("This field is required."), code="required")
        validate_jurisdiction(jurisdiction)
    except ValidationError as exc:
        errors["jurisdiction"] = exc
    if errors:
        raise ValidationError(errors)
    key = subject_key(subject)
    if PublicNotice.objects.filter(kind=kind, subject=key, status=NoticeStatus.OPEN).exists():
        raise ValidationError(
            _("This matter already has a public notice open for objections."), code="already_open"
        )
    today = clock.today()
    notice = PublicNotice.objects.create(
        subject=key,
        kind=kind,
        title=title,
        body=body,
        jurisdiction=jurisdiction,
        agency=agency,
        published_on=today,
        period_working_days=period_working_days,
        ends_on=clock.add_working_days(today, period_working_days),
        published_by=_user_or_none(actor),
        created_at=clock.now(),
    )
    audit.record(
        actor,
        "portal.notice.publish",
        notice,
        {
            "subject": [None, key],
            "kind": [None, kind],
            "title": [None, title],
            "published_on": [None, notice.published_on],
            "ends_on": [None, notice.ends_on],
        },
        agency=agency,
        province=jurisdiction,
        audience=Audience.AGENCY,
    )
    return notice


def file_objection(
    notice: PublicNotice, *, name: str, contact: str, content: str, evidence=None
) -> Objection:
    """A member of the public objects to an open notice (no sign-in; actor "public").

    ``evidence`` is an uploaded file; it is stored privately for the notice's
    authority. Refused after the period ended or once the notice is closed.
    """
    errors: dict[str, ValidationError] = {}
    name = _required(name, MAX_NAME, "name", errors)
    content = _required(content, MAX_CONTENT, "content", errors)
    try:
        contact = validate_contact(contact)
        if len(contact) > MAX_CONTACT:
            raise ValidationError(_("Enter a phone number or an e-mail address."), code="contact")
    except ValidationError as exc:
        errors["contact"] = exc
    if evidence is not None:
        try:
            documents.validate_upload(evidence)
        except ValidationError as exc:
            errors["evidence"] = exc
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        notice = PublicNotice.objects.select_for_update().get(pk=notice.pk)
        _ensure_accepting(notice)
        doc = None
        if evidence is not None:
            with _portal_language():
                title = _("Evidence of an objection to public notice no. %(pk)s") % {
                    "pk": notice.pk
                }
            doc = documents.store_document(
                None,
                evidence,
                title=title,
                kind=EVIDENCE_KIND,
                owner_jurisdiction=notice.jurisdiction,
                subject=notice,
                is_public=False,
                audience=Audience.AUTHORITY,
            )
        code = new_tracking_code()
        while Objection.objects.filter(tracking_code=code).exists():  # pragma: no cover
            code = new_tracking_code()
        objection = Objection.objects.create(
            notice=notice,
            objector_name=name,
            objector_contact=contact,
            content=content,
            evidence=doc,
            tracking_code=code,
            submitted_at=clock.now(),
        )
        audit.record(
            None,
            "portal.notice.object",
            objection,
            {
                "notice": [None, notice.pk],
                "objector_name": [None, name],
                "evidence": [None, doc.pk if doc else None],
            },
            agency=notice.agency,
            province=notice.jurisdiction,
            audience=Audience.AUTHORITY,  # names the objector
            actor_label="public",
        )
    return objection


def _clean_reason(reason: str) -> str:
    errors: dict[str, ValidationError] = {}
    reason = _required(reason, MAX_REASON, "reason", errors)
    if errors:
        raise ValidationError(errors)
    return reason


def _decision_changes(objection: Objection) -> dict:
    return {
        "status": [ObjectionStatus.PENDING, objection.status],
        "decision_reason": ["", objection.decision_reason],
    }


def objection_decision_refusal(objection: Objection, actor=None) -> str | None:
    """Why ``objection`` cannot be dismissed or upheld now, or None: an objection is decided
    once, while its notice is open (the page disables both buttons with this text)."""
    if objection.status != ObjectionStatus.PENDING:
        return Refusal(_("This objection has already been decided."), "decided")
    if objection.notice.status != NoticeStatus.OPEN:  # closing decides every objection
        return Refusal(_("This public notice has closed."), "closed")
    return None


def _lock_for_decision(actor, objection: Objection) -> tuple[PublicNotice, Objection]:
    notice = PublicNotice.objects.select_for_update().get(pk=objection.notice_id)
    access.require(actor, "portal.notice.decide", notice)
    locked = Objection.objects.select_for_update().get(pk=objection.pk)
    locked.notice = notice
    refuse(objection_decision_refusal(locked, actor))
    return notice, locked


def dismiss_objection(actor, objection: Objection, *, reason: str) -> Objection:
    """The objection does not hold; the notice stays open until its period ends."""
    reason = _clean_reason(reason)
    with transaction.atomic():
        notice, objection = _lock_for_decision(actor, objection)
        objection.status = ObjectionStatus.DISMISSED
        objection.decision_reason = reason
        objection.decided_by = _user_or_none(actor)
        objection.decided_at = clock.now()
        objection.save(update_fields=["status", "decision_reason", "decided_by", "decided_at"])
        audit.record(
            actor,
            "portal.notice.dismiss_objection",
            objection,
            _decision_changes(objection),
            agency=notice.agency,
            province=notice.jurisdiction,
            audience=Audience.AGENCY,  # no identity in it
        )
    return objection


def uphold_objection(actor, objection: Objection, *, reason: str) -> Objection:
    """The objection holds: the notice closes as overturned and its kind's ``on_overturned``
    runs in the same transaction; the notice's other pending objections become moot."""
    reason = _clean_reason(reason)
    with transaction.atomic():
        notice, objection = _lock_for_decision(actor, objection)
        registered = kind_of(notice.kind)
        now = clock.now()
        decided_by = _user_or_none(actor)
        objection.status = ObjectionStatus.UPHELD
        objection.decision_reason = reason
        objection.decided_by = decided_by
        objection.decided_at = now
        objection.save(update_fields=["status", "decision_reason", "decided_by", "decided_at"])
        audit.record(
            actor,
            "portal.notice.uphold_objection",
            objection,
            _decision_changes(objection),
            agency=notice.agency,
            province=notice.jurisdiction,
            audience=Audience.AGENCY,
        )
        moot = list(
            Objection.objects.select_for_update()
            .filter(notice=notice, status=ObjectionStatus.PENDING)
            .exclude(pk=objection.pk)
            .order_by("pk")
        )
        if moot:
            with _portal_language():
                moot_reason = _(
                    "Not examined further: another objection to this notice was upheld and the "
                    "notice was overturned."
                )
            Objection.objects.filter(pk__in=[o.pk for o in moot]).update(
                status=ObjectionStatus.DISMISSED,
                decision_reason=moot_reason,
                decided_by=decided_by,
                decided_at=now,
            )
            audit.record(
                actor,
                "portal.notice.moot_objections",
                notice,
                {"status": [ObjectionStatus.PENDING, ObjectionStatus.DISMISSED]},
                objects=moot,
                agency=notice.agency,
                province=notice.jurisdiction,
                audience=Audience.AGENCY,
            )
        _close(actor, notice, NoticeOutcome.OVERTURNED, now)
        registered.on_overturned(notice, objection)
    return objection


def _close(actor, notice: PublicNotice, outcome: str, now: dt.datetime, **audit_kwargs) -> None:
    notice.status = NoticeStatus.CLOSED
    notice.outcome = outcome
    notice.closed_at = now
    notice.save(update_fields=["status", "outcome", "closed_at"])
    audit.record(
        actor,
        "portal.notice.close",
        notice,
        {
            "status": [NoticeStatus.OPEN, NoticeStatus.CLOSED],
            "outcome": [NoticeOutcome.PENDING, outcome],
        },
        agency=notice.agency,
        province=notice.jurisdiction,
        audience=Audience.AGENCY,
        **audit_kwargs,
    )
    documents.start_retention(notice, closed_on=timezone.localdate(now))


def _due() -> QuerySet[PublicNotice]:
    return PublicNotice.objects.filter(status=NoticeStatus.OPEN, ends_on__lt=clock.today()).exclude(
        objections__status=ObjectionStatus.PENDING
    )


def _close_as_stood(pk: int) -> bool:
    with transaction.atomic():
        notice = PublicNotice.objects.select_for_update().get(pk=pk)
        pending = notice.objections.filter(status=ObjectionStatus.PENDING).exists()
        if notice.status != NoticeStatus.OPEN or notice.ends_on >= clock.today() or pending:
            return False  # closed meanwhile, or an objection came in before the end
        registered = kind_of(notice.kind)
        _close(access.SYSTEM, notice, NoticeOutcome.STOOD, clock.now(), actor_label=JOB_LABEL)
        registered.on_stood(notice)
    return True


def close_due_notices() -> int:
    """Periodic job: every open notice whose period has ended and that has no pending
    objection closes as "stood" and its kind's ``on_stood`` runs. A notice with a
    pending objection never closes here. Each notice closes in its own transaction;
    when a callback fails, the others still close and the run reports the failure."""
    closed, failed = 0, []
    for pk in list(_due().order_by("ends_on", "pk").values_list("pk", flat=True)):
        try:
            closed += _close_as_stood(pk)
        except Exception:
            logger.exception("closing public notice %s failed", pk)
            failed.append(pk)
    if failed:
        raise RuntimeError(f"{closed} notices closed; closing failed for notices {failed}")
    return closed


# --- Read paths --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ListItem:
    """A row of the public page: a notice or another app's announcement."""

    title: str
    url: str
    published_on: dt.date
    kind_label: str
    ends_on: dt.date | None
    jurisdiction: str = ""
    agency_name: str = ""
    is_notice: bool = False
    is_open: bool = False
    outcome: str = ""
    outcome_label: str = ""
    takes_objections: bool = True


def _notice_item(notice: PublicNotice) -> ListItem:
    from portal.models import jurisdiction_label

    return ListItem(
        title=notice.title,
        url=reverse("notices:detail", args=[notice.pk]),
        published_on=notice.published_on,
        kind_label=kind_label(notice.kind),
        ends_on=notice.ends_on,
        jurisdiction=jurisdiction_label(notice.jurisdiction),
        agency_name=notice.agency.name if notice.agency_id else "",
        is_notice=True,
        is_open=notice.is_open,
        outcome=notice.outcome,
        outcome_label=notice.get_outcome_display(),
        takes_objections=takes_objections(notice.kind),
    )


def _announcement_item(item: Announcement, today: dt.date) -> ListItem:
    return ListItem(
        title=item.title,
        url=item.url,
        published_on=item.published_on,
        kind_label=str(item.kind_label),
        ends_on=item.ends_on,
        is_open=item.ends_on is None or item.ends_on >= today,
    )


#: The public list pages through at most this many notices of one filter; beyond, the visitor
#: narrows it (kind, province, agency). Counting is bounded too, so a list of millions of
#: closed notices never counts them all (decision 0039).
PUBLIC_LIST_CAP = 2000


def public_notices(
    *, closed: bool = False, kind: str = "", jurisdiction: str = "", agency_ids=None
) -> QuerySet[PublicNotice]:
    """Open (or closed) notices, newest first, filtered by kind, jurisdiction (the province or
    000000) and agencies; each filter has its index (``notice_public_*``)."""
    status = NoticeStatus.CLOSED if closed else NoticeStatus.OPEN
    found = PublicNotice.objects.filter(status=status)
    if kind:
        found = found.filter(kind=kind)
    if jurisdiction:
        found = found.filter(jurisdiction=jurisdiction)
    if agency_ids is not None:
        found = found.filter(agency_id__in=list(agency_ids))
    return found.select_related("agency").order_by("-published_on", "-id")


def agencies_named(text: str, limit: int = 20) -> list[int]:
    """Agencies whose credit code is ``text`` or whose name contains it (the agency filter)."""
    from portal.models import Agency

    text = _nfkc(text)
    if not text:
        return []
    return list(
        Agency.objects.filter(Q(uscc=text.upper()) | Q(name__icontains=text))
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )


def public_announcements(*, closed: bool = False) -> list[ListItem]:
    """Other apps' announcements (calls for agencies): current ones, or ended ones."""
    today = clock.today()
    items = [_announcement_item(a, today) for a in announcements()]
    items = [i for i in items if i.is_open != closed]
    items.sort(key=lambda i: i.published_on, reverse=True)
    return items


def list_item(notice: PublicNotice) -> ListItem:
    return _notice_item(notice)


def public_items(*, closed: bool = False) -> list[ListItem]:
    """Open notices and current announcements (or closed notices and ended announcements),
    newest first."""
    today = clock.today()
    status = NoticeStatus.CLOSED if closed else NoticeStatus.OPEN
    notices = PublicNotice.objects.filter(status=status).select_related("agency")
    items = [_notice_item(n) for n in notices]
    for announcement in announcements():
        item = _announcement_item(announcement, today)
        if item.is_open != closed:
            items.append(item)
    items.sort(key=lambda i: (i.published_on, i.is_notice), reverse=True)
    return items


def notice_for_public(pk: int) -> PublicNotice | None:
    """Every notice is public, open or closed."""
    return PublicNotice.objects.select_related("agency").filter(pk=pk).first()


def notices_for_official(user) -> QuerySet[PublicNotice]:
    """The notices of the official's jurisdiction (all for national officials, Art 24),
    with their objection counts."""
    if not access.can(user, "portal.notice.decide"):
        return PublicNotice.objects.none()
    notices = PublicNotice.objects.all()
    if user.jurisdiction != NATIONAL:
        notices = notices.filter(jurisdiction=user.jurisdiction)
    return notices.select_related("agency").annotate(
        pending_count=Count("objections", filter=Q(objections__status=ObjectionStatus.PENDING)),
        objection_count=Count("objections"),
    )


def notice_for_official(user, pk: int) -> PublicNotice | None:
    """The notice if the user decides its objections (sees identities), else None (404)."""
    notice = PublicNotice.objects.select_related("agency").filter(pk=pk).first()
    if notice is None or not access.can(user, "portal.notice.decide", notice):
        return None
    return notice


def objections_for_official(notice: PublicNotice) -> QuerySet[Objection]:
    return notice.objections.select_related("evidence", "decided_by").order_by("submitted_at")


def pending_objection_count(user) -> int:
    return Objection.objects.filter(
        status=ObjectionStatus.PENDING, notice__in=notices_for_official(user).values("pk")
    ).count()


@dataclass(frozen=True)
class ObjectionSubstance:
    """What the agency concerned may read of an objection: never who filed it."""

    number: int
    submitted_at: dt.datetime
    content: str
    status: str
    status_label: str
    decision_reason: str
    decided_at: dt.datetime | None


_SUBSTANCE_FIELDS = ("pk", "submitted_at", "content", "status", "decision_reason", "decided_at")


def _substance(row: dict) -> ObjectionSubstance:
    return ObjectionSubstance(
        number=row["pk"],
        submitted_at=row["submitted_at"],
        content=row["content"],
        status=row["status"],
        status_label=str(ObjectionStatus(row["status"]).label),
        decision_reason=row["decision_reason"],
        decided_at=row["decided_at"],
    )


def notices_for_agency(user, agency) -> list[tuple[PublicNotice, list[ObjectionSubstance]]]:
    """The agency's notices with the substance of their objections (no identities)."""
    notices = list(PublicNotice.objects.filter(agency=agency).order_by("-published_on", "-pk"))
    notices = [n for n in notices if access.can(user, "portal.notice.view_objections", n)]
    rows: dict[int, list[ObjectionSubstance]] = {n.pk: [] for n in notices}
    for row in (
        Objection.objects.filter(notice__in=notices)
        .order_by("submitted_at", "pk")
        .values("notice_id", *_SUBSTANCE_FIELDS)
    ):
        rows[row["notice_id"]].append(_substance(row))
    return [(n, rows[n.pk]) for n in notices]


@dataclass(frozen=True)
class TrackedObjection:
    """What the tracking page shows: no name, contact or content."""

    notice_title: str
    notice_url: str
    submitted_at: dt.datetime
    status: str
    status_label: str
    decision_reason: str
    decided_at: dt.datetime | None
    answer_due_on: dt.date | None = None  # while pending

    @property
    def overdue(self) -> bool:
        return self.answer_due_on is not None and self.answer_due_on < clock.today()


def track(code: str) -> TrackedObjection | None:
    code = normalise_tracking_code(code)
    if not is_tracking_code(code):
        return None
    objection = Objection.objects.select_related("notice").filter(tracking_code=code).first()
    if objection is None:
        return None
    return TrackedObjection(
        notice_title=objection.notice.title,
        notice_url=reverse("notices:detail", args=[objection.notice_id]),
        submitted_at=objection.submitted_at,
        status=objection.status,
        status_label=objection.get_status_display(),
        decision_reason=objection.decision_reason,
        decided_at=objection.decided_at,
        answer_due_on=(
            answer_due_on(objection.submitted_at)
            if objection.status == ObjectionStatus.PENDING
            else None
        ),
    )
