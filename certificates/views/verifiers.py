"""Pages of bulk verification (Art 22; decision 0051): the applicant's page and form, the
official's queue and decision, the member's upload, and the administrator's members and API
tokens. Thin: everything goes through ``certificates.services.verifiers``/``verify_xlsx``."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from certificates import queries
from certificates.forms import verifiers as forms
from certificates.models import ApiToken, VerifierState
from certificates.services import verifiers as services
from certificates.services import verify_xlsx
from certificates.services.verifiers import Application
from portal import access
from portal.ui.confirm import confirm_page, is_confirmed, is_revising, wants_confirmation
from portal.ui.helpers import apply_errors, button_action, crumbs, form_action, loads

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HOME = "certificates:verification"


def _home() -> tuple[str, str]:
    return (_("Bulk verification"), reverse(HOME))


def verification(request):
    """The signed-in user's organisations (and applications), with the way to apply."""
    context = {
        "organisations": queries.verifier_organisations_of(request.user),
        "refusal": services.apply_refusal(request.user),
        "breadcrumbs": crumbs(_("Bulk verification")),
    }
    return render(request, "certificates/verifiers/home.html", context)


def apply(request):
    form = forms.ApplicationForm(request.POST or None)
    done = form_action(
        request,
        form,
        lambda data: services.apply_for_verification(request.user, Application(**data)),
        success_url=reverse(HOME),
        message=_("Your application has been sent; an official decides it."),
    )
    if done:
        return done
    context = {
        "form": form,
        "refusal": services.apply_refusal(request.user),
        "breadcrumbs": crumbs(_home(), _("Apply for verification access")),
    }
    return render(request, "certificates/verifiers/apply.html", context)


def _mine(request):
    return queries.verifier_organisations_of(request.user)


@loads(_mine, "certificates.verify", as_="org")
def organisation(request, org):
    """A member's page: the template, the upload (answered with the answers' XLSX)."""
    form = forms.UploadForm(request.POST or None, request.FILES or None)
    done = form_action(
        request,
        form,
        lambda data: verify_xlsx.verify_upload(
            request.user, org, data["file"].read(), file_name=data["file"].name
        ),
        success_url=lambda result: _answers(result[1], result[0]),
        rename={"file": "file"},
    )
    if done:
        return done
    page = Paginator(org.uploads.select_related("user"), 20).get_page(request.GET.get("page"))
    context = {
        "org": org,
        "form": form,
        "page": page,
        "is_admin": access.can(request.user, "certificates.verifier.manage", org),
        "max_rows": services.max_rows(),
        "breadcrumbs": crumbs(_home(), org.name),
    }
    return render(request, "certificates/verifiers/organisation.html", context, status=200)


def _answers(data: bytes, upload) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    name = quote(f"核验结果-{upload.created_at:%Y%m%d-%H%M%S}.xlsx")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    response["Cache-Control"] = "no-store"
    return response


@loads(_mine, "certificates.verify", as_="org")
def template(request, org):
    response = HttpResponse(verify_xlsx.template(), content_type=XLSX)
    response["Content-Disposition"] = "attachment; filename*=UTF-8''verification-template.xlsx"
    return response


@loads(_mine, "certificates.verifier.manage", as_="org")
def members(request, org):
    form = forms.MemberForm(request.POST or None)
    url = reverse("certificates:verifier_members", args=[org.pk])
    done = form_action(
        request,
        form,
        lambda data: services.add_member(request.user, org, **data),
        success_url=url,
        message=_("The member has been added."),
    )
    if done:
        return done
    context = {
        "org": org,
        "form": form,
        "members": org.members.select_related("user"),
        "breadcrumbs": crumbs(_home(), (org.name, _org_url(org)), _("Members")),
    }
    return render(request, "certificates/verifiers/members.html", context)


def _org_url(org) -> str:
    return reverse("certificates:verifier_org", args=[org.pk])


@require_POST
@loads(_mine, "certificates.verifier.manage", as_="org")
def member_remove(request, org, member: int):
    membership = get_object_or_404(org.members, pk=member)
    return button_action(
        request,
        lambda: services.remove_member(request.user, org, membership),
        success_url=reverse("certificates:verifier_members", args=[org.pk]),
        message=_("The member has been removed."),
    )


