"""After filing an objection: the tracking code can be copied and printed, the tracking form
comes pre-filled from the confirmation, and both pages say when an answer is due (working
days on the calendar, docs/decisions/0030)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from portal import clock, notices
from portal.models import CalendarDay, Objection

pytestmark = pytest.mark.django_db

KIND = "tests.confirmation"
FRIDAY = dt.date(2027, 3, 5)  # 15 working days later: Friday 2027-03-26
FORM = {"name": "异议人王小明", "contact": "13912345678", "content": "考评场地不符合申报条件。"}


@pytest.fixture
def notice(world, settings, tmp_path):
    settings.CAPTCHA_ENABLED = False
    settings.MEDIA_ROOT = tmp_path
    notices.register_kind(
        KIND, label="测试审批", on_stood=lambda n: None, on_overturned=lambda n, o: None
    )
    with clock.frozen(FRIDAY):
        return notices.publish_notice(
            world.gd_official,
            world.gd_agency,
            kind=KIND,
            title="关于广东测试评价中心的公示",
            body="拟确定该机构为评价机构。",
            period_working_days=5,
            jurisdiction="440000",
            agency=world.gd_agency,
        )


def file_through_the_page(client, notice) -> str:
    with clock.frozen(FRIDAY):
        response = client.post(reverse("notices:detail", args=[notice.pk]), FORM)
    assert response.status_code == 200
    return response.content.decode()


def test_the_answer_is_due_fifteen_working_days_after_filing_across_holidays(notice):
    filed_at = dt.datetime(2027, 3, 5, 16, 0, tzinfo=dt.UTC)  # 2027-03-06 00:00 in Beijing
    assert notices.answer_due_on(filed_at) == dt.date(2027, 3, 26)
    CalendarDay.objects.create(date=dt.date(2027, 3, 8), kind="holiday", name="测试假日")
    assert notices.answer_due_on(filed_at - dt.timedelta(hours=1)) == dt.date(2027, 3, 29)


def test_the_confirmation_offers_copy_print_the_due_date_and_a_prefilled_tracking_form(
    client, notice
):
    page = file_through_the_page(client, notice)
    code = notices.format_tracking_code(Objection.objects.get().tracking_code)
    assert f'<code id="tracking-code">{code}</code>' in page
    assert "答复期限" in page and "2027年3月26日" in page and "15个工作日" in page
    # Copy and print are buttons the script reveals; without it they stay hidden.
    copy = re.search(r"<button [^>]*data-copy=\"tracking-code\"[^>]*>", page).group(0)
    assert " hidden" in copy and "no-print" in copy
    assert re.search(r"<button [^>]*data-print[^>]*hidden[^>]*>打印本页</button>", page)
    assert re.search(r'<script src="/static/portal/js/copy\.js[^"]*" defer></script>', page)
    # The tracking form posts the code (never in a URL) to the tracking page, pre-filled.
    form = re.search(r'<form method="post" action="([^"]+)"[^>]*>(.*?)</form>', page, re.S)
    assert form.group(1) == reverse("notices:track")
    assert f'name="code" value="{code}"' in form.group(2)


def test_the_script_and_the_print_stylesheet_exist():
    static = Path(django_settings.BASE_DIR) / "static" / "portal"
    script = (static / "js" / "copy.js").read_text()
    assert "navigator.clipboard" in script and "window.print()" in script
    css = (static / "css" / "portal.css").read_text()
    print_rules = css[css.index("@media print") :]
    assert ".no-print" in print_rules and ".site-header" in print_rules


def test_the_prefilled_form_shows_the_objection_and_its_due_date(client, world, notice):
    page = file_through_the_page(client, notice)
    code = re.search(r'name="code" value="([^"]+)"', page).group(1)
    with clock.frozen(dt.date(2027, 3, 10)):
        tracked = client.post(reverse("notices:track"), {"code": code}).content.decode()
    assert notice.title in tracked and f'value="{code}"' in tracked
    assert "答复期限" in tracked and "2027年3月26日" in tracked and "已逾期" not in tracked
    with clock.frozen(dt.date(2027, 3, 29)):
        late = client.post(reverse("notices:track"), {"code": code}).content.decode()
    assert "2027年3月26日（已逾期）" in late
    with clock.frozen(dt.date(2027, 3, 29)):
        notices.dismiss_objection(world.gd_official, Objection.objects.get(), reason="经核查属实。")
    decided = client.post(reverse("notices:track"), {"code": code}).content.decode()
    assert "经核查属实。" in decided and "答复期限" not in decided
