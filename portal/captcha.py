"""A self-hosted picture captcha (图形验证码): no hosted service is reachable from our networks.

Rules implemented here:

* MLPS 2.0 (GB/T 22239-2019) level 3, login-failure handling: after repeated failures the
  sign-in form asks for a verification code, so password guessing cannot be automated
  (``portal.accounts.signin``); public forms use it against automated submission.
* Cybersecurity Law / CSP of the portal: the picture is an SVG in a ``data:`` URI (``img-src
  'self' data:``), with no script and no external asset.

A challenge is five digits drawn as stroked paths (never as ``<text>``, which a bot would
read from the markup), each glyph rotated, skewed and bent by a wave, mixed with noise curves
and dots. Only a keyed hash of the answer is kept, in the server-side session, under a random
challenge id; a challenge can be checked once and expires after ``TTL_SECONDS``. Every render
of the field draws a new challenge. The picture's text alternative names the task and the
service hotline for people who cannot see it, never the answer.
"""

from __future__ import annotations

import base64
import math
import random
import time
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

SESSION_KEY = "portal.captcha"
TTL_SECONDS = 5 * 60
LENGTH = 5
MAX_PENDING = 5  # open challenges per session (several tabs); the oldest is dropped
ALPHABET = "0123456789"  # digits only: readable by everyone, typed on any keyboard or IME
WIDTH, HEIGHT = 180, 60

Point = tuple[float, float]


def captcha_enabled() -> bool:
    """``settings.CAPTCHA_ENABLED`` (default True)."""
    return bool(getattr(settings, "CAPTCHA_ENABLED", True))


# --- Glyphs: strokes on a 10 x 16 grid, y downwards ----------------------------------------


def _arc(cx: float, cy: float, rx: float, ry: float, start: float, end: float) -> list[Point]:
    steps = max(6, int(abs(end - start) / 12))
    return [
        (
            cx + rx * math.cos(math.radians(start + (end - start) * i / steps)),
            cy + ry * math.sin(math.radians(start + (end - start) * i / steps)),
        )
        for i in range(steps + 1)
    ]


_GLYPHS: dict[str, list[list[Point]]] = {
    "0": [_arc(5, 8, 4.4, 7.6, 0, 360)],
    "1": [[(2, 3.5), (5.5, 0), (5.5, 16)], [(2.5, 16), (8.5, 16)]],
    "2": [_arc(5, 4.5, 4, 4, 200, 400) + [(1, 16), (9.5, 16)]],
    "3": [_arc(5, 4.2, 4, 3.8, 210, 450) + _arc(5, 11.8, 4.3, 4.2, 270, 510)],
    "4": [[(6, 0), (0.5, 11), (9.5, 11)], [(7.2, 5), (7.2, 16)]],
    "5": [[(9, 0.3), (2, 0.3), (1.5, 7.2)] + _arc(5, 11, 4.3, 4.8, 235, 500)],
    "6": [[(8.5, 1.5)] + _arc(6.5, 9, 5.5, 8.5, 265, 160), _arc(5, 11.5, 4, 4.5, 0, 360)],
    "7": [[(0.5, 0.5), (9.5, 0.5), (4, 16)]],
    "8": [_arc(5, 4, 3.6, 3.8, 0, 360), _arc(5, 11.6, 4.4, 4.2, 0, 360)],
    "9": [_arc(5, 4.5, 4, 4.5, 0, 360), [(9, 4.5), (9, 9), (7.5, 14), (4.5, 16), (1.5, 15)]],
}


def _subdivide(points: list[Point], step: float = 0.8) -> list[Point]:
    out = [points[0]]
    for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False):
        n = max(1, math.ceil(math.hypot(x1 - x0, y1 - y0) / step))
        out.extend((x0 + (x1 - x0) * i / n, y0 + (y1 - y0) * i / n) for i in range(1, n + 1))
    return out


def _xy(point: Point) -> str:
    return f"{point[0]:.1f} {point[1]:.1f}"


def _path(points: Iterable[Point]) -> str:
    pts = [_xy(p) for p in points]
    return "M" + pts[0] + "".join(f"L{p}" for p in pts[1:])


def _colour(rng: random.Random, lightness: tuple[int, int]) -> str:
    return f"hsl({rng.randrange(360)},{rng.randint(45, 75)}%,{rng.randint(*lightness)}%)"


