"""portal.ratelimit: named fixed-window limits on both backends, hashed keys, client address.

The Redis cases use the real Redis at ``REDIS_URL`` through Django's ``RedisCache`` (run the
suite with ``source <(bash .ci/services)``); the database cases set ``REDIS_URL`` to "".
"""

from __future__ import annotations

import datetime as dt
import importlib
import threading
import time

import pytest
import time_machine
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import path

from portal import ratelimit
from portal.access import public
from portal.models import RateLimitBucket
from portal.urls import urlpatterns as portal_urlpatterns
from tests.portal.builders import WINDOW_START, Stored, use_database, use_redis


@pytest.fixture(params=["db", "redis"])
def stored(request, settings, db):
    if request.param == "db":
        use_database(settings)
        found = Stored("db", settings)
    else:
        found = Stored("redis", settings, use_redis(settings))
    yield found
    found.cleanup()


@pytest.fixture
def frozen():
    with time_machine.travel(WINDOW_START, tick=False) as traveller:
        yield traveller


# --- Counting ---------------------------------------------------------------------------------


def test_it_allows_the_count_and_refuses_the_next_hit(stored, settings, frozen):
    settings.RATE_LIMITS = {"signin.user": (3, 60)}
    assert [ratelimit.hit("signin.user", "alice") for _ in range(4)] == [True, True, True, False]
    assert ratelimit.count("signin.user", "alice") == 4
    assert ratelimit.check("signin.user", "alice") is False
    assert len(stored.texts()) == 1


def test_check_records_nothing(stored, settings, frozen):
    settings.RATE_LIMITS = {"signin.user": (2, 60)}
    for _ in range(5):
        assert ratelimit.check("signin.user", "alice") is True
    assert ratelimit.count("signin.user", "alice") == 0
    ratelimit.hit("signin.user", "alice")
    assert ratelimit.check("signin.user", "alice") is True
    ratelimit.hit("signin.user", "alice")
    assert ratelimit.check("signin.user", "alice") is False


def test_the_window_expires(stored, settings, frozen):
    settings.RATE_LIMITS = {"signin.user": (2, 60)}
    ratelimit.hit("signin.user", "alice")
    ratelimit.hit("signin.user", "alice")
    frozen.shift(59)
    assert ratelimit.check("signin.user", "alice") is False
    assert ratelimit.retry_after("signin.user", "alice") == 1
    frozen.shift(1)
    assert ratelimit.check("signin.user", "alice") is True
    assert ratelimit.retry_after("signin.user", "alice") == 0
    assert ratelimit.hit("signin.user", "alice") is True


def test_retry_after_counts_to_the_end_of_the_window(stored, settings, frozen):
    settings.RATE_LIMITS = {"signin.user": (5, 15 * 60)}
    for _ in range(5):
        ratelimit.hit("signin.user", "alice")
    assert ratelimit.retry_after("signin.user", "alice") == 15 * 60
    frozen.shift(10 * 60)
    assert ratelimit.retry_after("signin.user", "alice") == 5 * 60
    assert ratelimit.minutes(ratelimit.retry_after("signin.user", "alice")) == 5


def test_names_and_keys_do_not_share_a_count(stored, settings, frozen):
    settings.RATE_LIMITS = {"signin.user": (1, 60), "signin.ip": (1, 60)}
    assert ratelimit.hit("signin.user", "alice") is True
    assert ratelimit.hit("signin.user", "bob") is True
    assert ratelimit.hit("signin.ip", "alice") is True
    assert ratelimit.hit("signin.user", "alice") is False


def test_reset_forgets_and_refund_gives_one_back(stored, settings, frozen):
    settings.RATE_LIMITS = {"signin.user": (3, 60)}
    for _ in range(3):
        ratelimit.hit("signin.user", "alice")
    ratelimit.refund("signin.user", "alice")
    assert ratelimit.count("signin.user", "alice") == 2
    assert ratelimit.check("signin.user", "alice") is True
    ratelimit.reset("signin.user", "alice")
    assert ratelimit.count("signin.user", "alice") == 0
    ratelimit.refund("signin.user", "alice")  # nothing to give back: never below zero
    assert ratelimit.count("signin.user", "alice") == 0


