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
from portal import access
from portal.ui.helpers import apply_errors, button_action, crumbs, loads

EDIT = "agencies.application.edit"
WITHDRAWABLE = (*EDITABLE, ApplicationStatus.SUBMITTED, ApplicationStatus.UNDER_REVIEW)


# --- Public: registration of an organisation ---------------------------------------------------


def register(request):
    if request.user.is_authenticated:
        messages.info(
            request,
            _("You are signed in already. To register another organisation, sign out first."),
        )
        return redirect("portal:dashboard")
    form = RegistrationForm(request.POST or None, captcha_request=request)
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


def _own(request):
    return queries.own_applications(request.agency)


def _crumbs(application: AgencyApplication, *items):
    """From the agency's applications; ``items`` after the application's page."""
    home = (_("Applications"), reverse("agencies:applications", args=[application.agency_id]))
    if not items:
        return crumbs(application.call.title, root=home)
    page = reverse("agencies:application", args=[application.agency_id, application.pk])
    return crumbs((application.call.title, page), *items, root=home)


def applications(request, agency_id: int):
    context = queries.applications_page(request.agency)
    context["is_admin"] = access.can(request.user, EDIT, request.agency)
    return render(request, "agencies/applications/applications.html", context)


@require_POST
def application_start(request, agency_id: int):
    call = get_object_or_404(queries.published_calls(), pk=request.POST.get("call") or 0)
    return button_action(
        request,
        lambda: services.start_application(request.user, request.agency, call),
        success_url=lambda started: reverse(
            "agencies:application_edit", args=[agency_id, started.pk]
        ),
        failure_url=reverse("agencies:applications", args=[agency_id]),
        message=_(
            "A draft application has been started. Fill in every section "
            "and submit it before the deadline."
        ),
    )


@loads(_own, as_="application")
def application_detail(request, agency_id: int, application: AgencyApplication):
    may_edit = access.can(request.user, EDIT, application)
    may_sign = access.can(request.user, "agencies.application.sign", application)
    context = queries.application_page(application, comment_label)
    context.update(
        {
            "editable": may_edit and application.status in EDITABLE,
            "withdrawable": may_edit and application.status in WITHDRAWABLE,
            "signable": may_sign and application.status == ApplicationStatus.APPROVED,
            "breadcrumbs": _crumbs(application),
        }
    )
    return render(request, "agencies/applications/application_detail.html", context)


@require_POST
@loads(_own, as_="application")
def application_withdraw(request, agency_id: int, application: AgencyApplication):
    return button_action(
        request,
        lambda: services.withdraw_application(request.user, application),
        success_url=reverse("agencies:application", args=[agency_id, application.pk]),
        message=_("The application has been withdrawn."),
    )


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
    context = {"application": application, "call": application.call, "pledge_form": pledge}
    context.update(sections.context())
    context["problems"] = sections.summary(pledge)
    context["breadcrumbs"] = _crumbs(application, _("Edit"))
    return render(request, "agencies/applications/application_edit.html", context)


@loads(_own, as_="application")
def application_edit(request, agency_id: int, application: AgencyApplication):
    if (response := _editable_or_redirect(request, application)) is not None:
        return response
    if request.method != "POST":
        return _render_edit(request, application, ApplicationSections(application), PledgeForm())
    sections = ApplicationSections(application, request.POST, request.FILES)
    sections.keep_uploads(request.user)
    if sections.is_valid() and sections.save(request.user, request.POST.get("remove_evidence", "")):
        messages.success(request, _("The draft has been saved."))
        return redirect("agencies:application_edit", agency_id, application.pk)
    messages.error(
        request,
        _(
            "Some sections could not be saved; see the messages below. "
            "The other sections were saved."
        ),
    )
    application.refresh_from_db()
    return _render_edit(request, application, sections, PledgeForm())


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


@loads(_own, as_="application")
def application_submit(request, agency_id: int, application: AgencyApplication):
    """GET: check the saved application and show every problem at its place.
    POST: save the sections and submit with the pledge, all or nothing (Art 13)."""
    if (response := _editable_or_redirect(request, application)) is not None:
        return response
    if request.method != "POST":
        return _check_saved(request, application)
    sections = ApplicationSections(application, request.POST, request.FILES)
    sections.keep_uploads(request.user)  # chosen files are kept as draft evidence first
    pledge = PledgeForm(request.POST)
    pledge.is_valid()
    if sections.is_valid() and _submit(request, application, sections, pledge):
        messages.success(
            request,
            _("The application has been submitted. The acceptance receipt is ready below."),
        )
        return redirect("agencies:application", agency_id, application.pk)
    messages.error(
        request,
        _(
            "The application was not submitted. The files you chose are kept in the draft; "
            "nothing else was saved. Correct the problems listed at the top."
        )
        if sections.kept
        else _(
            "The application was not submitted and nothing was saved. "
            "Correct the problems listed at the top."
        ),
    )
    application.refresh_from_db()
    return _render_edit(request, application, sections, pledge)
