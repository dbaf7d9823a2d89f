"""Certificates (Art 20, 21): the skill-level certificate issued from a final passing result,
the batch that issued it, and the status lists that say whether it still stands."""

from certificates.models.certificates import (
    ENDED_STATUSES,
    NO_WORK_TYPE,
    STATUS_LIST_SIZE,
    Certificate,
    CertificateStatus,
    CertificateVariant,
    IssuanceBatch,
    IssuanceState,
    StatusList,
    mask_name,
)
from certificates.models.legacy import LegacyCertificate, LegacyImport, LegacyImportState
from certificates.models.pdfs import AgencySeal, CertificatePdf, PdfState
from certificates.models.requests import CertificateRequest, RequestKind, RequestState
from certificates.models.statistics import CertificateStatistic
from certificates.models.verifiers import (
    ApiToken,
    ApiTokenUsage,
    LegalBasis,
    VerificationUpload,
    VerifierMembership,
    VerifierOrganisation,
    VerifierState,
)

__all__ = [
    "LegacyCertificate",
    "LegacyImport",
    "LegacyImportState",
    "AgencySeal",
    "CertificatePdf",
    "PdfState",
    "ENDED_STATUSES",
    "NO_WORK_TYPE",
    "STATUS_LIST_SIZE",
    "mask_name",
    "Certificate",
    "CertificateStatus",
    "CertificateVariant",
    "IssuanceBatch",
    "IssuanceState",
    "StatusList",
    "ApiToken",
    "ApiTokenUsage",
    "LegalBasis",
    "VerificationUpload",
    "VerifierMembership",
    "VerifierOrganisation",
    "VerifierState",
    "CertificateRequest",
    "RequestKind",
    "RequestState",
    "CertificateStatistic",
]

from certificates.models.submissions import (  # noqa: E402 - data submission (Art 21)
    EVENT_ORDER,
    FileKind,
    SubmissionBatch,
    SubmissionEvent,
    SubmissionFile,
    SubmissionItem,
)

__all__ += [
    "EVENT_ORDER",
    "FileKind",
    "SubmissionBatch",
    "SubmissionEvent",
    "SubmissionFile",
    "SubmissionItem",
]

from certificates.models.review import CertificateReviewGrant  # noqa: E402 - review (Art 25)

__all__ += ["CertificateReviewGrant"]
