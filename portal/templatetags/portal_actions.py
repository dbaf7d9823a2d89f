"""``{% action_button %}``: a submit button that stays disabled, with the reason beside it,
while the service would refuse (decision 0026). The reason is the service's own
``<action>_refusal(obj, actor)`` text, computed by the view; the template never decides."""

from __future__ import annotations

import re

from django import template

register = template.Library()


@register.inclusion_tag("portal/includes/action_button.html")
def action_button(label, refusal=None, *, name="", value="", css="", key=""):
    """``{% action_button _("Approve") approve_refusal name="decision" value="approve" %}``:
    enabled when ``refusal`` is empty; otherwise disabled and described by the refusal."""
    slug = re.sub(r"[^a-z0-9_-]+", "-", (key or f"{name}-{value}").lower()).strip("-")
    return {
        "label": label,
        "refusal": refusal or "",
        "name": name,
        "value": value,
        "css": css,
        "refusal_id": f"refusal-{slug or 'action'}",
    }
