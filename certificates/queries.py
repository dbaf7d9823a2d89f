"""What certificates reads, scoped through ``portal.access`` (decision 0017): agency members
see their agency's certificates, officials and testing-centre staff those issued at sites in
their jurisdiction (national: all); the certificate's own page is public, by token."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from assessments.models import AssessmentSession, Result, ResultOutcome, ResultStatus
from certificates.models import Certificate, IssuanceBatch, StatusList
from portal import access, codes


def certificates_of_agency(agency) -> QuerySet[Certificate]:
    return Certificate.objects.filter(agency=agency).select_related("site", "session")


def certificates_for(user) -> QuerySet[Certificate]:
    """Every certificate ``user`` may read (officials: issued at sites in the jurisdiction;
    a reviewer from supervision: those of the agencies opened for review, decision 0059)."""
    from certificates.services.review import reviewed_agency_ids

    rows = Certificate.objects.select_related("site__province")
    found = access.visible(user, rows)
    reviewed = reviewed_agency_ids(user)
    if reviewed:
        found = found | rows.filter(agency_id__in=reviewed).distinct()
    return found


def search(queryset: QuerySet[Certificate], text: str) -> QuerySet[Certificate]:
    """By certificate number (whole, or its start) or the holder's name (exact or start)."""
    text = (text or "").strip()
    if not text:
        return queryset
    code = codes.normalize_code(text)
    if code[:1] in ("Y", "S") and code[1:].isdigit():
        return queryset.filter(number__startswith=code)
    return queryset.filter(Q(holder_name__startswith=text))


def by_token(token: str) -> Certificate | None:
    """The certificate of a public token (its page is public), or None."""
    if not token or len(token) > 64:
        return None
    return (
        Certificate.objects.select_related("site__province", "photo", "replaced_by")
        .filter(token=token)
        .first()
    )


def batches_of_agency(agency) -> QuerySet[IssuanceBatch]:
    return IssuanceBatch.objects.filter(agency=agency).select_related("requested_by")


def issuable_sessions(agency) -> QuerySet[AssessmentSession]:
    """The agency's sessions with final passing results still without a certificate."""
    waiting = Result.objects.filter(
        status=ResultStatus.FINAL, outcome=ResultOutcome.PASSED, certificate__isnull=True
    ).values("session_id")
    return (
        AssessmentSession.objects.filter(agency=agency, pk__in=waiting)
        .select_related("occupation", "work_type", "level", "site")
        .order_by("-last_sitting_on", "pk")
    )


def status_list(pk: int) -> StatusList | None:
    return StatusList.objects.filter(pk=pk).first()


# --- Legacy records (Art 4; decision 0046) --------------------------------------------------


def legacy_imports_for(user):
    """The legacy imports ``user`` may read (national testing centre: all; provincial: the
    province's own)."""
    from certificates.models import LegacyImport

    return access.visible(user, LegacyImport.objects.select_related("uploaded_by"))


def legacy_certificates_for(user):
    from certificates.models import LegacyCertificate

    return access.visible(user, LegacyCertificate.objects.all())


def legacy_by_number(number: str):
    """A legacy record by its number (16 or 22 characters), for the public lookup, or None."""
    from certificates.models import LegacyCertificate

    code = codes.normalize_code(number or "")
    if not (codes.is_legacy_certificate_number(code) or codes.is_valid_certificate_number(code)):
        return None
    return LegacyCertificate.objects.filter(number=code).first()


# --- Bulk verification (Art 22; decision 0051) ---------------------------------------------


def verifier_organisations_of(user):
    """The organisations ``user`` belongs to or applied for (any state)."""
    from certificates.models import VerifierOrganisation

    return VerifierOrganisation.objects.filter(members__user=user).distinct()


def verifier_applications_for(user):
    """Applications an official may read: those of their jurisdiction (national: all)."""
    from certificates.models import VerifierOrganisation

    return access.visible(user, VerifierOrganisation.objects.select_related("applied_by"))


# --- Requests about certificates (Art 27; decision 0049) ------------------------------------


def requests_of_agency(agency):
    from certificates.models import CertificateRequest

    return CertificateRequest.objects.filter(agency=agency).select_related(
        "certificate", "requested_by", "successor"
    )


def requests_for_official(user):
    """The requests ``user`` decides: those of agencies filed with their province (national
    ministry officials: all)."""
    from certificates.models import CertificateRequest
    from portal.roles import NATIONAL, AuthorityRole

    roles = user.authority_roles() if user.is_authenticated else set()
    rows = CertificateRequest.objects.select_related(
        "certificate__site__province", "agency", "requested_by", "successor"
    )
    if user.jurisdiction == NATIONAL and AuthorityRole.MINISTRY_OFFICIAL in roles:
        return rows
    if user.jurisdiction and AuthorityRole.PROVINCIAL_OFFICIAL in roles:
        return rows.filter(agency__filing_jurisdiction=user.jurisdiction)
    return rows.none()


def requests_to_decide(user):
    from certificates.models import RequestState

    return requests_for_official(user).filter(state=RequestState.PENDING)


def submissions_for(user):
    """Data submissions the testing-centre ``user`` may read (Art 21): those addressed to
    their jurisdiction (national: all)."""
    from certificates.models import SubmissionBatch

    if not access.can(user, "certificates.submission.review"):
        return SubmissionBatch.objects.none()
    found = SubmissionBatch.objects.select_related("agency", "acknowledged_by", "created_by")
    if user.jurisdiction != "000000":
        found = found.filter(jurisdiction=user.jurisdiction)
    return found


def submissions_of_agency(agency):
    from certificates.models import SubmissionBatch

    return SubmissionBatch.objects.filter(agency=agency).select_related("acknowledged_by")
