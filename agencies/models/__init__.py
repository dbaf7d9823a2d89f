"""Becoming a listed agency (Art 10–15, 22) and running one (Art 16, 19, 27, 28): one module
per stage, every model re-exported here by name so ``agencies.models.X`` keeps working.

The tenant itself (Agency, AgencySite, AgencyMembership) lives in ``portal``; this app
owns the processes around it, so the ``staff`` stage has no model of its own.
"""

from agencies.models.affiliates import AffiliatedEmployer, AffiliateStatus
from agencies.models.applications import (
    AgencyApplication,
    ApplicationStatus,
    Condition,
    ConditionStatement,
    RequestedScope,
    ScopeFields,
    SiteDeclaration,
    UsccCheck,
)
from agencies.models.calls import DEFAULT_COMMITMENT, AgencyCall, CallStatus
from agencies.models.listing import DirectoryEntry, ScopeItem
from agencies.models.running import (
    ChangeKind,
    ChangeRequest,
    ChangeStatus,
    PublishedRules,
    RulesKind,
    Sanction,
    SanctionKind,
    TermReminder,
)
from agencies.models.vetting import (
    ApplicationGroupObjectPermission,
    ApplicationUserObjectPermission,
    ExpertAssignment,
    MaterialReview,
    SiteVisit,
)

__all__ = [
    "DEFAULT_COMMITMENT",
    "AffiliateStatus",
    "AffiliatedEmployer",
    "AgencyApplication",
    "AgencyCall",
    "ApplicationGroupObjectPermission",
    "ApplicationStatus",
    "ApplicationUserObjectPermission",
    "CallStatus",
    "ChangeKind",
    "ChangeRequest",
    "ChangeStatus",
    "Condition",
    "ConditionStatement",
    "DirectoryEntry",
    "ExpertAssignment",
    "MaterialReview",
    "PublishedRules",
    "RequestedScope",
    "RulesKind",
    "Sanction",
    "SanctionKind",
    "ScopeFields",
    "ScopeItem",
    "SiteDeclaration",
    "SiteVisit",
    "TermReminder",
    "UsccCheck",
]
