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

from portal import keys

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
    key_dir = tmp_path / "secrets"
    if not key_dir.exists():
        keys.write_production_keys(key_dir)
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings",
        DJANGO_ENV="production",
        SECRETS_DIR=str(key_dir),
        AUDIT_CHECKPOINT_DIR=str(tmp_path / "checkpoints"),
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


def test_dockerfile_builds_with_throwaway_keys_only() -> None:
    """The build's keys exist only inside one RUN step; no secret is baked into the image."""
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "python -m portal.keys /tmp/build-keys" in dockerfile
    assert "rm -rf /tmp/build-keys" in dockerfile
    assert not re.search(r"^\s*ENV\b.*\b(SECRET_KEY|SECRETS_DIR|_KEY)\b", dockerfile, re.MULTILINE)
    assert re.search(r"^USER portal\s*$", dockerfile, re.MULTILINE)


def test_production_settings_pass_check_deploy(tmp_path: Path) -> None:
    proc = _check_deploy(_production_env(tmp_path))
    assert proc.returncode == 0, _report(proc)


def test_malformed_boolean_is_an_error(tmp_path: Path) -> None:
    proc = _check_deploy(_production_env(tmp_path, DEBUG="perhaps"))
    assert proc.returncode != 0, _report(proc)
    assert "DEBUG" in proc.stderr, _report(proc)


def test_production_refuses_debug(tmp_path: Path) -> None:
    proc = _check_deploy(_production_env(tmp_path, DEBUG="1"))
    assert proc.returncode != 0, _report(proc)
    assert "DEBUG must be off in production" in proc.stderr, _report(proc)


@pytest.mark.parametrize("name", [s.name for s in keys.SECRETS if s.kind != "directory"])
def test_production_refuses_a_missing_secret(tmp_path: Path, name: str) -> None:
    env = _production_env(tmp_path)
    (Path(env["SECRETS_DIR"]) / name).unlink()
    env.pop(name, None)
    proc = _check_deploy(env)
    assert proc.returncode != 0, _report(proc)
    assert f"{name} (or {name}_FILE) is required in production" in proc.stderr, _report(proc)


def test_check_deploy_refuses_development_keys(tmp_path: Path) -> None:
    for name in ("AUDIT_MAC_KEY", "PII_INDEX_KEY"):
        keys.read(name, production=False, base_dir=tmp_path)  # generates var/keys/NAME
    env = _production_env(tmp_path)
    for name in ("AUDIT_MAC_KEY", "PII_INDEX_KEY"):
        env[f"{name}_FILE"] = str(tmp_path / "var" / "keys" / name)
    proc = _check_deploy(env)
    assert proc.returncode != 0, _report(proc)
    assert "portal.E001" in proc.stderr and "AUDIT_MAC_KEY is a development key" in proc.stderr
    assert "PII_INDEX_KEY is a development key" in proc.stderr, _report(proc)
