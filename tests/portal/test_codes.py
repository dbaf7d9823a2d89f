"""Tests for portal.codes: identity, organisation, occupation and certificate codes.

No database: these are pure functions. Messages are compared under ``translation.override
("en")`` (the msgids) so the tests keep passing once the zh_Hans catalogue exists; error kinds
are compared through ``ValidationError.code`` and the ``code`` attribute of parse errors.
"""

from __future__ import annotations

import ast
import contextlib
import csv
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from portal import codes
from portal.codes import (
    NATIONAL,
    OCCUPATION_CODE_RE,
    PROVINCE_PREFIXES,
    PROVINCES,
    CertificateNumber,
    OccupationCode,
    ResidentId,
    format_certificate_number,
    is_legacy_certificate_number,
    is_valid_certificate_number,
    is_valid_occupation_code,
    is_valid_province_code,
    is_valid_region_code,
    is_valid_resident_id,
    is_valid_uscc,
    mask_resident_id,
    normalize_code,
    normalize_occupation_code,
    parse_certificate_number,
    parse_occupation_code,
    parse_resident_id,
    province_for_prefix,
    province_prefix,
    uscc_check_char,
    uscc_format_ok,
    uscc_problem,
    validate_certificate_number,
    validate_occupation_code,
    validate_province_code,
    validate_resident_id,
    validate_uscc,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
PROVINCES_CSV = Path(__file__).resolve().parents[3] / "shared/data/provinces.csv"
DECISION_RECORD = REPO_ROOT / "docs/decisions/0002-codes.md"

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"

VALID_RESIDENT_IDS = [
    "11010519491231002X",
    "440524188001010014",
    "370101190102039973",
    "34052419800101001X",
]
VALID_USCCS = ["91350100M000100Y43", "9131000063159284XQ", "91110108MA01ABCD5T"]
VALID_CERTIFICATE_NUMBERS = ["S000044000123245000001", "Y000123000001195000001"]


def make_resident_id(first17: str) -> str:
    """Append the GB 11643-1999 check character, computed independently of portal.codes."""
    total = sum(int(ch) * weight for ch, weight in zip(first17, ID_WEIGHTS, strict=True))
    return first17 + "10X98765432"[total % 11]


def validation_code(validator, value) -> str:
    with pytest.raises(ValidationError) as excinfo:
        validator(value)
    return excinfo.value.code


def parse_error(parser, value) -> ValueError:
    with pytest.raises(ValueError) as excinfo:
        parser(value)
    return excinfo.value


# ---------------------------------------------------------------------------
# Provinces
# ---------------------------------------------------------------------------


def test_the_province_table_has_31_provinces_and_the_xpcc():
    assert len(PROVINCES) == 32
    assert PROVINCES["660000"] == "新疆生产建设兵团"
    assert PROVINCES["230000"] == "黑龙江省"
    assert all(code.endswith("0000") for code in PROVINCES)


def test_the_prefix_table_agrees_with_the_province_table():
    assert dict(PROVINCE_PREFIXES.values()) == PROVINCES
    assert all(code[:2] == prefix for prefix, (code, _name) in PROVINCE_PREFIXES.items())


@pytest.mark.skipif(not PROVINCES_CSV.exists(), reason="shared/data/provinces.csv not present")
def test_the_embedded_province_table_equals_the_shared_csv():
    with PROVINCES_CSV.open(encoding="utf-8", newline="") as handle:
        rows = {row["code"]: row["name"] for row in csv.DictReader(handle)}
    assert rows == PROVINCES
    assert {code[:2]: (code, name) for code, name in rows.items()} == PROVINCE_PREFIXES


def test_it_accepts_every_province_code_and_rejects_others():
    assert all(is_valid_province_code(code) for code in PROVINCES)
    assert is_valid_province_code("４４００００")
    for code in ["440100", "990000", "44000", "4400000", "", NATIONAL]:
        assert not is_valid_province_code(code)


def test_national_is_not_a_province_code():
    assert NATIONAL == "000000"
    assert validation_code(validate_province_code, NATIONAL) == "unknown_province"


def test_the_province_validator_names_the_problem():
    validate_province_code("440000")
    assert validation_code(validate_province_code, "44000A") == "invalid_province_format"
    assert validation_code(validate_province_code, "990000") == "unknown_province"
    assert validation_code(validate_province_code, 440000) == "invalid_type"


def test_it_gives_the_prefix_of_a_region_code():
    assert province_prefix("440524") == "44"
    assert province_prefix("660000") == "66"
    for bad in ["990101", "44052", "abcdef"]:
        with pytest.raises(ValueError):
            province_prefix(bad)


def test_it_gives_the_province_for_a_prefix():
    assert province_for_prefix("23") == "230000"
    assert province_for_prefix("66") == "660000"
    for bad in ["99", "00", "2", "230000"]:
        with pytest.raises(ValueError):
            province_for_prefix(bad)


def test_a_region_code_needs_six_digits_and_a_known_province():
    assert is_valid_region_code("440524")
    assert is_valid_region_code("110105")
    for bad in ["990101", "44052", "4405240", "44052A", "", "٤٤٠٥٢٤"]:
        assert not is_valid_region_code(bad)


# ---------------------------------------------------------------------------
# Normalisation
# ---------------------------------------------------------------------------


def test_it_folds_full_width_digits_and_letters_to_ascii():
    assert normalize_code("１１０１０５１９４９１２３１００２ｘ") == "11010519491231002X"
    assert is_valid_resident_id("１１０１０５１９４９１２３１００２ｘ")


def test_it_uppercases_a_lowercase_x():
    assert normalize_code("11010519491231002x") == "11010519491231002X"
    assert parse_resident_id("11010519491231002x").number == "11010519491231002X"


def test_it_strips_surrounding_whitespace_including_the_ideographic_space():
    assert normalize_code("\u3000 11010519491231002X\t\n") == "11010519491231002X"
    assert is_valid_uscc("  9131000063159284XQ\u3000")


def test_it_removes_inner_spaces_but_keeps_hyphens():
    assert normalize_code("110105 19491231 002X") == "11010519491231002X"
    assert normalize_code("6-31-01-03") == "6-31-01-03"


def test_it_does_not_turn_other_scripts_digits_into_ascii_digits():
    # Arabic-Indic digits survive NFKC; they must not pass as a number.
    assert not is_valid_resident_id("١١٠١٠٥١٩٤٩١٢٣١٠٠٢X")


# ---------------------------------------------------------------------------
# Resident identity numbers (GB 11643-1999)
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("number", VALID_RESIDENT_IDS)
def test_it_accepts_the_published_resident_id_vectors(number):
    assert is_valid_resident_id(number)
    validate_resident_id(number)
    assert parse_resident_id(number).number == number


def test_it_rejects_a_wrong_check_character():
    assert not is_valid_resident_id("110105194912310021")
    assert validation_code(validate_resident_id, "110105194912310021") == (
        "invalid_check_character"
    )


def test_it_parses_region_birth_date_and_gender():
    parsed = parse_resident_id("11010519491231002X")
    assert parsed == ResidentId(
        number="11010519491231002X",
        region_code="110105",
        birth_date=date(1949, 12, 31),
        gender="F",
    )


def test_it_derives_gender_from_the_parity_of_the_sequence():
    assert parse_resident_id("440524188001010014").gender == "M"
    assert parse_resident_id("370101190102039973").gender == "M"
    assert parse_resident_id("11010519491231002X").gender == "F"
    assert parse_resident_id(make_resident_id("11010519900101002")).gender == "F"
    assert parse_resident_id(make_resident_id("11010519900101003")).gender == "M"


def test_it_accepts_very_old_birth_years():
    assert parse_resident_id("440524188001010014").birth_date == date(1880, 1, 1)


def test_a_parsed_resident_id_is_frozen():
    parsed = parse_resident_id("440524188001010014")
    with pytest.raises(AttributeError):
        parsed.gender = "F"


@pytest.mark.parametrize("birth", ["19490230", "19490231", "19491301", "19490100", "00000101"])
def test_it_rejects_a_birth_date_that_is_not_a_calendar_date(birth):
    number = make_resident_id(f"110105{birth}002")
    assert not is_valid_resident_id(number)
    assert validation_code(validate_resident_id, number) == "invalid_birth_date"


def test_it_accepts_february_29_in_a_leap_year_only():
    assert is_valid_resident_id(make_resident_id("11010520000229002"))
    assert not is_valid_resident_id(make_resident_id("11010519000229002"))


def test_it_rejects_a_birth_date_in_the_future():
    tomorrow = date.today() + timedelta(days=1)
    number = make_resident_id(f"110105{tomorrow:%Y%m%d}002")
    assert not is_valid_resident_id(number)
    assert validation_code(validate_resident_id, number) == "future_birth_date"


def test_it_accepts_a_birth_date_of_today():
    assert is_valid_resident_id(make_resident_id(f"110105{date.today():%Y%m%d}002"))


def test_the_reference_date_for_future_births_can_be_given():
    number = make_resident_id("11010520300101002")
    assert parse_resident_id(number, today=date(2030, 1, 1)).birth_date == date(2030, 1, 1)
    error = parse_error(lambda v: parse_resident_id(v, today=date(2029, 12, 31)), number)
    assert error.code == "future_birth_date"


def test_it_rejects_a_region_outside_the_known_provinces():
    number = make_resident_id("99010519491231002")
    assert validation_code(validate_resident_id, number) == "unknown_province"


@pytest.mark.parametrize(
    "number",
    ["11010519491231002", "11010519491231002X1", "", "X", "110105194912310021" * 2],
)
def test_it_rejects_a_resident_id_of_the_wrong_length(number):
    assert validation_code(validate_resident_id, number) == "invalid_length"


@pytest.mark.parametrize(
    "number",
    ["1101051949123100XX", "A1010519491231002X", "11010519491231002Y", "11010-19491231002X"],
)
def test_it_rejects_a_resident_id_with_wrong_characters(number):
    assert validation_code(validate_resident_id, number) == "invalid_characters"


def test_the_resident_id_reasons_are_specific():
    with translation.override("en"):
        with pytest.raises(ValidationError) as excinfo:
            validate_resident_id("1101051949123100")
        assert "18 characters" in excinfo.value.messages[0]
        with pytest.raises(ValidationError) as excinfo:
            validate_resident_id("110105194912310021")
        assert "check character" in excinfo.value.messages[0]


def test_parsing_an_invalid_resident_id_raises_value_error_with_the_reason():
    error = parse_error(parse_resident_id, make_resident_id("11010519490230002"))
    assert error.code == "invalid_birth_date"
    with translation.override("en"):
        error = parse_error(parse_resident_id, make_resident_id("11010519490230002"))
        assert "birth date" in str(error)


def test_non_text_is_not_a_resident_id():
    assert not is_valid_resident_id(None)
    assert not is_valid_resident_id(11010519491231002)
    assert validation_code(validate_resident_id, 440524188001010014) == "invalid_type"


# ---------------------------------------------------------------------------
# Masking
# ---------------------------------------------------------------------------


def test_it_masks_a_resident_id_keeping_the_first_3_and_last_4():
    assert mask_resident_id("11010519491231002X") == "110***********002X"
    assert mask_resident_id("１１０１０５１９４９１２３１００２ｘ") == "110***********002X"


def test_it_masks_other_values_keeping_only_the_last_4():
    assert mask_resident_id("E12345678") == "*****5678"
    assert mask_resident_id("1101051949") == "******1949"


def test_it_masks_very_short_values_entirely():
    assert mask_resident_id("1234") == "****"
    assert mask_resident_id("12") == "**"
    assert mask_resident_id("") == ""


@settings(deadline=None)
@given(st.text(alphabet="0123456789X", min_size=18, max_size=18))
def test_masking_never_shows_the_middle_of_a_resident_id(number):
    masked = mask_resident_id(number)
    assert len(masked) == 18
    assert masked[3:14] == "*" * 11
    assert masked[:3] == number[:3]
    assert masked[-4:] == number[-4:]


@settings(deadline=None)
@given(st.text())
def test_masking_never_shows_more_than_the_allowed_characters(value):
    normalized = normalize_code(value)
    masked = mask_resident_id(value)
    assert len(masked) == len(normalized)
    shown = sum(1 for ch in masked if ch != "*")
    assert shown <= (7 if len(normalized) == 18 else 4)


# ---------------------------------------------------------------------------
# Unified social credit codes (GB 32100-2015)
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("code", VALID_USCCS)
def test_it_accepts_the_published_uscc_vectors(code):
    assert is_valid_uscc(code)
    assert uscc_format_ok(code)
    assert uscc_problem(code) is None
    assert uscc_check_char(code[:17]) == code[17]
    validate_uscc(code)


def test_it_rejects_a_uscc_ending_in_a_letter_outside_the_charset():
    # Z is not in the GB 32100 charset: a format error, not just a check mismatch.
    assert not is_valid_uscc("91350100M000100Y4Z")
    assert not uscc_format_ok("91350100M000100Y4Z")
    assert validation_code(validate_uscc, "91350100M000100Y4Z") == "invalid_characters"


def test_a_uscc_check_mismatch_is_well_formed_but_invalid():
    code = "91350100M000100Y44"
    assert uscc_format_ok(code)
    assert not is_valid_uscc(code)
    assert uscc_problem(code) is not None
    assert validation_code(validate_uscc, code) == "invalid_check_character"


def test_the_uscc_check_mismatch_reason_differs_from_format_reasons():
    with translation.override("en"):
        mismatch = uscc_problem("91350100M000100Y44")
        too_short = uscc_problem("91350100M000100Y4")
    assert "check character" in mismatch
    assert "18 characters" in too_short
    assert mismatch != too_short


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("91350100M000100Y4", "invalid_length"),
        ("91350100M000100Y433", "invalid_length"),
        ("", "invalid_length"),
        ("91350100M000100I43", "invalid_characters"),
        ("91350100M000100O43", "invalid_characters"),
        ("91350100M000100Z43", "invalid_characters"),
        ("91350100M000100S43", "invalid_characters"),
        ("91350100M000100V43", "invalid_characters"),
        ("91350100M000100-43", "invalid_characters"),
        ("9135010AM000100Y43", "invalid_region"),
        ("91A50100M000100Y43", "invalid_region"),
    ],
)
def test_it_rejects_each_malformed_uscc_with_a_format_reason(code, reason):
    assert not uscc_format_ok(code)
    assert not is_valid_uscc(code)
    assert uscc_problem(code) is not None
    assert validation_code(validate_uscc, code) == reason


