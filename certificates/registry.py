"""What certificates registers with portal, once, from ``CertificatesConfig.ready()``: access
rules of its actions, audit sentences, links from the audit trail and menu entries."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal import audit
from portal.access import agency_role, any_of, in_jurisdiction, register_action
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
    _register_submissions()


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


def _register_submissions() -> None:
    """Data submission to the testing centre (Art 21; decision 0052)."""
    import datetime as dt

    from celery.schedules import crontab

    from certificates.services import submission
    from portal.jobs import periodic
    from portal.ui.dashboards import register_panel

    register_action(
        "certificates.submission.submit",
        agency_role(A.ADMIN, A.STAFF),
        "Submit the agency's certificate data to the testing centre now (Art 21)",
    )
    register_action(
        "certificates.submission.review",
        in_jurisdiction(R.OSTA_STAFF),
        "Read and acknowledge the agencies' data submissions, see late agencies (Art 21)",
    )
    register_action(
        "certificates.submission.download",
        in_jurisdiction(R.OSTA_STAFF),
        "Download a data submission's files with full ID numbers (Art 21)",
    )
    for action, label in {
        "certificates.submission.submit": _("submitted certificate data to the testing centre"),
        "certificates.submission.acknowledge": _("acknowledged a data submission"),
        "certificates.submission.download": _("downloaded a data submission file"),
    }.items():
        audit.register_label(action, label, summary=("sequence", "events", "file"))
    audit.display.register_change_labels(
        {
            "sequence": _("batch number"),
            "events": _("events"),
            "period_to": _("up to"),
            "acknowledged": _("acknowledged"),
            "file": _("file"),
            "bytes": _("bytes"),
        }
    )
    audit.register_object_url("certificates.submissionbatch", _submission_url)
    navigation.register(
        "certificates_submissions_agency",
        _("Data submission"),
        "certificates:agency_submissions",
        area=navigation.AGENCY,
        order=77,
        roles={"agency:admin", "agency:staff"},
    )
    navigation.register(
        "certificates_submissions",
        _("Data submissions"),
        "certificates:submissions",
        area=navigation.WORKSPACE,
        order=337,
        roles={R.OSTA_STAFF},
    )
    register_panel("certificates.submissions", {R.OSTA_STAFF}, _submissions_panel)
    days = submission.period_days()
    periodic.register(
        "certificates.submit_data",
        submission.submit_due,
        # Monthly: on the 1st at 02:10, covering the month before; else every night.
        schedule=crontab(minute=10, hour=2, day_of_month=1 if days is None else "*"),
        every=dt.timedelta(days=days or 28),
        description="Submit each agency's new, revoked and replaced certificates (Art 21)",
    )


def _submission_url(user, object_id: str) -> str | None:
    from certificates.models import SubmissionBatch
    from portal.access import can, member_roles

    batch = SubmissionBatch.objects.filter(pk=object_id).first()
    if batch is None:
        return None
    if can(user, "certificates.submission.review", batch):
        return reverse("certificates:submission", args=[batch.pk])
    if member_roles(user, batch.agency_id) & {A.ADMIN, A.STAFF}:
        return reverse("certificates:agency_submissions", args=[batch.agency_id])
    return None


def _submissions_panel(request):
    """The testing centre's to-dos: batches waiting for acknowledgement (decision 0027),
    and the agencies late with their data as a fact."""
    from django.db.models import Count, Min
    from django.utils.translation import ngettext

    from certificates import queries
    from portal.ui.dashboards import PanelLink, Todo, todo_panel

    waiting = queries.submissions_for(request.user).filter(acknowledged_at__isnull=True)
    summary = waiting.aggregate(n=Count("pk"), oldest=Min("created_at"))
    n, url = summary["n"], reverse("certificates:submissions")
    todo = Todo(
        n,
        ngettext(
            "%(n)d data submission awaits acknowledgement",
            "%(n)d data submissions await acknowledgement",
            n,
        )
        % {"n": n},
        f"{url}?state=waiting",
        oldest=summary["oldest"],
    )
    return todo_panel(
        _("Data submissions"),
        todos=[todo],
        text=_("Certificate data the agencies submitted to the testing centre (Art 21)."),
        links=[
            PanelLink(_("Open the submissions"), url),
            PanelLink(_("Late agencies"), reverse("certificates:submissions_late")),
        ],
        order=30,
    )