def test_add_answers_the_count_with_this_hit(stored, settings, frozen):
    settings.RATE_LIMITS = {"signin.user": (2, 60)}
    assert [ratelimit.add("signin.user", "alice") for _ in range(4)] == [1, 2, 3, 4]
    assert ratelimit.add("signin.user", "bob") == 1
    frozen.shift(60)
    assert ratelimit.add("signin.user", "alice") == 1  # a new window


# --- Blocks -----------------------------------------------------------------------------------


def test_a_block_runs_its_seconds_and_ends(stored, frozen):
    assert ratelimit.blocked_for("signin.ip", "203.0.113.9") == 0
    assert ratelimit.block("signin.ip", "203.0.113.9", 120) is True
    assert ratelimit.blocked_for("signin.ip", "203.0.113.9") == 120
    assert ratelimit.blocked_for("signin.ip", "203.0.113.10") == 0  # per key
    assert ratelimit.blocked_for("signin.subnet", "203.0.113.9") == 0  # per name
    frozen.shift(119.5)
    assert ratelimit.blocked_for("signin.ip", "203.0.113.9") == 1  # rounded up
    frozen.shift(0.5)
    assert ratelimit.blocked_for("signin.ip", "203.0.113.9") == 0


def test_a_claim_sets_a_block_only_when_none_runs(stored, frozen):
    assert ratelimit.block("signin.ip", "a", 60, replace=False) is True
    assert ratelimit.block("signin.ip", "a", 600, replace=False) is False
    assert ratelimit.blocked_for("signin.ip", "a") == 60  # the running one stays
    frozen.shift(60)
    assert ratelimit.block("signin.ip", "a", 240, replace=False) is True  # ended: claimed again
    assert ratelimit.blocked_for("signin.ip", "a") == 240
    assert ratelimit.block("signin.ip", "a", 30) is True  # replace (the default) always sets
    assert ratelimit.blocked_for("signin.ip", "a") == 30


def test_unblock_lifts_the_block_and_keeps_the_hits(stored, frozen):
    ratelimit.add("signin.ip", "a")
    ratelimit.block("signin.ip", "a", 600)
    ratelimit.unblock("signin.ip", "a")
    assert ratelimit.blocked_for("signin.ip", "a") == 0
    assert ratelimit.count("signin.ip", "a") == 1
    ratelimit.unblock("signin.ip", "never-blocked")  # nothing to lift is fine
    assert ratelimit.block("signin.ip", "a", 60, replace=False) is True
    with pytest.raises(LookupError):
        ratelimit.block("no.such.limit", "a", 60)


def test_a_block_stores_no_key_in_clear(stored, frozen):
    ratelimit.block("signin.user_ip", "zhang.san\x00203.0.113.77", 60)
    (text,) = stored.texts()
    assert "zhang" not in text and "203.0.113" not in text


@pytest.mark.django_db
def test_ended_database_blocks_are_purged(settings, frozen):
    use_database(settings)
    ratelimit.block("signin.ip", "a", 60)
    ratelimit.block("signin.ip", "b", 600)
    frozen.shift(61)
    assert ratelimit.purge_expired() == 1
    assert ratelimit.blocked_for("signin.ip", "b") == 539


