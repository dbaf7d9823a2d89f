"""Revocation, correction and reissue of issued certificates (Art 27; decision 0049).

``revoke_certificate`` is **the one entry point** for revocation: an official of the site's
province (or national) revoking directly, for example after a spot check (supervision calls
it), and the filing authority approving an agency's request both go through it. Revocation
is final and the number is never reused: the row stays, its status-list bit is set, its
public page keeps saying 已撤销 with the date and reason.

The agency asks (``request_revocation``, ``request_correction``, ``request_reissue``; one
request waits per certificate) and may withdraw; its filing authority decides
(``decide_request``). An approved correction (更正) issues a **new** certificate with a new
number through the same counter as an original issue (site, year of today, level); the old
one is marked replaced and points to it. An approved reissue (补发) keeps the certificate and
its number and records the day the paper was printed again.

After the commit, never inside it: the ``revoked`` / ``replaced`` signals, the status list
credential signed again, the cached PDF rendered again, the new credential signed, and the
holder told by e-mail where the enrolment gave an address.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from certificates import signals
from certificates.models import (
    Certificate,
    CertificateRequest,
    CertificateStatus,
    RequestKind,
    RequestState,
)
from certificates.pdf import chinese_date
from certificates.services import numbering, status
from certificates.services.issuance import new_token
from portal import access, audit, clock, counters, documents, pii
from portal.jobs.background import enqueue
from portal.models import Audience
from portal.refusals import Refusal, refuse

REASON_MAX = 2000
EVIDENCE_KIND = "certificate_request_evidence"

# --- Refusals (for the buttons and the services) ---------------------------------------------


def revoke_refusal(certificate: Certificate, actor=None) -> Refusal | None:
    """Why ``certificate`` cannot be revoked: it already was (revocation is final), or a
    corrected certificate replaced it (revoke that one)."""
    if certificate.status == CertificateStatus.REVOKED:
        when = chinese_date(timezone.localdate(certificate.revoked_at))
        return Refusal(
            _(
                "This certificate was revoked on %(date)s. Revocation is final: it cannot be "
                "revoked again or restored, and its number is never used again."
            )
            % {"date": when},
            "already_revoked",
        )
    if certificate.status == CertificateStatus.REPLACED:
        successor = certificate.replaced_by.number if certificate.replaced_by_id else ""
        return Refusal(
            _(
                "This certificate was replaced by the corrected certificate %(number)s: act "
                "on that one instead."
            )
            % {"number": successor},
            "replaced",
        )
    return None


def request_refusal(
    certificate: Certificate, actor=None, kind: str | None = None
) -> Refusal | None:
    """Why the agency cannot ask for a change of ``certificate`` now, or None."""
    ended = revoke_refusal(certificate)
    if ended:
        return ended
    if CertificateRequest.objects.filter(
        certificate=certificate, state=RequestState.PENDING
    ).exists():
        return Refusal(
            _(
                "A request about this certificate is already waiting for the filing "
                "authority's decision: withdraw it first to ask something else."
            ),
            "pending",
        )
    return None


def decide_refusal(request: CertificateRequest, actor=None) -> Refusal | None:
    if request.state != RequestState.PENDING:
        return Refusal(_("This request is not waiting for a decision."), "not_pending")
    return revoke_refusal(request.certificate)


def withdraw_refusal(request: CertificateRequest, actor=None) -> Refusal | None:
    if request.state != RequestState.PENDING:
        return Refusal(_("Only a request waiting for a decision can be withdrawn."), "not_pending")
    return None


def _clean_reason(reason: str, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({field: _("Give the reason.")})
    if len(reason) > REASON_MAX:
        raise ValidationError({field: _("Keep it under %(n)s characters.") % {"n": REASON_MAX}})
    return reason


# --- Revocation (Art 27) -------------------------------------------------------------------------


def _locked(certificate: Certificate | int) -> Certificate:
    pk = certificate.pk if isinstance(certificate, Certificate) else int(certificate)
    return (
        Certificate.objects.select_for_update(of=("self",))
        .select_related("agency", "site", "replaced_by")
        .get(pk=pk)
    )


def revoke_certificate(
    actor, certificate: Certificate, *, reason: str, request: CertificateRequest | None = None
) -> Certificate:
    """Art 27: revoke ``certificate`` for ``reason`` — the one entry point.

    Allowed to an official (ministry or provincial) whose jurisdiction covers the issuing
    site (national: all), or, with ``request``, to the filing authority deciding the agency's
    request. Final: a revoked or replaced certificate is refused; the number stays taken.
    On commit: the ``revoked`` signal, the status list credential re-signed, the cached PDF
    rendered again (marked 已撤销), the holder e-mailed where an address is known."""
    with transaction.atomic():
        cert = _locked(certificate)
        if request is None:
            access.require(actor, "certificates.revoke", cert)
        else:
            access.require(actor, "certificates.request.decide", request)
        refuse(revoke_refusal(cert))
        reason = _clean_reason(reason)
        before = cert.status
        cert.status = CertificateStatus.REVOKED
        cert.revoked_at = clock.now()
        cert.revoked_reason = reason
        cert.save(update_fields=["status", "revoked_at", "revoked_reason"])
        # A request still waiting about a revoked certificate has nothing left to decide.
        others = CertificateRequest.objects.filter(
            certificate=cert, state=RequestState.PENDING
        ).exclude(pk=request.pk if request is not None else None)
        others.update(
            state=RequestState.REFUSED,
            decided_by=actor if getattr(actor, "pk", None) else None,
            decided_at=cert.revoked_at,
            decision_note=_("The certificate was revoked."),
        )
        audit.record(
            actor,
            "certificates.certificate.revoke",
            cert,
            {
                "status": [before, cert.status],
                "reason": [None, reason],
                "number": [None, cert.number],
            },
            agency=cert.agency,
            audience=Audience.AGENCY,
        )
        transaction.on_commit(
            lambda: signals.revoked.send(
                sender=Certificate, certificate=cert, actor=actor, reason=reason
            )
        )
        _after_status_change(cert)
        _mail_holder(cert, "revoked")
    return cert


def _after_status_change(cert: Certificate) -> None:
    from certificates import tasks

    enqueue(tasks.refresh_certificate_outputs, cert.pk)


def _mail_holder(cert: Certificate, event: str) -> None:
    from certificates import tasks

    enqueue(tasks.mail_holder, cert.pk, event)


# --- The agency asks ---------------------------------------------------------------------------


def _store_evidence(actor, req: CertificateRequest, files: Iterable) -> None:
    docs = []
    for upload in files or ():
        try:
            docs.append(
                documents.store_document(
                    actor,
                    upload,
                    title=_("Evidence: %(kind)s of certificate %(number)s")
                    % {"kind": req.get_kind_display(), "number": req.certificate.number},
                    kind=EVIDENCE_KIND,
                    owner_agency=req.agency,
                    subject=req,
                )
            )
        except ValidationError as exc:  # shown at the field; the request is not saved
            name = getattr(upload, "name", "") or ""
            raise ValidationError({"evidence": [f"{name}：{m}" for m in exc.messages]}) from exc
    if docs:
        req.evidence.add(*docs)


def _ask(
    actor,
    certificate: Certificate,
    kind: str,
    reason: str,
    evidence: Iterable,
    **corrected,
) -> CertificateRequest:
    with transaction.atomic():
        cert = _locked(certificate)
        access.require(actor, "certificates.request.ask", cert)
        refuse(request_refusal(cert, actor, kind))
        reason = _clean_reason(reason)
        req = CertificateRequest(
            kind=kind,
            certificate=cert,
            agency=cert.agency,
            reason=reason,
            requested_by=actor,
            requested_at=clock.now(),
            **corrected,
        )
        req.save()
        _store_evidence(actor, req, evidence)
        changes = {"kind": [None, kind], "reason": [None, reason], "number": [None, cert.number]}
        if corrected.get("corrected_name"):
            changes["corrected_name"] = [cert.holder_name, corrected["corrected_name"]]
        if corrected.get("corrected_id_number"):  # masked: never the ID in the trail
            changes["corrected_id"] = [
                cert.masked_id,
                pii.mask_id(corrected["corrected_id_number"], corrected["corrected_id_type"]),
            ]
        audit.record(
            actor,
            "certificates.request.ask",
            req,
            changes,
            agency=cert.agency,
            audience=Audience.AGENCY,
        )
    return req


def request_revocation(
    actor, certificate: Certificate, *, reason: str, evidence: Iterable = ()
) -> CertificateRequest:
    """Art 27: the issuing agency (admin or staff) asks its filing authority to revoke one of
    its certificates, with the reason and evidence."""
    return _ask(actor, certificate, RequestKind.REVOKE, reason, evidence)


def request_correction(
    actor,
    certificate: Certificate,
    *,
    reason: str,
    name: str = "",
    id_type: str = "",
    id_number: str = "",
    evidence: Iterable = (),
) -> CertificateRequest:
    """Art 27 (更正): the agency asks for a corrected certificate with the holder's name and/or
    ID as they should read; approved, it is issued with a new number and replaces this one."""
    name = (name or "").strip()
    id_number = (id_number or "").strip()
    id_type = id_type or (certificate.id_type if id_number else "")
    errors: dict[str, str] = {}
    if id_number:
        try:
            pii.validate(id_type, id_number)
        except ValidationError as exc:
            errors["id_number"] = exc.messages[0]
        else:
            id_number = pii.normalise(id_type, id_number)
    if name and len(name) > 60:
        errors["name"] = _("Keep it under %(n)s characters.") % {"n": 60}
    same_name = not name or name == certificate.holder_name
    same_id = not id_number or (
        id_type == certificate.id_type
        and id_number == pii.normalise(certificate.id_type, certificate.id_number)
    )
    if not errors and same_name and same_id:
        errors["name"] = _(
            "Give the corrected name or ID number: it must differ from the certificate."
        )
    if errors:
        raise ValidationError(errors)
    return _ask(
        actor,
        certificate,
        RequestKind.CORRECT,
        reason,
        evidence,
        corrected_name="" if same_name else name,
        corrected_id_type="" if same_id else id_type,
        corrected_id_number="" if same_id else id_number,
    )


def request_reissue(
    actor, certificate: Certificate, *, reason: str, evidence: Iterable = ()
) -> CertificateRequest:
    """Art 27 (补发): the agency asks to print the lost paper certificate again (same number)."""
    return _ask(actor, certificate, RequestKind.REISSUE, reason, evidence)


def _locked_request(request: CertificateRequest | int) -> CertificateRequest:
    pk = request.pk if isinstance(request, CertificateRequest) else int(request)
    return (
        CertificateRequest.objects.select_for_update(of=("self",))
        .select_related("agency", "certificate")
        .get(pk=pk)
    )


@transaction.atomic
def withdraw_request(actor, request: CertificateRequest) -> CertificateRequest:
    """The agency withdraws its request while it waits for a decision."""
    req = _locked_request(request)
    access.require(actor, "certificates.request.ask", req)
    refuse(withdraw_refusal(req, actor))
    req.state = RequestState.WITHDRAWN
    req.save(update_fields=["state"])
    audit.record(
        actor,
        "certificates.request.withdraw",
        req,
        {"state": [RequestState.PENDING, RequestState.WITHDRAWN]},
        agency=req.agency,
        audience=Audience.AGENCY,
    )
    return req


# --- The filing authority decides ---------------------------------------------------------------


def decide_request(
    actor, request: CertificateRequest, *, approve: bool, note: str = ""
) -> CertificateRequest:
    """Art 27: the agency's filing authority (the provincial official of its filing
    jurisdiction, or a national official) approves or refuses the request. Approving a
    revocation revokes through ``revoke_certificate``; a correction issues a new certificate
    (new number) that replaces the old one; a reissue records today's print of the same
    certificate. A refusal needs a note."""
    with transaction.atomic():
        req = _locked_request(request)
        access.require(actor, "certificates.request.decide", req)
        cert = _locked(req.certificate)
        req.certificate = cert
        refuse(decide_refusal(req, actor))
        note = (note or "").strip()
        if not approve and not note:
            raise ValidationError({"note": _("Say why the request is refused.")})
        if len(note) > REASON_MAX:
            raise ValidationError(
                {"note": _("Keep it under %(n)s characters.") % {"n": REASON_MAX}}
            )
        req.state = RequestState.APPROVED if approve else RequestState.REFUSED
        req.decided_by, req.decided_at, req.decision_note = actor, clock.now(), note
        fields = ["state", "decided_by", "decided_at", "decision_note"]
        if approve and req.kind == RequestKind.REVOKE:
            revoke_certificate(actor, cert, reason=req.reason, request=req)
        elif approve and req.kind == RequestKind.CORRECT:
            req.successor = _correct(actor, req, cert)
            fields.append("successor")
        elif approve and req.kind == RequestKind.REISSUE:
            _reissue(actor, cert)
        req.save(update_fields=fields)
        changes = {
            "state": [RequestState.PENDING, req.state],
            "kind": [None, req.kind],
            "number": [None, cert.number],
            "note": [None, note or None],
        }
        if req.successor_id:
            changes["successor"] = [None, req.successor.number]
        audit.record(
            actor,
            "certificates.request.decide",
            req,
            changes,
            agency=req.agency,
            audience=Audience.AGENCY,
        )
    return req


def _correct(actor, req: CertificateRequest, old: Certificate) -> Certificate:
    """The corrected certificate: a new number from the same counter as an original issue
    (site, year of today, level), a new token and status-list entry, the corrected holder
    facts, everything else frozen from ``old``; ``old`` becomes replaced."""
    from certificates import tasks

    today = clock.today()
    scope = numbering.scope_for(old.site, today.year, old.level_code)
    sequence = counters.allocate(numbering.counter_key(scope), maximum=numbering.SEQUENCE_MAX)
    number = numbering.numbers_for(scope, sequence)[0]
    status_list, index = status.allocate_indexes(1)[0]
    id_type = req.corrected_id_type or old.id_type
    new = Certificate.objects.create(
        number=number,
        token=new_token(),
        result=None,
        batch=None,
        holder_name=req.corrected_name or old.holder_name,
        id_type=id_type,
        id_number=req.corrected_id_number or old.id_number,
        photo=old.photo,
        occupation_code=old.occupation_code,
        occupation_name=old.occupation_name,
        work_type_name=old.work_type_name,
        level_code=old.level_code,
        level_display=old.level_display,
        agency_name=old.agency_name,
        agency=old.agency,
        site=old.site,
        basis=old.basis,
        session=old.session,
        issued_on=today,
        variant=old.variant,
        status=CertificateStatus.VALID,
        status_list=status_list,
        status_index=index,
    )
    old.status = CertificateStatus.REPLACED
    old.replaced_by = new
    old.replaced_at = clock.now()
    old.save(update_fields=["status", "replaced_by", "replaced_at"])
    changes = {
        "status": [CertificateStatus.VALID, CertificateStatus.REPLACED],
        "number": [old.number, new.number],
    }
    if req.corrected_name:
        changes["holder"] = [old.holder_name, new.holder_name]
    if req.corrected_id_number:
        changes["corrected_id"] = [old.masked_id, new.masked_id]
    audit.record(
        actor,
        "certificates.certificate.correct",
        old,
        changes,
        objects=[old, new],
        agency=old.agency,
        audience=Audience.AGENCY,
    )
    transaction.on_commit(
        lambda: signals.replaced.send(
            sender=Certificate, certificate=old, successor=new, actor=actor
        )
    )
    enqueue(tasks.sign_credentials, [new.pk])  # the new credential, signed after the commit
    _after_status_change(old)
    _mail_holder(new, "corrected")
    return new


def _reissue(actor, cert: Certificate) -> None:
    """补发: same certificate, same number; the print shows 补发 with today's date."""
    before = cert.reissued_on
    cert.reissued_on = clock.today()
    cert.reissue_count = (cert.reissue_count or 0) + 1
    cert.save(update_fields=["reissued_on", "reissue_count"])
    audit.record(
        actor,
        "certificates.certificate.reissue",
        cert,
        {"reissued_on": [before, cert.reissued_on], "number": [None, cert.number]},
        agency=cert.agency,
        audience=Audience.AGENCY,
    )
    _after_status_change(cert)


