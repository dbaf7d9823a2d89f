"""Bulk verification (Art 22; decision 0051): organisations apply for verification access,
an official of the province of their USCC (or the ministry) decides, and members verify
certificates in bulk — a spreadsheet in the browser or the API with the organisation's tokens.

Rules implemented here:

* Art 22 (the platform offers certificate information to society): every answer is built by
  ``certificates.services.lookup.find_many`` (exact keys only) and shows ``public_facts`` and
  nothing more; the ID number the asker sent is never sent back, masked or not.
* PIPL Art 13 and data minimisation: an organisation states its purpose and legal basis
  before it may verify; an upload keeps counts only; audit entries hold the organisation and
  the item counts, never names or ID numbers.
* Tokens: a secret shown once, only its SHA-256 kept (``hmac.compare_digest`` on the hash),
  with an expiry, a revocation and a daily quota of items counted exactly in the database.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from certificates.models import (
    ApiToken,
    ApiTokenUsage,
    VerifierMembership,
    VerifierOrganisation,
    VerifierState,
)
from certificates.services.lookup import Query, find_many, normalise_number, public_facts
from portal import access, audit, clock, codes
from portal.models import IdType, User
from portal.refusals import Refusal, refuse
from portal.roles import NATIONAL

TOKEN_PREFIX = "vk"  # noqa: S105 - the tokens' visible marker, not a secret
#: The facts of ``public_facts`` an answer leaves out: the asker sent the ID, never echo it.
HIDDEN_FACTS = ("id_number", "id_type", "agency_id")


def max_items() -> int:
    return int(getattr(settings, "VERIFY_API_MAX_ITEMS", 1000))


def max_rows() -> int:
    return int(getattr(settings, "VERIFY_UPLOAD_MAX_ROWS", 10000))


def province_of_uscc(uscc: str) -> str:
    """The province of the registration authority named by characters 3–8 of a USCC."""
    region = uscc[2:8]
    province = region[:2] + "0000"
    return province if codes.is_valid_province_code(province) else ""


def _audit_province(org: VerifierOrganisation) -> str:
    return org.province or NATIONAL


# --- Applying and deciding ----------------------------------------------------------------


@dataclass(frozen=True)
class Application:
    name: str
    uscc: str
    purpose: str
    legal_basis: str
    basis_detail: str
    contact_name: str
    contact_phone: str
    contact_email: str


def apply_refusal(actor) -> Refusal | None:
    """A user with a live application or membership does not apply again."""
    if VerifierMembership.objects.filter(
        user=actor, organisation__state__in=[VerifierState.APPROVED, VerifierState.SUSPENDED]
    ).exists():
        return Refusal(_("You already verify for an organisation."))
    if VerifierOrganisation.objects.filter(applied_by=actor, state=VerifierState.PENDING).exists():
        return Refusal(_("Your application is waiting for a decision."))
    return None


@transaction.atomic
def apply_for_verification(actor: User, data: Application) -> VerifierOrganisation:
    """A signed-in user applies, for their organisation, for bulk verification access (Art
    22); the applicant becomes the organisation's first administrator once approved."""
    access.require(actor, "certificates.verifier.apply")
    refuse(apply_refusal(actor))
    uscc = codes.normalize_code(data.uscc)
    try:
        codes.validate_uscc(uscc)
    except ValidationError as exc:
        raise ValidationError({"uscc": exc.messages}) from None
    if VerifierOrganisation.objects.filter(
        uscc=uscc,
        state__in=[VerifierState.PENDING, VerifierState.APPROVED, VerifierState.SUSPENDED],
    ).exists():
        raise ValidationError(
            {"uscc": _("This organisation has already applied; ask its administrator to add you.")}
        )
    org = VerifierOrganisation(
        name=data.name.strip(),
        uscc=uscc,
        province=province_of_uscc(uscc),
        purpose=data.purpose.strip(),
        legal_basis=data.legal_basis,
        basis_detail=data.basis_detail.strip(),
        contact_name=data.contact_name.strip(),
        contact_phone=data.contact_phone,
        contact_email=data.contact_email,
        applied_by=actor,
        applied_at=clock.now(),
    )
    org.full_clean(exclude=["decided_by", "decided_at", "note"])
    org.save()
    VerifierMembership.objects.create(
        organisation=org, user=actor, is_admin=True, added_by=actor, added_at=org.applied_at
    )
    audit.record(
        actor,
        "certificates.verifier.apply",
        org,
        {"name": org.name, "uscc": org.uscc, "legal_basis": org.legal_basis},
        province=_audit_province(org),
    )
    return org