@loads(_mine, "certificates.verifier.manage", as_="org")
def tokens(request, org):
    """The organisation's API tokens; a new token's secret is shown on this answer only."""
    form = forms.TokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, secret = services.create_token(request.user, org, **form.cleaned_data)
            form = forms.TokenForm()
        except ValidationError as exc:
            apply_errors(form, exc)
    rows = [{"token": t, "used_today": services.used_today(t)} for t in org.tokens.all()[:100]]
    context = {
        "org": org,
        "form": form,
        "secret": secret,
        "rows": rows,
        "breadcrumbs": crumbs(_home(), (org.name, _org_url(org)), _("API tokens")),
    }
    response = render(request, "certificates/verifiers/tokens.html", context)
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@loads(_mine, "certificates.verifier.manage", as_="org")
def token_revoke(request, org, token: int):
    row = get_object_or_404(ApiToken, organisation=org, pk=token)
    return button_action(
        request,
        lambda: services.revoke_token(request.user, org, row),
        success_url=reverse("certificates:verifier_tokens", args=[org.pk]),
        message=_("The token has been revoked."),
    )


# --- Officials -----------------------------------------------------------------------------


def applications(request):
    rows = queries.verifier_applications_for(request.user)
    state = request.GET.get("state", VerifierState.PENDING)
    if state in VerifierState.values:
        rows = rows.filter(state=state)
    page = Paginator(rows, 30).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "state": state,
        "states": VerifierState.choices,
        "breadcrumbs": crumbs(_("Verification access")),
    }
    return render(request, "certificates/verifiers/applications.html", context)


def _restatement(org, approve: bool, note: str) -> dict:
    page = reverse("certificates:verifier_application", args=[org.pk])
    points = (
        [
            _("%(name)s may verify certificates in bulk: by spreadsheet and through the API.")
            % {"name": org.name},
            _("Its administrator %(user)s adds members and creates API tokens.")
            % {"user": org.applied_by},
        ]
        if approve
        else [_("%(name)s is refused verification access.") % {"name": org.name}]
    )
    if note:
        points.append(_("Note: %(note)s") % {"note": note})
    return {
        "title": _("Confirm the approval") if approve else _("Confirm the refusal"),
        "subject": f"{org.name} · {org.uscc}",
        "points": points,
        "confirm_label": _("Approve access") if approve else _("Refuse access"),
        "back_url": page,
        "breadcrumbs": crumbs(
            (_("Verification access"), reverse("certificates:verifier_applications")),
            (org.name, page),
        ),
    }


@loads(lambda request: queries.verifier_applications_for(request.user), as_="org")
def application(request, org):
    """An official's page of one application; POST decides it after a confirmation step."""
    form = forms.DecisionForm(request.POST or None)
    if request.method == "POST":
        if not access.can(request.user, "certificates.verifier.decide", org):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied("certificates.verifier.decide")
        decision = request.POST.get("decision")
        if decision not in ("approve", "refuse"):
            form.add_error(None, _("Choose to approve or to refuse."))
        elif form.is_valid() and not is_revising(request):
            approve, note = decision == "approve", form.cleaned_data["note"]
            if refusal := services.decide_refusal(org, request.user):
                form.add_error(None, refusal)
            elif not approve and not note.strip():
                form.add_error("note", _("Give the reason for the refusal."))
            elif wants_confirmation(request):
                return confirm_page(request, **_restatement(org, approve, note))
            elif is_confirmed(request):
                try:
                    services.decide_application(request.user, org, approve=approve, note=note)
                except ValidationError as exc:
                    apply_errors(form, exc)
                else:
                    messages.success(request, _("The application has been decided."))
                    return redirect("certificates:verifier_application", org.pk)
    context = {
        "org": org,
        "form": form,
        "refusal": services.decide_refusal(org, request.user),
        "breadcrumbs": crumbs(
            (_("Verification access"), reverse("certificates:verifier_applications")), org.name
        ),
    }
    return render(request, "certificates/verifiers/application.html", context)
