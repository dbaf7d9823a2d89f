"""The HRSS authorities of the jurisdictions (decision 0028): the name each authority signs its
letters with and the prefix (代字) of their document numbers (文号), one row per jurisdiction
(``portal.models.Authority``), seeded from ``portal.reference.AUTHORITIES`` and kept by national
HRSS officials at /workspace/authorities/.

``letter_number`` hands out the next 文号 of an authority's letters through
``portal.counters.allocate``: one gap-free series per authority and calendar year, in the
caller's transaction, so a decision that rolls back gives its number back.
"""

from __future__ import annotations

from django.db import transaction

from portal import access, audit, counters
from portal.models import Authority
from portal.roles import NATIONAL

#: Numbers of one authority's letters in one year; refused (never wrapped) beyond.
LETTER_NUMBER_MAX = 99_999

__all__ = ["LETTER_NUMBER_MAX", "authority_for", "change_authority", "letter_number"]


def authority_for(jurisdiction: str) -> Authority:
    """The authority of ``jurisdiction`` (``000000``: the ministry). A row missing from a
    flushed table is restored from the reference data."""
    from portal.reference import AUTHORITIES

    found = Authority.objects.filter(pk=jurisdiction).first()
    if found is not None:
        return found
    name, prefix = AUTHORITIES[jurisdiction]  # KeyError: not a jurisdiction
    found, _created = Authority.objects.get_or_create(
        jurisdiction=jurisdiction, defaults={"name": name, "letter_prefix": prefix}
    )
    return found


def letter_number(authority: Authority, year: int) -> str:
    """The next document number of ``authority``'s letters in ``year``, e.g.
    ``粤人社认定〔2027〕12号``. Runs inside the caller's transaction (``portal.counters``)."""
    [number] = counters.allocate(
        f"letters:{authority.jurisdiction}:{year}", maximum=LETTER_NUMBER_MAX
    )
    return authority.letter_number(year, number)


@transaction.atomic
def change_authority(actor, authority: Authority, *, name: str, letter_prefix: str) -> Authority:
    """Correct the name an authority signs with, or the prefix of its document numbers.
    Letters already issued keep the name and number they were issued with."""
    authority = Authority.objects.select_for_update().get(pk=authority.pk)
    access.require(actor, "portal.authority.change", authority)
    new = {"name": name.strip(), "letter_prefix": letter_prefix.strip()}
    changes = {f: [getattr(authority, f), v] for f, v in new.items() if getattr(authority, f) != v}
    if not changes:
        return authority
    for field, (_old, value) in changes.items():
        setattr(authority, field, value)
    authority.full_clean()
    authority.save(update_fields=[*changes, "updated_at"])
    audit.record(actor, "portal.authority.change", authority, changes, province=NATIONAL)
    return authority