def decide_refusal(org: VerifierOrganisation, actor) -> Refusal | None:
    if not access.can(actor, "certificates.verifier.decide", org):
        return Refusal(_("Only an official of the organisation's province decides."), "forbidden")
    if org.state != VerifierState.PENDING:
        return Refusal(_("This application has been decided."))
    return None


@transaction.atomic
def decide_application(
    actor: User, org: VerifierOrganisation, *, approve: bool, note: str
) -> VerifierOrganisation:
    """A provincial official of the USCC's province, or the ministry, approves or refuses an
    application for bulk verification access (Art 22, 24); a refusal gives its reason."""
    org = VerifierOrganisation.objects.select_for_update().get(pk=org.pk)
    access.require(actor, "certificates.verifier.decide", org)
    refuse(decide_refusal(org, actor))
    if not approve and not note.strip():
        raise ValidationError({"note": _("Give the reason for the refusal.")})
    before = org.state
    org.state = VerifierState.APPROVED if approve else VerifierState.REFUSED
    org.decided_by, org.decided_at, org.note = actor, clock.now(), note.strip()
    org.save(update_fields=["state", "decided_by", "decided_at", "note"])
    audit.record(
        actor,
        "certificates.verifier.approve" if approve else "certificates.verifier.refuse",
        org,
        {"state": [before, org.state]},
        province=_audit_province(org),
    )
    return org


# --- Members -------------------------------------------------------------------------------


def _require_admin(actor, org: VerifierOrganisation) -> None:
    access.require(actor, "certificates.verifier.manage", org)


@transaction.atomic
def add_member(
    actor: User, org: VerifierOrganisation, *, username: str, is_admin: bool = False
) -> VerifierMembership:
    """The organisation's administrator adds a portal account as a member (verifier)."""
    org = VerifierOrganisation.objects.select_for_update().get(pk=org.pk)
    _require_admin(actor, org)
    user = User.objects.filter(username=username.strip(), is_active=True).first()
    if user is None:
        raise ValidationError({"username": _("No active account has this user name.")})
    if org.members.filter(user=user).exists():
        raise ValidationError({"username": _("This account is already a member.")})
    membership = VerifierMembership.objects.create(
        organisation=org, user=user, is_admin=is_admin, added_by=actor, added_at=clock.now()
    )
    audit.record(
        actor,
        "certificates.verifier.member_add",
        org,
        {"member": user.username, "is_admin": is_admin},
        province=_audit_province(org),
    )
    return membership


@transaction.atomic
def remove_member(actor: User, org: VerifierOrganisation, membership: VerifierMembership) -> None:
    """Remove a member; the last administrator stays (someone must manage the tokens)."""
    org = VerifierOrganisation.objects.select_for_update().get(pk=org.pk)
    _require_admin(actor, org)
    membership = org.members.select_related("user").get(pk=membership.pk)
    if membership.is_admin and org.members.filter(is_admin=True).count() == 1:
        raise ValidationError(_("The last administrator cannot be removed."))
    username = membership.user.username
    membership.delete()
    audit.record(
        actor,
        "certificates.verifier.member_remove",
        org,
        {"member": username},
        province=_audit_province(org),
    )


# --- Tokens --------------------------------------------------------------------------------


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def new_secret(prefix: str | None = None) -> tuple[str, str]:
    """``(prefix, token)``: the token is ``vk_<prefix>_<43 random characters>``."""
    prefix = prefix or secrets.token_hex(4)
    return prefix, f"{TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"


