"""Solve a page's proof-of-work challenge as the widget would, with the altcha library."""

from __future__ import annotations

import html
import json
import re

import altcha

_CHALLENGE = re.compile(r'challengejson="([^"]*)"')


def challenge_in(page: str) -> dict:
    match = _CHALLENGE.search(page)
    assert match, "no challenge on the page"
    return json.loads(html.unescape(match.group(1)))


def solve(challenge: dict) -> str:
    """The widget's payload (base64 JSON) for ``challenge``."""
    solution = altcha.solve_challenge_v1(
        challenge["challenge"],
        challenge["salt"],
        challenge["algorithm"],
        challenge["maxNumber"],
    )
    assert solution is not None
    return altcha.v1.Payload(
        challenge["algorithm"],
        challenge["challenge"],
        solution.number,
        challenge["salt"],
        challenge["signature"],
    ).to_base64()


def solve_page(page: str) -> str:
    return solve(challenge_in(page))