@pytest.mark.django_db(transaction=True)
def test_parallel_database_claims_let_exactly_one_through(settings):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    use_database(settings)
    ratelimit.block("signin.ip", "a", 1)
    with time_machine.travel(time.time() + 5, tick=False):  # the first block has ended
        results: list[bool] = []
        lock = threading.Lock()
        barrier = threading.Barrier(8)

        def claim():
            try:
                barrier.wait()
                won = ratelimit.block("signin.ip", "a", 60, replace=False)
                with lock:
                    results.append(won)
            finally:
                connection.close()

        threads = [threading.Thread(target=claim) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(results) == [False] * 7 + [True]
    RateLimitBucket.objects.all().delete()


def test_no_username_or_address_is_stored(stored, settings, frozen):
    username, ip = "zhang.san@example.org", "203.0.113.77"
    ratelimit.hit("signin.user", username)
    ratelimit.hit("signin.ip", ip)
    ratelimit.hit("signin.subnet", ratelimit.subnet_of(ip))
    texts = stored.texts()
    assert len(texts) == 3
    for text in texts:
        assert "zhang" not in text.lower()
        assert "203.0.113" not in text
        assert "example.org" not in text
    # Keyed with the SECRET_KEY: another secret gives other keys, so digests cannot be
    # looked up in a table of likely usernames without the secret.
    before = set(texts)
    settings.SECRET_KEY = "another-secret-" + "x" * 50
    ratelimit.hit("signin.user", username)
    assert len(set(stored.texts()) - before) == 1
    assert ratelimit.count("signin.user", username) == 1


def test_settings_override_a_limit_and_unknown_names_are_refused(settings, db):
    use_database(settings)
    assert ratelimit.limit_for("signin.user_ip") == ratelimit.Limit(5, 24 * 3600)
    assert ratelimit.limit_for("signin.user_subnet") == ratelimit.Limit(10, 24 * 3600)
    assert ratelimit.limit_for("signin.ip") == ratelimit.Limit(30, 3600)
    assert ratelimit.limit_for("signin.subnet") == ratelimit.Limit(100, 3600)
    assert ratelimit.limit_for("signin.user") == ratelimit.Limit(10, 3600)
    settings.RATE_LIMITS = {"signin.user": ratelimit.Limit(2, 30), "report.ip": (7, 60)}
    assert ratelimit.limit_for("signin.user") == ratelimit.Limit(2, 30)
    assert ratelimit.limit_for("report.ip") == ratelimit.Limit(7, 60)
    with pytest.raises(LookupError):
        ratelimit.hit("no.such.limit", "x")
    with pytest.raises(ValueError):
        ratelimit.Limit(0, 60)


# --- Backend specifics ------------------------------------------------------------------------


@pytest.mark.django_db
def test_redis_counters_expire_with_their_window(settings, frozen):
    client = use_redis(settings)
    store = Stored("redis", settings, client)
    settings.RATE_LIMITS = {"signin.user": (5, 15 * 60)}
    try:
        ratelimit.hit("signin.user", "alice")
        (key,) = list(client.scan_iter(match=f"*{settings.RATE_LIMIT_PREFIX}:*"))
        assert 15 * 60 < client.ttl(key) <= 15 * 60 + 60
        assert RateLimitBucket.objects.count() == 0  # nothing went to the database
    finally:
        store.cleanup()


@pytest.mark.django_db
def test_the_database_keeps_one_row_per_window_and_purges_ended_ones(settings, frozen):
    use_database(settings)
    settings.RATE_LIMITS = {"signin.user": (5, 60)}
    ratelimit.hit("signin.user", "alice")
    ratelimit.hit("signin.user", "alice")
    frozen.shift(60)
    ratelimit.hit("signin.user", "alice")
    rows = list(RateLimitBucket.objects.order_by("window_start"))
    assert [r.hits for r in rows] == [2, 1]
    assert rows[1].window_start - rows[0].window_start == dt.timedelta(seconds=60)
    assert rows[0].expires_at == rows[1].window_start
    assert ratelimit.purge_expired() == 0  # the first window ends just now
    frozen.shift(1)
    assert ratelimit.purge_expired() == 1
    assert list(RateLimitBucket.objects.values_list("hits", flat=True)) == [1]


@pytest.mark.django_db
def test_a_broken_redis_falls_back_to_the_database(settings, frozen):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": settings.REDIS_URL,
        }
    }
    settings.RATE_LIMITS = {"signin.user": (1, 60)}
    assert ratelimit.hit("signin.user", "alice") is True
    assert ratelimit.hit("signin.user", "alice") is False
    assert RateLimitBucket.objects.get().hits == 2


@pytest.mark.django_db(transaction=True)
def test_parallel_database_hits_are_all_counted(settings):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    use_database(settings)
    settings.RATE_LIMITS = {"signin.user": (10, 3600)}
    results: list[bool] = []
    lock = threading.Lock()
    barrier = threading.Barrier(8)

    def worker() -> None:
        from django.db import connections

        try:
            barrier.wait()
            for _ in range(5):
                allowed = ratelimit.hit("signin.user", "alice")
                with lock:
                    results.append(allowed)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 40
    assert results.count(True) == 10  # exactly the limit got through, no lost updates
    assert ratelimit.count("signin.user", "alice") == 40


