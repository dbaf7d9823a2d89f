"""Deployment checks: the compose file lints, production settings pass ``check --deploy``.

No database and no Docker engine: compose is only linted (``docker-compose config``), and the
settings are exercised through ``manage.py check`` in a subprocess, so that each case imports
the settings afresh under its own environment.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXPECTED_SERVICES = {"web", "worker", "beat", "postgres", "redis"}
OPTIONAL_SERVICES = {"migrate"}
# Only what a Python process needs: nothing the settings read leaks in from the caller's shell
# (the suite itself runs with DJANGO_ENV=test, and a developer may have DEBUG or REDIS_URL set).
PASSTHROUGH = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT")


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def _report(proc: subprocess.CompletedProcess[str]) -> str:
    return f"exit {proc.returncode}\n--- stdout ---\n{proc.stdout}\n--- stderr ---\n{proc.stderr}"


def _production_env(tmp_path: Path, **overrides: str | None) -> dict[str, str]:
    env = {name: os.environ[name] for name in PASSTHROUGH if name in os.environ}
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings",
        DJANGO_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(48),
        ALLOWED_HOSTS="portal.example.gov.cn",
        SITE_URL="https://portal.example.gov.cn",
        DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite3'}",  # check does not connect
        REDIS_URL="redis://127.0.0.1:6379/0",
    )
    for name, value in overrides.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def _check_deploy(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return _run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)


@pytest.mark.skipif(shutil.which("docker-compose") is None, reason="docker-compose not installed")
def test_compose_file_is_valid() -> None:
    env = {
        **os.environ,
        "POSTGRES_PASSWORD": secrets.token_urlsafe(24),
        "SECRET_KEY": secrets.token_urlsafe(48),
    }
    compose = ["docker-compose", "-f", "docker-compose.yml", "config"]

    lint = _run([*compose, "-q"], env)
    assert lint.returncode == 0, _report(lint)

    listed = _run([*compose, "--services"], env)
    assert listed.returncode == 0, _report(listed)
    services = set(listed.stdout.split())
    assert EXPECTED_SERVICES <= services <= EXPECTED_SERVICES | OPTIONAL_SERVICES, services


@pytest.mark.skipif(shutil.which("docker-compose") is None, reason="docker-compose not installed")
def test_compose_file_requires_its_secrets() -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"POSTGRES_PASSWORD", "SECRET_KEY"}}
    proc = _run(["docker-compose", "-f", "docker-compose.yml", "config", "-q"], env)
    assert proc.returncode != 0, _report(proc)
    assert "POSTGRES_PASSWORD" in proc.stderr or "SECRET_KEY" in proc.stderr, _report(proc)


def test_dockerfile_build_key_satisfies_production_settings() -> None:
    """The dummy key of the build's RUN line must pass the settings' own strength check."""
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    keys = re.findall(r"\bSECRET_KEY=(build-only-\S+)", dockerfile)
    assert len(keys) == 1, keys
    assert len(keys[0]) >= 50 and len(set(keys[0])) >= 5, keys[0]
    assert not re.search(r"^\s*ENV\b.*\bSECRET_KEY", dockerfile, re.MULTILINE)
    assert re.search(r"^USER portal\s*$", dockerfile, re.MULTILINE)


def test_production_settings_pass_check_deploy(tmp_path: Path) -> None:
    proc = _check_deploy(_production_env(tmp_path))
    assert proc.returncode == 0, _report(proc)


def test_production_refuses_a_missing_secret_key(tmp_path: Path) -> None:
    proc = _check_deploy(_production_env(tmp_path, SECRET_KEY=None))
    assert proc.returncode != 0, _report(proc)
    assert "SECRET_KEY" in proc.stderr, _report(proc)


def test_malformed_boolean_is_an_error(tmp_path: Path) -> None:
    proc = _check_deploy(_production_env(tmp_path, DEBUG="perhaps"))
    assert proc.returncode != 0, _report(proc)
    assert "DEBUG" in proc.stderr, _report(proc)
