"""Every public page and the main workspace pages of each kind of user, at 390×844 (a phone)
and at 1366×900: the page never scrolls sideways, codes stay on one line, tables are cards on
the phone, the workspace menu is folded behind its button there and opens on a tap, header
words are never cut one character per line, the top bar's 「登录」 stays whole (decision 0025).

One browser context per user; the pages are found by following the menus and the first row of
each table, so pages added later are visited too. Screenshots: var/screenshots/phone-*.png."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from portal.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}

# Public pages, each with the detail page reached through the first matching link in it.
PUBLIC = [
    ("/", None),
    ("/privacy/", None),
    ("/accounts/login/", None),
    ("/accounts/password/reset/", None),
    ("/accounts/password/reset/sent/", None),
    ("/accounts/password/reset/complete/", None),
    ("/catalog/", r"/catalog/occupations/[^/]+/"),
    ("/catalog/standards/", r"/catalog/standards/\d+/"),
    ("/catalog/specs/", r"/catalog/specs/\d+/"),
    ("/calls/", r"/calls/\d+/"),
    ("/register/organisation/", None),
    ("/directory/", r"/directory/\d+/"),
    ("/directory/removed/", r"/directory/\d+/"),
    ("/notices/", r"/notices/\d+/"),
    ("/notices/track/", None),
    ("/no-such-page/", None),
    ("/certificates/lookup/", None),
]
# One kind of user each: officials (provincial, national), the testing centre, an expert,
# agency administrator and clerk, applicant organisations (application on notice, a draft).
USERS = [
    "gd_official",
    "ministry",
    "osta_national",
    "expert_gd1",
    "agency_admin",
    "agency_staff",
    "demo_notice",
    "demo_draft",
]
# From each menu page, its first form page is visited too (new account, application form...).
FORM = re.compile(r"^/workspace/.*/(new|start|add|edit)/$")
# Not followed: downloads (documents, checkpoint files), sign-out, and the audit trail pages,
# whose own layout (a body per entry with a folding changes row) test_audit_browser checks.
SKIP = re.compile(r"^/(documents/|accounts/logout/|audit/checkpoints/.)|/audit/$")

# What the page looks like, measured in the browser: returns problems, links and counts.
MEASURE = (Path(__file__).parent / "phone_measure.js").read_text(encoding="utf-8")


def _slug(path: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"


class Visits:
    """Visits pages in one browser page, at phone width and then at desktop width."""

    def __init__(self, page, base: str, who: str, screenshot_dir):
        self.page, self.base, self.who, self.dir = page, base, who, screenshot_dir
        self.seen: set[str] = set()
        self.problems: list[str] = []
        self.cards = 0
        self.errors: list[str] = []
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("console", self._console)

    def _console(self, message) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            self.errors.append(message.text)

    def visit(self, path: str) -> dict:
        self.seen.add(path)
        page = self.page
        self.errors.clear()
        page.set_viewport_size(PHONE)
        response = page.goto(self.base + path)
        if response.status != (404 if path == "/no-such-page/" else 200):
            self.problems.append(f"{self.who} {path}: HTTP {response.status}")
        phone = page.evaluate(MEASURE, True)
        name = f"phone-{self.who}-{_slug(path)}"
        page.screenshot(path=self.dir / f"{name}.png", full_page=True)
        if phone["menu"]:
            page.locator("nav.side-nav summary").click()
            if not page.locator("nav.side-nav details a").first.is_visible():
                phone["problems"].append("workspace menu does not open on a tap")
            elif len(self.seen) == 1:
                page.screenshot(path=self.dir / f"{name}-menu.png")
        page.set_viewport_size(DESKTOP)
        page.reload()
        desktop = page.evaluate(MEASURE, False)
        page.screenshot(path=self.dir / f"desk-{self.who}-{_slug(path)}.png", full_page=True)
        self.problems += [f"{self.who} {path} (390px): {p}" for p in phone["problems"]]
        self.problems += [f"{self.who} {path} (1366px): {p}" for p in desktop["problems"]]
        self.problems += [f"{self.who} {path}: script error {e}" for e in self.errors]
        self.cards += phone["cards"]
        return phone

    def follow(self, path: str, links: list[str], pattern=None) -> None:
        """Visit ``path``'s first table link (or first link matching ``pattern``) not yet seen."""
        for href in links:
            target = urlsplit(href)
            if target.netloc or not target.path.startswith("/") or SKIP.search(target.path):
                continue
            if target.path in self.seen or target.path == path:
                continue
            if pattern is not None and not pattern.match(target.path):
                continue
            self.visit(target.path)
            return


def signed_in(context, live_server, username: str):
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/workspace/")
    return page


def test_every_page_fits_a_phone(browser, live_server, seeded_demo, settings, screenshot_dir):
    settings.CAPTCHA_ENABLED = False
    for old in [*screenshot_dir.glob("phone-*.png"), *screenshot_dir.glob("desk-*.png")]:
        old.unlink()
    # The session's seed_demo, restored and committed (tests/conftest.py); the flush ends it.
    problems: list[str] = []
    visited = cards = 0

    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    visits = Visits(context.new_page(), live_server.url, "public", screenshot_dir)
    for path, detail in PUBLIC:
        found = visits.visit(path)
        if detail:
            visits.follow(path, found["links"], re.compile(f"^{detail}$"))
    context.close()
    problems += visits.problems
    visited, cards = visited + len(visits.seen), cards + visits.cards

    for username in USERS:
        context = browser.new_context(viewport=PHONE, locale="zh-CN")
        page = signed_in(context, live_server, username)
        visits = Visits(page, live_server.url, username, screenshot_dir)
        home = visits.visit("/workspace/")
        menu = [h for h in home["links"] if h.startswith("/workspace/")]
        # An agency's own menu shows on its pages: open the first agency's home page as well.
        agency_home = next((h for h in menu if re.match(r"^/workspace/agency/\d+/$", h)), None)
        if agency_home:
            menu += visits.visit(agency_home)["links"]
        for href in dict.fromkeys(menu):
            path = urlsplit(href).path
            if path in visits.seen or SKIP.search(path) or not path.startswith("/workspace/"):
                continue
            found = visits.visit(path)
            visits.follow(path, [h for h in found["tableLinks"] if h.startswith("/workspace/")])
            visits.follow(path, [h for h in found["links"] if FORM.search(h)])
        context.close()
        problems += visits.problems
        visited, cards = visited + len(visits.seen), cards + visits.cards

    # Without JavaScript: folded on the phone and opens on a tap; a sidebar on the desktop.
    context = browser.new_context(viewport=PHONE, locale="zh-CN", java_script_enabled=False)
    page = signed_in(context, live_server, "gd_official")
    link = page.locator("nav.side-nav a").first
    assert not link.is_visible()
    page.locator("nav.side-nav summary").click()
    assert link.is_visible()
    page.set_viewport_size(DESKTOP)
    page.reload()
    assert link.is_visible() and not page.locator("nav.side-nav summary").is_visible()
    context.close()

    print(f"\n{visited} pages at 390 and 1366 px, {cards} table rows shown as cards")
    assert cards > 20
    assert problems == []
