"""What exam affairs registers with portal, once, from ``AssessmentsConfig.ready()``: access
rules of its actions, audit sentences, links from the audit trail, menu entries and panels,
grouped by stage."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal import audit
from portal.access import agency_role, any_of, authority_role, in_jurisdiction, register_action
from portal.roles import NATIONAL
from portal.roles import AgencyRole as A
from portal.roles import AuthorityRole as R
from portal.ui import navigation
from portal.ui.dashboards import Panel, PanelLink, register_panel

OFFICIALS = (R.MINISTRY_OFFICIAL, R.PROVINCIAL_OFFICIAL, R.OSTA_STAFF)


def register() -> None:
    _register_people()


# --- people (Art 19, 23) ------------------------------------------------------------------------


def _registering_centre(user, record=None) -> bool:
    """The testing centre the qualification is registered with, or the national centre."""
    if not authority_role(R.OSTA_STAFF)(user):
        return False
    if record is None or user.jurisdiction == NATIONAL:
        return bool(user.jurisdiction)
    return user.jurisdiction == record.province_id


def _register_people() -> None:
    register_action(
        "assessments.people.manage",
        agency_role(A.ADMIN),
        "Add, edit and retire the agency's examiners and supervisors; record training",
    )
    register_action(
        "assessments.people.registry",
        any_of(in_jurisdiction(*OFFICIALS)),
        "Read the examiners and supervisors of the jurisdiction",
    )
    register_action(
        "assessments.people.suspend",
        _registering_centre,
        "Suspend or reinstate a qualification (every agency)",
    )
    for kind in ("examiner", "supervisor"):
        for action, label in {
            "add": _("recorded an examiner or supervisor"),
            "join": _("took up an examiner or supervisor already on record"),
            "edit": _("changed a qualification"),
            "training": _("recorded a training"),
            "retire": _("retired an examiner or supervisor"),
            "suspend": _("suspended a qualification"),
            "reinstate": _("reinstated a qualification"),
        }.items():
            audit.register_label(f"assessments.{kind}.{action}", label)
    audit.register_object_url("assessments.examiner", _record_url("examiner"))
    audit.register_object_url("assessments.qualitysupervisor", _record_url("supervisor"))
    navigation.register(
        "assessments_people",
        _("Examiners and supervisors"),
        "assessments:people",
        area=navigation.AGENCY,
        order=66,
        roles={"agency:admin", "agency:staff"},
    )
    navigation.register(
        "assessments_registry",
        _("Examiner registry"),
        "assessments:registry",
        area=navigation.WORKSPACE,
        order=330,
        roles=set(OFFICIALS),
    )
    navigation.register(
        "assessments_my_qualifications",
        _("My qualifications"),
        "assessments:my_qualifications",
        area=navigation.WORKSPACE,
        order=20,
        visible_if=_has_own_record,
    )
    register_panel("assessments.people.ending", {R.OSTA_STAFF}, _registry_panel)
    register_panel("assessments.people.agency", {"agency:admin", "agency:staff"}, _agency_panel)


def _record_url(kind: str):
    """The registry page for officials who see the record; for the admin or staff of an
    agency using the person, that agency's page of them."""

    def url(user, object_id: str) -> str | None:
        from assessments import queries
        from assessments.models import Engagement
        from portal.models import AgencyMembership

        if queries.registry_for(user, kind).filter(pk=object_id).exists():
            return reverse("assessments:registry_person", args=[kind, object_id])
        agencies = AgencyMembership.objects.filter(
            user_id=user.pk, role__in=[A.ADMIN, A.STAFF]
        ).values("agency")
        field = "examiner_id" if kind == "examiner" else "supervisor_id"
        found = Engagement.objects.filter(agency__in=agencies, **{field: object_id}).first()
        return reverse("assessments:person", args=[found.agency_id, found.pk]) if found else None

    return url


def _has_own_record(request) -> bool:
    from assessments import queries

    return bool(queries.own_records(request.user))


def _ending_panel(examiners, supervisors, *, text, url) -> Panel | None:
    """``count``: qualifications in force ending within 30 days; ``due_on``: the first end."""
    from assessments.services.people import SOON_DAYS, ending_soon

    dates = [
        *ending_soon(examiners).values_list("valid_until", flat=True),
        *ending_soon(supervisors).values_list("valid_until", flat=True),
    ]
    if not dates:
        return None
    return Panel(
        title=_("Qualifications ending"),
        text=text % {"count": len(dates), "days": SOON_DAYS},
        links=[PanelLink(_("See who"), url)],
        count=len(dates),
        due_on=min(dates),
        order=40,
    )


def _registry_panel(request) -> Panel | None:
    from assessments.models import Examiner, QualitySupervisor
    from portal import access

    return _ending_panel(
        access.visible(request.user, Examiner.objects.all()),
        access.visible(request.user, QualitySupervisor.objects.all()),
        text=gettext("%(count)s qualifications in your jurisdiction end within %(days)s days."),
        url=reverse("assessments:registry") + "?ending=1",
    )


def _agency_panel(request) -> Panel | None:
    from assessments.models import Engagement, Examiner, QualitySupervisor

    agency = getattr(request, "agency", None)
    if agency is None:
        return None
    used = Engagement.objects.filter(agency=agency, retired_on__isnull=True)
    return _ending_panel(
        Examiner.objects.filter(pk__in=used.values("examiner")),
        QualitySupervisor.objects.filter(pk__in=used.values("supervisor")),
        text=gettext("%(count)s qualifications of the agency's people end within %(days)s days."),
        url=reverse("assessments:people", args=[agency.pk]),
    )