# --- After the commit: outputs and mail ---------------------------------------------------------


def refresh_outputs(certificate_id: int) -> dict:
    """Sign the certificate's status list credential again (its cache key holds the list's
    hash, so the set bit is a new entry) and render its cached PDF again if one is cached (its
    data hash covers status, revocation and reissue). Safe to repeat."""
    from certificates import vc
    from certificates.services import pdfs

    cert = Certificate.objects.select_related("status_list").filter(pk=certificate_id).first()
    if cert is None:
        return {}
    signed = vc.status_list_credential(cert.status_list)
    row = pdfs.refresh_cached_pdf(cert)
    return {"status_list": vc.status_list_digest(signed), "pdf": row.pk if row else None}


def holder_email(cert: Certificate) -> str:
    """The address the holder gave at enrolment, if any: through the certificate's result, or
    for a corrected certificate through the one it replaced."""
    from assessments.models import Result

    seen = 0
    while cert is not None and cert.result_id is None and seen < 50:
        cert = Certificate.objects.filter(replaced_by=cert).first()
        seen += 1
    if cert is None or cert.result_id is None:
        return ""
    found = Result.objects.filter(pk=cert.result_id).values_list("enrolment__email", flat=True)
    return (found.first() or "").strip()


def mail_holder(certificate_id: int, event: str) -> int:
    """E-mail the holder about ``event`` (``revoked`` or ``corrected``); the number of mails
    sent (0 without an address). No ID number in the mail."""
    from django.core.mail import send_mail
    from django.utils import translation

    cert = Certificate.objects.filter(pk=certificate_id).first()
    if cert is None:
        return 0
    email = holder_email(cert)
    if not email:
        return 0
    with translation.override("zh-hans"):
        if event == "revoked":
            subject = _("Your certificate %(number)s was revoked") % {"number": cert.number}
            body = _(
                "%(name)s:\n\nYour vocational skill level certificate %(number)s "
                "(%(occupation)s, %(level)s) was revoked on %(date)s.\nReason: %(reason)s\n\n"
                "Its page says so: %(url)s\n"
            ) % {
                "name": cert.holder_name,
                "number": cert.number,
                "occupation": cert.occupation_name,
                "level": cert.level_display,
                "date": chinese_date(timezone.localdate(cert.revoked_at)),
                "reason": cert.revoked_reason,
                "url": cert.public_url,
            }
        elif event == "corrected":
            old = Certificate.objects.filter(replaced_by=cert).first()
            subject = _("Your corrected certificate %(number)s") % {"number": cert.number}
            body = _(
                "%(name)s:\n\nYour certificate %(old)s was corrected and replaced by the "
                "certificate %(number)s, issued on %(date)s. The old number no longer stands.\n\n"
                "The new certificate: %(url)s\n"
            ) % {
                "name": cert.holder_name,
                "old": old.number if old else "",
                "number": cert.number,
                "date": chinese_date(cert.issued_on),
                "url": cert.public_url,
            }
        else:
            raise ValueError(f"unknown event {event!r}")
    send_mail(subject, body, None, [email])
    return 1
