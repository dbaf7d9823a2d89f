"""Assignment in the browser: the agency's admin sees what is missing, assigns an examiner as
group leader (a second person at the same time elsewhere refused at the field); the examiner
opens "my assignments" from the menu and declares a conflict on the masked candidate list."""

from __future__ import annotations

import pytest

from assessments.models import Assignment, ConflictEntry, Sitting
from tests.agencies.builders import uscc
from tests.assessments.builders import conduct_session, engaged_person, enrol_many
from tests.portal.builders import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("width", [1366, 390])
def test_the_agency_assigns_and_the_examiner_declares(
    page, live_server, world, settings, tmp_path, screenshot_dir, width
):
    settings.MEDIA_ROOT = tmp_path
    page.set_viewport_size({"width": width, "height": 900 if width > 400 else 844})
    session = conduct_session(world)
    first, second, third = enrol_many(world, session, 3)
    examiner = engaged_person(world, 1, username="assign_browser_examiner")
    skill = Sitting.objects.get(session=session, method="skill")
    agency = world.gd_agency
    sign_in(page, live_server, "gd_admin")
    page.goto(f"{live_server.url}/workspace/agency/{agency.pk}/sessions/{session.pk}/")
    page.locator(
        f"main a[href='/workspace/agency/{agency.pk}/sessions/{session.pk}/assignments/']"
    ).click()
    assert "还缺" in page.locator("#missing").inner_text()
    page.screenshot(path=screenshot_dir / f"assignments-missing-{width}.png", full_page=True)
    _fits(page, width)

    page.locator("[name=a-place]").select_option(str(skill.pk))
    page.locator("[name=a-person]").select_option(f"e{examiner.pk}")
    page.locator("[name=a-is_leader]").check()
    page.locator("#assign button[type=submit]").click()
    page.locator(".messages .message.success").wait_for()
    assert Assignment.objects.get(user=examiner.user).is_leader
    # the same person on the same sitting again: refused at the field
    page.locator("[name=a-place]").select_option(str(skill.pk))
    page.locator("[name=a-person]").select_option(f"e{examiner.pk}")
    page.locator("#assign button[type=submit]").click()
    error = page.locator("#assign .error").first
    assert "已安排" in error.inner_text()
    error.scroll_into_view_if_needed()
    page.screenshot(path=screenshot_dir / f"assignments-refused-{width}.png", full_page=True)
    _fits(page, width)

    page.context.clear_cookies()
    sign_in(page, live_server, "assign_browser_examiner")
    page.goto(f"{live_server.url}/workspace/")
    assert page.locator("nav a[href='/workspace/assignments/']").count() >= 1  # the menu entry
    page.goto(f"{live_server.url}/workspace/assignments/")
    assert "尚未声明" in page.content()
    page.screenshot(path=screenshot_dir / f"my-assignments-{width}.png", full_page=True)
    _fits(page, width)
    page.locator("main a.button", has_text="声明利益冲突").click()
    assert first.real_name in page.content()
    page.locator("[name=employer_name]").fill("别家公司")
    page.locator("[name=employer_uscc]").fill(uscc("91440101MA59ABCD1"))
    page.locator(f"[name=kind_{second.pk}]").select_option("relative")
    page.screenshot(path=screenshot_dir / f"declare-form-{width}.png", full_page=True)
    _fits(page, width)
    page.locator("main form button[type=submit]").click()
    page.locator(".messages .message.success").wait_for()
    assert ConflictEntry.objects.get(enrolment=second).kind == "relative"
    page.screenshot(path=screenshot_dir / f"declare-done-{width}.png", full_page=True)
    _fits(page, width)
    page.goto(f"{live_server.url}/workspace/assignments/")
    assert "已声明" in page.content()
