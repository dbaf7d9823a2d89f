"""Bulk verification in the browser (Art 22; decision 0051): an employer's HR clerk
(``verifier``, the organisation's administrator) downloads the template, uploads a
spreadsheet of 100 people (90 issued certificates — half by ID number, half by certificate
number — and 10 misses) and downloads the answers; then creates an API token, shown once.
Desktop and phone (390 px)."""

from __future__ import annotations

import pytest

from certificates import services
from certificates.models import Certificate
from tests.certificates.builders import candidate_number, final_session
from tests.certificates.verifier_helpers import approved_org, read_xlsx, xlsx
from tests.portal.builders import make_user, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _people() -> list[list]:
    rows = []
    for i, cert in enumerate(Certificate.objects.order_by("number")[:90]):
        if i % 2:
            rows.append([f"HR-{i + 1:03d}", cert.holder_name, "", "", cert.number])
        else:
            rows.append([f"HR-{i + 1:03d}", cert.holder_name, "居民身份证", cert.id_number, ""])
    for i in range(90, 100):
        rows.append(
            [f"HR-{i + 1:03d}", f"应聘者{i}", "居民身份证", candidate_number(90000 + i), ""]
        )
    return rows


@pytest.mark.parametrize("width", [1366, 390])
def test_hr_clerk_verifies_a_spreadsheet_of_100_people(
    page, live_server, world, tmp_path, screenshot_dir, width
):
    session = final_session(world, 90, failed=0)
    services.issue_certificates(world.members["admin"], [session])
    org, _clerk = approved_org(world, make_user("verifier"))
    people = _people()
    sheet = tmp_path / "应聘人员名单.xlsx"
    sheet.write_bytes(xlsx(people))

    page.set_viewport_size({"width": width, "height": 900 if width > 400 else 844})
    sign_in(page, live_server, "verifier")
    page.goto(f"{live_server.url}/workspace/verification/")
    page.screenshot(path=screenshot_dir / f"verify-home-{width}.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.locator(f"main a[href$='/workspace/verification/{org.pk}/']").click()
    with page.expect_download() as caught:
        page.locator("main a[href$='/template.xlsx']").click()
    assert read_xlsx(caught.value.path().read_bytes())[0][:2] == ["编号", "姓名"]

    page.locator("[name=file]").set_input_files(str(sheet))
    page.screenshot(path=screenshot_dir / f"verify-upload-{width}.png", full_page=True)
    with page.expect_download() as caught:
        page.locator("main form.card button[type=submit]").click()
    answers = read_xlsx(caught.value.path().read_bytes())
    assert caught.value.suggested_filename.endswith(".xlsx")
    assert len(answers) == 101 and answers[0][2] == "是否查到"
    assert [r[2] for r in answers[1:]].count("是") == 90
    assert [r[2] for r in answers[1:]].count("否") == 10
    assert all(r[3] == "有效" for r in answers[1:91])
    flat = repr(answers)
    for row in people:
        assert not row[3] or row[3] not in flat  # never the ID number back

    page.reload()
    text = page.locator("main").inner_text()
    assert "应聘人员名单.xlsx" in text and "100" in text and "90" in text
    page.screenshot(path=screenshot_dir / f"verify-uploaded-{width}.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    page.locator(f"main a[href$='/workspace/verification/{org.pk}/tokens/']").click()
    page.locator("[name=name]").fill("招聘系统")
    page.locator("main form.card button[type=submit]").click()
    secret = page.locator("#new-token code").inner_text()
    assert secret.startswith("vk_")
    page.screenshot(path=screenshot_dir / f"verify-token-{width}.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.reload()
    assert secret not in page.content()


@pytest.mark.parametrize("width", [1366, 390])
def test_the_api_page_reads_on_a_phone(page, live_server, screenshot_dir, width):
    page.set_viewport_size({"width": width, "height": 900 if width > 400 else 844})
    page.goto(f"{live_server.url}/api/v1/docs/")
    assert "POST /api/v1/certificates/verify" in page.locator("main").inner_text()
    page.screenshot(path=screenshot_dir / f"verify-api-docs-{width}.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
