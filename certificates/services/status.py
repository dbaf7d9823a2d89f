"""Status lists (Art 20; decision 0042): every certificate owns one bit of a list of at least
131,072 entries, at a random index, so that fetching a list (``/certificates/status/<id>/``)
tells nobody which certificate is being checked. A set bit means revoked, or replaced by a
corrected certificate (Art 27).

The bitstring is published as in the W3C Bitstring Status List: GZIP-compressed, then
base64url-encoded without padding; bit 0 is the left-most bit of the first byte. The signed
list credential comes with part 2.
"""

from __future__ import annotations

import base64
import gzip
import secrets

from django.db.models import F

from certificates.models import ENDED_STATUSES, STATUS_LIST_SIZE, Certificate, StatusList

_RANDOM = secrets.SystemRandom()


def allocate_indexes(n: int) -> list[tuple[StatusList, int]]:
    """``n`` free (list, index) entries at random, in the caller's transaction. The open
    list is locked (one writer at a time); new lists are made as the open one fills."""
    out: list[tuple[StatusList, int]] = []
    while len(out) < n:
        status_list = StatusList.objects.select_for_update().filter(allocated__lt=F("size")).last()
        if status_list is None:
            status_list = StatusList.objects.create(size=STATUS_LIST_SIZE)
            status_list = StatusList.objects.select_for_update().get(pk=status_list.pk)
        want = min(n - len(out), status_list.free)
        used = set(
            Certificate.objects.filter(status_list=status_list).values_list(
                "status_index", flat=True
            )
        )
        free = [i for i in range(status_list.size) if i not in used] if used else None
        picked = (
            _RANDOM.sample(free, want)
            if free is not None
            else _RANDOM.sample(range(status_list.size), want)
        )
        out.extend((status_list, i) for i in picked)
        status_list.allocated += want
        status_list.save(update_fields=["allocated"])
    return out


def bitstring(status_list: StatusList) -> bytes:
    """The list's bits: one per entry, set for a revoked or replaced (corrected) one."""
    bits = bytearray(status_list.size // 8 + (1 if status_list.size % 8 else 0))
    revoked = Certificate.objects.filter(
        status_list=status_list, status__in=ENDED_STATUSES
    ).values_list("status_index", flat=True)
    for index in revoked:
        bits[index // 8] |= 0x80 >> (index % 8)
    return bytes(bits)


def encoded_list(status_list: StatusList) -> str:
    """The W3C ``encodedList``: GZIP then base64url without padding."""
    packed = gzip.compress(bitstring(status_list), mtime=0)
    return base64.urlsafe_b64encode(packed).decode().rstrip("=")


def decode_list(encoded: str) -> bytes:
    """The inverse of ``encoded_list`` (for checkers and tests)."""
    padded = encoded + "=" * (-len(encoded) % 4)
    return gzip.decompress(base64.urlsafe_b64decode(padded))


def bit(bits: bytes, index: int) -> bool:
    return bool(bits[index // 8] & (0x80 >> (index % 8)))
