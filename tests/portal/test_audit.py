"""The audit trail: masked, append-only, hash-chained per partition, verifiable."""

from __future__ import annotations

import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.urls import reverse

from portal import audit
from portal.models import AuditChain, AuditEntry, CalendarDay

pytestmark = pytest.mark.django_db


def test_an_entry_records_who_did_what_where_without_secrets(world, rf):
    entry = audit.record(
        world.gd_official,
        "portal.test.change",
        world.gd_site,
        {
            "id_number": ["", "11010519491231002X"],
            "password": ["old", "new"],
            "api_token": [None, "abc"],
            "note": [None, "证件 34052419800101001X 已核"],
        },
    )
    assert entry.partition == f"agency:{world.gd_agency.pk}"
    assert entry.agency == world.gd_agency
    assert entry.province == "440000"
    assert entry.actor == world.gd_official and entry.actor_role == "provincial_official"
    assert entry.object_type == "portal.agencysite" and entry.object_id == str(world.gd_site.pk)
    assert entry.changes["id_number"] == ["", "110***********002X"]
    assert "password" not in entry.changes and "api_token" not in entry.changes
    assert "34052419800101001X" not in entry.changes["note"][1]


def test_authority_entries_chain_per_jurisdiction(world):
    first = audit.record(world.ministry, "portal.test.a", province="000000")
    second = audit.record(world.ministry, "portal.test.b", province="000000")
    other = audit.record(world.gd_official, "portal.test.c", province="440000")
    assert (first.partition, first.seq) == ("authority:000000", 1)
    assert (second.seq, second.prev_hash) == (2, first.hash)
    assert (other.partition, other.seq) == ("authority:440000", 1)
    head = AuditChain.objects.get(partition="authority:000000")
    assert (head.last_seq, head.last_hash) == (2, second.hash)


def test_a_bulk_action_writes_one_entry_listing_its_objects(world):
    before = AuditEntry.objects.count()
    audit.record(
        world.gd_official,
        "portal.test.bulk",
        objects=[world.gd_site, world.gd_agency],
        agency=world.gd_agency,
    )
    assert AuditEntry.objects.count() == before + 1
    entry = AuditEntry.objects.latest("id")
    assert entry.object_list == [
        ["portal.agencysite", str(world.gd_site.pk)],
        ["portal.agency", str(world.gd_agency.pk)],
    ]


def test_the_entry_rolls_back_with_the_action(world):
    with pytest.raises(RuntimeError), transaction.atomic():
        audit.record(world.ministry, "portal.test.rolled_back", province="000000")
        raise RuntimeError
    assert not AuditEntry.objects.filter(action="portal.test.rolled_back").exists()
    call_command("verify_audit")


def test_entries_cannot_be_changed_or_deleted_in_code(world):
    entry = audit.record(world.ministry, "portal.test.x", province="000000")
    with pytest.raises(RuntimeError):
        entry.save()
    with pytest.raises(RuntimeError):
        entry.delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigger is PostgreSQL-only")
def test_the_database_refuses_update_and_delete(world):
    entry = audit.record(world.ministry, "portal.test.x", province="000000")
    for statement in (
        "UPDATE portal_auditentry SET action = 'forged' WHERE id = %s",
        "DELETE FROM portal_auditentry WHERE id = %s",
    ):
        with (
            pytest.raises(Exception, match="append-only"),  # noqa: B017
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).action == "portal.test.x"


