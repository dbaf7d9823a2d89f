"""Bulk verification (Art 22; decision 0051): applying and deciding, members, tokens (shown
once, hashed at rest, expiry, revocation, quota), per-item answers without ID numbers, the
spreadsheet, audit entries with counts only."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse

from certificates import services
from certificates.models import (
    ApiToken,
    Certificate,
    VerificationUpload,
    VerifierOrganisation,
    VerifierState,
)
from certificates.services import verifiers, verify_xlsx
from portal import access, clock
from portal.models import AuditEntry
from tests.certificates.builders import candidate_number
from tests.certificates.verifier_helpers import (
    application,
    approved_org,
    read_xlsx,
    token_of,
    xlsx,
)
from tests.portal.builders import PASSWORD, make_user

pytestmark = pytest.mark.django_db
VERIFY = "/api/v1/certificates/verify"


@pytest.fixture
def issued(world):
    from tests.certificates.builders import final_session

    session = final_session(world, 3, failed=0)
    services.issue_certificates(world.members["admin"], [session])
    return list(Certificate.objects.filter(session=session).order_by("number"))


@pytest.fixture
def org(world):
    return approved_org(world)


def post(client, secret, body, **extra):
    data = body if isinstance(body, bytes | str) else json.dumps(body)
    return client.post(
        VERIFY,
        data,
        content_type=extra.pop("content_type", "application/json"),
        headers={"Authorization": f"Bearer {secret}"},
        **extra,
    )


# --- Applying and deciding -------------------------------------------------------------------


def test_a_signed_in_user_applies_and_the_provincial_official_approves(world):
    applicant = make_user("hr_apply")
    org = verifiers.apply_for_verification(applicant, application())
    assert org.state == VerifierState.PENDING and org.province == "440000"
    assert not access.can(applicant, "certificates.verify", org)
    with pytest.raises(PermissionDenied):  # another province's official
        verifiers.decide_application(world.hlj_official, org, approve=True, note="")
    verifiers.decide_application(world.gd_official, org, approve=True, note="")
    applicant = type(applicant).objects.get(pk=applicant.pk)
    assert access.can(applicant, "certificates.verify", org)
    assert access.can(applicant, "certificates.verifier.manage", org)
    assert verifiers.apply_refusal(applicant)


def test_a_bad_uscc_is_refused_at_the_field(world):
    with pytest.raises(ValidationError) as exc:
        verifiers.apply_for_verification(
            make_user("hr_bad"), application(uscc="91440101MA5000001X")
        )
    assert "uscc" in exc.value.error_dict


def test_a_refusal_needs_a_reason(world):
    org = verifiers.apply_for_verification(make_user("hr_r"), application())
    with pytest.raises(ValidationError):
        verifiers.decide_application(world.gd_official, org, approve=False, note=" ")
    verifiers.decide_application(world.ministry, org, approve=False, note="用途不明确")
    assert VerifierOrganisation.objects.get(pk=org.pk).state == VerifierState.REFUSED


def test_the_decision_page_confirms_before_approving(client, world):
    org = verifiers.apply_for_verification(make_user("hr_page"), application())
    client.force_login(world.gd_official)
    url = reverse("certificates:verifier_application", args=[org.pk])
    assert client.get(url).status_code == 200
    first = client.post(url, {"decision": "approve", "note": ""})
    assert first.status_code == 200 and "portal/confirm.html" in [t.name for t in first.templates]
    assert VerifierOrganisation.objects.get(pk=org.pk).state == VerifierState.PENDING
    client.post(url, {"decision": "approve", "note": "", "confirmed": "1"})
    assert VerifierOrganisation.objects.get(pk=org.pk).state == VerifierState.APPROVED


def test_members_are_added_and_the_last_admin_stays(world, org):
    org, admin = org
    clerk = make_user("hr_clerk")
    membership = verifiers.add_member(admin, org, username="hr_clerk")
    assert access.can(clerk, "certificates.verify", org)
    assert not access.can(clerk, "certificates.verifier.manage", org)
    with pytest.raises(PermissionDenied):
        verifiers.add_member(clerk, org, username="nobody")
    with pytest.raises(ValidationError):
        verifiers.remove_member(admin, org, org.members.get(user=admin))
    verifiers.remove_member(admin, org, membership)
    clerk = type(clerk).objects.get(pk=clerk.pk)
    assert not access.can(clerk, "certificates.verify", org)


# --- Tokens --------------------------------------------------------------------------------


def test_a_token_is_shown_once_and_only_its_hash_is_kept(client, world, org):
    org, admin = org
    client.force_login(admin)
    url = reverse("certificates:verifier_tokens", args=[org.pk])
    page = client.post(url, {"name": "招聘系统", "valid_days": 30, "daily_quota": 100})
    token = ApiToken.objects.get(organisation=org)
    secret = page.context["secret"]
    assert secret.startswith(f"vk_{token.prefix}_") and secret in page.content.decode()
    assert secret not in client.get(url).content.decode()  # never again
    assert token.secret_hash == verifiers.hash_secret(secret)
    with connection.cursor() as cursor:  # the secret is nowhere in the database
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = 'public' AND data_type IN ('text', 'character varying', 'jsonb')"
        )
        columns = cursor.fetchall()
        hits = []
        for table, column in columns:
            cursor.execute(
                f'SELECT 1 FROM "{table}" WHERE "{column}"::text LIKE %s LIMIT 1',  # noqa: S608
                [f"%{secret[8:]}%"],
            )
            if cursor.fetchone():
                hits.append((table, column))
    assert hits == []


def test_wrong_expired_and_revoked_tokens_answer_401(client, world, org, issued):
    org, admin = org
    token, secret = token_of(org, admin)
    item = {
        "items": [{"reference": "1", "name": issued[0].holder_name, "number": issued[0].number}]
    }
    assert post(client, secret, item).status_code == 200
    for wrong in (secret[:-1] + ("A" if secret[-1] != "A" else "B"), "vk_x_y", "", "Basic abc"):
        header = wrong if wrong.startswith("Basic") else f"Bearer {wrong}"
        answer = client.post(
            VERIFY, json.dumps(item), content_type="application/json",
            headers={"Authorization": header},
        )  # fmt: skip
        assert answer.status_code == 401 and answer.json()["error"] == "unauthorised"
    with clock.frozen(token.expires_at + dt.timedelta(seconds=1)):
        answer = post(client, secret, item)
        assert answer.status_code == 401 and answer.json()["error"] == "token_expired"
    verifiers.revoke_token(admin, org, token)
    answer = post(client, secret, item)
    assert answer.status_code == 401 and answer.json()["error"] == "token_revoked"
    assert "Set-Cookie" not in answer.headers and not answer.cookies


def test_the_daily_quota_answers_429_with_retry_after_and_counts_nothing(
    client, world, org, issued
):
    org, admin = org
    token, secret = token_of(org, admin, quota=3)
    cert = issued[0]
    one_item = {"name": cert.holder_name, "number": cert.number}
    two = {"items": [{"reference": str(i), **one_item} for i in range(2)]}
    assert post(client, secret, two).json()["quota_remaining"] == 1
    refused = post(client, secret, two)
    assert refused.status_code == 429 and refused.json()["error"] == "quota_exceeded"
    assert 0 < int(refused["Retry-After"]) <= 86400
    assert verifiers.used_today(token) == 2
    one = {"items": two["items"][:1]}
    assert post(client, secret, one).status_code == 200
    assert post(client, secret, one).status_code == 429


def test_a_suspended_organisation_is_refused(client, world, org, issued):
    org, admin = org
    _token, secret = token_of(org, admin)
    VerifierOrganisation.objects.filter(pk=org.pk).update(state=VerifierState.SUSPENDED)
    answer = post(client, secret, {"items": [{"name": "x", "number": issued[0].number}]})
    assert answer.status_code == 403


# --- Answers --------------------------------------------------------------------------------


def test_each_item_is_answered_in_order_without_the_id_number(client, world, org, issued):
    org, admin = org
    _token, secret = token_of(org, admin)
    a, b, c = issued
    items = [
        {
            "reference": "R1",
            "name": a.holder_name,
            "id_type": "resident_id",
            "id_number": a.id_number,
        },
        {"reference": "R2", "name": "不是他", "number": b.number},
        {"reference": "R3", "name": c.holder_name, "number": c.number},
        {"reference": "R4", "name": a.holder_name, "id_number": "123"},
        {"reference": "R5", "name": 5, "number": c.number},
    ]
    answer = post(client, secret, {"items": items})
    assert answer.status_code == 200
    got = answer.json()["items"]
    assert [g["reference"] for g in got] == ["R1", "R2", "R3", "R4", "R5"]
    assert got[0]["found"] and got[0]["status"] == "valid"
    assert got[0]["certificates"][0]["number"] == a.number
    assert got[1] == {"reference": "R2", "found": False, "status": None, "certificates": []}
    assert got[2]["certificates"][0]["occupation"] == c.occupation_name
    assert got[3]["error"] == "invalid_item" and "id_number" in got[3]["errors"]
    assert "name" in got[4]["errors"]
    body = answer.content.decode()
    for cert in issued:
        assert cert.id_number not in body and cert.id_number[-6:] not in body
        assert cert.masked_id not in body


def test_a_revoked_certificate_says_so(client, world, org, issued):
    org, admin = org
    _token, secret = token_of(org, admin)
    cert = issued[0]
    Certificate.objects.filter(pk=cert.pk).update(
        status="revoked", revoked_at=clock.now(), revoked_reason="弄虚作假"
    )
    got = post(client, secret, {"items": [{"name": cert.holder_name, "number": cert.number}]})
    facts = got.json()["items"][0]["certificates"][0]
    assert facts["status"] == "revoked" and facts["revoked_reason"] == "弄虚作假"


def test_get_one_certificate_needs_the_name(client, world, org, issued):
    org, admin = org
    _token, secret = token_of(org, admin)
    cert = issued[0]
    auth = {"Authorization": f"Bearer {secret}"}
    url = f"/api/v1/certificates/{cert.number}"
    assert client.get(url, headers=auth).json()["error"] == "name_required"
    got = client.get(url, {"name": cert.holder_name}, headers=auth)
    assert got.status_code == 200 and got.json()["number"] == cert.number
    assert cert.id_number not in got.content.decode()
    assert client.get(url, {"name": "别人"}, headers=auth).status_code == 404
    assert client.get(url, {"name": cert.holder_name}).status_code == 401


def test_audit_entries_hold_counts_not_id_numbers(client, world, org, issued):
    org, admin = org
    _token, secret = token_of(org, admin)
    cert = issued[0]
    items = [{"reference": "A", "name": cert.holder_name, "id_number": cert.id_number}] * 3
    post(client, secret, {"items": items})
    entry = AuditEntry.objects.filter(action="certificates.verify.api").latest("pk")
    assert entry.changes["items"] == 3 and entry.changes["found"] == 3
    client.force_login(admin)
    data = xlsx([["1", cert.holder_name, "居民身份证", cert.id_number, ""]])
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.post(
        reverse("certificates:verifier_org", args=[org.pk]),
        {"file": SimpleUploadedFile("名单.xlsx", data)},
    )
    upload = AuditEntry.objects.filter(action="certificates.verify.upload").latest("pk")
    assert upload.changes["rows"] == 1
    for e in AuditEntry.objects.filter(action__startswith="certificates.verif"):
        text = json.dumps(e.changes, ensure_ascii=False) + e.object_repr
        assert cert.id_number not in text and cert.holder_name not in text


# --- The spreadsheet --------------------------------------------------------------------------


def test_the_spreadsheet_is_answered_row_by_row(client, world, org, issued):
    org, admin = org
    a, b, c = issued
    rows = [
        ["1", a.holder_name, "居民身份证", a.id_number, ""],
        ["2", b.holder_name, "", "", b.number],
        ["3", "查无此人", "居民身份证", candidate_number(99999), ""],
        ["4", c.holder_name, "居民身份证", "12345", ""],
    ]
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(admin)
    url = reverse("certificates:verifier_org", args=[org.pk])
    answer = client.post(url, {"file": SimpleUploadedFile("名单.xlsx", xlsx(rows))})
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("application/vnd.openxmlformats")
    lines = read_xlsx(answer.content)
    assert lines[0][:3] == ["编号", "姓名", "是否查到"]
    assert [r[2] for r in lines[1:]] == ["是", "是", "否", "无法核验"]
    assert lines[1][4] == a.number and lines[1][3] == "有效"
    assert "证件号码" in lines[4][12]
    flat = json.dumps(lines, ensure_ascii=False)
    for cert in issued:
        assert cert.id_number not in flat
    upload = VerificationUpload.objects.get(organisation=org)
    assert (upload.row_count, upload.found_count, upload.error_count) == (4, 2, 1)


def test_a_bad_file_is_refused_at_the_field(client, world, org):
    from django.core.files.uploadedfile import SimpleUploadedFile

    org, admin = org
    client.force_login(admin)
    url = reverse("certificates:verifier_org", args=[org.pk])
    for data in (b"", b"name,id\n1,2\n", b"PK\x03\x04broken", xlsx([], headings=("a", "b"))):
        page = client.post(url, {"file": SimpleUploadedFile("x.xlsx", data)})
        assert page.status_code == 200 and page.context["form"].errors.get("file"), data[:10]


def test_the_template_has_the_headings(client, world, org):
    org, admin = org
    client.force_login(admin)
    data = client.get(reverse("certificates:verify_template", args=[org.pk])).content
    assert read_xlsx(data)[0] == [h for _k, h in verify_xlsx.COLUMNS]


def test_others_cannot_reach_the_organisation(client, world, org):
    org, _admin = org
    client.force_login(world.nobody)
    assert client.get(reverse("certificates:verifier_org", args=[org.pk])).status_code == 404
    client.force_login(world.gd_official)
    assert client.get(reverse("certificates:verifier_tokens", args=[org.pk])).status_code == 404


def test_a_password_is_not_needed_for_the_api_and_the_session_stays_out(client, world, org):
    assert PASSWORD  # the API never signs in: no session cookie is set by any answer
    answer = client.post(VERIFY, "{}", content_type="application/json")
    assert answer.status_code == 401 and not answer.cookies


def test_typed_values_never_become_formulas_or_control_characters_in_the_answers():
    data = verify_xlsx.answers_xlsx([['=HYPERLINK("x")', "张\x01三", "否"]])
    row = read_xlsx(data)[1]
    assert row[0] == '\'=HYPERLINK("x")' and row[1] == "张三"
