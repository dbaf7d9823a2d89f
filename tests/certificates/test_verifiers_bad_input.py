"""200 generated bad inputs against the verification API and the spreadsheet upload, and the
OpenAPI description (Art 22; decision 0051): no input gives a server error; every API error
is JSON with a stable code and a Chinese message; no ID number comes back."""

from __future__ import annotations

import io
import json
import random
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, get_resolver, resolve, reverse

from certificates import services
from certificates.models import Certificate
from certificates.views.api import OPENAPI
from tests.certificates.verifier_helpers import approved_org, token_of, xlsx

pytestmark = pytest.mark.django_db
VERIFY = "/api/v1/certificates/verify"
CODES = {
    "unauthorised", "bad_json", "bad_request", "too_many_items", "too_large",
    "unsupported_media_type", "method_not_allowed", "name_required", "not_found",
    "quota_exceeded", "token_revoked", "token_expired",
}  # fmt: skip


@pytest.fixture
def setup(world):
    from tests.certificates.builders import final_session

    session = final_session(world, 2, failed=0)
    services.issue_certificates(world.members["admin"], [session])
    cert = Certificate.objects.filter(session=session).first()
    org, admin = approved_org(world)
    _token, secret = token_of(org, admin, quota=10**6)
    return cert, org, admin, secret


def _bodies(cert, rng: random.Random) -> list[tuple[bytes | str, str]]:
    """(body, content type) pairs: broken JSON, wrong shapes and types, limits, controls."""
    good = {"reference": "r", "name": cert.holder_name, "number": cert.number}
    weird = [None, 1, 1.5, True, [], {}, "x" * 100_000, "\x00", "\u202e", "张\x00三", -1, 10**40]
    out: list[tuple[bytes | str, str]] = [
        (b"", "application/json"),
        (b"{", "application/json"),
        (b"\xff\xfe\x00", "application/json"),
        (b"null", "application/json"),
        (b"[]", "application/json"),
        (b'"items"', "application/json"),
        (b"{}", "application/json"),
        (b'{"items": {}}', "application/json"),
        (b'{"items": []}', "application/json"),
        (b'{"items": "abc"}', "application/json"),
        (b"[" * 100_000, "application/json"),
        (json.dumps({"items": [good] * 1001}), "application/json"),
        (json.dumps({"items": [good]}), "text/plain"),
        (json.dumps({"items": [good]}), "application/x-www-form-urlencoded"),
        (json.dumps({"items": [good]}), "multipart/form-data; boundary=x"),
        (b"items=1", "application/x-www-form-urlencoded"),
        (b"\x00" * 1000, "application/json"),
        (json.dumps({"items": [good]}).encode("utf-16"), "application/json"),
        (b"x" * (3 * 1024 * 1024), "application/json"),
        (json.dumps({"items": [1, 2, 3]}), "application/json"),
    ]
    fields = ["reference", "name", "id_type", "id_number", "number"]
    while len(out) < 140:
        item = dict(good)
        for _ in range(rng.randint(1, 3)):
            field = rng.choice(fields)
            item[field] = rng.choice(weird)
        if rng.random() < 0.2:
            item.pop(rng.choice(fields), None)
        out.append((json.dumps({"items": [item, good][: rng.randint(1, 2)]}), "application/json"))
    return out


def _check_api(response, id_numbers) -> None:
    assert response.status_code < 500, response.content[:200]
    body = response.json()
    assert "Set-Cookie" not in response.headers
    if response.status_code != 200:
        assert body["error"] in CODES and body["message"]
    text = response.content.decode()
    for number in id_numbers:
        assert number not in text


def _zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/worksheets/sheet1.xml", "<a>" + "0" * 20_000_000 + "</a>")
    return out.getvalue()


def _files(cert, rng: random.Random) -> list[tuple[str, bytes]]:
    files = [
        ("empty.xlsx", b""),
        ("csv.xlsx", "编号,姓名,证件类型,证件号码,证书编号\n1,张三,,,123\n".encode()),
        ("bad.xlsx", b"PK\x03\x04" + b"\x00" * 100),
        ("text.xlsx", b"hello"),
        ("pdf.xlsx", b"%PDF-1.4\n%%EOF"),
        ("bomb.xlsx", _zip_bomb()),
        ("headings.xlsx", xlsx([])),
        ("wrong-headings.xlsx", xlsx([["1", "2"]], headings=("a", "b"))),
        ("nul.csv", f"编号,姓名,证件类型,证件号码,证书编号\n1,张\x01三,,,{cert.number}\n".encode()),
        ("formula.csv", "编号,姓名,证件类型,证件号码,证书编号\n=1+1,=HYPERLINK(1),,,1\n".encode()),
        ("numbers.xlsx", xlsx([[1, 2, 3, 440106199001011234, 4.5]])),
        ("long.xlsx", xlsx([["r" * 5000, "n" * 5000, "t" * 5000, "i" * 5000, "c" * 5000]])),
        ("png.xlsx", b"\x89PNG\r\n\x1a\n" + b"\x00" * 50),
    ]
    weird = ["", "\u202e", "x" * 300, "12345", "居民身份证", "护照", "？", 3.14, -7]
    while len(files) < 60:
        row = ["1", cert.holder_name, "", "", cert.number]
        for _ in range(rng.randint(1, 3)):
            row[rng.randrange(5)] = rng.choice(weird)
        files.append((f"gen{len(files)}.xlsx", xlsx([row, ["2", "某人", "", "", "x"]])))
    return files


