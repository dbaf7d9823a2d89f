"""Affiliated employers (Art 16): the employer agency declares, its filing authority confirms
or refuses, the agency withdraws; the pages, the officials' queue and the to-do panel."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from agencies import queries, services
from agencies.models import AffiliatedEmployer, AffiliateStatus
from portal import audit, clock
from portal.models import AuditEntry
from tests.agencies.builders import list_agency, uscc

pytestmark = pytest.mark.django_db

SUBSIDIARY = uscc("91230100MA1X00001")
OTHER = uscc("91230100MA1X00002")


@pytest.fixture
def employer(world, settings, tmp_path):
    """黑龙江's employer agency, listed with 黑龙江 (world.hlj_admin is its administrator)."""
    settings.MEDIA_ROOT = tmp_path
    list_agency(world, world.hlj_agency, world.hlj_admin)
    return world.hlj_agency


def declare(world, agency, code=SUBSIDIARY, **extra):
    data = {"name": "龙江电力子公司", "uscc": code, "relation": "全资子公司", **extra}
    return services.declare_affiliate(world.hlj_admin, agency, **data)


def test_declared_confirmed_and_then_own_staff(employer, world):
    affiliate = declare(world, employer)
    assert affiliate.status == AffiliateStatus.PENDING
    assert not queries.is_own_staff(employer, {SUBSIDIARY}, on=clock.today())
    services.decide_affiliate(world.hlj_official, affiliate, confirm=True)
    affiliate.refresh_from_db()
    assert (
        affiliate.status == AffiliateStatus.CONFIRMED and affiliate.decided_by == world.hlj_official
    )
    assert queries.is_own_staff(employer, {SUBSIDIARY}, on=clock.today())
    actions = set(AuditEntry.objects.filter(agency=employer).values_list("action", flat=True))
    assert {"agencies.affiliate.declare", "agencies.affiliate.decide"} <= actions
    services.withdraw_affiliate(world.hlj_admin, affiliate)
    assert not queries.is_own_staff(employer, {SUBSIDIARY}, on=clock.today())
    assert AuditEntry.objects.filter(action="agencies.affiliate.withdraw").exists()


def test_every_affiliate_action_has_a_sentence():
    for action in ("declare", "withdraw", "decide"):
        assert audit.display.sentence_for(f"agencies.affiliate.{action}") is not None


def test_bad_declarations_are_refused_at_their_field(employer, world):
    with pytest.raises(ValidationError) as info:
        declare(world, employer, code=SUBSIDIARY[:-1] + ("0" if SUBSIDIARY[-1] != "0" else "1"))
    assert "校验" in info.value.message_dict["uscc"][0]
    with pytest.raises(ValidationError) as info:
        declare(world, employer, code=employer.uscc)
    assert "本机构自己" in info.value.message_dict["uscc"][0]
    with pytest.raises(ValidationError) as info:
        declare(world, employer, name=" ", relation="")
    assert set(info.value.message_dict) == {"name", "relation"}
    declare(world, employer)
    with pytest.raises(ValidationError) as info:
        declare(world, employer, code=SUBSIDIARY.lower())
    assert info.value.message_dict["uscc"] == ["该单位已经申报过。"]
    assert AffiliatedEmployer.objects.filter(agency=employer).count() == 1


