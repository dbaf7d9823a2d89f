"""The draw as pure functions (decision 0055): same snapshot and seed give the same list, any
change of a pool row changes the digest, people with a conflict stand aside."""

from __future__ import annotations

import copy

import pytest

from supervision import draw


def snapshot(objects: int = 40, people: int = 12, per_object: int = 2) -> dict:
    objs = [{"id": f"agency:{i}", "tier": 1 + i % 4} for i in range(objects)]
    sizes = {str(t): sum(1 for o in objs if o["tier"] == t) for t in range(1, 5)}
    rules = {"1": {"percent": "30"}, "2": {"percent": "10"}, "3": {"count": 2}, "4": {}}
    return {
        "version": draw.ALGORITHM,
        "plan": {"id": 1},
        "per_object": per_object,
        "quotas": draw.quotas(rules, sizes),
        "objects": objs,
        "people": [
            {"id": f"p-{i:04d}", "digest": "d", "capacity": 3, "avoid": [f"agency:{i}"]}
            for i in range(people)
        ],
    }


def seed(snap: dict, numbers: str = "03 11 19 22 27 31 08") -> str:
    return draw.seed_of(draw.ALGORITHM, draw.digest(draw.canonical(snap)), "ab" * 32, numbers)


def test_same_snapshot_and_seed_give_the_same_list():
    snap = snapshot()
    assert draw.draw(snap, seed(snap)) == draw.draw(copy.deepcopy(snap), seed(snap))
    assert draw.verify(draw.canonical(snap), seed(snap), draw.draw(snap, seed(snap)))


def test_one_changed_pool_row_changes_the_digest_and_the_seed():
    snap = snapshot()
    other = copy.deepcopy(snap)
    other["people"][3]["capacity"] = 2
    assert draw.digest(draw.canonical(snap)) != draw.digest(draw.canonical(other))
    assert seed(snap) != seed(other)


def test_quotas_per_tier_and_conflicted_people_stand_aside():
    snap = snapshot()
    result = draw.draw(snap, seed(snap))
    tiers = [obj["tier"] for obj in result["objects"]]
    assert {t: tiers.count(t) for t in set(tiers)} == {1: 3, 2: 1, 3: 2}
    for obj in result["objects"]:
        assert len(obj["people"]) == 2 and len(set(obj["people"])) == 2
        index = int(obj["id"].split(":")[1])
        assert f"p-{index:04d}" not in obj["people"]


def test_numbers_are_read_as_runs_of_digits():
    assert draw.normalise_numbers("03,11 19＋08") == draw.normalise_numbers(" 03 11 19 08 ")


def test_a_tampered_result_does_not_verify():
    snap = snapshot()
    result = draw.draw(snap, seed(snap))
    result["objects"][0]["people"].reverse()
    assert not draw.verify(draw.canonical(snap), seed(snap), result)


def test_too_few_people_is_a_gap_and_the_draw_is_impossible():
    snap = snapshot(people=2)
    snap["people"][0]["avoid"] = [o["id"] for o in snap["objects"]]
    assert draw.gaps(snap)
    with pytest.raises(draw.DrawImpossible):
        draw.draw(snap, seed(snap))
