"""Scoped reads of supervision, one module per stage (through ``portal.access``)."""