def test_it_accepts_a_lowercase_or_full_width_uscc():
    assert is_valid_uscc("91110108ma01abcd5t")
    assert is_valid_uscc("９１３１００００６３１５９２８４ＸＱ")


def test_the_uscc_check_character_needs_17_charset_characters():
    for bad in ["91350100M000100Y", "91350100M000100Y43", "91350100M000100I4"]:
        with pytest.raises(ValueError):
            uscc_check_char(bad)


def test_non_text_is_not_a_uscc():
    assert not is_valid_uscc(None)
    assert not uscc_format_ok(12345)
    assert validation_code(validate_uscc, 12345) == "invalid_type"


# ---------------------------------------------------------------------------
# Occupation codes
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["6-31-01-03", "4-10-01-06", "7-00-00-00", "3-99-99-99"])
def test_it_accepts_occupation_codes_including_00_and_99(code):
    assert is_valid_occupation_code(code)
    validate_occupation_code(code)
    assert OCCUPATION_CODE_RE.match(code)


def test_it_parses_an_occupation_code_into_its_four_parts():
    parsed = parse_occupation_code("6-31-01-03")
    assert parsed == OccupationCode(major="6", middle="31", minor="01", unit="03")
    assert str(parsed) == "6-31-01-03"


@pytest.mark.parametrize(
    "raw",
    [
        "６－３１－０１－０３",
        "6—31—01—03",
        "6–31–01–03",
        "6−31−01−03",
        " 6 - 31 - 01 - 03\u3000",
        "6310103",
    ],
)
def test_it_normalises_full_width_dashes_spaces_and_the_compact_form(raw):
    assert normalize_occupation_code(raw) == "6-31-01-03"
    assert parse_occupation_code(raw) == OccupationCode("6", "31", "01", "03")


