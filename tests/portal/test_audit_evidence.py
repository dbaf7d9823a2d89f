"""Audit evidence against someone with database access (issue 10, Art 21; ADR 0019).

Each attack that the unkeyed chain let through is reproduced here as the issue found it, done
as the tables' owner with the triggers disabled (the worst case: the application's own role
cannot even do that, tests/portal/test_db_roles.py), and is now named by ``verify_audit``:
(a) an entry edited and the chain recomputed without the key, (b) the last entries deleted
and the head rewound after a checkpoint, (c) a whole partition deleted with its head row after
a checkpoint. Checkpoints are written into a directory of each test's own.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import importlib
import json
from types import SimpleNamespace

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519
from django.apps import apps as global_apps
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from portal import audit
from portal.audit import checkpoints
from portal.jobs import periodic
from portal.models import GENESIS_HASH, AuditChain, AuditEntry

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="triggers are PostgreSQL-only"),
]


@pytest.fixture
def checkpoint_dir(settings, tmp_path):
    settings.AUDIT_CHECKPOINT_DIR = tmp_path / "checkpoints"
    return settings.AUDIT_CHECKPOINT_DIR


def _as_owner_without_triggers(statements: list[tuple[str, list]]) -> None:
    """What the owner of the tables can do: switch the triggers off, write, switch them on."""
    with connection.cursor() as cursor:
        # The deferred foreign-key checks of this test's inserts run now (ALTER TABLE refuses
        # to run while they are pending), as they would have at each commit.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table in ("portal_auditentry", "portal_auditchain"):
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        for sql, params in statements:
            cursor.execute(sql, params)
        for table in ("portal_auditentry", "portal_auditchain"):
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _national(n: int, prefix: str = "portal.test") -> list[AuditEntry]:
    return [audit.record(None, f"{prefix}.{i}", province="000000") for i in range(n)]


def _problems(**kwargs) -> list[str]:
    return [str(p) for p in audit.verify_chains(**kwargs)[1]]


def _sha256(prev: str, entry: AuditEntry) -> str:
    return audit.compute_hash(prev, entry)


def _guessed_key(prev: str, entry: AuditEntry) -> str:
    message = prev.encode() + b"\n" + audit.canonical(entry)
    return hmac.new(b"attacker's guess" * 2, message, hashlib.sha256).hexdigest()


def _rewrite_from(entries: list[AuditEntry], index: int, forge) -> None:
    """Edit entries[index] and recompute the chain from it on with ``forge`` (no key)."""
    statements = []
    prev = entries[index - 1].hash if index else GENESIS_HASH
    for n, entry in enumerate(entries[index:]):
        if n == 0:
            entry.object_repr = "伪造的记录"
        entry.prev_hash, entry.hash = prev, forge(prev, entry)
        prev = entry.hash
        statements.append(
            (
                "UPDATE portal_auditentry SET object_repr = %s, prev_hash = %s, hash = %s "
                "WHERE id = %s",
                [entry.object_repr, entry.prev_hash, entry.hash, entry.pk],
            )
        )
    statements.append(
        (
            "UPDATE portal_auditchain SET last_hash = %s WHERE partition = %s",
            [prev, "authority:000000"],
        )
    )
    _as_owner_without_triggers(statements)


# --- (a) an edited entry, the chain recomputed -------------------------------------------------


@pytest.mark.parametrize("forge", [_sha256, _guessed_key], ids=["plain-sha256", "hmac-wrong-key"])
def test_an_edited_and_recomputed_chain_is_named(world, checkpoint_dir, forge, capsys):
    entries = _national(4)
    assert _problems() == []
    _rewrite_from(entries, 1, forge)
    problems = _problems()
    assert problems == [
        f"authority:000000: entry {entries[1].pk} (seq 2): content altered (MAC does not match)"
    ]
    with pytest.raises(CommandError):
        call_command("verify_audit")
    assert "content altered (MAC does not match)" in capsys.readouterr().err


def test_a_chain_edited_after_a_checkpoint_contradicts_it(world, checkpoint_dir):
    entries = _national(3)
    checkpoint = checkpoints.write()
    _rewrite_from(entries, 2, _sha256)
    problems = _problems()
    assert f"authority:000000: entry {entries[2].pk} (seq 3): content altered" in problems[0]
    assert problems[-1] == (
        f"authority:000000: entry {entries[2].pk} (seq 3): altered: its MAC differs from "
        f"checkpoint {checkpoint.name}"
    )


def test_an_unkeyed_entry_is_refused(world, checkpoint_dir):
    """Dropping the key id to pass a recomputed SHA-256 off as a legacy entry does not help."""
    (entry,) = _national(1)
    _as_owner_without_triggers(
        [
            (
                "UPDATE portal_auditentry SET key_id = '', hash = %s WHERE id = %s",
                [audit.compute_hash(GENESIS_HASH, entry), entry.pk],
            )
        ]
    )
    assert "no MAC key id" in _problems()[0]


# --- (b) the tail cut off and the head rewound --------------------------------------------------


def test_a_truncated_tail_is_named_against_the_checkpoint(world, checkpoint_dir, capsys):
    entries = _national(5)
    checkpoint = checkpoints.write()
    _as_owner_without_triggers(
        [
            ("DELETE FROM portal_auditentry WHERE id IN (%s, %s)", [entries[3].pk, entries[4].pk]),
            (
                "UPDATE portal_auditchain SET last_seq = 3, last_hash = %s WHERE partition = %s",
                [entries[2].hash, "authority:000000"],
            ),
        ]
    )
    # The chain alone is consistent again: that is what the unkeyed trail could not see.
    assert _problems(checkpoint=None) == []
    assert _problems() == [
        f"authority:000000: chain head: truncated: head at seq 3, behind checkpoint "
        f"{checkpoint.name} (seq 5)"
    ]
    with pytest.raises(CommandError):
        call_command("verify_audit")
    assert "truncated: head at seq 3" in capsys.readouterr().err
    # And the damaged state is not signed: no checkpoint launders the truncation.
    with pytest.raises(checkpoints.CheckpointRefused, match="truncated"):
        checkpoints.write()
    assert checkpoints.names() == [checkpoint.name]


# --- (c) a partition deleted with its head -----------------------------------------------------


def test_a_deleted_partition_is_named_as_missing(world, checkpoint_dir):
    agency_entries = [
        audit.record(world.gd_official, f"portal.test.gd.{i}", world.gd_agency) for i in range(3)
    ]
    _national(2)
    partition = agency_entries[0].partition
    checkpoint = checkpoints.write()
    _as_owner_without_triggers(
        [
            ("DELETE FROM portal_auditentry WHERE partition = %s", [partition]),
            ("DELETE FROM portal_auditchain WHERE partition = %s", [partition]),
        ]
    )
    assert _problems(checkpoint=None) == []
    assert _problems() == [
        f"{partition}: chain head: partition missing: in checkpoint {checkpoint.name} (seq 3), "
        "gone from the database"
    ]


def test_a_copy_kept_elsewhere_still_names_it(world, checkpoint_dir, tmp_path, capsys):
    """The attacker also deletes the checkpoint files: a published copy still shows it."""
    entries = _national(2)
    checkpoint = checkpoints.write()
    copy = tmp_path / checkpoint.name
    copy.write_bytes((checkpoint_dir / checkpoint.name).read_bytes())
    (checkpoint_dir / checkpoint.name).unlink()
    _as_owner_without_triggers(
        [
            ("DELETE FROM portal_auditentry WHERE id = %s", [entries[1].pk]),
            (
                "UPDATE portal_auditchain SET last_seq = 1, last_hash = %s WHERE partition = %s",
                [entries[0].hash, "authority:000000"],
            ),
        ]
    )
    call_command("verify_audit")  # nothing left in the directory to compare with
    with pytest.raises(CommandError):
        call_command("verify_audit", "--checkpoint", str(copy))
    assert "truncated: head at seq 1" in capsys.readouterr().err


# --- Keys ------------------------------------------------------------------------------------


def test_mac_keys_rotate_by_key_id(world, checkpoint_dir, settings):
    old = _national(2)
    old_keys = dict(settings.AUDIT_MAC_KEYS)
    new_key = bytes(range(32))
    new_id = hashlib.sha256(new_key).hexdigest()[:8]
    settings.AUDIT_MAC_KEYS = {new_id: new_key, **old_keys}
    new = _national(2, "portal.test.rotated")
    assert {e.key_id for e in old} == set(old_keys) and {e.key_id for e in new} == {new_id}
    assert _problems() == []
    settings.AUDIT_MAC_KEYS = {new_id: new_key}  # the old key dropped too early
    problems = _problems()
    assert f"entry {old[0].pk} (seq 1): MAC key {old[0].key_id} is not configured" in problems[0]


def test_a_tampered_checkpoint_file_is_named_and_not_trusted(world, checkpoint_dir):
    entries = _national(2)
    first = checkpoints.write()
    audit.record(None, "portal.test.more", province="000000")
    second = checkpoints.write()
    path = checkpoint_dir / second.name
    document = json.loads(path.read_bytes())
    document["checkpoint"]["heads"][0]["last_seq"] = 99  # claim more than there is
    path.write_bytes(checkpoints.canonical_json(document))
    latest, invalid = checkpoints.latest_valid()
    assert latest.name == first.name
    assert [str(p) for p in invalid] == [
        f"checkpoints: {second.name}: signature invalid (the file was altered)"
    ]
    assert f"checkpoints: {second.name}: signature invalid" in _problems()[0]
    assert entries  # the older, valid checkpoint is still compared: no other problem
    assert len(_problems()) == 1


def test_a_checkpoint_by_another_key_counts_only_once_its_key_is_listed(
    world, checkpoint_dir, settings
):
    _national(1)
    other = ed25519.Ed25519PrivateKey.generate()
    pem = other.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    current = settings.AUDIT_CHECKPOINT_KEY
    settings.AUDIT_CHECKPOINT_KEY = pem
    signed_by_other = checkpoints.write()
    settings.AUDIT_CHECKPOINT_KEY = current
    assert "signed by an unknown key" in _problems()[0]
    raw = other.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    settings.AUDIT_CHECKPOINT_RETIRED_KEYS = [base64.b64encode(raw).decode()]
    assert checkpoints.latest_valid()[0].name == signed_by_other.name
    assert _problems() == []


# --- When checkpoints are written --------------------------------------------------------------


def test_checkpoints_are_written_daily_after_bulk_actions_and_on_demand(
    world, checkpoint_dir, capsys, django_capture_on_commit_callbacks
):
    _national(1)
    job = periodic.jobs()["portal.checkpoint_audit"]
    assert job.every.days == 1
    assert periodic.run("portal.checkpoint_audit")
    call_command("checkpoint_audit")
    assert "chain heads" in capsys.readouterr().out
    with django_capture_on_commit_callbacks(execute=True):
        audit.record(
            world.gd_official, "portal.test.bulk", objects=[world.gd_site], agency=world.gd_agency
        )
    names = checkpoints.names()
    assert len(names) == 3
    latest = checkpoints.load(checkpoint_dir / names[0])
    heads = {h.partition: h for h in latest.heads}
    assert (
        heads[f"agency:{world.gd_agency.pk}"].last_seq
        == AuditChain.objects.get(partition=f"agency:{world.gd_agency.pk}").last_seq
    )


def test_the_checkpoint_file_is_canonical_signed_json(world, checkpoint_dir):
    _national(2)
    checkpoint = checkpoints.write()
    data = (checkpoint_dir / checkpoint.name).read_bytes()
    document = json.loads(data)
    assert data == checkpoints.canonical_json(document) + b"\n"
    body = document["checkpoint"]
    assert set(body) == {"created_at", "format", "heads", "key_id"}
    head = next(h for h in body["heads"] if h["partition"] == "authority:000000")
    assert set(head) == {"partition", "last_seq", "head_mac"} and head["last_seq"] == 2
    checkpoints.signing_key().public_key().verify(
        base64.b64decode(document["signature"]), checkpoints.canonical_json(body)
    )


# --- The public page ---------------------------------------------------------------------------


def test_the_public_page_shows_head_digests_only(client, world, checkpoint_dir):
    entry = audit.record(
        world.gd_official, "portal.test.secret_action", world.gd_site, {"note": [None, "内部意见"]}
    )
    checkpoint = checkpoints.write()
    page = client.get(reverse("portal:audit_checkpoints"))
    assert page.status_code == 200
    text = page.content.decode()
    assert entry.hash in text and checkpoint.name in text and checkpoint.digest in text
    assert checkpoints.public_key_text() in text
    user = world.gd_official.username
    for content in ("portal.test.secret_action", "内部意见", str(world.gd_site), user):
        assert content not in text
    home = client.get(reverse("portal:home")).content.decode()
    assert f'href="{reverse("portal:audit_checkpoints")}"' in home

    download = client.get(reverse("portal:audit_checkpoint", args=[checkpoint.name]))
    assert download.status_code == 200 and download["Content-Type"] == "application/json"
    assert b"".join(download.streaming_content) == (checkpoint_dir / checkpoint.name).read_bytes()
    for bad in ("checkpoint-x.json", "..%2Fsettings.py", "checkpoint-20990101T000000000000Z.json"):
        assert client.get(f"/audit/checkpoints/{bad}").status_code == 404


def test_the_public_page_without_checkpoints(client, checkpoint_dir):
    page = client.get(reverse("portal:audit_checkpoints"))
    assert page.status_code == 200 and "尚无检查点" in page.content.decode()


# --- The migration -----------------------------------------------------------------------------


def _migrate_forwards() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # as _as_owner_without_triggers
    migration = importlib.import_module("portal.migrations.0013_audit_keyed_mac")
    migration.forwards(global_apps, SimpleNamespace(connection=connection))


def _as_legacy() -> None:
    """Turn the whole trail into what it held before 0013: unkeyed SHA-256, no key id."""
    statements = []
    for partition in AuditChain.objects.values_list("partition", flat=True):
        prev = GENESIS_HASH
        for entry in AuditEntry.objects.filter(partition=partition).order_by("seq"):
            digest = audit.compute_hash(prev, entry)
            statements.append(
                (
                    "UPDATE portal_auditentry SET key_id = '', prev_hash = %s, hash = %s "
                    "WHERE id = %s",
                    [prev, digest, entry.pk],
                )
            )
            prev = digest
        statements.append(
            ("UPDATE portal_auditchain SET last_hash = %s WHERE partition = %s", [prev, partition])
        )
    _as_owner_without_triggers(statements)


def test_the_migration_macs_a_verified_legacy_chain(world, checkpoint_dir):
    _national(3)
    _as_legacy()
    assert "no MAC key id" in _problems()[0]
    _migrate_forwards()
    assert _problems() == []
    assert set(AuditEntry.objects.values_list("key_id", flat=True)) == {audit.current_mac_key()[0]}


def test_the_migration_refuses_a_broken_legacy_chain(world, checkpoint_dir):
    entries = _national(3)
    _as_legacy()
    _as_owner_without_triggers(
        [("UPDATE portal_auditentry SET object_repr = 'x' WHERE id = %s", [entries[1].pk])]
    )
    with pytest.raises(RuntimeError, match="refuses to MAC a broken chain again") as caught:
        _migrate_forwards()
    assert f"entry {entries[1].pk} (seq 2): content altered" in str(caught.value)
    assert AuditEntry.objects.get(pk=entries[1].pk).key_id == ""  # nothing changed


def test_a_burst_of_bulk_actions_queues_one_checkpoint(settings, monkeypatch, checkpoint_dir):
    """With a worker, the first bulk action of a burst queues one write a minute later."""
    from django.core.cache import cache

    from portal.jobs import tasks

    queued = []
    monkeypatch.setattr(tasks.write_audit_checkpoint, "apply_async", lambda **kw: queued.append(kw))
    settings.CELERY_TASK_ALWAYS_EAGER = False
    cache.delete(checkpoints._SOON_KEY)
    for _ in range(3):
        checkpoints._schedule()
    assert queued == [{"countdown": checkpoints.DEBOUNCE_SECONDS}]
    assert checkpoints.names() == []
    cache.delete(checkpoints._SOON_KEY)
