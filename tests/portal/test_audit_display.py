"""The audit trail as people read it (decision 0029): one Chinese sentence per action, changes
by their fields' names and values' labels, the dotted name for officials only, filters kept
in the URL, exports of what the page lists (masked, in the reader's scope), and the date of
the last chain verification."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from portal import audit, codes
from portal.access import SYSTEM
from portal.audit import display, exports
from portal.models import AgencyStatus, AuditEntry, PeriodicRun
from tests.portal.audit_scan import call_sites

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u4e00-\u9fff]")
AUDIT = "portal:audit"
GD = "gd_official（省级人社部门官员）"


# --- Every action has a sentence ------------------------------------------------------------


def test_every_action_recorded_in_the_code_has_a_chinese_sentence():
    sites = call_sites()
    assert len(sites) > 60
    unresolved = [site.where for site in sites if site.unresolved]
    assert unresolved == [], f"cannot see which actions these record: {unresolved}"
    actions = set().union(*(site.actions for site in sites))
    # The scanner follows actions passed through variables and parameters too.
    assert {"portal.account.deactivate", "catalog.spec.return", "catalog.spec.refuse"} <= actions
    missing = sorted(a for a in actions if display.sentence_for(a) is None)
    assert missing == [], f"register a sentence (audit.register_label) for: {missing}"
    with translation.override("zh-hans"):
        untranslated = sorted(a for a in actions if not CJK.search(audit.describe(a)))
    assert untranslated == [], f"translate the sentences of: {untranslated}"


def test_every_change_recorded_in_the_code_has_a_name():
    names = set().union(*(site.change_names for site in call_sites()))
    assert {"status", "two_factor", "experts"} <= names
    unnamed = sorted(n for n in names if not display.change_label_known(n))
    assert unnamed == [], f"name these changes (audit.display.register_change_labels): {unnamed}"


# --- Sentences and values --------------------------------------------------------------------


def _suspend(world, **extra):
    return audit.record(
        world.gd_official,
        "agencies.agency.suspend",
        world.gd_agency,
        {
            "status": [AgencyStatus.LISTED, AgencyStatus.SUSPENDED],
            "until": [None, dt.date(2027, 1, 17)],
            "is_demo": [False, True],
            "filing_jurisdiction": [None, "440000"],
            **extra,
        },
        audience="agency",
    )


def test_an_entry_reads_as_a_sentence_with_names_labels_and_dates(world):
    entry = _suspend(world)
    with translation.override("zh-hans"):
        [shown] = display.present([AuditEntry.objects.get(pk=entry.pk)])
        assert shown.sentence == "gd_official（省级人社部门官员）暂停了评价机构：已列入目录 → 暂停"
        rows = {c.label: (c.before, c.after) for c in shown.change_rows}
    assert rows == {
        "截止日期": ("—", "2027年1月17日"),
        "演示数据": ("否", "是"),
        "备案机关": ("—", "广东省"),
    }


def test_the_template_filter_writes_the_whole_sentence(world):
    entry = _suspend(world)
    with translation.override("zh-hans"):
        text = Template("{% load portal_tags %}{{ entry|audit_text }}").render(
            Context({"entry": entry})
        )
    assert text == f"{GD}暂停了评价机构：已列入目录 → 暂停"


def test_scheduled_jobs_and_the_public_are_named_in_chinese(world):
    lapse = audit.record(
        SYSTEM,
        "agencies.agency.lapse",
        world.gd_agency,
        {"status": [AgencyStatus.LISTED, AgencyStatus.LAPSED]},
    )
    close = audit.record(
        SYSTEM, "portal.notice.close", province="440000", actor_label="portal.close_due_notices"
    )
    public = audit.record(None, "portal.notice.object", province="440000")
    with translation.override("zh-hans"):
        texts = [e.sentence for e in display.present([lapse, close, public])]
        lapsed = str(AgencyStatus.LAPSED.label)
    assert texts[0] == f"系统（定时任务）登记了备案期限届满：已列入目录 → {lapsed}"
    assert texts[1] == "系统（定时任务）结束了公示"
    assert texts[2].startswith("公众") and "public" not in texts[2]


def test_roles_read_by_their_labels_not_their_codes(world):
    entry = audit.record(
        world.members["admin"],
        "agencies.staff.change",
        world.gd_agency,
        {"member": ["gd_examiner", "gd_examiner"], "role": ["examiner", "staff"]},
    )
    with translation.override("zh-hans"):
        [shown] = display.present([entry])
    assert shown.sentence == "gd_admin（机构管理员）调整了成员角色：考评人员 → 机构工作人员"
    assert "admin" not in shown.sentence.replace("gd_admin", "")


# --- The pages -------------------------------------------------------------------------------


def test_the_dotted_name_is_shown_to_holders_of_audit_view_only(client, world):
    _suspend(world)
    code = '<code class="action-code">agencies.agency.suspend</code>'
    client.force_login(world.gd_official)
    page = client.get(reverse(AUDIT)).content.decode()
    assert code in page and "暂停了评价机构：已列入目录 → 暂停" in page
    client.force_login(world.members["admin"])
    page = client.get(reverse("portal:agency_audit", args=[world.gd_agency.pk])).content.decode()
    assert "暂停了评价机构：已列入目录 → 暂停" in page
    table = page[page.index('<table class="audit-table">') :]
    assert "agencies.agency.suspend" not in table and "action-code" not in table


def test_changes_fold_away_under_the_entry(client, world):
    _suspend(world)
    client.force_login(world.gd_official)
    page = client.get(reverse(AUDIT)).content.decode()
    assert '<tr class="audit-changes">' in page and "<summary>3 项变更</summary>" in page
    assert "<dt>演示数据</dt><dd>否 → 是</dd>" in page
    assert "is_demo" not in page and "False" not in page


def test_the_object_type_is_a_select_of_the_types_in_the_readers_scope(client, world):
    _suspend(world)
    audit.record(world.hlj_official, "portal.calendar.add", world.hlj_site)
    client.force_login(world.gd_official)
    page = client.get(reverse(AUDIT)).content.decode()
    select = re.search(r'<select name="object_type".*?</select>', page, re.S).group(0)
    assert '<option value="portal.agency">评价机构</option>' in select
    assert "portal.agencysite" not in select  # only 黑龙江 has entries on a site
    narrowed = client.get(reverse(AUDIT), {"object_type": "portal.agency"}).content.decode()
    assert "暂停了评价机构" in narrowed


def test_filters_stay_in_the_url_across_pages(client, world):
    for n in range(55):
        audit.record(world.gd_official, "portal.calendar.add", world.gd_agency, {"note": [None, n]})
    audit.record(world.gd_official, "portal.calendar.remove", world.gd_agency)
    client.force_login(world.gd_official)
    first = client.get(reverse(AUDIT), {"action": "portal.calendar.add"}).content.decode()
    assert "第 1 页，共 2 页" in first or "共 2 页" in first
    assert 'href="?action=portal.calendar.add&amp;page=2"' in first
    assert 'href="?action=portal.calendar.add&amp;export=csv"' in first
    second = client.get(reverse(AUDIT), {"action": "portal.calendar.add", "page": 2})
    assert second.content.decode().count('<tbody class="audit-entry">') == 5
    assert "在工作日日历中删除了日期" not in second.content.decode()


# --- Exports ---------------------------------------------------------------------------------


def _csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_the_csv_holds_the_filtered_entries_as_the_page_shows_them(client, world):
    _suspend(world, id_number=[None, "440101199001011234"], note=[None, "=HYPERLINK(1)"])
    audit.record(world.gd_official, "portal.calendar.add", world.gd_agency)
    client.force_login(world.gd_official)
    response = client.get(reverse(AUDIT), {"action": "agencies.agency.suspend", "export": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    header, *rows = _csv(response)
    assert header == [
        "时间",
        "操作人",
        "操作",
        "操作代码",
        "对象类型",
        "对象",
        "评价机构",
        "变更内容",
    ]
    assert len(rows) == 1
    [row] = rows
    assert row[1] == "gd_official（省级人社部门官员）"
    assert row[2] == "gd_official（省级人社部门官员）暂停了评价机构：已列入目录 → 暂停"
    assert row[3] == "agencies.agency.suspend" and row[4] == "评价机构"
    assert row[6] == "广东测试评价中心"
    assert codes.mask_resident_id("440101199001011234") in row[7]
    assert "199001011234" not in row[7]
    assert "演示数据：否 → 是" in row[7]
    assert "127.0.0.1" not in ",".join(row)


def test_a_csv_cell_that_a_spreadsheet_would_run_as_a_formula_is_text():
    assert exports._safe_csv("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert exports._safe_csv("-1") == "'-1" and exports._safe_csv("广东") == "广东"


def test_the_xlsx_holds_the_same_rows_and_never_a_formula(client, world):
    _suspend(world, note=[None, "=HYPERLINK(1)"])
    client.force_login(world.gd_official)
    response = client.get(reverse(AUDIT), {"export": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book.active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("时间", "操作人", "操作")
    assert rows[1][2] == "gd_official（省级人社部门官员）暂停了评价机构：已列入目录 → 暂停"
    assert isinstance(rows[1][0], dt.datetime)
    cell = sheet.cell(row=2, column=8)
    assert cell.data_type == "s" and "=HYPERLINK(1)" in cell.value


def test_an_agency_admin_exports_only_the_entries_addressed_to_the_agency(client, world):
    _suspend(world)  # audience agency
    audit.record(world.gd_official, "agencies.application.assign_experts", world.gd_agency)
    audit.record(world.hlj_official, "agencies.agency.suspend", world.hlj_agency, audience="agency")
    client.force_login(world.members["admin"])
    url = reverse("portal:agency_audit", args=[world.gd_agency.pk])
    header, *rows = _csv(client.get(url, {"export": "csv"}))
    assert "操作代码" not in header
    assert [r[2] for r in rows] == [
        "gd_official（省级人社部门官员）暂停了评价机构：已列入目录 → 暂停"
    ]
    book = load_workbook(
        io.BytesIO(b"".join(client.get(url, {"export": "xlsx"}).streaming_content))
    )
    assert book.active.max_row == 2
    # Nor can another agency's admin, or the agency's staff, export it.
    client.force_login(world.hlj_admin)
    assert client.get(url, {"export": "csv"}).status_code == 404
    client.force_login(world.members["staff"])
    assert client.get(url, {"export": "csv"}).status_code == 403


def test_an_official_exports_only_the_jurisdiction(client, world):
    _suspend(world)
    audit.record(world.hlj_official, "agencies.agency.suspend", world.hlj_agency)
    client.force_login(world.hlj_official)
    _header, *rows = _csv(client.get(reverse(AUDIT), {"export": "csv"}))
    assert [r[6] for r in rows] == ["黑龙江测试评价中心"]


def test_a_large_export_is_refused_with_a_way_out(client, world, monkeypatch):
    monkeypatch.setattr(exports, "LIMITS", {"csv": 2, "xlsx": 1})
    _suspend(world)
    _suspend(world)
    client.force_login(world.gd_official)
    response = client.get(reverse(AUDIT), {"actor": "gd", "export": "xlsx"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse(AUDIT) + "?actor=gd"
    assert "超过 1 条记录：请缩小筛选范围" in response.content.decode()
    assert client.get(reverse(AUDIT), {"export": "csv"})["Content-Type"].startswith("text/csv")


# --- Chain verification status ---------------------------------------------------------------


def test_the_page_says_when_the_chains_were_last_verified(client, world):
    client.force_login(world.gd_official)
    assert "哈希链尚未校验" in client.get(reverse(AUDIT)).content.decode()
    now = timezone.now()
    PeriodicRun.objects.create(
        job="portal.verify_audit", started_at=now, finished_at=now, ok=True, detail="1 entries"
    )
    page = client.get(reverse(AUDIT)).content.decode()
    local = timezone.localtime(now)
    assert f"哈希链校验：完整（最近一次校验：{local.year}年{local.month}月{local.day}日" in page
    assert 'class="chain-status ok"' in page
    later = now + dt.timedelta(minutes=1)
    PeriodicRun.objects.create(
        job="portal.verify_audit", started_at=later, finished_at=later, ok=False
    )
    client.force_login(world.members["admin"])
    page = client.get(reverse("portal:agency_audit", args=[world.gd_agency.pk])).content.decode()
    assert "发现链条断裂" in page and 'class="chain-status failed"' in page


def test_an_overdue_check_is_flagged(client, world):
    old = timezone.now() - dt.timedelta(days=3)
    PeriodicRun.objects.create(job="portal.verify_audit", started_at=old, finished_at=old, ok=True)
    client.force_login(world.gd_official)
    page = client.get(reverse(AUDIT)).content.decode()
    assert "每晚校验已逾期未运行" in page and "chain-status ok late" in page
