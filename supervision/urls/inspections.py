"""URLs of the inspections stage of supervision; each view's policy is declared beside it."""

from __future__ import annotations

urlpatterns: list = []