@pytest.mark.parametrize(
    "code",
    [
        "0-31-01-03",
        "9-31-01-03",
        "6-31-01",
        "6-3-01-03",
        "6-31-01-3",
        "6-31-01-03-01",
        "63101030",
        "631010",
        "A-31-01-03",
        "6_31_01_03",
        "",
    ],
)
def test_it_rejects_malformed_occupation_codes(code):
    assert not is_valid_occupation_code(code)
    assert validation_code(validate_occupation_code, code) == "invalid_occupation_code"
    with pytest.raises(ValueError):
        parse_occupation_code(code)


def test_the_occupation_pattern_rejects_a_trailing_newline():
    assert OCCUPATION_CODE_RE.match("6-31-01-03\n") is None
    assert OCCUPATION_CODE_RE.search("6-31-01-03\n") is None


def test_a_general_normalisation_keeps_occupation_hyphens():
    assert normalize_occupation_code("6-31-01-03") == "6-31-01-03"
    assert normalize_code("6-31-01-03") == "6-31-01-03"


# ---------------------------------------------------------------------------
# Certificate numbers
# ---------------------------------------------------------------------------


def test_it_parses_a_certificate_number_into_its_parts():
    parsed = parse_certificate_number("Y000123000001195000001")
    assert parsed == CertificateNumber(
        kind="Y",
        agency_code="0001",
        province_prefix="23",
        site_serial="000001",
        year="19",
        level="5",
        sequence="000001",
    )
    assert parsed.prefix == "Y000123000001"
    assert str(parsed) == "Y000123000001195000001"


