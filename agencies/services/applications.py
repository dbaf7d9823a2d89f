"""Applications (Art 12, 13): registration, drafting, evidence, scope, submission."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from agencies.models import (
    AgencyApplication,
    AgencyCall,
    ApplicationStatus,
    Condition,
    ConditionStatement,
    MaterialReview,
    RequestedScope,
    SiteDeclaration,
    UsccCheck,
)
from agencies.services._refusal import Refusal, refuse
from agencies.services.calls import is_open
from agencies.services.listing import clean_public_contact
from catalog import queries as catalog
from catalog.models import Occupation, SkillLevel, WorkType
from catalog.services import level_allowed_for
from portal import access, audit, clock, codes, documents, pdf
from portal.models import (
    Agency,
    AgencyKind,
    AgencyMembership,
    AgencyStatus,
    Audience,
    Document,
    Province,
    User,
)
from portal.roles import AgencyRole
from portal.validators import check_fields

EDITABLE = (ApplicationStatus.DRAFT, ApplicationStatus.RETURNED)
APPLICATION_FIELDS = (
    "legal_name",
    "uscc",
    "kind",
    "registered_province_id",
    "address",
    "legal_representative",
    "contact_name",
    "contact_phone",
    "contact_email",
    "declared_years",
    "declared_total_assessed",
)


@transaction.atomic
def register_organisation(
    *,
    username: str,
    password: str,
    real_name: str,
    email: str,
    phone: str,
    org_name: str,
    uscc: str,
    kind: str,
    province: Province,
    public_contact_name: str = "",
    public_phone: str = "",
    public_email: str = "",
) -> tuple[User, Agency]:
    """An organisation registers: its first user becomes the admin of an unlisted agency.

    A USCC whose check character does not match is accepted here and flagged on the
    application (GB 32100: some real codes fail the check); a malformed one is refused.
    The registrant's own name, mobile and e-mail are the contact for the authority and are
    never published; the directory shows only the ``public_*`` contact chosen on purpose.
    """
    uscc = codes.normalize_code(uscc)
    errors: dict[str, list[str]] = defaultdict(list)
    if not codes.uscc_format_ok(uscc):
        errors["uscc"].append(codes.uscc_problem(uscc) or _("Enter a valid code."))
    elif Agency.objects.filter(uscc=uscc).exists():
        errors["uscc"].append(
            _(
                "An organisation with this code is already registered. Ask its "
                "administrator to add you as a member."
            )
        )
    if User.objects.filter(username__iexact=username).exists():
        errors["username"].append(_("This username is already taken."))
    if kind not in AgencyKind.values:
        errors["kind"].append(_("Choose the kind of organisation."))
    user = User(username=username, real_name=real_name, email=email, phone=phone)
    for name, messages in check_fields(user, ("username", "real_name", "email", "phone")).items():
        errors[name].extend(messages)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        errors["password"].extend(exc.messages)
    try:
        public = clean_public_contact(
            name=public_contact_name, phone=public_phone, email=public_email
        )
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors[field].extend(messages)
    if errors:
        raise ValidationError(dict(errors))
    user.set_password(password)
    user.save(force_insert=True)
    agency = Agency.objects.create(
        name=org_name.strip(),
        uscc=uscc,
        kind=kind,
        registered_province=province,
        status=AgencyStatus.APPLICANT,
        contact_name=real_name,
        contact_phone=phone,
        contact_email=email,
        **public,
    )
    AgencyMembership.objects.create(user=user, agency=agency, role=AgencyRole.ADMIN)
    audit.record(
        user,
        "agencies.organisation.register",
        agency,
        {
            "name": [None, agency.name],
            "uscc": [None, uscc],
            "kind": [None, kind],
            **{field: [None, value] for field, value in public.items() if value},
        },
        agency=agency,
        province=province.code,
        audience=Audience.AGENCY,
    )
    return user, agency


def application_refusal(call: AgencyCall, agency: Agency) -> str | None:
    """Why ``agency`` may not apply to ``call`` now (Art 11, 12), or None if it may."""
    if not is_open(call):
        return Refusal(_("This call is not open for applications."), "call_closed")
    if not call.accepts(agency.kind):
        return Refusal(
            _("This call does not accept organisations of your kind."), "kind_not_accepted"
        )
    if AgencyApplication.objects.filter(call=call, agency=agency).exists():
        return Refusal(_("Your organisation has already applied to this call."), "duplicate")
    return None


@transaction.atomic
def start_application(actor, agency: Agency, call: AgencyCall) -> AgencyApplication:
    """Begin a draft to one call (one application per organisation per call, Art 12)."""
    access.require(actor, "agencies.application.edit", agency)
    refuse(application_refusal(call, agency))
    application = AgencyApplication(
        call=call,
        agency=agency,
        legal_name=agency.name,
        uscc=agency.uscc,
        kind=agency.kind,
        registered_province=agency.registered_province,
        address=agency.address,
        legal_representative=agency.legal_representative,
        contact_name=agency.contact_name,
        contact_phone=agency.contact_phone,
        contact_email=agency.contact_email,
    )
    try:
        with transaction.atomic():
            application.save(force_insert=True)
    except IntegrityError as exc:  # a parallel request won the race
        raise ValidationError(
            _("Your organisation has already applied to this call."), code="duplicate"
        ) from exc
    ConditionStatement.objects.bulk_create(
        ConditionStatement(application=application, condition=c) for c in Condition.values
    )
    if agency.address:
        SiteDeclaration.objects.create(
            application=application,
            name=agency.name[:120],
            province=agency.registered_province,
            address=agency.address,
        )
    audit.record(
        actor,
        "agencies.application.start",
        application,
        {"call": [None, call.pk]},
        audience=Audience.AGENCY,
        province=application.call.jurisdiction,
    )
    return application


def editing_refusal(application: AgencyApplication, actor=None) -> str | None:
    """Why the applicant may not change the application now (Art 13), or None if it may."""
    if application.status not in EDITABLE:
        return Refusal(
            _(
                "The application can be changed only as a draft or when it "
                "has been returned for correction."
            )
        )
    return None


def _editable(actor, application: AgencyApplication) -> AgencyApplication:
    application = (
        AgencyApplication.objects.select_for_update(of=("self",))
        .select_related("call", "agency")
        .get(pk=application.pk)
    )
    access.require(actor, "agencies.application.edit", application)
    refuse(editing_refusal(application, actor))
    return application


@transaction.atomic
def update_application(actor, application: AgencyApplication, **fields) -> AgencyApplication:
    """Save the form at any point; completeness is checked on submission."""
    application = _editable(actor, application)
    before = audit.snapshot(application, APPLICATION_FIELDS)
    for name, value in fields.items():
        if name not in APPLICATION_FIELDS:
            raise ValueError(f"unknown application field {name}")
        setattr(application, name, value.strip() if isinstance(value, str) else value)
    application.uscc = codes.normalize_code(application.uscc)
    if application.uscc and not codes.uscc_format_ok(application.uscc):
        raise ValidationError({"uscc": codes.uscc_problem(application.uscc)})
    application.save(update_fields=[*APPLICATION_FIELDS, "updated_at"])
    changes = audit.diff(before, application, APPLICATION_FIELDS)
    if changes:
        audit.record(
            actor,
            "agencies.application.change",
            application,
            changes,
            audience=Audience.AGENCY,
            province=application.call.jurisdiction,
        )
    return application


@transaction.atomic
def set_condition(
    actor, application: AgencyApplication, condition: int, statement: str
) -> ConditionStatement:
    application = _editable(actor, application)
    item = ConditionStatement.objects.get(application=application, condition=condition)
    item.statement = statement.strip()
    item.save(update_fields=["statement"])
    audit.record(
        actor,
        "agencies.application.condition",
        application,
        {"condition": [None, condition]},
        audience=Audience.AGENCY,
        province=application.call.jurisdiction,
    )
    return item


@transaction.atomic
def add_evidence(actor, application: AgencyApplication, condition: int, upload, *, title: str):
    """Attach an evidence document to one condition (venue, equipment, staff, finances ...)."""
    application = _editable(actor, application)
    item = ConditionStatement.objects.get(application=application, condition=condition)
    doc = documents.store_document(
        actor,
        upload,
        title=title or upload.name,
        kind="evidence",
        owner_agency=application.agency,
        subject=application,
        owner_jurisdiction=application.call.jurisdiction,
    )
    item.evidence.add(doc)
    return doc


@transaction.atomic
def remove_evidence(actor, application: AgencyApplication, condition: int, document) -> None:
    application = _editable(actor, application)
    item = ConditionStatement.objects.get(application=application, condition=condition)
    item.evidence.remove(document)
    audit.record(
        actor,
        "agencies.application.evidence_removed",
        application,
        {"document": [document.pk, None]},
        audience=Audience.AGENCY,
        province=application.call.jurisdiction,
    )


@dataclass
class ScopeRequest:
    occupation: Occupation
    levels: list[SkillLevel]
    work_type: WorkType | None = None
    declared_assessed: int | None = None


def scope_problems(application: AgencyApplication, items: list[ScopeRequest]) -> list[str]:
    """Why each requested occupation and level cannot be asked for under this call."""
    call, problems = application.call, []
    allowed = set(call.occupations.values_list("pk", flat=True))
    seen = set()
    for item in items:
        label = f"{item.occupation.code} {item.occupation.name}"
        key = (item.occupation.pk, item.work_type.pk if item.work_type else None)
        if key in seen:
            problems.append(_("%(occupation)s is listed twice.") % {"occupation": label})
        seen.add(key)
        if allowed and item.occupation.pk not in allowed:
            problems.append(
                _("%(occupation)s is not among the occupations of this call.")
                % {"occupation": label}
            )
        if not item.occupation.is_skill or not item.occupation.is_active:
            problems.append(_("%(occupation)s cannot be assessed (Art 6).") % {"occupation": label})
        if not item.levels:
            problems.append(
                _("Choose at least one level for %(occupation)s.") % {"occupation": label}
            )
        for level in item.levels:
            if not level_allowed_for(application.kind, level):
                problems.append(
                    _("Only employers may assess %(level)s (Art 9).") % {"level": level.display}
                )
                continue
            basis = catalog.basis_for(
                item.occupation, level, work_type=item.work_type, agency=application.agency
            )
            if basis is None:
                problems.append(
                    _(
                        "%(occupation)s %(level)s has no national standard and no "
                        "specification filed by you (Art 17)."
                    )
                    % {"occupation": label, "level": level.display}
                )
            elif call.standard_required and not basis.is_standard:
                problems.append(
                    _(
                        "This call admits only occupations with a national standard: "
                        "%(occupation)s %(level)s."
                    )
                    % {"occupation": label, "level": level.display}
                )
    return problems


@transaction.atomic
def set_scope(actor, application: AgencyApplication, items: list[ScopeRequest]) -> None:
    """Replace the requested scope (occupation × optional work type × levels, Art 14)."""
    application = _editable(actor, application)
    problems = scope_problems(application, items)
    if problems:
        raise ValidationError({"scope": problems})
    application.scope.all().delete()
    for item in items:
        row = RequestedScope.objects.create(
            application=application,
            occupation=item.occupation,
            work_type=item.work_type,
            declared_assessed=item.declared_assessed,
        )
        row.levels.set(item.levels)
    audit.record(
        actor,
        "agencies.application.scope",
        application,
        {
            "scope": [
                None,
                [f"{i.occupation.code}:{','.join(lv.pk for lv in i.levels)}" for i in items],
            ]
        },
        audience=Audience.AGENCY,
        province=application.call.jurisdiction,
    )


@transaction.atomic
def set_sites(actor, application: AgencyApplication, sites: list[tuple[str, Province, str]]):
    """Replace the declared sites: name, province, address."""
    application = _editable(actor, application)
    errors = []
    for name, province, address in sites:
        if not name.strip() or not address.strip():
            errors.append(_("Every site needs a name and an address."))
        if not application.call.is_national and province.code != application.call.jurisdiction:
            errors.append(
                _("A provincial call covers sites in that province only (%(name)s).")
                % {"name": name}
            )
    if errors:
        raise ValidationError({"sites": errors})
    application.sites.all().delete()
    SiteDeclaration.objects.bulk_create(
        SiteDeclaration(application=application, name=n.strip(), province=p, address=a.strip())
        for n, p, a in sites
    )
    audit.record(
        actor,
        "agencies.application.sites",
        application,
        {"sites": [None, [f"{p.code} {n}" for n, p, _a in sites]]},
        audience=Audience.AGENCY,
        province=application.call.jurisdiction,
    )


# The particulars a draft may leave blank but a submission needs (the form marks them).
SUBMISSION_REQUIRED = (
    "legal_name",
    "uscc",
    "address",
    "legal_representative",
    "contact_name",
    "contact_phone",
)


def submission_problems(application: AgencyApplication) -> dict[str, list[str]]:
    """Every reason the application cannot be submitted yet, by field."""
    call, errors = application.call, defaultdict(list)
    for field in SUBMISSION_REQUIRED:
        if not getattr(application, field):
            errors[field].append(_("This field is required."))
    if application.uscc and not codes.uscc_format_ok(application.uscc):
        errors["uscc"].append(codes.uscc_problem(application.uscc) or "")
    if not call.accepts(application.kind):
        errors["kind"].append(_("This call does not accept organisations of your kind."))
    for item in application.conditions.prefetch_related("evidence"):
        key = f"condition_{item.condition}"
        if not item.statement.strip():
            errors[key].append(_("Write how you meet this condition."))
        if not item.evidence.exists():
            errors[key].append(_("Attach at least one evidence document."))
    scope = list(
        application.scope.select_related("occupation", "work_type").prefetch_related("levels")
    )
    if not scope:
        errors["scope"].append(_("Request at least one occupation and level."))
    requests = [
        ScopeRequest(s.occupation, list(s.levels.all()), s.work_type, s.declared_assessed)
        for s in scope
    ]
    errors["scope"].extend(scope_problems(application, requests))
    if not application.sites.exists():
        errors["sites"].append(_("Declare at least one site where you will assess."))
    thresholds = application.kind == AgencyKind.SOCIAL_ORG or call.thresholds_for_employers
    if thresholds:
        if call.min_years and (application.declared_years or 0) < call.min_years:
            errors["declared_years"].append(
                _("The call asks for at least %(n)d years.") % {"n": call.min_years}
            )
        if (
            call.min_total_assessed
            and (application.declared_total_assessed or 0) < call.min_total_assessed
        ):
            errors["declared_total_assessed"].append(
                _("The call asks for at least %(n)d person-times in total.")
                % {"n": call.min_total_assessed}
            )
        if call.min_per_occupation:
            for item in scope:
                if (item.declared_assessed or 0) < call.min_per_occupation:
                    errors["scope"].append(
                        _(
                            "%(occupation)s: the call asks for at least %(n)d person-times per "
                            "occupation."
                        )
                        % {"occupation": item.occupation.name, "n": call.min_per_occupation}
                    )
    return {k: v for k, v in errors.items() if v}


def submission_refusal(application: AgencyApplication, actor=None) -> str | None:
    """Why the application cannot be submitted at all now (a draft only while its call is
    open; a returned one at any time), or None. What is missing in it is
    ``submission_problems``."""
    refusal = editing_refusal(application, actor)
    if refusal:
        return refusal
    if application.status == ApplicationStatus.DRAFT and not is_open(application.call):
        return Refusal(_("This call is not open for applications."), "call_closed")
    return None


@transaction.atomic
def submit_application(actor, application: AgencyApplication, *, pledge: bool) -> AgencyApplication:
    """Submit (or resubmit) with the pledge of truthfulness (Art 13).

    Validates everything and reports every problem at its field; on success opens a
    material-check round and issues the acceptance receipt (PDF).
    """
    application = _editable(actor, application)
    refuse(submission_refusal(application, actor))
    errors = submission_problems(application)
    if not pledge:
        errors.setdefault("pledge", []).append(
            _("Confirm that the materials are true, valid and lawful (Art 13).")
        )
    if errors:
        raise ValidationError(errors)
    if application.uscc_check not in (UsccCheck.CONFIRMED,):
        application.uscc_check = (
            UsccCheck.VALID if codes.is_valid_uscc(application.uscc) else UsccCheck.FLAGGED
        )
    old = application.status
    now = clock.now()
    application.status = ApplicationStatus.SUBMITTED
    application.submitted_at = application.submitted_at or now
    application.pledged_at, application.pledged_by = now, actor
    rounds = application.material_reviews.count()
    MaterialReview.objects.create(application=application, round=rounds + 1, submitted_at=now)
    if application.receipt_id is None:
        # Pending until the task renders it after the commit: no PDF is made under the lock.
        application.receipt = documents.create_pending(
            actor,
            renderer=RECEIPT_RENDERER,
            params={"application": application.pk, "dated": now.isoformat()},
            filename=f"receipt-{application.pk}.pdf",
            title=_("Acceptance receipt"),
            kind="receipt",
            owner_agency=application.agency,
            # The vetting authority reads it before the agency is filed anywhere (Art 14).
            owner_jurisdiction=application.call.jurisdiction,
            subject=application,
        )
    application.save(
        update_fields=[
            "uscc_check",
            "status",
            "submitted_at",
            "pledged_at",
            "pledged_by",
            "receipt",
            "updated_at",
        ]
    )
    audit.record(
        actor,
        "agencies.application.submit",
        application,
        {
            "status": [old, application.status],
            "round": [None, rounds + 1],
            "uscc_check": [None, application.uscc_check],
        },
        audience=Audience.AGENCY,
        province=application.call.jurisdiction,
    )
    return application


WITHDRAWABLE = (*EDITABLE, ApplicationStatus.SUBMITTED, ApplicationStatus.UNDER_REVIEW)


def withdrawal_refusal(application: AgencyApplication, actor=None) -> str | None:
    """Why the applicant may no longer withdraw (once decided), or None if it may."""
    if application.status not in WITHDRAWABLE:
        return Refusal(_("The application can no longer be withdrawn."))
    return None


RECEIPT_RENDERER = "agencies.receipt"


def render_receipt(document: Document) -> bytes:
    """Renderer of a pending receipt (registered by ``agencies.registry``)."""
    params = document.render_params
    application = AgencyApplication.objects.select_related("call", "agency").get(
        pk=params["application"]
    )
    return receipt_pdf(application, dated=dt.datetime.fromisoformat(params["dated"]))


def receipt_pdf(application: AgencyApplication, *, dated: dt.datetime) -> bytes:
    """The acceptance receipt (受理回执, Art 13) of the first submission, dated ``dated``."""
    return pdf.render_pdf(
        "agencies/pdf/receipt.html",
        {
            "application": application,
            "scope": application.scope.select_related("occupation").prefetch_related("levels"),
            "now": dated,
            "is_demo": application.agency.is_demo,
        },
    )


@transaction.atomic
def withdraw_application(actor, application: AgencyApplication) -> AgencyApplication:
    """The applicant withdraws before a decision (Art 13)."""
    application = AgencyApplication.objects.select_for_update().get(pk=application.pk)
    access.require(actor, "agencies.application.edit", application)
    refuse(withdrawal_refusal(application, actor))
    old = application.status
    application.status = ApplicationStatus.WITHDRAWN
    application.save(update_fields=["status", "updated_at"])
    application.material_reviews.filter(decision=MaterialReview.Decision.PENDING).update(
        decision=MaterialReview.Decision.WITHDRAWN, decided_at=clock.now()
    )
    documents.start_retention(application)
    audit.record(
        actor,
        "agencies.application.withdraw",
        application,
        {"status": [old, application.status]},
        audience=Audience.AGENCY,
        province=application.call.jurisdiction,
    )
    return application