def _tamper(sql: str, params: list) -> None:
    """Alter a row behind the portal's back, as an attacker with database access could."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # replica mode skips the append-only trigger
            cursor.execute("SET session_replication_role = replica")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = origin")


def test_verify_audit_passes_then_names_the_tampered_entry(world, capsys):
    entries = [
        audit.record(world.ministry, f"portal.test.{i}", province="000000") for i in range(4)
    ]
    audit.record(world.gd_official, "portal.test.gd", province="440000")
    call_command("verify_audit")
    assert "5 entries verified" in capsys.readouterr().out

    _tamper("UPDATE portal_auditentry SET object_repr = 'forged' WHERE id = %s", [entries[2].pk])
    with pytest.raises(CommandError):
        call_command("verify_audit")
    err = capsys.readouterr().err
    assert f"entry {entries[2].pk} (seq 3): content altered" in err
    assert "authority:440000" not in err


def test_verify_audit_sees_a_removed_entry(world, capsys):
    entries = [
        audit.record(world.ministry, f"portal.test.{i}", province="000000") for i in range(3)
    ]
    _tamper("DELETE FROM portal_auditentry WHERE id = %s", [entries[1].pk])
    with pytest.raises(CommandError):
        call_command("verify_audit")
    assert "expected sequence 2" in capsys.readouterr().err


def test_verify_audit_sees_a_removed_last_entry(world, capsys):
    entries = [
        audit.record(world.ministry, f"portal.test.{i}", province="000000") for i in range(3)
    ]
    _tamper("DELETE FROM portal_auditentry WHERE id = %s", [entries[2].pk])
    with pytest.raises(CommandError):
        call_command("verify_audit")
    assert "entries missing at the end" in capsys.readouterr().err


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_never_fork_a_chain(world):
    errors: list[BaseException] = []

    def writer(n: int, province: str) -> None:
        try:
            for i in range(10):
                with transaction.atomic():
                    audit.record(world.ministry, f"portal.test.{n}.{i}", province=province)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(n, "000000")) for n in range(4)]
    threads += [threading.Thread(target=writer, args=(n, "440000")) for n in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    national = list(
        AuditEntry.objects.filter(partition="authority:000000")
        .order_by("seq")
        .values_list("seq", flat=True)
    )
    assert national == list(range(1, 41))
    assert AuditEntry.objects.filter(partition="authority:440000").count() == 20
    count, problems = audit.verify_chains()
    assert problems == [] and count == 60


def test_services_write_entries_with_a_chinese_sentence(client, world):
    client.force_login(world.ministry)
    client.post(
        reverse("portal:calendar"), {"date": "2027-01-01", "kind": "holiday", "name": "元旦"}
    )
    day = CalendarDay.objects.get(date="2027-01-01")
    entry = AuditEntry.objects.get(action="portal.calendar.add")
    assert entry.object_id == str(day.pk) and entry.ip == "127.0.0.1" and entry.request_id
    page = client.get(reverse("portal:audit")).content.decode()
    assert "在工作日日历中添加了日期" in page


def test_officials_read_only_their_jurisdiction(client, world):
    audit.record(world.gd_official, "portal.test.gd", world.gd_agency)
    audit.record(world.hlj_official, "portal.test.hlj", world.hlj_agency)
    client.force_login(world.gd_official)
    page = client.get(reverse("portal:audit")).content.decode()
    assert "portal.test.gd" in page and "portal.test.hlj" not in page
    client.force_login(world.ministry)
    page = client.get(reverse("portal:audit")).content.decode()
    assert "portal.test.gd" in page and "portal.test.hlj" in page


def test_the_filter_narrows_by_action_and_date(client, world):
    audit.record(world.ministry, "portal.calendar.add", province="000000")
    audit.record(world.ministry, "portal.calendar.remove", province="000000")
    client.force_login(world.ministry)
    page = client.get(
        reverse("portal:audit"), {"action": "portal.calendar.remove"}
    ).content.decode()
    assert '<code class="action-code">portal.calendar.remove</code>' in page
    assert '<code class="action-code">portal.calendar.add</code>' not in page
    bad = client.get(reverse("portal:audit"), {"date_from": "2026-12-01", "date_to": "2026-11-01"})
    assert "结束日期早于开始日期" in bad.content.decode()


def test_agency_admins_see_only_entries_addressed_to_their_agency(client, world):
    audit.record(world.gd_official, "portal.test.for_agency", world.gd_agency, audience="agency")
    audit.record(world.gd_official, "portal.test.expert_named", world.gd_agency)
    url = reverse("portal:agency_audit", args=[world.gd_agency.pk])
    client.force_login(world.members["admin"])
    page = client.get(url).content.decode()
    assert "portal.test.for_agency" in page and "portal.test.expert_named" not in page
    client.force_login(world.members["staff"])
    assert client.get(url).status_code == 403
    client.force_login(world.hlj_admin)
    assert client.get(url).status_code == 404
