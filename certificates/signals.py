"""Signals of certificates, for the apps above it (supervision) and for notices.

``revoked(sender=Certificate, certificate=..., actor=..., reason=...)`` is sent on commit by
``certificates.services.revoke_certificate`` (Art 27), once per certificate revoked.
``replaced(sender=Certificate, certificate=old, successor=new, actor=...)`` is sent on commit
when a corrected certificate (更正) replaces an old one.
"""

from __future__ import annotations

from django.dispatch import Signal

revoked = Signal()
replaced = Signal()
