"""Finding certificates for the public lookup and for bulk verification (Art 22).

Rules implemented here:

* Art 22 (certificates are looked up on the portal and through the national service
  platform): anyone finds a certificate by name + ID number, or by name + certificate number
  (22-character numbers and imported 16-digit legacy numbers alike).
* PIPL data minimisation and no oracle: matching is exact and by key only, the ID number
  through its keyed blind index (``portal.pii.index_candidates``) and the number through its
  unique index, never a substring or prefix on a public path. The row is read by its key,
  then the name is compared in Python, so "no such certificate" and "the name does not
  match" do the same work and give the same answer (an empty list).
* Every lookup runs under ``SET LOCAL statement_timeout`` (``CERTIFICATE_LOOKUP_TIMEOUT_MS``,
  500 ms) on PostgreSQL; a query that runs out raises ``LookupBusy`` (the page answers 503).

``find`` answers one query; ``find_many`` answers many in a handful of statements (bulk
verification); ``public_facts`` is everything a lookup may show of a certificate.
"""

from __future__ import annotations

import contextlib
import functools
import re
import unicodedata
import weakref
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import OperationalError, connection, transaction

from certificates.models import Certificate, LegacyCertificate
from portal import codes, pii
from portal.models import IdType

#: Keys per statement in ``find_many`` (well under PostgreSQL's parameter limit).
CHUNK = 2000

_SPACES = re.compile(r"\s+")
# Middle dots in minority and foreign names (阿依古丽·买买提) arrive in many code points.
_DOTS = str.maketrans(dict.fromkeys("•‧・∙⋅･.", "·"))


class LookupBusy(Exception):
    """The lookup ran past its statement timeout: try again later (never a partial answer)."""


@dataclass(frozen=True)
class Query:
    """One lookup: the name and either the ID number (with its type) or the certificate
    number. ``ref`` is the caller's own reference (bulk verification), echoed back."""

    name: str
    id_number: str = ""
    number: str = ""
    id_type: str = IdType.RESIDENT_ID
    ref: str = ""


def normalise_name(name: str) -> str:
    """The name as compared: NFKC (full-width letters), one space between words, one kind of
    middle dot. Case is kept for Latin names' sake only where the holder wrote it so; the
    comparison folds it (``same_name``)."""
    folded = unicodedata.normalize("NFKC", name or "").translate(_DOTS)
    return _SPACES.sub(" ", folded).strip()


def same_name(typed: str, held: str) -> bool:
    return normalise_name(typed).casefold() == normalise_name(held).casefold()


def normalise_number(number: str) -> str:
    """A certificate number as typed (full-width digits, spaces between groups) made
    canonical, or "" when it is neither a 22-character nor a 16-digit legacy number."""
    code = codes.normalize_code(number or "")
    if codes.is_valid_certificate_number(code) or codes.is_legacy_certificate_number(code):
        return code
    return ""


def timeout_ms() -> int:
    return int(getattr(settings, "CERTIFICATE_LOOKUP_TIMEOUT_MS", 500))


@contextlib.contextmanager
def bounded() -> Iterator[None]:
    """Run the enclosed queries under the lookup's statement timeout (PostgreSQL), in a
    transaction of their own so the setting ends with it. Inside another ``bounded()`` it
    adds nothing (no savepoint, no second SET LOCAL: the outer block's timeout holds)."""
    if getattr(connection, "_lookup_bounded", False):
        yield
        return
    try:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL statement_timeout = %s", [timeout_ms()])
            connection._lookup_bounded = True
            try:
                yield
            finally:
                connection._lookup_bounded = False
    except OperationalError as exc:  # QueryCanceled is an OperationalError in Django
        if "statement timeout" in str(exc) or "canceling statement" in str(exc):
            raise LookupBusy from exc
        raise


#: The columns a lookup reads and shows (``public_facts``, the page, the match in ``take``):
#: never ``basis`` or ``credential`` (JSON, kilobytes a row), nor the photo and agency rows
#: (the page needs only ``photo_id``; the agency's name is a column of the certificate).
_FACTS = (
    "number",
    "token",
    "holder_name",
    "id_type",
    "id_number",
    "id_index",
    "occupation_code",
    "occupation_name",
    "work_type_name",
    "level_code",
    "level_display",
    "agency_name",
    "agency_id",
    "issued_on",
    "status",
    "revoked_at",
    "revoked_reason",
    "replaced_by_id",
    "photo_id",
)
_PORTAL = Certificate.objects.select_related("replaced_by").only(
    *_FACTS, "replaced_by__number", "replaced_by__token"
)
#: The whole certificate, for the holder's download (the PDF and credential read it all).
_DOWNLOAD = Certificate.objects.select_related("photo", "replaced_by", "agency")
# ``IdType.values`` builds its list anew on every access (≈ 1 ms): half of find_many's time.
_ID_TYPES = frozenset(IdType.values)


