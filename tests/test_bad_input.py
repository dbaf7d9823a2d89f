"""No server error from any input (issue 10): generated bad input thrown at every public form
and every public path with a parameter, and the reproductions found by probing.

Bad input is NUL and other controls, bidirectional overrides and isolates, zero-width
characters, 10 000-character strings, 30-digit numbers, SQL-ish strings, emoji, invalid UTF-8
(sent as raw percent-encoded bytes, which is also how a lone surrogate arrives: as the bytes
that would encode it) and path segments such as ``%ff`` and ``%c0%80``. Every answer must be
below 500; a form that refuses a value says so at the field, in Chinese.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal import notices, validators
from portal.forms import Form, ModelForm, TextGuardMixin
from portal.models import Agency, Objection, User
from tests.agencies.builders import list_agency, uscc
from tests.bad_inputs import CJK, bad_bytes, bad_text
from tests.portal.builders import PASSWORD

EXAMPLES = 200
FAST = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)

# --- What is thrown ---------------------------------------------------------------------------

bad_segment = st.one_of(
    bad_text.filter(lambda s: s not in ("", ".", "..")).map(lambda s: quote(s, safe="")),
    bad_bytes.filter(bool).map(lambda b: quote(b, safe="")),
    st.sampled_from(["%00", "%ff", "%c0%80", "%ed%a0%80", "%e2%80%ae1", "%25", "-1", "0"]),
    st.integers(min_value=2**31, max_value=10**40).map(str),
)


def registration_data(code: str, **extra) -> dict:
    return {
        "username": "neworg",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "real_name": "王五",
        "email": "w@example.org",
        "phone": "13900000000",
        "org_name": "佛山技能评价中心",
        "uscc": code,
        "kind": "S",
        "province": "440000",
        **extra,
    }


def refused_everywhere(value: str) -> bool:
    """A value every single-line text field refuses: a refused character, or too long."""
    return bool(validators.control_characters(value.strip())) or len(value) > 5000


def body(fields: dict[str, str | bytes]) -> bytes:
    """An application/x-www-form-urlencoded body; bytes values are sent as they are."""
    return urlencode(
        {k: v if isinstance(v, bytes) else v.encode("utf-8") for k, v in fields.items()}
    ).encode("ascii")


def post(client, url: str, fields: dict):
    return client.post(url, body(fields), content_type="application/x-www-form-urlencoded")


def assert_errors_in_chinese(response, field: str | None, value) -> None:
    """Below 500; where the form came back, each of its messages is Chinese, and a value no
    field accepts is refused at ``field`` (a public list's filter ignores it with a note,
    ``portal.forms.FilterForm``)."""
    assert response.status_code < 500, (field, value)
    form = (response.context or {}).get("form") if response.status_code == 200 else None
    if form is None or not form.is_bound:
        return
    for name, errors in form.errors.items():
        for message in errors:
            assert CJK.search(message), (name, message, value)
    if field and isinstance(value, str) and refused_everywhere(value):
        ignored = getattr(form, "ignored_fields", ())
        assert field in form.errors or field in ignored, (field, value, form.errors)


@pytest.fixture
def public(settings, tmp_path):
    settings.CAPTCHA_ENABLED = False
    settings.MEDIA_ROOT = tmp_path
    settings.RATE_LIMITS = dict.fromkeys(
        (
            "public_form.ip",
            "public_form.subnet",
            "signin.ip",
            "signin.subnet",
            "signin.user",
            "signin.user_ip",
            "signin.user_subnet",
        ),
        (10**6, 60),
    )


# --- Reproductions from the issue ---------------------------------------------------------------


def test_a_nul_in_an_occupation_code_is_404_not_500(client, world):
    assert client.get("/catalog/occupations/%00/").status_code == 404
    assert client.get("/catalog/occupations/6-31-01-03%00/").status_code == 404
    assert client.get("/catalog/occupations/6-31-01-03/").status_code == 200
    client.force_login(world.osta_national)
    assert client.get("/workspace/catalog/occupations/%00/").status_code == 404
    assert client.get("/workspace/catalog/occupations/%00/edit/").status_code == 404
    assert client.get("/workspace/catalog/occupations/6-31-01-03/").status_code == 200


def test_a_nul_or_an_override_in_a_password_reset_link_is_404(client, world):
    assert client.get("/accounts/password/reset/%00/set-password/").status_code == 404
    assert client.get("/accounts/password/reset/MQ/%E2%80%AEabc/").status_code == 404


@pytest.mark.parametrize(
    "phone", ["9" * 25, "9" * 21, "-1", "' OR '1'='1' --", "1380013800\u202e0"]
)
def test_a_bad_phone_on_registration_is_refused_at_the_field_in_chinese(
    client, world, public, phone
):
    users, agencies = User.objects.count(), Agency.objects.count()
    response = post(
        client,
        reverse("agencies:register"),
        registration_data(uscc("91440604MA4UP2Y3X"), phone=phone),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["phone"], errors
    assert CJK.search(errors["phone"][0])
    assert (User.objects.count(), Agency.objects.count()) == (users, agencies)


def test_a_name_with_an_override_is_refused_at_the_field(client, world, public):
    data = registration_data(
        uscc("91440604MA4UP2Y3X"), real_name="王\u202e五", org_name="佛山\x07中心"
    )
    response = post(client, reverse("agencies:register"), data)
    errors = response.context["form"].errors
    assert errors["real_name"] == ["不能包含控制字符或文字方向控制字符。"]
    assert errors["org_name"] == ["不能包含控制字符或文字方向控制字符。"]
    assert not User.objects.filter(username="neworg").exists()


def test_the_service_refuses_what_the_user_table_would_not_take(world):
    from agencies import services
    from portal.models import Province

    with pytest.raises(ValidationError) as refused:
        services.register_organisation(
            username="direct",
            password=PASSWORD,
            real_name="名" * 61,
            email="a@example.org",
            phone="9" * 25,
            org_name="直接调用",
            uscc=uscc("91440604MA4UP2Y3X"),
            kind="S",
            province=Province.objects.get(code="440000"),
        )
    assert set(refused.value.message_dict) == {"real_name", "phone"}
    assert not User.objects.filter(username="direct").exists()


def test_a_valid_registration_still_works_and_keeps_the_phone_normalised(client, world, public):
    data = registration_data(uscc("91440604MA4UP2Y3X"), phone="+86 139-0000-0000")
    assert post(client, reverse("agencies:register"), data).status_code == 302
    assert User.objects.get(username="neworg").phone == "13900000000"


LONG_EMAIL = "a" * 64 + "@" + ".".join(["b" * 63, "c" * 63, "d" * 63]) + ".com"  # 260, valid


def test_an_email_longer_than_the_column_is_refused_at_the_field(client, world, public):
    data = registration_data(uscc("91440604MA4UP2Y3X"), email=LONG_EMAIL)
    errors = post(client, reverse("agencies:register"), data).context["form"].errors
    assert list(errors) == ["email"] and CJK.search(errors["email"][0])


def test_a_huge_number_is_refused_at_the_field_not_by_the_database(world):
    from agencies.forms.applications import DetailsForm

    form = DetailsForm(
        {"kind": "S", "registered_province": "440000", "declared_total_assessed": "9" * 30}
    )
    assert list(form.errors) == ["declared_total_assessed"]
    assert CJK.search(form.errors["declared_total_assessed"][0])


def test_a_new_member_with_a_bad_phone_is_refused_at_the_field(world):
    from agencies.forms.staff import AddMemberForm

    for phone in ("9" * 25, "-1", "' OR '1'='1' --", "138\u202e00138000"):
        form = AddMemberForm(
            {"account": "new", "username": "newbie", "real_name": "新人", "phone": phone,
             "role": "staff"}
        )  # fmt: skip
        assert list(form.errors) == ["phone"], (phone, form.errors)


def test_the_user_table_refuses_a_phone_that_is_not_one():
    for phone in ("-1", "' OR '1'='1' --", "12345\n", "+-----", "1" * 21, "138\u202e0013800"):
        with pytest.raises(ValidationError):
            validators.validate_phone(phone)
    for phone in ("13800138000", "020-12345678", "+852 1234 5678", "12345"):
        validators.validate_phone(phone)


def test_a_text_area_keeps_its_line_breaks_and_tabs():
    assert validators.control_characters("一\r\n二\t三", multiline=True) == []
    assert validators.control_characters("一\n二", multiline=False) == ["\n"]
    assert validators.control_characters("a\u202eb\x00", multiline=True) == ["\u202e", "\x00"]


def test_a_guarded_field_stays_guarded_when_copied_and_a_lone_surrogate_is_refused():
    import copy

    from django import forms

    from portal.forms import guard_field

    field = guard_field(forms.CharField(max_length=10))
    twin = copy.deepcopy(field)
    for f in (field, twin):
        with pytest.raises(ValidationError) as refused:
            f.clean("a\u202eb")
        assert refused.value.code == "control_characters"
        assert f.clean(" 王五 ") == "王五"
    assert validators.control_characters("\ud800x") == ["\ud800"]
    area = guard_field(forms.CharField(widget=forms.Textarea))
    assert area.clean("一\n二") == "一\n二"
    with pytest.raises(ValidationError):
        guard_field(forms.CharField()).clean("一\n二")


def test_every_form_of_the_project_has_the_text_guard():
    """A form built on Django's bases directly would miss the guard: none of ours is."""
    import importlib
    import pkgutil

    from django import forms

    for package in ("portal", "catalog", "agencies"):
        root = importlib.import_module(package)
        for info in pkgutil.walk_packages(root.__path__, f"{package}."):
            if "forms" in info.name.split(".") and ".migrations" not in info.name:
                importlib.import_module(info.name)

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    ours = {
        cls
        for cls in subclasses(forms.BaseForm)
        if cls.__module__.split(".")[0] in ("portal", "catalog", "agencies")
    }
    assert len(ours) > 50
    unguarded = sorted(c.__qualname__ for c in ours if not issubclass(c, TextGuardMixin))
    assert unguarded == []
    assert issubclass(Form, TextGuardMixin) and issubclass(ModelForm, TextGuardMixin)


