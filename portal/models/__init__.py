"""Every table of portal, re-exported by name: ``from portal.models import Agency``.

One module per concern. The tables live here rather than inside the concern packages
(``portal.audit``, ``portal.notices`` ...), so loading the models never runs a concern's
service module and the app registry loads without import cycles.
"""

from portal.models.accounts import IdType, PortalUserManager, User
from portal.models.audit import GENESIS_HASH, Audience, AuditChain, AuditEntry
from portal.models.counters import Counter
from portal.models.documents import (
    Document,
    DocumentGroupObjectPermission,
    DocumentStatus,
    DocumentUserObjectPermission,
    RetentionClass,
    document_path,
)
from portal.models.jobs import PeriodicRun
from portal.models.notices import (
    NoticeOutcome,
    NoticeStatus,
    Objection,
    ObjectionStatus,
    PublicNotice,
    SubjectRef,
)
from portal.models.reference import (
    Authority,
    CalendarDay,
    CalendarDayKind,
    Province,
    jurisdiction_label,
    validate_jurisdiction,
)
from portal.models.security import RateLimitBucket, SpentChallenge
from portal.models.tenant import Agency, AgencyKind, AgencyMembership, AgencySite, AgencyStatus

__all__ = [
    "GENESIS_HASH",
    "Agency",
    "AgencyKind",
    "AgencyMembership",
    "AgencySite",
    "AgencyStatus",
    "Audience",
    "AuditChain",
    "Authority",
    "AuditEntry",
    "CalendarDay",
    "CalendarDayKind",
    "Counter",
    "Document",
    "DocumentGroupObjectPermission",
    "DocumentStatus",
    "DocumentUserObjectPermission",
    "IdType",
    "NoticeOutcome",
    "NoticeStatus",
    "Objection",
    "ObjectionStatus",
    "PeriodicRun",
    "PortalUserManager",
    "Province",
    "PublicNotice",
    "RateLimitBucket",
    "SpentChallenge",
    "RetentionClass",
    "SubjectRef",
    "User",
    "document_path",
    "jurisdiction_label",
    "validate_jurisdiction",
]
