"""Pages of spot-check plans (Art 25; decisions 0055, 0060): the public plan before and after
the draw, the snapshot's exact bytes, the verification page, the officials' pages and their
confirmation steps, 404 for another province's plan and for drafts."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.urls import reverse

from portal import clock
from supervision.models import Inspection, PlanState, SpotCheckPlan
from tests.portal.builders import PASSWORD
from tests.supervision import builders_plans as b

pytestmark = pytest.mark.django_db


def test_a_draft_is_not_public(client, world):
    plan = b.draft(world)
    for name in ("public_plan", "public_snapshot", "public_verify"):
        assert client.get(reverse(f"supervision:{name}", args=[plan.pk])).status_code == 404
    page = client.get(reverse("supervision:public_plans")).content.decode()
    assert plan.title not in page


def test_a_sealed_plan_shows_its_digests_but_no_seed_or_secret(client, world):
    b.pools(world)
    plan = b.sealed(world)
    response = client.get(reverse("supervision:public_plan", args=[plan.pk]))
    text = response.content.decode()
    assert response.status_code == 200 and "public" in response["Cache-Control"]
    assert plan.sealed_digest in text and plan.secret_digest in text
    assert b.SOURCE in text and "投诉较多，提高风险等级" in text
    assert plan.secret not in text and plan.pseudonym_key not in text
    assert 'data-field="seed"' not in text and 'data-field="secret"' not in text
    assert "检查事项1" in text
    listing = client.get(reverse("supervision:public_plans")).content.decode()
    assert plan.title in listing


def test_a_drawn_plan_shows_everything_and_verifies(client, world):
    b.pools(world)
    plan = b.drawn(world)
    text = client.get(reverse("supervision:public_plan", args=[plan.pk])).content.decode()
    for value in (plan.sealed_digest, plan.secret, plan.seed, plan.public_numbers):
        assert value in text
    assert world.gd_agency.name in text and "佛山抽查测试评价中心" in text
    for obj in plan.result["objects"]:
        for pseudonym in obj["people"]:
            assert pseudonym in text
    assert "检查员" not in text and "pl_insp" not in text  # no names for the public
    assert "验证抽取结果" in text
    results = reverse("supervision:public_results", args=[plan.pk])
    assert f'href="{results}"' in text  # the drawn plan leads to its inspections' results
    assert client.get(results).status_code == 200
    snap = client.get(reverse("supervision:public_snapshot", args=[plan.pk]))
    assert snap["Content-Type"] == "application/json"
    assert snap.content == plan.snapshot.encode()
    assert hashlib.sha256(snap.content).hexdigest() == plan.sealed_digest
    verify = client.get(reverse("supervision:public_verify", args=[plan.pk])).content.decode()
    assert 'data-verified="yes"' in verify
    for key in ("digest", "secret", "seed", "list"):
        assert f'data-check="{key}" data-ok="yes"' in verify


def test_the_verify_page_shows_a_mismatch(client, world):
    b.pools(world)
    plan = b.drawn(world)
    wrong = client.get(
        reverse("supervision:public_verify", args=[plan.pk]), {"numbers": "01 02 03"}
    ).content.decode()
    assert 'data-verified="no"' in wrong and 'data-check="seed" data-ok="no"' in wrong
    assert 'data-check="digest" data-ok="yes"' in wrong
    result = dict(plan.result)
    result["objects"] = list(reversed(result["objects"]))
    SpotCheckPlan.objects.filter(pk=plan.pk).update(result=result)
    tampered = client.get(reverse("supervision:public_verify", args=[plan.pk])).content.decode()
    assert 'data-check="list" data-ok="no"' in tampered


def test_officials_pages_and_another_province(client, world):
    b.pools(world)
    plan = b.draft(world)
    client.force_login(world.gd_official)
    assert client.get(reverse("supervision:plans")).status_code == 200
    page = client.get(reverse("supervision:plan", args=[plan.pk])).content.decode()
    assert world.gd_agency.name in page and 'data-object="agency:' in page
    client.force_login(world.hlj_official)
    assert client.get(reverse("supervision:plan", args=[plan.pk])).status_code == 404
    assert client.get(reverse("supervision:plan_approve", args=[plan.pk])).status_code == 404
    client.force_login(world.osta_gd)  # reads the jurisdiction's plans, manages quality only
    assert client.get(reverse("supervision:plan", args=[plan.pk])).status_code == 200
    assert client.get(reverse("supervision:plan_approve", args=[plan.pk])).status_code == 403
    client.force_login(world.inspector)
    assert client.get(reverse("supervision:plans")).status_code == 403
    client.logout()
    assert client.get(reverse("supervision:plans")).status_code == 302


def test_create_adjust_approve_and_draw_through_the_pages(client, world):
    b.pools(world)
    items = b.check_items(world)
    client.force_login(world.gd_official)
    today = clock.today()
    response = client.post(
        reverse("supervision:plan_new"),
        {
            "title": "页面上建的计划",
            "kind": "spot_check",
            "object_kind": "agency",
            "period_start": today.isoformat(),
            "period_end": (today.replace(year=today.year + 1)).isoformat(),
            "check_items": [i.pk for i in items],
            "tier_1": "1",
            "tier_4": "50%",
            "inspectors_per_object": "2",
            "max_objects_per_inspector": "3",
        },
    )
    plan = SpotCheckPlan.objects.get(title="页面上建的计划")
    assert response.status_code == 302 and plan.tier_rules == {
        "1": {"count": 1},
        "4": {"percent": "50"},
    }
    bad = client.post(
        reverse("supervision:plan_edit", args=[plan.pk]), {"title": "x", "tier_2": "abc"}
    )
    assert "请填写百分比" in bad.content.decode()
    client.post(
        reverse("supervision:plan_adjust", args=[plan.pk]),
        {"agency": world.gd_agency.pk, "tier": "1", "reason": "投诉较多"},
    )
    assert plan.adjustments.get().tier == 1
    tomorrow = (today + dt.timedelta(days=1)).isoformat()
    form = {"randomness_source": b.SOURCE, "randomness_date": tomorrow}
    confirm = client.post(reverse("supervision:plan_approve", args=[plan.pk]), form)
    assert "您的密码" in confirm.content.decode() or 'name="password"' in confirm.content.decode()
    assert SpotCheckPlan.objects.get(pk=plan.pk).state == PlanState.DRAFT
    wrong = client.post(
        reverse("supervision:plan_approve", args=[plan.pk]),
        {**form, "confirmed": "1", "password": "x"},
    )
    assert wrong.status_code == 400
    client.post(
        reverse("supervision:plan_approve", args=[plan.pk]),
        {**form, "confirmed": "1", "password": PASSWORD},
    )
    plan.refresh_from_db()
    assert plan.state == PlanState.SEALED
    early = client.get(reverse("supervision:plan_draw", args=[plan.pk])).content.decode()
    assert "尚未产生" in early
    with clock.frozen(plan.randomness_date):
        client.post(
            reverse("supervision:plan_draw", args=[plan.pk]),
            {"numbers": b.NUMBERS, "confirmed": "1", "password": PASSWORD},
        )
        plan.refresh_from_db()
        assert plan.state == PlanState.DRAWN
        page = client.get(reverse("supervision:plan", args=[plan.pk])).content.decode()
        again = client.get(reverse("supervision:plan_draw", args=[plan.pk])).content.decode()
    assert "检查员" in page  # officials see the names
    assert "不能再次抽取" in again
    assert Inspection.objects.filter(plan=plan).count() == 2


def test_the_dashboard_panel(client, world):
    b.pools(world)
    b.draft(world)
    b.sealed(world, title="已封存")
    client.force_login(world.gd_official)
    text = client.get(reverse("portal:dashboard")).content.decode()
    assert "1 个计划草案待批准" in text and "1 个已封存计划待抽取" in text
