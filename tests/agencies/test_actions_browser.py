"""Browser journeys of the safer consequential actions and the application form (decision
0026), at 1366 px and at 390 px wide:

* an official sees 「批准」 disabled with the reason while the experts' reviews are missing,
  approves once they are in, and confirms on a page that restates the decision;
* an applicant's submission fails on a missing field after choosing a file; the summary at
  the top links to the field; the second submission goes through without choosing the file
  again, and the button shows that it is working meanwhile.

Screenshots land in var/screenshots/ (``actions-*``)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from agencies import services
from agencies.models import ApplicationStatus, Condition, ExpertAssignment
from agencies.services.applications import ScopeRequest
from catalog.models import Occupation, SkillLevel
from portal.models import Province
from tests.agencies.builders import gd_call, more_experts, register, submitted_application, uscc
from tests.catalog.builders import electrician_standard
from tests.portal.builders import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CAPTCHA_ENABLED = False
    return tmp_path


def _review(application, expert):
    assignment = ExpertAssignment.objects.get(application=application, expert=expert)
    services.declare_conflict(expert, assignment, has_conflict=False)
    services.submit_expert_review(
        expert,
        assignment,
        scores=dict.fromkeys(range(1, 6), 85),
        opinion="场地设备齐全，质量管理制度健全。",
        recommendation="approve",
    )


def until(page, expression: str, tries: int = 40) -> bool:
    """Poll ``expression`` by evaluation: ``wait_for_function`` stalls while a form's
    navigation is pending (the submission is held on purpose)."""
    for _ in range(tries):
        if page.evaluate(expression):
            return True
        page.wait_for_timeout(50)
    return False


def _fits(page) -> bool:
    """Nothing is wider than the window (no sideways scrolling)."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("width", WIDTHS)
def test_approval_waits_for_the_experts_then_is_confirmed(
    page, live_server, world, media, screenshot_dir, width
):
    page.set_viewport_size(WIDTHS[width])
    application = submitted_application(world)
    experts = [world.expert, *more_experts(2)]
    services.accept_materials(
        world.gd_official, application, use_expert_review=True, use_site_visit=False
    )
    services.assign_experts(world.gd_official, application, experts)
    for expert in experts[:2]:
        _review(application, expert)
    detail = f"{live_server.url}/workspace/agencies/applications/{application.pk}/"

    sign_in(page, live_server, "gd_official")
    page.goto(detail + "#decision")
    approve = page.locator("button[name=decision][value=approve]")
    application.refresh_from_db()
    refusal = services.decision_refusal(application, world.gd_official, approve=True)
    assert approve.is_disabled()
    assert page.locator("#refusal-decision-approve").inner_text() == refusal
    assert "2份" in refusal
    assert page.locator("button[name=decision][value=reject]").is_enabled()
    assert _fits(page)
    page.locator("#decision").screenshot(path=screenshot_dir / f"actions-approve-waits-{width}.png")

    _review(application, experts[2])
    page.reload()
    assert approve.is_enabled() and page.locator("#refusal-decision-approve").count() == 0
    scope = application.scope.get()
    page.uncheck(f"input[name=scope_{scope.pk}][value='3']")
    page.fill("textarea[name=reasons]", "材料核验、专家论证均符合条件；三级暂不纳入。")
    with page.expect_navigation():
        approve.click()

    confirm = page.locator(".confirm")
    text = confirm.inner_text()
    assert page.locator("h1").inner_text() == "确认批准"
    assert "公示5个工作日" in text and "三级暂不纳入" in text and "尚未作任何变更" in text
    application.refresh_from_db()
    assert application.status == ApplicationStatus.UNDER_REVIEW
    assert _fits(page)
    page.screenshot(path=screenshot_dir / f"actions-approve-confirm-{width}.png", full_page=True)

    # Going back keeps what was typed; confirming then decides.
    with page.expect_navigation():
        confirm.locator("button[name=revise]").click()
    assert "三级暂不纳入" in page.locator("textarea[name=reasons]").input_value()
    assert not page.locator(f"input[name=scope_{scope.pk}][value='3']").is_checked()
    with page.expect_navigation():
        approve.click()
    with page.expect_navigation():
        page.locator(".confirm button[name=confirmed]").click()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ON_NOTICE
    assert sorted(scope.approved_levels.values_list("code", flat=True)) == ["4", "5"]
    page.screenshot(path=screenshot_dir / f"actions-approve-done-{width}.png", full_page=True)


