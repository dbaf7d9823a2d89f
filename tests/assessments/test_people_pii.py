"""portal.pii (decision 0031): ID numbers encrypted with a blind index, masked on pages,
found across agencies, re-encrypted and re-indexed by key rotation; no readable ID number in
any table after the demo seed."""

from __future__ import annotations

import re
import secrets

import pytest
from django.core.management import call_command
from django.db import connection

from assessments import services
from assessments.models import Examiner
from portal import keys, pii
from portal.models import User
from tests.assessments.builders import person_input, resident_id

ID_RE = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])")


def raw(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def test_encryption_round_trip_and_a_fresh_nonce_each_time():
    number = resident_id()
    one, two = pii.encrypt(number), pii.encrypt(number)
    assert one != two and number not in one
    assert pii.decrypt(one) == pii.decrypt(two) == number
    with pytest.raises(pii.PiiError):
        pii.decrypt(one[:-4] + ("AAAA" if not one.endswith("AAAA") else "BBBB"))


def test_blind_index_is_keyed_by_type_and_normalised_number():
    number = resident_id("11010519491231002")
    assert pii.blind_index("resident_id", number) == pii.blind_index(
        "resident_id", f" {number.lower()} "
    )
    assert pii.blind_index("resident_id", number) != pii.blind_index("passport", number)
    assert number not in pii.blind_index("resident_id", number)


def test_mask_and_derivation():
    number = resident_id("11010519491231002")
    assert pii.mask_id(number) == "110***********" + number[-4:]
    derived = pii.derive("resident_id", number)
    assert derived.birth_date.isoformat() == "1949-12-31" and derived.gender == "F"  # 002: even
    assert pii.derive("passport", "E12345678") is None


def test_the_table_holds_no_readable_id_and_the_same_person_is_one_record(world):
    number = resident_id()
    engagement, created = services.add_person(
        world.members["admin"], world.gd_agency, "examiner", person_input()
    )
    assert created
    record = engagement.examiner
    stored = raw("assessments_examiner", "id_number", record.pk)
    assert number not in stored and stored.startswith("pii1:")
    assert not ID_RE.search(stored + raw("assessments_examiner", "id_index", record.pk))
    assert Examiner.objects.get(pk=record.pk).id_number == number
    # Another agency adding the same ID (typed with a lower-case x or spaces) gets the record.
    other, created = services.add_person(
        world.hlj_admin, world.hlj_agency, "examiner", person_input(id_number=f" {number} ")
    )
    assert not created and other.examiner_id == record.pk
    assert Examiner.objects.count() == 1
    assert services.find_person("examiner", "resident_id", number) == record
    with pytest.raises(TypeError):
        Examiner.objects.filter(id_number=number).exists()


def test_user_id_numbers_are_encrypted_and_indexed(world):
    user = world.nobody
    user.id_type, user.id_number = "resident_id", resident_id("44010619900101001").lower()
    user.save(update_fields=["id_type", "id_number"])
    stored = raw("portal_user", "id_number", user.pk)
    assert stored.startswith("pii1:") and not ID_RE.search(stored)
    found = User.objects.get(id_index__in=pii.index_candidates("resident_id", user.id_number))
    assert found.pk == user.pk and found.id_number == user.id_number.upper()
    assert found.masked_id_number.startswith("440***")


def test_rotation_re_encrypts_and_re_indexes(world, settings):
    number = resident_id()
    engagement, _ = services.add_person(
        world.members["admin"], world.gd_agency, "examiner", person_input()
    )
    pk = engagement.examiner_id
    old_value, old_index = (
        raw("assessments_examiner", "id_number", pk),
        raw("assessments_examiner", "id_index", pk),
    )
    new_enc, new_idx = secrets.token_hex(32), secrets.token_hex(32)
    settings.PII_ENCRYPTION_KEYS = {
        **keys.symmetric_keys(new_enc, "PII_ENCRYPTION_KEY"),
        **settings.PII_ENCRYPTION_KEYS,
    }
    settings.PII_INDEX_KEYS = {
        **keys.symmetric_keys(new_idx, "PII_INDEX_KEY"),
        **settings.PII_INDEX_KEYS,
    }
    # Before the rotation the old index still finds the person.
    assert services.find_person("examiner", "resident_id", number).pk == pk
    call_command("rotate_pii_keys", stdout=open("/dev/null", "w"))  # noqa: SIM115
    new_value, new_index = (
        raw("assessments_examiner", "id_number", pk),
        raw("assessments_examiner", "id_index", pk),
    )
    assert pii.key_id_of(new_value) == next(iter(settings.PII_ENCRYPTION_KEYS))
    assert pii.key_id_of(old_value) != pii.key_id_of(new_value)
    assert new_index != old_index and new_index == pii.blind_index("resident_id", number)
    # The old keys can go: the row decrypts and is found under the new keys alone.
    settings.PII_ENCRYPTION_KEYS = dict(list(settings.PII_ENCRYPTION_KEYS.items())[:1])
    settings.PII_INDEX_KEYS = dict(list(settings.PII_INDEX_KEYS.items())[:1])
    assert services.find_person("examiner", "resident_id", number).id_number == number
    assert pii.rotate()["assessments.Examiner"] == (0, 0)  # idempotent


@pytest.mark.django_db
def test_no_table_holds_a_resident_id_after_the_demo_seed(seeded_demo):
    """On the session's seed_demo, restored (tests/conftest.py)."""
    assert Examiner.objects.count() >= 3
    found = []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = 'public' AND data_type IN ('text', 'character varying', 'jsonb')"
        )
        for table, column in cursor.fetchall():
            cursor.execute(
                f'SELECT "{column}"::text FROM "{table}" '  # noqa: S608
                f"WHERE \"{column}\"::text ~ '(^|[^0-9])[0-9]{{17}}[0-9Xx]([^0-9]|$)' LIMIT 3"
            )
            for (value,) in cursor.fetchall():
                for match in ID_RE.findall(value):
                    if pii.derive("resident_id", match):  # a valid resident ID, not a hash run
                        found.append((table, column, match))
    assert found == []
