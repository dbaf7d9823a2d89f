"""The permission matrix (pretix's test_permissions.py is the model).

Hand-written tables of the expected answer of every URL pattern to every actor: MATRIX for
GET, POSTS for every POST action (each action of a multi-action view is a row of its own).
They are never derived from the access declarations they check: when a rule changes, these
tables must be changed by hand. A URL pattern without a GET row, or that is neither in POSTS
nor in GET_ONLY, fails the test. An object of another agency or province answers 404, not 403.

A POST cell is what the actor's POST must answer and whether it may change the database:
``L`` the sign-in page (anonymous visitors), ``403``/``404``/``405``/``302``/``200`` that
status with nothing written, ``302+``/``200+`` that status having written (a refusal that
writes, or an allowed POST that writes nothing, fails). "Written" is any row inserted,
updated or deleted in any table but the sessions (pg_stat_xact_user_tables), so a forbidden
POST that changes nothing changes nothing anywhere. Each actor's POST runs in a savepoint
that is rolled back, so every actor meets the same objects, which are built once per module;
a data function may first put a row in the state its POST needs (inside that savepoint). A
row named "url (label)" is a second POST of the same view told apart by its data only.
Each actor has one signed-in session for the module; a request only picks its cookie.
"""

from __future__ import annotations

import datetime as dt
from http.cookies import SimpleCookie
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from agencies import services as agencies_services
from agencies.models import (
    AffiliatedEmployer,
    AgencyApplication,
    ApplicationStatus,
    ChangeRequest,
    ChangeStatus,
    DirectoryEntry,
    ExpertAssignment,
    UsccCheck,
)
from assessments import services as assessments_services
from assessments.models import Examiner
from assessments.services import candidates as candidate_services
from assessments.services import imports as roster
from assessments.services import results as results_services
from catalog import services
from catalog.models import LevelRequirement, Method, MethodRequirement, Occupation
from portal import clock, documents, notices
from portal.accounts import twofactor
from portal.audit import checkpoints
from portal.models import AgencySite, CalendarDay
from tests.agencies.builders import (
    call_data,
    edit_data,
    fill,
    gd_call,
    list_agency,
    more_experts,
    submitted_application,
    under_review,
)
from tests.agencies.builders import uscc as _uscc
from tests.assessments.builders import (
    candidate_id,
    candidate_input,
    conduct_session,
    declared_venue,
    open_session,
    person_input,
    planned_session,
    ready_agency,
    resident_id,
    sat_session,
    sitting,
)
from tests.catalog.builders import level_data, standard_post
from tests.portal.builders import PASSWORD, make_user, world_view

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
    "portal:audit_checkpoints":        ("", (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "portal:audit_checkpoint":         ("checkpoint", (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
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
    # The authorities' names and document-number prefixes (national HRSS officials keep them).
    "portal:authorities":              ("", (302, 403, 200, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403)),
    "portal:authority_edit":           ("gd_authority", (302, 403, 200, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403)),
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
    "agencies:affiliate_queue":        ("", (302, 403, 200, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403)),
    "agencies:affiliate_decision":     ("officials_affiliate", (302, 403, 200, 200, 404, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403)),
    "agencies:removed_agencies":       ("", (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    # Agencies, running a listed agency: members (the admin manages, staff read), published
    # rules and fees (the admin publishes, every member reads), change requests (the admin).
    "agencies:staff":                  ("gd_agency", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 200, 403, 403, 404)),
    "agencies:staff_add":              ("gd_agency", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 403, 403, 403, 404)),
    "agencies:staff_role":             ("gd_membership", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 405, 403, 403, 403, 404)),
    "agencies:staff_remove":           ("gd_membership", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 403, 403, 403, 404)),
    "agencies:rules":                  ("gd_agency", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 200, 200, 200, 404)),
    "agencies:rules_publish":          ("gd_agency", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 405, 403, 403, 403, 404)),
    "agencies:public_contact":         ("gd_agency", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 403, 403, 403, 404)),
    "agencies:changes":                ("gd_agency", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 403, 403, 403, 404)),
    "agencies:change":                 ("gd_own_change", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 403, 403, 403, 404)),
    "agencies:change_withdraw":        ("gd_own_change", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 405, 403, 403, 403, 404)),
    "agencies:change_details":         ("gd_agency", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 403, 403, 403, 404)),
    "agencies:change_scope":           ("gd_agency", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 403, 403, 403, 404)),
    "agencies:change_serve_others":    ("gd_agency", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 403, 403, 403, 404)),
    "agencies:change_renewal":         ("gd_agency", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 403, 403, 403, 404)),
    "agencies:affiliates":             ("gd_agency", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 403, 403, 403, 404)),
    "agencies:affiliate_withdraw":     ("gd_own_affiliate", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 403, 403, 403, 404)),
    # Exam affairs, people: the agency's examiners and supervisors (its admin changes them, staff
    # read), the registry of the jurisdiction (officials; the testing centre suspends), one's own.
    "assessments:people":              ("gd_agency", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 200, 403, 403, 404)),
    "assessments:person_add":          ("gd_kind", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 403, 403, 403, 404)),
    "assessments:person":              ("gd_engagement", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 200, 403, 403, 404)),
    "assessments:person_edit":         ("gd_engagement", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 403, 403, 403, 404)),
    "assessments:training_add":        ("gd_engagement", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 403, 403, 403, 404)),
    "assessments:person_retire":       ("gd_engagement", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 405, 403, 403, 403, 404)),
    "assessments:registry":            ("", (302, 403, 200, 200, 200, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403)),
    "assessments:registry_person":     ("gd_record", (302, 404, 200, 200, 404, 200, 200, 404, 404, 404, 404, 404, 404, 404, 404)),
    "assessments:registry_suspend":    ("gd_record", (405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405)),
    "assessments:registry_reinstate":  ("gd_record", (405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405)),
    "assessments:my_qualifications":   ("", (302, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    # Venues (Art 12, 19): the agency's admin and staff manage them; officials of the site's
    # province (national: all) read and verify them; another province's official gets 404.
    "assessments:venues":              ("gd_agency", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 200, 403, 403, 404)),
    "assessments:venue_new":           ("gd_agency", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 200, 403, 403, 404)),
    "assessments:venue":               ("gd_venue", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 200, 403, 403, 404)),
    "assessments:venue_edit":          ("gd_venue", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 200, 403, 403, 404)),
    "assessments:venue_queue":         ("", (302, 403, 200, 200, 200, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403)),
    "assessments:venue_review":        ("waiting_venue", (302, 403, 200, 200, 404, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403)),
    # Candidates (Art 16, 18): the agency's admin and staff enrol, import, withdraw, export.
    "assessments:candidates":          ("gd_cand_session", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 200, 403, 403, 404)),
    "assessments:candidate_new":       ("gd_cand_session", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 200, 403, 403, 404)),
    "assessments:candidate_withdraw":  ("gd_enrolment", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 200, 403, 403, 404)),
    "assessments:candidate_education": ("gd_edu_enrolment", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 200, 403, 403, 404)),
    "assessments:candidates_export":   ("gd_cand_session", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 200, 403, 403, 404)),
    "assessments:roster_template":     ("gd_cand_session", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 200, 403, 403, 404)),
    "assessments:roster_new":          ("gd_cand_session", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 200, 403, 403, 404)),
    "assessments:roster":              ("gd_batch", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 200, 403, 403, 404)),
    "assessments:roster_errors":       ("gd_batch", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 200, 403, 403, 404)),
    "assessments:roster_apply":        ("gd_batch", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 405, 405, 403, 403, 404)),
    "assessments:plan_candidates":     ("cand_session", (302, 403, 200, 200, 404, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403)),
    # Sessions (Art 17, 18): the agency's admin and staff plan and file; officials of the site's
    # province (national: all) read filed plans, ask and stop; everyone searches /sessions/.
    "assessments:sessions":            ("gd_agency", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 200, 403, 403, 404)),
    "assessments:session_new":         ("gd_agency", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 200, 403, 403, 404)),
    "assessments:session":             ("gd_session", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 200, 403, 403, 404)),
    "assessments:plans":               ("", (302, 403, 200, 200, 200, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403)),
    "assessments:plan":                ("gd_plan", (302, 403, 200, 200, 404, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403)),
    "assessments:public_sessions":     ("", (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "assessments:public_session":      ("gd_plan", (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    # Certificates (Art 20): the agency's admin and staff issue and read theirs; officials and
    # testing-centre staff read those of their jurisdiction; the certificate's page is public.
    "certificates:agency_certificates": ("gd_agency", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 200, 403, 403, 404)),
    "certificates:issue":              ("gd_agency", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 200, 403, 403, 404)),
    "certificates:agency_certificate": ("gd_cert", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 200, 403, 403, 404)),
    "certificates:batch":              ("gd_cert_batch", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 200, 403, 403, 404)),
    "certificates:batch_progress":     ("gd_cert_batch", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 200, 403, 403, 404)),
    "certificates:registry":           ("", (302, 403, 200, 200, 200, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403)),
    "certificates:public":             ("cert_token", (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "certificates:public_json":        ("cert_token", (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "certificates:public_photo":       ("cert_token", (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "certificates:status_list":        ("cert_status_list", (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    # Certificate PDFs ("being generated" until the task ran) and the seal (decision 0043).
    "certificates:certificate_pdf":    ("gd_cert", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 200, 403, 403, 404)),
    "certificates:print_sessions":     ("gd_agency", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 200, 403, 403, 404)),
    "certificates:session_pdf":        ("gd_cert_session", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 200, 403, 403, 404)),
    "certificates:seal":               ("gd_agency", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 200, 403, 403, 404)),
    "certificates:public_signed":      ("cert_token_sig", (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "certificates:legacy_imports":     ("", (302, 403, 403, 403, 403, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403)),
    "certificates:legacy_template":    ("", (302, 403, 403, 403, 403, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403)),
    "certificates:legacy_import":      ("legacy_import", (302, 403, 403, 403, 403, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403)),
    "certificates:legacy_apply":       ("legacy_import", (302, 403, 403, 403, 403, 405, 405, 403, 403, 403, 403, 403, 403, 403, 403)),
    # The public lookup and the holder's download links (Art 22; decision 0047).
    "certificates:lookup":             ("", (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "certificates:lookup_pdf":         ("cert_download", (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "certificates:lookup_vc":          ("cert_download", (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    # The root of the PDF signing CA (issue 16), published for anyone verifying a certificate PDF.
    "certificates:pdf_ca":             ("", (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    # The sitting (Art 18, 19): the agency's admin and staff allocate seats, print tickets and
    # decide incidents; the people assigned (gd_exam invigilates, gd_sup supervises) check in
    # and record incidents, anyone else 404; the report is read by the agency and officials of
    # the site's province; workers download their own tickets.
    "assessments:sittings":            ("gd_sit_session", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 200, 403, 403, 404)),
    "assessments:tickets_pdf":         ("gd_sit_session", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 200, 403, 403, 404)),
    "assessments:ticket_pdf":          ("gd_sit_ticket", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 200, 403, 403, 404)),
    "assessments:incident":            ("gd_sit_incident", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 200, 403, 403, 404)),
    "assessments:checkin":             ("sit_sitting", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 200, 200, 200, 404)),
    "assessments:checkin_ticket":      ("sit_ticket_code", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 200, 200, 200, 404)),
    "assessments:checkin_scan":        ("sit_code", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 200, 200, 200, 404)),
    "assessments:incident_new":        ("sit_sitting", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 200, 200, 200, 404)),
    "assessments:supervisor_report":   ("sit_session", (302, 404, 200, 200, 404, 200, 200, 404, 404, 404, 200, 200, 200, 200, 404)),
    "assessments:ticket_lookup":       ("", (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "assessments:ticket_download":     ("sit_token", (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    # Assignment (Art 19): the agency's admin and staff staff a session; officials of the site's
    # province read it; the assigned person (gd_exam) sees and declares their own assignment.
    "assessments:assignments":         ("gd_conduct", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 200, 403, 403, 404)),
    "assessments:assignment_remove":   ("gd_conduct_assignment", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 200, 403, 403, 404)),
    "assessments:plan_assignments":    ("conduct", (302, 403, 200, 200, 404, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403)),
    "assessments:my_assignments":      ("", (302, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "assessments:declare":             ("conduct_assignment", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 404, 404)),
    # Statistics and archive (Art 18, 21): the agency's admin and staff; officials and the
    # testing centre of the site's province read (national: all); the officials' report.
    "assessments:session_archive":        ("gd_session", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 200, 403, 403, 404)),
    "assessments:session_archive_export": ("gd_session", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 200, 403, 403, 404)),
    "assessments:session_statistics":     ("gd_session", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 200, 403, 403, 404)),
    "assessments:agency_statistics":      ("gd_agency", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 200, 403, 403, 404)),
    "assessments:plan_archive":           ("gd_plan", (302, 403, 200, 200, 404, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403)),
    "assessments:plan_archive_export":    ("gd_plan", (302, 403, 200, 200, 404, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403)),
    "assessments:plan_statistics":        ("gd_plan", (302, 403, 200, 200, 404, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403)),
    "assessments:statistics":             ("", (302, 403, 200, 200, 200, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403)),
    # Results (Art 20): the agency publishes and answers reviews; officials of the site's
    # province uphold naming candidates; the public reads a notice's rows; workers look up.
    "assessments:results":             ("gd_results", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 200, 403, 403, 404)),
    "assessments:reviews":             ("gd_published", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 200, 403, 403, 404)),
    "assessments:results_notices":     ("", (302, 403, 200, 200, 200, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403)),
    "assessments:results_uphold":      ("results_objection", (302, 403, 200, 200, 404, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403)),
    "assessments:notice_rows":         ("results_notice", (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "assessments:result_lookup":       ("", (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "assessments:review_track":        ("", (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    # Scores and results (Art 18–20): see scores_objects at the end.
    "assessments:scores":              ("sc_session", (302, 404, 200, 200, 404, 200, 200, 404, 404, 404, 200, 200, 200, 200, 404)),
    "assessments:score_results":       ("sc_session", (302, 404, 200, 200, 404, 200, 200, 404, 404, 404, 200, 200, 404, 404, 404)),
    "assessments:score_marks":         ("sc_skill", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 404, 404)),
    "assessments:score_theory":        ("sc_theory", (302, 404, 200, 200, 404, 200, 200, 404, 404, 404, 200, 200, 404, 404, 404)),
    "assessments:score_settle":        ("sc_flagged", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 404, 404)),
    "assessments:score_correct":       ("sc_locked", (302, 404, 403, 403, 404, 403, 403, 404, 404, 404, 200, 200, 404, 404, 404)),
    "assessments:score_correction":    ("sc_correction", (302, 404, 200, 200, 404, 200, 200, 404, 404, 404, 200, 200, 404, 200, 404)),
    # Published certificate keys (decision 0044): the DID document and the JWKS, for anyone.
    "certificates:did_document":       ("", (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "certificates:jwks":               ("", (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "certificates:certificate_credential": ("gd_cert", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 200, 403, 403, 404)),
    # Bulk verification (Art 22; decision 0051): any account applies; the officials of the
    # USCC's province (and the ministry) decide; an organisation's pages are its members' only
    # (none of these actors is one: see VERIFIER_MATRIX at the end); the API is token-only.
    "certificates:verification":             ("", (302, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "certificates:verifier_apply":           ("", (302, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "certificates:verifier_applications":    ("", (302, 403, 200, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403)),
    "certificates:verifier_application":     ("verifier_pending", (302, 403, 200, 200, 404, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403)),
    "certificates:verifier_org":             ("verifier_org", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404)),
    "certificates:verify_template":          ("verifier_org", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404)),
    "certificates:verifier_members":         ("verifier_org", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404)),
    "certificates:verifier_member_remove":   ("verifier_member", (405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405)),
    "certificates:verifier_tokens":          ("verifier_org", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404)),
    "certificates:verifier_token_revoke":    ("verifier_token", (405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405)),
    "certificates:api_verify":               ("", (405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405)),
    "certificates:api_certificate":          ("cert_number", (401, 401, 401, 401, 401, 401, 401, 401, 401, 401, 401, 401, 401, 401, 401)),
    "certificates:api_openapi":              ("", (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "certificates:api_docs":                 ("", (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    # Verifying an uploaded certificate (Art 22, decision 0048): anyone.
    "certificates:verify":             ("", (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    # Revocation, correction, reissue (Art 27; decision 0049): the agency's admin and staff ask,
    # the filing authority (gd, or the ministry) decides, officials of the site's province revoke.
    "certificates:agency_request_new": ("chg_ask", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 200, 403, 403, 404)),
    "certificates:agency_requests":    ("gd_agency", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 200, 403, 403, 404)),
    "certificates:agency_request_withdraw": ("chg_withdraw", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 405, 405, 403, 403, 404)),
    "certificates:request_queue":      ("", (302, 403, 200, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403)),
    "certificates:request_decide":     ("chg_request", (302, 403, 200, 200, 404, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403)),
    "certificates:revoke":             ("chg_cert", (302, 403, 200, 200, 404, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403)),
    # Certificate statistics (decision 0053): officials and testing-centre staff (their
    # jurisdiction's rows); the public page with aggregate counts only, for anyone.
    "certificates:statistics":         ("", (302, 403, 200, 200, 200, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403)),
    "certificates:public_statistics":  ("", (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    # Data submission (Art 21; decision 0052): the agency's batches; the testing centre's pages.
    "certificates:agency_submissions": ("gd_agency", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 200, 403, 403, 404)),
    "certificates:submissions":        ("", (302, 403, 403, 403, 403, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403)),
    "certificates:submissions_late":   ("", (302, 403, 403, 403, 403, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403)),
    "certificates:submission":         ("gd_submission", (302, 403, 403, 403, 403, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403)),
    "certificates:submission_file":    ("gd_submission_file", (302, 403, 403, 403, 403, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403)),
    # External quality supervision (Art 26): experts list their own visits; a visit is its
    # supervisors' (exp_asg) and the jurisdiction's officials'; the agency reads filed reports.
    "supervision:quality_visits":      ("", (302, 403, 403, 403, 403, 403, 403, 200, 200, 403, 403, 403, 403, 403, 403)),
    "supervision:quality_reports":     ("", (302, 403, 200, 200, 200, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403)),
    "supervision:quality_visit":       ("qv_assigned", (302, 404, 200, 200, 404, 200, 200, 200, 404, 404, 404, 404, 404, 404, 404)),
    "supervision:quality_report":      ("qv_assigned", (302, 404, 403, 403, 404, 403, 403, 200, 404, 404, 404, 404, 404, 404, 404)),
    "supervision:agency_quality_reports": ("gd_agency", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 200, 403, 403, 404)),
    "supervision:agency_quality_report":  ("qv_reported", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 200, 403, 403, 404)),
    # Spot-check inspections (Art 25, 27): the drawn inspector acts on the inspection, officials of
    # the plan's jurisdiction read it (and start follow-ups), the agency reads and answers its orders.
    "supervision:inspections":          ("", (302, 403, 200, 200, 200, 403, 403, 403, 403, 200, 403, 403, 403, 403, 403)),
    "supervision:inspection":           ("sv_inspection", (302, 404, 200, 200, 404, 404, 404, 404, 404, 200, 404, 404, 404, 404, 404)),
    "supervision:inspection_record":    ("sv_inspection", (302, 404, 403, 403, 404, 404, 404, 404, 404, 200, 404, 404, 404, 404, 404)),
    "supervision:inspection_finding":   ("sv_inspection", (302, 404, 403, 403, 404, 404, 404, 404, 404, 200, 404, 404, 404, 404, 404)),
    "supervision:inspection_conclude":  ("sv_inspection", (302, 404, 403, 403, 404, 404, 404, 404, 404, 200, 404, 404, 404, 404, 404)),
    "supervision:inspection_order":     ("sv_inspection", (302, 404, 403, 403, 404, 404, 404, 404, 404, 200, 404, 404, 404, 404, 404)),
    "supervision:inspection_follow_up": ("sv_inspection", (302, 404, 200, 200, 404, 404, 404, 404, 404, 403, 404, 404, 404, 404, 404)),
    "supervision:order":                ("sv_order", (302, 404, 200, 200, 404, 404, 404, 404, 404, 200, 404, 404, 404, 404, 404)),
    "supervision:agency_orders":        ("gd_agency", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 200, 403, 403, 404)),
    "supervision:agency_order":         ("sv_agency_order", (302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 200, 403, 403, 404)),
    # Spot-check results (Art 25; decision 0056): the plan's results page for anyone; the tracker
    # for officials (their plans); publishing by officials of the plan's jurisdiction.
    "supervision:public_results":      ("pub_plan", (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "supervision:publication":         ("", (302, 403, 200, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403)),
    "supervision:publication_publish": ("pub_inspection", (302, 403, 200, 200, 404, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403)),
    # Spot-check plans (Art 25, 26; decision 0060): officials of the jurisdiction read them; spot
    # checks are managed by the ministry and the province, quality plans by the testing centre.
    # The public sees sealed and drawn plans (a draft answers 404).
    "supervision:plans":               ("", (302, 403, 200, 200, 200, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403)),
    "supervision:plan_new":            ("", (302, 403, 200, 200, 200, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403)),
    "supervision:plan":                ("pl_draft", (302, 404, 200, 200, 404, 200, 200, 404, 404, 404, 404, 404, 404, 404, 404)),
    "supervision:plan_edit":           ("pl_draft", (302, 404, 200, 200, 404, 403, 403, 404, 404, 404, 404, 404, 404, 404, 404)),
    "supervision:plan_adjust":         ("pl_draft", (302, 404, 405, 405, 404, 403, 403, 404, 404, 404, 404, 404, 404, 404, 404)),
    "supervision:plan_approve":        ("pl_draft", (302, 404, 200, 200, 404, 403, 403, 404, 404, 404, 404, 404, 404, 404, 404)),
    "supervision:plan_draw":           ("pl_sealed", (302, 404, 200, 200, 404, 403, 403, 404, 404, 404, 404, 404, 404, 404, 404)),
    "supervision:plan_close":          ("pl_drawn", (302, 404, 200, 200, 404, 403, 403, 404, 404, 404, 404, 404, 404, 404, 404)),
    "supervision:public_plans":        ("", (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "supervision:public_plan":         ("pl_drawn", (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "supervision:public_snapshot":     ("pl_drawn", (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "supervision:public_verify":       ("pl_drawn", (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    # Supervision, the list and the pools (Art 25, 26): officials keep their own jurisdiction's
    # check items and inspectors (another's: 404), the testing centre its external supervisors.
    "supervision:check_items":           ("", (302, 403, 200, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403)),
    "supervision:check_item_add":        ("", (302, 403, 200, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403)),
    "supervision:check_item_edit":       ("pools_item", (302, 403, 404, 200, 404, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403)),
    "supervision:check_item_retire":     ("pools_item", (302, 403, 405, 405, 405, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403)),
    "supervision:check_item_reinstate":  ("pools_item", (302, 403, 405, 405, 405, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403)),
    "supervision:inspectors":            ("", (302, 403, 200, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403)),
    "supervision:inspector_add":         ("", (302, 403, 200, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403)),
    "supervision:inspector":             ("pools_inspector", (302, 403, 404, 200, 404, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403)),
    "supervision:inspector_edit":        ("pools_inspector", (302, 403, 404, 200, 404, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403)),
    "supervision:inspector_active":      ("pools_inspector", (302, 403, 405, 405, 405, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403)),
    "supervision:inspector_conflict_add":("pools_inspector", (302, 403, 405, 405, 405, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403)),
    "supervision:inspector_conflict_remove":("pools_inspector_tag", (302, 403, 405, 405, 405, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403)),
    "supervision:supervisors":           ("", (302, 403, 403, 403, 403, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403)),
    "supervision:supervisor_add":        ("", (302, 403, 403, 403, 403, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403)),
    "supervision:supervisor":            ("pools_supervisor", (302, 403, 403, 403, 403, 404, 200, 403, 403, 403, 403, 403, 403, 403, 403)),
    "supervision:supervisor_edit":       ("pools_supervisor", (302, 403, 403, 403, 403, 404, 200, 403, 403, 403, 403, 403, 403, 403, 403)),
    "supervision:supervisor_active":     ("pools_supervisor", (302, 403, 403, 403, 403, 405, 405, 403, 403, 403, 403, 403, 403, 403, 403)),
    "supervision:supervisor_conflict_add":("pools_supervisor", (302, 403, 403, 403, 403, 405, 405, 403, 403, 403, 403, 403, 403, 403, 403)),
    "supervision:supervisor_conflict_remove":("pools_supervisor_tag", (302, 403, 403, 403, 403, 405, 405, 403, 403, 403, 403, 403, 403, 403, 403)),
    "supervision:objects":               ("", (302, 403, 200, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403)),
    "supervision:public_check_items":    ("pools_gd", (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
}
# fmt: on


# POST rows: "url name" or "url name action" -> (arguments, data, the answer of each actor)
# fmt: off
POSTS: dict[str, tuple[str, str, str]] = {
    #                                            args                     data                    anon  nob   min   gd    hlj   on    ogd   ea    eo    ins   gA    gS    gE    gQ    hA
    # portal: the shell, sign-in and passwords, the calendar (the ministry keeps it).
    "portal:set_language":                       ("",                      "language",             "302   302   302   302   302   302   302   302   302   302   302   302   302   302   302"),
    "portal:login":                              ("",                      "sign_in",              "302+  302   302   302   302   302   302   302   302   302   302   302   302   302   302"),
    "portal:logout":                             ("",                      "nothing",              "302   302   302   302   302   302   302   302   302   302   302   302   302   302   302"),
    "portal:password_change":                    ("",                      "password_change",      "L     302+  302+  302+  302+  302+  302+  302+  302+  302+  302+  302+  302+  302+  302+"),
    "portal:password_reset":                     ("",                      "reset_email",          "302   302   302   302   302   302   302   302   302   302   302   302   302   302   302"),
    "portal:password_reset_confirm":             ("reset",                 "new_password",         "200   200   200   200   200   200   200   200   200   200   200   200   200   200   200"),
    "portal:calendar":                           ("",                      "calendar_day",         "L     403   302+  200   200   200   200   403   403   403   403   403   403   403   403"),
    "portal:calendar_remove":                    ("day",                   "nothing",              "L     403   302+  403   403   403   403   403   403   403   403   403   403   403   403"),
    "portal:authority_edit":                     ("gd_authority",          "authority",            "L     403   302+  403   403   403   403   403   403   403   403   403   403   403   403"),
    # Authority accounts (officials of the jurisdiction) and everyone's own two-factor sign-in.
    "accounts:create":                           ("",                      "account",              "L     403   200+  200+  200+  403   403   403   403   403   403   403   403   403   403"),
    "accounts:edit":                             ("gd_account",            "account_edit",         "L     403   302+  302+  404   403   403   403   403   403   403   403   403   403   403"),
    "accounts:deactivate":                       ("gd_account",            "nothing",              "L     403   302+  302+  404   403   403   403   403   403   403   403   403   403   403"),
    "accounts:reactivate":                       ("gd_inactive_account",   "nothing",              "L     403   302+  302+  404   403   403   403   403   403   403   403   403   403   403"),
    "accounts:reset_password":                   ("gd_account",            "nothing",              "L     403   200+  200+  404   403   403   403   403   403   403   403   403   403   403"),
    "accounts:reset_2fa":                        ("gd_2fa_account",        "nothing",              "L     403   302+  302+  404   403   403   403   403   403   403   403   403   403   403"),
    "accounts:two_factor":                       ("",                      "totp",                 "L     302+  302+  302+  302+  302+  302+  302+  302+  302+  302+  302+  302+  302+  302+"),
    "accounts:verify":                           ("",                      "wrong_code",           "L     302   302   302   302   302   302   302   302   302   302   302   302   302   302"),
    # Public notices: anyone objects; officials of the notice's jurisdiction decide (and the centre).
    "notices:detail":                            ("gd_notice",             "objection",            "200+  200+  200+  200+  200+  200+  200+  200+  200+  200+  200+  200+  200+  200+  200+"),
    "notices:track":                             ("",                      "tracking",             "200   200   200   200   200   200   200   200   200   200   200   200   200   200   200"),
    "notices:manage_detail":                     ("gd_notice",             "dismiss",              "L     403   302+  302+  404   302+  302+  403   403   403   403   403   403   403   403"),
    # Catalog: an agency's specifications (its admin and staff); the filing queue; the keepers.
    "catalog:agency_spec_new":                   ("gd_agency",             "spec",                 "L     404   404   404   404   404   404   404   404   404   302+  302+  403   403   404"),
    "catalog:agency_spec_edit":                  ("gd_spec",               "spec",                 "L     404   404   404   404   404   404   404   404   404   302+  302+  403   403   404"),
    "catalog:agency_spec submit":                ("gd_spec",               "spec_note",            "L     404   404   404   404   404   404   404   404   404   302+  302+  403   403   404"),
    "catalog:agency_spec withdraw":              ("gd_submitted_spec",     "nothing",              "L     404   404   404   404   404   404   404   404   404   302+  302+  403   403   404"),
    "catalog:spec_review return":                ("submitted_spec",        "reason",               "L     403   302+  403   403   302+  403   403   403   403   403   403   403   403   403"),
    "catalog:spec_review file":                  ("submitted_spec",        "nothing",              "L     403   302+  403   403   302+  403   403   403   403   403   403   403   403   403"),
    "catalog:spec_review refuse":                ("submitted_spec",        "reason",               "L     403   302+  403   403   302+  403   403   403   403   403   403   403   403   403"),
    "catalog:manage_occupation_new":             ("",                      "occupation",           "L     403   302+  403   403   302+  403   403   403   403   403   403   403   403   403"),
    "catalog:manage_occupation_edit":            ("occupation",            "occupation_edit",      "L     403   302+  403   403   302+  403   403   403   403   403   403   403   403   403"),
    "catalog:manage_occupation add_work_type":   ("occupation",            "work_type",            "L     403   302+  403   403   302+  403   403   403   403   403   403   403   403   403"),
    "catalog:manage_occupation work_type_status":("occupation",            "work_type_status",     "L     403   302+  403   403   302+  403   403   403   403   403   403   403   403   403"),
    "catalog:manage_occupation withdraw":        ("occupation",            "withdraw_reason",      "L     403   302+  403   403   302+  403   403   403   403   403   403   403   403   403"),
    "catalog:manage_occupation restore":         ("other_occupation",      "withdrawn_occupation", "L     403   302+  403   403   302+  403   403   403   403   403   403   403   403   403"),
    "catalog:manage_import":                     ("",                      "csv",                  "L     403   200   403   403   200   403   403   403   403   403   403   403   403   403"),
    "catalog:manage_import (apply)":               ("",                      "import_apply",         "L     403   302+  403   403   302+  403   403   403   403   403   403   403   403   403"),
    "catalog:manage_standard_new":               ("media_occupation",      "standard",             "L     403   302+  403   403   302+  403   403   403   403   403   403   403   403   403"),
    "catalog:manage_standard_edit":              ("standard",              "standard",             "L     403   302+  403   403   302+  403   403   403   403   403   403   403   403   403"),
    "catalog:manage_standard_document":          ("standard",              "standard_pdf",         "L     403   302+  403   403   302+  403   403   403   403   403   403   403   403   403"),
    # Agencies, applicant side: registration and the agency's own applications (its admin).
    "agencies:register":                         ("",                      "registration",         "302+  302   302   302   302   302   302   302   302   302   302   302   302   302   302"),
    "agencies:application_start":                ("gd_agency",             "fresh_call",           "L     404   404   404   404   404   404   404   404   404   302+  403   403   403   404"),
    "agencies:application_edit":                 ("gd_own_draft",          "edit",                 "L     404   404   404   404   404   404   404   404   404   302+  403   403   403   404"),
    "agencies:application_submit":               ("gd_own_complete",       "submit",               "L     404   404   404   404   404   404   404   404   404   302+  403   403   403   404"),
    "agencies:application_withdraw":             ("gd_own_draft",          "nothing",              "L     404   404   404   404   404   404   404   404   404   302+  403   403   403   404"),
    "agencies:application_sign":                 ("gd_own_approved",       "unlisted",             "L     404   404   404   404   404   404   404   404   404   302+  403   403   403   404"),
    # Calls and vetting (officials of the call's jurisdiction), the expert's own assignment,
    # site serials, supervision and change requests (the filing authority).
    "agencies:manage_call_new":                  ("",                      "call",                 "L     403   302+  302+  302+  403   403   403   403   403   403   403   403   403   403"),
    "agencies:manage_call_edit":                 ("gd_draft_call",         "call",                 "L     404   404   302+  404   404   404   404   404   404   404   404   404   404   404"),
    "agencies:manage_call publish":              ("gd_draft_call",         "nothing",              "L     404   404   302+  404   404   404   404   404   404   404   404   404   404   404"),
    "agencies:manage_call close":                ("gd_open_call",          "nothing",              "L     404   404   302+  404   404   404   404   404   404   404   404   404   404   404"),
    "agencies:vetting_detail uscc":              ("gd_checked",            "flagged",              "L     404   403   302+  404   403   403   404   404   404   404   404   404   404   404"),
    "agencies:vetting_detail accept":            ("gd_checked",            "accept",               "L     404   403   302+  404   403   403   404   404   404   404   404   404   404   404"),
    "agencies:vetting_detail return":            ("gd_checked",            "return",               "L     404   403   302+  404   403   403   404   404   404   404   404   404   404   404"),
    "agencies:vetting_detail assign":            ("gd_application",        "assign",               "L     404   403   302+  404   403   403   404   404   404   404   404   404   404   404"),
    "agencies:vetting_detail visit":             ("gd_application",        "visit",                "L     404   403   302+  404   403   403   404   404   404   404   404   404   404   404"),
    "agencies:vetting_detail decide":            ("gd_reviewed",           "decide",               "L     404   403   302+  404   403   403   404   404   404   404   404   404   404   404"),
    "agencies:expert_assignment declare":        ("gd_assignment",         "declare",              "L     404   404   404   404   404   404   302+  404   404   404   404   404   404   404"),
    "agencies:expert_assignment review":         ("gd_declared",           "review",               "L     404   404   404   404   404   404   302+  404   404   404   404   404   404   404"),
    "agencies:site_serials":                     ("",                      "serial",               "L     403   403   302+  404   403   403   403   403   403   403   403   403   403   403"),
    "agencies:listed_agency suspend":            ("gd_agency",             "suspend",              "L     403   403   302+  404   403   403   403   403   403   403   403   403   403   403"),
    "agencies:listed_agency remove":             ("gd_agency",             "remove",               "L     403   403   302+  404   403   403   403   403   403   403   403   403   403   403"),
    "agencies:change_request":                   ("officials_change",      "change_decision",      "L     403   403   302+  404   403   403   403   403   403   403   403   403   403   403"),
    "agencies:affiliate_decision":               ("officials_affiliate",   "affiliate_decision",   "L     403   403   302+  404   403   403   403   403   403   403   403   403   403   403"),
    # Running a listed agency (its admin).
    "agencies:staff_add":                        ("gd_agency",             "member",               "L     404   404   404   404   404   404   404   404   404   200+  403   403   403   404"),
    "agencies:staff_role":                       ("gd_membership",         "role",                 "L     404   404   404   404   404   404   404   404   404   302+  403   403   403   404"),
    "agencies:staff_remove":                     ("gd_membership",         "nothing",              "L     404   404   404   404   404   404   404   404   404   302+  403   403   403   404"),
    "agencies:rules_publish":                    ("gd_agency",             "rules",                "L     404   404   404   404   404   404   404   404   404   302+  403   403   403   404"),
    "agencies:change_withdraw":                  ("gd_own_change",         "nothing",              "L     404   404   404   404   404   404   404   404   404   302+  403   403   403   404"),
    "agencies:public_contact":                   ("gd_agency",             "public_contact",       "L     404   404   404   404   404   404   404   404   404   302+  403   403   403   404"),
    "agencies:change_details":                   ("gd_agency",             "details",              "L     404   404   404   404   404   404   404   404   404   302+  403   403   403   404"),
    "agencies:change_scope":                     ("gd_agency",             "scope",                "L     404   404   404   404   404   404   404   404   404   302+  403   403   403   404"),
    "agencies:change_serve_others":              ("hlj_agency",            "serve_others",         "L     404   404   404   404   404   404   404   404   404   404   404   404   404   302+"),
    "agencies:change_renewal":                   ("gd_agency",             "renewal",              "L     404   404   404   404   404   404   404   404   404   302+  403   403   403   404"),
    "agencies:affiliates":                       ("hlj_agency",            "affiliate",            "L     404   404   404   404   404   404   404   404   404   404   404   404   404   302+"),
    "agencies:affiliate_withdraw":               ("gd_own_affiliate",      "nothing",              "L     404   404   404   404   404   404   404   404   404   302+  403   403   403   404"),
    # Exam affairs, people: the agency's admin; the testing centre of the registration.
    "assessments:person_add":                    ("gd_kind",               "examiner",             "L     404   404   404   404   404   404   404   404   404   302+  403   403   403   404"),
    "assessments:person_edit":                   ("gd_engagement",         "examiner_edit",        "L     404   404   404   404   404   404   404   404   404   302+  403   403   403   404"),
    "assessments:training_add":                  ("gd_engagement",         "training",             "L     404   404   404   404   404   404   404   404   404   302+  403   403   403   404"),
    "assessments:person_retire":                 ("gd_engagement",         "nothing",              "L     404   404   404   404   404   404   404   404   404   302+  403   403   403   404"),
    "assessments:registry_suspend":              ("gd_record",             "suspension",           "L     404   403   403   404   302+  302+  404   404   404   404   404   404   404   404"),
    "assessments:registry_reinstate":            ("gd_record",             "suspended_first",      "L     404   403   403   404   302+  302+  404   404   404   404   404   404   404   404"),
    # Venues: the agency's admin and staff; verification by officials of the site's province.
    "assessments:venue_new":                     ("gd_agency",             "venue",                "L     404   404   404   404   404   404   404   404   404   302+  302+  403   403   404"),
    "assessments:venue_edit":                    ("gd_venue",              "venue",                "L     404   404   404   404   404   404   404   404   404   302+  302+  403   403   404"),
    "assessments:venue_review verify":           ("waiting_venue",         "nothing",              "L     403   302+  302+  404   302+  302+  403   403   403   403   403   403   403   403"),
    "assessments:venue_review refuse":           ("waiting_venue",         "venue_refusal",        "L     403   302+  302+  404   302+  302+  403   403   403   403   403   403   403   403"),
    # Candidates (Art 16, 18): the agency's admin and staff.
    "assessments:candidate_new":                 ("gd_cand_session",      "candidate",            "L     404   404   404   404   404   404   404   404   404   302+  302+  403   403   404"),
    "assessments:candidate_withdraw":            ("gd_enrolment",         "withdrawal",           "L     404   404   404   404   404   404   404   404   404   302+  302+  403   403   404"),
    "assessments:candidate_education":           ("gd_edu_enrolment",     "diploma",              "L     404   404   404   404   404   404   404   404   404   302+  302+  403   403   404"),
    "assessments:roster_new":                    ("gd_cand_session",      "roster",               "L     404   404   404   404   404   404   404   404   404   302+  302+  403   403   404"),
    "assessments:roster_apply":                  ("gd_batch",             "nothing",              "L     404   404   404   404   404   404   404   404   404   302+  302+  403   403   404"),
    # Sessions: the agency's admin and staff; questions and stops by the site's province.
    "assessments:session_new":                   ("gd_agency",             "session_plan",         "L     404   404   404   404   404   404   404   404   404   302+  302+  403   403   404"),
    "assessments:session file":                  ("gd_session",            "confirmed",            "L     404   404   404   404   404   404   404   404   404   302+  302+  403   403   404"),
    "assessments:session cancel":                ("gd_session",            "session_cancel",       "L     404   404   404   404   404   404   404   404   404   302+  302+  403   403   404"),
    "assessments:session answer":                ("gd_filed_session",      "session_answer",       "L     404   404   404   404   404   404   404   404   404   302+  302+  403   403   404"),
    "assessments:plan ask":                      ("gd_plan",               "plan_question",        "L     403   302+  302+  404   302+  302+  403   403   403   403   403   403   403   403"),
    "assessments:plan stop":                     ("gd_plan",               "plan_stop",            "L     403   302+  302+  404   302+  302+  403   403   403   403   403   403   403   403"),
    "certificates:issue":                        ("gd_agency",             "cert_issue",           "L     404   404   404   404   404   404   404   404   404   302+  302+  403   403   404"),
    "certificates:seal":                         ("gd_agency",             "cert_seal",            "L     404   404   404   404   404   404   404   404   404   302+  403   403   403   404"),
    "certificates:legacy_imports":               ("",                      "legacy_upload",        "L     403   403   403   403   302+  302+  403   403   403   403   403   403   403   403"),
    "certificates:legacy_apply":                 ("legacy_import",         "nothing",              "L     403   403   403   403   302+  302+  403   403   403   403   403   403   403   403"),
    "certificates:lookup":                       ("",                      "cert_lookup",          "200   200   200   200   200   200   200   200   200   200   200   200   200   200   200"),
    "certificates:verify":                       ("",                      "nothing",              "200   200   200   200   200   200   200   200   200   200   200   200   200   200   200"),
    "certificates:agency_request_new":           ("chg_ask",               "chg_reason",           "L     404   404   404   404   404   404   404   404   404   302+  302+  403   403   404"),
    "certificates:agency_request_withdraw":      ("chg_withdraw",          "nothing",              "L     404   404   404   404   404   404   404   404   404   302+  302+  403   403   404"),
    "certificates:request_decide":               ("chg_request",           "chg_decide",           "L     403   302+  302+  404   403   403   403   403   403   403   403   403   403   403"),
    "certificates:revoke":                       ("chg_cert",              "chg_revoke",           "L     403   302+  302+  404   403   403   403   403   403   403   403   403   403   403"),
    "certificates:agency_submissions":           ("gd_agency",             "nothing",              "L     404   404   404   404   404   404   404   404   404   302+  302+  403   403   404"),
    "certificates:submission":                   ("gd_submission",         "sub_acknowledge",      "L     403   403   403   403   302+  302+  403   403   403   403   403   403   403   403"),
    "assessments:sittings allocate":             ("gd_sit_session",        "sit_allocate",         "L     404   404   404   404   404   404   404   404   404   302+  302+  403   403   404"),
    "assessments:sittings issue":                ("gd_sit_session",        "nothing",              "L     404   404   404   404   404   404   404   404   404   302+  302+  403   403   404"),
    "assessments:incident":                      ("gd_sit_incident",       "sit_decide",           "L     404   404   404   404   404   404   404   404   404   302+  302+  403   403   404"),
    "assessments:checkin code":                  ("sit_sitting",           "sit_code",             "L     404   404   404   404   404   404   404   404   404   302   302   302   302   404"),
    "assessments:checkin absent":                ("sit_sitting",           "confirmed",            "L     404   404   404   404   404   404   404   404   404   302+  302+  302+  302+  404"),
    "assessments:checkin_ticket present":        ("sit_ticket_code",       "nothing",              "L     404   404   404   404   404   404   404   404   404   302+  302+  302+  302+  404"),
    "assessments:incident_new":                  ("sit_sitting",           "sit_incident",         "L     404   404   404   404   404   404   404   404   404   302+  302+  302+  302+  404"),
    "assessments:supervisor_report":             ("sit_session",           "sit_report",           "L     404   404   404   404   404   404   404   404   404   404   404   404   302+  404"),
    "assessments:ticket_lookup":                 ("",                      "sit_lookup",           "200   200   200   200   200   200   200   200   200   200   200   200   200   200   200"),
    # Assignment: the agency's admin and staff; the declaration by the assigned person only.
    "assessments:assignments assign":            ("gd_conduct",            "staff_assign",         "L     404   404   404   404   404   404   404   404   404   302+  302+  403   403   404"),
    "assessments:assignments leader":            ("gd_conduct",            "assign_leader",        "L     404   404   404   404   404   404   404   404   404   302+  302+  403   403   404"),
    "assessments:assignments rounds":            ("gd_conduct",            "assign_rounds",        "L     404   404   404   404   404   404   404   404   404   302+  302+  403   403   404"),
    "assessments:assignment_remove":             ("gd_conduct_assignment", "assign_remove",        "L     404   404   404   404   404   404   404   404   404   302+  302+  403   403   404"),
    "assessments:declare":                       ("conduct_assignment",    "declaration",          "L     404   404   404   404   404   404   404   404   404   404   404   302+  404   404"),
    "assessments:session_archive recordings":   ("gd_session",            "archive_recordings",   "L     404   404   404   404   404   404   404   404   404   302+  302+  403   403   404"),
    "assessments:session_archive file":         ("gd_session",            "archive_file",         "L     404   404   404   404   404   404   404   404   404   302+  302+  403   403   404"),
    "assessments:session_archive paper":        ("gd_session",            "archive_paper",        "L     404   404   404   404   404   404   404   404   404   302+  302+  403   403   404"),
    "assessments:session_archive archive":      ("gd_session",            "confirmed",            "L     404   404   404   404   404   404   404   404   404   302   302   403   403   404"),
    "assessments:results publish":               ("gd_results",            "confirmed",            "L     404   404   404   404   404   404   404   404   404   302+  302+  403   403   404"),
    "assessments:reviews":                       ("gd_published",          "review_answer",        "L     404   404   404   404   404   404   404   404   404   302+  302+  403   403   404"),
    "assessments:results_uphold":                ("results_objection",     "uphold_named",         "L     403   302+  302+  404   302+  302+  403   403   403   403   403   403   403   403"),
    "assessments:result_lookup":                 ("",                      "result_lookup",        "200   200   200   200   200   200   200   200   200   200   200   200   200   200   200"),
    "assessments:result_lookup (review)":        ("",                      "review_request",       "200+  200+  200+  200+  200+  200+  200+  200+  200+  200+  200+  200+  200+  200+  200+"),
    "assessments:review_track":                  ("",                      "review_tracking",      "200   200   200   200   200   200   200   200   200   200   200   200   200   200   200"),
    # Scores and results (Art 18–20): see scores_objects at the end.
    "assessments:scores submit":                 ("sc_session",            "sc_submit",            "L     404   403   403   404   403   403   404   404   404   302+  302+  403   403   404"),
    "assessments:scores compute":                ("sc_session",            "sc_compute",           "L     404   403   403   404   403   403   404   404   404   302+  302+  403   403   404"),
    "assessments:score_marks save":              ("sc_skill",              "sc_marks",             "L     404   404   404   404   404   404   404   404   404   404   404   302+  404   404"),
    "assessments:score_marks submit":            ("sc_skill",              "sc_marks",             "L     404   404   404   404   404   404   404   404   404   404   404   302+  404   404"),
    "assessments:score_theory type":             ("sc_theory",             "sc_typed",             "L     404   403   403   404   403   403   404   404   404   302+  302+  404   404   404"),
    "assessments:score_theory upload":           ("sc_theory",             "sc_upload",            "L     404   403   403   404   403   403   404   404   404   302+  302+  404   404   404"),
    "assessments:score_theory accept":           ("sc_theory",             "sc_two_entries",       "L     404   403   403   404   403   403   404   404   404   302+  302+  404   404   404"),
    "assessments:score_settle":                  ("sc_flagged",            "sc_settle",            "L     404   404   404   404   404   404   404   404   404   404   404   302+  404   404"),
    "assessments:score_correct":                 ("sc_locked",             "sc_correct",           "L     404   403   403   404   403   403   404   404   404   302+  302+  404   404   404"),
    "assessments:score_correction confirm":      ("sc_correction",         "nothing",              "L     404   403   403   404   403   403   404   404   404   403   403   404   302+  404"),
    "assessments:score_correction refuse":       ("sc_correction",         "sc_refuse",            "L     404   403   403   404   403   403   404   404   404   403   403   404   302+  404"),
    # Bulk verification (decision 0051): see VERIFIER_POSTS at the end for the members' own POSTs.
    "certificates:verifier_apply":               ("",                      "verifier_apply",       "L     302+  302+  302+  302+  302+  302+  302+  302+  302+  302+  302+  302+  302+  302+"),
    "certificates:verifier_application":         ("verifier_pending",      "verifier_decide",      "L     403   302+  302+  404   403   403   403   403   403   403   403   403   403   403"),
    "certificates:verifier_org":                 ("verifier_org",          "verifier_upload",      "L     404   404   404   404   404   404   404   404   404   404   404   404   404   404"),
    "certificates:verifier_members":             ("verifier_org",          "verifier_member",      "L     404   404   404   404   404   404   404   404   404   404   404   404   404   404"),
    "certificates:verifier_member_remove":       ("verifier_member",       "nothing",              "L     404   404   404   404   404   404   404   404   404   404   404   404   404   404"),
    "certificates:verifier_tokens":              ("verifier_org",          "verifier_token",       "L     404   404   404   404   404   404   404   404   404   404   404   404   404   404"),
    "certificates:verifier_token_revoke":        ("verifier_token",        "nothing",              "L     404   404   404   404   404   404   404   404   404   404   404   404   404   404"),
    "certificates:api_verify":                   ("",                      "nothing",              "401   401   401   401   401   401   401   401   401   401   401   401   401   401   401"),
    "certificates:verify_template":              ("verifier_org",          "nothing",              "L     404   404   404   404   404   404   404   404   404   404   404   404   404   404"),
    "certificates:api_certificate":              ("cert_number",           "nothing",              "405   405   405   405   405   405   405   405   405   405   405   405   405   405   405"),
    # External quality supervision (Art 26): only the supervisor sent to the session files.
    "supervision:quality_report":                ("qv_assigned",           "quality_report",       "L     404   403   403   404   403   403   302+  404   404   404   404   404   404   404"),
    "supervision:inspection_record":             ("sv_inspection",         "sv_record",            "L     404   403   403   404   404   404   404   404   302+  404   404   404   404   404"),
    "supervision:inspection_finding":            ("sv_inspection",         "sv_finding",           "L     404   403   403   404   404   404   404   404   302+  404   404   404   404   404"),
    "supervision:inspection_conclude":           ("sv_inspection",         "sv_conclude",          "L     404   403   403   404   404   404   404   404   302+  404   404   404   404   404"),
    "supervision:inspection_order":              ("sv_inspection",         "sv_order",             "L     404   403   403   404   404   404   404   404   302+  404   404   404   404   404"),
    "supervision:inspection_follow_up":          ("sv_inspection",         "sv_follow_up",         "L     404   403   302+  404   404   404   404   404   403   404   404   404   404   404"),
    "supervision:order (accept)":                ("sv_order",              "sv_accept",            "L     404   403   403   404   404   404   404   404   302+  404   404   404   404   404"),
    "supervision:order (reopen)":                ("sv_order",              "sv_reopen",            "L     404   403   403   404   404   404   404   404   302+  404   404   404   404   404"),
    "supervision:agency_order":                  ("sv_agency_order",       "sv_answer",            "L     404   404   404   404   404   404   404   404   404   302+  302+  403   403   404"),
    "supervision:publication_publish":           ("pub_inspection",        "pub_confirmed",        "L     403   302+  302+  404   403   403   403   403   403   403   403   403   403   403"),
    # Spot-check plans (decision 0060): see plan_objects at the end.
    "supervision:plan_new":                      ("",                      "pl_new",               "L     403   302+  302+  302+  302+  302+  403   403   403   403   403   403   403   403"),
    "supervision:plan_edit":                     ("pl_draft",              "pl_edit",              "L     404   302+  302+  404   403   403   404   404   404   404   404   404   404   404"),
    "supervision:plan_adjust":                   ("pl_draft",              "pl_adjust",            "L     404   302+  302+  404   403   403   404   404   404   404   404   404   404   404"),
    "supervision:plan_approve":                  ("pl_draft",              "pl_approve",           "L     404   302+  302+  404   403   403   404   404   404   404   404   404   404   404"),
    "supervision:plan_draw":                     ("pl_sealed",             "pl_draw",              "L     404   302+  302+  404   403   403   404   404   404   404   404   404   404   404"),
    "supervision:plan_close":                    ("pl_drawn",              "pl_close",             "L     404   302+  302+  404   403   403   404   404   404   404   404   404   404   404"),
    # Supervision, the list and the pools (Art 25, 26).
    "supervision:check_item_add":                 ("",                      "pools_item_new",       "L     403   302+  302+  302+  403   403   403   403   403   403   403   403   403   403"),
    "supervision:check_item_edit":                ("pools_item",            "pools_item_new",       "L     403   404   302+  404   403   403   403   403   403   403   403   403   403   403"),
    "supervision:check_item_retire":              ("pools_item",            "nothing",              "L     403   404   302+  404   403   403   403   403   403   403   403   403   403   403"),
    "supervision:check_item_reinstate":           ("pools_item",            "pools_item_retired",   "L     403   404   302+  404   403   403   403   403   403   403   403   403   403   403"),
    "supervision:inspector_add":                  ("",                      "pools_inspector_new",  "L     403   302+  302+  302+  403   403   403   403   403   403   403   403   403   403"),
    "supervision:inspector_edit":                 ("pools_inspector",       "pools_member",         "L     403   404   302+  404   403   403   403   403   403   403   403   403   403   403"),
    "supervision:inspector_active":               ("pools_inspector",       "pools_deactivate",     "L     403   404   302+  404   403   403   403   403   403   403   403   403   403   403"),
    "supervision:inspector_conflict_add":         ("pools_inspector",       "pools_conflict",       "L     403   404   302+  404   403   403   403   403   403   403   403   403   403   403"),
    "supervision:inspector_conflict_remove":      ("pools_inspector_tag",   "pools_confirmed",      "L     403   404   302+  404   403   403   403   403   403   403   403   403   403   403"),
    "supervision:supervisor_add":                 ("",                      "pools_supervisor_new", "L     403   403   403   403   302+  302+  403   403   403   403   403   403   403   403"),
    "supervision:supervisor_edit":                ("pools_supervisor",      "pools_member",         "L     403   403   403   403   404   302+  403   403   403   403   403   403   403   403"),
    "supervision:supervisor_active":              ("pools_supervisor",      "pools_deactivate",     "L     403   403   403   403   404   302+  403   403   403   403   403   403   403   403"),
    "supervision:supervisor_conflict_add":        ("pools_supervisor",      "pools_conflict",       "L     403   403   403   403   404   302+  403   403   403   403   403   403   403   403"),
    "supervision:supervisor_conflict_remove":     ("pools_supervisor_tag",  "pools_confirmed",      "L     403   403   403   403   404   302+  403   403   403   403   403   403   403   403"),
}
# fmt: on

# Rows where an actor's POST neither writes nor is refused with 403, 404 or the sign-in page.
ANSWERED_WITHOUT_WRITING = {
    "portal:set_language": "the language lives in a cookie",
    "portal:login": "a signed-in user is sent on to the workspace",
    "portal:logout": "signing out ends the session only",
    "portal:password_reset": "the link goes out by e-mail; nothing is stored",
    "portal:password_reset_confirm": "without a valid token the page says the link is invalid",
    "portal:calendar": "officials who may read the calendar but not change it get the page",
    "accounts:verify": "without a two-factor device there is nothing to verify",
    "notices:track": "looking an objection up writes nothing",
    "assessments:checkin code": "typing a ticket number only leads to its check-in page",
    "assessments:ticket_lookup": "looking one's own tickets up writes nothing",
    "assessments:result_lookup": "looking one's result up writes nothing",
    "assessments:review_track": "looking a score review up writes nothing",
    "certificates:lookup": "looking a certificate up writes nothing",
    "catalog:manage_import": "the preview writes nothing",
    "agencies:register": "a signed-in user is sent on to the workspace",
    "assessments:session_archive archive": "a session whose results are not final is refused "
    "with a message",
    "certificates:api_verify": "without a valid token the API answers 401 and counts nothing",
    "certificates:verify": "verifying an upload writes nothing (the file is not kept)",
}

# URL patterns whose views take no POST: a POST answers like a GET and changes nothing.
GET_ONLY = {
    "portal:home", "portal:privacy", "portal:healthz", "portal:password_reset_done",
    "portal:audit_checkpoints", "portal:audit_checkpoint",
    "portal:password_reset_complete", "portal:dashboard", "portal:agency_home", "portal:audit",
    "portal:agency_audit", "portal:document_download", "portal:authorities", "accounts:list",
    "accounts:detail",
    "notices:list", "notices:manage", "notices:agency", "catalog:occupations",
    "catalog:occupation", "catalog:standards", "catalog:standard", "catalog:specs",
    "catalog:spec_public", "catalog:spec_queue", "catalog:agency_specs",
    "catalog:manage_occupations", "catalog:manage_standards", "agencies:calls",
    "agencies:call", "agencies:directory", "agencies:directory_entry", "agencies:applications",
    "agencies:application", "agencies:manage_calls", "agencies:vetting",
    "agencies:expert_assignments", "agencies:listed_agencies", "agencies:change_requests", "agencies:affiliate_queue",
    "agencies:removed_agencies", "agencies:staff", "agencies:rules", "agencies:changes",
    "agencies:change", "assessments:people", "assessments:person", "assessments:registry",
    "assessments:registry_person", "assessments:my_qualifications",
    "assessments:venues", "assessments:venue", "assessments:venue_queue",
    "assessments:sessions", "assessments:plans", "assessments:public_sessions",
    "assessments:public_session",
    "assessments:candidates", "assessments:candidates_export", "assessments:plan_candidates",
    "assessments:roster", "assessments:roster_errors", "assessments:roster_template",
    "certificates:agency_certificates", "certificates:agency_certificate", "certificates:batch",
    "certificates:batch_progress", "certificates:registry", "certificates:public",
    "certificates:public_json", "certificates:public_photo", "certificates:status_list",
    "certificates:certificate_pdf", "certificates:print_sessions", "certificates:session_pdf",
    "certificates:public_signed", "certificates:legacy_template", "certificates:legacy_import",
    "assessments:tickets_pdf", "assessments:ticket_pdf", "assessments:checkin_scan",
    "assessments:ticket_download",
    "assessments:plan_assignments", "assessments:my_assignments",
    "assessments:session_archive_export", "assessments:session_statistics",
    "assessments:agency_statistics", "assessments:plan_archive", "assessments:plan_archive_export",
    "assessments:plan_statistics", "assessments:statistics",
    "assessments:results_notices", "assessments:notice_rows",
    "assessments:score_results",
    "certificates:did_document", "certificates:jwks", "certificates:certificate_credential",
    "certificates:pdf_ca",
    "certificates:lookup_pdf", "certificates:lookup_vc",
    "certificates:verification", "certificates:verifier_applications",
    "certificates:api_openapi", "certificates:api_docs",
    "certificates:agency_requests", "certificates:request_queue",
    "certificates:statistics", "certificates:public_statistics",
    "certificates:submissions", "certificates:submissions_late", "certificates:submission_file",
    "supervision:quality_visits", "supervision:quality_reports", "supervision:quality_visit",
    "supervision:agency_quality_reports", "supervision:agency_quality_report",
    "supervision:inspections", "supervision:inspection", "supervision:agency_orders",
    "supervision:public_results", "supervision:publication",
    "supervision:plans", "supervision:plan", "supervision:public_plans", "supervision:public_plan",
    "supervision:public_snapshot", "supervision:public_verify",
    "supervision:check_items", "supervision:inspectors", "supervision:inspector",
    "supervision:supervisors", "supervision:supervisor", "supervision:objects",
    "supervision:public_check_items",
}  # fmt: skip


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


def test_every_url_pattern_says_whether_it_takes_posts():
    posted = {row.partition(" ")[0] for row in POSTS}
    missing = sorted(all_url_names() - posted - GET_ONLY)
    assert missing == [], f"add rows to POSTS (or the name to GET_ONLY) for: {missing}"
    assert sorted(posted & GET_ONLY) == []
    assert sorted((posted | GET_ONLY) - all_url_names()) == []


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


# --- The actors and the objects, built once for the module ------------------------------------


def actors_of(world) -> dict:
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


def build(world) -> dict:
    """Every object a URL of the matrix names, each in the state its POST needs."""
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
    work_type = services.add_work_type(
        world.osta_national, Occupation.objects.get(code="6-31-01-03"), name="维修电工"
    )
    draft = services.create_spec(
        world.members["admin"],
        world.gd_agency,
        occupation=occupation,
        title="草稿规范",
        levels=levels,
    )
    submitted_spec = services.create_spec(
        world.members["admin"], world.gd_agency, occupation=occupation, title="待备案规范",
        levels=levels,
    )  # fmt: skip
    services.submit_spec(world.members["admin"], submitted_spec)
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
    objection = notices.file_objection(notice, name="王某", contact="13900000000", content="异议")
    # Applications to 广东 calls: under expert review (world.expert among its three experts),
    # submitted (material check), and reviewed by three other experts with world.expert's
    # conflict declared but no review yet.
    application = submitted_application(world, levels=("5",))
    under_review(world, application, [world.expert, *more_experts(2)])
    checked = submitted_application(world, call=gd_call(world, title="材料核验公告"), levels=("5",))
    reviewed = submitted_application(
        world, call=gd_call(world, title="专家论证公告"), levels=("5",)
    )
    reviewers = more_experts(3, start=5)
    under_review(world, reviewed, [world.expert, *reviewers])
    for expert in reviewers:
        assignment = ExpertAssignment.objects.get(application=reviewed, expert=expert)
        agencies_services.declare_conflict(expert, assignment, has_conflict=False)
        agencies_services.submit_expert_review(
            expert, assignment, scores=dict.fromkeys(range(1, 6), 80), opinion="符合条件。",
            recommendation="approve",
        )  # fmt: skip
    declared = ExpertAssignment.objects.get(application=reviewed, expert=world.expert)
    agencies_services.declare_conflict(world.expert, declared, has_conflict=False)
    draft_call = agencies_services.create_call(
        world.gd_official,
        jurisdiction="440000",
        title="草稿公告",
        body="正文",
        opens_on=dt.date.today(),
        deadline=dt.date.today() + dt.timedelta(days=30),
    )
    # The applicant side: gd_agency's draft to an open 广东 call, a complete draft to another,
    # an approved application to a third (status set directly: vetting is not the subject
    # here) and a call it has not applied to; gd_agency (and hlj_agency) are listed with a
    # directory entry.
    admin = world.members["admin"]
    open_call = gd_call(world, title="矩阵测试征集公告")
    own_draft = agencies_services.start_application(admin, world.gd_agency, open_call)
    complete = fill(
        admin,
        agencies_services.start_application(admin, world.gd_agency, gd_call(world, title="完整草稿公告")),
        levels=("5",),
    )  # fmt: skip
    own_approved = agencies_services.start_application(
        admin, world.gd_agency, gd_call(world, title="矩阵测试征集公告二")
    )
    AgencyApplication.objects.filter(pk=own_approved.pk).update(status=ApplicationStatus.APPROVED)
    fresh_call = gd_call(world, title="尚未申报的公告")
    list_agency(world, world.gd_agency, admin)
    list_agency(world, world.hlj_agency, world.hlj_admin)
    waiting_site = AgencySite.objects.create(
        agency=world.gd_agency, name="佛山站", province_id="440000", address="佛山"
    )
    # A pending change request of gd_agency (filed with 广东), for the officials' pages.
    officials_change = ChangeRequest.objects.create(
        agency=world.gd_agency,
        kind="details",
        payload={"contact_phone": "020-1"},
        before={"contact_phone": ""},
        requested_by=admin,
        requested_at=clock.now(),
    )
    # A pending affiliated employer declared by gd_agency, for the officials' pages.
    officials_affiliate = AffiliatedEmployer.objects.create(
        agency=world.gd_agency,
        name="矩阵测试子公司",
        uscc=_uscc("91440300MA5TEXT01"),
        relation="全资子公司",
        declared_by=admin,
        declared_at=clock.now(),
    )
    examiner = world.members["examiner"].memberships.get(agency=world.gd_agency)
    engagement, _created = assessments_services.add_person(
        admin,
        world.gd_agency,
        "examiner",
        person_input(username=world.members["examiner"].username),
    )
    venue = declared_venue(world)  # waiting for verification
    cand_session = open_session(world)
    enrolment = candidate_services.enrol(world.members["admin"], cand_session, candidate_input(1))
    edu_enrolment = candidate_services.enrol(
        world.members["admin"],
        cand_session,
        candidate_input(
            5, education="senior_middle", started_on=clock.today() - dt.timedelta(days=3 * 366)
        ),
    )  # eligible through education only: 学历待核验
    batch = roster.stage(
        world.members["admin"],
        cand_session,
        SimpleUploadedFile("r.xlsx", roster.template([roster_row(2)])),
    )
    # The matrix's 电工 standard covers level 5 only: level 4 (in the agency's scope) is added.
    level_four = LevelRequirement.objects.create(standard=standard, level_id="4")
    MethodRequirement.objects.create(requirement=level_four, method=Method.THEORY)
    session_venue = ready_agency(world)  # a verified venue of the listed 广东 agency
    draft_session = planned_session(world, venue=session_venue)
    filed_plan = assessments_services.file_session(
        admin,
        planned_session(
            world,
            venue=session_venue,
            sittings=[sitting(session_venue, starts_at=dt.time(13, 0), ends_at=dt.time(15, 0))],
        ),
    )
    # Results (Art 20): a session with provisional results; one on notice with an objection
    # and an open score review.
    results_session = sat_session(world)
    published = sat_session(world)
    publication = results_services.publish_results(admin, published)
    results_objection = notices.file_objection(
        publication.notice, name="赵某", contact="13900000002", content="成绩登记有误"
    )
    named_result = published.results.get(enrolment__real_name="李考生1")
    review = results_services.request_review(
        published.results.get(enrolment__real_name="李考生2"),
        contact="13900000003",
        request="理论成绩偏低",
    )
    # Accounts of 广东 that no actor is: an inactive one, and one with a two-factor device.
    inactive = make_user("expert_inactive", role="expert", jurisdiction="440000", is_active=False)
    with_device = make_user("expert_2fa", role="expert", jurisdiction="440000")
    TOTPDevice.objects.create(user=with_device, name="TOTP", confirmed=True)
    sitting_objects = sitting_matrix_objects(world, engagement)
    # A filed session with theory, skill and review sittings: gd_exam invigilates the theory
    # sitting (not declared yet) and examines the skill sitting; the review sitting is open.
    conduct = conduct_session(world, methods=("theory", "skill", "review"))
    conduct_sittings = {x.method: x for x in conduct.sittings.all()}
    invigilating = assessments_services.assign(
        admin, conduct_sittings["theory"], kind="invigilator", person=engagement.examiner
    )
    examining = assessments_services.assign(
        admin, conduct_sittings["skill"], kind="examiner", person=engagement.examiner
    )
    return {
        "": [],
        "gd_agency": [world.gd_agency.pk],
        "hlj_agency": [world.hlj_agency.pk],
        "gd_doc": [doc.pk],
        "day": [day.pk],
        "checkpoint": [checkpoints.write().name],
        "gd_authority": ["440000"],
        "reset": ["MQ", "set-password"],
        "occupation": ["6-31-01-03"],
        "other_occupation": ["5-01-02-01"],
        "standard": [standard.pk],
        "filed_spec": [filed.pk],
        "draft_spec": [draft.pk],
        "gd_spec": [world.gd_agency.pk, draft.pk],
        "gd_submitted_spec": [world.gd_agency.pk, submitted_spec.pk],
        "submitted_spec": [submitted_spec.pk],
        "gd_account": [world.expert2.pk],
        "gd_inactive_account": [inactive.pk],
        "gd_2fa_account": [with_device.pk],
        "gd_notice": [notice.pk],
        "gd_draft_call": [draft_call.pk],
        "gd_open_call": [open_call.pk],
        "gd_application": [application.pk],
        "gd_checked": [checked.pk],
        "gd_reviewed": [reviewed.pk],
        "gd_assignment": [application.expert_assignments.get(expert=world.expert).pk],
        "gd_declared": [declared.pk],
        "gd_own_draft": [world.gd_agency.pk, own_draft.pk],
        "gd_own_complete": [world.gd_agency.pk, complete.pk],
        "gd_own_approved": [world.gd_agency.pk, own_approved.pk],
        "gd_membership": [world.gd_agency.pk, examiner.pk],
        "gd_own_change": [world.gd_agency.pk, officials_change.pk],
        "gd_kind": [world.gd_agency.pk, "examiner"],
        "gd_engagement": [world.gd_agency.pk, engagement.pk],
        "gd_record": ["examiner", engagement.examiner_id],
        "officials_change": [officials_change.pk],
        "gd_own_affiliate": [world.gd_agency.pk, officials_affiliate.pk],
        "officials_affiliate": [officials_affiliate.pk],
        "gd_venue": [world.gd_agency.pk, venue.pk],
        "waiting_venue": [venue.pk],
        "gd_venue_site": venue.site_id,
        "gd_session": [world.gd_agency.pk, draft_session.pk],
        "gd_filed_session": [world.gd_agency.pk, filed_plan.pk],
        "gd_plan": [filed_plan.pk],
        "session_venue": session_venue,
        "gd_cand_session": [world.gd_agency.pk, cand_session.pk],
        "cand_session": [cand_session.pk],
        "gd_enrolment": [world.gd_agency.pk, cand_session.pk, enrolment.pk],
        "gd_edu_enrolment": [world.gd_agency.pk, cand_session.pk, edu_enrolment.pk],
        "gd_batch": [world.gd_agency.pk, cand_session.pk, batch.pk],
        "gd_conduct": [world.gd_agency.pk, conduct.pk],
        "gd_conduct_assignment": [world.gd_agency.pk, conduct.pk, examining.pk],
        "conduct": [conduct.pk],
        "conduct_assignment": [invigilating.pk],
        "conduct_examiner": engagement.examiner,
        "conduct_sittings": conduct_sittings,
        "conduct_examining": examining,
        "gd_results": [world.gd_agency.pk, results_session.pk],
        "gd_published": [world.gd_agency.pk, published.pk],
        "results_objection": [results_objection.pk],
        "results_notice": [publication.notice_id],
        # Not URL arguments: what the POST data names.
        "named_result": named_result,
        "review": review,
        "published": published,
        "objection": objection,
        "work_type": work_type,
        "fresh_call": fresh_call,
        "waiting_site": waiting_site,
        "gd_entry": DirectoryEntry.objects.get(agency=world.gd_agency),
        "own_complete": complete,
        "own_draft": own_draft,
        **certificate_objects(world),
        **sitting_objects,
    }


@pytest.fixture(scope="module")
def built(world_pks, django_db_blocker, tmp_path_factory):
    """The objects, built once in a transaction of the module that is rolled back at its end;
    each test runs in a savepoint inside it."""
    media = tmp_path_factory.mktemp("matrix-media")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media, CAPTCHA_ENABLED=False),
        transaction.atomic(),
    ):
        world = world_view(world_pks)
        actors, objects = actors_of(world), build(world)
        sessions = sessions_of(actors)
        objects["session_of"] = {actors[name].pk: key for name, key in sessions.items()}
        yield actors, objects, sessions
        transaction.set_rollback(True)


def sessions_of(actors: dict) -> dict[str, str]:
    """A signed-in session per actor, made once: a request only picks its cookie. (A POST
    that signs out or changes a password is rolled back, and the session table with it.)"""
    keys = {}
    for name, user in actors.items():
        if user is not None:
            browser = Client()
            browser.force_login(user)
            keys[name] = browser.cookies[settings.SESSION_COOKIE_NAME].value
    return keys


def act_as(client, sessions: dict, actor: str) -> None:
    client.cookies = SimpleCookie()
    if actor in sessions:
        client.cookies[settings.SESSION_COOKIE_NAME] = sessions[actor]


def url_of(url_name: str, args) -> str:
    if args == "media_occupation":  # the standard form asks for the occupation first
        return reverse(url_name) + "?occupation=4-13-01-05"
    return reverse(url_name, args=args)


# --- GET ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("url_name", sorted(MATRIX))
def test_the_matrix(client, built, db, url_name):
    _actors, objects, sessions = built
    args_key, expected = MATRIX[url_name]
    assert len(expected) == len(ACTORS)
    url = reverse(url_name, args=objects[args_key])
    got = {}
    for actor in ACTORS:
        act_as(client, sessions, actor)
        got[actor] = client.get(url).status_code
    assert got == dict(zip(ACTORS, expected, strict=True))


# --- POST ---------------------------------------------------------------------------------------

LOGIN = reverse("portal:login")
REFUSED = {"L", "403", "404", "405"}
UNWATCHED = {"django_session"}  # signing each actor in and out is not the POST's doing


def written() -> dict[str, int]:
    """Rows inserted, updated or deleted so far in this transaction, per table."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_xact_user_tables"
        )
        return dict(cursor.fetchall())


def changed_since(before: dict[str, int]) -> list[str]:
    after = written()
    return sorted(t for t, n in after.items() if n != before.get(t, 0) and t not in UNWATCHED)


def outcome(response, changed: list[str]) -> str:
    if response.status_code == 302 and not changed and urlsplit(response["Location"]).path == LOGIN:
        return "L"
    return f"{response.status_code}{'+' if changed else ''}"


def post_as(client, built, actor: str, url: str, data_of, action: str):
    """One actor's POST in a savepoint that is rolled back: (outcome, tables written)."""
    actors, objects, sessions = built
    with transaction.atomic():
        act_as(client, sessions, actor)
        data = data_of(objects, actors[actor])  # may first put a row in the state this POST needs
        if action and not action.startswith("("):  # "(apply)": told apart by its data
            data["action"] = action
        before = written()
        response = client.post(url, data)
        changed = changed_since(before)
        transaction.set_rollback(True)
    return outcome(response, changed), changed


@pytest.mark.parametrize("row", sorted(POSTS))
def test_the_posts(client, built, db, row):
    _actors, objects, _sessions = built
    args_key, data_key, cells = POSTS[row]
    url_name, _, action = row.partition(" ")
    expected = dict(zip(ACTORS, cells.split(), strict=True))
    url = url_of(url_name, objects.get(args_key, args_key))
    got, tables = {}, {}
    for actor in ACTORS:
        got[actor], tables[actor] = post_as(client, built, actor, url, DATA[data_key], action)
    wrong = {a: (expected[a], got[a], tables[a]) for a in ACTORS if got[a] != expected[a]}
    assert wrong == {}, "actor: (expected, got, tables written)"


def test_a_post_that_neither_writes_nor_is_refused_is_explained():
    quiet = sorted(
        row
        for row, (_args, _data, cells) in POSTS.items()
        if any(c not in REFUSED and not c.endswith("+") for c in cells.split())
    )
    assert quiet == sorted(ANSWERED_WITHOUT_WRITING)
    assert all(len(cells.split()) == len(ACTORS) for _a, _d, cells in POSTS.values())


# A multi-action view answers an action it does not know (the allowed actor's POST).
UNKNOWN_ACTION = {
    "catalog:agency_spec": ("gd_spec", "gd_admin", 404),
    "catalog:spec_review": ("submitted_spec", "osta_n", 404),
    "catalog:manage_occupation": ("occupation", "osta_n", 404),
    "agencies:manage_call": ("gd_draft_call", "gd_off", 404),
    "agencies:vetting_detail": ("gd_application", "gd_off", 404),
    "agencies:expert_assignment": ("gd_assignment", "exp_asg", 404),
    "agencies:listed_agency": ("gd_agency", "gd_off", 403),
    "assessments:venue_review": ("waiting_venue", "gd_off", 404),
    "assessments:session": ("gd_session", "gd_admin", 404),
    "assessments:plan": ("gd_plan", "gd_off", 404),
    "assessments:sittings": ("gd_sit_session", "gd_admin", 404),
    "assessments:checkin": ("sit_sitting", "gd_exam", 404),
    "assessments:checkin_ticket": ("sit_ticket_code", "gd_exam", 404),
    "assessments:assignments": ("gd_conduct", "gd_admin", 404),
    "assessments:session_archive": ("gd_session", "gd_admin", 404),
    "assessments:results": ("gd_results", "gd_admin", 404),
    "assessments:scores": ("sc_session", "gd_admin", 404),
    "assessments:score_marks": ("sc_skill", "gd_exam", 404),
    "assessments:score_theory": ("sc_theory", "gd_admin", 404),
    "assessments:score_correction": ("sc_correction", "gd_sup", 404),
}


def test_every_multi_action_view_is_listed():
    multi = {row.partition(" ")[0] for row in POSTS if " " in row and "(" not in row}
    assert sorted(multi) == sorted(UNKNOWN_ACTION)


@pytest.mark.parametrize("url_name", sorted(UNKNOWN_ACTION))
def test_an_unknown_action_changes_nothing(client, built, db, url_name):
    args_key, actor, status = UNKNOWN_ACTION[url_name]
    url = reverse(url_name, args=built[1][args_key])
    got = post_as(client, built, actor, url, nothing, "delete")
    assert got == (str(status), [])


@pytest.mark.parametrize("url_name", sorted(GET_ONLY))
def test_a_post_to_a_get_only_page_changes_nothing(client, built, db, url_name):
    args_key, statuses = MATRIX[url_name]
    actor = next(a for a, s in zip(ACTORS, statuses, strict=True) if s == 200)
    url = reverse(url_name, args=built[1][args_key])
    got, changed = post_as(client, built, actor, url, nothing, "")
    assert got in (str(statuses[ACTORS.index(actor)]), "405") and changed == []


# --- What each POST sends -----------------------------------------------------------------------


def nothing(objects, user) -> dict:
    return {}


def pdf_file(name: str = "标准.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")


def jurisdiction_of(user) -> str:
    return user.jurisdiction if user and user.jurisdiction not in ("", "000000") else "440000"


def code_for(user) -> str:
    if user is None:
        return "000000"
    device = twofactor.pending_device(user)
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, 0):06d}"


def withdrawn_occupation(objects, user) -> dict:
    Occupation.objects.filter(code="5-01-02-01").update(status="withdrawn")
    return {"reason": "恢复"}


def flagged(objects, user) -> dict:
    AgencyApplication.objects.filter(pk=objects["gd_checked"][0]).update(
        uscc_check=UsccCheck.FLAGGED
    )
    return {"decision": "confirm", "note": "与营业执照核对一致"}


def unlisted(objects, user) -> dict:
    """gd_agency is listed already; signing for an approved application lists it first."""
    DirectoryEntry.objects.filter(pk=objects["gd_entry"].pk).delete()
    return {}


def no_pending_details(objects, user) -> dict:
    ChangeRequest.objects.filter(pk=objects["officials_change"][0]).update(
        status=ChangeStatus.WITHDRAWN
    )
    entry = objects["gd_entry"]
    agency = entry.agency
    return {
        "name": agency.name,
        "address": "广州市越秀区新址1号",
        "legal_representative": agency.legal_representative,
        "contact_name": agency.contact_name,
        "contact_phone": agency.contact_phone,
        "contact_email": agency.contact_email,
        "explanation": "迁址",
    }


CSV = (
    "code,name,major_category,work_type_count,marker,standard_edition\n4-04-05-99,测试新职业,4,,S,\n"
).encode()


def csv_upload() -> dict:
    return {
        "file": SimpleUploadedFile("occupations.csv", CSV, "text/csv"),
        "source": "published_later",
    }


def import_apply(objects, user) -> dict:
    """The hidden fields of the preview the actor was shown; an actor who may not import
    gets no preview and posts the apply alone."""
    if user is not None:
        browser = Client()
        browser.cookies[settings.SESSION_COOKIE_NAME] = objects["session_of"][user.pk]
        response = browser.post(reverse("catalog:manage_import"), csv_upload())
        form = response.context.get("apply_form") if response.status_code == 200 else None
        if form is not None:
            return {**{name: form[name].value() for name in form.fields}, "apply": "1"}
    return {"apply": "1"}


def spec_data(objects, user) -> dict:
    data = {
        "occupation": "4-13-01-05",
        "title": "全媒体运营师评价规范",
        "summary": "",
        "work_type": "",
        "levels-TOTAL_FORMS": "5",
        "levels-INITIAL_FORMS": "5",
        "levels-MIN_NUM_FORMS": "0",
        "levels-MAX_NUM_FORMS": "7",
    }
    for i, code in enumerate(["1", "2", "3", "4", "5"]):
        data[f"levels-{i}-level"] = code
        data[f"levels-{i}-pass_mark"] = "60"
    data.update({"levels-4-covers": "on", "levels-4-theory": "on", "levels-4-theory_minutes": "90"})
    return data


def standard_data(objects, user) -> dict:
    return {**standard_post(), **level_data(covered={0: {"covered": "on"}})}


def scope_data(objects, user) -> dict:
    return {
        "scope-TOTAL_FORMS": "1",
        "scope-INITIAL_FORMS": "1",
        "scope-MIN_NUM_FORMS": "0",
        "scope-MAX_NUM_FORMS": "1000",
        "scope-0-occupation": "6-31-01-03",
        "scope-0-work_type": "",
        "scope-0-levels": ["5"],
        "explanation": "调整范围",
    }


def decision_data(objects, user) -> dict:
    application = AgencyApplication.objects.get(pk=objects["gd_reviewed"][0])
    return {
        "decision": "approve",
        "reasons": "符合条件。",
        **{f"scope_{s.pk}": ["5"] for s in application.scope.all()},
    }


def suspended_first(objects, user) -> dict:
    Examiner.objects.filter(pk=objects["gd_record"][1]).update(
        status="suspended", suspension_reason="违规评分"
    )
    return {}


def venue_data(objects, user) -> dict:
    rooms = {"rooms-TOTAL_FORMS": "1", "rooms-INITIAL_FORMS": "0", "rooms-MIN_NUM_FORMS": "0",
             "rooms-MAX_NUM_FORMS": "60", "rooms-0-name": "理论考场 9", "rooms-0-kind": "theory",
             "rooms-0-places": "30", "rooms-0-cameras": "2"}  # fmt: skip
    return {
        "site": objects["gd_venue_site"],
        "name": "矩阵测试考点",
        "address": "深圳市测试路9号",
        "tenure": "owned",
        "recordings_kept_days": "30",
        "recordings_stored_at": "监控服务器",
        **rooms,
    }


def roster_row(n: int) -> list:
    values = {
        "real_name": f"矩阵考生{n}", "id_type": "居民身份证", "id_number": candidate_id(n),
        "phone": "13900139000", "employer_uscc": "91440300MA5F8G9H2K",
        "started_on": "2015-01-01",
    }  # fmt: skip
    return [values.get(k, "") for k in roster.KEYS]


def candidate_data(objects, user) -> dict:
    return {
        "real_name": "矩阵考生",
        "id_type": "resident_id",
        "id_number": candidate_id(7 + (user.pk if user else 0) % 100),
        "phone": "13800138000",
        "employer_uscc": "91440300MA5F8G9H2K",
        "started_on": "2015-01-01",
    }


def session_plan_data(objects, user) -> dict:
    venue = objects["session_venue"]
    day = clock.today() + dt.timedelta(days=45)
    return {
        "venue": venue.pk,
        "city": "深圳市",
        "occupation": "6-31-01-03",
        "level": "4",
        "capacity": "20",
        "registration_opens": (clock.today() + dt.timedelta(days=5)).isoformat(),
        "registration_closes": (clock.today() + dt.timedelta(days=30)).isoformat(),
        "fee": "200",
        "how_to_register": "到深圳站报名。",
        "sittings-TOTAL_FORMS": "1",
        "sittings-INITIAL_FORMS": "0",
        "sittings-MIN_NUM_FORMS": "0",
        "sittings-MAX_NUM_FORMS": "1000",
        "sittings-0-method": "theory",
        "sittings-0-date": day.isoformat(),
        "sittings-0-starts_at": "09:00",
        "sittings-0-ends_at": "11:00",
        "sittings-0-room": venue.rooms.get(kind="theory").pk,
    }


def session_answer_data(objects, user) -> dict:
    from assessments.models import AssessmentSession, SessionQuestion

    pk = objects["gd_filed_session"][1]
    SessionQuestion.objects.create(
        session_id=pk, text="请说明考场设备。", asked_by=AssessmentSession.objects.get(pk=pk).created_by, asked_at=clock.now(),
    )  # fmt: skip
    AssessmentSession.objects.filter(pk=pk).update(awaiting_answer=True)
    return {"a-answer": "设备齐全。"}


def review_request_data(objects, user) -> dict:
    from assessments.views.results import _token

    return {
        "action": "review",
        "token": _token(objects["named_result"]),
        "contact": "13900000004",
        "request": "技能成绩复核",
    }


def result_lookup_data(objects, user) -> dict:
    session = objects["published"]
    return {"ticket": f"T{session.pk}-1", "name": "李考生1", "id_number": candidate_id(1)}


DATA = {
    "nothing": nothing,
    "staff_assign": lambda o, u: {
        "a-place": str(o["conduct_sittings"]["review"].pk),
        "a-person": f"e{o['conduct_examiner'].pk}",
    },
    "assign_leader": lambda o, u: {"action": "leader", "assignment": o["conduct_examining"].pk},
    "assign_rounds": lambda o, u: {
        "action": "rounds",
        "sitting": o["conduct_sittings"]["skill"].pk,
        f"r{o['conduct_sittings']['skill'].pk}-rounds": "2",
    },
    "assign_remove": lambda o, u: {"reason": "临时调整"},
    "declaration": lambda o, u: {
        "employer_name": "矩阵测试单位",
        "employer_uscc": _uscc("91440101MA59ABCD1"),
    },
    "review_request": review_request_data,
    "result_lookup": result_lookup_data,
    "review_tracking": lambda o, u: {"code": o["review"].tracking_code},
    "review_answer": lambda o, u: {
        "review": o["review"].pk,
        f"r{o['review'].pk}-answer": "复核后成绩无误。",
    },
    "uphold_named": lambda o, u: {
        "results": [str(o["named_result"].pk)],
        "reason": "登记错误属实。",
        "confirmed": "1",
    },
    "candidate": candidate_data,
    "withdrawal": lambda o, u: {"reason": "本人申请退出"},
    "diploma": lambda o, u: {"diploma": pdf_file("毕业证.pdf"), "confirmed": "1"},
    "roster": lambda o, u: {
        "roster": SimpleUploadedFile("r.xlsx", roster.template([roster_row(3)]))
    },
    "confirmed": lambda o, u: {"confirmed": "1"},
    "session_plan": session_plan_data,
    "session_cancel": lambda o, u: {"c-reason": "报名人数不足", "confirmed": "1"},
    "session_answer": session_answer_data,
    "plan_question": lambda o, u: {"q-text": "请提供技能考场设备清单。"},
    "plan_stop": lambda o, u: {"s-reason": "考点条件不符", "confirmed": "1"},
    "archive_recordings": lambda o, u: {"r-location": "监控服务器 NAS-2"},
    "archive_file": lambda o, u: {"f-kind": "question_paper", "f-file": pdf_file("理论试卷.pdf")},
    "archive_paper": lambda o, u: {"p-title": "纸质答题卡", "p-location": "档案室 3 号柜"},
    "venue": venue_data,
    "venue_refusal": lambda o, u: {"r-reason": "技能考场工位不足。"},
    "language": lambda o, u: {"language": "en", "next": "/"},
    "sign_in": lambda o, u: {"username": "nobody", "password": PASSWORD},
    "password_change": lambda o, u: {
        "old_password": PASSWORD,
        "new_password1": "Changed#pass2027",
        "new_password2": "Changed#pass2027",
    },  # fmt: skip
    "reset_email": lambda o, u: {"email": "nobody@example.org"},
    "new_password": lambda o, u: {
        "new_password1": "Changed#pass2027",
        "new_password2": "Changed#pass2027",
    },  # fmt: skip
    "calendar_day": lambda o, u: {"date": "2027-10-01", "kind": "holiday", "name": "国庆节"},
    "authority": lambda o, u: {
        "name": "广东省人力资源和社会保障厅（更正）",
        "letter_prefix": "粤人社认定",
    },
    "account": lambda o, u: {
        "username": "new_expert",
        "real_name": "王专家",
        "phone": "13800138000",
        "email": "wang@example.org",
        "organisation": "广东技师学院",
        "jurisdiction": jurisdiction_of(u),
        "roles": ["expert"],
    },  # fmt: skip
    "account_edit": lambda o, u: {
        "real_name": "专家二（改）",
        "phone": "13800138001",
        "email": "expert2@example.org",
        "organisation": "广东技师学院",
        "jurisdiction": "440000",
        "roles": ["expert"],
    },  # fmt: skip
    "totp": lambda o, u: {"code": code_for(u)},
    "wrong_code": lambda o, u: {"code": "000000"},
    "objection": lambda o, u: {
        "name": "李某",
        "contact": "13900000001",
        "content": "该机构场地不符",
    },
    "tracking": lambda o, u: {"code": "ABCD-EFGH-JKMN"},
    "dismiss": lambda o, u: {
        "objection": o["objection"].pk,
        f"o{o['objection'].pk}-decision": "dismiss",
        f"o{o['objection'].pk}-reason": "经核实，异议不成立。",
    },  # fmt: skip
    "spec": spec_data,
    "spec_note": lambda o, u: {"note": "请备案"},
    "reason": lambda o, u: {"reason": "请补充考核时长。"},
    "occupation": lambda o, u: {
        "code": "4-04-05-97",
        "name": "新职业",
        "major_category": "4",
        "source": "published_later",
    },  # fmt: skip
    "occupation_edit": lambda o, u: {
        "name": "电工（改）",
        "major_category": "6",
        "source": "published_later",
    },
    "work_type": lambda o, u: {"wt-name": "高压电工", "wt-code": "02"},
    "work_type_status": lambda o, u: {"work_type": o["work_type"].pk, "status": "withdrawn"},
    "withdraw_reason": lambda o, u: {"reason": "测试撤销"},
    "withdrawn_occupation": withdrawn_occupation,
    "csv": lambda o, u: csv_upload(),
    "import_apply": import_apply,
    "standard": standard_data,
    "standard_pdf": lambda o, u: {"file": pdf_file()},
    "registration": lambda o, u: {
        "username": "neworg",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "real_name": "王五",
        "email": "w@example.org",
        "phone": "13900000000",
        "org_name": "佛山技能评价中心",
        "uscc": "91440604MA4UP2Y3XU",
        "kind": "S",
        "province": "440000",
    },  # fmt: skip
    "fresh_call": lambda o, u: {"call": o["fresh_call"].pk},
    "edit": lambda o, u: edit_data(o["own_draft"], **{"scope-0-levels": ["5"]}),
    "submit": lambda o, u: edit_data(
        o["own_complete"], **{"scope-0-levels": ["5"], "pledge": "on"}
    ),
    "unlisted": unlisted,
    "call": lambda o, u: call_data(),
    "accept": lambda o, u: {"use_expert_review": "on", "comment": "材料齐全"},
    "return": lambda o, u: {"general_comment": "请补正后重新提交"},
    "flagged": flagged,
    "assign": lambda o, u: {"experts": [o["gd_account"][0]]},
    "visit": lambda o, u: {
        "visited_on": clock.today().isoformat(),
        "people": "王五",
        "findings": "场地符合要求",
    },  # fmt: skip
    # The consequential actions post from their confirmation page (decision 0026).
    "decide": lambda o, u: {**decision_data(o, u), "confirmed": "1"},
    "declare": lambda o, u: {"has_conflict": "no", "note": ""},
    "review": lambda o, u: {
        **{f"score_{c}": "85" for c in range(1, 6)},
        "opinion": "符合条件。",
        "recommendation": "approve",
    },  # fmt: skip
    "serial": lambda o, u: {
        "site": o["waiting_site"].pk,
        f"s{o['waiting_site'].pk}-serial": "000102",
    },  # fmt: skip
    "suspend": lambda o, u: {
        "suspend-reason": "考务管理不规范。",
        "suspend-legal_basis": "第二十七条",
        "suspend-until": (clock.today() + dt.timedelta(days=90)).isoformat(),
        "confirmed": "1",
        "password": PASSWORD,
    },  # fmt: skip
    "remove": lambda o, u: {
        "remove-reason": "不履行工作承诺。",
        "remove-legal_basis": "第二十八条",
        "remove-follow_up_plan": "妥善处理已报名人员。",
        "confirmed": "1",
        "password": PASSWORD,
    },  # fmt: skip
    "change_decision": lambda o, u: {
        "decision": "approve",
        "reason": "经审核，同意。",
        "confirmed": "1",
    },  # fmt: skip
    "affiliate_decision": lambda o, u: {"decision": "confirm", "reason": "", "confirmed": "1"},
    "affiliate": lambda o, u: {
        "name": "矩阵子公司",
        "uscc": _uscc("91230100MA1MATRX0"),
        "relation": "全资子公司",
    },
    "member": lambda o, u: {
        "account": "new",
        "username": "li_new",
        "real_name": "李新",
        "email": "li@example.org",
        "phone": "13800000001",
        "role": "staff",
    },  # fmt: skip
    "role": lambda o, u: {"role": "staff"},
    "rules": lambda o, u: {"kind": "fees", "fees-text": "理论知识考试：每人次 120 元"},
    "details": no_pending_details,
    "public_contact": lambda o, u: {
        "public_contact_name": "考务办公室",
        "public_phone": "020-87654321",
    },
    "scope": scope_data,
    "serve_others": lambda o, u: {"value": "1", "explanation": "申请面向社会"},
    "renewal": lambda o, u: {"explanation": "申请延续"},
    "examiner": lambda o, u: {
        "real_name": "赵考评",
        "id_type": "resident_id",
        "id_number": resident_id("44010619860203001"),
        "grade": "examiner",
        "province": "440000",
        "qualification_number": "GD-9",
        "valid_from": "2026-01-01",
        "valid_until": "2030-01-01",
        "occupation_1": "6-31-01-03",
        "lowest_1": "5",
        "highest_1": "3",
    },  # fmt: skip
    "examiner_edit": lambda o, u: {
        "real_name": "张考评",
        "grade": "senior",
        "qualification_number": "GD-KPY-0002",
        "valid_from": "2026-01-01",
        "valid_until": "2031-01-01",
        "occupation_1": "6-31-01-03",
        "lowest_1": "5",
        "highest_1": "1",
    },  # fmt: skip
    "training": lambda o, u: {
        "held_on": "2026-11-01",
        "hours": "8",
        "organiser": "广东省鉴定中心",
        "topic": "评分规范",
    },  # fmt: skip
    "suspension": lambda o, u: {"reason": "违规评分"},
    "suspended_first": suspended_first,
    "cert_issue": lambda o, u: {"sessions": [o["cert_pending"].pk], "variant": "zh"},
    "cert_seal": lambda o, u: {
        "image": __import__("certificates.demo_pdf").demo_pdf.seal_upload("演示")
    },
}


# --- Scores and results (Art 18–20; decision 0038) ----------------------------------------------
# Every page answers 404 unless the user may read the session (its agency's admin and staff,
# officials of the site's province, the people assigned to it); then the examiner's marks and
# the leader's settling open to the assigned examiner only, corrections are confirmed by the
# session's quality supervisor, officials read without acting (403 on a POST).
# gd_exam is the skill sitting's group leader; gd_sup its internal quality supervisor.

_build_before_scores = build


def build(world) -> dict:  # noqa: F811 (the objects of the scores pages added to the others)
    objects = _build_before_scores(world)
    objects.update(scores_objects(world))
    return objects


def scores_objects(world) -> dict:
    """A closed session sat yesterday: gd_exam leads the skill sitting (nothing marked yet),
    gd_sup supervises; theory scores of the first two candidates locked (one with an open
    correction), of the other two entered; one skill score flagged for the leader."""
    from assessments.models import Assignment, Examiner, QualitySupervisor, ScoreCorrection
    from assessments.models import MethodScore as Score
    from portal.models import Province
    from tests.assessments.builders import assign, scoring_session

    s = scoring_session(world, candidates=4, examiners=1, tag="m")
    Assignment.objects.filter(pk=s.panel[0].pk).update(is_leader=False)
    user = world.members["examiner"]
    examiner = Examiner.objects.filter(user=user).first()
    fields = {
        "province": Province.objects.get(code="440000"), "qualification_number": "GD-M-1",
        "valid_from": clock.today() - dt.timedelta(days=30),
        "valid_until": clock.today() + dt.timedelta(days=700),
    }  # fmt: skip
    if examiner is None:
        examiner = Examiner.objects.create(user=user, real_name="矩阵考评员", grade="examiner",
                                           id_number=resident_id("44010619700101901"), **fields)  # fmt: skip
    assign(world, s.session, sitting=s.skill, person=examiner, leader=True)
    supervisor = QualitySupervisor.objects.filter(
        user=world.members["quality_supervisor"]
    ).first() or QualitySupervisor.objects.create(
        user=world.members["quality_supervisor"], real_name="矩阵督导员",
        id_number=resident_id("44010619700101902"), **fields,
    )  # fmt: skip
    assign(world, s.session, kind="supervisor", person=supervisor)
    a, b, c, d = s.people
    now = clock.now()
    admin = world.members["admin"]
    locked = [Score.objects.create(enrolment=e, method="theory", value=80, source="double_entry",
                                   submitted_at=now, submitted_by=admin) for e in (a, b)]  # fmt: skip
    for e in (c, d):
        Score.objects.create(enrolment=e, method="theory", value=70, source="double_entry")
    flagged = Score.objects.create(enrolment=d, method="skill", value=61, source="marks",
                                   flagged=True)  # fmt: skip
    correction = ScoreCorrection.objects.create(
        score=locked[1], before=80, after=82, reason="漏加分", requested_by=admin,
        requested_at=now,
    )  # fmt: skip
    return {
        "sc_session": [s.session.pk],
        "sc_skill": [s.skill.pk],
        "sc_theory": [s.theory.pk],
        "sc_flagged": [flagged.pk],
        "sc_locked": [locked[0].pk],
        "sc_correction": [correction.pk],
        "sc": s,
        "sc_people_admin": world.members["admin"],
        "sc_people_staff": world.members["staff"],
    }


def _sc_compute(objects, user) -> dict:
    from assessments.models import MethodScore as Score

    s = objects["sc"]
    for e in s.people:
        for method in ("theory", "skill"):
            Score.objects.update_or_create(
                enrolment=e, method=method,
                defaults={"value": 75, "source": "marks", "flagged": False,
                          "submitted_at": clock.now()},
            )  # fmt: skip
    return {}


def _sc_two_entries(objects, user) -> dict:
    from assessments.models import MethodScore as Score
    from assessments.models import ScoreCorrection, TheoryEntry, TheorySheet

    s = objects["sc"]
    ScoreCorrection.objects.filter(score__enrolment__session=s.session).delete()
    Score.objects.filter(enrolment__session=s.session, method="theory").delete()
    for entry, person in ((1, objects["sc_people_admin"]), (2, objects["sc_people_staff"])):
        sheet = TheorySheet.objects.create(sitting=s.theory, entry=entry, entered_by=person,
                                           entered_at=clock.now())  # fmt: skip
        TheoryEntry.objects.bulk_create(
            [TheoryEntry(sheet=sheet, enrolment=e, value=66) for e in s.people]
        )
    return {}


def _sc_upload(objects, user) -> dict:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["准考证号", "成绩"])
    for e in objects["sc"].people:
        sheet.append([e.ticket.code, 66])
    import io

    out = io.BytesIO()
    book.save(out)
    return {"f-scores_file": SimpleUploadedFile("theory.xlsx", out.getvalue())}


DATA.update({
    "sc_submit": lambda o, u: {"method": "theory"},
    "sc_compute": _sc_compute,
    "sc_marks": lambda o, u: {f"mark_{e.pk}": "70" for e in o["sc"].people},
    "sc_typed": lambda o, u: {f"t-score_{e.pk}": "66" for e in o["sc"].people},
    "sc_upload": _sc_upload,
    "sc_two_entries": _sc_two_entries,
    "sc_settle": lambda o, u: {"value": "70", "reason": "复看录像后确定"},
    "sc_correct": lambda o, u: {"value": "85", "reason": "登分时看错行"},
    "sc_refuse": lambda o, u: {"r-reason": "无依据"},
})  # fmt: skip


# --- The sitting (Art 18, 19) -------------------------------------------------------------------


def sitting_matrix_objects(world, engagement) -> dict:
    """A session of gd_agency sitting today, seats allocated, tickets issued and rendered,
    gd_exam its declared invigilator, gd_sup its supervisor, one undecided incident."""
    from assessments.models import Assignment, Incident, Ticket
    from assessments.services import sittings as sitting_services
    from tests.assessments.builders import assign_to_sitting, sitting_session

    admin = world.members["admin"]
    session = sitting_session(world, candidates=3)
    sitting = session.sittings.get()
    sitting_services.allocate_seats(admin, sitting, rule="random")
    sitting_services.issue_tickets(admin, session)
    for doc_id in [
        *Ticket.objects.filter(enrolment__session=session).values_list("document_id", flat=True),
        session.ticket_batch.document_id,
    ]:
        documents.render_pending(doc_id)
    Assignment.objects.create(
        session=session, sitting=sitting, kind="invigilator", examiner=engagement.examiner,
        user=world.members["examiner"], declared_at=clock.now(), assigned_by=admin,
        assigned_at=clock.now(),
    )  # fmt: skip
    from portal import access

    access.grant(world.members["examiner"], "view_assessmentsession", session)
    assign_to_sitting(world, sitting, world.members["quality_supervisor"], kind="supervisor", n=9)
    incident = Incident.objects.create(
        sitting=sitting, kind="device", description="携带手机", reported_by=admin,
        reported_at=clock.now(),
    )  # fmt: skip
    tickets = list(Ticket.objects.filter(enrolment__session=session).order_by("pk"))
    agency = world.gd_agency.pk
    return {
        "gd_sit_session": [agency, session.pk],
        "gd_sit_ticket": [agency, session.pk, tickets[0].pk],
        "gd_sit_incident": [agency, session.pk, incident.pk],
        "sit_sitting": [sitting.pk],
        "sit_ticket_code": [sitting.pk, tickets[0].code],
        "sit_code": [tickets[0].code],
        "sit_session": [session.pk],
        "sit_token": [sitting_services.ticket_link_token(tickets[0])],
        "sit_lookup_enrolment": tickets[1].enrolment,
        "sit_sitting_obj": sitting,
    }


DATA.update(
    {
        "sit_allocate": lambda o, u: {"sitting": o["sit_sitting_obj"].pk, "rule": "id_order"},
        "sit_decide": lambda o, u: {"decision": "warning", "reason": "提醒一次"},
        "sit_code": lambda o, u: {"code": o["sit_code"][0]},
        "sit_incident": lambda o, u: {"kind": "other", "description": "考场喧哗"},
        "sit_report": lambda o, u: {"process": "秩序良好", "incidents": "", "rating": "good"},
        "sit_lookup": lambda o, u: {
            "real_name": o["sit_lookup_enrolment"].real_name,
            "id_type": "resident_id",
            "id_number": o["sit_lookup_enrolment"].candidate.id_number,
        },
    }
)


def certificate_objects(world) -> dict:
    """Certificates (Art 20): a session whose certificates are issued, and one whose final
    passing results still wait for theirs (the POST issues them)."""
    from certificates.services import issue_certificates
    from tests.certificates.builders import final_session

    issued = final_session(world, 2, photo=True)
    batch = issue_certificates(world.members["admin"], [issued])
    cert = batch.certificates.exclude(photo=None).first()
    return {
        "gd_cert": [world.gd_agency.pk, cert.pk],
        "gd_cert_batch": [world.gd_agency.pk, batch.pk],
        "gd_cert_session": [world.gd_agency.pk, issued.pk],
        "cert_token": [cert.token],
        "cert_status_list": [cert.status_list_id],
        "cert_pending": final_session(world, 2),
    }


# --- Certificates part 2: the signed QR page and legacy records (Art 4, 20; decision 0046) ----
# The page a printed QR code opens is public; legacy imports are for testing-centre staff of
# the jurisdiction (national: all; the object here was staged by the Guangdong centre).


def _legacy_upload(o, u):
    from tests.certificates.builders import candidate_number
    from tests.certificates.legacy_helpers import csv, row

    data = csv(row("4401061907000777", "陈一", candidate_number(77)))
    return {"source": "广州市职业技能鉴定指导中心", "file": SimpleUploadedFile("l.csv", data)}


DATA.update({"legacy_upload": _legacy_upload})

_build_before_qrlegacy = build


def build(world) -> dict:  # noqa: F811 (the signed QR page and a staged legacy import added)
    from certificates.models import Certificate
    from certificates.qr import signature
    from certificates.services import legacy
    from tests.certificates.builders import candidate_number
    from tests.certificates.legacy_helpers import csv, row

    objects = _build_before_qrlegacy(world)
    cert = Certificate.objects.get(token=objects["cert_token"][0])
    staged = legacy.stage(
        world.osta_gd,
        csv(row("4401061907000888", "陈二", candidate_number(88))),
        source="广州市职业技能鉴定指导中心",
    )
    objects["cert_token_sig"] = [cert.token, signature(cert)]
    objects["legacy_import"] = [staged.pk]
    return objects


# --- Certificates part 3: the public lookup and the holder's download (Art 22; decision 0047) -


def _cert_lookup(o, u):
    from certificates.models import Certificate

    cert = Certificate.objects.get(token=o["cert_token"][0])
    return {"way": "number", "name": cert.holder_name, "number": cert.number}


DATA.update({"cert_lookup": _cert_lookup})

_build_before_lookup = build


def build(world) -> dict:  # noqa: F811 (a holder's download link added)
    from certificates.models import Certificate
    from certificates.services import lookup

    objects = _build_before_lookup(world)
    cert = Certificate.objects.get(token=objects["cert_token"][0])
    objects["cert_download"] = [lookup.download_token(cert)]
    return objects


# --- Bulk verification (Art 22; decision 0051) ------------------------------------------------
# A pending 广东 application for the officials' rows; an approved 广东 organisation with an
# admin (vA), a member (vM) and a token; another approved organisation whose member is vX.
# None of the 15 actors belongs to one, so the verifier role has a table of its own below.


def _verifier_objects(world) -> dict:
    from certificates.models import Certificate
    from certificates.services import verifiers
    from tests.certificates.verifier_helpers import application, approved_org, token_of

    pending = verifiers.apply_for_verification(make_user("vr_pending"), application(901))
    org, admin = approved_org(world, make_user("vr_admin"), **vars(application(902)))
    member = make_user("vr_member")
    membership = verifiers.add_member(admin, org, username="vr_member")
    token, _secret = token_of(org, admin)
    _other, other_admin = approved_org(world, make_user("vr_other"), **vars(application(903)))
    cert = Certificate.objects.order_by("pk").first()
    return {
        "verifier_pending": [pending.pk],
        "verifier_org": [org.pk],
        "verifier_member": [org.pk, membership.pk],
        "verifier_token": [org.pk, token.pk],
        "cert_number": [cert.number],
        "verifier_actors": {"vA": admin, "vM": member, "vX": other_admin},
        "verifier_cert": cert,
    }


def _verifier_upload(o, u):
    from tests.certificates.verifier_helpers import xlsx

    cert = o["verifier_cert"]
    data = xlsx([["1", cert.holder_name, "", "", cert.number], ["2", "某人", "", "", "123"]])
    return {"file": SimpleUploadedFile("名单.xlsx", data)}


def _verifier_apply(o, u):
    from tests.certificates.verifier_helpers import application

    return vars(application(904))


DATA.update(
    {
        "verifier_apply": _verifier_apply,
        "verifier_decide": lambda o, u: {"decision": "approve", "note": "", "confirmed": "1"},
        "verifier_upload": _verifier_upload,
        "verifier_member": lambda o, u: {"username": "nobody"},
        "verifier_token": lambda o, u: {"name": "招聘系统", "valid_days": 30, "daily_quota": 100},
    }
)

_build_before_verifiers = build


def build(world) -> dict:  # noqa: F811 (the verifying organisations added)
    objects = _build_before_verifiers(world)
    objects.update(_verifier_objects(world))
    return objects


VERIFIERS = ("vA", "vM", "vX")
# fmt: off
VERIFIER_MATRIX: dict[str, tuple[int, int, int]] = {
    #                                         vA   vM   vX
    "certificates:verification":           (200, 200, 200),
    "certificates:verifier_apply":         (200, 200, 200),
    "certificates:verifier_applications":  (403, 403, 403),
    "certificates:verifier_org":           (200, 200, 404),
    "certificates:verify_template":        (200, 200, 404),
    "certificates:verifier_members":       (200, 403, 404),
    "certificates:verifier_tokens":        (200, 403, 404),
}
VERIFIER_POSTS: dict[str, tuple[str, str, tuple[str, str, str]]] = {
    "certificates:verifier_org":            ("verifier_org",    "verifier_upload", ("200+", "200+", "404")),
    "certificates:verifier_members":        ("verifier_org",    "verifier_member", ("302+", "403", "404")),
    "certificates:verifier_member_remove":  ("verifier_member", "nothing",         ("302+", "403", "404")),
    "certificates:verifier_tokens":         ("verifier_org",    "verifier_token",  ("200+", "403", "404")),
    "certificates:verifier_token_revoke":   ("verifier_token",  "nothing",         ("302+", "403", "404")),
}
# fmt: on


def _as_verifier(client, built, name: str) -> None:
    _actors, objects, _sessions = built
    client.force_login(objects["verifier_actors"][name])


@pytest.mark.parametrize("url_name", sorted(VERIFIER_MATRIX))
def test_the_verifier_role(client, built, db, url_name):
    _actors, objects, _sessions = built
    args = objects.get(MATRIX[url_name][0], [])
    got = {}
    for name in VERIFIERS:
        _as_verifier(client, built, name)
        got[name] = client.get(reverse(url_name, args=args)).status_code
    assert got == dict(zip(VERIFIERS, VERIFIER_MATRIX[url_name], strict=True))


@pytest.mark.parametrize("url_name", sorted(VERIFIER_POSTS))
def test_the_verifier_role_posts(client, built, db, url_name):
    actors, objects, _sessions = built
    args_key, data_key, cells = VERIFIER_POSTS[url_name]
    got = {}
    for name in VERIFIERS:
        with transaction.atomic():
            _as_verifier(client, built, name)
            data = DATA[data_key](objects, objects["verifier_actors"][name])
            before = written()
            response = client.post(reverse(url_name, args=objects[args_key]), data)
            changed = [t for t in changed_since(before) if t != "django_session"]
            transaction.set_rollback(True)
        got[name] = outcome(response, changed)
    assert got == dict(zip(VERIFIERS, cells, strict=True))


# --- Certificates part 3: revocation, correction, reissue (Art 27; decision 0049) ---------------
# One waiting revocation request on gd_cert; the other certificate of its session is asked about
# and revoked directly. Deciding and revoking are the confirmed POSTs (with the password).

DATA.update(
    {
        "chg_reason": lambda o, u: {"reason": "考生冒名顶替"},
        "chg_decide": lambda o, u: {
            "decision": "refuse", "note": "证据不足", "confirmed": "1", "password": PASSWORD,
        },
        "chg_revoke": lambda o, u: {
            "reason": "抽查发现违规", "confirmed": "1", "password": PASSWORD,
        },
    }
)  # fmt: skip

_build_before_changes = build


def build(world) -> dict:  # noqa: F811 (a waiting certificate request added)
    from certificates.models import Certificate
    from certificates.services import request_revocation

    objects = _build_before_changes(world)
    cert = Certificate.objects.get(pk=objects["gd_cert"][1])
    other = Certificate.objects.filter(session=cert.session).exclude(pk=cert.pk).first()
    req = request_revocation(world.members["admin"], cert, reason="证书信息有误")
    agency = world.gd_agency.pk
    objects["chg_ask"] = [agency, other.pk, "revoke"]
    objects["chg_withdraw"] = [agency, req.pk]
    objects["chg_request"] = [req.pk]
    objects["chg_cert"] = [other.pk]
    return objects


# --- Certificates part 4: data submission to the testing centre (Art 21; decision 0052) ------
# A submitted batch of the Guangdong agency (its testing centre: 440000), and one reissue
# event not yet submitted, so the agency's "submit now" has something to submit.

DATA.update({"sub_acknowledge": lambda o, u: {"note": "已核对", "confirmed": "1"}})

_build_before_submissions = build


def build(world) -> dict:  # noqa: F811 (a data submission added)
    from certificates.models import Certificate
    from certificates.services import submission

    objects = _build_before_submissions(world)
    batch = submission.submit_batch(world.gd_agency, actor=world.members["admin"])
    # A paper reissue after the batch, so "submit now" has an event to submit; the
    # certificate stays valid for the certificate-request rows above.
    Certificate.objects.filter(pk=objects["chg_cert"][0]).update(
        reissued_on=clock.today(), reissue_count=1
    )
    objects["gd_submission"] = [batch.pk]
    objects["gd_submission_file"] = [batch.pk, "csv"]
    return objects


# --- Supervision: external quality supervision (Art 26) ---------------------------------------
# A drawn quality plan with a visit of exp_asg (world.expert) waiting for its report, and a
# visit to another session of the 广东 agency whose report is filed.

DATA.update(
    {"quality_report": lambda o, u: {"process": "考务规范。", "rating": "good", "confirmed": "1"}}
)

_build_before_quality = build


def build(world) -> dict:  # noqa: F811 (quality supervision visits added)
    from supervision.services import quality
    from tests.supervision.builders_quality import drawn_visit, report_data

    objects = _build_before_quality(world)
    waiting = drawn_visit(world, session=conduct_session(world, days=41))
    reported = drawn_visit(world, session=conduct_session(world, days=43))
    quality.file_report(world.expert, reported, report_data())
    objects["qv_assigned"] = [waiting.pk]
    objects["qv_reported"] = [world.gd_agency.pk, reported.pk]
    return objects


# --- Supervision: spot-check inspections (Art 25, 27) ----------------------------------------
# A drawn plan (made directly, as the plans stage leaves it) whose gd agency inspection has the
# world's inspector drawn for it, a minor and a serious finding and an open rectification order.


def _sv_state(state: str):
    def data(o, u, extra=None):
        from supervision.models import RectificationOrder

        RectificationOrder.objects.filter(pk=o["sv_order"][0]).update(state=state)
        return dict(extra or {})

    return data


DATA.update(
    {
        "sv_record": lambda o, u: {
            "kind": "document", "visited_on": clock.today().isoformat(), "notes": "查阅台账",
        },
        "sv_finding": lambda o, u: {"severity": "minor", "description": "台账不全"},
        "sv_conclude": lambda o, u: {"conclusion": "problems_found", "confirmed": "1"},
        "sv_order": lambda o, u: {
            "findings": [o["sv_minor"]], "requirements": "补齐台账",
            "deadline": (clock.today() + dt.timedelta(days=20)).isoformat(),
        },
        "sv_follow_up": lambda o, u: {
            "kind": "suspension", "reason": "替考", "legal_basis": "第二十七条",
            "until": (clock.today() + dt.timedelta(days=60)).isoformat(),
            "confirmed": "1", "password": PASSWORD,
        },
        "sv_accept": lambda o, u: _sv_state("answered")(o, u, {"action": "accept"}),
        "sv_reopen": lambda o, u: _sv_state("answered")(
            o, u, {"action": "reopen", "reopen-reason": "证据不足",
                   "reopen-deadline": (clock.today() + dt.timedelta(days=9)).isoformat()},
        ),
        "sv_answer": lambda o, u: {"answer": "已补齐台账"},
    }
)  # fmt: skip

_build_before_inspections = build


def build(world) -> dict:  # noqa: F811 (a drawn plan's inspection added)
    from supervision.services import inspections as sv
    from tests.supervision.builders_inspections import drawn_plan, inspector

    objects = _build_before_inspections(world)
    insp = inspector(world.inspector.username)
    # Without the review opening, so the other rows' answers to the inspector stay as they are.
    _plan, (inspection,) = drawn_plan(world.gd_official, [(world.gd_agency, [insp])], signal=False)
    minor = sv.add_finding(insp, inspection, check_item=None, severity="minor", description="x")
    sv.add_finding(insp, inspection, check_item=None, severity="serious", description="替考")
    order = sv.issue_order(
        insp, inspection=inspection, findings=[minor], requirements="补齐台账",
        deadline=clock.today() + dt.timedelta(days=20),
    )  # fmt: skip
    objects["sv_inspection"] = [inspection.pk]
    objects["sv_minor"] = minor.pk
    objects["sv_order"] = [order.pk]
    objects["sv_agency_order"] = [world.gd_agency.pk, order.pk]
    return objects


# --- Supervision: published spot-check results (Art 25; decision 0056) -------------------------
# A drawn 广东 plan with a concluded clean inspection (and one with findings, one under way);
# a drawn 黑龙江 plan. Publishing is the confirmed POST.

DATA.update({"pub_confirmed": lambda o, u: {"confirmed": "1"}})

_build_before_publication = build


def build(world) -> dict:  # noqa: F811 (spot-check plans and inspections added)
    from tests.supervision import builders_publication

    objects = _build_before_publication(world)
    built = builders_publication.build(world)
    objects["pub_plan"] = [built.plan.pk]
    objects["pub_inspection"] = [built.clean.pk]
    return objects


# --- Spot-check plans (Art 25, 26; decision 0060) -----------------------------------------------
# A draft, a sealed (its public numbers' date already past) and a drawn 广东 plan over the
# 广东 agencies, with four inspectors; check items of every jurisdiction an official may plan in.


def _pl_new(o, u):
    from supervision.models import CheckItem

    osta = u is not None and u.groups.filter(name="osta_staff").exists()
    items = CheckItem.objects.filter(jurisdiction=getattr(u, "jurisdiction", "") or "440000")
    today = clock.today()
    return {
        "title": "矩阵新计划",
        "kind": "quality" if osta else "spot_check",
        "object_kind": "agency",
        "period_start": today.isoformat(),
        "period_end": (today + dt.timedelta(days=30)).isoformat(),
        "check_items": [i.pk for i in items],
        "tier_1": "1",
        "inspectors_per_object": "2",
        "max_objects_per_inspector": "3",
    }


def _pl_edit(o, u):
    return {**_pl_new(o, u), "kind": "spot_check", "check_items": o["pl_items"]}


DATA.update(
    {
        "pl_new": _pl_new,
        "pl_edit": _pl_edit,
        "pl_adjust": lambda o, u: {"agency": o["pl_agency"], "tier": "1", "reason": "投诉较多"},
        "pl_approve": lambda o, u: {
            "randomness_source": "中国福利彩票双色球",
            "randomness_date": (clock.today() + dt.timedelta(days=3)).isoformat(),
            "confirmed": "1",
            "password": PASSWORD,
        },
        "pl_draw": lambda o, u: {"numbers": "03 11 19 22 27 31 08", "confirmed": "1", "password": PASSWORD},
        "pl_close": lambda o, u: {"reason": "年度结束"},
    }
)  # fmt: skip

_build_before_plans = build


def build(world) -> dict:  # noqa: F811 (spot-check plans added)
    from supervision.models import Inspector, SpotCheckPlan
    from tests.supervision import builders_plans as plans

    objects = _build_before_plans(world)
    plans.pools(world)
    for code in ("000000", "230000"):
        plans.check_items(world, code, 1)
    # The world's inspector (drawn for the inspections rows above) stays out of these pools, so
    # no draw here opens the agency's records to it and its other rows keep their answers.
    kept_out = Inspector.objects.filter(user=world.inspector, active=True)
    kept_out_pks = list(kept_out.values_list("pk", flat=True))
    kept_out.update(active=False)
    draft = plans.draft(world, title="矩阵草案")
    sealed = plans.sealed(world, title="矩阵已封存")
    drawn = plans.drawn(world, title="矩阵已抽取")
    Inspector.objects.filter(pk__in=kept_out_pks).update(active=True)
    SpotCheckPlan.objects.filter(pk=sealed.pk).update(randomness_date=clock.today())
    objects["pl_draft"] = [draft.pk]
    objects["pl_sealed"] = [sealed.pk]
    objects["pl_drawn"] = [drawn.pk]
    objects["pl_items"] = list(draft.check_items.values_list("pk", flat=True))
    objects["pl_agency"] = world.gd_agency.pk
    return objects


# --- Supervision part 1, the list and the pools (Art 25, 26; decision 0057) ---------------------
# A 广东 check item; world.inspector in the 广东 inspector pool and world.expert among the 广东
# external supervisors, each with a conflict tag on gd_agency; accounts of the right group in
# each actor's jurisdiction for the "add" POSTs.


def _pools_objects(world) -> dict:
    from supervision.models import ConflictTag, ExternalSupervisor, Inspector
    from tests.supervision.builders_pools import check_item

    now = clock.now()
    item = check_item(world)
    # The inspections and quality rows above may have put these two in the pools already.
    inspector = Inspector.objects.update_or_create(
        user=world.inspector,
        defaults={"jurisdiction": "440000", "organisation": "广州市人社局", "created_at": now},
    )[0]
    supervisor = ExternalSupervisor.objects.update_or_create(
        user=world.expert,
        defaults={"jurisdiction": "440000", "organisation": "广东技术师范大学", "created_at": now},
    )[0]
    tags = [
        ConflictTag.objects.create(agency=world.gd_agency, kind="former_employer",
                                   recorded_at=now, **person)
        for person in ({"inspector": inspector}, {"supervisor": supervisor})
    ]  # fmt: skip
    for code in ("440000", "230000", "000000"):
        make_user(f"pools_insp_{code}", role="inspector", jurisdiction=code)
        make_user(f"pools_exp_{code}", role="expert", jurisdiction=code)
    return {
        "pools_item": [item.pk],
        "pools_inspector": [inspector.pk],
        "pools_inspector_tag": [inspector.pk, tags[0].pk],
        "pools_supervisor": [supervisor.pk],
        "pools_supervisor_tag": [supervisor.pk, tags[1].pk],
        "pools_gd": ["440000"],
    }


def _pools_new_member(prefix: str):
    def data(o, u) -> dict:
        code = getattr(u, "jurisdiction", "") or "440000"
        return {"username": f"{prefix}{code}", "organisation": "某单位", "capacity": 5}

    return data


def _pools_retired(o, u) -> dict:
    from supervision.models import CheckItem

    CheckItem.objects.filter(pk=o["pools_item"][0]).update(active=False)
    return {}


DATA.update(
    {
        "pools_item_new": lambda o, u: {
            "code": "GD-99", "title": "档案保存", "legal_basis": "第二十一条",
            "method": "document", "records": "档案清单",
        },
        "pools_item_retired": _pools_retired,
        "pools_inspector_new": _pools_new_member("pools_insp_"),
        "pools_supervisor_new": _pools_new_member("pools_exp_"),
        "pools_member": lambda o, u: {"organisation": "新单位", "specialities": "", "capacity": 3},
        "pools_deactivate": lambda o, u: {"active": "0", "confirmed": "1"},
        "pools_confirmed": lambda o, u: {"confirmed": "1"},
        "pools_conflict": lambda o, u: {
            "agency": o["gd_entry"].agency.uscc, "kind": "relation", "note": "",
        },
    }
)  # fmt: skip

_build_before_pools = build


def build(world) -> dict:  # noqa: F811 (the list and the pools added)
    objects = _build_before_pools(world)
    objects.update(_pools_objects(world))
    return objects
