"""Parsing and validation of Chinese identity and organisation codes.

Covers the codes the portal stores and checks:

* resident identity numbers, GB 11643-1999 《公民身份号码》 (check character per
  ISO 7064:1983 MOD 11-2, as the standard specifies);
* unified social credit codes, GB 32100-2015 《法人和其他组织统一社会信用代码编码规则》;
* province and region codes, GB/T 2260 《中华人民共和国行政区划代码》, restricted to the 31
  provinces plus 新疆生产建设兵团 (``660000``) listed in ``shared/data/provinces.csv``;
* occupation codes ``D-DD-DD-DD`` of 《中华人民共和国职业分类大典（2022年版）》;
* skill-level certificate numbers, 《职业技能等级证书编码规则（试行）》 (人社鉴发〔2019〕2号).

Every entry point first runs :func:`normalize_code`, so full-width input typed with a Chinese
input method is accepted and what is stored is the canonical ASCII form.

User-facing reasons are English msgids wrapped in ``gettext``; the zh_Hans catalogue supplies
the Chinese wording (the list is in ``docs/decisions/0002-codes.md``, section "Messages").
``ValueError`` raised by the parse functions carries a ``code`` attribute with the same value
the validators put on their ``ValidationError``, so callers can branch without matching text.

This module does no file or database IO: the province table is a literal, kept equal to the
CSV by a test, so importing it is free and safe at any time (settings, migrations, workers).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date
from typing import NoReturn

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

__all__ = [
    "NATIONAL",
    "OCCUPATION_CODE_RE",
    "PROVINCES",
    "PROVINCE_PREFIXES",
    "CertificateNumber",
    "OccupationCode",
    "ResidentId",
    "format_certificate_number",
    "is_legacy_certificate_number",
    "is_valid_certificate_number",
    "is_valid_occupation_code",
    "is_valid_province_code",
    "is_valid_region_code",
    "is_valid_resident_id",
    "is_valid_uscc",
    "mask_resident_id",
    "normalize_code",
    "normalize_occupation_code",
    "parse_certificate_number",
    "parse_occupation_code",
    "parse_resident_id",
    "province_for_prefix",
    "province_prefix",
    "uscc_check_char",
    "uscc_format_ok",
    "uscc_problem",
    "validate_certificate_number",
    "validate_occupation_code",
    "validate_province_code",
    "validate_resident_id",
    "validate_uscc",
]


class _CodeError(ValueError):
    """A ValueError that also carries a machine-readable ``code``.

    Private on purpose: callers catch ``ValueError`` (the documented contract) and may read
    ``.code``; the validators reuse it so a form error and a parse error never disagree.
    """

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def _raise_validation_error(error: _CodeError) -> NoReturn:
    raise ValidationError(error.message, code=error.code) from error


def _not_text() -> ValidationError:
    # Validators can be handed non-strings by careless callers (an int from a spreadsheet);
    # they must still answer with a ValidationError, never a TypeError.
    return ValidationError(_("Enter the code as text."), code="invalid_type")


# ---------------------------------------------------------------------------
# Normalisation
# ---------------------------------------------------------------------------

# ASCII-only character classes: after NFKC, str.isdigit() and re's \d still accept other
# scripts' digits (e.g. Arabic-Indic), which must never reach int() or the database.
_DIGITS = "0123456789"
_WHITESPACE_RE = re.compile(r"\s+")


def normalize_code(value: str) -> str:
    """Return the canonical form of an identity, organisation or certificate code.

    NFKC folds full-width digits and letters (and the ideographic space U+3000) to ASCII,
    which is what a Chinese input method produces; surrounding whitespace is stripped, inner
    whitespace removed (people copy numbers in groups, e.g. ``110105 19491231 002X``) and the
    result uppercased (the resident-ID check character ``x`` is written ``X`` per
    GB 11643-1999). Hyphens are kept: they are part of occupation codes, and stripping them
    here would let ``6-31-01-03`` pass as something else. Use
    :func:`normalize_occupation_code` for occupation codes.
    """
    folded = unicodedata.normalize("NFKC", value)
    return _WHITESPACE_RE.sub("", folded).upper()


def _is_ascii_digits(value: str, length: int) -> bool:
    return len(value) == length and all(ch in _DIGITS for ch in value)


# ---------------------------------------------------------------------------
# Provinces and regions (GB/T 2260)
# ---------------------------------------------------------------------------

#: Two-digit GB/T 2260 province prefix -> (six-digit province code, name). Embedded rather
#: than read from ``shared/data/provinces.csv`` so that importing this module does no IO;
#: ``tests/test_codes.py`` asserts it still equals the CSV. ``66`` is the XPCC, which the
#: certificate numbering rule's province field uses (DOMAIN.md: assumed).
PROVINCE_PREFIXES: dict[str, tuple[str, str]] = {
    "11": ("110000", "北京市"),
    "12": ("120000", "天津市"),
    "13": ("130000", "河北省"),
    "14": ("140000", "山西省"),
    "15": ("150000", "内蒙古自治区"),
    "21": ("210000", "辽宁省"),
    "22": ("220000", "吉林省"),
    "23": ("230000", "黑龙江省"),
    "31": ("310000", "上海市"),
    "32": ("320000", "江苏省"),
    "33": ("330000", "浙江省"),
    "34": ("340000", "安徽省"),
    "35": ("350000", "福建省"),
    "36": ("360000", "江西省"),
    "37": ("370000", "山东省"),
    "41": ("410000", "河南省"),
    "42": ("420000", "湖北省"),
    "43": ("430000", "湖南省"),
    "44": ("440000", "广东省"),
    "45": ("450000", "广西壮族自治区"),
    "46": ("460000", "海南省"),
    "50": ("500000", "重庆市"),
    "51": ("510000", "四川省"),
    "52": ("520000", "贵州省"),
    "53": ("530000", "云南省"),
    "54": ("540000", "西藏自治区"),
    "61": ("610000", "陕西省"),
    "62": ("620000", "甘肃省"),
    "63": ("630000", "青海省"),
    "64": ("640000", "宁夏回族自治区"),
    "65": ("650000", "新疆维吾尔自治区"),
    "66": ("660000", "新疆生产建设兵团"),
}

#: Six-digit province code -> name (31 provinces + 660000 XPCC), derived from
#: PROVINCE_PREFIXES so the two tables cannot drift apart.
PROVINCES: dict[str, str] = dict(PROVINCE_PREFIXES.values())

#: Jurisdiction code for the national authority (the ministry). Deliberately NOT a province
#: code: ``is_valid_province_code(NATIONAL)`` is False, so it cannot slip into a province field.
NATIONAL = "000000"


def is_valid_province_code(value: object) -> bool:
    """True if ``value`` is one of the 32 six-digit province codes (GB/T 2260, ``XX0000``)."""
    return isinstance(value, str) and normalize_code(value) in PROVINCES


def validate_province_code(value: object) -> None:
    """Django validator for a six-digit GB/T 2260 province code."""
    if not isinstance(value, str):
        raise _not_text()
    code = normalize_code(value)
    if not _is_ascii_digits(code, 6):
        raise ValidationError(
            _("A province code must have 6 digits."), code="invalid_province_format"
        )
    if code not in PROVINCES:
        raise ValidationError(_("This is not a known province code."), code="unknown_province")


def is_valid_region_code(value: object) -> bool:
    """True for any six-digit GB/T 2260 region code whose province prefix is known.

    County and prefecture parts are not checked against a table: the region table changes
    every year, and resident IDs keep the code of the region at the time of issue.
    """
    if not isinstance(value, str):
        return False
    code = normalize_code(value)
    return _is_ascii_digits(code, 6) and code[:2] in PROVINCE_PREFIXES


def province_prefix(code6: str) -> str:
    """Return the two-digit province prefix of a six-digit region code (``440524`` -> ``44``).

    Raises ValueError unless ``code6`` is a region code with a known province prefix.
    """
    code = normalize_code(code6)
    if not is_valid_region_code(code):
        raise _CodeError(_("This is not a known region code."), "unknown_region")
    return code[:2]


def province_for_prefix(prefix2: str) -> str:
    """Return the six-digit province code for a two-digit prefix (``23`` -> ``230000``).

    Raises ValueError for an unknown prefix.
    """
    try:
        return PROVINCE_PREFIXES[normalize_code(prefix2)][0]
    except KeyError:
        raise _CodeError(
            _("This is not a known province prefix."), "unknown_province_prefix"
        ) from None


# ---------------------------------------------------------------------------
# Resident identity number (GB 11643-1999)
# ---------------------------------------------------------------------------

# GB 11643-1999 §7 (ISO 7064 MOD 11-2): weight i = 2^(17-i) mod 11 for positions 1..17.
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
# The check value (sum mod 11) indexes this string; 10 is written as the Roman numeral X.
_ID_CHECK_CHARS = "10X98765432"


@dataclass(frozen=True)
class ResidentId:
    """A parsed 18-character resident identity number (GB 11643-1999).

    ``gender`` is ``'M'`` when the sequence (positions 15-17) is odd and ``'F'`` when even,
    as the standard assigns; the portal derives gender from here instead of asking for it.
    """

    number: str
    region_code: str
    birth_date: date
    gender: str


def _resident_id_check_char(first17: str) -> str:
    total = sum(int(ch) * weight for ch, weight in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK_CHARS[total % 11]


def parse_resident_id(value: str, *, today: date | None = None) -> ResidentId:
    """Parse and fully check a resident identity number (GB 11643-1999).

    Checks, in the order a person fixing a typo finds most useful: length, characters,
    province prefix of the region code, birth date (a real calendar date, not after
    ``today``, which defaults to ``date.today()``), then the check character. Old birth
    years are accepted on purpose: the standard's own example was born in 1880.

    Raises ValueError (with a ``code`` attribute) naming the first problem found.
    """
    number = normalize_code(value)
    if len(number) != 18:
        raise _CodeError(_("The resident ID number must have 18 characters."), "invalid_length")
    if not _is_ascii_digits(number[:17], 17) or number[17] not in _ID_CHECK_CHARS:
        raise _CodeError(
            _(
                "The first 17 characters of a resident ID number must be digits "
                "and the last a digit or X."
            ),
            "invalid_characters",
        )
    if number[:2] not in PROVINCE_PREFIXES:
        raise _CodeError(
            _("The resident ID number does not start with a known province code."),
            "unknown_province",
        )
    try:
        birth_date = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        # Covers Feb 30, month 13, year 0000 and the like.
        raise _CodeError(
            _("The birth date in the resident ID number is not a real date."),
            "invalid_birth_date",
        ) from None
    if birth_date > (today or date.today()):
        raise _CodeError(
            _("The birth date in the resident ID number is in the future."),
            "future_birth_date",
        )
    if number[17] != _resident_id_check_char(number[:17]):
        raise _CodeError(
            _("The resident ID number's check character is wrong; please check for a typo."),
            "invalid_check_character",
        )
    return ResidentId(
        number=number,
        region_code=number[:6],
        birth_date=birth_date,
        gender="M" if int(number[16]) % 2 else "F",
    )


def is_valid_resident_id(value: object) -> bool:
    """True if ``value`` is a valid resident identity number (GB 11643-1999)."""
    if not isinstance(value, str):
        return False
    try:
        parse_resident_id(value)
    except ValueError:
        return False
    return True


def validate_resident_id(value: object) -> None:
    """Django validator for a resident identity number (GB 11643-1999).

    Validates the normalised form; the form or model should store
    ``normalize_code(value)`` so what is checked is what is saved.
    """
    if not isinstance(value, str):
        raise _not_text()
    try:
        parse_resident_id(value)
    except _CodeError as error:
        _raise_validation_error(error)


def mask_resident_id(value: str) -> str:
    """Mask a resident ID for display: keep the first 3 and last 4 characters.

    ``11010519491231002X`` -> ``110***********002X``. The first three digits reveal little
    more than the province and the last four let people recognise their own number, while
    the county, birth date and sequence stay hidden: the least a screen or export needs
    (the minimum-necessary principle of the Personal Information Protection Law).
    Values that are not 18 characters (other ID types, typos) keep only the last 4; values
    of 4 characters or fewer are masked entirely, since "the last 4" would be all of them.
    """
    text = normalize_code(value)
    if len(text) == 18:
        return text[:3] + "*" * 11 + text[-4:]
    if len(text) <= 4:
        return "*" * len(text)
    return "*" * (len(text) - 4) + text[-4:]


# ---------------------------------------------------------------------------
# Unified social credit code (GB 32100-2015)
# ---------------------------------------------------------------------------

# GB 32100-2015 §4: 31 characters, i.e. digits and capitals without I, O, Z, S, V
# (avoided because they are easily confused with 1, 0, 2, 5 and U).
_USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
# GB 32100-2015 §5: weight i = 3^(i-1) mod 31.
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def uscc_check_char(first17: str) -> str:
    """Return the check character for the first 17 characters of a USCC (GB 32100-2015).

    check value = (31 - (Σ value_i × weight_i mod 31)) mod 31, written through the charset.
    Raises ValueError if ``first17`` is not 17 characters of the USCC charset.
    """
    body = normalize_code(first17)
    if len(body) != 17 or any(ch not in _USCC_CHARSET for ch in body):
        raise _CodeError(
            _("The first 17 characters of a unified social credit code are malformed."),
            "invalid_uscc_format",
        )
    total = sum(
        _USCC_CHARSET.index(ch) * weight for ch, weight in zip(body, _USCC_WEIGHTS, strict=True)
    )
    return _USCC_CHARSET[(31 - total % 31) % 31]


def _uscc_format_problem(code: str) -> _CodeError | None:
    if len(code) != 18:
        return _CodeError(
            _("A unified social credit code must have 18 characters."), "invalid_length"
        )
    if any(ch not in _USCC_CHARSET for ch in code):
        return _CodeError(
            _(
                "A unified social credit code may contain only digits and capital letters "
                "other than I, O, Z, S and V."
            ),
            "invalid_characters",
        )
    # Positions 3-8 are the registering authority's GB/T 2260 region code. Only "six digits"
    # is checked: national-level registrations use codes such as 100000, not a province.
    if not _is_ascii_digits(code[2:8], 6):
        return _CodeError(
            _("Characters 3 to 8 of a unified social credit code must be digits."),
            "invalid_region",
        )
    return None


def uscc_format_ok(value: object) -> bool:
    """True if ``value`` is shaped like a USCC, whatever its check character says.

    Used to block malformed input while a check-character mismatch only flags the record:
    some codes really issued fail the check (DOMAIN.md), and an official decides.
    """
    return isinstance(value, str) and _uscc_format_problem(normalize_code(value)) is None


def uscc_problem(value: str) -> str | None:
    """Return the (translated) reason ``value`` is not a valid USCC, or None if it is.

    Distinguish the two kinds with :func:`uscc_format_ok`: a format problem blocks, a
    check-character mismatch is recorded as a flag for an official to confirm or reject.
    """
    code = normalize_code(value)
    problem = _uscc_format_problem(code)
    if problem is not None:
        return problem.message
    if code[17] != uscc_check_char(code[:17]):
        return _(
            "The check character of the unified social credit code does not match; "
            "please check for a typo."
        )
    return None


def is_valid_uscc(value: object) -> bool:
    """True if ``value`` is a well-formed USCC with a matching check character."""
    return isinstance(value, str) and uscc_problem(value) is None


def validate_uscc(value: object) -> None:
    """Django validator for a unified social credit code (GB 32100-2015), check included.

    The ``ValidationError.code`` is ``invalid_check_character`` for a mismatch and something
    else for a format error, so a form that only flags mismatches can tell them apart.
    """
    if not isinstance(value, str):
        raise _not_text()
    code = normalize_code(value)
    problem = _uscc_format_problem(code)
    if problem is not None:
        _raise_validation_error(problem)
    message = uscc_problem(code)
    if message is not None:
        raise ValidationError(message, code="invalid_check_character")


# ---------------------------------------------------------------------------
# Occupation codes (职业分类大典 2022)
# ---------------------------------------------------------------------------

#: ``D-DD-DD-DD``: major category 1-8, then middle, minor and occupation (unit) codes.
#: ``00`` (no subdivision) and ``99`` (other) are real codes, so every two-digit value is
#: allowed. ``\A``/``\Z`` rather than ``^``/``$`` so ``search``/``match`` callers (e.g.
#: Django's RegexValidator) cannot be fooled by a trailing newline.
OCCUPATION_CODE_RE = re.compile(r"\A[1-8]-[0-9]{2}-[0-9]{2}-[0-9]{2}\Z")

# Dashes people type or paste instead of "-" that NFKC leaves alone: U+2010-U+2015
# (hyphen, non-breaking hyphen, figure dash, en dash, em dash, horizontal bar) and the
# minus sign U+2212. Full-width "－" and small "﹣" are already folded by NFKC.
_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"))
_COMPACT_OCCUPATION_RE = re.compile(r"\A[0-9]{7}\Z")


@dataclass(frozen=True)
class OccupationCode:
    """A parsed occupation code: the four parts as the strings written in the code."""

    major: str
    middle: str
    minor: str
    unit: str

    def __str__(self) -> str:
        return f"{self.major}-{self.middle}-{self.minor}-{self.unit}"


def normalize_occupation_code(value: str) -> str:
    """Return ``value`` in the canonical ``D-DD-DD-DD`` form where it can be recognised.

    Folds full-width characters (NFKC), turns the dashes people paste (—, –, －, −) into
    ``-``, drops whitespace, and expands the compact 7-digit form (``6310103`` ->
    ``6-31-01-03``) some spreadsheets use. Never raises: anything unrecognised is returned
    cleaned but otherwise as is, for the validator to reject with a reason.
    """
    text = _WHITESPACE_RE.sub("", unicodedata.normalize("NFKC", value).translate(_DASHES))
    if _COMPACT_OCCUPATION_RE.match(text):
        return f"{text[0]}-{text[1:3]}-{text[3:5]}-{text[5:7]}"
    return text


def parse_occupation_code(value: str) -> OccupationCode:
    """Parse an occupation code of 《职业分类大典（2022年版）》 (``6-31-01-03`` 电工).

    Raises ValueError (with a ``code`` attribute) when the normalised value is not
    ``D-DD-DD-DD`` with a major category 1-8. Whether the code is in the catalogue is the
    catalogue's business, not this function's.
    """
    code = normalize_occupation_code(value)
    if not OCCUPATION_CODE_RE.match(code):
        raise _CodeError(
            _(
                "An occupation code must look like 6-31-01-03: a major category 1 to 8 "
                "and three two-digit parts."
            ),
            "invalid_occupation_code",
        )
    major, middle, minor, unit = code.split("-")
    return OccupationCode(major=major, middle=middle, minor=minor, unit=unit)


def is_valid_occupation_code(value: object) -> bool:
    """True if ``value`` normalises to a well-formed occupation code."""
    if not isinstance(value, str):
        return False
    return OCCUPATION_CODE_RE.match(normalize_occupation_code(value)) is not None


def validate_occupation_code(value: object) -> None:
    """Django validator for an occupation code ``D-DD-DD-DD``."""
    if not isinstance(value, str):
        raise _not_text()
    try:
        parse_occupation_code(value)
    except _CodeError as error:
        _raise_validation_error(error)


# ---------------------------------------------------------------------------
# Skill-level certificate numbers (人社鉴发〔2019〕2号)
# ---------------------------------------------------------------------------

_CERTIFICATE_LENGTH = 22
_LEGACY_CERTIFICATE_LENGTH = 16


def _check_certificate_part(name: str, value: object) -> None:
    """Raise a _CodeError naming the part if ``value`` is not a valid ``name`` part.

    One function for both parsing and formatting, so the two can never accept different
    things and ``parse(format(parts)) == parts`` holds by construction.
    """
    if name == "kind":
        if value not in ("Y", "S"):
            raise _CodeError(
                _(
                    "The certificate number's agency kind (character 1) must be Y "
                    "(employer) or S (social organisation)."
                ),
                "invalid_kind",
            )
        return
    if not isinstance(value, str):
        raise _CodeError(
            _("Each part of a certificate number must be given as text."), "invalid_type"
        )
    if name == "agency_code":
        if not _is_ascii_digits(value, 4):
            raise _CodeError(
                _("The certificate number's agency code (characters 2 to 5) must be 4 digits."),
                "invalid_agency_code",
            )
    elif name == "province_prefix":
        if value not in PROVINCE_PREFIXES:
            raise _CodeError(
                _(
                    "The certificate number's province (characters 6 and 7) is not a "
                    "known province code."
                ),
                "invalid_province_prefix",
            )
    elif name == "site_serial":
        if not _is_ascii_digits(value, 6):
            raise _CodeError(
                _("The certificate number's site serial (characters 8 to 13) must be 6 digits."),
                "invalid_site_serial",
            )
    elif name == "year":
        if not _is_ascii_digits(value, 2):
            raise _CodeError(
                _("The certificate number's year (characters 14 and 15) must be 2 digits."),
                "invalid_year",
            )
    elif name == "level":
        if value not in ("1", "2", "3", "4", "5"):
            raise _CodeError(
                _("The certificate number's level (character 16) must be 1 to 5."),
                "invalid_level",
            )
    elif name == "sequence" and (not _is_ascii_digits(value, 6) or value == "000000"):
        # Sequences start at 000001 (DOMAIN.md), so 000000 can only be a mistake.
        raise _CodeError(
            _(
                "The certificate number's sequence (characters 17 to 22) must be 6 digits "
                "from 000001."
            ),
            "invalid_sequence",
        )


@dataclass(frozen=True)
class CertificateNumber:
    """A 22-character skill-level certificate number split into its parts (no check char).

    Parts are strings exactly as they stand in the number (``'0001'``, not ``1``): leading
    zeros are significant, and the year is two digits by rule. Construction validates every
    part, so any CertificateNumber in hand formats to a valid number.
    """

    kind: str
    agency_code: str
    province_prefix: str
    site_serial: str
    year: str
    level: str
    sequence: str

    def __post_init__(self) -> None:
        for field in fields(self):
            _check_certificate_part(field.name, getattr(self, field.name))

    @property
    def prefix(self) -> str:
        """The first 13 characters, fixed when the agency (site) is approved."""
        return f"{self.kind}{self.agency_code}{self.province_prefix}{self.site_serial}"

    def __str__(self) -> str:
        return f"{self.prefix}{self.year}{self.level}{self.sequence}"


_CERTIFICATE_FIELDS = tuple(field.name for field in fields(CertificateNumber))


def parse_certificate_number(value: str) -> CertificateNumber:
    """Split a certificate number (《职业技能等级证书编码规则（试行）》) into its parts.

    Raises ValueError (with a ``code`` attribute) naming the wrong part. Legacy 16-digit
    职业资格证书 numbers are rejected here; see :func:`is_legacy_certificate_number`.
    """
    number = normalize_code(value)
    if len(number) != _CERTIFICATE_LENGTH:
        raise _CodeError(_("A certificate number must have 22 characters."), "invalid_length")
    return CertificateNumber(
        kind=number[0],
        agency_code=number[1:5],
        province_prefix=number[5:7],
        site_serial=number[7:13],
        year=number[13:15],
        level=number[15],
        sequence=number[16:22],
    )


def format_certificate_number(parts: CertificateNumber | Mapping[str, str]) -> str:
    """Return the 22-character number for ``parts``; the inverse of the parse function.

    Accepts a CertificateNumber or a mapping with exactly its field names. Each part is
    validated (no padding or coercion: ``1`` is not ``'000001'``); raises ValueError.
    """
    if isinstance(parts, CertificateNumber):
        return str(parts)
    if not isinstance(parts, Mapping):
        raise _CodeError(_("Certificate number parts must be given as a mapping."), "invalid_type")
    if set(parts) != set(_CERTIFICATE_FIELDS):
        raise _CodeError(
            _(
                "Certificate number parts must be exactly: kind, agency_code, "
                "province_prefix, site_serial, year, level, sequence."
            ),
            "invalid_parts",
        )
    return str(CertificateNumber(**{name: parts[name] for name in _CERTIFICATE_FIELDS}))


def is_valid_certificate_number(value: object) -> bool:
    """True if ``value`` is a well-formed 22-character certificate number."""
    if not isinstance(value, str):
        return False
    try:
        parse_certificate_number(value)
    except ValueError:
        return False
    return True


def validate_certificate_number(value: object) -> None:
    """Django validator for a 22-character certificate number."""
    if not isinstance(value, str):
        raise _not_text()
    try:
        parse_certificate_number(value)
    except _CodeError as error:
        _raise_validation_error(error)


def is_legacy_certificate_number(value: object) -> bool:
    """True for an old 16-digit 职业资格证书 number.

    Accepted for looking up imported records only; the portal never issues these. Their
    region table differs from GB/T 2260, so no part is checked beyond "16 digits".
    """
    return isinstance(value, str) and _is_ascii_digits(
        normalize_code(value), _LEGACY_CERTIFICATE_LENGTH
    )
