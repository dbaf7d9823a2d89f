"""What certificates registers with portal, once, from ``CertificatesConfig.ready()``: access
rules of its actions, audit sentences, links from the audit trail and menu entries."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from portal import audit
from portal.access import agency_role, any_of, authority_role, in_jurisdiction, register_action
from portal.roles import AgencyRole as A
from portal.roles import AuthorityRole as R
from portal.ui import navigation
from portal.ui.dashboards import PanelLink

OFFICIALS = (R.MINISTRY_OFFICIAL, R.PROVINCIAL_OFFICIAL, R.OSTA_STAFF)


def register() -> None:
    register_action(
        "certificates.issue",
        agency_role(A.ADMIN, A.STAFF),
        "Issue the certificates of the agency's sessions with final results (Art 20)",
    )
    register_action(
        "certificates.registry",
        any_of(in_jurisdiction(*OFFICIALS), _reviewer),
        "Read the certificates issued at sites in the jurisdiction (national: all), or those "
        "of an agency opened for a reviewer from supervision",
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
    _register_lookup()
    _register_verifiers()
    _register_verify()
    _register_changes()
    _register_statistics()
    _register_submissions()
    _register_review()


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


def _register_lookup() -> None:
    """The public certificate lookup (证书查询, Art 22; decision 0047) in the public menu and
    so on the home page, after 首页."""
    navigation.register(
        "public_certificate_lookup",
        _("Certificate lookup"),
        "certificates:lookup",
        area=navigation.PUBLIC,
        order=10,
    )


def _verifier_member(*, admin: bool):
    """A member (an administrator when ``admin``) of the approved organisation ``obj``, or of
    any approved organisation when ``obj`` is None: the tenth role, ``verifier`` (0051)."""

    def rule(user, obj=None) -> bool:
        from certificates.models import VerifierMembership, VerifierState

        cache = user.__dict__.setdefault("_verifier_orgs", {})
        if admin not in cache:
            rows = VerifierMembership.objects.filter(
                user=user, organisation__state=VerifierState.APPROVED
            )
            if admin:
                rows = rows.filter(is_admin=True)
            cache[admin] = frozenset(rows.values_list("organisation_id", flat=True))
        orgs = cache[admin]
        return bool(orgs) if obj is None else obj.pk in orgs

    return rule


def _signed_in(user, obj=None) -> bool:
    return user.is_authenticated


def verifier_roles(user) -> set[str]:
    """``{"verifier"}`` for a member of an approved organisation (menus, the dashboard)."""
    from portal.roles import VERIFIER

    if not user.is_authenticated:
        return set()
    return {VERIFIER} if _verifier_member(admin=False)(user) else set()


def _register_verifiers() -> None:
    """Bulk verification by employers, subsidy offices and HR systems (Art 22; 0051)."""
    register_action(
        "certificates.verifier.apply",
        _signed_in,
        "Apply, for one's organisation, for bulk verification access (Art 22)",
    )
    register_action(
        "certificates.verifier.decide",
        in_jurisdiction(R.MINISTRY_OFFICIAL, R.PROVINCIAL_OFFICIAL),
        "Approve or refuse an organisation's application for verification access (Art 22, 24)",
    )
    register_action(
        "certificates.verify",
        _verifier_member(admin=False),
        "Verify certificates in bulk for an approved organisation (Art 22)",
    )
    register_action(
        "certificates.verifier.manage",
        _verifier_member(admin=True),
        "Manage the members and API tokens of an approved verifying organisation (Art 22)",
    )
    labels = {
        "certificates.verifier.apply": _("applied for bulk verification access"),
        "certificates.verifier.approve": _("approved bulk verification access"),
        "certificates.verifier.refuse": _("refused bulk verification access"),
        "certificates.verifier.member_add": _("added a verifying member"),
        "certificates.verifier.member_remove": _("removed a verifying member"),
        "certificates.verifier.token_create": _("created an API token"),
        "certificates.verifier.token_revoke": _("revoked an API token"),
    }
    for action, label in labels.items():
        audit.register_label(action, label)
    audit.register_label(
        "certificates.verify.upload",
        _("verified a spreadsheet of certificates"),
        summary=("rows", "found", "rows_with_errors"),
    )
    audit.register_label(
        "certificates.verify.api",
        _("verified certificates through the API"),
        summary=("items", "found"),
    )
    audit.display.register_change_labels(
        {
            "found": _("found"),
            "items": _("items"),
            "daily_quota": _("items per day"),
            "expires_on": _("expires on"),
            "legal_basis": _("legal basis"),
            "member": _("member"),
            "token": _("token"),
        }
    )
    navigation.register(
        "certificates_verification",
        _("Bulk verification"),
        "certificates:verification",
        area=navigation.WORKSPACE,
        order=337,
        # Employers' and offices' accounts (and members); officials decide, they do not apply.
        visible_if=lambda request: not request.user.authority_roles(),
    )
    navigation.register(
        "certificates_verifier_applications",
        _("Verification access"),
        "certificates:verifier_applications",
        area=navigation.WORKSPACE,
        order=338,
        roles={R.MINISTRY_OFFICIAL, R.PROVINCIAL_OFFICIAL},
    )


def _register_verify() -> None:
    """The public verify page (Art 22; decision 0048): a public menu entry 「证书验真」."""
    navigation.register(
        "certificates_verify",
        _("Verify a certificate"),
        "certificates:verify",
        area=navigation.PUBLIC,
        order=17,
    )


def _filing_authority(user, obj=None) -> bool:
    """The filing authority of the request's agency: a provincial official of its filing
    jurisdiction, or a national (ministry) official (Art 27; decision 0049)."""
    from portal.roles import NATIONAL

    if user.jurisdiction == NATIONAL and authority_role(R.MINISTRY_OFFICIAL)(user):
        return True
    if obj is None:
        return bool(user.jurisdiction) and authority_role(R.PROVINCIAL_OFFICIAL)(user)
    agency = obj if hasattr(obj, "filing_jurisdiction") else getattr(obj, "agency", None)
    jurisdiction = getattr(agency, "filing_jurisdiction", "")
    return (
        bool(jurisdiction)
        and user.jurisdiction == jurisdiction
        and authority_role(R.PROVINCIAL_OFFICIAL)(user)
    )


def _register_changes() -> None:
    """Revocation, correction and reissue (Art 27; decision 0049)."""
    from portal.ui.dashboards import register_panel

    register_action(
        "certificates.revoke",
        in_jurisdiction(R.MINISTRY_OFFICIAL, R.PROVINCIAL_OFFICIAL),
        "Revoke a certificate issued at a site in the jurisdiction (Art 27)",
    )
    register_action(
        "certificates.request.ask",
        agency_role(A.ADMIN, A.STAFF),
        "Ask the filing authority to revoke, correct or reissue one of the agency's "
        "certificates (Art 27)",
    )
    register_action(
        "certificates.request.decide",
        _filing_authority,
        "Decide an agency's request about a certificate (Art 27)",
    )
    for action, label in (
        ("certificates.certificate.revoke", _("revoked a certificate")),
        ("certificates.certificate.correct", _("replaced a certificate by a corrected one")),
        ("certificates.certificate.reissue", _("reissued a paper certificate")),
        ("certificates.request.ask", _("asked for a change of a certificate")),
        ("certificates.request.withdraw", _("withdrew a request about a certificate")),
        ("certificates.request.decide", _("decided a request about a certificate")),
    ):
        audit.register_label(action, label, summary=("number", "reason", "state"))
    audit.display.register_change_labels(
        {
            "corrected_name": _("corrected name"),
            "corrected_id": _("corrected ID"),
            "successor": _("corrected certificate"),
            "reissued_on": _("paper reissued on"),
            "holder": _("holder"),
        }
    )
    navigation.register(
        "certificates_requests",
        _("Certificate requests"),
        "certificates:request_queue",
        area=navigation.WORKSPACE,
        order=337,
        roles={R.MINISTRY_OFFICIAL, R.PROVINCIAL_OFFICIAL},
    )
    navigation.register(
        "certificates_agency_requests",
        _("Certificate requests"),
        "certificates:agency_requests",
        area=navigation.AGENCY,
        order=77,
        roles={"agency:admin", "agency:staff"},
    )
    register_panel(
        "certificates.requests", {R.MINISTRY_OFFICIAL, R.PROVINCIAL_OFFICIAL}, _requests_panel
    )


def _requests_panel(request):
    """To-do: the agencies' certificate requests waiting for this official's decision."""
    from certificates import queries
    from portal.ui.dashboards import Todo, todo_panel

    waiting = list(
        queries.requests_to_decide(request.user)
        .order_by("requested_at")
        .values_list("requested_at", flat=True)
    )
    url = reverse("certificates:request_queue")
    return todo_panel(
        _("Certificate requests"),
        todos=[
            Todo(
                len(waiting),
                ngettext(
                    "%(n)d request about a certificate awaits your decision",
                    "%(n)d requests about certificates await your decision",
                    len(waiting),
                )
                % {"n": len(waiting)},
                url,
                oldest=waiting[0] if waiting else None,
            )
        ],
        text=_("Agencies filed with you ask to revoke, correct or reissue certificates (Art 27)."),
        links=[PanelLink(_("Open the certificate requests"), url)],
        order=45,
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


# --- Review access for supervision (Art 25; decision 0059) -------------------------------------


def _reviewer(user, obj=None) -> bool:
    """A reviewer from supervision with a grant in force on the agency's certificates (on
    any agency's for the list itself)."""
    if not user.is_authenticated:
        return False
    from certificates.services.review import grant_in_force

    return grant_in_force(user, getattr(obj, "agency_id", None) if obj is not None else None)


def _register_review() -> None:
    import datetime as dt

    from celery.schedules import crontab

    from certificates.services import review
    from portal.jobs import periodic

    audit.register_label(
        "certificates.review.opened", _("opened the agency's certificates for review")
    )
    periodic.register(
        "certificates.expire_review_grants",
        review.expire_review_grants,
        schedule=crontab(minute=20, hour=0),
        every=dt.timedelta(days=1),
        description="End reviewers' access to agencies' certificates once its date has passed",
    )