@pytest.mark.parametrize("width", WIDTHS)
def test_a_failed_submission_keeps_the_chosen_file(
    page, live_server, world, media, screenshot_dir, width
):
    page.set_viewport_size(WIDTHS[width])
    electrician_standard(world.osta_national)
    call = gd_call(world)
    user, agency = register("岭南新职业技能评价中心", uscc("91440106MA5D3K8F2"), username="lingnan")
    application = services.start_application(user, agency, call)
    services.update_application(
        user,
        application,
        address="广州市天河区华穗路8号",
        contact_name="陈立",
        contact_phone="020-38888888",
        declared_years=6,
        declared_total_assessed=12000,
    )
    for n in Condition.values:
        services.set_condition(user, application, n, f"第{n}项条件：已具备，详见证明材料。")
        if n != 1:
            upload = SimpleUploadedFile(f"证明{n}.pdf", PDF, content_type="application/pdf")
            services.add_evidence(user, application, n, upload, title=f"条件{n}证明")
    services.set_scope(
        user,
        application,
        [
            ScopeRequest(
                Occupation.objects.get(code="6-31-01-03"),
                list(SkillLevel.objects.filter(code__in=("4", "3"))),
                None,
                3000,
            )
        ],
    )
    services.set_sites(
        user, application, [("天河考点", Province.objects.get(code="440000"), "广州市天河区")]
    )
    evidence = media / "场地租赁合同.pdf"
    evidence.write_bytes(PDF)
    edit = f"{live_server.url}/workspace/agency/{agency.pk}/applications/{application.pk}/edit/"

    sign_in(page, live_server, "lingnan")
    page.goto(edit)
    # What a submission needs is marked before anything fails.
    assert page.locator("label[for=id_legal_representative] .req").count() == 1
    assert page.locator("#id_legal_representative").get_attribute("aria-required") == "true"
    page.locator("#id_condition_1-evidence").set_input_files(evidence)
    page.locator("#id_condition_1-evidence_title").fill("场地租赁合同")
    page.locator("#id_pledge").check()
    with page.expect_navigation():
        page.locator("button[name=submit]").click()

    summary = page.locator(".error-summary")
    assert summary.is_visible()
    assert page.evaluate("document.activeElement.id") == "problems"  # read first
    link = summary.locator("a[href='#id_legal_representative']")
    assert link.is_visible()
    assert page.locator("#condition-1 a", has_text="场地租赁合同").is_visible()
    assert "无需重新选择" in page.locator("#condition-1").inner_text()
    assert _fits(page)
    page.screenshot(path=screenshot_dir / f"actions-form-failed-{width}.png")
    link.click()
    assert page.url.endswith("#id_legal_representative")
    assert page.locator("#id_legal_representative").is_visible()
    page.screenshot(path=screenshot_dir / f"actions-form-field-{width}.png")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT

    # The second submission: the file is not chosen again; the button shows it is working.
    page.locator("#id_legal_representative").fill("陈立")
    page.locator("#id_pledge").check()
    # Held back once (a listener of the test cancels the navigation) to see the busy state.
    page.evaluate(
        "window.hold = e => e.preventDefault();"
        "document.querySelector('form[data-busy]').addEventListener('submit', window.hold)"
    )
    page.locator("button[name=submit]").click(no_wait_after=True)
    assert until(page, "document.querySelector('form[data-busy]').ariaBusy === 'true'")
    assert until(page, "document.querySelector('button[name=submit]').disabled")
    assert page.locator("button[name=submit]").inner_text() == "正在提交…"
    page.locator("#submit").screenshot(path=screenshot_dir / f"actions-form-busy-{width}.png")
    page.evaluate(
        "const form = document.querySelector('form[data-busy]');"
        "form.removeEventListener('submit', window.hold); form.removeAttribute('aria-busy');"
        "form.querySelectorAll('button').forEach(b => { b.disabled = false; });"
    )
    with page.expect_navigation():
        page.locator("button[name=submit]").click()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.conditions.get(condition=1).evidence.get().title == "场地租赁合同"
    page.screenshot(path=screenshot_dir / f"actions-form-submitted-{width}.png")
