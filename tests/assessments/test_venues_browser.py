"""Venues in the browser, at desktop width and at 390 px: the agency's admin declares a leased
venue with a theory and a skill room (a lease under a year refused at its field first), and
``gd_official`` finds it on the dashboard and in the queue, and verifies it."""

from __future__ import annotations

import datetime as dt

import pytest

from assessments.models import Venue, VenueStatus
from portal import clock
from tests.portal.builders import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n%%EOF\n"


def _fits(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("width", [1366, 390])
def test_admin_declares_a_venue_and_the_official_verifies_it(
    page, live_server, world, settings, tmp_path, screenshot_dir, width
):
    settings.MEDIA_ROOT = tmp_path
    page.set_viewport_size({"width": width, "height": 900 if width > 400 else 844})
    agency = world.gd_agency
    base = f"{live_server.url}/workspace/agency/{agency.pk}"
    sign_in(page, live_server, "gd_admin")
    page.goto(f"{base}/")
    assert page.locator(f"nav a[href='/workspace/agency/{agency.pk}/venues/']").count() == 1
    page.goto(f"{base}/venues/")
    page.locator(f"main a[href='/workspace/agency/{agency.pk}/venues/new/']").click()

    starts = clock.today() - dt.timedelta(days=10)
    page.locator("[name=name]").fill("南山考点")
    page.locator("[name=address]").fill("深圳市南山区科技园路8号")
    page.locator("input[name=tenure][value=leased]").check()
    page.locator("[name=lease_starts]").fill(starts.isoformat())
    page.locator("[name=lease_ends]").fill((starts + dt.timedelta(days=200)).isoformat())
    page.locator("[name=lease_document]").set_input_files(
        {"name": "租赁合同.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.locator("[name=recordings_kept_days]").fill("90")
    page.locator("[name=recordings_stored_at]").fill("考点监控服务器")
    page.locator("[name=rooms-0-name]").fill("理论考场 101")
    page.locator("[name=rooms-0-kind]").select_option("theory")
    page.locator("[name=rooms-0-places]").fill("40")
    page.locator("[name=rooms-0-cameras]").fill("2")
    page.locator("[name=rooms-1-name]").fill("技能考场 102")
    page.locator("[name=rooms-1-kind]").select_option("skill")
    page.locator("[name=rooms-1-places]").fill("12")
    page.locator("[name=rooms-1-cameras]").fill("3")
    page.locator("[name=rooms-1-occupations]").fill("6-31-01-03")
    page.locator("main form button[type=submit]").click()

    # Six months of lease: refused at the field, nothing saved.
    error = page.locator("#id_lease_ends_error")
    assert "不得少于一年" in error.inner_text()
    assert not Venue.objects.exists()
    error.scroll_into_view_if_needed()
    page.screenshot(path=screenshot_dir / f"venue-lease-refused-{width}.png", full_page=True)
    _fits(page, width)

    page.locator("[name=lease_ends]").fill(starts.replace(year=starts.year + 2).isoformat())
    page.locator("[name=lease_document]").set_input_files(
        {"name": "租赁合同.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.locator("main form button[type=submit]").click()
    page.locator(".messages .message.success").wait_for()
    venue = Venue.objects.get()
    assert venue.status == VenueStatus.TO_VERIFY and venue.rooms.count() == 2
    assert "待核验" in page.content() and "技能考场 102" in page.content()
    page.screenshot(path=screenshot_dir / f"venue-declared-{width}.png", full_page=True)
    _fits(page, width)

    page.goto(f"{base}/venues/")
    page.screenshot(path=screenshot_dir / f"venue-list-{width}.png", full_page=True)
    _fits(page, width)

    # The official of 广东: the dashboard panel, the queue, the venue, verified.
    page.context.clear_cookies()
    sign_in(page, live_server, "gd_official")
    page.goto(f"{live_server.url}/workspace/")
    panel = page.locator(".panel", has_text="待核验的考核场地")
    assert "1" in panel.inner_text()
    page.screenshot(path=screenshot_dir / f"venue-official-dashboard-{width}.png", full_page=True)
    panel.locator("a[href='/workspace/venues/']").click()
    page.screenshot(path=screenshot_dir / f"venue-queue-{width}.png", full_page=True)
    _fits(page, width)
    page.locator(f"main a[href='/workspace/venues/{venue.pk}/']").click()
    assert "租赁合同" in page.content()
    page.locator("[name=v-remarks]").fill("现场核验：考场与视频监控符合要求。")
    page.screenshot(path=screenshot_dir / f"venue-review-{width}.png", full_page=True)
    _fits(page, width)
    page.locator("#verify button[type=submit]").click()
    page.locator(".messages .message.success").wait_for()
    venue.refresh_from_db()
    assert (venue.status, venue.verified_by_id) == (VenueStatus.VERIFIED, world.gd_official.pk)
    assert "已核验" in page.content()
    page.screenshot(path=screenshot_dir / f"venue-verified-{width}.png", full_page=True)
    _fits(page, width)
