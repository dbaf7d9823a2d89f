"""Personal ID numbers, stored once for the whole portal (decision 0031).

An ID number (resident ID and the other ID types of ``IdType``) is never stored in clear:

* ``EncryptedIdField`` keeps it encrypted with AES-GCM under ``PII_ENCRYPTION_KEYS`` (the
  current key first); each stored value names its key (``pii1:<key id>:<nonce+ciphertext>``)
  so an old key keeps decrypting until ``manage.py rotate_pii_keys`` re-encrypted its rows;
* beside it, the field fills a **blind index** column: HMAC-SHA256 under ``PII_INDEX_KEYS``
  of the ID type and the normalised number (``<key id>:<hex>``), the only way to find a
  person by number (``index_candidates`` gives the values to look up under every key);
* pages show ``mask_id`` (first 3 and last 4 of a resident ID), logs and audit entries
  never hold a number (``portal.logfilters`` and ``portal.audit`` redact any that slips in).

Gender and birth date come from a resident ID (``derive``), never typed twice.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.db import models

from portal import codes

PREFIX = "pii1"
_AAD = b"portal.pii.id_number"
RESIDENT_ID = "resident_id"


class PiiError(ValueError):
    """A stored value that cannot be decrypted (unknown key, altered bytes)."""


def normalise(id_type: str, number: str) -> str:
    """The form that is encrypted and indexed: no spaces, capitals (``x`` -> ``X``)."""
    return codes.normalize_code(number or "").upper()


def _keys(name: str) -> dict[str, bytes]:
    return getattr(settings, name)


def _aes_key(raw: bytes) -> bytes:
    return raw[:32]  # a key of the portal holds at least 32 random bytes


def encrypt(plain: str) -> str:
    """``plain`` encrypted under the current key, as stored text."""
    key_id, key = next(iter(_keys("PII_ENCRYPTION_KEYS").items()))
    nonce = os.urandom(12)
    sealed = AESGCM(_aes_key(key)).encrypt(nonce, plain.encode(), _AAD)
    return f"{PREFIX}:{key_id}:{base64.b64encode(nonce + sealed).decode()}"


def is_encrypted(stored: str) -> bool:
    return stored.startswith(f"{PREFIX}:")


def key_id_of(stored: str) -> str:
    """The id of the key a stored value was encrypted (or an index value computed) with."""
    parts = stored.split(":")
    return parts[1] if len(parts) == 3 else parts[0]


def decrypt(stored: str) -> str:
    if not stored:
        return ""
    try:
        prefix, key_id, body = stored.split(":")
        if prefix != PREFIX:
            raise ValueError
        key = _keys("PII_ENCRYPTION_KEYS")[key_id]
        blob = base64.b64decode(body, validate=True)
        return AESGCM(_aes_key(key)).decrypt(blob[:12], blob[12:], _AAD).decode()
    except KeyError as exc:
        raise PiiError(f"ID number encrypted under an unknown key {key_id!r}") from exc
    except (ValueError, InvalidTag) as exc:
        raise PiiError("stored ID number is not a readable encrypted value") from exc


def _index_with(key_id: str, key: bytes, id_type: str, number: str) -> str:
    message = f"{id_type}\x1f{normalise(id_type, number)}".encode()
    return f"{key_id}:{hmac.new(key, message, hashlib.sha256).hexdigest()}"


def blind_index(id_type: str, number: str) -> str:
    """The keyed blind index of an ID (current index key); empty for an empty number."""
    if not number:
        return ""
    key_id, key = next(iter(_keys("PII_INDEX_KEYS").items()))
    return _index_with(key_id, key, id_type, number)


def index_candidates(id_type: str, number: str) -> list[str]:
    """The index values of an ID under every configured index key (current first): look up
    with ``filter(<index>__in=...)`` so rows not yet re-indexed are found too."""
    if not number:
        return []
    return [_index_with(k, v, id_type, number) for k, v in _keys("PII_INDEX_KEYS").items()]


def mask_id(number: str, id_type: str = RESIDENT_ID) -> str:
    """What a page or an export shows: ``110***********002X`` (other types: the last 4)."""
    return codes.mask_resident_id(number) if number else ""


@dataclass(frozen=True)
class Derived:
    gender: str  # "M" / "F"
    birth_date: dt.date


def derive(id_type: str, number: str) -> Derived | None:
    """Gender and birth date read from a valid resident ID (None for other ID types)."""
    if id_type != RESIDENT_ID or not number:
        return None
    try:
        parsed = codes.parse_resident_id(number)
    except ValueError:
        return None
    return Derived(parsed.gender, parsed.birth_date)


def validate(id_type: str, number: str) -> None:
    """Raise ``ValidationError`` (Chinese, at the field) when the number is not valid."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    number = normalise(id_type, number)
    if id_type == RESIDENT_ID:
        codes.validate_resident_id(number)
    elif not (5 <= len(number) <= 20 and number.isalnum()):
        raise ValidationError(
            _("Enter the ID number as printed (5 to 20 letters and digits)."), code="invalid"
        )


