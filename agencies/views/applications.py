"""Pages of the applications (Art 12, 13): the public registration of an organisation, and the
agency's own applications (draft, evidence, scope, sites, submission, withdrawal).

Thin views: every change goes through ``agencies.services.applications``; the edit page's
sections are ``ApplicationSections``; every read through ``agencies.queries``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies import queries, services
from agencies.forms.applications import (
    ApplicationSections,
    PledgeForm,
    RegistrationForm,
    comment_label,
    problems_of,
)
from agencies.models import AgencyApplication, ApplicationStatus
from agencies.services.applications import EDITABLE, submission_problems
from agencies.views._helpers import apply_errors, error_messages
from portal.roles import AgencyRole

WITHDRAWABLE = (*EDITABLE, ApplicationStatus.SUBMITTED, ApplicationStatus.UNDER_REVIEW)


# --- Public: registration of an organisation ---------------------------------------------------


def register(request):
    if request.user.is_authenticated:
        messages.info(
            request,
            _("You are signed in already. To register another organisation, sign out first."),
        )
        return redirect("portal:dashboard")
    form = RegistrationForm(request.POST or None, captcha_session=request.session)
    if request.method == "POST" and form.is_valid():
        try:
            user, agency = services.register_organisation(**form.service_fields())
        except ValidationError as exc:
            apply_errors(form, exc, rename={"password": "password1"})
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request,
                _(
                    "Your organisation has been registered. Apply to an "
                    "open call from your agency workspace."
                ),
            )
            return redirect("portal:agency_home", agency.pk)
    return render(request, "agencies/applications/register.html", {"form": form})


# --- Agency workspace: applications ---------------------------------------------------------


def _own(request, pk: int) -> AgencyApplication:
    return get_object_or_404(queries.own_applications(request.agency), pk=pk)


def _crumbs(agency_id: int, *items):
    return [(_("Applications"), reverse("agencies:applications", args=[agency_id])), *items]


def applications(request, agency_id: int):
    context = queries.applications_page(request.agency)
    context["is_admin"] = AgencyRole.ADMIN in request.agency_roles
    return render(request, "agencies/applications/applications.html", context)


@require_POST
def application_start(request, agency_id: int):
    call = get_object_or_404(queries.published_calls(), pk=request.POST.get("call") or 0)
    try:
        application = services.start_application(request.user, request.agency, call)
    except ValidationError as exc:
        error_messages(request, exc)
        return redirect("agencies:applications", agency_id)
    messages.success(
        request,
        _(
            "A draft application has been started. Fill in every section "
            "and submit it before the deadline."
        ),
    )
    return redirect("agencies:application_edit", agency_id, application.pk)


def application_detail(request, agency_id: int, pk: int):
    application = _own(request, pk)
    is_admin = AgencyRole.ADMIN in request.agency_roles
    context = queries.application_page(application, comment_label)
    context.update(
        {
            "editable": is_admin and application.status in EDITABLE,
            "withdrawable": is_admin and application.status in WITHDRAWABLE,
            "signable": is_admin and application.status == ApplicationStatus.APPROVED,
            "breadcrumbs": _crumbs(agency_id, (application.call.title, "")),
        }
    )
    return render(request, "agencies/applications/application_detail.html", context)


@require_POST
def application_withdraw(request, agency_id: int, pk: int):
    application = _own(request, pk)
    try:
        services.withdraw_application(request.user, application)
    except ValidationError as exc:
        error_messages(request, exc)
    else:
        messages.success(request, _("The application has been withdrawn."))
    return redirect("agencies:application", agency_id, pk)


# --- Editing and submitting -------------------------------------------------------------------


def _editable_or_redirect(request, application):
    if application.status not in EDITABLE:
        messages.error(
            request,
            _(
                "The application can be changed only as a draft or when it "
                "has been returned for correction."
            ),
        )
        return redirect("agencies:application", application.agency_id, application.pk)
    return None


def _render_edit(request, application, sections: ApplicationSections, pledge: PledgeForm):
    page = reverse("agencies:application", args=[application.agency_id, application.pk])
    context = {"application": application, "call": application.call, "pledge_form": pledge}
    context.update(sections.context())
    context["breadcrumbs"] = _crumbs(
        application.agency_id, (application.call.title, page), (_("Edit"), "")
    )
    return render(request, "agencies/applications/application_edit.html", context)


def application_edit(request, agency_id: int, pk: int):
    application = _own(request, pk)
    if (response := _editable_or_redirect(request, application)) is not None:
        return response
    if request.method != "POST":
        return _render_edit(request, application, ApplicationSections(application), PledgeForm())
    sections = ApplicationSections(application, request.POST, request.FILES)
    if sections.is_valid() and sections.save(request.user, request.POST.get("remove_evidence", "")):
        messages.success(request, _("The draft has been saved."))
        return redirect("agencies:application_edit", agency_id, pk)
    messages.error(
        request,
        _(
            "Some sections could not be saved; see the messages below. "
            "The other sections were saved."
        ),
    )
    return _render_edit(request, _own(request, pk), sections, PledgeForm())


class _Rollback(Exception):
    pass


def _submit(request, application, sections: ApplicationSections, pledge: PledgeForm) -> bool:
    """Save the sections and submit with the pledge, all or nothing; problems go on the forms."""
    try:
        with transaction.atomic():
            if not sections.save(request.user):
                raise _Rollback
            services.submit_application(
                request.user, application, pledge=pledge.cleaned_data["pledge"]
            )
    except _Rollback:
        return False
    except ValidationError as exc:
        problems = problems_of(exc, "general")
        for message in problems.pop("pledge", []):
            pledge.add_error("pledge", message)
        sections.add_problems(problems)
        return False
    return True


def _check_saved(request, application):
    """GET of the submit page: show every problem of the saved application at its place."""
    sections = ApplicationSections(application)
    sections.bind_saved()
    problems = submission_problems(application)
    sections.add_problems(problems)
    if not problems:
        messages.info(request, _("Nothing is missing: tick the pledge and submit."))
    return _render_edit(request, application, sections, PledgeForm())


def application_submit(request, agency_id: int, pk: int):
    """GET: check the saved application and show every problem at its place.
    POST: save the sections and submit with the pledge, all or nothing (Art 13)."""
    application = _own(request, pk)
    if (response := _editable_or_redirect(request, application)) is not None:
        return response
    if request.method != "POST":
        return _check_saved(request, application)
    sections = ApplicationSections(application, request.POST, request.FILES)
    pledge = PledgeForm(request.POST)
    pledge.is_valid()
    if sections.is_valid() and _submit(request, application, sections, pledge):
        messages.success(
            request,
            _("The application has been submitted. The acceptance receipt is ready below."),
        )
        return redirect("agencies:application", agency_id, pk)
    sections.drop_uploads()
    messages.error(
        request,
        _(
            "The application was not submitted and nothing was saved. "
            "Correct the problems marked below."
        ),
    )
    return _render_edit(request, _own(request, pk), sections, pledge)
