"""Demo data of certificates: the demo agency's final sessions get their certificates, the
first one bilingual (zh-en, for the PDF's English variant), the rest in Chinese.

Idempotent: issuing again issues nothing new. ``issue_demo_certificates(session)`` is the
step the lead chains after the results demo (a session whose results are final).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

from certificates.models import Certificate, CertificateVariant
from certificates.services import issue_certificates, session_refusal


def _issuer(session):
    from portal.models import AgencyMembership
    from portal.roles import AgencyRole

    membership = (
        AgencyMembership.objects.filter(
            agency=session.agency, role__in=[AgencyRole.ADMIN, AgencyRole.STAFF]
        )
        .select_related("user")
        .order_by("role", "pk")
        .first()
    )
    return membership.user if membership else None


def issue_demo_certificates(session, *, actor=None, stdout=None) -> int:
    """Issue the certificates of a final ``session``: one in zh-en (the first result), the
    others in zh. Returns how many were issued now (0 when refused or already done)."""
    from assessments.queries import final_passed_results

    actor = actor or _issuer(session)
    refusal = session_refusal(session)
    if actor is None or refusal:
        if stdout is not None:
            stdout.write(f"certificates: session {session.pk} not issued: {refusal or 'no issuer'}")
        return 0
    waiting = [
        r.result_id
        for r in final_passed_results(session)
        if not Certificate.objects.filter(result_id=r.result_id).exists()
    ]
    if not waiting:
        return 0
    issued = 0
    try:
        if not Certificate.objects.filter(
            session=session, variant=CertificateVariant.ZH_EN
        ).exists():
            issued += issue_certificates(
                actor, [session], variant=CertificateVariant.ZH_EN, only_results=waiting[:1]
            ).done
        issued += issue_certificates(actor, [session], variant=CertificateVariant.ZH).done
    except ValidationError as exc:
        if stdout is not None:
            stdout.write(f"certificates: session {session.pk} not issued: {' '.join(exc.messages)}")
    if stdout is not None and issued:
        stdout.write(f"certificates: {issued} demo certificates issued for session {session.pk}")
    return issued


def seed(stdout=None) -> None:
    from assessments.models import AssessmentSession, Result

    final = (
        Result.objects.filter(
            status="final",
            outcome="passed",
            certificate__isnull=True,
            session__agency__is_demo=True,
        )
        .values_list("session_id", flat=True)
        .distinct()
    )
    for session in AssessmentSession.objects.filter(pk__in=list(final)).order_by("pk"):
        issue_demo_certificates(session, stdout=stdout)
