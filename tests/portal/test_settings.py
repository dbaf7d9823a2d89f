"""Environment helpers and the log filter that keeps secrets and ID numbers out of logs."""

from __future__ import annotations

import logging

import pytest
from django.core.exceptions import ImproperlyConfigured

from portal.env import envbool, envint, envlist, envsecret
from portal.logfilters import RedactFilter, redact


def test_envbool_reads_the_usual_spellings_and_refuses_others(monkeypatch):
    monkeypatch.setenv("X", "yes")
    assert envbool("X") is True
    monkeypatch.setenv("X", "0")
    assert envbool("X", True) is False
    monkeypatch.setenv("X", "perhaps")
    with pytest.raises(ImproperlyConfigured, match="X"):
        envbool("X")
    monkeypatch.delenv("X")
    assert envbool("X", True) is True


def test_envint_and_envlist(monkeypatch):
    monkeypatch.setenv("N", "42")
    assert envint("N", 1) == 42
    monkeypatch.setenv("N", "4x")
    with pytest.raises(ImproperlyConfigured):
        envint("N", 1)
    monkeypatch.setenv("L", "a.example, b.example,")
    assert envlist("L", []) == ["a.example", "b.example"]


def test_envsecret_prefers_the_file(monkeypatch, tmp_path):
    secret = tmp_path / "key"
    secret.write_text("from-file\n")
    monkeypatch.setenv("S", "from-env")
    monkeypatch.setenv("S_FILE", str(secret))
    assert envsecret("S") == "from-file"


def test_logs_never_hold_id_numbers_or_passwords(caplog):
    assert "11010519491231002X" not in redact("id=11010519491231002X")
    assert "110***********002X" in redact("身份证 11010519491231002X 已登记")
    assert "hunter2" not in redact("password=hunter2&user=a")
    assert "abc123" not in redact('{"token": "abc123"}')
    logger = logging.getLogger("portal.test")
    logger.addFilter(RedactFilter())
    with caplog.at_level(logging.INFO, logger="portal.test"):
        logger.info("login %s with password=%s", "34052419800101001X", "s3cret")
    assert "34052419800101001X" not in caplog.text
    assert "s3cret" not in caplog.text
