"""/healthz/: database, Redis and migrations, 200 when healthy and 503 otherwise."""

from __future__ import annotations

import pytest
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db


def test_healthy_portal_answers_200_with_each_check(client, settings):
    response = client.get("/healthz/")
    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["status"] == "ok"
    assert data["checks"]["database"]["ok"] is True
    assert data["checks"]["migrations"] == {"ok": True, "unapplied": 0}
    assert data["checks"]["redis"]["ok"] is True
    assert response.headers["Cache-Control"].startswith("max-age=0")


def test_an_unreachable_redis_makes_it_503(client, settings, monkeypatch):
    from django.core.cache.backends.redis import RedisCache

    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    monkeypatch.setattr("portal.ui.views.cache", RedisCache("redis://127.0.0.1:1/0", {}))
    response = client.get("/healthz/")
    assert response.status_code == 503
    assert response.json()["checks"]["redis"]["ok"] is False


def test_unapplied_migrations_make_it_503(client, monkeypatch):
    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [("x", False)])
    response = client.get("/healthz/")
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == {"ok": False, "unapplied": 1}
