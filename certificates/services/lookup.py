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
import re
import unicodedata
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
    transaction of their own so the setting ends with it."""
    try:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL statement_timeout = %s", [timeout_ms()])
            yield
    except OperationalError as exc:  # QueryCanceled is an OperationalError in Django
        if "statement timeout" in str(exc) or "canceling statement" in str(exc):
            raise LookupBusy from exc
        raise


_PORTAL = Certificate.objects.select_related("photo", "replaced_by", "agency")
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
    return find_many([query])[0]


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
