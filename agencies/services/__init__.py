"""State changes of the agencies app, one function per business action (Art 10–15, 22).

Split by stage: ``calls`` (Art 11), ``applications`` (Art 12, 13), ``vetting`` (Art 14),
``listing`` (Art 15, 22).
"""

from agencies.services.applications import (  # noqa: F401
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
from agencies.services.calls import close_call, create_call, publish_call, update_call  # noqa: F401
from agencies.services.listing import assign_site_serial, sign_commitment  # noqa: F401
from agencies.services.running import (  # noqa: F401
    assessment_refusal,
    current_rules,
    decide_change,
    lapse_ended_terms,
    lift_ended_suspensions,
    publish_rules,
    remove_agency,
    request_details_change,
    request_renewal,
    request_scope_change,
    request_serve_others,
    require_can_assess,
    send_term_reminders,
    suspend_agency,
    withdraw_change,
)
from agencies.services.staff import add_member, change_role, remove_member  # noqa: F401
from agencies.services.vetting import (  # noqa: F401
    accept_materials,
    assign_experts,
    confirm_uscc,
    decide,
    declare_conflict,
    record_site_visit,
    return_materials,
    submit_expert_review,
)
