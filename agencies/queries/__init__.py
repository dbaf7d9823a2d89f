"""Read paths of the agencies app, scoped to what each user may see, and the read models of
its pages; one module per stage (calls, applications, vetting, listing, running, staff)."""

from agencies.queries.affiliates import (  # noqa: F401
    affiliate_queue,
    affiliates_for_official,
    own_affiliates,
    pending_for_decider,
)
from agencies.queries.applications import (  # noqa: F401
    DECIDED,
    application_page,
    application_steps,
    applications_for_agency,
    applications_page,
    next_step,
    own_applications,
)
from agencies.queries.assessing import (  # noqa: F401
    is_own_staff,
    may_serve_others,
    scope_refusal,
)
from agencies.queries.calls import (  # noqa: F401
    applicant_agencies,
    calls_for_official,
    calls_kept_by,
    managed_calls,
    open_calls,
    published_calls,
)
from agencies.queries.listing import (  # noqa: F401
    DIRECTORY_STATUSES,
    ScopeNames,
    agencies_for_occupation,
    approved_scope,
    directory,
    directory_entries,
    directory_entry_page,
    directory_search,
    levels_text,
    recent_serials,
    sites_awaiting_serial,
)
from agencies.queries.running import (  # noqa: F401
    SUPERVISED_STATUSES,
    change_page,
    change_queue,
    change_request_page,
    changes_for_official,
    changes_page,
    describe_change,
    entry_of,
    listed_agencies_page,
    listed_agency_page,
    own_changes,
    pending_changes_of,
    removed_agencies,
    rules_sections,
    supervised_agencies,
    with_term_days_left,
)
from agencies.queries.staff import members  # noqa: F401
from agencies.queries.vetting import (  # noqa: F401
    applications_for_official,
    assignment_page,
    assignments_for_expert,
    expert_queue,
    materials_context,
    queue_page,
    requested_scope,
    unassigned_pool,
    vetting_page,
    vetting_worklist,
    with_stage,
)