def _id_indexes(query: Query) -> list[str]:
    if not query.id_number or query.id_type not in _ID_TYPES:
        return []
    try:
        number = pii.normalise(query.id_type, codes.normalize_code(query.id_number))
    except ValueError:
        return []
    return pii.index_candidates(query.id_type, number)


def _ordered(found: list) -> list:
    return sorted(found, key=lambda c: (c.issued_on, c.number), reverse=True)


def find(query: Query) -> list[Certificate | LegacyCertificate]:
    """The certificates ``query`` names exactly (newest first), portal and legacy; [] for
    every kind of miss alike. Raises ``LookupBusy`` past the statement timeout."""
    return _find_one(query, listed=False)[0]


# --- One lookup in one round trip (the public page and the API; decision 0054) ----------------
#
# ``find_many`` builds ORM statements per chunk inside ``bounded()``: BEGIN, SET LOCAL, one
# SELECT per table, COMMIT, and each SELECT compiled anew. A single lookup sends instead one
# message: ``SET LOCAL statement_timeout`` and the statements (certificates, legacy records
# and, for the page, the agencies' directory names), which PostgreSQL runs as one implicit
# transaction, each statement under the timeout; the SQL is built once per process. Every
# lookup runs the same statements whatever it finds, as ``find_many`` does (no oracle).


def _columns(model, names: Sequence[str], alias: str) -> tuple[list, str]:
    """The fields ``names`` in the model's order (what ``Model.from_db`` expects) and their
    columns as SQL."""
    wanted = {model._meta.get_field(name) for name in names}
    fields = [f for f in model._meta.concrete_fields if f in wanted]
    return fields, ", ".join(f'{alias}."{f.column}"' for f in fields)


_LEGACY_FACTS = (
    "id",
    "number",
    "holder_name",
    "id_type",
    "id_number",
    "id_index",
    "occupation_code",
    "occupation_name",
    "work_type_name",
    "level_code",
    "level_display",
    "agency_name",
    "issued_on",
    "source",
)
_PORTAL_FIELDS, _PORTAL_COLUMNS = _columns(Certificate, ("id", *_FACTS), "c")
_LEGACY_FIELDS, _LEGACY_COLUMNS = _columns(LegacyCertificate, _LEGACY_FACTS, "l")


def _key_filter(model, alias: str, by_number: bool, keys: int) -> str:
    column = model._meta.get_field("number" if by_number else "id_index").column
    if keys == 1:
        return f'{alias}."{column}" = %s'
    return f'{alias}."{column}" IN ({", ".join(["%s"] * keys)})'


@functools.cache
def _statements(by_number: bool, keys: int, listed: bool) -> tuple[str, ...]:
    """The statements of one lookup by number or by ``keys`` index values (built once)."""
    portal_table = Certificate._meta.db_table
    legacy_table = LegacyCertificate._meta.db_table
    # Table and column names from the models' _meta; the keys are parameters.
    parts = (
        f'SELECT {_PORTAL_COLUMNS}, r."number", r."token" FROM {portal_table} c '  # noqa: S608
        f'LEFT JOIN {portal_table} r ON r."id" = c."replaced_by_id" '
        f"WHERE {_key_filter(Certificate, 'c', by_number, keys)}",
        f"SELECT {_LEGACY_COLUMNS} FROM {legacy_table} l "  # noqa: S608
        f"WHERE {_key_filter(LegacyCertificate, 'l', by_number, keys)}",
    )
    return (*parts, _directory_statement(by_number, keys)) if listed else parts


def _names(by_number: bool, keys: int, listed: bool) -> tuple[str, ...]:
    """The names the statements are prepared under in each database session."""
    shape = f"{'number' if by_number else 'index'}{keys}"
    return tuple(f"certificate_lookup_{shape}_{k}" for k in range(3 if listed else 2))


