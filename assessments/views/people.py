"""Pages of examiners and supervisors (Art 19, 23), every audience of the stage: the agency's
list and records (its admin adds, edits, retires and records training; staff read), the
testing centre's registry of its jurisdiction (suspension), and the person's own page.

Thin views: every change goes through ``assessments.services.people``."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments import queries, services
from assessments.forms.people import (
    PersonForm,
    RegistryFilter,
    SuspendForm,
    TrainingForm,
    initial_of,
)
from assessments.models import Engagement
from assessments.services.people import MODELS, ending_soon
from portal import access
from portal.ui.helpers import button_action, crumbs, form_action, loads, object_for

SOURCE = queries.engagements_for_workspace


def _downloadable(request, records) -> set[int]:
    """The documents of ``records`` (qualification, training certificates) the user may open:
    another agency's scan of a shared person is named, not linked."""
    docs = []
    for record in records:
        docs.append(record.qualification_document)
        docs.extend(t.certificate for t in record.trainings.select_related("certificate"))
    return {d.pk for d in docs if d and access.can(request.user, "portal.document.download", d)}


def _kind(kind: str) -> str:
    if kind not in MODELS:
        raise Http404
    return kind


def _list_crumbs(agency_id: int, label):
    return crumbs(label, root=(_("Examiners and supervisors"), _people_url(agency_id)))


def _people_url(agency_id: int) -> str:
    return reverse("assessments:people", args=[agency_id])


def _person_url(engagement: Engagement) -> str:
    return reverse("assessments:person", args=[engagement.agency_id, engagement.pk])


# --- The agency's people ------------------------------------------------------------------------


def people(request, agency_id: int):
    context = {
        "engagements": queries.engagements_of(request.agency),
        "can_manage": access.can(request.user, "assessments.people.manage", request.agency),
    }
    return render(request, "assessments/people/people.html", context)


def person_add(request, agency_id: int, kind: str):
    form = PersonForm(request.POST or None, request.FILES or None, kind=_kind(kind))
    form.fields["province"].initial = request.agency.registered_province_id
    done = form_action(
        request,
        form,
        lambda data: services.add_person(request.user, request.agency, kind, form.person_input()),
        success_url=lambda result: _person_url(result[0]),
        message=lambda result: (
            (
                _("%(name)s was recorded.")
                if result[1]
                else _("%(name)s is already on record; the record was added to the agency's list.")
            )
            % {"name": result[0].person.real_name}
        ),
        rename={"occupations": "occupation_1"},
    )
    if done:
        return done
    label = _("Add an examiner") if kind == "examiner" else _("Add a quality supervisor")
    context = {"form": form, "kind": kind, "title": label}
    context["breadcrumbs"] = _list_crumbs(agency_id, label)
    return render(request, "assessments/people/person_form.html", context)


@loads(SOURCE, as_="engagement")
def person(request, agency_id: int, engagement: Engagement):
    record = engagement.person
    context = {
        "engagement": engagement,
        "record": record,
        "can_manage": access.can(request.user, "assessments.people.manage", engagement),
        "edit_refusal": services.edit_refusal(engagement, request.user),
        "retirement_refusal": services.retirement_refusal(engagement, request.user),
        "serving_refusal": services.serving_refusal(record),
        "downloadable": _downloadable(request, [record]),
        "breadcrumbs": _list_crumbs(agency_id, record.real_name),
    }
    return render(request, "assessments/people/person.html", context)


@loads(SOURCE, "assessments.people.manage", as_="engagement")
def person_edit(request, agency_id: int, engagement: Engagement):
    record = engagement.person
    form = PersonForm(
        request.POST or None,
        request.FILES or None,
        kind=record.kind,
        editing=True,
        initial=initial_of(record),
    )
    base = {"id_type": record.id_type, "id_number": record.id_number, "province": record.province}
    done = form_action(
        request,
        form,
        lambda data: services.edit_person(request.user, engagement, form.person_input(base)),
        success_url=_person_url(engagement),
        message=_("The qualification was saved."),
        rename={"occupations": "occupation_1"},
    )
    if done:
        return done
    context = {"form": form, "kind": record.kind, "title": _("Edit the qualification")}
    context["record"] = record
    context["breadcrumbs"] = _list_crumbs(agency_id, record.real_name)
    return render(request, "assessments/people/person_form.html", context)


