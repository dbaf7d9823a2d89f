"""The check-item list and the two pools (Art 25, 26): who may keep them, the refusals (in
Chinese, at the field, nothing half-saved), conflict tags; and the risk facts of part 1
against the counts they stand for (decision 0057)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError

from portal import clock
from portal.models import AuditEntry
from supervision import risk
from supervision.models import CheckItem, ConflictTag, ExternalSupervisor, Inspector, PlanState
from supervision.queries import pools as queries
from supervision.services import pools as services
from supervision.services.pools import INSPECTORS, SUPERVISORS
from tests.portal.builders import make_user
from tests.supervision.builders_pools import findings, item_input, member_input, plan

pytestmark = pytest.mark.django_db


def _messages(exc: ValidationError, field: str) -> str:
    return " ".join(exc.message_dict[field])


# --- The check-item list -----------------------------------------------------------------------


def test_an_official_adds_edits_and_retires_an_item_of_the_own_list(world):
    item = services.add_check_item(world.gd_official, item_input(" gd-01 "))
    assert (item.jurisdiction, item.code, item.active) == ("440000", "GD-01", True)
    services.update_check_item(world.gd_official, item, item_input("GD-01", title="新的事项"))
    item.refresh_from_db()
    assert item.title == "新的事项"
    services.set_check_item_active(world.gd_official, item, active=False)
    item.refresh_from_db()
    assert item.active is False  # the row stays
    assert list(queries.active_check_items("440000")) == []
    national = services.add_check_item(world.ministry, item_input("N-01"))
    assert national.jurisdiction == "000000"
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"supervision.check_item.add", "supervision.check_item.edit"} <= actions
    assert "supervision.check_item.retire" in actions


def test_another_jurisdiction_and_other_roles_may_not_touch_the_list(world):
    item = services.add_check_item(world.gd_official, item_input())
    for actor in (world.hlj_official, world.ministry, world.osta_gd, world.inspector):
        with pytest.raises(PermissionDenied):
            services.update_check_item(actor, item, item_input(title="改"))
        with pytest.raises(PermissionDenied):
            services.set_check_item_active(actor, item, active=False)
    with pytest.raises(PermissionDenied):
        services.add_check_item(world.osta_gd, item_input("GD-02"))
    assert list(queries.check_items_for(world.hlj_official)) == []
    assert list(queries.check_items_for(world.ministry)) == []


def test_bad_items_are_refused_in_chinese_and_nothing_is_saved(world):
    services.add_check_item(world.gd_official, item_input("GD-01"))
    before = (CheckItem.objects.count(), AuditEntry.objects.count())
    with pytest.raises(ValidationError) as exc:
        services.add_check_item(world.gd_official, item_input("gd-01"))
    assert "已有" in _messages(exc.value, "code")
    with pytest.raises(ValidationError) as exc:
        services.add_check_item(
            world.gd_official, item_input("GD-02", legal_basis=" ", records="", method="x")
        )
    assert set(exc.value.message_dict) == {"legal_basis", "records", "method"}
    assert "法律依据" in _messages(exc.value, "legal_basis") or "依据" in _messages(
        exc.value, "legal_basis"
    )
    assert (CheckItem.objects.count(), AuditEntry.objects.count()) == before


def test_an_item_of_a_sealed_plan_cannot_be_edited_but_can_be_retired(world):
    item = services.add_check_item(world.gd_official, item_input())
    plan(world, state=PlanState.SEALED, items=[item])
    assert services.edit_item_refusal(item, world.gd_official)
    with pytest.raises(ValidationError) as exc:
        services.update_check_item(world.gd_official, item, item_input(title="改"))
    assert "封存" in " ".join(exc.value.messages)
    item.refresh_from_db()
    assert item.title == "评价机构履行工作承诺"
    services.set_check_item_active(world.gd_official, item, active=False)
    with pytest.raises(ValidationError):
        services.set_check_item_active(world.gd_official, item, active=False)
    # A draft plan does not hold the item back.
    other = services.add_check_item(world.gd_official, item_input("GD-02"))
    plan(world, state=PlanState.DRAFT, items=[other])
    assert services.edit_item_refusal(other, world.gd_official) is None


# --- The pools -----------------------------------------------------------------------------------


def test_an_official_adds_an_inspector_of_the_group_and_jurisdiction(world):
    entry = services.add_member(world.gd_official, INSPECTORS, "inspector", member_input())
    assert isinstance(entry, Inspector)
    assert (entry.jurisdiction, entry.user, entry.active) == ("440000", world.inspector, True)
    services.update_member(world.gd_official, INSPECTORS, entry, member_input(capacity=3))
    entry.refresh_from_db()
    assert entry.capacity == 3
    services.set_member_active(world.gd_official, INSPECTORS, entry, active=False)
    entry.refresh_from_db()
    assert entry.active is False
    services.set_member_active(world.gd_official, INSPECTORS, entry, active=True)
    entry.refresh_from_db()
    assert entry.active is True
    assert AuditEntry.objects.filter(action="supervision.inspector.add").count() == 1


def test_accounts_outside_the_group_or_the_jurisdiction_are_refused_in_chinese(world):
    hlj_inspector = make_user("inspector_hlj_t", role="inspector", jurisdiction="230000")
    before = (Inspector.objects.count(), AuditEntry.objects.count())
    cases = {
        "nobody": "检查人员",  # not in the inspector group
        "expert": "检查人员",
        hlj_inspector.username: "其他",  # another jurisdiction
        "no_such_account": "账号",
    }
    for username, words in cases.items():
        with pytest.raises(ValidationError) as exc:
            services.add_member(world.gd_official, INSPECTORS, username, member_input())
        assert words in _messages(exc.value, "username"), username
    with pytest.raises(ValidationError) as exc:
        services.add_member(world.gd_official, INSPECTORS, "inspector", member_input(capacity=0))
    assert "capacity" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.add_member(
            world.gd_official, INSPECTORS, "inspector", member_input(organisation=" ")
        )
    assert "organisation" in exc.value.message_dict
    assert (Inspector.objects.count(), AuditEntry.objects.count()) == before
    services.add_member(world.gd_official, INSPECTORS, "inspector", member_input())
    with pytest.raises(ValidationError) as exc:
        services.add_member(world.gd_official, INSPECTORS, "inspector", member_input())
    assert "已在" in _messages(exc.value, "username")
    # The 黑龙江 official keeps the 黑龙江 inspector, not the 广东 one.
    services.add_member(world.hlj_official, INSPECTORS, hlj_inspector.username, member_input())
    entry = Inspector.objects.get(user=world.inspector)
    with pytest.raises(PermissionDenied):
        services.update_member(world.hlj_official, INSPECTORS, entry, member_input())


def test_the_testing_centre_keeps_the_external_supervisors(world):
    entry = services.add_member(world.osta_gd, SUPERVISORS, "expert", member_input())
    assert isinstance(entry, ExternalSupervisor)
    for actor in (world.gd_official, world.osta_national, world.ministry):
        with pytest.raises(PermissionDenied):
            services.update_member(actor, SUPERVISORS, entry, member_input())
    with pytest.raises(PermissionDenied):
        services.add_member(world.gd_official, SUPERVISORS, "expert2", member_input())
    with pytest.raises(ValidationError) as exc:
        services.add_member(world.osta_gd, SUPERVISORS, "inspector", member_input())
    assert "专家" in _messages(exc.value, "username")
    services.add_conflict(
        world.osta_gd, SUPERVISORS, entry, agency=world.gd_agency.uscc, kind="relation"
    )
    assert ConflictTag.objects.get(supervisor=entry).agency == world.gd_agency


def test_conflict_tags_are_recorded_by_code_or_name_and_removed(world):
    entry = services.add_member(world.gd_official, INSPECTORS, "inspector", member_input())
    tag = services.add_conflict(
        world.gd_official,
        INSPECTORS,
        entry,
        agency=world.gd_agency.uscc.lower(),
        kind="former_employer",
        note="2019年起任考务主管",
    )
    assert (tag.inspector, tag.agency, tag.kind) == (entry, world.gd_agency, "former_employer")
    services.add_conflict(
        world.gd_official, INSPECTORS, entry, agency=world.hlj_agency.name, kind="worked_for"
    )
    before = (ConflictTag.objects.count(), AuditEntry.objects.count())
    for agency, kind, field, words in [
        (world.gd_agency.uscc, "former_employer", "agency", "已记录"),
        ("91440000000000000X", "relation", "agency", "目录"),
        (world.gd_agency.uscc, "cousin", "kind", "类型"),
    ]:
        with pytest.raises(ValidationError) as exc:
            services.add_conflict(world.gd_official, INSPECTORS, entry, agency=agency, kind=kind)
        assert words in _messages(exc.value, field)
    with pytest.raises(PermissionDenied):
        services.add_conflict(
            world.hlj_official, INSPECTORS, entry, agency=world.gd_agency.uscc, kind="relation"
        )
    assert (ConflictTag.objects.count(), AuditEntry.objects.count()) == before
    services.remove_conflict(world.gd_official, INSPECTORS, entry, tag)
    assert not ConflictTag.objects.filter(pk=tag.pk).exists()
    with pytest.raises(ValidationError):
        services.remove_conflict(world.gd_official, INSPECTORS, entry, tag)
    assert list(AuditEntry.objects.filter(action__startswith="supervision.inspector.conflict")
                .order_by("pk").values_list("action", flat=True)) == [
        "supervision.inspector.conflict_add",
        "supervision.inspector.conflict_add",
        "supervision.inspector.conflict_remove",
    ]  # fmt: skip


# --- The risk facts (decision 0057) --------------------------------------------------------------


def _backdate_session(session, *, last: dt.date, published: dt.datetime | None) -> None:
    type(session).objects.filter(pk=session.pk).update(
        status="closed",
        first_sitting_on=last,
        last_sitting_on=last,
        results_published_at=published,
    )


def test_the_facts_count_what_they_stand_for_and_give_the_tier(world):
    from assessments.models import AssessmentSession
    from assessments.services import results
    from certificates import services as cert_services
    from certificates.models import Certificate
    from certificates.services import submission
    from tests.assessments.builders import sat_session
    from tests.certificates.builders import final_session

    gd, hlj = world.gd_agency, world.hlj_agency
    # Three certificates issued, two revoked (2 × 2 points); created 60 days ago and never
    # sent to the testing centre: late data submission (2 points).
    session = final_session(world, 3, failed=0)
    cert_services.issue_certificates(world.members["admin"], [session])
    certs = list(Certificate.objects.filter(session=session).order_by("number"))
    for cert in certs[:2]:
        cert_services.revoke_certificate(world.gd_official, cert, reason="抽查发现冒名顶替")
    Certificate.objects.filter(agency=gd).update(created_at=clock.now() - dt.timedelta(days=60))
    today = clock.today()
    # Results: the certificates' session published the day after its last sitting (on time);
    # one published 50 days after, one 60 days past its last sitting and still unpublished.
    _backdate_session(
        session, last=today - dt.timedelta(days=70), published=clock.now() - dt.timedelta(days=69)
    )
    late = sat_session(world, candidates=1, results=False)
    _backdate_session(
        late, last=today - dt.timedelta(days=60), published=clock.now() - dt.timedelta(days=10)
    )
    overdue = sat_session(world, candidates=1, results=False)
    _backdate_session(overdue, last=today - dt.timedelta(days=60), published=None)
    # Findings: one minor, one serious (1 + 3 points); one of four years ago does not count.
    findings(world, gd, minor=1, serious=1)
    findings(world, gd, serious=1, days_ago=4 * 365)
    # 黑龙江: one serious finding only.
    findings(world, hlj, serious=1)

    ids = [gd.pk, hlj.pk]
    facts = risk.facts_of(ids)
    assert facts[gd.pk] == {
        "revocations": 2,
        "late_results": 2,
        "late_submission": 1,
        "minor_findings": 1,
        "serious_findings": 1,
    }
    assert facts[hlj.pk] == {"serious_findings": 1}
    # The same counts as the underlying apps give.
    assert Certificate.objects.filter(agency=gd, status="revoked").count() == 2
    assert gd.pk in {row.agency.pk for row in submission.late_agencies(world.gd_official)}
    overdue_now = results.late_sessions(AssessmentSession.objects.filter(agency=gd))
    assert list(overdue_now.values_list("pk", flat=True)) == [overdue.pk]
    # Points 4 + 2 + 2 + 1 + 3 = 12: high risk; 黑龙江 3: raised; the weights as documented.
    assert risk.points(facts[gd.pk]) == 12
    assert risk.tiers(ids) == {gd.pk: 1, hlj.pk: 2}
    # An agency with nothing: low risk, an empty row.
    assert risk.facts_of([999_999]) == {999_999: {}}


def test_the_object_pool_pages_the_tiers_and_filters_by_tier(world):
    findings(world, world.gd_agency, serious=2)
    page = queries.object_pool(world.gd_official)
    rows = {row.agency.pk: row for row in page}
    assert rows[world.gd_agency.pk].tier == 1
    assert rows[world.gd_agency.pk].points == 6
    assert world.hlj_agency.pk not in rows  # filed with 黑龙江
    assert [r.agency.pk for r in queries.object_pool(world.gd_official, tier=1)] == [
        world.gd_agency.pk
    ]
    assert list(queries.object_pool(world.gd_official, tier=4)) == []
    assert list(queries.object_pool(world.gd_official, text="黑龙江")) == []


def test_the_demo_is_idempotent(world):
    from portal import demo as portal_demo
    from supervision import demo_pools

    portal_demo.seed()
    demo_pools.seed()
    counts = (
        CheckItem.objects.filter(jurisdiction="440000").count(),
        Inspector.objects.count(),
        ExternalSupervisor.objects.count(),
        ConflictTag.objects.count(),
    )
    demo_pools.seed()
    assert counts == (
        CheckItem.objects.filter(jurisdiction="440000").count(),
        Inspector.objects.count(),
        ExternalSupervisor.objects.count(),
        ConflictTag.objects.count(),
    )
    assert counts == (6, 6, 3, 1)
    tag = ConflictTag.objects.get()
    assert tag.inspector.user.username == "inspector_gd2" and tag.agency.is_demo
    user = Inspector.objects.get(user__username="inspector_gd6").user
    assert user.groups.filter(name="inspector").exists() and user.jurisdiction == "440000"
    assert Group.objects.get(name="inspector").user_set.filter(username="inspector_gd3").exists()
