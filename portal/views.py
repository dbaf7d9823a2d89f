"""Views of the portal app: home, sign-in, dashboards, the agency workspace, calendar, health."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from portal import audit, dashboards, queries, services
from portal.audit_forms import AuditFilterForm
from portal.forms import CalendarDayForm, SignInForm
from portal.models import AgencyMembership, CalendarDay, jurisdiction_label
from portal.roles import AgencyRole, AuthorityRole


def home(request):
    return render(request, "portal/home.html")


def privacy(request):
    return render(request, "portal/privacy.html")


class SignInView(auth_views.LoginView):
    template_name = "portal/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.locked_seconds:  # too many failures (portal.signin): 429 with Retry-After
            response.status_code = 429
            response.headers["Retry-After"] = str(form.locked_seconds)
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "portal/password_change.html"
    success_url = reverse_lazy("portal:dashboard")

    def form_valid(self, form):
        response = super().form_valid(form)
        if self.request.user.must_change_password:
            self.request.user.must_change_password = False
            self.request.user.save(update_fields=["must_change_password"])
        messages.success(self.request, _("Your password has been changed."))
        return response


def dashboard(request):
    user = request.user
    memberships = list(
        AgencyMembership.objects.filter(user=user).select_related("agency").order_by("agency__name")
    )
    agencies: dict[int, dict] = {}
    for m in memberships:
        entry = agencies.setdefault(m.agency_id, {"agency": m.agency, "roles": []})
        entry["roles"].append(m.get_role_display())
    roles = set(user.authority_roles())
    panels = dashboards.panels_for(request, roles)
    labels = [AuthorityRole(r).label for r in AuthorityRole.values if r in roles]
    return render(
        request,
        "portal/dashboard.html",
        {
            "agencies": list(agencies.values()),
            "panels": panels,
            "roles": sorted(roles),
            "user_role_labels": labels,
            "jurisdiction_label": jurisdiction_label(user.jurisdiction),
        },
    )


def agency_home(request, agency_id: int):
    roles = {f"agency:{r}" for r in request.agency_roles}
    panels = dashboards.panels_for(request, roles)
    my_roles = [AgencyRole(r).label for r in AgencyRole.values if r in request.agency_roles]
    return render(request, "portal/agency_home.html", {"panels": panels, "my_roles": my_roles})


def calendar(request):
    days = CalendarDay.objects.all()
    year = request.GET.get("year", "")
    if year.isdigit():
        days = days.filter(date__year=int(year))
    page = Paginator(days, 50).get_page(request.GET.get("page"))
    from portal.access import can

    form = None
    if can(request.user, "portal.calendar.change"):
        form = CalendarDayForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            services.add_calendar_day(request.user, **form.cleaned_data)
            messages.success(request, _("The calendar has been updated."))
            return redirect("portal:calendar")
    return render(request, "portal/calendar.html", {"page": page, "form": form, "year": year})


@require_POST
def calendar_remove(request, pk: int):
    day = get_object_or_404(CalendarDay, pk=pk)
    services.remove_calendar_day(request.user, day)
    messages.success(request, _("The calendar has been updated."))
    return redirect("portal:calendar")


@never_cache
def healthz(request):
    """Database, Redis (when configured) and migrations; 200 when all are healthy."""
    checks: dict[str, dict] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = {"ok": True, "vendor": connection.vendor}
    except Exception as exc:  # health must answer even when the database does not
        checks["database"] = {"ok": False, "error": exc.__class__.__name__}
    if settings.REDIS_URL:
        try:
            cache.set("healthz", "1", 5)
            checks["redis"] = {"ok": cache.get("healthz") == "1"}
        except Exception as exc:
            checks["redis"] = {"ok": False, "error": exc.__class__.__name__}
    else:
        checks["redis"] = {"ok": True, "configured": False}
    if checks["database"]["ok"]:
        try:
            executor = MigrationExecutor(connection)
            plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
            checks["migrations"] = {"ok": not plan, "unapplied": len(plan)}
        except Exception as exc:
            checks["migrations"] = {"ok": False, "error": exc.__class__.__name__}
    else:
        checks["migrations"] = {"ok": False, "error": "database unavailable"}
    healthy = all(c["ok"] for c in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unhealthy", "checks": checks},
        status=200 if healthy else 503,
    )


def _audit_page(request, entries, *, agencies=None, template="portal/audit_list.html", extra=None):
    form = AuditFilterForm(request.GET or None, agencies=agencies)
    if form.is_valid():
        data = form.cleaned_data
        entries = queries.filter_audit(
            entries,
            actor=data["actor"],
            action=data["action"],
            object_type=data["object_type"],
            object_id=data["object_id"],
            agency_id=data["agency"].pk if data.get("agency") else None,
            date_from=data["date_from"],
            date_to=data["date_to"],
        )
    elif form.is_bound:
        entries = entries.none()
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    page.object_list = audit.link_objects(request.user, page.object_list)
    return render(request, template, {"form": form, "page": page, **(extra or {})})


def audit_list(request):
    entries = queries.audit_entries_for_official(request.user)
    return _audit_page(request, entries, agencies=queries.visible_agencies(request.user))


def agency_audit_list(request, agency_id: int):
    entries = queries.audit_entries_for_agency(request.user, request.agency)
    return _audit_page(request, entries, extra={"agency_scope": True})


def document_download(request, pk: int):
    doc = queries.document_for_download(request.user, pk)
    if doc is None or not doc.file:
        raise Http404
    response = FileResponse(
        doc.file.open("rb"),
        as_attachment=doc.content_type != "application/pdf",
        filename=doc.original_name,
        content_type=doc.content_type,
    )
    response.headers["Cache-Control"] = (
        "private, no-store" if not doc.is_public else "public, max-age=3600"
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
