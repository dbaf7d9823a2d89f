"""Demo data of the publication stage of supervision (run by ``supervision.demo.seed``)."""

from __future__ import annotations


def seed(stdout=None) -> None:
    pass