@loads(SOURCE, "assessments.people.manage", as_="engagement")
def training_add(request, agency_id: int, engagement: Engagement):
    form = TrainingForm(request.POST or None, request.FILES or None)
    done = form_action(
        request,
        form,
        lambda data: services.add_training(request.user, engagement, **data),
        success_url=_person_url(engagement),
        message=_("The training was recorded."),
    )
    if done:
        return done
    context = {"form": form, "engagement": engagement, "record": engagement.person}
    context["breadcrumbs"] = _list_crumbs(agency_id, _("Record a training"))
    return render(request, "assessments/people/training_form.html", context)


@require_POST
@loads(SOURCE, "assessments.people.manage", as_="engagement")
def person_retire(request, agency_id: int, engagement: Engagement):
    return button_action(
        request,
        lambda: services.retire(request.user, engagement),
        success_url=_person_url(engagement),
        message=_("%(name)s is retired from the agency's list.")
        % {"name": engagement.person.real_name},
    )


# --- The testing centre's registry ---------------------------------------------------------------


def registry(request):
    filters = RegistryFilter(request.GET or None)
    filters.is_valid()
    kind = (filters.cleaned_data.get("kind") if filters.is_bound else "") or "examiner"
    records = queries.registry_for(request.user, kind)
    ending = filters.is_bound and filters.cleaned_data.get("ending")
    if ending:
        records = ending_soon(records)
    context = {
        "filters": filters,
        "kind": kind,
        "records": records,
        "ending": ending,
        "breadcrumbs": crumbs(_("Examiner registry")),
    }
    return render(request, "assessments/people/registry.html", context)


def _registry_record(request, kind: str, pk: int, action: str | None = None):
    return object_for(request, MODELS[_kind(kind)].objects.all(), action, pk=pk)


@access.per_object("assessments.people.registry")
def registry_person(request, kind: str, pk: int):
    record = _registry_record(request, kind, pk)
    context = {
        "record": record,
        "engagements": record.engagements.select_related("agency").order_by("retired_on"),
        "can_suspend": access.can(request.user, "assessments.people.suspend", record),
        "suspension_refusal": services.suspension_refusal(record, request.user),
        "reinstatement_refusal": services.reinstatement_refusal(record, request.user),
        "serving_refusal": services.serving_refusal(record),
        "downloadable": _downloadable(request, [record]),
        "form": SuspendForm(),
        "breadcrumbs": crumbs(
            record.real_name, root=(_("Examiner registry"), reverse("assessments:registry"))
        ),
    }
    return render(request, "assessments/people/registry_person.html", context)


@require_POST
@access.per_object("assessments.people.suspend")
def registry_suspend(request, kind: str, pk: int):
    record = _registry_record(request, kind, pk, "assessments.people.suspend")
    url = reverse("assessments:registry_person", args=[kind, pk])
    form = SuspendForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for the suspension."))
        return redirect(url)
    return button_action(
        request,
        lambda: services.suspend(request.user, record, reason=form.cleaned_data["reason"]),
        success_url=url,
        message=_("The qualification is suspended in every agency."),
    )


@require_POST
@access.per_object("assessments.people.suspend")
def registry_reinstate(request, kind: str, pk: int):
    record = _registry_record(request, kind, pk, "assessments.people.suspend")
    return button_action(
        request,
        lambda: services.reinstate(request.user, record),
        success_url=reverse("assessments:registry_person", args=[kind, pk]),
        message=_("The qualification is in force again."),
    )


# --- The person's own page ---------------------------------------------------------------


def my_qualifications(request):
    records = queries.own_records(request.user)
    context = {"records": records, "downloadable": _downloadable(request, records)}
    context["breadcrumbs"] = crumbs(_("My qualifications"))
    return render(request, "assessments/people/my_qualifications.html", context)
