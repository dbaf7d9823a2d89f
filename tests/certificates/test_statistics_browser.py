"""The certificate statistics page in the browser as the demo ministry official, after
``seed_demo`` (decision 0053): every chart is drawn (a canvas with pixels painted) from the
numbers of the table below it, with no console error (a CSP violation is one), on a desktop
and on a phone (390 px) without sideways scrolling; and the public page likewise."""

from __future__ import annotations

import pytest

from certificates import statistics as stats
from portal.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# How many pixels of a chart's canvas are painted (not transparent).
PAINTED = """c => {
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let n = 0;
  for (let i = 3; i < d.length; i += 4) { if (d[i] > 0) n++; }
  return n;
}"""


def _watch(page) -> list[str]:
    problems: list[str] = []
    page.on(
        "console",
        lambda m: (
            problems.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(f"pageerror: {error}"))
    return problems


def _charts_drawn(page, names) -> None:
    for name in names:
        canvas = page.locator(f"canvas#chart-{name}")
        canvas.wait_for()
        assert canvas.is_visible(), name
        assert canvas.evaluate(PAINTED) > 500, f"chart {name} is blank"
        assert len(canvas.evaluate("c => c.toDataURL()")) > 3000, name


def test_the_statistics_page_as_the_demo_ministry(
    browser, live_server, seeded_demo, screenshot_dir
):
    # The session's seed_demo, restored and committed (tests/conftest.py); the flush ends it.
    from portal.models import User

    ministry = User.objects.get(username="ministry")
    sections = stats.report(stats.rows_for(ministry))
    assert sections[0].total.issued >= 3000, "the demo's certificates are counted"
    assert len([t for t in sections[2].totals if t.key]) >= 5, "several provinces"
    for width, height in ((1366, 900), (390, 844)):
        context = browser.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        problems = _watch(page)
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("用户名").fill("ministry")
        page.get_by_label("密码").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(f"{live_server.url}/workspace/")
        link = page.locator("nav.side-nav a[href='/workspace/certificates/statistics/']")
        assert link.count() == 1, "in the officials' menu"
        page.goto(f"{live_server.url}/workspace/certificates/statistics/")
        _charts_drawn(page, stats.SECTIONS)
        # The table under the month chart holds the service's numbers.
        total = page.locator("table[data-section=month] tr.total td").first.inner_text()
        assert int(total) == sections[0].total.issued
        page.screenshot(path=screenshot_dir / f"certificate-statistics-{width}.png", full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        # Filtered by a province: fewer certificates, still drawn.
        page.goto(f"{live_server.url}/workspace/certificates/statistics/?province=440000")
        _charts_drawn(page, ("month", "occupation"))
        # The public page: aggregate counts, its own charts.
        page.goto(f"{live_server.url}/certificates/statistics/")
        _charts_drawn(page, stats.PUBLIC_SECTIONS)
        page.screenshot(
            path=screenshot_dir / f"certificate-statistics-public-{width}.png", full_page=True
        )
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert problems == [], problems
        context.close()