def render_svg(text: str, rng: random.Random, label: str = "") -> str:
    """Draw ``text`` (digits) as a distorted SVG picture; the markup holds no ``<text>``."""
    wave_y = (rng.uniform(2, 4), rng.uniform(40, 80), rng.uniform(0, math.tau))
    wave_x = (rng.uniform(1, 2.5), rng.uniform(15, 30), rng.uniform(0, math.tau))

    def bend(x: float, y: float) -> Point:
        return (
            x + wave_x[0] * math.sin(y / wave_x[1] + wave_x[2]),
            y + wave_y[0] * math.sin(x / wave_y[1] + wave_y[2]),
        )

    strokes: list[str] = []
    pitch = (WIDTH - 30) / len(text)
    for i, char in enumerate(text):
        scale = rng.uniform(2.1, 2.4)
        angle = math.radians(rng.uniform(-15, 15))
        skew = math.tan(math.radians(rng.uniform(-8, 8)))
        squash = rng.uniform(0.85, 1.1)
        cx = 15 + pitch * (i + 0.5) + rng.uniform(-3, 3)
        cy = HEIGHT / 2 + rng.uniform(-4, 4)
        for stroke in _GLYPHS[char]:
            points = []
            for u, v in _subdivide(stroke):
                u += rng.uniform(-0.15, 0.15)
                v += rng.uniform(-0.15, 0.15)
                x, y = (u - 5) * scale * squash, (v - 8) * scale
                x += y * skew
                x, y = (
                    x * math.cos(angle) - y * math.sin(angle),
                    x * math.sin(angle) + y * math.cos(angle),
                )
                points.append(bend(cx + x, cy + y))
            strokes.append(_path(points))
    for _curve in range(2):  # long curves through the glyphs, drawn like them
        start = (rng.uniform(0, 20), rng.uniform(5, HEIGHT - 5))
        c1 = (rng.uniform(40, 80), rng.uniform(-20, HEIGHT + 20))
        c2 = (rng.uniform(100, 140), rng.uniform(-20, HEIGHT + 20))
        end = (rng.uniform(WIDTH - 20, WIDTH), rng.uniform(5, HEIGHT - 5))
        strokes.append(f"M{_xy(start)}C{_xy(c1)} {_xy(c2)} {_xy(end)}")
    rng.shuffle(strokes)  # markup order says nothing about reading order or what is noise
    groups = [strokes[i::3] for i in range(3)]

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(label)}">',
        f'<rect width="100%" height="100%" fill="{_colour(rng, (93, 97))}"/>',
    ]
    for _curve in range(4):  # thin background curves
        start, control = (0, rng.uniform(0, HEIGHT)), (rng.uniform(0, WIDTH), rng.uniform(-60, 120))
        end = (WIDTH, rng.uniform(0, HEIGHT))
        parts.append(
            f'<path d="M{_xy(start)}Q{_xy(control)} {_xy(end)}" fill="none" '
            f'stroke="{_colour(rng, (55, 75))}" stroke-width="{rng.uniform(0.8, 1.4):.1f}"/>'
        )
    for _dot in range(40):
        parts.append(
            f'<circle cx="{rng.uniform(0, WIDTH):.1f}" cy="{rng.uniform(0, HEIGHT):.1f}" '
            f'r="{rng.uniform(0.6, 1.6):.1f}" fill="{_colour(rng, (30, 70))}"/>'
        )
    for group in groups:
        if group:
            parts.append(
                f'<path d="{"".join(group)}" fill="none" stroke="{_colour(rng, (18, 36))}" '
                f'stroke-width="{rng.uniform(2.2, 2.8):.1f}" stroke-linecap="round" '
                'stroke-linejoin="round"/>'
            )
    parts.append("</svg>")
    return "".join(parts)


# --- Challenges in the session ------------------------------------------------------------


def image_label() -> str:
    """The picture's text alternative: the task and the hotline, never the answer."""
    return gettext(
        "Verification code picture showing %(length)d digits. If you cannot read it, load a "
        "new picture, or call the service hotline %(hotline)s for help."
    ) % {"length": LENGTH, "hotline": getattr(settings, "SITE_CONTACT", "12333")}


@dataclass(frozen=True)
class Challenge:
    """A drawn challenge. ``answer`` stays on the server: only its hash enters the session."""

    id: str
    answer: str
    svg: str

    @property
    def data_uri(self) -> str:
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg.encode()).decode()


def normalise_answer(value: str) -> str:
    """Full-width digits (Chinese input methods) become ASCII; spaces are dropped."""
    return "".join(unicodedata.normalize("NFKC", value or "").split()).upper()


def _digest(challenge_id: str, answer: str) -> str:
    return salted_hmac("portal.captcha", f"{challenge_id}:{answer}", algorithm="sha256").hexdigest()


