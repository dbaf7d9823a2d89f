"""The ``<action>_refusal`` functions: None while the action is possible, else the very text
the service raises (decision 0017), so a disabled button and a refused POST say the same."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from agencies import services
from agencies.models import ChangeKind
from portal.models import AgencyMembership
from portal.roles import AgencyRole
from tests.agencies.builders import (
    applicant,
    complete_application,
    electrician_standard,
    published_call,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def refused_with(refusal: str | None, action) -> None:
    """``refusal`` is a text, and running ``action`` raises exactly it."""
    assert refusal
    with pytest.raises(ValidationError) as info:
        action()
    assert info.value.messages == [refusal]


def test_an_application_from_draft_to_decision(world):
    electrician_standard(world.osta_national)
    call = published_call(world.gd_official)
    user, agency = applicant()
    application = complete_application(user, agency, call)
    refused_with(
        services.application_refusal(call, agency),
        lambda: services.start_application(user, agency, call),
    )
    assert services.editing_refusal(application, user) is None
    assert services.submission_refusal(application, user) is None
    assert services.signing_refusal(application, user)
    services.submit_application(user, application, pledge=True)
    application.refresh_from_db()
    refused_with(
        services.submission_refusal(application, user),
        lambda: services.submit_application(user, application, pledge=True),
    )
    refused_with(
        services.editing_refusal(application, user),
        lambda: services.update_application(user, application, address="新地址"),
    )
    official = world.gd_official
    refused_with(
        services.decision_refusal(application, official),
        lambda: services.decide(official, application, approve=True, reasons="符合"),
    )
    assert services.acceptance_refusal(application, official) is None
    services.accept_materials(official, application, use_expert_review=True, use_site_visit=True)
    application.refresh_from_db()
    refused_with(
        services.acceptance_refusal(application, official),
        lambda: services.accept_materials(
            official, application, use_expert_review=False, use_site_visit=False
        ),
    )
    # An approval waits for the experts; a rejection does not.
    assert services.decision_refusal(application, official, approve=False) is None
    refused_with(
        services.decision_refusal(application, official, approve=True),
        lambda: services.decide(official, application, approve=True, reasons="符合"),
    )
    assert services.withdrawal_refusal(application, user) is None
    services.decide(official, application, approve=False, reasons="条件不足")
    application.refresh_from_db()
    refused_with(
        services.withdrawal_refusal(application, user),
        lambda: services.withdraw_application(user, application),
    )
    refused_with(
        services.signing_refusal(application, user),
        lambda: services.sign_commitment(user, application),
    )


def test_running_refusals(world):
    admin = world.members[AgencyRole.ADMIN]
    agency = world.gd_agency  # a listed social organisation without a directory entry
    refused_with(
        services.change_request_refusal(agency, admin, ChangeKind.RENEWAL),
        lambda: services.request_renewal(admin, agency),
    )
    membership = AgencyMembership.objects.get(user=admin, agency=agency)
    refused_with(
        services.member_removal_refusal(membership, admin),
        lambda: services.remove_member(admin, membership),
    )
    refused_with(
        services.role_change_refusal(membership, admin, AgencyRole.STAFF),
        lambda: services.change_role(admin, membership, AgencyRole.STAFF),
    )
    assert services.role_change_refusal(membership, admin, AgencyRole.ADMIN) is None
    assert services.suspension_refusal(agency, world.gd_official) is None
    assert services.removal_refusal(agency, world.gd_official) is None
    refused_with(
        services.serial_refusal(world.gd_site, world.gd_official),
        lambda: services.assign_site_serial(world.gd_official, world.gd_site),
    )
