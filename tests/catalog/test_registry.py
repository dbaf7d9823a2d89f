"""What the catalog registers and offers: a generated standard's PDF rendered after the
commit, the audit trail's links to catalog objects, the filing queue's waiting time, and the
occupation page's slot that higher apps fill."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from catalog import queries, services
from catalog.models import Method, NationalStandard, Occupation
from portal import audit, clock, slots
from portal.models import DocumentStatus

pytestmark = pytest.mark.django_db
MEDIA = "4-13-01-05"


def levels(*codes: str) -> list[services.LevelInput]:
    return [
        services.LevelInput(c, [services.MethodInput(Method.THEORY, 100, 60, 90)]) for c in codes
    ]


def electrician_standard(world) -> NationalStandard:
    return services.create_standard(
        world.osta_national,
        Occupation.objects.get(code="6-31-01-03"),
        title="电工国家职业技能标准",
        edition_year=2018,
        effective_from=dt.date(2018, 12, 1),
        levels=levels("5", "4"),
        is_demo=True,
    )


def test_a_generated_standard_pdf_is_pending_until_the_commit(
    world, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    standard = electrician_standard(world)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        doc = services.generate_standard_document(world.osta_national, standard)
    standard.refresh_from_db()
    assert standard.document == doc and doc.status == DocumentStatus.PENDING and callbacks
    for callback in callbacks:  # what the commit runs: the render task
        callback()
    doc.refresh_from_db()
    assert doc.status == DocumentStatus.READY and doc.is_public
    assert doc.file.open("rb").read(5) == b"%PDF-"


def test_the_trail_links_a_spec_for_who_may_open_it(world):
    spec = services.create_spec(
        world.members["admin"],
        world.gd_agency,
        occupation=Occupation.objects.get(code=MEDIA),
        title="全媒体运营师评价规范",
        levels=levels("5"),
    )
    label, pk = "catalog.evaluationspec", str(spec.pk)
    assert audit.object_url(world.osta_national, label, pk) == reverse(
        "catalog:spec_review", args=[spec.pk]
    )
    assert audit.object_url(world.members["admin"], label, pk) == reverse(
        "catalog:agency_spec", args=[world.gd_agency.pk, spec.pk]
    )
    assert audit.object_url(world.gd_official, label, pk) is None  # not filed: no public page
    services.submit_spec(world.members["admin"], spec)
    services.file_spec(world.osta_national, spec)
    assert audit.object_url(world.gd_official, label, pk) == reverse(
        "catalog:spec_public", args=[spec.pk]
    )


def test_the_trail_links_occupations_and_standards(world):
    standard = electrician_standard(world)
    occupation = standard.occupation
    assert audit.object_url(world.ministry, "catalog.occupation", str(occupation.pk)) == reverse(
        "catalog:manage_occupation", args=[occupation.code]
    )
    assert audit.object_url(world.gd_official, "catalog.occupation", str(occupation.pk)) == (
        reverse("catalog:occupation", args=[occupation.code])
    )
    assert audit.object_url(world.gd_official, "catalog.nationalstandard", str(standard.pk)) == (
        reverse("catalog:standard", args=[standard.pk])
    )
    assert audit.object_url(world.ministry, "catalog.nationalstandard", "999999") is None


def test_the_filing_queue_says_since_when_the_oldest_waits(world):
    with clock.frozen(dt.date(2026, 11, 2)):
        spec = services.create_spec(
            world.members["admin"],
            world.gd_agency,
            occupation=Occupation.objects.get(code=MEDIA),
            title="全媒体运营师评价规范",
            levels=levels("5"),
        )
        services.submit_spec(world.members["admin"], spec)
    waiting = queries.filing_queue_summary()
    assert waiting["count"] == 1
    assert waiting["oldest"] == spec.reviews.get().submitted_at


def test_the_occupation_page_offers_a_slot(client, world):
    def agencies_here(request, occupation):
        return f"可评价{occupation.name}的机构"

    slots.register("catalog.occupation", agencies_here)
    try:
        body = client.get(reverse("catalog:occupation", args=[MEDIA])).content.decode()
    finally:
        slots.unregister("catalog.occupation", agencies_here)
    assert "可评价全媒体运营师的机构" in body
