"""The zh_Hans catalogue is complete: every message in the code and templates is translated."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PO = ROOT / "portal" / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def parse_po(text: str) -> list[dict]:
    """Entries of a .po file: msgid, msgstr(s) and flags; obsolete (#~) entries skipped."""
    entries, current, field = [], None, None
    for raw in text.splitlines() + [""]:
        line = raw.strip()
        if not line:
            if current and current.get("msgid") is not None:
                entries.append(current)
            current, field = None, None
            continue
        if line.startswith("#~"):
            continue
        current = current or {"flags": set(), "msgstr": {}}
        if line.startswith("#,"):
            current["flags"].update(f.strip() for f in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif m := re.match(r'^(msgid|msgid_plural|msgctxt|msgstr(?:\[\d+\])?) "(.*)"$', line):
            field = m.group(1)
            if field.startswith("msgstr"):
                current["msgstr"][field] = m.group(2)
            else:
                current[field] = m.group(2)
        elif line.startswith('"') and field:
            if field.startswith("msgstr"):
                current["msgstr"][field] += line[1:-1]
            else:
                current[field] += line[1:-1]
    return entries


def problems(entries: list[dict]) -> list[str]:
    found = []
    for entry in entries:
        if entry["msgid"] == "":
            continue  # the header
        if "fuzzy" in entry["flags"]:
            found.append(f"fuzzy: {entry['msgid']!r}")
        elif not entry["msgstr"] or any(v == "" for v in entry["msgstr"].values()):
            found.append(f"untranslated: {entry['msgid']!r}")
    return found


def test_the_committed_catalogue_has_no_untranslated_or_fuzzy_message():
    assert problems(parse_po(PO.read_text(encoding="utf-8"))) == []


def test_every_message_in_the_code_is_in_the_catalogue(tmp_path):
    target = tmp_path / "zh_Hans" / "LC_MESSAGES"
    target.mkdir(parents=True)
    shutil.copy(PO, target / "django.po")
    env = {**os.environ, "PORTAL_LOCALE_DIR": str(tmp_path)}
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "zh_Hans",
            "--ignore=.venv/*",
            "--ignore=var/*",
            "--ignore=tests/*",
            # Without this makemessages adopts portal/locale for portal/*.py and rewrites it.
            "--ignore=portal/locale",
            "--no-location",
            "-v",
            "0",
        ],
        cwd=ROOT,
        env=env,
        check=True,
    )
    missing = problems(parse_po((target / "django.po").read_text(encoding="utf-8")))
    assert missing == [], "run `make messages` and translate:\n" + "\n".join(missing)


def test_the_parser_sees_an_untranslated_and_a_fuzzy_message():
    sample = 'msgid ""\nmsgstr ""\n\nmsgid "A"\nmsgstr ""\n\n#, fuzzy\nmsgid "B"\nmsgstr "乙"\n'
    assert problems(parse_po(sample)) == ["untranslated: 'A'", "fuzzy: 'B'"]
