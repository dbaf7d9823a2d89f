"""A specification's refusals (Art 8, 17): the same text refuses the service and disables the
page's button, so an agency or a reviewer sees why before trying."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from catalog import services
from catalog.models import Method, Occupation, SpecStatus
from portal import clock

pytestmark = pytest.mark.django_db
MEDIA = "4-13-01-05"  # 全媒体运营师: no national standard


def levels(*codes: str) -> list[services.LevelInput]:
    return [
        services.LevelInput(c, [services.MethodInput(Method.THEORY, 100, 60, 90)]) for c in codes
    ]


@pytest.fixture
def spec(world):
    return services.create_spec(
        world.members["admin"],
        world.gd_agency,
        occupation=Occupation.objects.get(code=MEDIA),
        title="全媒体运营师评价规范",
        levels=levels("5"),
    )


def standard_for_level_5(world):
    return services.create_standard(
        world.osta_national,
        Occupation.objects.get(code=MEDIA),
        title="全媒体运营师国家职业技能标准",
        edition_year=2026,
        effective_from=dt.date(2026, 4, 1),
        levels=levels("5"),
    )


def test_a_spec_without_levels_cannot_be_submitted_and_its_button_says_why(client, world):
    admin = world.members["admin"]
    empty = services.create_spec(
        admin, world.gd_agency, occupation=Occupation.objects.get(code=MEDIA), title="空规范"
    )
    refusal = services.submission_refusal(empty, admin)
    assert refusal and "至少" in refusal
    with pytest.raises(ValidationError) as info:
        services.submit_spec(admin, empty)
    assert info.value.messages == [refusal]
    assert info.value.error_list[0].code == "no_levels"
    client.force_login(admin)
    body = client.get(reverse("catalog:agency_spec", args=[world.gd_agency.pk, empty.pk]))
    body = body.content.decode()
    assert 'disabled aria-describedby="submit-refusal"' in body and refusal in body


def test_a_level_a_standard_covers_refuses_submission_and_filing(client, world, spec):
    admin = world.members["admin"]
    with clock.frozen(dt.date(2026, 3, 1)):
        assert services.submission_refusal(spec, admin) is None
        spec = services.submit_spec(admin, spec)
        assert services.filing_refusal(spec, world.osta_national) is None
    standard_for_level_5(world)
    with clock.frozen(dt.date(2026, 4, 2)):
        refusal = services.filing_refusal(spec, world.osta_national)
        assert "五级/初级工" in refusal and "全媒体运营师国家职业技能标准" in refusal
        with pytest.raises(ValidationError) as info:
            services.file_spec(world.osta_national, spec)
        assert info.value.messages == [refusal]
        client.force_login(world.osta_national)
        body = client.get(reverse("catalog:spec_review", args=[spec.pk])).content.decode()
    assert 'value="file" disabled aria-describedby="file-refusal"' in body and refusal in body
    spec.refresh_from_db()
    assert spec.status == SpecStatus.SUBMITTED


def test_refusals_name_the_actor_who_may_not_act(world, spec):
    spec = services.submit_spec(world.members["admin"], spec)
    assert services.filing_refusal(spec, world.gd_official)  # provincial: not a keeper (Art 8)
    assert services.submission_refusal(spec, world.hlj_admin)  # another agency
    assert services.withdrawal_refusal(spec, world.members["admin"]) is None
    services.withdraw_spec(world.members["admin"], spec)
    spec.refresh_from_db()
    refusal = services.withdrawal_refusal(spec, world.members["admin"])
    with pytest.raises(ValidationError) as info:
        services.withdraw_spec(world.members["admin"], spec)
    assert info.value.messages == [refusal]
