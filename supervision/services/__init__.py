"""Supervision's write API (Art 24–27): one module per stage (pools, plans, inspections,
publication, quality); callers import from the stage module."""
