"""Named rate limits per IP address, per subnet and per key (healthchecks' ``TokenBucket``).

Rules implemented here:

* MLPS 2.0 (GB/T 22239-2019) level 3, 8.1.4.1 b) identity authentication: "login-failure
  handling: limit the number of illegal login attempts"; public forms are protected the same
  way against automated submission. ``portal.accounts.signin`` applies the ``signin.*`` limits.
* Cybersecurity Law / PIPL data minimisation: keys are keyed SHA-256 digests (HMAC with the
  ``SECRET_KEY``), so no username or IP address sits in the limiter, neither in Redis nor in
  the ``RateLimitBucket`` table.

Each limit counts hits in a fixed window (``count`` hits per ``seconds``, windows aligned on
the epoch): simple, atomic on both backends, and bounded: at worst ``2 * count`` hits fit in
any span of ``seconds`` that straddles two windows (docs/decisions/0005).

Backends: the cache (``django.core.cache``, Redis) when ``settings.REDIS_URL`` is set,
using atomic ``add`` + ``incr`` on a key that names the window; otherwise the database
(``RateLimitBucket``, one row per key and window, incremented with ``F()`` under the row lock
that the ``UPDATE`` takes inside ``transaction.atomic()``). When Redis fails, the limiter
logs the error and falls back to the database rather than letting every request through.

Besides counting, a key can be blocked for a number of seconds (``block``, ``blocked_for``,
``unblock``): the sign-in back-off sets one per failure once a count is reached. A block is a
cache key holding its end time, or a ``RateLimitBucket`` row at a sentinel window start whose
``expires_at`` is the end (``purge_expired`` removes ended ones).

Settings: ``RATE_LIMITS`` ({name: Limit | (count, seconds)}) overrides or adds limits,
``TRUSTED_PROXY_COUNT`` (default 0) is the number of reverse proxies whose
``X-Forwarded-For`` entries are trusted, ``RATE_LIMIT_PREFIX`` (default ``"rl"``) namespaces
the keys.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import ipaddress
import logging
import math
import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.crypto import salted_hmac

logger = logging.getLogger(__name__)

_DIGEST_CHARS = 32  # 128 bits of the HMAC: no collisions in practice, short keys


@dataclass(frozen=True)
class Limit:
    """At most ``count`` hits per fixed window of ``seconds``."""

    count: int
    seconds: int

    def __post_init__(self) -> None:
        if self.count < 1 or self.seconds < 1:
            raise ValueError("a limit needs a positive count and window")


#: The named limits; ``settings.RATE_LIMITS`` overrides any of them or adds new names.
LIMITS: dict[str, Limit] = {
    # Sign-in failures (MLPS 2.0 login-failure handling), counted by portal.accounts.signin
    # (docs/decisions/0022). From the count on, each further failure of the same scope blocks
    # it for SIGNIN_BACKOFF_BASE seconds, doubled per failure, at most SIGNIN_BACKOFF_MAX.
    "signin.user_ip": Limit(5, 24 * 60 * 60),  # one username from one address (IPv6: /64)
    "signin.user_subnet": Limit(10, 24 * 60 * 60),  # one username from one /24 (IPv6: /48)
    "signin.ip": Limit(30, 60 * 60),  # one address across usernames (spraying)
    "signin.subnet": Limit(100, 60 * 60),  # one /24 (/48) across usernames
    # One username from anywhere: never refuses; the count is the burst that alerts the
    # owner and SECURITY_ALERT_EMAILS once per window (portal.accounts.alerts).
    "signin.user": Limit(10, 60 * 60),
    # Submissions of public forms (lookups, objections, complaints) by anonymous visitors.
    "public_form.ip": Limit(30, 60 * 60),
    "public_form.subnet": Limit(150, 60 * 60),
    # Solved human checks per address, form and day (portal.captcha): quota and difficulty.
    "captcha.objection": Limit(10, 24 * 60 * 60),
    "captcha.registration": Limit(5, 24 * 60 * 60),
    "captcha.signin": Limit(100, 24 * 60 * 60),
    "captcha.result_lookup": Limit(20, 24 * 60 * 60),  # a worker's own result (Art 20)
    # The public certificate lookup (Art 22; docs/decisions/0047), counted only for lookups
    # whose form and proof of work passed: one address (IPv6 /64) per 10 minutes; one /24
    # (IPv6 /48) per 10 minutes and per hour, high enough for a carrier's CGNAT /24 shared
    # by thousands of phones; solved challenges per address and day.
    "certificate_lookup.ip": Limit(30, 10 * 60),
    "certificate_lookup.subnet": Limit(600, 10 * 60),
    "certificate_lookup.hour": Limit(2000, 60 * 60),
    "captcha.certificate_lookup": Limit(200, 24 * 60 * 60),
    # Uploads to verify a certificate (Art 22; decision 0048): per address and /24 (/48) an
    # hour, and solved checks per address a day.
    "certificate_verify.ip": Limit(60, 60 * 60),
    "certificate_verify.subnet": Limit(300, 60 * 60),
    "captcha.certificate_verify": Limit(50, 24 * 60 * 60),
}


def limit_for(name: str) -> Limit:
    """The limit called ``name``, with the override from ``settings.RATE_LIMITS`` if any."""
    override = getattr(settings, "RATE_LIMITS", {}).get(name)
    if override is not None:
        return override if isinstance(override, Limit) else Limit(*override)
    try:
        return LIMITS[name]
    except KeyError as exc:
        raise LookupError(f"unknown rate limit {name!r}") from exc


# --- Addresses -------------------------------------------------------------------------


def _parse_ip(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # "[2001:db8::1]:443"
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # "203.0.113.7:51234"
        value = value.split(":", 1)[0]
    value = value.split("%", 1)[0]  # zone index
    try:
        addr = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        return addr.ipv4_mapped
    return addr


def client_ip(request: HttpRequest) -> str:
    """The client's address: ``REMOTE_ADDR``, or, behind ``TRUSTED_PROXY_COUNT`` proxies,
    the ``X-Forwarded-For`` entry that many hops from the right (the one our outermost proxy
    appended; entries further left are whatever the client sent and are never trusted).

    Answers ``""`` when no valid address is known.
    """
    hops = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "") if hops > 0 else ""
    return _client_ip(request.META.get("REMOTE_ADDR", "") or "", forwarded, hops)


@functools.lru_cache(maxsize=4096)
def _client_ip(remote_addr: str, forwarded: str, hops: int) -> str:
    """``client_ip`` of these header values (parsed once: a lookup asks it five times)."""
    remote = _parse_ip(remote_addr)
    if hops > 0:
        parts = [p for p in (s.strip() for s in forwarded.split(",")) if p]
        if len(parts) >= hops:
            candidate = _parse_ip(parts[-hops])
            if candidate is not None:
                return str(candidate)
    return str(remote) if remote is not None else ""


@functools.lru_cache(maxsize=4096)
def subnet_of(ip: str, v4_prefix: int = 24, v6_prefix: int = 48) -> str:
    """The network around ``ip``: its /24 for IPv4 and its /48 for IPv6 by default.

    A value that is not an address comes back unchanged, so it still counts as a key.
    """
    addr = _parse_ip(ip)
    if addr is None:
        return ip
    prefix = v4_prefix if addr.version == 4 else v6_prefix
    return str(ipaddress.ip_network(f"{addr}/{prefix}", strict=False))


def host_of(ip: str) -> str:
    """The key of one client: the address for IPv4, its /64 for IPv6 (one host's prefix)."""
    return subnet_of(ip, 32, 64)


# --- Keys and windows ---------------------------------------------------------------------


def _digest(name: str, key: str) -> str:
    mac = salted_hmac("portal.ratelimit", f"{name}\x00{key}", algorithm="sha256")
    return mac.hexdigest()[:_DIGEST_CHARS]


def _bucket_key(name: str, key: str) -> str:
    prefix = getattr(settings, "RATE_LIMIT_PREFIX", "rl")
    return f"{prefix}:{name}:{_digest(name, key)}"


@dataclass(frozen=True)
class _Window:
    number: int
    start: float
    end: float


def _window(limit: Limit, now: float | None = None) -> _Window:
    now = time.time() if now is None else now
    number = int(now // limit.seconds)
    start = number * limit.seconds
    return _Window(number, start, start + limit.seconds)


def _aware(timestamp: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(timestamp, tz=dt.UTC)


# --- Backends -----------------------------------------------------------------------------


class _Database:
    """One ``RateLimitBucket`` row per key and window."""

    @staticmethod
    def _rows(key: str, window: _Window):
        from portal.models import RateLimitBucket

        return RateLimitBucket.objects.filter(key=key, window_start=_aware(window.start))

    def incr(self, key: str, window: _Window) -> int:
        from portal.models import RateLimitBucket

        rows = self._rows(key, window)
        with transaction.atomic():
            # The UPDATE takes the row lock until commit, so the read below sees our hit.
            if not rows.update(hits=F("hits") + 1):
                try:
                    with transaction.atomic():
                        RateLimitBucket.objects.create(
                            key=key,
                            window_start=_aware(window.start),
                            expires_at=_aware(window.end),
                            hits=1,
                        )
                    return 1
                except IntegrityError:  # another request created the row first
                    rows.update(hits=F("hits") + 1)
            return rows.values_list("hits", flat=True).get()

    def decr(self, key: str, window: _Window) -> None:
        self._rows(key, window).filter(hits__gt=0).update(hits=F("hits") - 1)

    def get(self, key: str, window: _Window) -> int:
        return self._rows(key, window).values_list("hits", flat=True).first() or 0

    def delete(self, key: str, window: _Window) -> None:
        from portal.models import RateLimitBucket

        RateLimitBucket.objects.filter(key=key).delete()

    # Blocks: one row per key at the sentinel window start; ``expires_at`` is the end.

    @staticmethod
    def _block_rows(key: str):
        from portal.models import RateLimitBucket

        return RateLimitBucket.objects.filter(key=key, window_start=_BLOCK_ROW_START)

    def set_block(self, key: str, until: float, replace: bool) -> bool:
        from portal.models import RateLimitBucket

        rows, end = self._block_rows(key), _aware(until)
        with transaction.atomic():
            # One UPDATE decides between parallel claims: the row lock serialises them and
            # only the first still sees an ended block.
            free = rows if replace else rows.filter(expires_at__lte=_aware(time.time()))
            if free.update(expires_at=end):
                return True
            if rows.exists():
                return False
            try:
                with transaction.atomic():
                    RateLimitBucket.objects.create(
                        key=key, window_start=_BLOCK_ROW_START, expires_at=end, hits=0
                    )
            except IntegrityError:  # a parallel claim created it first
                return bool(replace and rows.update(expires_at=end))
            return True

    def block_end(self, key: str) -> float:
        end = self._block_rows(key).values_list("expires_at", flat=True).first()
        return end.timestamp() if end is not None else 0.0

    def clear_block(self, key: str) -> None:
        self._block_rows(key).delete()


class _Cache:
    """A counter per key and window in the cache (Redis), expiring after its window."""

    @staticmethod
    def _cache():
        return caches[getattr(settings, "RATE_LIMIT_CACHE", "default")]

    @staticmethod
    def _name(key: str, window: _Window) -> str:
        return f"{key}:{window.number}"

    @staticmethod
    def _ttl(window: _Window) -> int:
        return max(1, math.ceil(window.end - time.time())) + 60

    @staticmethod
    def _redis():
        """(cache, a redis client) when the cache is Django's ``RedisCache``, else None.

        Django's client builds a new ``redis.Redis`` per call (its command table copied each
        time) and answers ``incr`` in two round trips (EXISTS, INCR): a hit cost three. One
        client per connection pool, kept here, counts a hit in one MULTI/EXEC."""
        from django.core.cache.backends.redis import RedisCacheClient

        cache = _Cache._cache()
        backend = getattr(cache, "_cache", None)
        if not isinstance(backend, RedisCacheClient):
            return None
        pool = backend._get_connection_pool(True)
        client = _REDIS_CLIENTS.get(id(pool))
        if client is None or client.connection_pool is not pool:
            client = _REDIS_CLIENTS[id(pool)] = backend._client(connection_pool=pool)
        return cache, client

    def incr_many(self, keys_windows: Sequence[tuple[str, _Window]]) -> list[int]:
        """``incr`` of each (key, window), in one round trip when the cache is Redis."""
        found = self._redis()
        if found is None:
            return [self.incr(key, window) for key, window in keys_windows]
        cache, client = found
        # MULTI/EXEC: nothing runs between a key's SET NX (with its expiry) and its INCR, so
        # a counter never outlives its window (the two-step path retries for the same end).
        pipe = client.pipeline(transaction=True)
        for key, window in keys_windows:
            name = cache.make_and_validate_key(self._name(key, window))
            pipe.set(name, 0, ex=self._ttl(window), nx=True)
            pipe.incr(name)
        replies = pipe.execute()
        return [int(hits) for hits in replies[1::2]]

    def incr(self, key: str, window: _Window) -> int:
        if self._redis() is not None:
            return self.incr_many([(key, window)])[0]
        cache, name = self._cache(), self._name(key, window)
        for _attempt in range(2):
            cache.add(name, 0, timeout=self._ttl(window))
            try:
                return int(cache.incr(name))
            except ValueError:  # expired or reset between add and incr: start again
                continue
        raise RuntimeError("the rate-limit counter vanished twice")

    def decr(self, key: str, window: _Window) -> None:
        with contextlib.suppress(ValueError):  # nothing to give back
            self._cache().decr(self._name(key, window))

    def get(self, key: str, window: _Window) -> int:
        found = self._redis()
        if found is not None:  # the kept client: no new redis.Redis per read
            cache, client = found
            return max(
                0, int(client.get(cache.make_and_validate_key(self._name(key, window))) or 0)
            )
        return max(0, int(self._cache().get(self._name(key, window), 0) or 0))

    def delete(self, key: str, window: _Window) -> None:
        self._cache().delete(self._name(key, window))

    # Blocks: one cache key holding the end time, expiring with it. The end time decides
    # (so a frozen or shifted clock in tests agrees with the database backend); the key's
    # expiry only keeps Redis clean.

    @staticmethod
    def _timeout(until: float) -> int:
        return max(1, math.ceil(until - time.time()))

    def set_block(self, key: str, until: float, replace: bool) -> bool:
        cache, value = self._cache(), round(until * 1000)  # milliseconds: an integer in Redis
        if replace:
            cache.set(key, value, timeout=self._timeout(until))
            return True
        if cache.add(key, value, timeout=self._timeout(until)):  # atomic SET NX
            return True
        if self.block_end(key) > time.time():
            return False
        # Ended by the clock but not yet expired in Redis (at most a second in production):
        # replace it; two claims racing inside that second may both pass.
        cache.delete(key)
        return bool(cache.add(key, value, timeout=self._timeout(until)))

    def block_end(self, key: str) -> float:
        try:
            return int(self._cache().get(key, 0) or 0) / 1000
        except (TypeError, ValueError):
            return 0.0

    def clear_block(self, key: str) -> None:
        self._cache().delete(key)


_DATABASE = _Database()
_CACHE = _Cache()
#: One redis client per connection pool (``_Cache._redis``).
_REDIS_CLIENTS: dict[int, object] = {}


#: ``window_start`` of the database rows that hold a block (a block has no window).
_BLOCK_ROW_START = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def _call_block(operation: str, name: str, key: str, *args):
    limit_for(name)  # unknown names are refused here too
    bucket = _bucket_key(name, key) + ":block"
    if getattr(settings, "REDIS_URL", ""):
        try:
            return getattr(_CACHE, operation)(bucket, *args)
        except Exception:
            logger.exception("rate limit %s: the cache failed, using the database", name)
    return getattr(_DATABASE, operation)(bucket, *args)


def _call(operation: str, name: str, key: str):
    limit = limit_for(name)
    bucket, window = _bucket_key(name, key), _window(limit)
    if getattr(settings, "REDIS_URL", ""):
        try:
            return limit, window, getattr(_CACHE, operation)(bucket, window)
        except Exception:
            logger.exception("rate limit %s: the cache failed, using the database", name)
    return limit, window, getattr(_DATABASE, operation)(bucket, window)


# --- The API ------------------------------------------------------------------------------


def hit(name: str, key: str) -> bool:
    """Record one hit of ``key`` against limit ``name``; False when that hit is over it."""
    limit, _window_, hits = _call("incr", name, key)
    return hits <= limit.count


def hit_many(limits: Sequence[tuple[str, str]]) -> str:
    """``hit`` of each (name, key) in order, stopping at the first that refuses: answers
    that limit's name, or "" when all allowed. With Redis the hits are counted in one round
    trip; the limits after a refused one are then given back (one more round trip), so the
    counts end as the one-by-one calls leave them (the refused hit itself stays counted)."""
    known = [(name, key, limit_for(name)) for name, key in limits]
    buckets = [(_bucket_key(name, key), _window(limit)) for name, key, limit in known]
    counted = None
    if getattr(settings, "REDIS_URL", ""):
        try:
            counted = _CACHE.incr_many(buckets)
        except Exception:
            logger.exception("rate limits %s: the cache failed, using the database", limits)
    if counted is None:  # the database, one by one (it stops at the refusal by itself)
        for (name, _key, limit), (bucket, window) in zip(known, buckets, strict=True):
            if _DATABASE.incr(bucket, window) > limit.count:
                return name
        return ""
    for position, ((name, _key, limit), hits) in enumerate(zip(known, counted, strict=True)):
        if hits > limit.count:
            for bucket, window in buckets[position + 1 :]:
                try:
                    _CACHE.decr(bucket, window)
                except Exception:
                    logger.exception("rate limit %s: the refund failed", name)
            return name
    return ""


#: ``claim_and_hit`` in one round trip: SET NX the claim; only when it is new, each counter
#: in order (SET NX with its expiry, INCR), stopping after the first over its count.
_CLAIM_AND_HIT = """
if not redis.call('SET', KEYS[1], 1, 'NX', 'EX', ARGV[1]) then return {-1} end
local hits = {}
for i = 2, #KEYS do
  redis.call('SET', KEYS[i], 0, 'NX', 'EX', ARGV[2 * i - 2])
  local n = redis.call('INCR', KEYS[i])
  hits[#hits + 1] = n
  if n > tonumber(ARGV[2 * i - 1]) then return hits end
end
return hits
"""
_SCRIPTS: dict[int, object] = {}


def claim_and_hit(
    claim: str, seconds: int, limits: Sequence[tuple[str, str]]
) -> tuple[bool, list[int], str] | None:
    """Claim the cache key ``claim`` for ``seconds`` (once: a spent challenge) and, only when
    the claim is new, ``hit_many(limits)`` (in order, stopping at the first that refuses, its
    hit counted and the later ones not). Answers (claimed, the hits counted in order, the
    refusing limit or ""), in one Redis round trip; None when the limits are not in the
    default Redis cache (then claim and count the usual way)."""
    if (
        not getattr(settings, "REDIS_URL", "")
        or getattr(settings, "RATE_LIMIT_CACHE", "default") != "default"
    ):
        return None
    found = _CACHE._redis()
    if found is None:
        return None
    cache, client = found
    known = [(name, limit_for(name)) for name, _key in limits]
    keys, args = [cache.make_and_validate_key(claim)], [max(1, int(seconds))]
    for (name, key), (_name, limit) in zip(limits, known, strict=True):
        window = _window(limit)
        keys.append(cache.make_and_validate_key(_CACHE._name(_bucket_key(name, key), window)))
        args += [_CACHE._ttl(window), limit.count]
    script = _SCRIPTS.get(id(client))
    if script is None:
        script = _SCRIPTS[id(client)] = client.register_script(_CLAIM_AND_HIT)
    try:
        replies = [int(n) for n in script(keys=keys, args=args)]
    except Exception:
        logger.exception("rate limits %s: the cache failed", [name for name, _ in limits])
        return None
    if replies == [-1]:
        return False, [], ""
    last_name, last_limit = known[len(replies) - 1] if replies else ("", None)
    refused = last_name if last_limit is not None and replies[-1] > last_limit.count else ""
    return True, replies, refused


def add(name: str, key: str) -> int:
    """Record one hit of ``key`` against limit ``name`` and answer the hits in this window
    (this one included); the caller decides what the count means (e.g. a back-off)."""
    return _call("incr", name, key)[2]


def check(name: str, key: str) -> bool:
    """Would one more hit of ``key`` be allowed? Records nothing."""
    limit, _window_, hits = _call("get", name, key)
    return hits < limit.count


def count(name: str, key: str) -> int:
    """Hits of ``key`` against limit ``name`` in the current window."""
    return _call("get", name, key)[2]


def refund(name: str, key: str) -> None:
    """Give back one hit that turned out not to count (e.g. a reserved sign-in that worked)."""
    _call("decr", name, key)


def reset(name: str, key: str) -> None:
    """Forget the hits of ``key`` against limit ``name`` (a successful sign-in, an unlock)."""
    _call("delete", name, key)


def retry_after(name: str, key: str) -> int:
    """Seconds until ``key`` may try again under limit ``name``; 0 when it may now."""
    limit, window, hits = _call("get", name, key)
    if hits < limit.count:
        return 0
    return max(1, math.ceil(window.end - time.time()))


def block(name: str, key: str, seconds: int, *, replace: bool = True) -> bool:
    """Refuse ``key`` under ``name`` for ``seconds`` from now (see ``blocked_for``).

    With ``replace=False`` the block is set only if none is running, atomically: of parallel
    callers exactly one gets True (a claim, e.g. the one sign-in attempt allowed after a
    back-off ended). Answers whether this call set the block.
    """
    return bool(_call_block("set_block", name, key, time.time() + max(1, seconds), replace))


def blocked_for(name: str, key: str) -> int:
    """Seconds left of the block on ``key`` under ``name``; 0 when there is none."""
    left = _call_block("block_end", name, key) - time.time()
    return max(0, math.ceil(left)) if left > 0 else 0


def unblock(name: str, key: str) -> None:
    """Lift the block on ``key`` under ``name`` (its hits stay; see ``reset``)."""
    _call_block("clear_block", name, key)


def purge_expired(now: dt.datetime | None = None) -> int:
    """Delete database buckets whose window has ended; answers how many. For a periodic job."""
    from django.utils import timezone

    from portal.models import RateLimitBucket

    deleted, _by_model = RateLimitBucket.objects.filter(
        expires_at__lt=now or timezone.now()
    ).delete()
    return deleted


# --- Views --------------------------------------------------------------------------------


def minutes(seconds: int) -> int:
    """Whole minutes to wait, rounded up, at least one."""
    return max(1, math.ceil(seconds / 60))


def too_many_requests(request: HttpRequest, seconds: int) -> HttpResponse:
    """The 429 page (Chinese first) with a ``Retry-After`` header."""
    wait = max(1, seconds)
    response = render(request, "429.html", {"minutes": minutes(wait)}, status=429)
    response.headers["Retry-After"] = str(wait)
    return response


def subnet_key(request: HttpRequest) -> str:
    """Key function of the ``*.subnet`` limits: the client's /24 (IPv4) or /48 (IPv6)."""
    return subnet_of(client_ip(request))


def host_key(request: HttpRequest) -> str:
    """Key function of the ``*.ip`` limits: the client's address (its /64 for IPv6)."""
    return host_of(client_ip(request))


def ratelimited(
    name: str,
    key_func: Callable[[HttpRequest], str] = host_key,
    *,
    methods: Collection[str] = ("POST",),
) -> Callable[[Callable], Callable]:
    """Count each request of ``methods`` against limit ``name``; over it, answer 429.

    Stack one per limit, e.g. ``ratelimited("public_form.ip")`` and
    ``ratelimited("public_form.subnet", subnet_key)``.
    """

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs):
            if request.method in methods:
                key = key_func(request)
                if not hit(name, key):
                    logger.warning("rate limit %s exceeded on %s", name, request.path)
                    return too_many_requests(request, retry_after(name, key))
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
