"""The lookup service (Art 22): exact matches by name + ID number (blind index) or name +
certificate number, portal and legacy alike; every kind of miss is the same empty answer."""

from __future__ import annotations

import pytest

from certificates import services
from certificates.models import Certificate
from certificates.services import lookup
from certificates.services.lookup import Query
from portal import pii

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(world):
    from tests.certificates.builders import final_session

    session = final_session(world, 2, failed=0)
    services.issue_certificates(world.members["admin"], [session])
    return list(Certificate.objects.filter(session=session).order_by("number"))


def test_name_and_id_number_find_the_certificate(issued):
    cert = issued[0]
    typed = pii.normalise(cert.id_type, cert.id_number).lower()  # x typed small
    found = lookup.find(Query(name=f" {cert.holder_name} ", id_number=typed))
    assert found == [cert]


def test_name_and_number_find_it_and_full_width_digits_are_folded(issued):
    cert = issued[1]
    wide = "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in cert.number)
    assert lookup.find(Query(name=cert.holder_name, number=wide)) == [cert]


def test_every_miss_is_the_same_empty_answer(issued):
    cert = issued[0]
    other = issued[1]
    misses = [
        Query(name="李四", number=cert.number),  # the name does not match
        Query(name=cert.holder_name, number=cert.number[:-1] + "9"),  # no such number
        Query(name=cert.holder_name, number=cert.number[:10]),  # a prefix is not a match
        Query(name=cert.holder_name[:1], number=cert.number),  # nor is part of the name
        Query(name=cert.holder_name, id_number=other.id_number),  # someone else's ID
        Query(name="", number=cert.number),
        Query(name=cert.holder_name),
    ]
    assert [lookup.find(q) for q in misses] == [[] for _ in misses]


def test_find_many_answers_in_order_and_public_facts_hold_no_full_id(issued):
    a, b = issued
    answers = lookup.find_many(
        [
            Query(name=b.holder_name, number=b.number, ref="2"),
            Query(name="nobody", number=a.number),
            Query(name=a.holder_name, id_number=a.id_number, ref="1"),
        ]
    )
    assert answers == [[b], [], [a]]
    facts = lookup.public_facts(a)
    assert facts["number"] == a.number and facts["status"] == "valid"
    assert a.id_number not in str(facts) and facts["id_number"] == a.masked_id