# --- Generated input at every public form -------------------------------------------------------


REGISTRATION_FIELDS = [
    "username",
    "password1",
    "real_name",
    "email",
    "phone",
    "org_name",
    "uscc",
    "kind",
    "province",
]


def test_registration_never_fails_with_a_server_error(client, world, public):
    url = reverse("agencies:register")
    accepted = [0]  # an accepted registration is audited and stays: the next uses new names

    @FAST
    @given(field=st.sampled_from(REGISTRATION_FIELDS), value=st.one_of(bad_text, bad_bytes))
    def check(field, value):
        n = accepted[0]
        base = registration_data(uscc(f"914406046{n:08d}"), username=f"badinput{n}")
        data = {**base, field: value}
        if field == "password1":
            data["password2"] = value
        response = post(client, url, data)
        assert_errors_in_chinese(response, field, value)
        if response.status_code == 302:
            client.logout()
            accepted[0] += 1

    check()


@pytest.fixture
def open_notice(world):
    kind = "tests.bad_input"
    notices.register_kind(
        kind, label="测试公示", on_stood=lambda n: None, on_overturned=lambda n, o: None
    )
    return notices.publish_notice(
        world.gd_official,
        world.gd_agency,
        kind=kind,
        title="关于测试机构的公示",
        body="拟确定该机构为评价机构。",
        period_working_days=30,
        jurisdiction="440000",
        agency=world.gd_agency,
    )


