"""The public write API of certificates (decision 0017)."""

from certificates.services.changes import (
    decide_refusal,
    decide_request,
    request_correction,
    request_refusal,
    request_reissue,
    request_revocation,
    revoke_certificate,
    revoke_refusal,
    withdraw_refusal,
    withdraw_request,
)
from certificates.services.issuance import (
    batch_progress,
    issue_certificates,
    issue_refusal,
    request_issuance,
    run_batch,
    session_refusal,
)
from certificates.services.numbering import (
    SEQUENCE_MAX,
    NumberScope,
    counter_key,
    format_number,
    scope_for,
    site_refusal,
)
from certificates.services.review import (
    expire_review_grants,
    grant_in_force,
    open_for_review,
    reviewed_agency_ids,
)

__all__ = [
    # issuance (Art 20)
    "batch_progress",
    "issue_certificates",
    "issue_refusal",
    "request_issuance",
    "run_batch",
    "session_refusal",
    # numbering (Art 20, decision 0041)
    "SEQUENCE_MAX",
    "NumberScope",
    "counter_key",
    "format_number",
    "scope_for",
    "site_refusal",
    # revocation, correction, reissue (Art 27, decision 0049)
    "decide_refusal",
    "decide_request",
    "request_correction",
    "request_refusal",
    "request_reissue",
    "request_revocation",
    "revoke_certificate",
    "revoke_refusal",
    "withdraw_refusal",
    "withdraw_request",
    # review access for supervision (Art 25, decision 0059)
    "expire_review_grants",
    "grant_in_force",
    "open_for_review",
    "reviewed_agency_ids",
]
