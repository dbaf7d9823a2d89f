"""Registrations of the pools stage of supervision."""

from __future__ import annotations


def register() -> None:
    pass