@transaction.atomic
def create_token(
    actor: User,
    org: VerifierOrganisation,
    *,
    name: str,
    valid_days: int,
    daily_quota: int,
    secret: str | None = None,
) -> tuple[ApiToken, str]:
    """A new API token of ``org``; returns it with its secret, shown this once (Art 22).
    ``secret`` is for the demo only (a documented fixed token)."""
    org = VerifierOrganisation.objects.select_for_update().get(pk=org.pk)
    _require_admin(actor, org)
    if not org.is_approved:
        raise ValidationError(_("Only an approved organisation has API tokens."))
    if secret is None:
        prefix, secret = new_secret()
    else:
        prefix = secret.split("_")[1]
    now = clock.now()
    token = ApiToken.objects.create(
        organisation=org,
        name=name.strip(),
        prefix=prefix,
        secret_hash=hash_secret(secret),
        daily_quota=daily_quota,
        created_by=actor,
        created_at=now,
        expires_at=now + dt.timedelta(days=valid_days),
    )
    audit.record(
        actor,
        "certificates.verifier.token_create",
        org,
        {"token": f"{prefix}…", "daily_quota": daily_quota, "expires_on": token.expires_at.date()},
        province=_audit_province(org),
    )
    return token, secret


@transaction.atomic
def revoke_token(actor: User, org: VerifierOrganisation, token: ApiToken) -> ApiToken:
    """Revoke a token at once; it answers 401 from the next call."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk, organisation=org)
    _require_admin(actor, org)
    if token.revoked_at is not None:
        raise ValidationError(_("This token has been revoked already."))
    token.revoked_at, token.revoked_by = clock.now(), actor
    token.save(update_fields=["revoked_at", "revoked_by"])
    audit.record(
        actor,
        "certificates.verifier.token_revoke",
        org,
        {"token": f"{token.prefix}…"},
        province=_audit_province(org),
    )
    return token


class ApiRefused(Exception):
    """An API call refused as a whole: HTTP ``status``, a stable ``code``, a Chinese message."""

    def __init__(self, status: int, code: str, message: str, **extra) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.extra = status, code, message, extra


def authenticate(header: str) -> ApiToken:
    """The live token named by an ``Authorization: Bearer …`` header, else ``ApiRefused``
    (401 for every kind of bad token alike but the expired and revoked, which say so)."""
    scheme, _sep, given = (header or "").partition(" ")
    given = given.strip()
    parts = given.split("_", 2)
    if scheme.lower() != "bearer" or len(parts) != 3 or parts[0] != TOKEN_PREFIX:
        raise ApiRefused(401, "unauthorised", _("Send a valid API token: Authorization: Bearer …"))
    token = (
        ApiToken.objects.select_related("organisation").filter(prefix=parts[1][:16]).first()
        if parts[1].isascii() and parts[1].isalnum()
        else None
    )
    if token is None or not hmac.compare_digest(token.secret_hash, hash_secret(given)):
        raise ApiRefused(401, "unauthorised", _("Send a valid API token: Authorization: Bearer …"))
    if token.revoked_at is not None:
        raise ApiRefused(401, "token_revoked", _("This API token has been revoked."))
    if token.expires_at <= clock.now():
        raise ApiRefused(401, "token_expired", _("This API token has expired."))
    if not token.organisation.is_approved:
        raise ApiRefused(
            403,
            "organisation_not_approved",
            _("The organisation's verification access is not approved."),
        )
    return token


def seconds_to_midnight() -> int:
    now = timezone.localtime(clock.now())
    tomorrow = dt.datetime.combine(now.date() + dt.timedelta(days=1), dt.time(), now.tzinfo)
    return max(1, int((tomorrow - now).total_seconds()))


def charge(token: ApiToken, items: int) -> int:
    """Count ``items`` against today's quota of ``token`` (one UPDATE that cannot pass the
    quota, so parallel calls cannot overrun it); returns what is left today, or raises
    ``ApiRefused`` 429 with nothing counted."""
    day = timezone.localdate(clock.now())
    with transaction.atomic():
        ApiTokenUsage.objects.bulk_create(
            [ApiTokenUsage(token=token, day=day)], ignore_conflicts=True
        )
        done = ApiTokenUsage.objects.filter(
            token=token, day=day, items__lte=token.daily_quota - items
        ).update(items=F("items") + items, calls=F("calls") + 1)
        if not done:
            raise ApiRefused(
                429,
                "quota_exceeded",
                _("The token's daily quota of %(quota)d items is used up; try again tomorrow.")
                % {"quota": token.daily_quota},
                retry_after=seconds_to_midnight(),
            )
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=clock.now())
        used = ApiTokenUsage.objects.get(token=token, day=day).items
    return token.daily_quota - used


def used_today(token: ApiToken) -> int:
    day = timezone.localdate(clock.now())
    row = ApiTokenUsage.objects.filter(token=token, day=day).first()
    return row.items if row else 0


# --- Items and answers ---------------------------------------------------------------------

ID_TYPE_NAMES = {
    **{value: value for value in IdType.values},
    "居民身份证": IdType.RESIDENT_ID,
    "身份证": IdType.RESIDENT_ID,
    "护照": IdType.PASSPORT,
    "港澳居民来往内地通行证": IdType.HK_MACAO,
    "台湾居民来往大陆通行证": IdType.TAIWAN,
    "外国人永久居留身份证": IdType.FOREIGN_PR,
}


def item_errors(reference, name, id_type, id_number, number) -> tuple[Query | None, dict]:
    """The query of one item, or the errors by field (Chinese), for API items and rows."""
    errors: dict[str, str] = {}
    values = {"reference": reference, "name": name, "id_type": id_type}
    values |= {"id_number": id_number, "number": number}
    limits = {"reference": 64, "name": 60, "id_type": 40, "id_number": 40, "number": 30}
    for field, value in values.items():
        if not isinstance(value, str):
            errors[field] = _("Must be text.")
        elif len(value) > limits[field]:
            errors[field] = _("At most %(n)d characters.") % {"n": limits[field]}
        elif "\x00" in value or any(ord(c) < 32 for c in value):
            errors[field] = _("Must not contain control characters.")
    if errors:
        return None, errors
    name, number, id_number = name.strip(), number.strip(), id_number.strip()
    if not name:
        errors["name"] = _("Give the name.")
    if number and id_number:
        errors["number"] = _("Give either the ID number or the certificate number, not both.")
    elif number:
        if not normalise_number(number):
            errors["number"] = _("This is not a certificate number.")
    elif id_number:
        kind = ID_TYPE_NAMES.get(id_type.strip() or IdType.RESIDENT_ID)
        if kind is None:
            errors["id_type"] = _("Unknown ID type.")
        elif kind == IdType.RESIDENT_ID and not codes.is_valid_resident_id(
            codes.normalize_code(id_number)
        ):
            errors["id_number"] = _("This is not a valid resident ID number.")
        id_type = kind or ""
    else:
        errors["id_number"] = _("Give the ID number or the certificate number.")
    if errors:
        return None, errors
    return Query(name=name, id_number=id_number, number=number, id_type=id_type, ref=reference), {}


def answer_of(certificates: list) -> dict:
    """One item's answer: found or not, the status of the newest, the public facts of each."""
    facts = [
        {k: v for k, v in public_facts(c).items() if k not in HIDDEN_FACTS} for c in certificates
    ]
    return {
        "found": bool(facts),
        "status": facts[0]["status"] if facts else None,
        "certificates": facts,
    }


