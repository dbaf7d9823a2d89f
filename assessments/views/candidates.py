"""Pages of candidates (Art 16, 18): the agency's admin and staff enrol candidates one by one
or from a roster (upload, preview column by column, apply), withdraw them and export the list.

Thin views: every change goes through ``assessments.services.candidates`` and ``imports``."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments import queries
from assessments.forms.candidates import CandidateForm, EducationForm, RosterForm, WithdrawForm
from assessments.models import Enrolment, RosterBatch
from assessments.services import candidates as cs
from assessments.services import imports
from portal.models import Document
from portal.ui.helpers import button_action, crumbs, form_action, loads, object_for

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _session(request, pk):
    return object_for(request, queries.sessions_of_agency(request.agency), pk=pk)


def _crumbs(agency_id, session, *tail):
    return crumbs(
        (_("Assessment sessions"), reverse("assessments:sessions", args=[agency_id])),
        (str(session), reverse("assessments:session", args=[agency_id, session.pk])),
        *tail,
    )


def _list_url(agency_id, session):
    return reverse("assessments:candidates", args=[agency_id, session.pk])


def _xlsx(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    return response


def candidates(request, agency_id: int, pk: int):
    session = _session(request, pk)
    enrolments = session.enrolments.select_related("candidate").order_by("status", "pk")
    context = {
        "session": session,
        "enrolments": enrolments,
        "enrolled_count": cs.enrolled(session).count(),
        "enrolment_refusal": cs.enrolment_refusal(session),
        "batches": session.roster_batches.all()[:10],
        "samples": Document.objects.filter(
            subject=f"assessments.assessmentsession:{session.pk}", kind="roster_sample"
        ),
        "breadcrumbs": _crumbs(agency_id, session, _("Candidates")),
    }
    return render(request, "assessments/candidates/candidates.html", context)


def candidate_new(request, agency_id: int, pk: int):
    session = _session(request, pk)
    form = CandidateForm(request.POST or None, request.FILES or None)
    done = form_action(
        request,
        form,
        lambda data: cs.enrol(request.user, session, form.service_input()),
        success_url=_list_url(agency_id, session),
        message=lambda e: (
            _("%(name)s was enrolled (eligible by: %(route)s).")
            % {"name": e.real_name, "route": e.eligible_by}
        ),
    )
    if done:
        return done
    context = {
        "session": session,
        "form": form,
        "enrolment_refusal": cs.enrolment_refusal(session),
        "breadcrumbs": _crumbs(
            agency_id,
            session,
            (_("Candidates"), _list_url(agency_id, session)),
            _("Enrol a candidate"),
        ),
    }
    return render(request, "assessments/candidates/candidate_form.html", context)


def candidate_withdraw(request, agency_id: int, pk: int, enrolment_pk: int):
    session = _session(request, pk)
    enrolment = get_object_or_404(Enrolment, session=session, pk=enrolment_pk)
    form = WithdrawForm(request.POST or None)
    done = form_action(
        request,
        form,
        lambda data: cs.withdraw(request.user, enrolment, reason=data["reason"]),
        success_url=_list_url(agency_id, session),
        message=_("The candidate was withdrawn."),
    )
    if done:
        return done
    context = {
        "session": session,
        "enrolment": enrolment,
        "form": form,
        "withdrawal_refusal": cs.withdrawal_refusal(enrolment),
        "breadcrumbs": _crumbs(
            agency_id, session, (_("Candidates"), _list_url(agency_id, session)), _("Withdraw")
        ),
    }
    return render(request, "assessments/candidates/withdraw.html", context)


def candidate_education(request, agency_id: int, pk: int, enrolment_pk: int):
    """学历核验 (Art 18): the diploma of a candidate eligible through education, uploaded and
    confirmed by the agency's admin or staff."""
    session = _session(request, pk)
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("candidate", "diploma", "education_confirmed_by"),
        session=session,
        pk=enrolment_pk,
    )
    form = EducationForm(request.POST or None, request.FILES or None)
    done = form_action(
        request,
        form,
        lambda data: cs.confirm_education(
            request.user, enrolment, diploma=data["diploma"], confirmed=data["confirmed"]
        ),
        success_url=_list_url(agency_id, session),
        message=_("The education was confirmed against the diploma."),
    )
    if done:
        return done
    context = {
        "session": session,
        "enrolment": enrolment,
        "form": form,
        "confirm_refusal": cs.confirm_education_refusal(enrolment),
        "breadcrumbs": _crumbs(
            agency_id,
            session,
            (_("Candidates"), _list_url(agency_id, session)),
            _("Check the education"),
        ),
    }
    return render(request, "assessments/candidates/education.html", context)