def test_it_parses_a_provincially_filed_agencys_number():
    parsed = parse_certificate_number("S000044000123245000001")
    assert (parsed.kind, parsed.agency_code, parsed.province_prefix) == ("S", "0000", "44")
    assert (parsed.site_serial, parsed.year, parsed.level) == ("000123", "24", "5")
    assert parsed.prefix == "S000044000123"


@pytest.mark.parametrize("number", VALID_CERTIFICATE_NUMBERS)
def test_a_certificate_number_survives_a_parse_and_format_round_trip(number):
    parsed = parse_certificate_number(number)
    assert format_certificate_number(parsed) == number
    assert parse_certificate_number(format_certificate_number(parsed)) == parsed
    assert is_valid_certificate_number(number)
    validate_certificate_number(number)


def test_it_formats_a_certificate_number_from_a_mapping():
    parts = {
        "kind": "S",
        "agency_code": "0000",
        "province_prefix": "44",
        "site_serial": "000123",
        "year": "24",
        "level": "5",
        "sequence": "000001",
    }
    assert format_certificate_number(parts) == "S000044000123245000001"


def test_it_normalises_a_certificate_number_before_parsing():
    assert str(parse_certificate_number(" s0000 44 000123 24 5 000001 ")) == (
        "S000044000123245000001"
    )
    assert is_valid_certificate_number("Ｙ０００１２３０００００１１９５０００００１")


