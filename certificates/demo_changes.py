"""Demo data of revocation, correction and reissue (Art 27; decision 0049), for the README:
of the demo agency's certificates (newest first, leaving the oldest to the credential demo)
one revoked with its reason, one corrected (the old one replaced by a new number), one
reissued (补发), and two requests waiting for the demo official 「gd_official」 (a revocation
and a correction). Through the services, as the agency and its filing authority would.
Idempotent: once the demo agency has a request, nothing is added; the figures are returned
and printed again."""

from __future__ import annotations

from django.db import transaction

from certificates import services
from certificates.models import Certificate, CertificateRequest, CertificateStatus

REVOKE_REASON = "经核查，持证人冒名顶替参加考核，证书依法撤销（演示）"


def _people():
    from portal.models import AgencyMembership, User

    admin = (
        AgencyMembership.objects.filter(agency__is_demo=True, role="admin", user__is_active=True)
        .select_related("user", "agency")
        .order_by("pk")
        .first()
    )
    official = User.objects.filter(username="gd_official").first()
    return admin, official


def summary() -> list[dict]:
    """What the demo shows: each demo request or changed certificate, with number and holder."""
    rows = []
    for req in (
        CertificateRequest.objects.filter(agency__is_demo=True)
        .select_related("certificate", "successor")
        .order_by("pk")
    ):
        row = {
            "kind": req.kind,
            "state": req.state,
            "number": req.certificate.number,
            "holder": req.certificate.holder_name,
            "status": req.certificate.status,
        }
        if req.successor_id:
            row.update(successor=req.successor.number, successor_holder=req.successor.holder_name)
        rows.append(row)
    return rows


def seed(stdout=None) -> list[dict]:
    admin, official = _people()
    if CertificateRequest.objects.filter(agency__is_demo=True).exists():
        return _report(summary(), stdout)
    if admin is None or official is None:
        return []
    valid = list(
        Certificate.objects.filter(agency=admin.agency, status=CertificateStatus.VALID).order_by(
            "-issued_on", "-number"
        )[:5]
    )
    if len(valid) < 5:
        if stdout is not None:
            stdout.write("certificate changes: fewer than 5 demo certificates, none changed")
        return []
    revoked, corrected, reissued, pending_revoke, pending_correct = valid
    user = admin.user
    with transaction.atomic():
        req = services.request_revocation(user, revoked, reason=REVOKE_REASON)
        services.decide_request(official, req, approve=True, note="材料属实，同意撤销（演示）")
        req = services.request_correction(
            user,
            corrected,
            reason="姓名录入时多写一字，依据身份证更正（演示）",
            name=_corrected_name(corrected.holder_name),
        )
        services.decide_request(official, req, approve=True, note="同意更正（演示）")
        req = services.request_reissue(user, reissued, reason="纸质证书遗失，申请补发（演示）")
        services.decide_request(official, req, approve=True, note="同意补发（演示）")
        services.request_revocation(
            user, pending_revoke, reason="考核录像显示替考，申请撤销（演示，待决定）"
        )
        services.request_correction(
            user,
            pending_correct,
            reason="姓名同音字录入错误，申请更正（演示，待决定）",
            name=_corrected_name(pending_correct.holder_name),
        )
    return _report(summary(), stdout)


def _corrected_name(name: str) -> str:
    """A plausible corrected name (demo only): 演示考生154 → 演示学员154."""
    if "考生" in name:
        return name.replace("考生", "学员", 1)
    return (name[:-1] + ("娟" if name[-1] != "娟" else "婷")) if name else "演示更正"


def _report(rows: list[dict], stdout) -> list[dict]:
    if stdout is not None:
        for row in rows:
            line = (
                f"certificate changes: {row['kind']} {row['state']} {row['number']} {row['holder']}"
            )
            if row.get("successor"):
                line += f" → {row['successor']} {row['successor_holder']}"
            stdout.write(line)
    return rows
