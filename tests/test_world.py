"""The shared world is built once and survives a transactional test (tests/conftest.py).

A transactional test commits what it writes and flushes every table when it ends; the next
test, transactional or not and in whatever order, must still find the world and the reference
data, committed. ``after_flush`` runs the second test after every transactional test.
"""

from __future__ import annotations

import pytest

from catalog import reference
from catalog.models import Occupation, SkillLevel
from portal import codes
from portal.models import Agency, Province, User
from tests.portal.builders import WORLD_USERS, make_user

pytestmark = pytest.mark.xdist_group("world")


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_sees_the_world_and_commits_what_it_writes(world):
    assert world.ministry.username == "ministry"
    make_user("committed_then_flushed")
    assert User.objects.filter(username="committed_then_flushed").exists()


@pytest.mark.after_flush
def test_after_the_flush_the_world_is_committed_again(world_pks, db):
    # No `world` fixture here: the rows must already be there, seeded after the flush.
    assert not User.objects.filter(username="committed_then_flushed").exists()
    assert User.objects.filter(pk=world_pks["ministry"], username="ministry").exists()
    users = User.objects.filter(username__in=WORLD_USERS)
    assert sorted(users.values_list("username", flat=True)) == sorted(WORLD_USERS)
    assert (
        Agency.objects.filter(pk__in=[world_pks["gd_agency"], world_pks["hlj_agency"]]).count() == 2
    )
    assert Province.objects.count() == len(codes.PROVINCES)
    assert SkillLevel.objects.count() == len(reference.LEVELS)
    assert Occupation.objects.count() == len(reference.read_csv("occupations.csv"))


def test_each_test_reads_the_world_afresh(world):
    world.gd_agency.name = "只在内存里改名"
    world.ministry.real_name = "只在内存里"
    world.gd_official.save(update_fields=["last_login"])
    assert Agency.objects.get(pk=world.gd_agency.pk).name == "广东测试评价中心"


def test_a_change_in_memory_never_reaches_the_next_test(world):
    assert world.gd_agency.name == "广东测试评价中心"
    assert world.ministry.real_name == "ministry"