@pytest.mark.parametrize(
    ("number", "reason", "words"),
    [
        ("X000123000001195000001", "invalid_kind", "agency kind"),
        ("Y00A123000001195000001", "invalid_agency_code", "agency code"),
        ("Y000199000001195000001", "invalid_province_prefix", "province"),
        ("Y000100000001195000001", "invalid_province_prefix", "province"),
        ("Y00012300000A195000001", "invalid_site_serial", "site serial"),
        ("Y0001230000011A5000001", "invalid_year", "year"),
        ("Y000123000001196000001", "invalid_level", "level"),
        ("Y000123000001190000001", "invalid_level", "level"),
        ("Y000123000001195000000", "invalid_sequence", "sequence"),
        ("Y00012300000119500000A", "invalid_sequence", "sequence"),
        ("Y00012300000119500001", "invalid_length", "22 characters"),
        ("Y0001230000011950000011", "invalid_length", "22 characters"),
    ],
)
def test_it_names_the_wrong_part_of_a_certificate_number(number, reason, words):
    assert not is_valid_certificate_number(number)
    assert validation_code(validate_certificate_number, number) == reason
    with translation.override("en"):
        error = parse_error(parse_certificate_number, number)
    assert error.code == reason
    assert words in str(error)


@pytest.mark.parametrize(
    ("part", "value"),
    [
        ("kind", "y"),
        ("agency_code", "001"),
        ("province_prefix", "99"),
        ("site_serial", "1"),
        ("year", "2024"),
        ("level", "6"),
        ("sequence", "000000"),
        ("sequence", 1),
    ],
)
def test_formatting_rejects_each_wrong_part(part, value):
    parts = {
        "kind": "Y",
        "agency_code": "0001",
        "province_prefix": "23",
        "site_serial": "000001",
        "year": "19",
        "level": "5",
        "sequence": "000001",
    }
    parts[part] = value
    with pytest.raises(ValueError):
        format_certificate_number(parts)
    with pytest.raises(ValueError):
        CertificateNumber(**parts)


def test_formatting_needs_exactly_the_certificate_parts():
    parts = dict(vars(parse_certificate_number("Y000123000001195000001")))
    with pytest.raises(ValueError):
        format_certificate_number({k: v for k, v in parts.items() if k != "level"})
    with pytest.raises(ValueError):
        format_certificate_number({**parts, "check": "X"})
    with pytest.raises(ValueError):
        format_certificate_number("Y000123000001195000001")


def test_a_certificate_number_is_frozen():
    parsed = parse_certificate_number("Y000123000001195000001")
    with pytest.raises(AttributeError):
        parsed.level = "4"