def test_only_a_listed_employer_declares(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    refusal = services.affiliate_declaration_refusal(world.hlj_agency)
    assert refusal == "该评价机构未列入评价机构目录。"  # not listed yet
    refusal = services.affiliate_declaration_refusal(world.gd_agency)
    assert "用人单位" in refusal  # a social organisation assesses anyone
    with pytest.raises(ValidationError):
        services.declare_affiliate(
            world.members["admin"],
            world.gd_agency,
            name="某公司",
            uscc=SUBSIDIARY,
            relation="子公司",
        )


def test_only_the_filing_authority_decides_and_only_once(employer, world):
    affiliate = declare(world, employer)
    for outsider in (world.gd_official, world.ministry, world.osta_national):
        with pytest.raises(PermissionDenied):
            services.decide_affiliate(outsider, affiliate, confirm=True)
    with pytest.raises(ValidationError) as info:
        services.decide_affiliate(world.hlj_official, affiliate, confirm=False, reason=" ")
    assert "理由" in info.value.message_dict["reason"][0]
    services.decide_affiliate(world.hlj_official, affiliate, confirm=False, reason="非控股关系")
    affiliate.refresh_from_db()
    assert affiliate.status == AffiliateStatus.REFUSED and affiliate.reason == "非控股关系"
    assert services.affiliate_decision_refusal(affiliate) == "该申报不在待确认状态。"
    with pytest.raises(ValidationError):
        services.decide_affiliate(world.hlj_official, affiliate, confirm=True)
    assert services.affiliate_withdrawal_refusal(affiliate) == "该申报已不再有效。"
    with pytest.raises(ValidationError):
        services.withdraw_affiliate(world.hlj_admin, affiliate)
    # Refused, it may be declared again.
    assert declare(world, employer).status == AffiliateStatus.PENDING


# --- Pages --------------------------------------------------------------------------------


def test_the_admin_declares_and_withdraws_on_the_page(employer, world, client):
    client.force_login(world.hlj_admin)
    url = reverse("agencies:affiliates", args=[employer.pk])
    page = client.get(url).content.decode()
    assert "申报所属单位" in page and "尚未申报所属单位" in page
    response = client.post(
        url, {"name": "龙江子公司", "uscc": "91230100MA1X0000", "relation": "子"}
    )
    assert response.status_code == 200 and "18" in response.content.decode()
    response = client.post(
        url, {"name": "龙江子公司", "uscc": SUBSIDIARY, "relation": "全资子公司"}
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert f'<span class="code">{SUBSIDIARY}</span>' in page and "待备案机关" in page
    affiliate = AffiliatedEmployer.objects.get(agency=employer)
    withdraw = reverse("agencies:affiliate_withdraw", args=[employer.pk, affiliate.pk])
    assert "撤回对 龙江子公司 的申报" in client.get(withdraw).content.decode()
    assert client.post(withdraw).status_code == 302
    affiliate.refresh_from_db()
    assert affiliate.status == AffiliateStatus.WITHDRAWN
    page = client.get(withdraw).content.decode()
    assert "disabled" in page and "该申报已不再有效。" in page


def test_a_social_organisation_sees_the_refusal_beside_a_disabled_button(world, client):
    client.force_login(world.members["admin"])
    url = reverse("agencies:affiliates", args=[world.gd_agency.pk])
    page = client.get(url).content.decode()
    assert 'disabled aria-describedby="declare-refusal"' in page and "用人单位" in page
    response = client.post(url, {"name": "某公司", "uscc": SUBSIDIARY, "relation": "子公司"})
    assert response.status_code == 302
    assert not AffiliatedEmployer.objects.exists()


def test_the_official_decides_from_the_queue_and_the_panel_counts(employer, world, client):
    declare(world, employer)
    declare(world, employer, code=OTHER, name="龙江安装公司")
    client.force_login(world.hlj_official)
    dashboard = client.get(reverse("portal:dashboard")).content.decode()
    assert "2 个所属单位申报待您确认" in dashboard
    queue = client.get(reverse("agencies:affiliate_queue")).content.decode()
    assert "龙江电力子公司" in queue and "龙江安装公司" in queue and "2 项申报待确认" in queue
    affiliate = AffiliatedEmployer.objects.get(uscc=SUBSIDIARY)
    url = reverse("agencies:affiliate_decision", args=[affiliate.pk])
    response = client.post(url, {"decision": "refuse", "reason": ""})
    assert response.status_code == 200 and "请填写不予确认的理由" in response.content.decode()
    # The first POST restates the decision and changes nothing; the confirmed one decides.
    restated = client.post(url, {"decision": "confirm", "reason": ""}).content.decode()
    assert "龙江电力子公司 确认为 黑龙江测试评价中心 的所属单位" in restated
    assert AffiliatedEmployer.objects.get(pk=affiliate.pk).status == AffiliateStatus.PENDING
    response = client.post(url, {"decision": "confirm", "reason": "", "confirmed": "1"})
    assert response.status_code == 302
    affiliate.refresh_from_db()
    assert affiliate.status == AffiliateStatus.CONFIRMED
    dashboard = client.get(reverse("portal:dashboard")).content.decode()
    assert "1 个所属单位申报待您确认" in dashboard
    # 广东's official sees neither the declaration nor a count.
    client.force_login(world.gd_official)
    assert client.get(url).status_code == 404
    assert "龙江安装公司" not in client.get(reverse("agencies:affiliate_queue")).content.decode()