class EncryptedIdField(models.TextField):
    """An ID number, encrypted at rest; reads give the clear number back in Python.

    ``index_field`` names the model's blind-index column, ``type_field`` its ID-type column:
    on every save the field fills the index from the type and the number (declare the index
    field after this one; a save with ``update_fields`` names both). Lookups other than
    ``isnull`` are refused: ciphertexts differ at each write, so only the index finds rows.
    """

    def __init__(self, *args, index_field: str = "", type_field: str = "", **kwargs):
        self.index_field = index_field
        self.type_field = type_field
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["index_field"] = self.index_field
        kwargs["type_field"] = self.type_field
        kwargs.pop("blank", None)
        return name, path, args, kwargs

    def from_db_value(self, value, expression, connection):
        if value is None:
            return value
        return decrypt(value)

    def to_python(self, value):
        if value and isinstance(value, str) and is_encrypted(value):
            return decrypt(value)
        return value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if not value:
            return value
        return value if is_encrypted(value) else encrypt(value)

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname) or ""
        id_type = getattr(model_instance, self.type_field, RESIDENT_ID) if self.type_field else ""
        if value:
            value = normalise(id_type, value)
            setattr(model_instance, self.attname, value)
        if self.index_field:
            setattr(model_instance, self.index_field, blind_index(id_type, value))
        return value

    def get_lookup(self, lookup_name):
        if lookup_name != "isnull":
            raise TypeError(
                f"{self.name} is encrypted: look people up by {self.index_field or 'the index'}"
            )
        return super().get_lookup(lookup_name)


def encrypted_fields():
    """Every (model, EncryptedIdField) of the installed apps, for key rotation."""
    from django.apps import apps

    return [
        (model, field)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, EncryptedIdField)
    ]


def rotate(*, batch: int = 500) -> dict[str, tuple[int, int]]:
    """Re-encrypt every ID number not under the current encryption key and re-index every
    one not under the current index key. Returns ``{model label: (re-encrypted,
    re-indexed)}``. Idempotent: a second run changes nothing."""
    from django.db import connection, transaction

    enc_id = next(iter(_keys("PII_ENCRYPTION_KEYS")))
    idx_id = next(iter(_keys("PII_INDEX_KEYS")))
    report: dict[str, tuple[int, int]] = {}
    for model, field in encrypted_fields():
        table, pk = model._meta.db_table, model._meta.pk.column
        index = model._meta.get_field(field.index_field).column if field.index_field else None
        id_type = model._meta.get_field(field.type_field).column if field.type_field else None
        cols = ", ".join(c for c in (pk, field.column, index, id_type) if c)
        q = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {cols} FROM {q(table)} WHERE {q(field.column)} <> ''"  # noqa: S608
            )
            rows = cursor.fetchall()
        encrypted = indexed = 0
        with transaction.atomic():
            for row in rows:
                row_pk, stored = row[0], row[1]
                stored_index = row[2] if index else None
                kind = row[-1] if id_type else ""
                updates = {}
                plain = decrypt(stored) if is_encrypted(stored) else stored
                if not is_encrypted(stored) or key_id_of(stored) != enc_id:
                    updates[field.attname] = encrypt(plain)
                    encrypted += 1
                if index and (not stored_index or key_id_of(stored_index) != idx_id):
                    updates[field.index_field] = blind_index(kind, plain)
                    indexed += 1
                if updates:
                    model._base_manager.filter(pk=row_pk).update(**updates)
        report[model._meta.label] = (encrypted, indexed)
        del rows
    return report


def mask_name(name: str) -> str:
    """A name as public pages show it (张*三): the first and the last character kept, every
    character between them starred; a name of two characters keeps its first (张*)."""
    name = (name or "").strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]
