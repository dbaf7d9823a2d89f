"""The kinds of bad input the generated bad-input tests throw (issue 10): controls,
bidirectional overrides, zero-width characters, SQL-ish and template strings, huge strings and
numbers, emoji, and raw bytes that are not UTF-8. Shared by ``tests/test_bad_input.py`` and the
certificate pages' bad-input tests."""

from __future__ import annotations

import re

from hypothesis import strategies as st

CJK = re.compile(r"[\u4e00-\u9fff]")

#: Values every text field must refuse at the field (they hold a refused character).
CONTROLS = [
    "\x00",
    "a\x00b",
    "\x01\x02\x1b[31m红\x7f",
    "\u202egpj.exe",
    "王\u202a五\u202c",
    "\u2066隔离\u2069",
    "零\u200b宽",
    "\ufeff开头",
    "软\u00ad连字符",
    "行\u2028分隔",
    "\x85下一行",
]
NASTY = [
    "-1",
    "0",
    "' OR '1'='1' --",
    "1; DROP TABLE portal_user; --",
    '" OR ""="',
    "<script>alert(1)</script>",
    "{{ settings.SECRET_KEY }}",
    "%00",
    "%ff",
    "../../etc/passwd",
    "9" * 25,
    "9" * 400,
    "x" * 10_000,
    "电" * 10_000,
    "😀" * 50,
    "👨\u200d👩\u200d👧",
    "ｆｕｌｌ－ｗｉｄｔｈ１２３",
    " ",
    "",
]
_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60)
bad_text = st.one_of(
    st.sampled_from(CONTROLS),
    st.sampled_from(NASTY),
    _text,
    st.builds(lambda a, b, c: a + b + c, _text, st.sampled_from(CONTROLS + NASTY), _text),
    st.integers(min_value=10**15, max_value=10**40).map(str),
)
#: Raw bytes as a client may send them, not all UTF-8: a lone surrogate, overlong forms.
bad_bytes = st.one_of(
    st.sampled_from([b"\xff", b"\xc0\x80", b"\xed\xa0\x80", b"\xe2\x80\xae", b"\x00", b"\xfe"]),
    st.binary(max_size=40),
)
