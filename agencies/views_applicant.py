"""Views of the applicant side: public calls, registration, the directory, and the agency's
own applications (draft, evidence, scope, sites, submission, withdrawal, commitment)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies import queries, services, ui_applicant
from agencies.forms_applicant import (
    ConditionForm,
    DetailsForm,
    DirectorySearchForm,
    PledgeForm,
    RegistrationForm,
    ScopeFormSet,
    SiteFormSet,
)
from agencies.models import (
    AgencyApplication,
    ApplicationStatus,
    Condition,
    ConditionStatement,
    ScopeItem,
)
from agencies.services.applications import EDITABLE, ScopeRequest, submission_problems
from agencies.services.calls import is_open
from portal.models import AgencyMembership, jurisdiction_label
from portal.roles import AgencyRole

WITHDRAWABLE = (*EDITABLE, ApplicationStatus.SUBMITTED, ApplicationStatus.UNDER_REVIEW)
DECIDED = (
    ApplicationStatus.ON_NOTICE,
    ApplicationStatus.APPROVED,
    ApplicationStatus.LISTED,
    ApplicationStatus.REJECTED,
)


# --- Public: calls, registration ---------------------------------------------------------------


def calls(request):
    page = Paginator(queries.published_calls(), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "agencies/public/calls.html",
        {
            "page": page,
            "open_ids": {c.pk for c in page if is_open(c)},
        },
    )


def call_detail(request, pk: int):
    call = get_object_or_404(queries.published_calls(), pk=pk)
    my_agencies = []
    if request.user.is_authenticated:
        for m in AgencyMembership.objects.filter(
            user=request.user, role=AgencyRole.ADMIN
        ).select_related("agency"):
            applied = queries.applications_for_agency(m.agency).filter(call=call).first()
            my_agencies.append(
                {
                    "agency": m.agency,
                    "application": applied,
                    "accepted": call.accepts(m.agency.kind),
                }
            )
    return render(
        request,
        "agencies/public/call_detail.html",
        {
            "call": call,
            "open": is_open(call),
            "my_agencies": my_agencies,
            "occupations": call.occupations.order_by("code"),
            "jurisdiction": jurisdiction_label(call.jurisdiction),
            "breadcrumbs": [(_("Calls for agencies"), reverse("agencies:calls")), (call.title, "")],
        },
    )


def register(request):
    if request.user.is_authenticated:
        messages.info(
            request,
            _("You are signed in already. To register another organisation, sign out first."),
        )
        return redirect("portal:dashboard")
    form = RegistrationForm(request.POST or None, captcha_session=request.session)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user, agency = services.register_organisation(
                username=data["username"],
                password=data["password1"],
                real_name=data["real_name"],
                email=data["email"],
                phone=data["phone"],
                org_name=data["org_name"],
                uscc=data["uscc"],
                kind=data["kind"],
                province=data["province"],
            )
        except ValidationError as exc:
            _errors_to_form(form, exc, rename={"password": "password1"})
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
    return render(request, "agencies/public/register.html", {"form": form})


def _errors_to_form(form, exc: ValidationError, rename: dict | None = None) -> None:
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        field = (rename or {}).get(field, field)
        form.add_error(field if field in form.fields else None, errors)


# --- Public: the directory ------------------------------------------------------------------


def directory(request):
    form = DirectorySearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = queries.directory(**{k: v or "" for k, v in filters.items()}).prefetch_related(
        Prefetch("scope", queryset=ScopeItem.objects.select_related("occupation"))
    )
    page = Paginator(entries, 20).get_page(request.GET.get("page"))
    return render(request, "agencies/public/directory.html", {"form": form, "page": page})


def directory_entry(request, agency_id: int):
    entry = get_object_or_404(
        queries.directory().select_related("agency__registered_province"), agency_id=agency_id
    )
    scope = list(
        entry.scope.select_related("occupation", "work_type", "standard", "spec").prefetch_related(
            "levels"
        )
    )
    for item in scope:
        item.level_text = "、".join(
            lv.display for lv in sorted(item.levels.all(), key=lambda lv: -lv.rank)
        )
    return render(
        request,
        "agencies/public/directory_entry.html",
        {
            "entry": entry,
            "agency": entry.agency,
            "scope": scope,
            "sites": entry.agency.sites.select_related("province").order_by("province", "name"),
            "published_rules": services.current_rules(entry.agency),
            "filing_authority": _("Nationwide")
            if entry.filing_jurisdiction == "000000"
            else jurisdiction_label(entry.filing_jurisdiction),
            "breadcrumbs": [
                (_("Agency directory"), reverse("agencies:directory")),
                (entry.agency.name, ""),
            ],
        },
    )


# --- Agency workspace: applications ---------------------------------------------------------


def _own(request, pk: int) -> AgencyApplication:
    return get_object_or_404(
        AgencyApplication.objects.select_related(
            "call", "agency", "receipt", "decision_letter", "registered_province"
        ),
        pk=pk,
        agency=request.agency,
    )


def applications(request, agency_id: int):
    mine = list(queries.applications_for_agency(request.agency).order_by("-created_at"))
    applied = {a.call_id for a in mine}
    open_calls = [
        c for c in queries.open_calls().order_by("deadline") if c.accepts(request.agency.kind)
    ]
    return render(
        request,
        "agencies/applicant/applications.html",
        {
            "applications": mine,
            "open_calls": open_calls,
            "applied": applied,
            "is_admin": AgencyRole.ADMIN in request.agency_roles,
        },
    )


@require_POST
def application_start(request, agency_id: int):
    call = get_object_or_404(queries.published_calls(), pk=request.POST.get("call") or 0)
    try:
        application = services.start_application(request.user, request.agency, call)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("agencies:applications", agency_id)
    messages.success(
        request,
        _(
            "A draft application has been started. Fill in every section "
            "and submit it before the deadline."
        ),
    )
    return redirect("agencies:application_edit", agency_id, application.pk)


def comment_label(key: str) -> str:
    """The item a material-check comment is about (keys as in ``submission_problems``)."""
    if key.startswith("condition_") and key[10:].isdigit():
        number = int(key[10:])
        if number in Condition.values:
            return _("Condition %(n)d: %(label)s") % {"n": number, "label": Condition(number).label}
    labels = {
        "scope": _("Requested scope"),
        "sites": _("Sites"),
        "general": _("General"),
        "pledge": _("Pledge of truthfulness"),
    }
    if key in labels:
        return str(labels[key])
    field = DetailsForm.base_fields.get(key)
    return str(field.label) if field is not None else key


def application_detail(request, agency_id: int, pk: int):
    application = _own(request, pk)
    rounds = [
        {"review": r, "comments": [(comment_label(k), v) for k, v in r.comments.items()]}
        for r in application.material_reviews.order_by("round")
    ]
    is_admin = AgencyRole.ADMIN in request.agency_roles
    return render(
        request,
        "agencies/applicant/application_detail.html",
        {
            "application": application,
            "call": application.call,
            "rounds": rounds,
            "next_step": ui_applicant.next_step(application),
            "decided": application.status in DECIDED and bool(application.decision_reasons),
            "editable": is_admin and application.status in EDITABLE,
            "withdrawable": is_admin and application.status in WITHDRAWABLE,
            "signable": is_admin and application.status == ApplicationStatus.APPROVED,
            "listed": application.status == ApplicationStatus.LISTED,
            "scope": application.scope.select_related("occupation", "work_type").prefetch_related(
                "levels", "approved_levels"
            ),
            "sites": application.sites.select_related("province"),
            "breadcrumbs": _crumbs(agency_id, (application.call.title, "")),
        },
    )


def _crumbs(agency_id: int, *items):
    return [(_("Applications"), reverse("agencies:applications", args=[agency_id])), *items]


@require_POST
def application_withdraw(request, agency_id: int, pk: int):
    application = _own(request, pk)
    try:
        services.withdraw_application(request.user, application)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The application has been withdrawn."))
    return redirect("agencies:application", agency_id, pk)


# --- Editing and submitting -------------------------------------------------------------------


class Sections:
    """The forms of the edit page, bound to the request or filled from the database."""

    def __init__(self, request, application: AgencyApplication, data=None, files=None):
        self.application = application
        statements = {
            c.condition: c
            for c in ConditionStatement.objects.filter(application=application).prefetch_related(
                "evidence"
            )
        }
        self.statements = statements
        self.details = DetailsForm(data, initial=DetailsForm.initial_for(application))
        self.conditions = [
            ConditionForm(
                data,
                files,
                condition=n,
                initial={"statement": statements[n].statement if n in statements else ""},
            )
            for n in Condition.values
        ]
        self.scope_initial = [
            {
                "occupation": s.occupation.code,
                "work_type": s.work_type.name if s.work_type else "",
                "levels": [lv.pk for lv in s.levels.all()],
                "declared_assessed": s.declared_assessed,
            }
            for s in application.scope.select_related("occupation", "work_type").prefetch_related(
                "levels"
            )
        ]
        self.scope = ScopeFormSet(
            data, prefix="scope", initial=self.scope_initial, form_kwargs={"kind": application.kind}
        )
        self.sites_initial = [
            {"name": s.name, "province": s.province_id, "address": s.address}
            for s in application.sites.all()
        ]
        self.sites = SiteFormSet(data, prefix="sites", initial=self.sites_initial)
        if not application.call.is_national:
            for form in self.sites.forms[len(self.sites_initial) :]:
                form.fields["province"].initial = application.call.jurisdiction
        self.errors: dict[str, list[str]] = {}  # section errors: scope, sites, general
        self.condition_errors: dict[int, list[str]] = {}

    def is_valid(self) -> bool:
        results = [self.details.is_valid(), self.scope.is_valid(), self.sites.is_valid()]
        results += [f.is_valid() for f in self.conditions]
        return all(results)

    def bind_saved(self) -> None:
        """Bind the details form to the saved values so errors can be attached to it."""
        data = {k: ("" if v is None else v) for k, v in self.details.initial.items()}
        self.details = DetailsForm(data, initial=self.details.initial)
        self.details.is_valid()

    def add_problems(self, problems: dict[str, list[str]]) -> None:
        """Put each problem of ``submission_problems`` (or of a service) at its place."""
        for key, messages_ in problems.items():
            messages_ = [m for m in messages_ if m]
            if key in self.details.fields:
                for message in messages_:
                    self.details.add_error(key, message)
            elif key.startswith("condition_") and key[10:].isdigit():
                self.condition_errors.setdefault(int(key[10:]), []).extend(messages_)
            elif key in ("scope", "sites"):
                self.errors.setdefault(key, []).extend(messages_)
            else:
                self.errors.setdefault("general", []).extend(messages_)

    # -- saving --

    def save(self, user, remove: str = "") -> bool:
        """Save every section through the services; answers whether all went through."""
        app, ok = self.application, True
        try:
            app = services.update_application(user, app, **self.details.service_fields())
        except ValidationError as exc:
            ok = False
            self.add_problems(_as_dict(exc, "general"))
        for form in self.conditions:
            n, data = form.condition, form.cleaned_data
            try:
                if data["statement"].strip() != self.statements[n].statement:
                    services.set_condition(user, app, n, data["statement"])
            except ValidationError as exc:
                ok = False
                self.condition_errors.setdefault(n, []).extend(exc.messages)
            if data.get("evidence"):
                upload = data["evidence"]
                try:
                    services.add_evidence(
                        user, app, n, upload, title=data.get("evidence_title") or upload.name
                    )
                except ValidationError as exc:
                    ok = False
                    form.add_error("evidence", exc.messages)
        ok &= self._save_scope(user, app)
        ok &= self._save_sites(user, app)
        if remove:
            ok &= self._remove(user, app, remove)
        return ok

    def _save_scope(self, user, app) -> bool:
        items = [
            ScopeRequest(
                f.cleaned_data["occupation"],
                list(f.cleaned_data["levels"]),
                f.cleaned_data["work_type"],
                f.cleaned_data["declared_assessed"],
            )
            for f in self.scope.kept()
        ]
        wanted = sorted(
            (
                i.occupation.pk,
                i.work_type.pk if i.work_type else 0,
                sorted(lv.pk for lv in i.levels),
                i.declared_assessed or 0,
            )
            for i in items
        )
        saved = sorted(
            (s["occupation"], s["work_type"], sorted(s["levels"]), s["declared_assessed"] or 0)
            for s in self._saved_scope()
        )
        if wanted == saved:
            return True
        try:
            services.set_scope(user, app, items)
        except ValidationError as exc:
            self.add_problems(_as_dict(exc, "scope"))
            return False
        return True

    def _saved_scope(self):
        for s in self.application.scope.prefetch_related("levels"):
            yield {
                "occupation": s.occupation_id,
                "work_type": s.work_type_id or 0,
                "levels": [lv.pk for lv in s.levels.all()],
                "declared_assessed": s.declared_assessed,
            }

    def _save_sites(self, user, app) -> bool:
        sites = [
            (f.cleaned_data["name"], f.cleaned_data["province"], f.cleaned_data["address"])
            for f in self.sites.kept()
        ]
        wanted = sorted((n.strip(), p.pk, a.strip()) for n, p, a in sites)
        saved = sorted((s["name"], s["province"], s["address"]) for s in self.sites_initial)
        if wanted == saved:
            return True
        try:
            services.set_sites(user, app, sites)
        except ValidationError as exc:
            self.add_problems(_as_dict(exc, "sites"))
            return False
        return True

    def _remove(self, user, app, value: str) -> bool:
        number, _sep, doc_pk = value.partition(":")
        if not (number.isdigit() and doc_pk.isdigit()) or int(number) not in self.statements:
            raise Http404
        document = self.statements[int(number)].evidence.filter(pk=int(doc_pk)).first()
        if document is None:
            raise Http404
        try:
            services.remove_evidence(user, app, int(number), document)
        except ValidationError as exc:
            self.condition_errors.setdefault(int(number), []).extend(exc.messages)
            return False
        return True

    def context(self) -> dict:
        latest = self.application.material_reviews.order_by("-round").first()
        comments = latest.comments if latest and latest.decision == "returned" else {}
        conditions = [
            {
                "form": f,
                "statement": self.statements.get(f.condition),
                "errors": self.condition_errors.get(f.condition, []),
                "comment": comments.get(f"condition_{f.condition}", ""),
            }
            for f in self.conditions
        ]
        return {
            "details": self.details,
            "conditions": conditions,
            "scope_formset": self.scope,
            "site_formset": self.sites,
            "section_errors": self.errors,
            "comments": comments,
            "returned_round": latest if comments else None,
        }


def _as_dict(exc: ValidationError, default: str) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {k: [str(m) for e in v for m in e.messages] for k, v in exc.error_dict.items()}
    return {default: exc.messages}


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


def _render_edit(request, application, sections: Sections, pledge: PledgeForm, status=200):
    return render(
        request,
        "agencies/applicant/application_edit.html",
        {
            "application": application,
            "call": application.call,
            "pledge_form": pledge,
            **sections.context(),
            "breadcrumbs": _crumbs(
                application.agency_id,
                (
                    application.call.title,
                    reverse("agencies:application", args=[application.agency_id, application.pk]),
                ),
                (_("Edit"), ""),
            ),
        },
        status=status,
    )


def application_edit(request, agency_id: int, pk: int):
    application = _own(request, pk)
    if (response := _editable_or_redirect(request, application)) is not None:
        return response
    if request.method != "POST":
        return _render_edit(request, application, Sections(request, application), PledgeForm())
    sections = Sections(request, application, request.POST, request.FILES)
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
    return _render_edit(request, _own(request, pk), sections, PledgeForm(), status=200)


class _Rollback(Exception):
    pass


def application_submit(request, agency_id: int, pk: int):
    """GET: check the saved application and show every problem at its place.
    POST: save the sections and submit with the pledge, all or nothing (Art 13)."""
    application = _own(request, pk)
    if (response := _editable_or_redirect(request, application)) is not None:
        return response
    if request.method != "POST":
        sections = Sections(request, application)
        sections.bind_saved()
        problems = submission_problems(application)
        sections.add_problems(problems)
        if not problems:
            messages.info(request, _("Nothing is missing: tick the pledge and submit."))
        return _render_edit(request, application, sections, PledgeForm())
    sections = Sections(request, application, request.POST, request.FILES)
    pledge = PledgeForm(request.POST)
    pledge.is_valid()
    if sections.is_valid():
        try:
            with transaction.atomic():
                if not sections.save(request.user):
                    raise _Rollback
                services.submit_application(
                    request.user, application, pledge=pledge.cleaned_data["pledge"]
                )
        except _Rollback:
            pass
        except ValidationError as exc:
            problems = _as_dict(exc, "general")
            for message in problems.pop("pledge", []):
                pledge.add_error("pledge", message)
            sections.add_problems(problems)
        else:
            messages.success(
                request,
                _("The application has been submitted. The acceptance receipt is ready below."),
            )
            return redirect("agencies:application", agency_id, pk)
    for form in sections.conditions:
        if getattr(form, "cleaned_data", {}).get("evidence") and "evidence" not in form.errors:
            form.add_error(
                "evidence",
                _(
                    "The file was not kept because the application was "
                    "not submitted; choose it again."
                ),
            )
    messages.error(
        request,
        _(
            "The application was not submitted and nothing was saved. "
            "Correct the problems marked below."
        ),
    )
    return _render_edit(request, _own(request, pk), sections, pledge)


# --- Commitment letter -------------------------------------------------------------------------


def application_sign(request, agency_id: int, pk: int):
    application = _own(request, pk)
    if application.status != ApplicationStatus.APPROVED:
        messages.error(request, _("Only an approved application can be signed for."))
        return redirect("agencies:application", agency_id, pk)
    if request.method == "POST":
        try:
            services.sign_commitment(request.user, application)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _(
                    "The commitment letter has been signed; your "
                    "organisation is now listed in the agency directory."
                ),
            )
            return redirect("agencies:application", agency_id, pk)
    return render(
        request,
        "agencies/applicant/application_sign.html",
        {
            "application": application,
            "call": application.call,
            "signer": request.user,
            "breadcrumbs": _crumbs(
                agency_id,
                (application.call.title, reverse("agencies:application", args=[agency_id, pk])),
                (_("Commitment letter"), ""),
            ),
        },
    )
