"""Public notices (公示, Art 14): working-day periods, objections, decisions, closing, privacy."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from portal import audit, clock, notices
from portal.models import (
    Audience,
    AuditEntry,
    CalendarDay,
    Document,
    NoticeOutcome,
    NoticeStatus,
    Objection,
    ObjectionStatus,
)
from portal.roles import NATIONAL
from portal.ui import navigation
from tests.portal.altcha_solver import solve_page

KIND = "tests.approval"
FRIDAY = dt.date(2027, 3, 5)  # a Friday; five working days later is Friday 2027-03-12
NAME = "异议人王小明"
CONTACT = "13912345678"
CONTENT = "该机构考评场地不符合申报材料所述条件。"

ANNOUNCEMENTS: list[notices.Announcement] = []


def _announcements() -> list[notices.Announcement]:
    return list(ANNOUNCEMENTS)


class Recorder:
    def __init__(self) -> None:
        self.stood: list[int] = []
        self.overturned: list[tuple[int, int]] = []
        self.fail_overturned = False

    def on_stood(self, notice) -> None:
        self.stood.append(notice.pk)

    def on_overturned(self, notice, objection) -> None:
        if self.fail_overturned:
            raise ValidationError("the subject cannot be rejected now")
        self.overturned.append((notice.pk, objection.pk))


@pytest.fixture
def calls():
    recorder = Recorder()
    notices.register_kind(
        KIND,
        label="测试审批",
        on_stood=recorder.on_stood,
        on_overturned=recorder.on_overturned,
    )
    return recorder


@pytest.fixture(autouse=True)
def _no_captcha(settings, tmp_path):
    settings.CAPTCHA_ENABLED = False
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def announcements():
    notices.register_announcements(_announcements)
    ANNOUNCEMENTS.clear()
    yield ANNOUNCEMENTS
    ANNOUNCEMENTS.clear()


def publish(world, *, on=FRIDAY, days=5, jurisdiction="440000", agency="gd", subject=None):
    agency_obj = {"gd": world.gd_agency, "hlj": world.hlj_agency, None: None}[agency]
    with clock.frozen(on):
        return notices.publish_notice(
            world.gd_official,
            subject if subject is not None else (agency_obj or "tests.thing:1"),
            kind=KIND,
            title=f"关于{agency_obj.name if agency_obj else '某事项'}的公示",
            body="经材料核验、专家论证和现场考察，拟确定该机构为评价机构。\n特此公示。",
            period_working_days=days,
            jurisdiction=jurisdiction,
            agency=agency_obj,
        )


def file(notice, *, on=FRIDAY, name=NAME, contact=CONTACT, content=CONTENT, evidence=None):
    with clock.frozen(on):
        return notices.file_objection(
            notice, name=name, contact=contact, content=content, evidence=evidence
        )


def pdf(name="evidence.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n% evidence\n%%EOF\n")


# --- The period in working days -------------------------------------------------------------


def test_the_period_is_counted_in_working_days_across_a_holiday_and_a_make_up_day(world, calls):
    assert publish(world).ends_on == dt.date(2027, 3, 12)
    CalendarDay.objects.create(date=dt.date(2027, 3, 8), kind="holiday", name="测试假日")
    holiday = publish(world, subject="tests.thing:2")
    assert holiday.ends_on == dt.date(2027, 3, 15)  # the Monday off pushes it past the weekend
    CalendarDay.objects.create(date=dt.date(2027, 3, 13), kind="workday", name="调休上班")
    make_up = publish(world, subject="tests.thing:3")
    assert make_up.ends_on == dt.date(2027, 3, 13)  # the make-up Saturday counts
    assert make_up.published_on == FRIDAY
    assert make_up.period_working_days == 5
    with clock.frozen(FRIDAY):
        assert notices.days_left(make_up) == 5
    with clock.frozen(dt.date(2027, 3, 10)):
        assert notices.days_left(make_up) == 3  # Thursday, Friday, the make-up Saturday


def test_an_objection_on_the_last_day_is_accepted_and_one_after_the_period_is_refused(world, calls):
    notice = publish(world)
    assert file(notice, on=notice.ends_on).status == ObjectionStatus.PENDING
    with pytest.raises(ValidationError) as refused:
        file(notice, on=notice.ends_on + dt.timedelta(days=1))
    assert refused.value.code == "period_ended"
    assert "2027年3月12日" in refused.value.messages[0]
    assert notice.objections.count() == 1


def test_the_page_refuses_an_objection_after_the_period_with_a_message(client, world, calls):
    notice = publish(world)
    url = reverse("notices:detail", args=[notice.pk])
    with clock.frozen(dt.date(2027, 3, 15)):
        page = client.get(url)
        assert 'name="content"' not in page.content.decode()
        response = client.post(url, {"name": NAME, "contact": CONTACT, "content": CONTENT})
        assert response.status_code == 302
        page = client.get(url).content.decode()
    assert Objection.objects.count() == 0
    assert "no longer accepts objections" in page or "不再受理" in page


def test_a_closed_notice_refuses_objections(world, calls):
    notice = publish(world)
    objection = file(notice)
    with clock.frozen(FRIDAY):
        notices.uphold_objection(world.gd_official, objection, reason="情况属实。")
        with pytest.raises(ValidationError) as refused:
            notices.file_objection(notice, name=NAME, contact=CONTACT, content=CONTENT)
    assert refused.value.code == "closed"


# --- Closing ----------------------------------------------------------------------------------


def test_a_notice_with_a_pending_objection_never_closes(world, calls):
    notice = publish(world)
    file(notice)
    for later in (dt.date(2027, 3, 15), dt.date(2027, 6, 1)):
        with clock.frozen(later):
            assert notices.close_due_notices() == 0
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.OPEN and notice.outcome == NoticeOutcome.PENDING
    assert calls.stood == []


def test_a_notice_does_not_close_on_its_last_day(world, calls):
    notice = publish(world)
    with clock.frozen(notice.ends_on):
        assert notices.close_due_notices() == 0
    with clock.frozen(notice.ends_on + dt.timedelta(days=1)):
        assert notices.close_due_notices() == 1
    assert calls.stood == [notice.pk]


def test_dismiss_then_close_lets_the_decision_stand_once(world, calls):
    notice = publish(world)
    objection = file(notice)
    with clock.frozen(dt.date(2027, 3, 15)):
        dismissed = notices.dismiss_objection(world.gd_official, objection, reason="经核查不属实。")
        assert dismissed.status == ObjectionStatus.DISMISSED
        notice.refresh_from_db()
        assert notice.status == NoticeStatus.OPEN  # the job closes it
        assert notices.close_due_notices() == 1
        assert notices.close_due_notices() == 0
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.CLOSED
    assert notice.outcome == NoticeOutcome.STOOD
    assert notice.closed_at is not None
    assert calls.stood == [notice.pk]
    assert calls.overturned == []


def test_the_periodic_job_closes_due_notices_through_run_periodic(world, calls):
    notice = publish(world)
    with clock.frozen(dt.date(2027, 3, 15)):
        call_command("run_periodic", "--job", "portal.close_due_notices")
    notice.refresh_from_db()
    assert notice.outcome == NoticeOutcome.STOOD
    assert calls.stood == [notice.pk]


def test_a_failing_callback_leaves_its_notice_open_and_the_others_close(world, calls):
    broken = publish(world)
    broken.kind = "tests.unregistered"
    broken.save(update_fields=["kind"])
    fine = publish(world, subject="tests.thing:9")
    with clock.frozen(dt.date(2027, 3, 15)), pytest.raises(RuntimeError, match="1 notices closed"):
        notices.close_due_notices()
    broken.refresh_from_db()
    fine.refresh_from_db()
    assert broken.status == NoticeStatus.OPEN
    assert fine.outcome == NoticeOutcome.STOOD
    assert calls.stood == [fine.pk]


def test_upholding_overturns_the_notice_and_makes_other_objections_moot(world, calls):
    notice = publish(world)
    first = file(notice, name="甲")
    second = file(notice, name="乙")
    third = file(notice, name="丙")
    with clock.frozen(dt.date(2027, 3, 9)):
        notices.dismiss_objection(world.gd_official, first, reason="不属实。")
        upheld = notices.uphold_objection(world.gd_official, second, reason="经现场核查属实。")
    assert upheld.status == ObjectionStatus.UPHELD
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.CLOSED
    assert notice.outcome == NoticeOutcome.OVERTURNED
    assert calls.overturned == [(notice.pk, second.pk)]
    third.refresh_from_db()
    assert third.status == ObjectionStatus.DISMISSED
    assert third.decision_reason  # says why: another objection was upheld
    assert third.decided_by == world.gd_official
    first.refresh_from_db()
    assert first.decision_reason == "不属实。"  # an earlier decision is not rewritten
    with clock.frozen(dt.date(2027, 4, 1)):
        assert notices.close_due_notices() == 0
    assert calls.stood == []


def test_a_failing_overturn_callback_rolls_the_decision_back(world, calls):
    notice = publish(world)
    objection = file(notice)
    calls.fail_overturned = True
    with clock.frozen(FRIDAY), pytest.raises(ValidationError):
        notices.uphold_objection(world.gd_official, objection, reason="属实。")
    objection.refresh_from_db()
    notice.refresh_from_db()
    assert objection.status == ObjectionStatus.PENDING
    assert notice.status == NoticeStatus.OPEN


def test_an_objection_is_decided_once_and_with_a_reason(world, calls):
    notice = publish(world)
    objection = file(notice)
    with clock.frozen(FRIDAY):
        with pytest.raises(ValidationError):
            notices.dismiss_objection(world.gd_official, objection, reason="  ")
        notices.dismiss_objection(world.gd_official, objection, reason="不属实。")
        with pytest.raises(ValidationError) as again:
            notices.uphold_objection(world.gd_official, objection, reason="属实。")
    assert again.value.code == "decided"


# --- Who decides -------------------------------------------------------------------------------


def test_only_officials_of_the_notice_jurisdiction_decide(world, calls):
    notice = publish(world)
    objection = file(notice)
    for outsider in (world.hlj_official, world.members["admin"], world.expert, world.nobody):
        with pytest.raises(PermissionDenied):
            notices.dismiss_objection(outsider, objection, reason="无关。")
    with clock.frozen(FRIDAY):
        notices.dismiss_objection(world.osta_gd, objection, reason="不属实。")


def test_a_national_notice_is_decided_by_national_officials_only(world, calls):
    notice = publish(world, jurisdiction=NATIONAL)
    objection = file(notice)
    with pytest.raises(PermissionDenied):
        notices.dismiss_objection(world.gd_official, objection, reason="不属实。")
    with clock.frozen(FRIDAY):
        notices.dismiss_objection(world.ministry, objection, reason="不属实。")
    assert not notices.notices_for_official(world.gd_official).filter(pk=notice.pk).exists()
    assert notices.notices_for_official(world.osta_national).filter(pk=notice.pk).exists()


def test_publishing_needs_a_registered_kind_and_one_open_notice_per_subject(world, calls):
    with pytest.raises(LookupError):
        notices.publish_notice(
            world.gd_official,
            world.gd_agency,
            kind="tests.nobody-registered-this",
            title="公示",
            body="正文",
            period_working_days=5,
            jurisdiction="440000",
        )
    notice = publish(world)
    assert notice.subject == f"portal.agency:{world.gd_agency.pk}"
    assert notices.subject_key(world.gd_agency) == notice.subject
    with pytest.raises(ValidationError) as twice:
        publish(world)
    assert twice.value.code == "already_open"
    with pytest.raises(ValidationError) as bad:
        publish(world, subject="tests.thing:5", days=0, jurisdiction="999999")
    assert set(bad.value.error_dict) == {"period_working_days", "jurisdiction"}


@pytest.mark.parametrize(
    "value,ok",
    [
        ("13912345678", True),
        ("+86 139-1234-5678", True),
        ("020-87654321", True),
        ("１３９１２３４５６７８", True),
        ("someone@example.org", True),
        ("12345", False),
        ("not a contact", False),
        ("someone@", False),
    ],
)
def test_the_contact_is_a_phone_number_or_an_e_mail_address(value, ok):
    if ok:
        assert notices.validate_contact(value)
    else:
        with pytest.raises(ValidationError):
            notices.validate_contact(value)


# --- Privacy: tracking, the agency's view, evidence, the audit trail --------------------------


def test_the_tracking_code_is_random_unambiguous_and_unique(world, calls):
    notice = publish(world)
    codes = {file(notice).tracking_code for _ in range(5)}
    assert len(codes) == 5
    for code in codes:
        assert re.fullmatch(r"[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{16}", code)


def test_the_tracking_page_shows_the_decision_and_no_personal_data(client, world, calls):
    notice = publish(world)
    objection = file(notice)
    url = reverse("notices:track")
    code = notices.format_tracking_code(objection.tracking_code).lower()  # forgiving input
    page = client.post(url, {"code": code}).content.decode()
    assert notice.title in page
    assert "待处理" in page
    with clock.frozen(FRIDAY):
        notices.dismiss_objection(world.gd_official, objection, reason="经核查，场地符合条件。")
    page = client.post(url, {"code": code}).content.decode()
    assert "经核查，场地符合条件。" in page
    for secret in (NAME, CONTACT, CONTENT, world.gd_official.display_name):
        assert secret not in page
    missing = client.post(url, {"code": "ABCD-EFGH-JKMN-PQRS"}).content.decode()
    assert "经核查" not in missing and notice.title not in missing
    assert client.post(url, {"code": "nonsense"}).status_code == 200


def test_the_agency_sees_the_substance_of_objections_but_never_the_identity(client, world, calls):
    notice = publish(world)
    file(notice, evidence=pdf())
    objection = notice.objections.get()
    with clock.frozen(FRIDAY):
        notices.dismiss_objection(world.gd_official, objection, reason="材料齐全，不予支持。")
    client.force_login(world.members["examiner"])
    page = client.get(reverse("notices:agency", args=[world.gd_agency.pk])).content.decode()
    assert CONTENT in page and "材料齐全，不予支持。" in page and notice.title in page
    assert NAME not in page and CONTACT not in page
    assert reverse("portal:document_download", args=[objection.evidence_id]) not in page
    substance = notices.notices_for_agency(world.members["admin"], world.gd_agency)[0][1][0]
    assert not {"objector_name", "objector_contact", "evidence"} & set(vars(substance))


def test_the_official_sees_identity_contact_and_evidence(client, world, calls):
    notice = publish(world)
    objection = file(notice, evidence=pdf())
    client.force_login(world.gd_official)
    page = client.get(reverse("notices:manage_detail", args=[notice.pk])).content.decode()
    assert NAME in page and CONTACT in page and CONTENT in page
    download = reverse("portal:document_download", args=[objection.evidence_id])
    assert download in page
    assert client.get(download).status_code == 200


def test_evidence_is_private_to_the_notice_authority(client, world, calls):
    notice = publish(world)
    objection = file(notice, evidence=pdf())
    doc = Document.objects.get(pk=objection.evidence_id)
    assert doc.owner_jurisdiction == "440000" and doc.owner_agency is None
    assert not doc.is_public
    assert doc.subject == f"portal.publicnotice:{notice.pk}"
    url = reverse("portal:document_download", args=[doc.pk])
    for who, status in (
        (None, 404),
        (world.members["admin"], 404),
        (world.hlj_official, 404),
        (world.gd_official, 200),
        (world.ministry, 200),
    ):
        client.logout()
        if who is not None:
            client.force_login(who)
        assert client.get(url).status_code == status, who
    with clock.frozen(dt.date(2027, 3, 15)):
        notices.dismiss_objection(world.gd_official, objection, reason="不属实。")
        notices.close_due_notices()
    doc.refresh_from_db()
    assert doc.retain_until == dt.date(2032, 3, 15)  # Art 21: five years from the close


def test_the_audit_trail_records_every_step_and_hides_the_objector_from_the_agency(world, calls):
    notice = publish(world)
    objection = file(notice, evidence=pdf())
    with clock.frozen(dt.date(2027, 3, 15)):
        notices.dismiss_objection(world.gd_official, objection, reason="不属实。")
        notices.close_due_notices()
    entries = {e.action: e for e in AuditEntry.objects.filter(action__startswith="portal.notice.")}
    assert set(entries) == {
        "portal.notice.publish",
        "portal.notice.object",
        "portal.notice.dismiss_objection",
        "portal.notice.close",
    }
    filed = entries["portal.notice.object"]
    assert filed.actor is None and filed.actor_label == "public"
    assert filed.audience == Audience.AUTHORITY
    assert filed.changes["objector_name"] == [None, NAME]
    assert filed.agency_id == world.gd_agency.pk and filed.province == "440000"
    assert entries["portal.notice.dismiss_objection"].actor == world.gd_official
    assert entries["portal.notice.close"].actor_label == "portal.close_due_notices"
    assert entries["portal.notice.close"].changes["outcome"] == ["pending", "stood"]
    for entry in AuditEntry.objects.filter(audience=Audience.AGENCY):
        text = json.dumps([entry.object_repr, entry.changes], ensure_ascii=False)
        assert NAME not in text and CONTACT not in text, entry.action
    assert all(audit.describe(a) != a for a in entries)
    assert audit.verify_chains()[1] == []


def test_upholding_writes_one_entry_for_all_moot_objections(world, calls):
    notice = publish(world)
    kept = file(notice)
    moot = [file(notice), file(notice)]
    with clock.frozen(FRIDAY):
        notices.uphold_objection(world.ministry, kept, reason="属实。")
    entry = AuditEntry.objects.get(action="portal.notice.moot_objections")
    assert sorted(int(pk) for _t, pk in entry.object_list) == sorted(o.pk for o in moot)
    assert AuditEntry.objects.filter(action="portal.notice.close").get().changes["outcome"] == [
        "pending",
        "overturned",
    ]


# --- Pages ---------------------------------------------------------------------------------------


def test_filing_through_the_page_shows_the_tracking_code_once(client, world, calls):
    notice = publish(world)
    url = reverse("notices:detail", args=[notice.pk])
    with clock.frozen(FRIDAY):
        page = client.get(url).content.decode()
        assert "captcha" not in page
        response = client.post(
            url,
            {"name": NAME, "contact": CONTACT, "content": CONTENT, "evidence": pdf()},
        )
    assert response.status_code == 200
    objection = Objection.objects.get()
    assert objection.evidence is not None
    shown = notices.format_tracking_code(objection.tracking_code)
    assert shown in response.content.decode()
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert objection.tracking_code not in client.get(url).content.decode()


def test_the_objection_form_reports_field_errors(client, world, calls):
    notice = publish(world)
    url = reverse("notices:detail", args=[notice.pk])
    with clock.frozen(FRIDAY):
        response = client.post(
            url,
            {
                "name": "",
                "contact": "abc",
                "content": CONTENT,
                "evidence": SimpleUploadedFile("x.pdf", b"MZ not a pdf"),
            },
        )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"name", "contact", "evidence"}
    assert Objection.objects.count() == 0


def test_the_objection_form_is_rate_limited(client, world, calls, settings):
    settings.RATE_LIMITS = {"public_form.ip": (2, 3600)}
    notice = publish(world)
    url = reverse("notices:detail", args=[notice.pk])
    data = {"name": NAME, "contact": CONTACT, "content": CONTENT}
    with clock.frozen(FRIDAY):
        assert [client.post(url, data).status_code for _ in range(3)] == [200, 200, 429]
        assert client.get(url).status_code == 200  # reading is never limited
    assert Objection.objects.count() == 2


def test_the_tracking_form_is_rate_limited_per_subnet(client, world, settings):
    settings.RATE_LIMITS = {"public_form.subnet": (1, 3600)}
    url = reverse("notices:track")
    first = client.post(url, {"code": "ABCD-EFGH-JKMN-PQRS"}, REMOTE_ADDR="203.0.113.7")
    second = client.post(url, {"code": "ABCD-EFGH-JKMN-PQRS"}, REMOTE_ADDR="203.0.113.99")
    assert (first.status_code, second.status_code) == (200, 429)
    assert second["Retry-After"]


def test_the_objection_form_asks_for_the_captcha(client, world, calls, settings):
    settings.CAPTCHA_ENABLED = True
    notice = publish(world)
    url = reverse("notices:detail", args=[notice.pk])
    data = {"name": NAME, "contact": CONTACT, "content": CONTENT}
    with clock.frozen(FRIDAY):
        page = client.get(url).content.decode()
        assert "<altcha-widget" in page and 'name="captcha"' in page
        refused = client.post(url, data)
        assert "captcha" in refused.context["form"].errors
        assert Objection.objects.count() == 0
        solved = client.post(url, {**data, "captcha": solve_page(page)})
    assert solved.status_code == 200
    objection = Objection.objects.get()
    assert notices.format_tracking_code(objection.tracking_code) in solved.content.decode()


def test_the_public_list_shows_announcements_first_then_open_notices_newest_first(
    client, world, calls, announcements
):
    """Announcements (calls) head page 1 of the unfiltered list; the notices below page in
    the database, newest first (decision 0039)."""
    older = publish(world, on=dt.date(2027, 3, 1), subject="tests.thing:10")
    newer = publish(world, on=dt.date(2027, 3, 3), subject="tests.thing:11")
    done = publish(world, on=dt.date(2027, 2, 1), subject="tests.thing:12")
    with clock.frozen(dt.date(2027, 2, 20)):
        notices.close_due_notices()
    announcements.append(
        notices.Announcement(
            "2027年评价机构征集公告", "/calls/1/", dt.date(2027, 3, 2), "征集公告", None
        )
    )
    announcements.append(
        notices.Announcement(
            "已截止的征集公告", "/calls/0/", dt.date(2027, 1, 5), "征集公告", dt.date(2027, 1, 30)
        )
    )
    with clock.frozen(dt.date(2027, 3, 4)):
        page = client.get(reverse("notices:list")).content.decode()
        ended = client.get(reverse("notices:list") + "?show=closed").content.decode()
    positions = [page.index(t) for t in ("2027年评价机构征集公告", newer.title, older.title)]
    assert positions == sorted(positions)
    assert f'href="{reverse("notices:detail", args=[newer.pk])}"' in page
    assert "已截止的征集公告" not in page
    assert f'href="{reverse("notices:detail", args=[done.pk])}"' not in page
    assert f'href="{reverse("notices:detail", args=[done.pk])}"' in ended
    assert "已截止的征集公告" in ended
    detail = client.get(reverse("notices:detail", args=[done.pk])).content.decode()
    assert done.title in detail and 'name="content"' not in detail


def test_the_public_list_is_paginated(client, world, calls):
    for i in range(25):
        publish(world, subject=f"tests.page:{i}")
    with clock.frozen(FRIDAY):
        first = client.get(reverse("notices:list"))
        second = client.get(reverse("notices:list") + "?page=2")
    assert len(first.context["page"].object_list) == 20
    assert len(second.context["page"].object_list) == 5


def test_the_public_menu_links_the_notices_page():
    entry = next(e for e in navigation.entries(navigation.PUBLIC) if e.key == "notices")
    assert entry.url_name == "notices:list"
    with translation.override("en"):
        assert str(entry.label) == "Notices and announcements"


def test_officials_list_their_notices_with_pending_counts_and_decide(client, world, calls):
    gd = publish(world)
    hlj = publish(world, jurisdiction="230000", agency="hlj")
    file(gd)
    objection = file(gd)
    file(hlj)
    client.force_login(world.gd_official)
    with clock.frozen(FRIDAY):
        listing = client.get(reverse("notices:manage"))  # opens on the pending objections
        bad = client.get(reverse("notices:manage"), {"show": "x"}).content.decode()
    assert "部分筛选条件的取值无法识别，已忽略：显示。" in bad
    rows = {n.pk: n for n in listing.context["page"]}
    assert set(rows) == {gd.pk}
    assert rows[gd.pk].pending_count == 2
    assert "已等待" in listing.content.decode() or "今天送达" in listing.content.decode()
    dashboard = client.get(reverse("portal:dashboard"))
    panel = next(p for p in dashboard.context["panels"] if p.count == 2)
    assert reverse("notices:manage") in [link.url for link in panel.links]
    url = reverse("notices:manage_detail", args=[gd.pk])
    with clock.frozen(FRIDAY):
        bad = client.post(url, {"objection": objection.pk, f"o{objection.pk}-decision": "dismiss"})
        assert bad.status_code == 200
        response = client.post(
            url,
            {
                "objection": objection.pk,
                f"o{objection.pk}-decision": "dismiss",
                f"o{objection.pk}-reason": "不属实。",
            },
        )
    assert response.status_code == 302
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.DISMISSED
    assert objection.decided_by == world.gd_official
    with clock.frozen(FRIDAY):
        again = client.post(
            url,
            {
                "objection": objection.pk,
                f"o{objection.pk}-decision": "uphold",
                f"o{objection.pk}-reason": "属实。",
            },
        )
    assert again.status_code == 302
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.DISMISSED
    client.force_login(world.hlj_official)
    assert client.get(url).status_code == 404


def test_upholding_through_the_page_overturns_the_notice(client, world, calls):
    notice = publish(world)
    objection = file(notice)
    client.force_login(world.gd_official)
    url = reverse("notices:manage_detail", args=[notice.pk])
    data = {
        "objection": objection.pk,
        f"o{objection.pk}-decision": "uphold",
        f"o{objection.pk}-reason": "经现场核查属实。",
    }
    with clock.frozen(FRIDAY):
        # Upholding is confirmed on a page that restates it; nothing changes before.
        body = client.post(url, data).content.decode()
        assert "确认认定异议成立" in body and "经现场核查属实。" in body
        notice.refresh_from_db()
        assert notice.status == NoticeStatus.OPEN and calls.overturned == []
        response = client.post(url, {**data, "confirmed": "1"})
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.outcome == NoticeOutcome.OVERTURNED
    assert calls.overturned == [(notice.pk, objection.pk)]
