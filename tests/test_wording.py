"""The Chinese wording keeps one term per idea (shared/GLOSSARY.md, issue 11 "Wording").

Scans the catalogue's msgstrs, the templates' own Chinese text and the Chinese literals of the
code for the forms that were replaced, so they do not come back:

- article numbers are written 第十三条 (never 第13条, 第 13 条, Art. 13 or 第8、17条);
- "Applicant" is 申请机构, never 申请中;
- a person to contact is 联系人; 联系我们 only heads the privacy notice's "Contact us";
- an application, request or specification withdrawn by its agency is 已撤回; 已撤销 is kept
  for what an authority withdraws or revokes (an occupation, an overturned decision);
- the filing authority is 备案机关 everywhere (never 备案部门).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.test_translations import PO, parse_po

ROOT = Path(__file__).resolve().parents[1]
CJK = re.compile(r"[\u4e00-\u9fff]")

#: Article numbers in any other form than 第十三条.
ARABIC_ARTICLE = re.compile(
    r"第\s*[0-9０-９]+\s*(?:[、，,至~\-–—]\s*(?:第\s*)?[0-9０-９]+\s*(?:条\s*)?)*条"
)
LATIN_ARTICLE = re.compile(r"\bArt(icle)?\.?\s*[0-9]+")
#: Terms replaced everywhere.
EVERYWHERE = {"备案部门": "the filing authority is 备案机关"}

DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 13 → 十三, 28 → 二十八 (the rules have fewer than 100 articles)."""
    if n < 10:
        return DIGITS[n]
    tens, units = divmod(n, 10)
    return ("" if tens == 1 else DIGITS[tens]) + "十" + (DIGITS[units] if units else "")


def entries() -> list[dict]:
    return [e for e in parse_po(PO.read_text(encoding="utf-8")) if e["msgid"]]


def texts(entry: dict) -> list[str]:
    return list(entry["msgstr"].values())


def wording_problems(entry: dict) -> list[str]:
    """What is wrong with one catalogue entry's Chinese, as readable lines."""
    msgid, ctxt = entry["msgid"], entry.get("msgctxt", "")
    english = f"{msgid} {entry.get('msgid_plural', '')}".lower()
    found = []
    for text in texts(entry):
        where = f"{msgid!r} → {text!r}"
        if ARABIC_ARTICLE.search(text) or LATIN_ARTICLE.search(text):
            found.append(f"article number not written as 第十三条: {where}")
        for term, why in EVERYWHERE.items():
            if term in text:
                found.append(f"{why}: {where}")
        if "applicant" in english and "申请中" in text:
            found.append(f"an applicant is 申请机构, not 申请中: {where}")
        if "联系我们" in text and msgid != "Contact us":
            found.append(f"a person to contact is 联系人; 联系我们 only for 'Contact us': {where}")
        if "filing authority" in english and "备案机关" not in text:
            found.append(f"the filing authority is 备案机关: {where}")
        by_authority = ctxt or re.search(r"occupation|work type", english)
        if "已撤销" in text and re.search(r"\bwithdrawn?\b", english) and not by_authority:
            found.append(f"an agency's withdrawal is 已撤回 (已撤销 for authorities): {where}")
        if re.search(r"withdr\w* (by )?(the )?(agency|applicant)", english) and "撤销" in text:
            found.append(f"an agency's withdrawal is 已撤回: {where}")
        for number in re.findall(r"\bArt\s+([0-9]+(?:\s*(?:,|–|-|and)\s*[0-9]+)*)", msgid):
            for n in re.findall(r"[0-9]+", number):
                if f"第{chinese_number(int(n))}条" not in text:
                    found.append(f"Art {n} is not cited as 第{chinese_number(int(n))}条: {where}")
    return found


def test_chinese_numbers():
    assert [chinese_number(n) for n in (1, 6, 10, 13, 20, 21, 28)] == [
        "一",
        "六",
        "十",
        "十三",
        "二十",
        "二十一",
        "二十八",
    ]