@functools.cache
def _prepare(by_number: bool, keys: int, listed: bool) -> tuple[str, ...]:
    """``PREPARE`` of each statement, the keys as ``$1 … $n``."""
    out = []
    names, statements = _names(by_number, keys, listed), _statements(by_number, keys, listed)
    for name, sql in zip(names, statements, strict=True):
        pieces = sql.split("%s")
        if len(pieces) != keys + 1:
            raise RuntimeError("a lookup statement does not name each key once")
        body = pieces[0] + "".join(f"${k}{piece}" for k, piece in enumerate(pieces[1:], 1))
        out.append(f"PREPARE {name} AS {body}".replace("%", "%%"))
    return tuple(out)


#: Per database connection (psycopg's), the lookup statements prepared in its session.
_PREPARED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _prepared_here(cursor) -> set[str]:
    """The names prepared in this session: read once per connection (and after an error),
    since a prepared statement outlives transactions and errors but not the session."""
    raw = connection.connection
    known = _PREPARED.get(raw)
    if known is None:
        cursor.execute(
            "SELECT name FROM pg_prepared_statements WHERE name LIKE 'certificate_lookup_%%'"
        )
        known = _PREPARED[raw] = {name for (name,) in cursor.fetchall()}
    return known


def _directory_statement(by_number: bool, keys: int) -> str:
    """The directory's names of the agencies of the certificates a key finds, compiled from
    ``agencies.queries.listing.directory_entries`` once (the directory's rule stays there):
    sentinel values stand for the keys and become placeholders again; the directory's own
    constants (its statuses) are written in as quoted literals."""
    from agencies.queries.listing import directory_entries

    sentinels = [f"lookup-key-sentinel-{k}" for k in range(keys)]
    field = "number" if by_number else "id_index"
    issuers = Certificate.objects.filter(**{f"{field}__in": sentinels}).values("agency_id")
    names = (
        directory_entries().filter(agency_id__in=issuers).values_list("agency_id", "agency__name")
    )
    sql, params = names.query.sql_with_params()
    if "%%" in sql or [p for p in params if p in sentinels] != sentinels:
        raise RuntimeError("the directory statement cannot be prepared for the lookup")
    return sql % tuple("%s" if p in sentinels else _quoted(p) for p in params)


def _quoted(value) -> str:
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise TypeError(f"unexpected constant in the directory statement: {value!r}")
    if isinstance(value, int):
        return str(value)
    return "'" + value.replace("'", "''") + "'"


def _converted(fields: list, row: Sequence) -> list:
    values = list(row)
    for i, field in enumerate(fields):
        convert = getattr(field, "from_db_value", None)
        if convert is not None:
            values[i] = convert(values[i], None, connection)
    return values


def _run(shape: tuple[bool, int, bool], keys: list[str]) -> list[list[tuple]]:
    """Rows of each statement of a lookup of this shape (by number, number of keys, with
    the directory names), in one message: the ``PREPARE`` of any statement this database
    session has not prepared yet, ``SET LOCAL statement_timeout``, one ``EXECUTE`` per
    statement (planned once per session, not per lookup). ``LookupBusy`` past the timeout.
    Inside a transaction (tests, a caller's ``bounded()``) a savepoint keeps a cancelled
    statement from aborting the caller's transaction."""
    names = _names(*shape)
    guard = transaction.atomic() if connection.in_atomic_block else contextlib.nullcontext()
    try:
        with guard, connection.cursor() as cursor:
            known = _prepared_here(cursor)
            prepares = zip(names, _prepare(*shape), strict=True)
            parts = [sql for name, sql in prepares if name not in known]
            skip = len(parts)
            args = ", ".join(["%s"] * len(keys))
            parts += ["SET LOCAL statement_timeout = %s", *(f"EXECUTE {n}({args})" for n in names)]
            try:
                cursor.execute("; ".join(parts), [timeout_ms(), *keys * len(names)])
            except Exception:
                _PREPARED.pop(connection.connection, None)  # read them again next time
                raise
            known.update(names)
            out = []
            for _ in range(skip):
                cursor.nextset()
            for _ in names:
                cursor.nextset()
                out.append(cursor.fetchall())
            return out
    except OperationalError as exc:
        if "statement timeout" in str(exc) or "canceling statement" in str(exc):
            raise LookupBusy from exc
        raise


