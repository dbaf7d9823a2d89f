"""The catalog's registrations: access rules of its actions, audit sentences, menu entries
and dashboard panels; `register()` is called once from `CatalogConfig.ready()`."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal import audit, navigation
from portal.access import agency_role, any_of, in_jurisdiction, national_role, register_action
from portal.dashboards import Panel, PanelLink, register_panel
from portal.roles import AgencyRole as A
from portal.roles import AuthorityRole as R

# Art 8: the ministry makes national standards and files specifications; its
# skill testing centre does the technical work. Both act nationally.
CATALOG_KEEPERS = (R.MINISTRY_OFFICIAL, R.OSTA_STAFF)
OFFICIALS = (R.MINISTRY_OFFICIAL, R.PROVINCIAL_OFFICIAL, R.OSTA_STAFF)


def register() -> None:
    keepers = national_role(*CATALOG_KEEPERS)
    register_action("catalog.occupation.manage", keepers, "Keep the occupation catalogue")
    register_action("catalog.standard.manage", keepers, "Record national standards")
    register_action("catalog.spec.review", keepers, "Return, file or refuse specifications")
    register_action("catalog.spec.queue", keepers, "See the specification filing queue")
    register_action("catalog.spec.create", agency_role(A.ADMIN, A.STAFF), "Draft a specification")
    register_action("catalog.spec.edit", agency_role(A.ADMIN, A.STAFF), "Revise a specification")
    register_action("catalog.spec.submit", agency_role(A.ADMIN, A.STAFF), "Submit for filing")
    register_action(
        "catalog.spec.view",
        any_of(agency_role(*A.values), keepers, in_jurisdiction(*OFFICIALS)),
        "Read a specification and its rounds",
    )

    for action, label in {
        "catalog.occupation.create": _("added an occupation"),
        "catalog.occupation.change": _("changed an occupation"),
        "catalog.occupation.withdraw": _("withdrew an occupation"),
        "catalog.occupation.restore": _("restored an occupation"),
        "catalog.occupation.import": _("imported the occupation catalogue"),
        "catalog.work_type.create": _("added a work type"),
        "catalog.work_type.status": _("changed a work type's status"),
        "catalog.standard.create": _("recorded a national standard"),
        "catalog.standard.change": _("changed a national standard"),
        "catalog.spec.create": _("drafted an evaluation specification"),
        "catalog.spec.change": _("revised an evaluation specification"),
        "catalog.spec.submit": _("submitted an evaluation specification for filing"),
        "catalog.spec.return": _("returned an evaluation specification for revision"),
        "catalog.spec.file": _("filed an evaluation specification"),
        "catalog.spec.refuse": _("refused to file an evaluation specification"),
        "catalog.spec.withdraw": _("withdrew an evaluation specification"),
    }.items():
        audit.register_label(action, label)

    navigation.register(
        "catalog",
        _("Occupations and standards"),
        "catalog:occupations",
        area=navigation.PUBLIC,
        order=30,
    )
    navigation.register(
        "catalog_manage",
        _("Occupation catalogue"),
        "catalog:manage_occupations",
        area=navigation.WORKSPACE,
        order=200,
        roles=set(CATALOG_KEEPERS),
    )
    navigation.register(
        "catalog_standards_manage",
        _("National standards"),
        "catalog:manage_standards",
        area=navigation.WORKSPACE,
        order=210,
        roles=set(CATALOG_KEEPERS),
    )
    navigation.register(
        "catalog_spec_queue",
        _("Specification filing"),
        "catalog:spec_queue",
        area=navigation.WORKSPACE,
        order=220,
        roles=set(CATALOG_KEEPERS),
    )
    navigation.register(
        "agency_specs",
        _("Evaluation specifications"),
        "catalog:agency_specs",
        area=navigation.AGENCY,
        order=300,
        roles={"agency:admin", "agency:staff"},
    )
    register_panel("catalog.spec_queue", set(CATALOG_KEEPERS), _spec_queue_panel)


def _spec_queue_panel(request) -> Panel | None:
    if request.user.jurisdiction != "000000":
        return None
    from catalog.models import EvaluationSpec, SpecStatus

    count = EvaluationSpec.objects.filter(status=SpecStatus.SUBMITTED).count()
    return Panel(
        title=_("Specifications awaiting filing"),
        text=_(
            "Agencies' evaluation specifications submitted for filing with the ministry (Art 8)."
        ),
        links=[PanelLink(_("Open the filing queue"), reverse("catalog:spec_queue"))],
        count=count,
        order=10,
    )
