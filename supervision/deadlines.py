"""Deadlines of supervision on the working-day calendar (``portal.clock``)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from portal import clock


def publish_due(concluded_on: dt.date) -> dt.date:
    """The day an inspection's result must be published by (Art 25: 一公开), counted from the
    day it was concluded (``SPOT_CHECK_PUBLISH_WORKING_DAYS``)."""
    return clock.add_working_days(concluded_on, settings.SPOT_CHECK_PUBLISH_WORKING_DAYS)