def test_legacy_16_digit_numbers_are_recognised_for_lookup_only():
    assert is_legacy_certificate_number("1234567890123456")
    assert is_legacy_certificate_number(" １２３４５６７８９０１２３４５６ ")
    assert not is_valid_certificate_number("1234567890123456")
    for bad in ["123456789012345", "12345678901234567", "Y000123000001195000001", None]:
        assert not is_legacy_certificate_number(bad)


# ---------------------------------------------------------------------------
# Property tests
# ---------------------------------------------------------------------------


def fixed_digits(length: int) -> st.SearchStrategy[str]:
    return st.text(alphabet="0123456789", min_size=length, max_size=length)


@st.composite
def resident_id_bodies(draw) -> str:
    prefix = draw(st.sampled_from(sorted(PROVINCE_PREFIXES)))
    birth = draw(st.dates(min_value=date(1880, 1, 1), max_value=date.today()))
    return f"{prefix}{draw(fixed_digits(4))}{birth:%Y%m%d}{draw(fixed_digits(3))}"


@settings(deadline=None)
@given(resident_id_bodies(), st.data())
def test_any_resident_id_with_its_computed_check_character_is_valid(body, data):
    number = make_resident_id(body)
    assert is_valid_resident_id(number)
    wrong = data.draw(st.sampled_from([ch for ch in "0123456789X" if ch != number[17]]))
    assert not is_valid_resident_id(body + wrong)
    assert validation_code(validate_resident_id, body + wrong) == "invalid_check_character"


@settings(deadline=None)
@given(st.text(alphabet=USCC_CHARSET, min_size=2, max_size=2), fixed_digits(6), st.data())
def test_any_uscc_with_its_computed_check_character_is_valid(head, region, data):
    body = head + region + data.draw(st.text(alphabet=USCC_CHARSET, min_size=9, max_size=9))
    check = uscc_check_char(body)
    assert is_valid_uscc(body + check)
    wrong = data.draw(st.sampled_from([ch for ch in USCC_CHARSET if ch != check]))
    assert uscc_format_ok(body + wrong)
    assert not is_valid_uscc(body + wrong)


certificate_parts = st.builds(
    CertificateNumber,
    kind=st.sampled_from("YS"),
    agency_code=fixed_digits(4),
    province_prefix=st.sampled_from(sorted(PROVINCE_PREFIXES)),
    site_serial=fixed_digits(6),
    year=fixed_digits(2),
    level=st.sampled_from("12345"),
    sequence=fixed_digits(6).filter(lambda value: value != "000000"),
)


@settings(deadline=None)
@given(certificate_parts)
def test_parsing_a_formatted_certificate_number_gives_back_its_parts(parts):
    number = format_certificate_number(parts)
    assert len(number) == 22
    assert parse_certificate_number(number) == parts
    assert format_certificate_number(dict(vars(parts))) == number
    assert parts.prefix == number[:13]


VALIDATORS = [
    validate_resident_id,
    validate_uscc,
    validate_province_code,
    validate_occupation_code,
    validate_certificate_number,
]


@settings(deadline=None)
@given(st.text())
def test_validators_raise_nothing_but_validation_error_on_arbitrary_text(value):
    for validator in VALIDATORS:
        # Anything other than ValidationError escaping here fails the test.
        with contextlib.suppress(ValidationError):
            validator(value)


@settings(deadline=None)
@given(st.text())
def test_predicates_answer_true_or_false_on_arbitrary_text(value):
    for predicate in [
        is_valid_resident_id,
        is_valid_uscc,
        uscc_format_ok,
        is_valid_province_code,
        is_valid_region_code,
        is_valid_occupation_code,
        is_valid_certificate_number,
        is_legacy_certificate_number,
    ]:
        assert predicate(value) in (True, False)
    assert uscc_problem(value) is None or isinstance(uscc_problem(value), str)


# ---------------------------------------------------------------------------
# Messages are listed for the translators
# ---------------------------------------------------------------------------


def gettext_msgids() -> set[str]:
    tree = ast.parse(Path(codes.__file__).read_text(encoding="utf-8"))
    return {
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "_"
        and node.args
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    }


def test_every_message_is_listed_with_a_translation_in_the_decision_record():
    msgids = gettext_msgids()
    assert len(msgids) > 20
    _, _, section = DECISION_RECORD.read_text(encoding="utf-8").partition("## Messages")
    rows = {}
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 2:
            rows[cells[0]] = cells[1]
    missing = sorted(msgid for msgid in msgids if msgid not in rows)
    assert not missing
    assert all(rows[msgid] for msgid in msgids)
