"""Registrations of the plans stage of supervision."""

from __future__ import annotations


def register() -> None:
    pass
