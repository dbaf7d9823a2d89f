"""Certificate numbers (Art 20, the national numbering rule, decision 0041).

A number is 22 characters: the 13 fixed at listing (agency kind, agency code, province
prefix, site serial of the issuing site), then year of issue, level and a 6-digit sequence.
The sequence comes from ``portal.counters`` in the issuing transaction: gap-free, never
reused, one row lock per key, a contiguous range per batch and key; past ``SEQUENCE_MAX``
it is refused, never wrapped.

The reset scope of the sequence (per site, year and level) is an assumption of DOMAIN.md:
it lives in ``counter_key`` alone (decision 0041), so changing it changes one function.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from portal import codes
from portal.authorities import authority_for
from portal.models import AgencySite
from portal.refusals import Refusal

SEQUENCE_MAX = 999_999
KEY_PREFIX = "certificates.number:"
LEVEL_DIGITS = ("1", "2", "3", "4", "5")


@dataclass(frozen=True)
class NumberScope:
    """What one counter numbers: the 13 fixed characters of a site, a year and a level."""

    prefix: str  # kind + agency code + province prefix + site serial (13 characters)
    year: str  # two digits
    level: str  # one digit, 1–5

    @property
    def head(self) -> str:
        """The first 16 characters of every number in this scope."""
        return f"{self.prefix}{self.year}{self.level}"


def counter_key(scope: NumberScope) -> str:
    """The ``portal.counters`` key of a scope: **the reset scope** (decision 0041).

    One sequence per issuing site, year of issue and level. The site is named by its 13
    fixed characters rather than its database id, so the key is the numbers' own prefix and
    two sites can never share a sequence for the same numbers.
    """
    return f"{KEY_PREFIX}{scope.head}"


def site_refusal(site: AgencySite) -> Refusal | None:
    """Why ``site`` cannot issue certificates, naming who can fix it; None if it can."""
    agency = site.agency
    if not site.site_serial:
        authority = authority_for(site.province_id)
        return Refusal(
            _(
                "The site %(site)s has no site serial yet, so it cannot issue certificates. "
                "The serial is assigned by %(authority)s, the authority of the province where "
                "the site is."
            )
            % {"site": site.name, "authority": authority.name},
            "no_site_serial",
        )
    if agency.kind not in ("Y", "S") or not agency.agency_code:
        authority = authority_for(agency.filing_jurisdiction or site.province_id)
        return Refusal(
            _(
                "The agency has no agency code yet, so it cannot issue certificates. The code "
                "is assigned by %(authority)s when the agency is listed."
            )
            % {"authority": authority.name},
            "no_agency_code",
        )
    return None


def scope_for(site: AgencySite, year: int, level_code: str) -> NumberScope:
    """The scope of numbers of ``site`` in ``year`` at ``level_code``; refused (a
    ``ValidationError``) for a site without a serial or a level outside 1–5."""
    from portal.refusals import refuse

    refuse(site_refusal(site))
    if level_code not in LEVEL_DIGITS:
        refuse(
            Refusal(
                _(
                    "Certificates of this level have no number in the national numbering "
                    "rule yet: only levels 五级 to 一级 can be issued."
                ),
                "level_not_numbered",
            )
        )
    agency = site.agency
    prefix = f"{agency.kind}{agency.agency_code}{codes.province_prefix(site.province_id)}"
    return NumberScope(
        prefix=f"{prefix}{site.site_serial}", year=f"{year % 100:02d}", level=level_code
    )


def format_number(scope: NumberScope, sequence: int) -> str:
    """The 22-character number, through ``portal.codes`` (which validates every part)."""
    return codes.format_certificate_number(
        {
            "kind": scope.prefix[0],
            "agency_code": scope.prefix[1:5],
            "province_prefix": scope.prefix[5:7],
            "site_serial": scope.prefix[7:13],
            "year": scope.year,
            "level": scope.level,
            "sequence": f"{sequence:06d}",
        }
    )


def numbers_for(scope: NumberScope, sequences: range) -> list[str]:
    """Numbers of a contiguous range: the first is validated by ``portal.codes``, the rest
    share its 16 characters (fast for 100,000 numbers)."""
    if not sequences:
        return []
    first = format_number(scope, sequences[0])
    head = first[:16]
    return [f"{head}{n:06d}" for n in sequences]
