"""What certificates registers with portal, once, from ``CertificatesConfig.ready()``: access
rules of its actions, audit sentences, links from the audit trail and menu entries."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal import audit
from portal.access import agency_role, any_of, authority_role, in_jurisdiction, register_action
from portal.roles import AgencyRole as A
from portal.roles import AuthorityRole as R
from portal.ui import navigation

OFFICIALS = (R.MINISTRY_OFFICIAL, R.PROVINCIAL_OFFICIAL, R.OSTA_STAFF)


def register() -> None:
    register_action(
        "certificates.issue",
        agency_role(A.ADMIN, A.STAFF),
        "Issue the certificates of the agency's sessions with final results (Art 20)",
    )
    register_action(
        "certificates.registry",
        any_of(in_jurisdiction(*OFFICIALS)),
        "Read the certificates issued at sites in the jurisdiction (national: all)",
    )
    audit.register_label(
        "certificates.batch.issue",
        _("issued a batch of certificates"),
        summary=("certificates", "ranges"),
    )
    audit.display.register_change_labels(
        {
            "already_issued": _("already issued"),
            "ranges": _("numbers"),
        }
    )
    audit.register_object_url("certificates.issuancebatch", _batch_url)
    from portal import slots

    slots.register("assessments.session", _session_certificates)
    navigation.register(
        "certificates_agency",
        _("Certificates"),
        "certificates:agency_certificates",
        area=navigation.AGENCY,
        order=76,
        roles={"agency:admin", "agency:staff"},
    )
    navigation.register(
        "certificates_registry",
        _("Certificates issued"),
        "certificates:registry",
        area=navigation.WORKSPACE,
        order=335,
        roles=set(OFFICIALS),
    )
    _register_certpdf()
    _register_qrlegacy()
    _register_statistics()


def _batch_url(user, object_id: str) -> str | None:
    from certificates.models import IssuanceBatch
    from portal.access import member_roles

    batch = IssuanceBatch.objects.filter(pk=object_id).only("agency_id").first()
    if batch is None or not member_roles(user, batch.agency_id) & {A.ADMIN, A.STAFF}:
        return None
    return reverse("certificates:batch", args=[batch.agency_id, batch.pk])


def _register_certpdf() -> None:
    """The certificate PDF, the agency's seal and the PDF cache (decision 0043)."""
    import datetime as dt

    from celery.schedules import crontab

    from certificates.services import pdfs
    from portal.jobs import periodic

    register_action(
        "certificates.seal.manage",
        agency_role(A.ADMIN),
        "Upload the agency's seal image printed on its certificates (Art 20)",
    )
    register_action(
        "certificates.pdf.read",
        agency_role(A.ADMIN, A.STAFF),
        "Download the PDF of the agency's certificates, one or a session's batch (Art 20)",
    )
    audit.register_label(
        "certificates.seal.upload",
        _("uploaded the agency's seal image"),
        summary=("seal_size",),
    )
    audit.display.register_change_labels(
        {"seal_document": _("seal image"), "seal_size": _("size in pixels")}
    )
    periodic.register(
        "certificates.evict_pdf_cache",
        pdfs.evict_pdf_cache,
        schedule=crontab(minute=25),
        every=dt.timedelta(hours=1),
        description="Drop the least recently used certificate PDFs beyond the cache limit",
    )


def _session_certificates(request, session):
    """On the agency's session page: issue the certificates once results are final (Art 20),
    or see them once issued. Assessments names the slot and never imports certificates."""
    from django.utils.html import format_html

    from assessments.models import ResultOutcome, ResultStatus

    if session.results_final_at is None:
        return None
    passed = session.results.filter(status=ResultStatus.FINAL, outcome=ResultOutcome.PASSED)
    if not passed.exists():
        return None
    waiting = passed.filter(certificate_number="").exists()
    if waiting:
        url = reverse("certificates:issue", args=[session.agency_id]) + f"?session={session.pk}"
        return format_html(' <a class="button" href="{}">{}</a>', url, _("Issue certificates"))
    url = reverse("certificates:session_pdf", args=[session.agency_id, session.pk])
    return format_html(
        ' <a class="button secondary" href="{}">{}</a>', url, _("Certificates of the session")
    )


def _register_qrlegacy() -> None:
    """Legacy certificate records imported by testing-centre staff (Art 4; decision 0046)."""
    register_action(
        "certificates.legacy",
        in_jurisdiction(R.OSTA_STAFF),
        "Import certificates issued before the portal or elsewhere, for lookup (Art 4)",
    )
    audit.register_label(
        "certificates.legacy.stage",
        _("checked a file of legacy certificates"),
        summary=("rows", "rows_with_errors"),
    )
    audit.register_label(
        "certificates.legacy.apply",
        _("imported legacy certificates"),
        summary=("records_added", "already_imported"),
    )
    audit.display.register_change_labels(
        {
            "rows": _("rows"),
            "rows_with_errors": _("rows with errors"),
            "records_added": _("records added"),
            "already_imported": _("already imported"),
            "counters_moved": _("number counters moved"),
        }
    )
    navigation.register(
        "certificates_legacy",
        _("Legacy certificates"),
        "certificates:legacy_imports",
        area=navigation.WORKSPACE,
        order=336,
        roles={R.OSTA_STAFF},
    )


def _register_statistics() -> None:
    """The certificate statistics (Art 21, 24; decision 0053): the officials' page, the public
    page, the periodic recount and the refresh when a certificate is revoked or replaced."""
    import datetime as dt

    from celery.schedules import crontab

    from certificates import signals
    from certificates.services import statistics
    from portal.jobs import periodic

    register_action(
        "certificates.statistics.view",
        authority_role(*OFFICIALS),
        "Read the certificate statistics of one's jurisdiction, with the agencies (Art 24)",
    )
    navigation.register(
        "certificates_statistics",
        _("Certificate statistics"),
        "certificates:statistics",
        area=navigation.WORKSPACE,
        order=337,
        roles=set(OFFICIALS),
    )
    navigation.register(
        "public_certificate_statistics",
        _("Certificate statistics"),
        "certificates:public_statistics",
        area=navigation.PUBLIC,
        order=45,
    )
    periodic.register(
        "certificates.recount_statistics",
        statistics.recount_recent,
        schedule=crontab(minute=40, hour=2),
        every=dt.timedelta(days=1),
        description="Recount the certificate statistics of the recent months, agency by agency",
    )
    signals.revoked.connect(_refresh_statistics, dispatch_uid="certificates.statistics.revoked")
    signals.replaced.connect(_refresh_statistics, dispatch_uid="certificates.statistics.replaced")


def _refresh_statistics(sender, certificate=None, successor=None, **kwargs) -> None:
    """A certificate was revoked or replaced (sent on commit): its key's row, and the
    successor's, recomputed by a task (decision 0053)."""
    from certificates import tasks
    from portal.jobs.background import enqueue

    ids = [c.pk for c in (certificate, successor) if c is not None and c.pk is not None]
    if ids:
        enqueue(tasks.refresh_certificate_statistics, ids)
