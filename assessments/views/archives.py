"""The archive of a session (Art 18, 21): the agency adds the question papers, answer sheets,
paper records and where the video recordings are kept, then archives the session and downloads
the reproducible export; officials and the testing centre of the site's province read the
archive and download the export. Thin views: every change goes through
``assessments.services.archives``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from assessments import queries
from assessments.forms.archives import PaperRecordForm, RecordFileForm, RecordingsForm
from assessments.models import ArchiveExport, AssessmentSession
from assessments.services import archives
from portal.ui.confirm import confirm_page, is_confirmed
from portal.ui.helpers import apply_errors, button_action, crumbs, loads


def _own(request):
    return queries.sessions_of_agency(request.agency)


def _officials(request):
    return queries.plans_for_official(request.user)


def _context(request, session: AssessmentSession, *, export_url: str) -> dict:
    export = ArchiveExport.objects.filter(session=session).first()
    return {
        "session": session,
        "rows": archives.index_rows(session),
        "export": export,
        "export_url": export_url,
        "archive_refusal": archives.archive_refusal(session, request.user),
        "record_refusal": archives.record_refusal(session, request.user),
    }


def _export(session: AssessmentSession) -> HttpResponse:
    data, _files = archives.build_export(session)
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="session-{session.pk}-archive.zip"'
    response["X-Archive-SHA256"] = archives.export_digest(data)
    return response


def _added(request, form, service, done: str, url: str):
    if not form.is_valid():
        return None
    try:
        service(form.cleaned_data)
    except ValidationError as exc:
        apply_errors(form, exc)
        return None
    messages.success(request, done)
    return redirect(f"{url}#record")


@loads(_own, "assessments.session.manage", as_="session")
def session_archive(request, agency_id: int, session: AssessmentSession):
    url = reverse("assessments:session_archive", args=[agency_id, session.pk])
    file_form = RecordFileForm(prefix="f")
    paper_form = PaperRecordForm(prefix="p")
    recordings_form = RecordingsForm(prefix="r", initial={"location": session.recordings_kept_at})
    user = request.user
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "file":
            file_form = RecordFileForm(request.POST, request.FILES, prefix="f")
            response = _added(request, file_form, lambda d: archives.add_record_file(
                user, session, upload=d["file"], kind=d["kind"], title=d["title"],
            ), _("The file is added to the session's record."), url)  # fmt: skip
        elif action == "paper":
            paper_form = PaperRecordForm(request.POST, prefix="p")
            response = _added(request, paper_form, lambda d: archives.add_paper_record(
                user, session, title=d["title"], location=d["location"],
            ), _("The paper record is registered with its place."), url)  # fmt: skip
        elif action == "recordings":
            recordings_form = RecordingsForm(request.POST, prefix="r")
            response = _added(request, recordings_form, lambda d: archives.set_recordings_location(
                user, session, location=d["location"],
            ), _("The place of the video recordings is recorded."), url)  # fmt: skip
        elif action == "archive":
            if not is_confirmed(request):
                if refusal := archives.archive_refusal(session, user):
                    messages.error(request, refusal)
                    return redirect(url)
                return confirm_page(request, title=_("Archive the session"), subject=str(session),
                    points=[
                        _("The record of the session is stored as documents: the plan, the roll, "
                          "check-in, incidents, the supervisor's report, scores, results, the "
                          "notice and objections, the certificates issued, and the files added."),
                        _("Electronic records are kept 5 years and paper records 3 years from "
                          "today; none can be deleted before its date (Art 21)."),
                        _("The people assigned to the session lose access to it; nothing can be "
                          "added to the record afterwards."),
                    ], confirm_label=_("Archive the session"), back_url=url)  # fmt: skip
            return button_action(
                request, lambda: archives.archive_session(user, session), success_url=url,
                message=_("The session is archived; its export is ready to download."),
            )  # fmt: skip
        else:
            return HttpResponse(status=404)
        if response is not None:
            return response
    context = _context(
        request,
        session,
        export_url=reverse("assessments:session_archive_export", args=[agency_id, session.pk]),
    )
    context |= {
        "file_form": file_form,
        "paper_form": paper_form,
        "recordings_form": recordings_form,
        "manage": True,
        "statistics_url": reverse("assessments:session_statistics", args=[agency_id, session.pk]),
        "breadcrumbs": crumbs(
            (_("Assessment sessions"), reverse("assessments:sessions", args=[agency_id])),
            (str(session), reverse("assessments:session", args=[agency_id, session.pk])),
            _("Archive"),
        ),
    }
    return render(request, "assessments/archives/archive.html", context)


@loads(_own, "assessments.archive.read", as_="session")
def session_archive_export(request, agency_id: int, session: AssessmentSession):
    return _export(session)


@loads(_officials, "assessments.archive.read", as_="session")
def plan_archive(request, session: AssessmentSession):
    context = _context(
        request, session, export_url=reverse("assessments:plan_archive_export", args=[session.pk])
    )
    context |= {
        "manage": False,
        "statistics_url": reverse("assessments:plan_statistics", args=[session.pk]),
        "breadcrumbs": crumbs(
            (_("Filed assessment plans"), reverse("assessments:plans")),
            (str(session), reverse("assessments:plan", args=[session.pk])),
            _("Archive"),
        ),
    }
    return render(request, "assessments/archives/archive.html", context)


@loads(_officials, "assessments.archive.read", as_="session")
def plan_archive_export(request, session: AssessmentSession):
    return _export(session)
