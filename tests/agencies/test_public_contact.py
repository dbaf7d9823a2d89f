"""The agency's published contact is chosen, not copied (issue 10): registration and the
application keep the registrant's own name, mobile and e-mail for the authority; the public
directory shows only the office, role mailbox and line the agency entered on purpose."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from agencies import services
from portal.models import Agency, AgencyMembership, AuditEntry
from portal.models.tenant import normalize_phone
from portal.roles import AgencyRole
from tests.agencies.builders import listed_agency, uscc
from tests.catalog.builders import electrician_standard
from tests.portal.builders import PASSWORD, make_user

pytestmark = pytest.mark.django_db

NOTE = "将在评价机构目录中向社会公布"
PERSONAL = ("13800000000", "a@example.org", "020-12345678")  # the builders' registrant


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.CAPTCHA_ENABLED = False


@pytest.fixture
def listed(world, media):
    electrician_standard(world.osta_national)
    return listed_agency(world, "佛山公开联系评价中心", "91440604MA4PC0N0T", kind="S")


def entry_page(client, agency) -> str:
    response = client.get(reverse("agencies:directory_entry", args=[agency.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_directory_never_shows_the_registrants_own_details(client, listed):
    user, agency, _application = listed
    assert agency.contact_phone == "020-12345678" and user.phone == "13800000000"
    page = entry_page(client, agency)
    for value in PERSONAL:
        assert value not in page
    assert "未公布联系方式" in page


def test_the_directory_shows_the_contact_chosen_on_purpose(client, listed):
    user, agency, _application = listed
    services.set_public_contact(
        user, agency, name="考务办公室", phone="０２０ 8765 4321", email="kaowu@example.org"
    )
    agency.refresh_from_db()
    assert agency.public_phone == "020-87654321"  # full-width digits and spaces normalised
    page = entry_page(client, agency)
    assert "考务办公室" in page and "020-87654321" in page and "kaowu@example.org" in page
    assert "未公布联系方式" not in page
    for value in PERSONAL:
        assert value not in page
    entry = AuditEntry.objects.get(action="agencies.public_contact.edit")
    assert entry.changes["public_phone"] == ["", "020-87654321"]


def test_registration_explains_publication_and_takes_the_published_contact(client, world, media):
    page = client.get(reverse("agencies:register")).content.decode()
    assert NOTE in page and "不在评价机构目录中公布" in page  # publication and privacy
    data = {
        "username": "pubcontact",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "real_name": "王五",
        "email": "w@example.org",
        "phone": "13900000000",
        "org_name": "江门技能评价中心",
        "uscc": uscc("91440703MA4PUB0C0"),
        "kind": "S",
        "province": "440000",
        "public_contact_name": "考务办公室",
        "public_phone": "0750-3456789",
        "public_email": "kaowu@jm.example.org",
    }
    assert client.post(reverse("agencies:register"), data).status_code == 302
    agency = Agency.objects.get(name="江门技能评价中心")
    assert (agency.public_contact_name, agency.public_phone, agency.public_email) == (
        "考务办公室",
        "0750-3456789",
        "kaowu@jm.example.org",
    )
    # The registrant's own details stay the private contact for the authority.
    assert (agency.contact_phone, agency.contact_email) == ("13900000000", "w@example.org")


def test_registration_refuses_a_malformed_published_contact_in_chinese(client, world, media):
    data = {
        "username": "badcontact",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "real_name": "王五",
        "email": "w@example.org",
        "phone": "13900000000",
        "org_name": "肇庆技能评价中心",
        "uscc": uscc("91441202MA4BAD0C0"),
        "kind": "S",
        "province": "440000",
        "public_phone": "12345",
        "public_email": "kaowu@",
    }
    response = client.post(reverse("agencies:register"), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "请输入办公电话" in errors["public_phone"][0]
    assert "请输入有效的电子邮箱地址" in errors["public_email"][0]
    assert not Agency.objects.filter(name="肇庆技能评价中心").exists()


def test_the_administrator_chooses_the_published_contact_later(client, world, listed):
    user, agency, _application = listed
    url = reverse("agencies:public_contact", args=[agency.pk])
    client.force_login(user)
    page = client.get(url).content.decode()
    assert NOTE in page
    response = client.post(url, {"public_phone": "020-1234", "public_email": "x"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "请输入办公电话" in errors["public_phone"][0]
    assert "请输入有效的电子邮箱地址" in errors["public_email"][0]
    agency.refresh_from_db()
    assert agency.public_phone == "" and agency.public_email == ""  # nothing half-saved
    response = client.post(
        url,
        {
            "public_contact_name": "鉴定科",
            "public_phone": "400-123-4567",
            "public_email": "jd@example.org",
        },
    )
    assert response.status_code == 302
    agency.refresh_from_db()
    assert (agency.public_contact_name, agency.public_phone) == ("鉴定科", "400-123-4567")
    assert "jd@example.org" in entry_page(client, agency)
    # The same again changes nothing and says so.
    response = client.post(
        url,
        {
            "public_contact_name": "鉴定科",
            "public_phone": "400-123-4567",
            "public_email": "jd@example.org",
        },
    )
    assert "与当前公布的联系方式相同" in response.content.decode()


def test_only_the_administrator_sets_it(client, world, listed):
    _user, agency, _application = listed
    staff = make_user("pc_staff")
    AgencyMembership.objects.create(user=staff, agency=agency, role=AgencyRole.STAFF)
    with pytest.raises(PermissionDenied):
        services.set_public_contact(staff, agency, phone="020-87654321")
    with pytest.raises(PermissionDenied):  # another agency's administrator
        services.set_public_contact(world.members["admin"], agency, phone="020-87654321")
    client.force_login(staff)
    url = reverse("agencies:public_contact", args=[agency.pk])
    assert client.post(url, {"public_phone": "020-87654321"}).status_code == 403
    agency.refresh_from_db()
    assert agency.public_phone == ""


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("020-87654321", "020-87654321"),
        ("02087654321", "020-87654321"),
        ("(0755)2345678", "0755-2345678"),
        ("０７５５ ２３４５ ６７８", "0755-2345678"),
        ("138-0000-0000", "13800000000"),
        ("020-87654321-801", "020-87654321-801"),
        ("400 123 4567", "400-123-4567"),
    ],
)
def test_office_phones_are_normalised(typed, stored):
    assert normalize_phone(typed) == stored
    assert services.clean_public_contact(phone=typed)["public_phone"] == stored