def test_the_objection_form_never_fails_with_a_server_error(client, world, public, open_notice):
    url = reverse("notices:detail", args=[open_notice.pk])
    valid = {"name": "王小明", "contact": "13912345678", "content": "考评场地不符合条件。"}

    @FAST
    @given(field=st.sampled_from(sorted(valid)), value=st.one_of(bad_text, bad_bytes))
    def check(field, value):
        before = Objection.objects.count()
        response = post(client, url, {**valid, field: value})
        assert_errors_in_chinese(response, field, value)
        if isinstance(value, str) and refused_everywhere(
            value.replace("\n", "").replace("\t", "").replace("\r", "")
        ):
            assert Objection.objects.count() == before

    check()


def test_the_tracking_form_and_sign_in_and_password_reset_never_fail(client, world, public):
    forms = [
        (reverse("notices:track"), {"code": "ABCD-EFGH-JKMN-PQRS"}, ["code"]),
        (
            reverse("portal:login"),
            {"username": "nobody", "password": "wrong"},
            ["username", "password"],
        ),
        (reverse("portal:password_reset"), {"email": "a@example.org"}, ["email"]),
        (reverse("portal:set_language"), {"language": "en", "next": "/"}, ["language", "next"]),
    ]

    @FAST
    @given(
        form=st.sampled_from(forms),
        which=st.integers(min_value=0, max_value=1),
        value=st.one_of(bad_text, bad_bytes),
    )
    def check(form, which, value):
        url, valid, fields = form
        field = fields[which % len(fields)]
        response = post(client, url, {**valid, field: value})
        client.cookies.pop(
            django_settings.LANGUAGE_COOKIE_NAME, None
        )  # set_language: back to Chinese
        checked = None if field in ("password", "language", "next") else field
        assert_errors_in_chinese(response, checked, value)

    check()


