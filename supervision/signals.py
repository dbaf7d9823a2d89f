"""Signals of supervision, for its own stages (and higher apps) to hear of a plan's draw.

``plan_drawn(sender=SpotCheckPlan, plan=plan)`` is sent inside the drawing transaction once
the drawn list is frozen and its ``Inspection`` (spot check) or ``QualityVisit`` (quality) rows
and their assignment grants exist; receivers open the agency's records for the inspectors and
supervisors (``assessments.services.open_for_review``, ``certificates.services.open_for_review``).
"""

from __future__ import annotations

from django.dispatch import Signal

plan_drawn = Signal()
