"""Certificates (Art 20, 21): the skill-level certificate issued from a final passing result,
the batch that issued it, and the status lists that say whether it still stands."""

from certificates.models.certificates import (
    Certificate,
    CertificateStatus,
    CertificateVariant,
    IssuanceBatch,
    IssuanceState,
    StatusList,
)

__all__ = [
    "Certificate",
    "CertificateStatus",
    "CertificateVariant",
    "IssuanceBatch",
    "IssuanceState",
    "StatusList",
]
