"""portal.keys: secrets read once, development keys marked, rotation lists parsed."""

from __future__ import annotations

import base64
import os

import pytest
from django.core.exceptions import ImproperlyConfigured

from portal import keys


def test_development_key_is_generated_once_and_marked(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("AUDIT_MAC_KEY", raising=False)
    monkeypatch.delenv("SECRETS_DIR", raising=False)
    monkeypatch.setenv("PORTAL_DEV_KEY_DIR", str(tmp_path / "keys"))
    first = keys.read("AUDIT_MAC_KEY", production=False, base_dir=tmp_path)
    again = keys.read("AUDIT_MAC_KEY", production=False, base_dir=tmp_path)
    assert first == again
    assert keys.is_development(first)
    assert oct(os.stat(tmp_path / "keys" / "AUDIT_MAC_KEY").st_mode & 0o777) == "0o600"
    assert len(next(iter(keys.symmetric_keys(first, "AUDIT_MAC_KEY").values()))) == 32


def test_production_requires_the_secret(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("PII_INDEX_KEY", raising=False)
    monkeypatch.delenv("SECRETS_DIR", raising=False)
    with pytest.raises(ImproperlyConfigured, match="PII_INDEX_KEY"):
        keys.read("PII_INDEX_KEY", production=True, base_dir=tmp_path)


def test_sources_in_order_file_then_env_then_secrets_dir(tmp_path, monkeypatch) -> None:
    (tmp_path / "PII_INDEX_KEY").write_text("from-dir\n")
    (tmp_path / "file").write_text("from-file\n")
    monkeypatch.setenv("SECRETS_DIR", str(tmp_path))
    monkeypatch.delenv("PII_INDEX_KEY", raising=False)
    monkeypatch.delenv("PII_INDEX_KEY_FILE", raising=False)
    assert keys.read("PII_INDEX_KEY", production=True, base_dir=tmp_path) == "from-dir"
    monkeypatch.setenv("PII_INDEX_KEY", "from-env")
    assert keys.read("PII_INDEX_KEY", production=True, base_dir=tmp_path) == "from-env"
    monkeypatch.setenv("PII_INDEX_KEY_FILE", str(tmp_path / "file"))
    assert keys.read("PII_INDEX_KEY", production=True, base_dir=tmp_path) == "from-file"


def test_rotation_list_keeps_the_current_key_first() -> None:
    new, old = os.urandom(32), os.urandom(32)
    parsed = keys.symmetric_keys(f"{new.hex()}, {base64.b64encode(old).decode()}", "K")
    assert list(parsed.values()) == [new, old]
    key_id, current = keys.current_key(parsed)
    assert current == new and key_id == keys.fingerprint(new) and len(key_id) == 8


@pytest.mark.parametrize("value", ["", "abcd", "not hex nor base64!", "00" * 16])
def test_bad_symmetric_keys_are_refused(value: str) -> None:
    with pytest.raises(ImproperlyConfigured):
        keys.symmetric_keys(value, "AUDIT_MAC_KEY")


def test_production_keys_are_unmarked_and_never_overwritten(tmp_path) -> None:
    written = keys.write_production_keys(tmp_path)
    assert set(written) == {s.name for s in keys.SECRETS if s.kind != "directory"}
    before = {name: (tmp_path / name).read_text() for name in written}
    assert not any(keys.is_development(v) for v in before.values())
    assert keys.write_production_keys(tmp_path) == []
    assert before == {name: (tmp_path / name).read_text() for name in written}
    key = keys.private_key(before["AUDIT_CHECKPOINT_KEY"], "AUDIT_CHECKPOINT_KEY")
    assert len(key.public_key().public_bytes_raw()) == 32
    with pytest.raises(ImproperlyConfigured, match="PEM"):
        keys.private_key("garbage", "CERT_SIGNING_KEY")


def test_settings_hold_parsed_keys(settings) -> None:
    key_id, key = keys.current_key(settings.AUDIT_MAC_KEYS)
    assert len(key) >= 32 and len(key_id) == 8
    assert settings.AUDIT_CHECKPOINT_DIR.is_dir()
