"""The agencies app's public write API: one function per business action (Art 10–16, 19, 22,
27, 28), with the ``<action>_refusal`` functions that say why an action is refused.

Split by stage: ``calls`` (Art 11), ``applications`` (Art 12, 13), ``vetting`` (Art 14),
``listing`` (Art 15, 22), ``running`` (Art 19, 22, 27, 28: rules and fees, term, suspension,
removal, and the check the apps above call before an assessment), ``changes`` (Art 14, 16,
22: change requests and renewal), ``staff`` (the agency's members).
"""

from agencies.services.applications import (
    add_evidence,
    register_organisation,
    remove_evidence,
    set_condition,
    set_scope,
    set_sites,
    start_application,
    submit_application,
    update_application,
    withdraw_application,
)
from agencies.services.calls import close_call, create_call, publish_call, update_call
from agencies.services.changes import (
    decide_change,
    request_details_change,
    request_renewal,
    request_scope_change,
    request_serve_others,
    withdraw_change,
)
from agencies.services.listing import assign_site_serial, sign_commitment
from agencies.services.running import (
    assessment_refusal,
    current_rules,
    lapse_ended_terms,
    lift_ended_suspensions,
    publish_rules,
    remove_agency,
    require_can_assess,
    send_term_reminders,
    suspend_agency,
)
from agencies.services.staff import add_member, change_role, remove_member
from agencies.services.vetting import (
    accept_materials,
    assign_experts,
    confirm_uscc,
    decide,
    declare_conflict,
    record_site_visit,
    return_materials,
    submit_expert_review,
)

__all__ = [
    "accept_materials",
    "add_evidence",
    "add_member",
    "assessment_refusal",
    "assign_experts",
    "assign_site_serial",
    "change_role",
    "close_call",
    "confirm_uscc",
    "create_call",
    "current_rules",
    "decide",
    "decide_change",
    "declare_conflict",
    "lapse_ended_terms",
    "lift_ended_suspensions",
    "publish_call",
    "publish_rules",
    "record_site_visit",
    "register_organisation",
    "remove_agency",
    "remove_evidence",
    "remove_member",
    "request_details_change",
    "request_renewal",
    "request_scope_change",
    "request_serve_others",
    "require_can_assess",
    "return_materials",
    "send_term_reminders",
    "set_condition",
    "set_scope",
    "set_sites",
    "sign_commitment",
    "start_application",
    "submit_application",
    "submit_expert_review",
    "suspend_agency",
    "update_application",
    "update_call",
    "withdraw_application",
    "withdraw_change",
]
