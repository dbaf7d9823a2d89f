"""What supervision registers with portal, once, from ``SupervisionConfig.ready()``: one module
per stage (pools, plans, inspections, publication, quality), each with its access rules,
audit sentences, links from the audit trail, menu entries, panels and periodic jobs."""

from __future__ import annotations


def register() -> None:
    from supervision.registry import inspections, plans, pools, publication, quality

    for stage in (pools, plans, inspections, publication, quality):
        stage.register()
