"""Eligibility of a candidate against a session's frozen rules (Art 18: 申报条件).

Pure functions over plain data, so the one-by-one enrolment, the roster preview and the
command line give the same answer: ``evaluate(rules, facts, on=...)`` returns the first route
that makes the candidate eligible, or, for each route, what is missing. Any one rule suffices.

A rule is a mapping as frozen on the session (``route``, ``prior_level`` a level code such as
``"4"``, ``years``, ``education``, ``label``, ``description``). Level codes are the digits of the
certificate number: ``"5"`` is 五级 (the lowest), ``"1"`` is 一级.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from catalog.models import EducationLevel, EligibilityRoute

GRADE = {"5": "五级", "4": "四级", "3": "三级", "2": "二级", "1": "一级"}


def _level_rank(code: str) -> int:
    """1 for 五级 … 5 for 一级 (catalog.SkillLevel.rank); 0 for no level."""
    return 6 - int(code) if code in GRADE else 0


@dataclass(frozen=True)
class Facts:
    """What a candidate states that eligibility reads."""

    education: str = ""
    started_on: dt.date | None = None  # started work in the occupation
    prior_level: str = ""  # level code of the certificate held
    prior_date: dt.date | None = None  # when it was issued


@dataclass
class Outcome:
    eligible: bool
    route: Mapping | None = None  # the rule that made the candidate eligible
    missing: list[tuple[str, list[str]]] = field(default_factory=list)  # (rule, what is missing)

    @property
    def route_label(self) -> str:
        return describe(self.route) if self.route else ""

    def explanation(self) -> str:
        """One line for a preview cell or the command line."""
        if self.eligible:
            return _("Eligible by: %(route)s") % {"route": self.route_label}
        if not self.missing:
            return _("The level has no eligibility rule.")
        return "；".join(f"{label}：{'、'.join(items)}" for label, items in self.missing)


def _education(rule: Mapping) -> str:
    return rule.get("education") or rule.get("education_level") or ""


def full_years(since: dt.date | None, on: dt.date) -> int:
    """Completed years from ``since`` to ``on`` (0 when unknown or in the future)."""
    if since is None or since > on:
        return 0
    years = on.year - since.year
    if (on.month, on.day) < (since.month, since.day):
        years -= 1
    return years


def describe(rule: Mapping) -> str:
    """The rule as a worker reads it (its description when the catalog gave one)."""
    if rule.get("description") or rule.get("label"):
        return rule.get("description") or rule["label"]
    route, years = rule.get("route"), int(rule.get("years") or 0)
    if route == EligibilityRoute.PRIOR_LEVEL:
        return _("Holds %(level)s, %(years)d years since") % {
            "level": GRADE.get(str(rule.get("prior_level")), "?"),
            "years": years,
        }
    if route == EligibilityRoute.EDUCATION:
        return _("%(education)s, %(years)d years of work") % {
            "education": EducationLevel(_education(rule)).label,
            "years": years,
        }
    return _("%(years)d years of work in the occupation") % {"years": years}


def missing_for(rule: Mapping, facts: Facts, *, on: dt.date) -> list[str]:
    """What the candidate lacks for ``rule`` (empty: the rule is met)."""
    route, years = rule.get("route"), int(rule.get("years") or 0)
    lacks: list[str] = []
    if route == EligibilityRoute.PRIOR_LEVEL:
        wanted = str(rule.get("prior_level") or "")
        if _level_rank(facts.prior_level) < _level_rank(wanted):
            lacks.append(_("a %(level)s certificate") % {"level": GRADE.get(wanted, "?")})
        elif full_years(facts.prior_date, on) < years:
            lacks.append(
                _("%(years)d years since the certificate (has %(has)d)")
                % {"years": years, "has": full_years(facts.prior_date, on)}
            )
        return lacks
    if route == EligibilityRoute.EDUCATION:
        wanted = _education(rule)
        if not facts.education or (
            wanted and EducationLevel.rank(facts.education) < EducationLevel.rank(wanted)
        ):
            lacks.append(
                _("education of %(education)s or above")
                % {"education": EducationLevel(wanted).label if wanted else "?"}
            )
    if full_years(facts.started_on, on) < years:
        lacks.append(
            _("%(years)d years of work in the occupation (has %(has)d)")
            % {"years": years, "has": full_years(facts.started_on, on)}
        )
    return lacks


def evaluate(rules: Iterable[Mapping], facts: Facts, *, on: dt.date) -> Outcome:
    """The first rule the candidate meets, or every rule with what is missing (Art 18)."""
    missing = []
    for rule in rules:
        lacks = missing_for(rule, facts, on=on)
        if not lacks:
            return Outcome(True, rule)
        missing.append((describe(rule), lacks))
    return Outcome(False, None, missing)
