"""Public pages' cached content (portal.pagecache, docs/decisions/0030): shared between
anonymous visitors, abandoned when the data it shows changes (on commit), never for signed-in
users or content with a CSRF token, and keyed by the date."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.db import connection, transaction
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.models import Occupation
from portal import audit, clock, pagecache
from portal.models import Agency, AgencyStatus
from tests.agencies.builders import list_agency
from tests.portal.builders import PASSWORD

pytestmark = pytest.mark.django_db

ELECTRICIAN = "6-31-01-03"


@pytest.fixture
def cached(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 300
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"pagecache-{uuid.uuid4()}",
        }
    }
    pagecache._local.clear()
    yield
    pagecache._local.clear()


def get(client, url: str) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(captured.captured_queries)


def main(body: str) -> str:
    return body[body.index("<main") : body.index("</main>")]


def test_a_second_anonymous_visit_runs_no_query(client, world, cached):
    for url in (
        reverse("catalog:occupation", args=[ELECTRICIAN]),
        reverse("catalog:occupations") + "?q=电",
        reverse("catalog:standards"),
        reverse("agencies:directory"),
        reverse("agencies:directory_entry", args=[world.gd_agency.pk]),
        reverse("notices:list"),
    ):
        if "directory/" in url and url.rstrip("/").split("/")[-1].isdigit():
            list_agency(world, world.gd_agency, world.members["admin"])
        first, queries = get(client, url)
        again, none = get(client, url)
        assert none == 0, url
        assert queries > 0 and main(again) == main(first), url


def test_a_committed_change_shows_at_once(
    client, world, cached, django_capture_on_commit_callbacks
):
    url = reverse("catalog:occupation", args=[ELECTRICIAN])
    assert "电工" in get(client, url)[0]
    occupation = Occupation.objects.get(code=ELECTRICIAN)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        occupation.name = "电工（新名称）"
        occupation.save(update_fields=["name"])
    assert "电工（新名称）" in get(client, url)[0]


def test_an_update_with_its_audit_entry_invalidates(
    client, world, cached, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    list_agency(world, world.gd_agency, world.members["admin"])
    Agency.objects.filter(pk=world.gd_agency.pk).update(status=AgencyStatus.LISTED)
    url = reverse("catalog:occupation", args=[ELECTRICIAN])
    assert world.gd_agency.name in get(client, url)[0]
    # A service's queryset.update() sends no signal; its audit entry bumps the version.
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        Agency.objects.filter(pk=world.gd_agency.pk).update(status=AgencyStatus.SUSPENDED)
        audit.record(world.gd_official, "tests.suspend", world.gd_agency, {})
    assert world.gd_agency.name not in get(client, url)[0]


def test_a_rolled_back_change_keeps_the_version(world, cached):
    before = pagecache.version()
    with pytest.raises(RuntimeError), transaction.atomic():
        Occupation.objects.filter(code=ELECTRICIAN).get().save()
        raise RuntimeError
    assert pagecache.version() == before


def test_signed_in_users_get_a_fresh_page(client, world, cached):
    url = reverse("catalog:occupation", args=[ELECTRICIAN])
    get(client, url)
    client.login(username=world.gd_official.username, password=PASSWORD)
    _body, queries = get(client, url)
    assert queries > 2


def test_content_with_a_csrf_token_is_never_shared(world, cached):
    request = RequestFactory().get("/somewhere/")
    request.user = type("Anonymous", (), {"is_authenticated": False})()
    form = '<input type="hidden" name="csrfmiddlewaretoken" value="x">'
    assert pagecache.fragment("tests.form", request, lambda: form) == form
    assert pagecache.fragment("tests.form", request, lambda: "other") == "other"
    assert pagecache.fragment("tests.plain", request, lambda: "plain") == "plain"
    assert pagecache.fragment("tests.plain", request, lambda: "other") == "plain"


def test_the_date_is_part_of_the_key(world, cached):
    request = RequestFactory().get("/somewhere/")
    request.user = type("Anonymous", (), {"is_authenticated": False})()
    with clock.frozen(dt.date(2027, 3, 5)):
        assert pagecache.fragment("tests.day", request, lambda: "friday") == "friday"
    with clock.frozen(dt.date(2027, 3, 6)):
        assert pagecache.fragment("tests.day", request, lambda: "saturday") == "saturday"


def test_off_when_the_setting_is_zero(world, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    request = RequestFactory().get("/somewhere/")
    assert pagecache.fragment("tests.off", request, lambda: "a") == "a"
    assert pagecache.fragment("tests.off", request, lambda: "b") == "b"
