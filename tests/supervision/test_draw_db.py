"""The draw over database rows (decision 0055): what ``snapshot.build`` seals (and hides), one
changed pool row changes the digest, conflict tags make inspectors stand aside, and the
published re-run: ``verify_plan``, ``manage.py verify_draw`` and the standalone script."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from supervision import draw, snapshot
from supervision.models import PlanState
from supervision.verification import gap_message, verify_plan
from tests.supervision import builders_draw as b

SCRIPT = Path(__file__).resolve().parents[2] / "docs" / "verify_draw_standalone.py"

pytestmark = pytest.mark.django_db


@pytest.fixture
def pool(world):
    agencies = b.agencies(12)
    people = b.inspectors(6)
    # The world's 广东 agency is in the pool too; two inspectors stand aside from it.
    b.conflict(people[0], world.gd_agency)
    b.conflict(people[1], world.gd_agency, kind="relation")
    return world, agencies, people


def sealed_text(plan) -> str:
    return draw.canonical(snapshot.build(plan)).decode()


def run_command(*args) -> tuple[int, str]:
    from io import StringIO

    out = StringIO()
    try:
        call_command("verify_draw", *args, stdout=out)
    except CommandError as exc:
        return exc.returncode, out.getvalue() + str(exc)
    return 0, out.getvalue()


# --- What is sealed ------------------------------------------------------------------------------


def test_the_snapshot_holds_of_a_person_only_pseudonym_digest_capacity_and_avoided_objects(pool):
    world, _agencies, people = pool
    plan = b.seal(b.draft(world.gd_official))
    snap = json.loads(plan.snapshot)
    assert len(snap["people"]) == 6
    assert all(sorted(p) == sorted(snapshot.PERSON_KEYS) for p in snap["people"])
    for entry in people:
        entry.refresh_from_db()
        for word in (entry.user.username, entry.user.real_name, entry.organisation, "电工"):
            assert word not in plan.snapshot
    assert "relation" not in plan.snapshot and "former_employer" not in plan.snapshot
    assert "测试" not in plan.snapshot  # no conflict note, no agency name
    # The two conflicted inspectors avoid the world's agency, under their pseudonyms.
    avoiding = {p["id"] for p in snap["people"] if f"agency:{world.gd_agency.pk}" in p["avoid"]}
    assert avoiding == {snapshot.pseudonym(plan, p.pk) for p in people[:2]}
    assert snapshot.people_by_pseudonym(plan)[snapshot.pseudonym(plan, people[2].pk)] == people[2]
    assert plan.sealed_digest == draw.digest(plan.snapshot.encode())


def test_the_same_pools_seal_the_same_bytes_and_one_changed_row_changes_the_digest(pool):
    world, agencies, people = pool
    plan = b.seal(b.draft(world.gd_official))
    assert sealed_text(plan) == plan.snapshot
    people[3].capacity = 4
    people[3].save(update_fields=["capacity"])
    changed_capacity = sealed_text(plan)
    assert draw.digest(changed_capacity.encode()) != plan.sealed_digest
    people[3].capacity = 5
    people[3].save(update_fields=["capacity"])
    assert sealed_text(plan) == plan.snapshot
    b.conflict(people[4], agencies[7], kind="worked_for")
    assert draw.digest(sealed_text(plan).encode()) not in (
        plan.sealed_digest,
        draw.digest(changed_capacity.encode()),
    )


def test_only_active_inspectors_still_in_the_inspector_group_are_in_the_pool(pool):
    world, _agencies, people = pool
    from django.contrib.auth.models import Group

    people[0].active = False
    people[0].save(update_fields=["active"])
    people[1].user.groups.remove(Group.objects.get(name="inspector"))
    plan = b.seal(b.draft(world.gd_official))
    ids = {p["id"] for p in json.loads(plan.snapshot)["people"]}
    assert snapshot.pseudonym(plan, people[0].pk) not in ids
    assert snapshot.pseudonym(plan, people[1].pk) not in ids
    assert len(ids) == 4


def test_an_inspector_with_a_conflict_tag_is_never_sent_to_that_agency(pool):
    world, _agencies, people = pool
    plan = b.drawn_plan(world.gd_official, rules={"1": {"percent": "100"}, "4": {"percent": "100"}})
    target = f"agency:{world.gd_agency.pk}"
    (obj,) = [o for o in plan.result["objects"] if o["id"] == target]
    conflicted = {snapshot.pseudonym(plan, people[0].pk), snapshot.pseudonym(plan, people[1].pk)}
    assert len(obj["people"]) == 2 and not conflicted & set(obj["people"])
    assert len(plan.result["objects"]) == 13


def test_gaps_name_what_is_missing_before_sealing(pool):
    world, _agencies, people = pool
    plan = b.draft(world.gd_official, rules={"4": {"percent": "100"}}, max_objects=1)
    plan.pseudonym_key = "0" * 64
    gaps = draw.gaps(snapshot.build(plan))
    assert "capacity:6:26" in gaps
    assert (
        gap_message("capacity:6:26") == "人员库在本计划中最多可承担 6 人次，抽取数量需要 26 人次。"
    )  # noqa: E501
    assert gap_message("object:agency:9:1").startswith("agency:9：仅有 1 名无利益冲突的人员")


# --- The published re-run ------------------------------------------------------------------------


def test_a_drawn_plan_verifies_and_the_command_says_ok(pool):
    world, *_ = pool
    plan = b.drawn_plan(world.gd_official)
    outcome = verify_plan(plan)
    assert outcome.ok and outcome.digest_ok and outcome.snapshot_ok and outcome.secret_ok
    assert outcome.seed_ok and outcome.list_ok and not outcome.messages
    assert outcome.result == plan.result and outcome.seed == plan.seed
    code, out = run_command(str(plan.pk))
    assert code == 0
    count = len(plan.result["objects"])
    assert count >= 3  # tier 4 draws 3, tier 1 30 % of what risk puts there
    assert out.strip() == f"plan {plan.pk}: ok ({count} objects, seed {plan.seed})"


def test_a_tampered_result_or_snapshot_or_secret_does_not_verify(pool):
    world, *_ = pool
    plan = b.drawn_plan(world.gd_official)
    good = plan.result
    swapped = json.loads(json.dumps(good))
    swapped["objects"][0]["people"].reverse()
    plan.result = swapped
    plan.save(update_fields=["result"])
    outcome = verify_plan(plan)
    assert not outcome.ok and outcome.digest_ok and outcome.seed_ok and not outcome.list_ok
    code, out = run_command(str(plan.pk))
    assert code == 1 and "MISMATCH" in out and "different list" in out

    plan.result = good
    plan.snapshot = plan.snapshot.replace('"capacity":5', '"capacity":4', 1)
    plan.save(update_fields=["result", "snapshot"])
    outcome = verify_plan(plan)
    assert not outcome.ok and not outcome.digest_ok
    assert run_command(str(plan.pk))[0] == 1

    plan.refresh_from_db()
    original = plan.snapshot.replace('"capacity":4', '"capacity":5', 1)
    plan.snapshot, plan.secret = original, draw.new_secret()
    plan.save(update_fields=["snapshot", "secret"])
    outcome = verify_plan(plan)
    assert outcome.digest_ok and not outcome.secret_ok and not outcome.seed_ok
    assert run_command(str(plan.pk))[0] == 1


def test_a_snapshot_rehashed_after_editing_is_still_caught_by_its_seed(pool):
    """Whoever changes the stored snapshot and its digest after the draw must also change the
    seed, and the seed then no longer follows from the digest published before the draw;
    here the digest is replaced too, so only the published, earlier digest can catch it."""
    world, *_ = pool
    plan = b.drawn_plan(world.gd_official)
    plan.snapshot = plan.snapshot.replace('"capacity":5', '"capacity":4', 1)
    plan.sealed_digest = draw.digest(plan.snapshot.encode())
    plan.save(update_fields=["snapshot", "sealed_digest"])
    outcome = verify_plan(plan)
    assert outcome.digest_ok and not outcome.seed_ok and not outcome.ok


def test_verify_draw_all_checks_every_drawn_plan_and_fails_on_one_mismatch(pool):
    world, *_ = pool
    first = b.drawn_plan(world.gd_official)
    second = b.drawn_plan(world.gd_official, rules={"1": {"count": 1}, "4": {"count": 1}})
    b.seal(b.draft(world.gd_official))  # sealed, not drawn: not checked
    code, out = run_command("--all")
    assert code == 0
    count = len(first.result["objects"])
    assert out.splitlines() == [
        f"plan {first.pk}: ok ({count} objects, seed {first.seed})",
        f"plan {second.pk}: ok ({len(second.result['objects'])} objects, seed {second.seed})",
    ]
    second.public_numbers = "03 11 19 22 27 31 09"
    second.save(update_fields=["public_numbers"])
    code, out = run_command("--all")
    assert code == 1
    assert out.splitlines()[0] == f"plan {first.pk}: ok ({count} objects, seed {first.seed})"
    assert out.splitlines()[1].startswith(f"plan {second.pk}: MISMATCH: The seed computed")


def test_verify_draw_answers_2_to_a_bad_argument(pool):
    world, *_ = pool
    sealed = b.seal(b.draft(world.gd_official))
    assert run_command()[0] == 2
    assert run_command("x1")[0] == 2
    assert run_command("999999")[0] == 2
    assert run_command(str(sealed.pk))[0] == 2
    assert run_command(str(sealed.pk), "--all")[0] == 2
    outcome = verify_plan(sealed)
    assert sealed.state == PlanState.SEALED and not outcome.drawn and outcome.digest_ok


# --- The standalone script -----------------------------------------------------------------------


def standalone(path: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-I", str(SCRIPT), str(path), *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_standalone_script_gets_the_same_list_from_the_published_data(pool, tmp_path):
    world, *_ = pool
    plan = b.drawn_plan(world.gd_official)
    published = tmp_path / "snapshot.json"
    published.write_bytes(plan.snapshot.encode())  # what /spot-checks/<pk>/snapshot.json serves
    done = standalone(
        published,
        "--secret",
        plan.secret,
        "--numbers",
        "０３ １１ 19 22 27 31 + 08",  # as typed from the lottery's page
        "--digest",
        plan.sealed_digest,
        "--seed",
        plan.seed,
        "--json",
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == plan.result
    assert "= the published seed" in done.stderr

    listing = standalone(published, "--secret", plan.secret, "--numbers", plan.public_numbers)
    assert listing.returncode == 0
    lines, count = listing.stdout.splitlines(), len(plan.result["objects"])
    assert lines[-1 - count] == f"drawn list ({count} objects):"
    assert lines[-count:] == [
        f"{n:4}. {o['id']}  tier {o['tier']}  {', '.join(o['people'])}"
        + (f"  (stood aside: {', '.join(o['stood_aside'])})" if o["stood_aside"] else "")
        for n, o in enumerate(plan.result["objects"], 1)
    ]

    wrong = standalone(published, "--secret", draw.new_secret(), "--numbers", plan.public_numbers)
    assert wrong.returncode == 1 and "DIFFERS" in wrong.stdout


def test_a_snapshot_not_in_canonical_form_does_not_verify(pool):
    world, *_ = pool
    plan = b.drawn_plan(world.gd_official)
    plan.snapshot = json.dumps(json.loads(plan.snapshot), indent=1, ensure_ascii=False)
    plan.sealed_digest = draw.digest(plan.snapshot.encode())
    plan.save(update_fields=["snapshot", "sealed_digest"])
    outcome = verify_plan(plan)
    assert outcome.digest_ok and not outcome.snapshot_ok and not outcome.ok
    assert "快照不是规范化格式（RFC 8785）。" in outcome.messages


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ('{"a":2.5,"b":[1,"é\\n"]}', True),
        ('{"a":30.0}', False),  # RFC 8785 writes 30
        ('{"a":1e+21}', True),
        ('{"a":100000000000000000000}', False),  # beyond 2^53: RFC 8785 refuses it
        ('{"b":1,"a":2}', False),
        ('{"a": 1}', False),
    ],
)
def test_the_canonical_check_agrees_with_rfc8785(text, canonical):
    from supervision.verification import is_canonical

    value = json.loads(text)
    assert is_canonical(value, text, fast=False) is canonical
    if "." not in text and "e" not in text and len(text) < 20:
        assert is_canonical(value, text, fast=True) is canonical


def test_sealing_reads_the_pools_in_the_same_number_of_queries_however_many_people(pool):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    world, agencies, _people = pool
    plan = b.draft(world.gd_official)
    plan.pseudonym_key = "1" * 64
    with CaptureQueriesContext(connection) as small:
        snapshot.build(plan)
    for person in b.inspectors(10, prefix="draw_more"):
        b.conflict(person, agencies[0])
    with CaptureQueriesContext(connection) as large:
        assert len(snapshot.build(plan)["people"]) == 16
    assert len(large.captured_queries) == len(small.captured_queries)
