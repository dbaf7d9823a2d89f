"""The catalog's registrations: access rules of its actions, audit sentences and the links of
its objects in the audit trail, menu entries, the filing queue's dashboard panel and the
renderer of generated standards; `register()` is called once from `CatalogConfig.ready()`."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from portal import access, audit, documents, pagecache
from portal.access import agency_role, any_of, in_jurisdiction, national_role, register_action
from portal.roles import AgencyRole as A
from portal.roles import AuthorityRole as R
from portal.ui import navigation
from portal.ui.dashboards import Panel, PanelLink, Todo, register_panel, todo_panel

# Art 8: the ministry makes national standards and files specifications; its
# skill testing centre does the technical work. Both act nationally.
CATALOG_KEEPERS = (R.MINISTRY_OFFICIAL, R.OSTA_STAFF)
OFFICIALS = (R.MINISTRY_OFFICIAL, R.PROVINCIAL_OFFICIAL, R.OSTA_STAFF)


def register() -> None:
    # The catalogue's public pages show every catalog table (their cached content).
    pagecache.watch("catalog")
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
    audit.display.register_change_labels(
        {
            "created": _("added"),
            "updated": _("changed"),
            "unchanged": _("unchanged"),
            "levels": _("levels"),
        }
    )

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
    register_panel("catalog.agency_specs", {"agency:admin", "agency:staff"}, _agency_specs_panel)

    for label, url in {
        "catalog.occupation": _occupation_url,
        "catalog.worktype": _work_type_url,
        "catalog.nationalstandard": _standard_url,
        "catalog.evaluationspec": _spec_url,
    }.items():
        audit.register_object_url(label, url)

    from catalog.services.standards import STANDARD_RENDERER, render_standard_document

    documents.register_renderer(STANDARD_RENDERER, render_standard_document)


def _spec_queue_panel(request) -> Panel | None:
    if request.user.jurisdiction != "000000":
        return None
    from catalog import queries

    waiting = queries.filing_queue_summary()
    n, url = waiting["count"], reverse("catalog:spec_queue")
    todo = Todo(
        n,
        ngettext(
            "%(n)d specification awaits the filing review",
            "%(n)d specifications await the filing review",
            n,
        )
        % {"n": n},
        f"{url}?status=submitted",
        oldest=waiting["oldest"],
    )
    return todo_panel(
        _("Specification filing"),
        todos=[todo],
        text=_(
            "Agencies' evaluation specifications submitted for filing with the ministry (Art 8)."
        ),
        links=[PanelLink(_("Open the filing queue"), url)],
        order=10,
    )


def _agency_specs_panel(request) -> Panel | None:
    """The agency's specifications: those returned for revision are its to-dos (Art 8);
    those with the ministry are information. None while the agency has no specification."""
    from django.db.models import Count, Max

    from catalog.models import EvaluationSpec, SpecReview, SpecStatus

    agency = getattr(request, "agency", None)
    if agency is None:
        return None
    figures = {
        row["status"]: row
        for row in EvaluationSpec.objects.filter(
            agency=agency, status__in=[SpecStatus.RETURNED, SpecStatus.SUBMITTED]
        )
        .order_by()
        .values("status")
        .annotate(n=Count("pk"))
    }
    if not figures:
        return None
    returned = figures.get(SpecStatus.RETURNED, {}).get("n", 0)
    submitted = figures.get(SpecStatus.SUBMITTED, {}).get("n", 0)
    oldest = None
    if returned:
        # The return of each returned specification is its latest round's decision.
        oldest = min(
            SpecReview.objects.filter(
                spec__agency=agency,
                spec__status=SpecStatus.RETURNED,
                decision=SpecReview.Decision.RETURNED,
            )
            .values("spec")
            .annotate(at=Max("decided_at"))
            .values_list("at", flat=True),
            default=None,
        )
    url = reverse("catalog:agency_specs", args=[agency.pk])
    todo = Todo(
        returned,
        ngettext(
            "%(n)d specification returned for revision",
            "%(n)d specifications returned for revision",
            returned,
        )
        % {"n": returned},
        url,
        oldest=oldest,
        working_days=False,
    )
    facts = []
    if submitted:
        facts.append(
            ngettext(
                "%(n)d specification with the ministry for filing",
                "%(n)d specifications with the ministry for filing",
                submitted,
            )
            % {"n": submitted}
        )
    return todo_panel(
        _("Evaluation specifications"),
        todos=[todo],
        facts=facts,
        links=[PanelLink(_("Evaluation specifications"), url)],
        order=30,
    )


# --- The audit trail's links: the keepers' page of an object, else its public page ----------


def _occupation_page(user, occupation) -> str:
    if access.can(user, "catalog.occupation.manage"):
        return reverse("catalog:manage_occupation", args=[occupation.code])
    return reverse("catalog:occupation", args=[occupation.code])


def _occupation_url(user, object_id: str) -> str | None:
    from catalog.models import Occupation

    found = Occupation.objects.filter(pk=object_id).first() if object_id.isdigit() else None
    return _occupation_page(user, found) if found else None


def _work_type_url(user, object_id: str) -> str | None:
    from catalog.models import WorkType

    found = (
        WorkType.objects.select_related("occupation").filter(pk=object_id).first()
        if object_id.isdigit()
        else None
    )
    return _occupation_page(user, found.occupation) if found else None


def _standard_url(user, object_id: str) -> str | None:
    if not object_id.isdigit():
        return None
    from catalog.models import NationalStandard

    if not NationalStandard.objects.filter(pk=object_id).exists():
        return None
    if access.can(user, "catalog.standard.manage"):
        return reverse("catalog:manage_standard_edit", args=[object_id])
    return reverse("catalog:standard", args=[object_id])


def _spec_url(user, object_id: str) -> str | None:
    """The filing queue's page for its keepers, the agency's page for its editors, the public
    page once filed; else none (the entry names the specification unlinked)."""
    from catalog.models import EvaluationSpec, SpecStatus

    spec = EvaluationSpec.objects.filter(pk=object_id).first() if object_id.isdigit() else None
    if spec is None:
        return None
    if access.can(user, "catalog.spec.queue"):
        return reverse("catalog:spec_review", args=[spec.pk])
    if access.can(user, "catalog.spec.edit", spec):
        return reverse("catalog:agency_spec", args=[spec.agency_id, spec.pk])
    if spec.status == SpecStatus.FILED:
        return reverse("catalog:spec_public", args=[spec.pk])
    return None