def test_public_searches_never_fail_with_a_server_error(client, world, public):
    searches = [
        (reverse("catalog:occupations"), ["q", "major_category", "marker", "has_standard", "page"]),
        (reverse("agencies:directory"), ["q", "province", "kind", "occupation", "level", "page"]),
        (reverse("agencies:calls"), ["page"]),
        (reverse("notices:list"), ["show", "page", "kind", "province", "agency"]),
        (reverse("catalog:standards"), ["q", "page"]),
        (reverse("portal:home"), ["q", "next"]),
    ]

    @FAST
    @given(
        search=st.sampled_from(searches),
        which=st.integers(min_value=0, max_value=5),
        value=st.one_of(bad_text, bad_bytes),
    )
    def check(search, which, value):
        url, fields = search
        field = fields[which % len(fields)]
        response = client.get(f"{url}?{body({field: value}).decode()}")
        assert_errors_in_chinese(response, field if field in ("q", "occupation") else None, value)

    check()


# --- Generated input in every public path with a parameter ---------------------------------------


PUBLIC_PATHS = [
    "/catalog/occupations/{}/",
    "/catalog/standards/{}/",
    "/catalog/specs/{}/",
    "/directory/{}/",
    "/calls/{}/",
    "/notices/{}/",
    "/documents/{}/",
    "/accounts/password/reset/{}/set-password/",
    "/accounts/password/reset/MQ/{}/",
    "/{}/",
    "/catalog/{}/",
    "/audit/checkpoints/{}",
]


def test_public_paths_never_fail_with_a_server_error(client, world, public):
    list_agency(world, world.gd_agency, world.members["admin"])

    @FAST
    @given(
        pattern=st.sampled_from(PUBLIC_PATHS),
        segment=bad_segment,
        method=st.sampled_from(["get", "post"]),
    )
    def check(pattern, segment, method):
        path = pattern.format(segment)
        response = getattr(client, method)(path)
        assert response.status_code < 500, path
        if "%00" in segment.lower() or "%e2%80%ae" in segment.lower():
            assert response.status_code in (301, 302, 403, 404, 405), path

    check()


def test_workspace_paths_with_a_code_never_fail_with_a_server_error(client, world, public):
    client.force_login(world.osta_national)

    @FAST
    @given(
        pattern=st.sampled_from(
            [
                "/workspace/catalog/occupations/{}/",
                "/workspace/catalog/occupations/{}/edit/",
                "/workspace/catalog/standards/{}/edit/",
                "/workspace/accounts/{}/",
                "/workspace/agency/{}/",
                "/workspace/agency/{}/applications/",
            ]
        ),
        segment=bad_segment,
    )
    def check(pattern, segment):
        response = client.get(pattern.format(segment))
        assert response.status_code < 500, pattern.format(segment)

    check()


FILTERS = (
    "q", "page", "year", "show", "status", "action", "actor", "agency", "object_type",
    "object_id", "date_from", "date_to", "until", "role", "jurisdiction", "active", "kind",
    "province", "major_category", "marker", "has_standard", "occupation", "level",
)  # fmt: skip


def test_workspace_lists_and_filters_never_fail_with_a_server_error(client, world, public):
    """Every filter parameter of the officials' lists at once, each holding the bad value."""
    lists = [
        (world.osta_national, "/workspace/catalog/standards/"),
        (world.osta_national, "/workspace/catalog/occupations/"),
        (world.osta_national, "/workspace/catalog/specs/"),
        (world.ministry, "/workspace/calendar/"),
        (world.ministry, "/workspace/notices/"),
        (world.ministry, "/workspace/audit/"),
        (world.ministry, "/workspace/accounts/"),
        (world.ministry, "/workspace/agencies/listed/"),
        (world.ministry, "/workspace/agencies/changes/"),
        (world.gd_official, "/workspace/agencies/applications/"),
    ]
    for user, url in lists:
        client.force_login(user)
        assert client.get(url).status_code == 200, url

    @FAST
    @given(which=st.sampled_from(lists), value=st.one_of(bad_text, bad_bytes))
    def check(which, value):
        user, url = which
        client.force_login(user)
        response = client.get(f"{url}?{body(dict.fromkeys(FILTERS, value)).decode()}")
        assert response.status_code < 500, (url, value)

    check()


@pytest.mark.parametrize("year", ["²⁰²⁶", "99999", "0", "\x00"])
def test_the_calendar_ignores_a_year_it_cannot_read(client, world, year):
    client.force_login(world.ministry)
    assert client.get("/workspace/calendar/", {"year": year}).status_code == 200


def test_an_objection_keeps_its_line_breaks_after_a_refused_one(client, world, public, open_notice):
    url = reverse("notices:detail", args=[open_notice.pk])
    refused = post(client, url, {"name": "\x00", "contact": "13912345678", "content": "内容"})
    assert "name" in refused.context["form"].errors
    response = post(
        client, url, {"name": "王小明", "contact": "13912345678", "content": "一\n二\t三"}
    )
    assert response.status_code == 200
    assert Objection.objects.get().content == "一\n二\t三"