def new_challenge(session, *, rng: random.Random | None = None) -> Challenge:
    """Draw a challenge and remember its hashed answer in ``session`` for ``TTL_SECONDS``.

    ``rng`` defaults to the system's CSPRNG; a seeded ``random.Random`` gives a known
    challenge (tests).
    """
    rng = rng or random.SystemRandom()
    challenge_id = f"{rng.getrandbits(96):024x}"
    answer = "".join(rng.choice(ALPHABET) for _ in range(LENGTH))
    now = time.time()
    pending = {
        key: entry
        for key, entry in (session.get(SESSION_KEY) or {}).items()
        if isinstance(entry, list) and len(entry) == 2 and entry[1] > now
    }
    pending[challenge_id] = [_digest(challenge_id, answer), now + TTL_SECONDS]
    while len(pending) > MAX_PENDING:
        oldest = min(pending, key=lambda key: pending[key][1])
        del pending[oldest]
    session[SESSION_KEY] = pending
    return Challenge(challenge_id, answer, render_svg(answer, rng, image_label()))


def verify(session, challenge_id: str, answer: str) -> bool:
    """Is ``answer`` right for challenge ``challenge_id``? Each challenge is checked once."""
    pending = dict(session.get(SESSION_KEY) or {})
    entry = pending.pop(challenge_id, None) if challenge_id else None
    session[SESSION_KEY] = pending
    if entry is None:
        return False
    digest, expires = entry
    if time.time() > expires:
        return False
    return constant_time_compare(digest, _digest(challenge_id, normalise_answer(answer)))


# --- Form field ---------------------------------------------------------------------------


class CaptchaWidget(forms.Widget):
    """The picture, a text input and the challenge id; a new challenge at every render."""

    template_name = "portal/includes/captcha.html"

    def __init__(self, session=None, attrs: dict | None = None) -> None:
        super().__init__(attrs)
        self.session = session

    def get_context(self, name: str, value, attrs: dict | None) -> dict:
        context = super().get_context(name, None, attrs)
        challenge = new_challenge(self.session)
        context["widget"].update(
            image=challenge.data_uri,
            image_label=image_label(),
            challenge_id=challenge.id,
            id_name=f"{name}_id",
            length=LENGTH,
            hotline=getattr(settings, "SITE_CONTACT", ""),
        )
        return context

    def render(self, name: str, value, attrs: dict | None = None, renderer=None) -> SafeString:
        # The project's template engine (templates/), not the form renderer's directories.
        return mark_safe(render_to_string(self.template_name, self.get_context(name, value, attrs)))  # noqa: S308

    def value_from_datadict(self, data, files, name: str) -> tuple[str, str]:
        return (str(data.get(f"{name}_id", "")), str(data.get(name, "")))

    def value_omitted_from_data(self, data, files, name: str) -> bool:
        return name not in data


class CaptchaField(forms.Field):
    """验证码: checked against the challenge of this session; wrong or expired is one error."""

    widget = CaptchaWidget
    default_error_messages = {
        "required": _("Please enter the verification code."),
        "invalid": _("The verification code is wrong or has expired."),
    }

    def __init__(self, *, session, **kwargs) -> None:
        kwargs.setdefault("label", _("Verification code"))
        kwargs.setdefault("widget", CaptchaWidget(session=session))
        super().__init__(**kwargs)
        self.session = session

    def clean(self, value) -> bool:
        challenge_id, answer = value if isinstance(value, tuple | list) else ("", value or "")
        answer = normalise_answer(answer)
        solved = verify(self.session, challenge_id, answer)  # spends the challenge either way
        if not answer:
            raise ValidationError(self.error_messages["required"], code="required")
        if not solved:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return True


class CaptchaFormMixin:
    """Adds a ``captcha`` field to a form: always when built with ``captcha_session=...``, or
    when the form calls ``add_captcha(session)`` (e.g. only after failed sign-ins). Nothing is
    added when ``CAPTCHA_ENABLED`` is off.
    """

    captcha_field_name = "captcha"

    def __init__(self, *args, captcha_session=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if captcha_session is not None:
            self.add_captcha(captcha_session)

    def add_captcha(self, session) -> bool:
        """Ask for the captcha on this form; answers whether it is now asked for."""
        if not captcha_enabled() or session is None:
            return False
        if self.captcha_field_name not in self.fields:
            self.fields[self.captcha_field_name] = CaptchaField(session=session)
        return True

    @property
    def captcha_asked(self) -> bool:
        return self.captcha_field_name in self.fields

    def captcha_failed(self) -> bool:
        """During ``clean()``: the captcha is asked for and was not solved."""
        errors = getattr(self, "_errors", None) or {}
        return self.captcha_asked and self.captcha_field_name in errors
