"""Deployment checks: the compose file lints, production settings pass ``check --deploy``.

No database and no Docker engine: compose is only linted (``docker-compose config``), and the
settings are exercised through ``manage.py check`` in a subprocess, so that each case imports
the settings afresh under its own environment.
"""

from __future__ import annotations

import json
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


COMPOSE_SECRETS = (
    "POSTGRES_PASSWORD",
    "POSTGRES_OWNER_PASSWORD",
    "POSTGRES_APP_PASSWORD",
    "SECRET_KEY",
)
DJANGO_SERVICES = ("migrate", "web", "worker", "beat")


def _compose_env() -> dict[str, str]:
    return {**os.environ, **{name: secrets.token_urlsafe(24) for name in COMPOSE_SECRETS}}


@pytest.mark.skipif(shutil.which("docker-compose") is None, reason="docker-compose not installed")
def test_compose_file_is_valid() -> None:
    env = _compose_env()
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


@pytest.mark.skipif(shutil.which("docker-compose") is None, reason="docker-compose not installed")
@pytest.mark.parametrize("name", COMPOSE_SECRETS)
def test_compose_file_requires_each_password(name: str) -> None:
    env = _compose_env()
    del env[name]
    proc = _run(["docker-compose", "-f", "docker-compose.yml", "config", "-q"], env)
    assert proc.returncode != 0 and name in proc.stderr, _report(proc)


def _parse_yaml(text: str) -> dict:
    """With the YAML parser docker-compose itself runs on (PyYAML is not a dependency here)."""
    launcher = Path(shutil.which("docker-compose")).read_text(errors="replace").splitlines()[0]
    python = launcher[2:].strip() if launcher.startswith("#!") else sys.executable
    code = "import json, sys, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)"
    proc = subprocess.run(
        [*python.split(), "-c", code],
        input=text,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(proc.stdout)


@pytest.mark.skipif(shutil.which("docker-compose") is None, reason="docker-compose not installed")
def test_compose_runs_the_portal_as_the_app_role_and_migrates_as_the_owner() -> None:
    """Two roles (docs/decisions/0020): the app role everywhere, the owner for migrate only;
    the init script creates both; keys from ./secrets; checkpoints on a volume of their own."""
    env = _compose_env()
    proc = _run(["docker-compose", "-f", "docker-compose.yml", "config"], env)
    assert proc.returncode == 0, _report(proc)
    services = _parse_yaml(proc.stdout)["services"]
    app, owner = env["POSTGRES_APP_PASSWORD"], env["POSTGRES_OWNER_PASSWORD"]
    for name in DJANGO_SERVICES:
        service_env = services[name]["environment"]
        assert service_env["DATABASE_URL"].startswith(f"postgres://portal_app:{app}@"), name
        assert service_env["DATABASE_APP_ROLE"] == "portal_app"
        assert service_env["SECRETS_DIR"] == "/run/secrets/portal"
        assert any(v.endswith(":/run/secrets/portal:ro") for v in services[name]["volumes"])
        assert ("DATABASE_OWNER_URL" in service_env) == (name == "migrate"), name
    assert services["migrate"]["environment"]["DATABASE_OWNER_URL"].startswith(
        f"postgres://portal_owner:{owner}@"
    )
    for name in ("web", "worker"):
        assert "audit-checkpoints:/data/audit-checkpoints:rw" in services[name]["volumes"]
    postgres = services["postgres"]
    assert any(v.endswith(":/docker-entrypoint-initdb.d:ro") for v in postgres["volumes"]), (
        postgres["volumes"]
    )
    assert postgres["environment"]["POSTGRES_APP_PASSWORD"] == app
    assert postgres["environment"]["POSTGRES_OWNER_PASSWORD"] == owner
    script = (ROOT / "docker" / "postgres" / "10-roles.sh").read_text(encoding="utf-8")
    assert os.access(ROOT / "docker" / "postgres" / "10-roles.sh", os.X_OK)
    for needed in ("POSTGRES_OWNER_PASSWORD", "POSTGRES_APP_PASSWORD", "NOSUPERUSER"):
        assert needed in script
    assert "ALTER DATABASE" in script and "OWNER TO" in script
    lint = _run(["sh", "-n", str(ROOT / "docker" / "postgres" / "10-roles.sh")], env)
    assert lint.returncode == 0, _report(lint)


def test_the_secrets_directory_is_never_committed_or_built() -> None:
    assert "/secrets/" in (ROOT / ".gitignore").read_text(encoding="utf-8").split()
    assert "secrets" in (ROOT / ".dockerignore").read_text(encoding="utf-8").split()


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