def candidates_export(request, agency_id: int, pk: int):
    session = _session(request, pk)
    return _xlsx(cs.export_xlsx(session), f"candidates-{session.pk}.xlsx")


def roster_template(request, agency_id: int, pk: int):
    _session(request, pk)
    return _xlsx(imports.template(), "roster-template.xlsx")


def roster_new(request, agency_id: int, pk: int):
    session = _session(request, pk)
    form = RosterForm(request.POST or None, request.FILES or None)
    done = form_action(
        request,
        form,
        lambda data: imports.stage(request.user, session, data["roster"], photos=data["photos"]),
        success_url=lambda b: reverse("assessments:roster", args=[agency_id, session.pk, b.pk]),
    )
    if done:
        return done
    context = {
        "session": session,
        "form": form,
        "import_refusal": imports.import_refusal(session),
        "breadcrumbs": _crumbs(
            agency_id,
            session,
            (_("Candidates"), _list_url(agency_id, session)),
            _("Import a roster"),
        ),
    }
    return render(request, "assessments/candidates/roster_form.html", context)


def _batch(request, pk, batch_pk):
    session = _session(request, pk)
    return session, get_object_or_404(RosterBatch, session=session, pk=batch_pk)


def roster(request, agency_id: int, pk: int, batch_pk: int):
    session, batch = _batch(request, pk, batch_pk)
    rows = list(batch.rows.all()) if batch.status != "reading" else []
    context = {
        "session": session,
        "batch": batch,
        "rows": rows,
        "columns": list(imports.COLUMNS),
        "preview": [{"row": r, "cells": _cells(r), "extra": _extra(r)} for r in rows],
        "apply_refusal": imports.apply_refusal(batch),
        "problems": [
            {
                "anchor": f"row-{r.number}",
                "label": _("Row %(n)d") % {"n": r.number},
                "message": imports.describe_errors(r.errors),
            }
            for r in rows
            if r.errors
        ][:50],
        "breadcrumbs": _crumbs(
            agency_id, session, (_("Candidates"), _list_url(agency_id, session)), _("Roster")
        ),
    }
    return render(request, "assessments/candidates/roster.html", context)


def _cells(row):
    from portal import pii

    shown = row.values.get("shown", {})
    out = []
    for column in imports.COLUMNS:
        if column.key == "id_number":
            value = pii.mask_id(row.id_number, row.id_type) if row.id_number else ""
        else:
            value = shown.get(column.key, "")
        out.append({"value": value, "error": row.errors.get(column.key, "")})
    return out


def _extra(row):
    return [
        f"{imports.header_of(k)}：{v}" for k, v in row.errors.items() if k in imports.EXTRA_HEADERS
    ]


def roster_errors(request, agency_id: int, pk: int, batch_pk: int):
    _, batch = _batch(request, pk, batch_pk)
    return _xlsx(imports.error_report(batch), f"roster-errors-{batch.pk}.xlsx")


@require_POST
def roster_apply(request, agency_id: int, pk: int, batch_pk: int):
    session, batch = _batch(request, pk, batch_pk)
    return button_action(
        request,
        lambda: imports.apply(request.user, batch),
        success_url=_list_url(agency_id, session),
        failure_url=reverse("assessments:roster", args=[agency_id, session.pk, batch.pk]),
        message=lambda n: _("%(n)d candidates were enrolled from the roster.") % {"n": n},
    )


def _officials(request):
    return queries.plans_for_official(request.user)


@loads(_officials, "assessments.candidates.view", as_="session")
def plan_candidates(request, session):
    """Officials of the site's province (national: all) read the candidates of a filed plan;
    the ID numbers masked."""
    context = {
        "session": session,
        "enrolments": session.enrolments.select_related("candidate").order_by("status", "pk"),
        "enrolled_count": cs.enrolled(session).count(),
        "breadcrumbs": crumbs(
            (_("Filed assessment plans"), reverse("assessments:plans")),
            (str(session), reverse("assessments:plan", args=[session.pk])),
            _("Candidates"),
        ),
    }
    return render(request, "assessments/candidates/plan_candidates.html", context)