def _find_one(query: Query, *, listed: bool) -> tuple[list, dict[int, str]]:
    """``find`` (and, ``listed``, the directory's names of the issuing agencies) in one
    round trip on PostgreSQL; elsewhere through ``find_many``."""
    if connection.vendor != "postgresql":
        found = find_many([query])[0]
        if not listed:
            return found, {}
        return found, _directory_names({c.agency_id for c in found if not is_legacy(c)})
    if not normalise_name(query.name):
        return [], {}
    if query.number:
        number = normalise_number(query.number)
        keys = [number] if number else []
    else:
        keys = _id_indexes(query)
    if not keys:
        return [], {}
    by_number = bool(query.number)
    results = _run((by_number, len(keys), listed), keys)
    db = connection.alias
    found: list = []
    width = len(_PORTAL_FIELDS)
    for row in results[0]:
        values = _converted(_PORTAL_FIELDS, row[:width])
        certificate = Certificate.from_db(db, [f.attname for f in _PORTAL_FIELDS], values)
        if certificate.replaced_by_id:
            successor = Certificate.from_db(
                db, ["id", "number", "token"], [certificate.replaced_by_id, *row[width:]]
            )
            Certificate.replaced_by.field.set_cached_value(certificate, successor)
        found.append(certificate)
    for row in results[1]:
        values = _converted(_LEGACY_FIELDS, row)
        found.append(LegacyCertificate.from_db(db, [f.attname for f in _LEGACY_FIELDS], values))
    found = [row for row in found if same_name(query.name, row.holder_name)]
    names = dict(results[2]) if listed else {}
    return _ordered(found), names


def statements_of(query: Query, *, runs: int = 6) -> list[tuple[str, str, list]]:
    """(label, ``EXECUTE`` statement, params) of each statement the page runs for ``query``,
    prepared in this session by running the lookup ``runs`` times first (after five runs
    PostgreSQL may switch to a generic plan: the plan to EXPLAIN). For the benchmark."""
    for _ in range(runs):
        _find_one(query, listed=True)
    by_number = bool(query.number)
    keys = [normalise_number(query.number)] if by_number else _id_indexes(query)
    labels = ("certificates", "legacy records", "directory names")
    names = _names(by_number, len(keys), True)
    args = ", ".join(["%s"] * len(keys))
    return [
        (label, f"EXECUTE {name}({args})", keys) for label, name in zip(labels, names, strict=True)
    ]


def find_many(queries: Sequence[Query]) -> list[list[Certificate | LegacyCertificate]]:
    """``find`` for each query, in order, with one statement per table and chunk of keys."""
    by_index: dict[str, list[int]] = {}
    by_number: dict[str, list[int]] = {}
    for position, query in enumerate(queries):
        if not normalise_name(query.name):
            continue
        if query.number:
            number = normalise_number(query.number)
            if number:
                by_number.setdefault(number, []).append(position)
        else:
            for index in _id_indexes(query):
                by_index.setdefault(index, []).append(position)
    answers: list[list] = [[] for _ in queries]
    seen: list[set[tuple[str, int]]] = [set() for _ in queries]

    def take(rows, key_of, positions_of) -> None:
        for row in rows:
            for position in positions_of.get(key_of(row), ()):
                mark = (type(row).__name__, row.pk)
                if mark not in seen[position] and same_name(
                    queries[position].name, row.holder_name
                ):
                    seen[position].add(mark)
                    answers[position].append(row)

    with bounded():
        indexes, numbers = list(by_index), list(by_number)
        for start in range(0, len(indexes), CHUNK):
            keys = indexes[start : start + CHUNK]
            take(_PORTAL.filter(id_index__in=keys), lambda r: r.id_index, by_index)
            take(
                LegacyCertificate.objects.filter(id_index__in=keys), lambda r: r.id_index, by_index
            )
        for start in range(0, len(numbers), CHUNK):
            keys = numbers[start : start + CHUNK]
            take(_PORTAL.filter(number__in=keys), lambda r: r.number, by_number)
            take(LegacyCertificate.objects.filter(number__in=keys), lambda r: r.number, by_number)
    return [_ordered(found) for found in answers]


def is_legacy(certificate) -> bool:
    return isinstance(certificate, LegacyCertificate)


