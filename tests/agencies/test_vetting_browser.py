"""Browser journey of vetting (Art 14): an official checks a submitted application's materials
and assigns three experts; each declares no conflict and scores; the official approves.

Selectors use names and values of form controls so the journey holds in any language."""

from __future__ import annotations

import pytest
from django.urls import reverse

from agencies.models import ApplicationStatus, ExpertAssignment
from tests.agencies.builders import more_experts, submitted_application
from tests.portal.builders import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def sign_out(page):
    page.locator("form[action$='/logout/'] button").click()


def test_material_check_expert_review_and_approval(page, live_server, world, media, screenshot_dir):
    application = submitted_application(world)
    experts = [world.expert, *more_experts(2)]
    detail = f"{live_server.url}/workspace/agencies/applications/{application.pk}/"

    sign_in(page, live_server, "gd_official")
    page.locator("nav.side-nav a[href='/workspace/agencies/applications/']").click()
    page.locator(f"a[href='/workspace/agencies/applications/{application.pk}/']").click()
    assert "第3项条件的说明" in page.content()
    assert "电工国家职业技能标准（2018年版）" in page.content()
    page.screenshot(path=screenshot_dir / "vetting-application.png", full_page=True)

    page.check("input[name=use_expert_review]")
    page.locator("form:has(input[name=action][value=accept]) button[type=submit]").click()
    page.wait_for_url(f"{detail}#check")
    for expert in experts:
        page.check(f"input[name=experts][value='{expert.pk}']")
    page.locator("form:has(input[name=action][value=assign]) button[type=submit]").click()
    page.wait_for_url(f"{detail}#experts")
    assert ExpertAssignment.objects.filter(application=application).count() == 3
    page.locator("#experts").screenshot(path=screenshot_dir / "vetting-experts.png")
    sign_out(page)

    for n, expert in enumerate(experts):
        assignment = ExpertAssignment.objects.get(application=application, expert=expert)
        sign_in(page, live_server, expert.username)
        page.locator("nav.side-nav a[href='/workspace/expert/applications/']").click()
        page.locator(f"a[href='/workspace/expert/applications/{assignment.pk}/']").click()
        page.check("input[name=has_conflict][value=no]")
        page.locator("form:has(input[name=action][value=declare]) button").click()
        assert "第3项条件的说明" in page.content()
        for condition in range(1, 6):
            page.fill(f"input[name=score_{condition}]", str(70 + 5 * condition - n))
        page.fill("textarea[name=opinion]", f"专家{n + 1}：场地设备齐全，质量管理制度健全。")
        page.check("input[name=recommendation][value=approve]")
        if n == 0:
            page.screenshot(path=screenshot_dir / "expert-review.png", full_page=True)
        page.locator("form:has(input[name=action][value=review]) button[type=submit]").click()
        assignment.refresh_from_db()
        assert assignment.submitted_at is not None
        sign_out(page)

    sign_in(page, live_server, "gd_official")
    page.goto(detail + "#decision")
    scope = application.scope.get()
    page.uncheck(f"input[name=scope_{scope.pk}][value='3']")
    page.fill("textarea[name=reasons]", "材料核验、专家论证均符合条件；三级暂不纳入。")
    page.locator("#decision").screenshot(path=screenshot_dir / "vetting-decision.png")
    page.locator("button[name=decision][value=approve]").click()
    # The decision is confirmed on a page that restates it (decision 0026).
    page.locator(".confirm button[name=confirmed]").click()
    page.wait_for_url(f"{detail}#decision")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ON_NOTICE
    assert sorted(scope.approved_levels.values_list("code", flat=True)) == ["4", "5"]
    letter = reverse("portal:document_download", args=[application.decision_letter_id])
    assert page.locator(f"#decision a[href='{letter}']").count() == 1
    page.screenshot(path=screenshot_dir / "vetting-decided.png", full_page=True)
