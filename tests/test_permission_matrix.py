"""The permission matrix (pretix's test_permissions.py is the model).

A hand-written table of the expected answer of every URL pattern to every actor.
It is never derived from the access declarations it checks: when a rule changes,
this table must be changed by hand. A URL pattern without a row fails the test.
An object of another agency or province answers 404, not 403.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from catalog import services
from catalog.models import Method, Occupation
from portal import documents, notices
from portal.models import CalendarDay

ACTORS = (
    "anon", "nobody", "ministry", "gd_off", "hlj_off", "osta_n", "osta_gd", "exp_asg",
    "exp_oth", "insp", "gd_admin", "gd_staff", "gd_exam", "gd_sup", "hlj_admin",
)  # fmt: skip

# URL name -> (how to build its arguments, expected status per actor in ACTORS order)
# fmt: off
MATRIX: dict[str, tuple[str, tuple[int, ...]]] = {
    #                                   anon nob  min  gd   hlj  on   ogd  ea   eo   ins  gA   gS   gE   gQ   hA
    "portal:home":                     ("", (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "portal:privacy":                  ("", (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "portal:healthz":                  ("", (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "portal:set_language":             ("", (302, 302, 302, 302, 302, 302, 302, 302, 302, 302, 302, 302, 302, 302, 302)),
    "portal:login":                    ("", (200, 302, 302, 302, 302, 302, 302, 302, 302, 302, 302, 302, 302, 302, 302)),
    "portal:logout":                   ("", (405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405)),
    "portal:password_change":          ("", (302, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "portal:password_reset":           ("", (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "portal:password_reset_done":      ("", (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "portal:password_reset_confirm":   ("reset", (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "portal:password_reset_complete":  ("", (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "portal:dashboard":                ("", (302, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "portal:agency_home":              ("gd_agency", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 200, 200, 200, 404)),
    "portal:agency_audit":             ("gd_agency", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 403, 403, 403, 404)),
    "portal:audit":                    ("", (302, 403, 200, 200, 200, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403)),
    "portal:document_download":        ("gd_doc", (404, 404, 200, 200, 404, 200, 200, 200, 404, 404, 200, 200, 200, 200, 404)),
    "portal:calendar":                 ("", (302, 403, 200, 200, 200, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403)),
    "portal:calendar_remove":          ("day", (302, 403, 405, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403)),
    # Authority accounts (officials of the jurisdiction) and two-factor sign-in (everyone).
    "accounts:list":                   ("", (302, 403, 200, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403)),
    "accounts:create":                 ("", (302, 403, 200, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403)),
    "accounts:detail":                 ("gd_account", (302, 403, 200, 200, 404, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403)),
    "accounts:edit":                   ("gd_account", (302, 403, 200, 200, 404, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403)),
    "accounts:deactivate":             ("gd_account", (302, 403, 200, 200, 404, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403)),
    "accounts:reactivate":             ("gd_account", (302, 403, 200, 200, 404, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403)),
    "accounts:reset_password":         ("gd_account", (302, 403, 200, 200, 404, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403)),
    "accounts:reset_2fa":              ("gd_account", (302, 403, 200, 200, 404, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403)),
    "accounts:two_factor":             ("", (302, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "accounts:verify":                 ("", (302, 302, 302, 302, 302, 302, 302, 302, 302, 302, 302, 302, 302, 302, 302)),
    # Catalog: public pages; the filing queue of the national centre and ministry; agency specs.
    "catalog:occupations":             ("", (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "catalog:occupation":              ("occupation", (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "catalog:standards":               ("", (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "catalog:standard":                ("standard", (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "catalog:specs":                   ("", (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "catalog:spec_public":             ("filed_spec", (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "catalog:spec_queue":              ("", (302, 403, 200, 403, 403, 200, 403, 403, 403, 403, 403, 403, 403, 403, 403)),
    "catalog:spec_review":             ("draft_spec", (302, 403, 200, 403, 403, 200, 403, 403, 403, 403, 403, 403, 403, 403, 403)),
    "catalog:agency_specs":            ("gd_agency", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 200, 403, 403, 404)),
    "catalog:agency_spec_new":         ("gd_agency", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 200, 403, 403, 404)),
    "catalog:agency_spec":             ("gd_spec", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 200, 403, 403, 404)),
    "catalog:agency_spec_edit":        ("gd_spec", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 200, 403, 403, 404)),
    # Public notices: public pages; officials of the notice's jurisdiction; the agency concerned.
    "notices:list":                    ("", (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "notices:detail":                  ("gd_notice", (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "notices:track":                   ("", (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "notices:manage":                  ("", (302, 403, 200, 200, 200, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403)),
    "notices:manage_detail":           ("gd_notice", (302, 403, 200, 200, 404, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403)),
    "notices:agency":                  ("gd_agency", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 200, 200, 200, 404)),
    # The catalogue keepers' pages (national testing centre and ministry, Art 8).
    "catalog:manage_occupations":      ("", (302, 403, 200, 403, 403, 200, 403, 403, 403, 403, 403, 403, 403, 403, 403)),
    "catalog:manage_occupation_new":   ("", (302, 403, 200, 403, 403, 200, 403, 403, 403, 403, 403, 403, 403, 403, 403)),
    "catalog:manage_import":           ("", (302, 403, 200, 403, 403, 200, 403, 403, 403, 403, 403, 403, 403, 403, 403)),
    "catalog:manage_occupation":       ("occupation", (302, 403, 200, 403, 403, 200, 403, 403, 403, 403, 403, 403, 403, 403, 403)),
    "catalog:manage_occupation_edit":  ("occupation", (302, 403, 200, 403, 403, 200, 403, 403, 403, 403, 403, 403, 403, 403, 403)),
    "catalog:manage_standards":        ("", (302, 403, 200, 403, 403, 200, 403, 403, 403, 403, 403, 403, 403, 403, 403)),
    "catalog:manage_standard_new":     ("", (302, 403, 200, 403, 403, 200, 403, 403, 403, 403, 403, 403, 403, 403, 403)),
    "catalog:manage_standard_edit":    ("standard", (302, 403, 200, 403, 403, 200, 403, 403, 403, 403, 403, 403, 403, 403, 403)),
    "catalog:manage_standard_document":("standard", (302, 403, 200, 403, 403, 200, 403, 403, 403, 403, 403, 403, 403, 403, 403)),
    # Agencies: calls (the call's authority), vetting (officials of the call's jurisdiction; the
    # testing centre reads), the expert's own assignment, site serials (provincial officials).
    "agencies:manage_calls":           ("", (302, 403, 200, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403)),
    "agencies:manage_call_new":        ("", (302, 403, 200, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403)),
    "agencies:manage_call":            ("gd_draft_call", (302, 404, 404, 200, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404)),
    "agencies:manage_call_edit":       ("gd_draft_call", (302, 404, 404, 200, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404)),
    "agencies:vetting":                ("", (302, 403, 200, 200, 200, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403)),
    "agencies:vetting_detail":         ("gd_application", (302, 404, 200, 200, 404, 200, 200, 404, 404, 404, 404, 404, 404, 404, 404)),
    "agencies:expert_assignments":     ("", (302, 403, 403, 403, 403, 403, 403, 200, 200, 403, 403, 403, 403, 403, 403)),
    "agencies:expert_assignment":      ("gd_assignment", (302, 404, 404, 404, 404, 404, 404, 200, 404, 404, 404, 404, 404, 404, 404)),
    "agencies:site_serials":           ("", (302, 403, 403, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403)),
    # Agencies, applicant side: public calls, registration and directory; the agency's own
    # applications (its administrator changes them, its staff reads them).
    "agencies:calls":                  ("", (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "agencies:call":                   ("gd_open_call", (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "agencies:register":               ("", (200, 302, 302, 302, 302, 302, 302, 302, 302, 302, 302, 302, 302, 302, 302)),
    "agencies:directory":              ("", (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "agencies:directory_entry":        ("gd_agency", (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "agencies:applications":           ("gd_agency", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 200, 403, 403, 404)),
    "agencies:application_start":      ("gd_agency", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 405, 403, 403, 403, 404)),
    "agencies:application":            ("gd_own_draft", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 200, 403, 403, 404)),
    "agencies:application_edit":       ("gd_own_draft", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 403, 403, 403, 404)),
    "agencies:application_submit":     ("gd_own_draft", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 403, 403, 403, 404)),
    "agencies:application_withdraw":   ("gd_own_draft", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 405, 403, 403, 403, 404)),
    "agencies:application_sign":       ("gd_own_approved", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 403, 403, 403, 404)),
    # Officials' supervision of listed agencies (ministry and provincial officials; the object
    # pages 404 outside the jurisdiction) and the public list of removed agencies.
    "agencies:listed_agencies":        ("", (302, 403, 200, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403)),
    "agencies:listed_agency":          ("gd_agency", (302, 403, 200, 200, 404, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403)),
    "agencies:change_requests":        ("", (302, 403, 200, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403)),
    "agencies:change_request":         ("officials_change", (302, 403, 200, 200, 404, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403)),
    "agencies:removed_agencies":       ("", (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    # Agencies, running a listed agency: members (the admin manages, staff read), published
    # rules and fees (the admin publishes, every member reads), change requests (the admin).
    "agencies:staff":                  ("gd_agency", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 200, 403, 403, 404)),
    "agencies:staff_add":              ("gd_agency", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 403, 403, 403, 404)),
    "agencies:staff_role":             ("gd_membership", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 405, 403, 403, 403, 404)),
    "agencies:staff_remove":           ("gd_membership", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 403, 403, 403, 404)),
    "agencies:rules":                  ("gd_agency", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 200, 200, 200, 404)),
    "agencies:rules_publish":          ("gd_agency", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 405, 403, 403, 403, 404)),
    "agencies:changes":                ("gd_agency", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 403, 403, 403, 404)),
    "agencies:change":                 ("gd_own_change", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 403, 403, 403, 404)),
    "agencies:change_withdraw":        ("gd_own_change", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 405, 403, 403, 403, 404)),
    "agencies:change_details":         ("gd_agency", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 403, 403, 403, 404)),
    "agencies:change_scope":           ("gd_agency", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 403, 403, 403, 404)),
    "agencies:change_serve_others":    ("gd_agency", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 403, 403, 403, 404)),
    "agencies:change_renewal":         ("gd_agency", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 403, 403, 403, 404)),
}
# fmt: on


def all_url_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns, prefix: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = f"{prefix}{p.namespace}:" if p.namespace else prefix
                walk(p.url_patterns, ns)
            elif isinstance(p, URLPattern):
                assert p.name, f"unnamed URL pattern {p.pattern}"
                names.add(prefix + p.name)

    walk(get_resolver().url_patterns, "")
    return names


def test_every_url_pattern_has_a_row():
    missing = sorted(all_url_names() - set(MATRIX))
    assert missing == [], f"add rows to MATRIX for: {missing}"
    assert sorted(set(MATRIX) - all_url_names()) == []


def test_every_url_pattern_declares_its_access_policy():
    undeclared = []

    def walk(patterns, prefix: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, f"{prefix}{p.namespace}:" if p.namespace else prefix)
            elif not hasattr(p.callback, "access_policy"):
                undeclared.append(prefix + p.name)

    walk(get_resolver().url_patterns, "")
    assert undeclared == []


@pytest.fixture
def actors(world):
    return {
        "anon": None,
        "nobody": world.nobody,
        "ministry": world.ministry,
        "gd_off": world.gd_official,
        "hlj_off": world.hlj_official,
        "osta_n": world.osta_national,
        "osta_gd": world.osta_gd,
        "exp_asg": world.expert,
        "exp_oth": world.expert2,
        "insp": world.inspector,
        "gd_admin": world.members["admin"],
        "gd_staff": world.members["staff"],
        "gd_exam": world.members["examiner"],
        "gd_sup": world.members["quality_supervisor"],
        "hlj_admin": world.hlj_admin,
    }


@pytest.fixture
def objects(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    doc = documents.store_document(
        world.members["admin"],
        SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n"),
        title="证据",
        kind="evidence",
        owner_agency=world.gd_agency,
    )
    documents.share_with(world.gd_official, doc, world.expert)
    day = CalendarDay.objects.create(date="2027-05-01", kind="holiday", name="劳动节")
    occupation = Occupation.objects.get(code="4-13-01-05")
    levels = [services.LevelInput("5", [services.MethodInput(Method.THEORY)])]
    standard = services.create_standard(
        world.osta_national,
        Occupation.objects.get(code="6-31-01-03"),
        title="电工标准",
        edition_year=2018,
        effective_from=dt.date(2018, 1, 1),
        levels=levels,
    )
    draft = services.create_spec(
        world.members["admin"],
        world.gd_agency,
        occupation=occupation,
        title="草稿规范",
        levels=levels,
    )
    filed = services.create_spec(
        world.hlj_admin, world.hlj_agency, occupation=occupation, title="已备案规范", levels=levels
    )
    services.submit_spec(world.hlj_admin, filed)
    services.file_spec(world.osta_national, filed)
    notices.register_kind(
        "tests.matrix",
        label="矩阵测试",
        on_stood=lambda notice: None,
        on_overturned=lambda notice, objection: None,
    )
    notice = notices.publish_notice(
        world.gd_official,
        world.gd_agency,
        kind="tests.matrix",
        title="矩阵测试公示",
        body="正文",
        period_working_days=5,
        jurisdiction="440000",
        agency=world.gd_agency,
    )
    # An application to a 广东 call under expert review, world.expert among its three experts.
    from agencies import services as agencies_services
    from tests.agencies.builders import more_experts, submitted_application, under_review

    application = submitted_application(world, levels=("5",))
    under_review(world, application, [world.expert, *more_experts(2)])
    draft_call = agencies_services.create_call(
        world.gd_official,
        jurisdiction="440000",
        title="草稿公告",
        body="正文",
        opens_on=dt.date.today(),
        deadline=dt.date.today() + dt.timedelta(days=30),
    )
    # The applicant side: gd_agency's draft to an open 广东 call, an approved application to
    # another (status set directly: vetting is not the subject here), and its directory entry.
    from agencies.models import AgencyApplication, DirectoryEntry
    from tests.agencies.builders import gd_call

    open_call = gd_call(world, title="矩阵测试征集公告")
    own_draft = agencies_services.start_application(
        world.members["admin"], world.gd_agency, open_call
    )
    own_approved = agencies_services.start_application(
        world.members["admin"], world.gd_agency, gd_call(world, title="矩阵测试征集公告二")
    )
    AgencyApplication.objects.filter(pk=own_approved.pk).update(status="approved")
    DirectoryEntry.objects.create(
        agency=world.gd_agency,
        application=own_approved,
        filing_jurisdiction="440000",
        valid_from=dt.date(2026, 1, 1),
        valid_until=dt.date(2029, 1, 1),
        commitment=doc,
        commitment_signed_by=world.members["admin"],
        commitment_signed_at="2026-01-01T00:00Z",
        listed_at="2026-01-01T00:00Z",
    )
    # A pending change request of gd_agency (filed with 广东), for the officials' pages.
    from agencies.models import ChangeRequest
    from portal import clock

    officials_change = ChangeRequest.objects.create(
        agency=world.gd_agency,
        kind="details",
        payload={"contact_phone": "020-1"},
        before={"contact_phone": ""},
        requested_by=world.members["admin"],
        requested_at=clock.now(),
    )
    return {
        "": [],
        "gd_agency": [world.gd_agency.pk],
        "gd_doc": [doc.pk],
        "day": [day.pk],
        "reset": ["MQ", "set-password"],
        "occupation": ["6-31-01-03"],
        "standard": [standard.pk],
        "filed_spec": [filed.pk],
        "draft_spec": [draft.pk],
        "gd_spec": [world.gd_agency.pk, draft.pk],
        "gd_account": [world.expert2.pk],
        "gd_notice": [notice.pk],
        "gd_draft_call": [draft_call.pk],
        "gd_application": [application.pk],
        "gd_assignment": [application.expert_assignments.get(expert=world.expert).pk],
        "gd_open_call": [open_call.pk],
        "gd_own_draft": [world.gd_agency.pk, own_draft.pk],
        "gd_own_approved": [world.gd_agency.pk, own_approved.pk],
        "gd_membership": [
            world.gd_agency.pk,
            world.members["examiner"].memberships.get(agency=world.gd_agency).pk,
        ],
        "gd_own_change": [world.gd_agency.pk, officials_change.pk],
        "officials_change": [officials_change.pk],
    }


@pytest.mark.parametrize("url_name", sorted(MATRIX))
@pytest.mark.django_db
def test_the_matrix(client, actors, objects, url_name):
    args_key, expected = MATRIX[url_name]
    assert len(expected) == len(ACTORS)
    url = reverse(url_name, args=objects[args_key])
    got = {}
    for actor, _status in zip(ACTORS, expected, strict=True):
        client.logout()
        if actors[actor] is not None:
            client.force_login(actors[actor])
        got[actor] = client.get(url).status_code
    assert got == dict(zip(ACTORS, expected, strict=True))
