"""The one shape of a refusal (decision 0017, "<action>_refusal"): ``portal.refusals``."""

from __future__ import annotations

from portal.refusals import Refusal, refuse

__all__ = ["Refusal", "refuse"]