def public_facts(certificate: Certificate | LegacyCertificate) -> dict:
    """What a lookup answer may show of a certificate (page, API, spreadsheet): never the
    full ID number; the name as held (the asker typed it); the status with its date and
    reason; the successor's number of a replaced certificate."""
    legacy = is_legacy(certificate)
    facts = {
        "number": certificate.number,
        "holder": certificate.holder_name,
        "id_type": certificate.id_type,
        "id_number": certificate.masked_id,
        "occupation_code": certificate.occupation_code,
        "occupation": certificate.occupation_name,
        "work_type": certificate.work_type_name,
        "level_code": certificate.level_code,
        "level": certificate.level_display,
        "agency": certificate.agency_name,
        "agency_id": None if legacy else certificate.agency_id,
        "issued_on": certificate.issued_on.isoformat(),
        "legacy": legacy,
        "source": certificate.source if legacy else "",
        "status": "valid" if legacy else certificate.status,
        "revoked_on": None,
        "revoked_reason": "",
        "replaced_by": None,
        "url": "" if legacy else certificate.public_url,
    }
    if not legacy:
        if certificate.revoked_at:
            facts["revoked_on"] = certificate.revoked_at.date().isoformat()
            facts["revoked_reason"] = certificate.revoked_reason
        if certificate.replaced_by_id:
            facts["replaced_by"] = certificate.replaced_by.number
    return facts


# --- The public lookup page and the holder's download (Art 22; decision 0047) ---------------

#: Salt of the holder's download links (``download_token``): they name one certificate.
DOWNLOAD_SALT = "certificates.lookup.download"


def download_minutes() -> int:
    return int(getattr(settings, "CERTIFICATE_DOWNLOAD_LINK_MINUTES", 10))


def download_token(certificate: Certificate) -> str:
    """A short-lived signed link token naming ``certificate`` (never the ID number), handed
    out only to someone who found it by name + full ID number."""
    from django.core import signing

    return signing.dumps({"c": certificate.pk}, salt=DOWNLOAD_SALT, compress=True)


def certificate_from_token(token: str) -> Certificate | None:
    """The certificate a download token names, while it is fresh; None otherwise."""
    from django.core import signing

    if not token or len(token) > 200:
        return None
    try:
        data = signing.loads(token, salt=DOWNLOAD_SALT, max_age=download_minutes() * 60)
    except signing.BadSignature:
        return None
    pk = data.get("c") if isinstance(data, dict) else None
    if not isinstance(pk, int):
        return None
    return _DOWNLOAD.filter(pk=pk).first()


def _directory_names(agency_ids: set[int]) -> dict[int, str]:
    """The agencies' current names as the directory lists them (Art 22: named from our
    directory); agencies no longer in the directory are left out (no dead link)."""
    from agencies.queries.listing import directory_entries

    if not agency_ids:
        return {}
    rows = (
        directory_entries()
        .filter(agency_id__in=agency_ids)
        .values_list("agency_id", "agency__name")
    )
    return dict(rows)


def answers(query: Query, *, downloadable: bool = False) -> list[dict]:
    """The lookup page's answer to ``query`` (Art 22): per certificate found, its public
    facts, the agency named and linked from the directory, and (``downloadable``: found by
    name + full ID number) a download token. [] for every miss alike; raises
    ``LookupBusy`` past the statement timeout."""
    found, names = _find_one(query, listed=True)
    if not found:
        return []
    out = []
    for certificate in found:
        legacy = is_legacy(certificate)
        facts = public_facts(certificate)
        listed = None if legacy else names.get(certificate.agency_id)
        out.append(
            {
                "facts": facts,
                "certificate": certificate,
                "legacy": legacy,
                "agency_name": listed or certificate.agency_name,
                "agency_listed": listed is not None,
                "token": download_token(certificate) if downloadable and not legacy else "",
            }
        )
    return out


def holder_pdf(certificate: Certificate):
    """The certificate's signed PDF for its holder (Art 20, 22), through the on-demand cache
    (decision 0043): ready, or being generated after the commit (never inside a lock). The
    holder is proven by the download token, so this runs as the system."""
    from certificates.services import pdfs
    from portal import access

    return pdfs.request_certificate_pdf(access.SYSTEM, certificate)


def holder_credential(certificate: Certificate) -> dict:
    """The certificate's signed verifiable credential for its holder (decision 0044)."""
    from certificates import vc

    return vc.credential_for(certificate)