@pytest.mark.parametrize(
    ("msgid", "msgstr"),
    [
        ("Confirm the pledge (Art 13).", "请承诺（第13条）。"),
        ("Confirm the pledge (Art 13).", "请承诺（第 13 条）。"),
        ("Confirm the pledge (Art 13).", "请承诺（Art. 13）。"),
        ("Confirm the pledge (Art 13).", "请承诺（第十二条）。"),
        ("Basis (Art 8, 17)", "依据（第8、17条）"),
        ("Applicant", "申请中"),
        ("Contact", "联系我们"),
        ("Withdrawn", "已撤销"),
        ("Withdrawn by the agency", "机构已撤销"),
        ("filing authority", "备案部门"),
        ("Ask the authority", "请询问备案部门"),
    ],
)
def test_the_scan_catches_each_banned_form(msgid, msgstr):
    assert wording_problems({"msgid": msgid, "msgstr": {"msgstr": msgstr}})


@pytest.mark.parametrize(
    ("msgid", "msgstr", "ctxt"),
    [
        ("Confirm the pledge (Art 13).", "请承诺（第十三条）。", ""),
        ("Calls (Art 24–27)", "征集（第二十四条至第二十七条）", ""),
        ("Applicant", "申请机构", ""),
        ("Contact", "联系人", ""),
        ("Contact us", "联系我们", ""),
        ("Withdrawn", "已撤回", ""),
        ("Withdrawn", "已撤销", "occupation status"),
        ("Characters 3 to 8 of the code", "代码第3至8位", ""),
    ],
)
def test_the_scan_lets_the_right_forms_pass(msgid, msgstr, ctxt):
    entry = {"msgid": msgid, "msgstr": {"msgstr": msgstr}, "msgctxt": ctxt}
    assert wording_problems(entry) == []


def test_the_catalogue_uses_one_form_of_each_term():
    problems = [p for entry in entries() for p in wording_problems(entry)]
    assert problems == []


def _own_text(template: str) -> str:
    """A template's literal text: without its tags, variables and comments."""
    text = re.sub(r"{#.*?#}|{%.*?%}|{{.*?}}", " ", template, flags=re.S)
    return re.sub(r"<[^>]*>", " ", text)


def template_problems(path: Path) -> list[str]:
    found = []
    for number, line in enumerate(_own_text(path.read_text(encoding="utf-8")).splitlines(), 1):
        if not CJK.search(line):
            continue
        where = f"{path.relative_to(ROOT)}:{number}: {line.strip()[:80]!r}"
        if ARABIC_ARTICLE.search(line) or LATIN_ARTICLE.search(line):
            found.append(f"article number not written as 第十三条: {where}")
        for term in ("申请中", "联系我们", *EVERYWHERE):
            if term in line:
                found.append(f"{term}: {where}")
    return found


def test_the_templates_chinese_text_uses_one_form_of_each_term():
    paths = sorted((ROOT / "templates").rglob("*.html")) + sorted(
        (ROOT / "templates").rglob("*.txt")
    )
    assert paths
    assert [p for path in paths for p in template_problems(path)] == []


def test_the_template_scan_sees_literal_chinese_only():
    sample = ROOT / "var" / "wording-sample.html"
    sample.parent.mkdir(exist_ok=True)
    sample.write_text(
        '<p>{% translate "Art 13" %}依据第13条</p>\n<p>{{ x }}联系人</p>', encoding="utf-8"
    )
    try:
        assert len(template_problems(sample)) == 1
    finally:
        sample.unlink()


def test_the_codes_chinese_literals_use_one_form_of_each_term():
    found = []
    for app in ("portal", "catalog", "agencies"):
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                literals = "".join(re.findall(r"\"[^\"]*\"|'[^']*'", line))
                if not CJK.search(literals):
                    continue
                if ARABIC_ARTICLE.search(literals) or any(t in literals for t in EVERYWHERE):
                    found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:80]}")
    assert found == []
