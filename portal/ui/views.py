"""Views of the UI shell: home, privacy, dashboards, the agency workspace, health."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from portal.models import AgencyMembership, jurisdiction_label
from portal.roles import AgencyRole, AuthorityRole
from portal.ui import dashboards


def home(request):
    return render(request, "portal/home.html")


def privacy(request):
    return render(request, "portal/privacy.html")


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