def verify_items(items: list[dict]) -> tuple[list[dict], int]:
    """Answers to API items (dicts already known to be objects), in order, and how many were
    found. A bad item is answered with its errors; the others are looked up together."""
    answers: list[dict | None] = []
    queries: list[Query] = []
    where: list[int] = []
    for item in items:
        query, errors = item_errors(
            item.get("reference", ""),
            item.get("name", ""),
            item.get("id_type", ""),
            item.get("id_number", ""),
            item.get("number", ""),
        )
        reference = item.get("reference") if isinstance(item.get("reference"), str) else ""
        if query is None:
            answers.append({"reference": reference[:64], "error": "invalid_item", "errors": errors})
        else:
            where.append(len(answers))
            answers.append(None)
            queries.append(query)
    found = 0
    for position, query, certificates in zip(where, queries, find_many(queries), strict=True):
        answers[position] = {"reference": query.ref} | answer_of(certificates)
        found += bool(certificates)
    return answers, found  # type: ignore[return-value]


def record_api_call(token: ApiToken, items: int, found: int) -> None:
    """The audit entry of one API call: the organisation, the token's prefix and the counts."""
    org = token.organisation
    with transaction.atomic():
        audit.record(
            None,
            "certificates.verify.api",
            org,
            {"items": items, "found": found, "token": f"{token.prefix}…"},
            province=_audit_province(org),
            actor_label=f"API {org.name}",
        )


def member_refusal(org: VerifierOrganisation, actor) -> Refusal | None:
    if not access.can(actor, "certificates.verify", org):
        return Refusal(_("Only members of an approved organisation verify."), "forbidden")
    return None