def test_two_hundred_bad_inputs_give_no_server_error(client, world, setup):
    cert, org, admin, secret = setup
    rng = random.Random(18)
    ids = [cert.id_number]
    api = Client(raise_request_exception=False)
    auth = {"Authorization": f"Bearer {secret}"}
    count = 0
    for body, content_type in _bodies(cert, rng):
        _check_api(api.post(VERIFY, body, content_type=content_type, headers=auth), ids)
        count += 1
    for path in (
        f"/api/v1/certificates/{cert.number}?name=%00",
        f"/api/v1/certificates/{'9' * 5000}?name=x",
        "/api/v1/certificates/%00?name=x",
        f"/api/v1/certificates/{cert.number}?name={'张' * 5000}",
    ):
        _check_api(api.get(path, headers=auth), ids)
        count += 1
    for header in ("Bearer", "Bearer \x00", "Bearer vk_\u202e_x", "Bearer " + "a" * 10_000):
        _check_api(api.post(VERIFY, "{}", content_type="application/json",
                            headers={"Authorization": header}), ids)  # fmt: skip
        count += 1
    browser = Client(raise_request_exception=False)
    browser.force_login(admin)
    url = reverse("certificates:verifier_org", args=[org.pk])
    for name, data in _files(cert, rng):
        response = browser.post(url, {"file": SimpleUploadedFile(name, data)})
        assert response.status_code == 200, (name, response.status_code)
        if response["Content-Type"].startswith("text/html"):
            assert response.context["form"].errors, name
        count += 1
    assert count >= 200


def test_the_openapi_description_is_an_openapi_3_document_matching_the_routes(client):
    spec = json.loads(OPENAPI.read_text("utf-8"))
    assert spec["openapi"].startswith("3.")
    assert spec["info"]["title"] and spec["info"]["version"]
    assert spec["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    schemas = spec["components"]["schemas"]

    def refs(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "$ref":
                    yield value
                else:
                    yield from refs(value)
        elif isinstance(node, list):
            for value in node:
                yield from refs(value)

    for ref in refs(spec):
        assert ref.startswith("#/components/schemas/") and ref.rsplit("/", 1)[1] in schemas
    for path, item in spec["paths"].items():
        for method, op in item.items():
            assert method in {"get", "post", "put", "delete", "patch"}
            assert op["operationId"] and op["responses"]
            for status, answer in op["responses"].items():
                assert status.isdigit() and answer["description"]
        concrete = path.replace("{number}", "S000044010600001250301")
        assert resolve(concrete).url_name.startswith("api_"), path
    names = {p.name for p in get_resolver().url_patterns if isinstance(p, URLPattern)}
    assert names is not None
    served = client.get("/api/v1/openapi.json")
    assert served.status_code == 200 and served.json() == spec
    page = client.get("/api/v1/docs/")
    assert page.status_code == 200 and "POST /api/v1/certificates/verify" in page.content.decode()


def test_the_demo_organisation_and_token_work(client, world):
    from certificates import demo_verifiers
    from certificates.models import VerifierOrganisation, VerifierState
    from portal.models import User

    User.objects.filter(pk=world.gd_official.pk).update(username="gd_official")
    demo_verifiers.seed()
    demo_verifiers.seed()  # idempotent
    org = VerifierOrganisation.objects.get(uscc=demo_verifiers.DEMO_USCC)
    assert org.state == VerifierState.APPROVED
    assert org.members.filter(user__username="verifier", is_admin=True).exists()
    assert VerifierOrganisation.objects.filter(state=VerifierState.PENDING).count() == 1
    answer = client.post(
        VERIFY,
        {"items": [{"reference": "1", "name": "张三", "number": "S000044010600001250301"}]},
        content_type="application/json",
        headers={"Authorization": f"Bearer {demo_verifiers.DEMO_TOKEN}"},
    )
    assert answer.status_code == 200 and answer.json()["items"][0]["found"] is False