# --- Addresses --------------------------------------------------------------------------------


def _request(remote: str = "198.51.100.9", forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_client_ip_is_remote_addr_and_ignores_forwarded_for_without_trusted_proxies(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert ratelimit.client_ip(_request(forwarded="1.2.3.4")) == "198.51.100.9"


@pytest.mark.parametrize(
    ("hops", "forwarded", "expected"),
    [
        (1, "6.6.6.6, 203.0.113.5", "203.0.113.5"),  # the client may prepend anything
        (2, "6.6.6.6, 203.0.113.5, 10.0.0.2", "203.0.113.5"),
        (2, "203.0.113.5", "198.51.100.9"),  # fewer hops than proxies: not trusted
        (1, "not-an-address", "198.51.100.9"),
        (1, "203.0.113.5:51234", "203.0.113.5"),
        (1, "[2001:db8::7]:443", "2001:db8::7"),
        (1, "::ffff:203.0.113.5", "203.0.113.5"),
        (1, "", "198.51.100.9"),
    ],
)
def test_client_ip_takes_the_trusted_hop_from_the_right(settings, hops, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = hops
    assert ratelimit.client_ip(_request(forwarded=forwarded)) == expected


def test_client_ip_is_empty_without_a_valid_address(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert ratelimit.client_ip(_request(remote="")) == ""


@pytest.mark.parametrize(
    ("ip", "subnet", "host"),
    [
        ("203.0.113.77", "203.0.113.0/24", "203.0.113.77/32"),
        ("2001:db8:abcd:12:1::9", "2001:db8:abcd::/48", "2001:db8:abcd:12::/64"),
        ("::ffff:203.0.113.77", "203.0.113.0/24", "203.0.113.77/32"),
        ("garbage", "garbage", "garbage"),
    ],
)
def test_subnets_are_slash_24_for_ipv4_and_slash_48_for_ipv6(ip, subnet, host):
    assert ratelimit.subnet_of(ip) == subnet
    assert ratelimit.host_of(ip) == host


# --- The decorator and the 429 page -----------------------------------------------------------

VIEW_CALLS: list[str] = []


def _form_view(request):
    VIEW_CALLS.append(request.META["REMOTE_ADDR"])
    return HttpResponse("ok")


_limited = public(
    ratelimit.ratelimited("public_form.ip")(
        ratelimit.ratelimited("public_form.subnet", ratelimit.subnet_key)(_form_view)
    )
)
urlpatterns = [*portal_urlpatterns, path("limited/", _limited)]


@pytest.mark.urls("tests.portal.test_ratelimit")
def test_over_the_limit_the_view_is_not_run_and_a_chinese_429_page_answers(
    client, stored, settings, frozen
):
    settings.RATE_LIMITS = {"public_form.ip": (2, 600)}
    calls = importlib.import_module("tests.portal.test_ratelimit").VIEW_CALLS  # the URLconf's copy
    calls.clear()
    assert client.post("/limited/").status_code == 200
    assert client.post("/limited/").status_code == 200
    response = client.post("/limited/")
    assert response.status_code == 429
    assert calls == ["127.0.0.1", "127.0.0.1"]
    assert response["Retry-After"] == "600"
    body = response.content.decode()
    assert '<html lang="zh-hans">' in body
    assert "请求过于频繁" in body
    assert "请10分钟后再试" in body
    assert "Too many requests" not in body
    assert client.get("/limited/").status_code == 200  # only POSTs count
    assert client.post("/limited/", REMOTE_ADDR="198.51.100.1").status_code == 200


@pytest.mark.urls("tests.portal.test_ratelimit")
def test_the_subnet_limit_covers_neighbouring_addresses(client, stored, settings, frozen):
    settings.RATE_LIMITS = {"public_form.subnet": (3, 600)}
    for last in (1, 2, 3):
        assert client.post("/limited/", REMOTE_ADDR=f"203.0.113.{last}").status_code == 200
    assert client.post("/limited/", REMOTE_ADDR="203.0.113.200").status_code == 429
    assert client.post("/limited/", REMOTE_ADDR="203.0.114.1").status_code == 200
