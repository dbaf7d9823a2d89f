"""Candidates (Art 16, 18): an agency enrols candidates in a session one by one, withdraws
them, exports the list. The roster import (``services.imports``) uses the same checks.

Refused: registration not open, a full session, a second enrolment of the same person in the
same session, an ineligible candidate (the refusal says, for each route, what is missing), and
for an employer agency a person who is not its own staff (Art 16).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from agencies import queries as agency_queries
from assessments.models import (
    AssessmentSession,
    Candidate,
    Enrolment,
    EnrolmentSource,
    EnrolmentStatus,
)
from assessments.services import eligibility
from catalog.models import EligibilityRoute
from portal import access, audit, clock, codes, documents, pii
from portal.models import Audience
from portal.refusals import Refusal, refuse

PHOTO_MIN = (295, 413)  # 一寸照 at 300 dpi
PHOTO_MAX_BYTES = 2 * 1024 * 1024


@dataclass
class CandidateInput:
    """What an agency states about a candidate (a form's cleaned data or a roster row)."""

    real_name: str
    id_type: str
    id_number: str
    phone: str
    email: str = ""
    employer_name: str = ""
    employer_uscc: str = ""
    dispatched: bool = False
    work_unit_name: str = ""
    work_unit_uscc: str = ""
    education: str = ""
    started_on: dt.date | None = None
    prior_number: str = ""
    prior_level: str = ""
    prior_date: dt.date | None = None
    photo: bytes | None = field(default=None, repr=False)  # re-encoded JPEG

    @property
    def facts(self) -> eligibility.Facts:
        return eligibility.Facts(
            education=self.education,
            started_on=self.started_on,
            prior_level=self.prior_level,
            prior_date=self.prior_date,
        )

    @property
    def staff_usccs(self) -> list[str]:
        """The employers that make a person the agency's own staff (Art 16): the employer, and
        for dispatched staff the unit where the person works."""
        return [self.employer_uscc, *([self.work_unit_uscc] if self.dispatched else [])]


# --- Checks of single values (the form and the roster share them) ---------------------------


def check_photo(data: bytes) -> bytes:
    """A JPEG or PNG portrait of at least 295×413 px and at most 2 MB, re-encoded as a JPEG
    without its metadata (what a camera wrote in it is not kept)."""
    from PIL import Image, UnidentifiedImageError

    if len(data) > PHOTO_MAX_BYTES:
        raise ValidationError(_("The photo is larger than 2 MB."), code="photo_size")
    try:
        image = Image.open(io.BytesIO(data))
        kind = image.format
        image.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise ValidationError(
            _("The photo must be a JPEG or PNG picture."), code="photo_type"
        ) from None
    if kind not in ("JPEG", "PNG"):
        raise ValidationError(_("The photo must be a JPEG or PNG picture."), code="photo_type")
    width, height = image.size
    if width > height:
        raise ValidationError(
            _("The photo must be a portrait (taller than wide)."), code="photo_shape"
        )
    if width < PHOTO_MIN[0] or height < PHOTO_MIN[1]:
        raise ValidationError(
            _("The photo must be at least 295×413 pixels (it is %(w)d×%(h)d).")
            % {"w": width, "h": height},
            code="photo_small",
        )
    out = io.BytesIO()
    image.convert("RGB").save(out, "JPEG", quality=88)
    return out.getvalue()


def check_prior_number(number: str) -> str:
    """A skill-level certificate number (22 characters) or an old 16-digit one."""
    number = codes.normalize_code(number or "").upper()
    if not number:
        return ""
    if codes.is_legacy_certificate_number(number):
        return number
    codes.validate_certificate_number(number)
    return number


def find_candidate(id_type: str, number: str) -> Candidate | None:
    """The one record of this person (under any index key), or None."""
    values = pii.index_candidates(id_type, number)
    return Candidate.objects.filter(id_index__in=values).first() if values else None


# --- Refusals -----------------------------------------------------------------------------


def enrolled(session: AssessmentSession):
    return session.enrolments.filter(status=EnrolmentStatus.ENROLLED)


def enrolment_refusal(session: AssessmentSession, actor=None, *, extra: int = 1) -> str | None:
    """Why no candidate can be enrolled now (Art 18): registration not open, or the session is
    full (``extra`` more would not fit)."""
    if not session.registration_open_on(clock.today()):
        return Refusal(_("Registration for this session is not open."), "not_open")
    if enrolled(session).count() + extra > session.capacity:
        return Refusal(
            _("The session is full (%(capacity)d places).") % {"capacity": session.capacity},
            "full",
        )
    return None


def own_staff_refusal(session: AssessmentSession, usccs: list[str]) -> str | None:
    """Art 16: an employer agency assesses its own staff (dispatched staff by the unit where
    they work; confirmed affiliates count) unless its listing lets it serve others."""
    agency = session.agency
    if agency_queries.may_serve_others(agency):
        return None
    if agency_queries.is_own_staff(agency, usccs, on=clock.today()):
        return None
    return Refusal(
        _(
            "The agency assesses its own staff only: the employer (or, for dispatched staff, "
            "the unit where the person works) must be the agency or one of its confirmed "
            "affiliated employers."
        ),
        "not_own_staff",
    )


def eligibility_of(session: AssessmentSession, facts: eligibility.Facts) -> eligibility.Outcome:
    """The candidate against the session's frozen rules, on today's date."""
    return eligibility.evaluate(session.eligibility, facts, on=clock.today())


def withdrawal_refusal(enrolment: Enrolment, actor=None) -> str | None:
    if enrolment.status != EnrolmentStatus.ENROLLED:
        return Refusal(_("The candidate has already been withdrawn."), "withdrawn")
    first = enrolment.session.first_sitting_on
    if first is not None and first <= clock.today():
        return Refusal(_("A candidate can be withdrawn only before the first sitting."), "sat")
    return None


def needs_diploma(outcome: eligibility.Outcome) -> bool:
    """Eligible through an education rule (Art 18): the diploma must be seen and confirmed."""
    return bool(outcome.route) and outcome.route.get("route") == EligibilityRoute.EDUCATION


def confirm_education_refusal(enrolment: Enrolment, actor=None) -> str | None:
    """Why the education of this candidate cannot be confirmed now."""
    if enrolment.status != EnrolmentStatus.ENROLLED:
        return Refusal(_("The candidate has been withdrawn."), "withdrawn")
    if not enrolment.diploma_required:
        return Refusal(
            _("The candidate is not eligible through education: no diploma is needed."),
            "not_education",
        )
    if enrolment.education_confirmed_at is not None:
        return Refusal(_("The education was already confirmed."), "confirmed")
    return None


# --- Actions ------------------------------------------------------------------------------


def _record(actor, action: str, enrolment: Enrolment, changes: dict) -> None:
    session = enrolment.session
    audit.record(
        actor,
        action,
        enrolment,
        changes,
        agency=session.agency,
        province=session.site.province_id,
        audience=Audience.AGENCY,
    )


def store_photo(actor, session: AssessmentSession, jpeg: bytes, name: str):
    """A candidate's checked photo, a document of the session owned by the site's province."""
    return documents.store_document(
        actor,
        ContentFile(jpeg, name=f"{name}.jpg"),
        title=_("Photo of %(name)s") % {"name": name},
        kind="candidate_photo",
        owner_agency=session.agency,
        owner_jurisdiction=session.site.province_id,
        subject=session,
        allowed=("jpeg",),
    )


def enrolment_for(session, candidate, inp: CandidateInput, outcome, actor, now, **extra):
    return Enrolment(
        session=session,
        candidate=candidate,
        real_name=inp.real_name,
        phone=inp.phone,
        email=inp.email,
        employer_name=inp.employer_name,
        employer_uscc=inp.employer_uscc,
        dispatched=inp.dispatched,
        work_unit_name=inp.work_unit_name if inp.dispatched else "",
        work_unit_uscc=inp.work_unit_uscc if inp.dispatched else "",
        education=inp.education,
        started_on=inp.started_on,
        prior_number=inp.prior_number,
        prior_level=inp.prior_level,
        prior_date=inp.prior_date,
        eligible_by=outcome.route_label[:300],
        diploma_required=needs_diploma(outcome),
        enrolled_by=actor,
        enrolled_at=now,
        **extra,
    )


def candidate_for(inp: CandidateInput) -> Candidate:
    """The person's one record, created on first enrolment (gender and birth date read from a
    resident ID)."""
    found = find_candidate(inp.id_type, inp.id_number)
    if found:
        return found
    derived = pii.derive(inp.id_type, inp.id_number)
    person = Candidate(
        real_name=inp.real_name,
        id_type=inp.id_type,
        id_number=inp.id_number,
        gender=derived.gender if derived else "",
        birth_date=derived.birth_date if derived else None,
    )
    person.save(force_insert=True)
    return person


@transaction.atomic
def enrol(actor, session: AssessmentSession, inp: CandidateInput) -> Enrolment:
    """Enrol one candidate (Art 16, 18): registration open, a place left, eligible by one of the
    frozen rules, the agency's own staff where Art 16 asks for it, not yet in the session."""
    session = (
        AssessmentSession.objects.select_for_update(of=("self",))
        .select_related("agency", "site")
        .get(pk=session.pk)
    )
    access.require(actor, "assessments.candidates.manage", session)
    refuse(enrolment_refusal(session, actor))
    pii.validate(inp.id_type, inp.id_number)
    existing = find_candidate(inp.id_type, inp.id_number)
    if existing and enrolled(session).filter(candidate=existing).exists():
        raise ValidationError(
            {"id_number": _("This person is already enrolled in this session.")}, code="twice"
        )
    outcome = eligibility_of(session, inp.facts)
    if not outcome.eligible:
        raise ValidationError(
            _("Not eligible for this level. %(why)s") % {"why": outcome.explanation()},
            code="ineligible",
        )
    refusal = own_staff_refusal(session, inp.staff_usccs)
    if refusal:
        raise ValidationError({"employer_uscc": str(refusal)}, code=refusal.code)
    person = existing or candidate_for(inp)
    enrolment = enrolment_for(session, person, inp, outcome, actor, clock.now())
    if inp.photo:
        enrolment.photo = store_photo(actor, session, inp.photo, inp.real_name)
    enrolment.save(force_insert=True)
    _record(
        actor,
        "assessments.candidate.enrol",
        enrolment,
        {
            "real_name": [None, enrolment.real_name],
            "employer": [None, enrolment.employer_name],
            "eligible_by": [None, enrolment.eligible_by],
        },
    )
    return enrolment


@transaction.atomic
def withdraw(actor, enrolment: Enrolment, *, reason: str) -> Enrolment:
    """Withdraw a candidate before the sitting; the reason is kept (Art 18)."""
    enrolment = (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("session__agency", "session__site")
        .get(pk=enrolment.pk)
    )
    access.require(actor, "assessments.candidates.manage", enrolment.session)
    refuse(withdrawal_refusal(enrolment, actor))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the withdrawal.")}, code="required")
    enrolment.status = EnrolmentStatus.WITHDRAWN
    enrolment.withdrawal_reason = reason
    enrolment.withdrawn_at = clock.now()
    enrolment.withdrawn_by = actor
    enrolment.save(update_fields=["status", "withdrawal_reason", "withdrawn_at", "withdrawn_by"])
    _record(
        actor,
        "assessments.candidate.withdraw",
        enrolment,
        {"status": [EnrolmentStatus.ENROLLED, EnrolmentStatus.WITHDRAWN], "reason": [None, reason]},
    )
    return enrolment


@transaction.atomic
def confirm_education(actor, enrolment: Enrolment, *, diploma, confirmed: bool) -> Enrolment:
    """Confirm, against the uploaded diploma, the education a candidate eligible through an
    education rule stated (Art 18): the agency's admin or staff uploads the diploma (PDF, JPEG
    or PNG, a document of the session owned by the site's province) and confirms that it shows
    the stated education."""
    enrolment = (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("session__agency", "session__site")
        .get(pk=enrolment.pk)
    )
    access.require(actor, "assessments.candidates.manage", enrolment.session)
    refuse(confirm_education_refusal(enrolment, actor))
    errors = {}
    if not diploma:
        errors["diploma"] = _("Upload the diploma (PDF, JPEG or PNG).")
    if not confirmed:
        errors["confirmed"] = _("Confirm that the diploma shows the stated education.")
    if errors:
        raise ValidationError(errors, code="required")
    session = enrolment.session
    document = documents.store_document(
        actor,
        diploma,
        title=_("Diploma of %(name)s") % {"name": enrolment.real_name},
        kind="candidate_diploma",
        owner_agency=session.agency,
        owner_jurisdiction=session.site.province_id,
        subject=session,
        allowed=("pdf", "jpeg", "png"),
    )
    enrolment.diploma = document
    enrolment.education_confirmed_at = clock.now()
    enrolment.education_confirmed_by = actor
    enrolment.save(update_fields=["diploma", "education_confirmed_at", "education_confirmed_by"])
    audit.record(
        actor,
        "assessments.candidate.confirm_education",
        enrolment,
        {
            "education": [None, str(enrolment.get_education_display())],
            "diploma": [None, document.pk],
        },
        agency=session.agency,
        province=session.site.province_id,
        audience=Audience.AGENCY,
    )
    return enrolment


EXPORT_HEADERS = [
    "序号", "姓名", "证件号码", "手机号码", "用人单位", "实际用工单位", "文化程度",
    "符合的申报条件", "学历核验", "来源", "状态",
]  # fmt: skip


def _education_check(e: Enrolment) -> str:
    if not e.diploma_required:
        return ""
    if e.education_confirmed_at:
        return _("Education verified")
    return _("Education to be verified")


def export_xlsx(session: AssessmentSession) -> bytes:
    """The enrolled list as XLSX (ID numbers masked: the file leaves the portal)."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("报名名单")
    sheet.append(EXPORT_HEADERS)
    rows = session.enrolments.select_related("candidate").order_by("pk")
    for n, e in enumerate(rows, start=1):
        sheet.append(
            [
                n,
                e.real_name,
                e.candidate.masked_id,
                e.phone,
                e.employer_name,
                e.work_unit_name,
                str(e.get_education_display()) if e.education else "",
                e.eligible_by,
                _education_check(e),
                str(EnrolmentSource(e.source).label),
                str(EnrolmentStatus(e.status).label),
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
