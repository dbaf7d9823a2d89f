"""Housekeeping of the session table.

Rule implemented here: MLPS 2.0 (GB/T 22239-2019) level 3 idle timeout and PIPL storage
limitation: a session that has expired is of no use and holds personal data (who signed in),
so a daily job deletes it. Django keeps expired rows until ``clearsessions`` runs.
"""

from __future__ import annotations

from importlib import import_module

from django.conf import settings


def clear_expired() -> None:
    """Delete expired sessions of the configured engine (``SessionStore.clear_expired``)."""
    engine = import_module(settings.SESSION_ENGINE)
    engine.SessionStore.clear_expired()
