"""Template context for every page: the site's identity and the menus the user sees."""

from __future__ import annotations

from django.conf import settings

from portal.ui import navigation


def site(request) -> dict:
    user = getattr(request, "user", None)
    roles: set[str] = set()
    if user is not None and user.is_authenticated:
        roles = set(user.authority_roles())
    agency = getattr(request, "agency", None)
    agency_roles = {f"agency:{r}" for r in getattr(request, "agency_roles", ())}
    return {
        "site_name": settings.SITE_NAME,
        "site_sponsor": settings.SITE_SPONSOR,
        "site_contact": settings.SITE_CONTACT,
        "site_icp_number": settings.SITE_ICP_NUMBER,
        "site_id_code": settings.SITE_ID_CODE,
        "site_psb_number": settings.SITE_PSB_NUMBER,
        "public_menu": navigation.menu(navigation.PUBLIC, request),
        "workspace_menu": navigation.menu(navigation.WORKSPACE, request, roles=roles)
        if user is not None and user.is_authenticated
        else [],
        "agency_menu": navigation.menu(
            navigation.AGENCY, request, roles=agency_roles, agency_id=agency.pk
        )
        if agency is not None
        else [],
        "current_agency": agency,
    }
