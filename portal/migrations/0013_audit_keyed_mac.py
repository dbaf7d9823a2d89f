"""Audit entries chained with HMAC-SHA256 under AUDIT_MAC_KEY; chain heads that only grow.

Before this migration each entry's hash was the unkeyed SHA-256 of the previous hash and its
canonical form, which anyone with write access could recompute. Each existing chain is first
verified under that old rule; a broken chain stops the migration with nothing changed (re-MACing
it would certify the damage). Then every entry is MACed again under the current key, its key id
stored beside it, and the heads follow. On PostgreSQL triggers then refuse TRUNCATE of entries
and heads, DELETE of heads, and any change of a head but growing
(docs/decisions/0019-audit-keys-and-checkpoints.md). The append-only trigger of 0004 stays.

The canonical form is copied here (frozen), so this migration keeps meaning what it meant.
"""

import datetime as dt
import hashlib
import hmac
import json

from django.db import migrations, models

GENESIS = "0" * 64
FIELDS = (
    "partition", "seq", "created_at", "actor_id", "actor_label", "actor_role", "action",
    "object_type", "object_id", "object_repr", "object_list", "agency_id", "province",
    "changes", "ip", "request_id", "audience",
)  # fmt: skip


def _canonical(entry) -> bytes:
    data = {name: getattr(entry, name) for name in FIELDS}
    data["created_at"] = entry.created_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _sha256(key, prev: str, entry) -> str:
    return hashlib.sha256(prev.encode("ascii") + b"\n" + _canonical(entry)).hexdigest()


def _hmac(key, prev: str, entry) -> str:
    message = prev.encode("ascii") + b"\n" + _canonical(entry)
    return hmac.new(key, message, hashlib.sha256).hexdigest()


class BrokenChain(RuntimeError):
    pass


def _check(AuditEntry, AuditChain, digest, keys) -> None:
    """Raise BrokenChain naming the first break of any chain under the rule ``digest``."""
    for head in AuditChain.objects.order_by("partition"):
        prev, expected = GENESIS, 1
        for entry in AuditEntry.objects.filter(partition=head.partition).order_by("seq").iterator(2000):
            key = keys.get(entry.key_id) if keys is not None else None
            if entry.seq != expected:
                reason = f"expected sequence {expected}"
            elif entry.prev_hash != prev:
                reason = "link to previous broken"
            elif keys is not None and key is None:
                reason = f"MAC key {entry.key_id!r} is not configured"
            elif digest(key, prev, entry) != entry.hash:
                reason = "content altered"
            else:
                prev, expected = entry.hash, expected + 1
                continue
            raise BrokenChain(f"{head.partition}: entry {entry.pk} (seq {entry.seq}): {reason}")
        if head.last_seq != expected - 1 or head.last_hash != prev:
            raise BrokenChain(f"{head.partition}: chain head: entries missing at the end")
    orphan = (
        AuditEntry.objects.exclude(partition__in=AuditChain.objects.values("partition"))
        .values_list("partition", flat=True)
        .first()
    )
    if orphan is not None:
        raise BrokenChain(f"{orphan}: entries without a chain head")


def _rechain(AuditEntry, AuditChain, digest, key, key_id: str) -> None:
    for head in AuditChain.objects.order_by("partition"):
        prev, batch = GENESIS, []
        for entry in AuditEntry.objects.filter(partition=head.partition).order_by("seq").iterator(2000):
            entry.prev_hash, entry.key_id = prev, key_id
            entry.hash = prev = digest(key, prev, entry)
            batch.append(entry)
            if len(batch) >= 1000:
                AuditEntry.objects.bulk_update(batch, ["prev_hash", "hash", "key_id"])
                batch = []
        if batch:
            AuditEntry.objects.bulk_update(batch, ["prev_hash", "hash", "key_id"])
        AuditChain.objects.filter(pk=head.pk).update(last_hash=prev)


def _sql(schema_editor, sql: str) -> None:
    # A plain cursor call without parameters: the '%' of RAISE is not a placeholder.
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(sql)


# While the chains are MACed again: the append-only trigger (and, when this runs again over a
# database that has them, the head triggers) are off, in this migration's transaction only.
APPEND_ONLY_OFF = (
    "ALTER TABLE portal_auditentry DISABLE TRIGGER USER; "
    "ALTER TABLE portal_auditchain DISABLE TRIGGER USER"
)
APPEND_ONLY_ON = (
    "ALTER TABLE portal_auditentry ENABLE TRIGGER USER; "
    "ALTER TABLE portal_auditchain ENABLE TRIGGER USER"
)

TRIGGERS = """
CREATE OR REPLACE FUNCTION portal_audit_no_truncate() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is never truncated (% on %)', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS portal_auditentry_no_truncate ON portal_auditentry;
CREATE TRIGGER portal_auditentry_no_truncate
    BEFORE TRUNCATE ON portal_auditentry
    FOR EACH STATEMENT EXECUTE FUNCTION portal_audit_no_truncate();
DROP TRIGGER IF EXISTS portal_auditchain_no_truncate ON portal_auditchain;
CREATE TRIGGER portal_auditchain_no_truncate
    BEFORE TRUNCATE ON portal_auditchain
    FOR EACH STATEMENT EXECUTE FUNCTION portal_audit_no_truncate();

CREATE OR REPLACE FUNCTION portal_audit_head_only_grows() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'audit chain heads are never deleted (%)', OLD.partition
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF TG_OP = 'INSERT' THEN
        IF NEW.last_seq <> 0 OR NEW.last_hash <> repeat('0', 64) THEN
            RAISE EXCEPTION 'an audit chain head starts empty (%)', NEW.partition
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
    END IF;
    IF NEW.partition <> OLD.partition OR NEW.id <> OLD.id THEN
        RAISE EXCEPTION 'an audit chain head keeps its partition (%)', OLD.partition
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NEW.last_seq < OLD.last_seq
        OR (NEW.last_seq = OLD.last_seq AND NEW.last_hash <> OLD.last_hash) THEN
        RAISE EXCEPTION 'audit chain heads only grow (% from % to % refused)',
            OLD.partition, OLD.last_seq, NEW.last_seq
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS portal_auditchain_only_grows ON portal_auditchain;
CREATE TRIGGER portal_auditchain_only_grows
    BEFORE INSERT OR UPDATE OR DELETE ON portal_auditchain
    FOR EACH ROW EXECUTE FUNCTION portal_audit_head_only_grows();
"""
DROP_TRIGGERS = """
DROP TRIGGER IF EXISTS portal_auditchain_only_grows ON portal_auditchain;
DROP TRIGGER IF EXISTS portal_auditchain_no_truncate ON portal_auditchain;
DROP TRIGGER IF EXISTS portal_auditentry_no_truncate ON portal_auditentry;
DROP FUNCTION IF EXISTS portal_audit_head_only_grows();
DROP FUNCTION IF EXISTS portal_audit_no_truncate();
"""


def forwards(apps, schema_editor):
    from django.conf import settings

    AuditEntry = apps.get_model("portal", "AuditEntry")
    AuditChain = apps.get_model("portal", "AuditChain")
    try:
        _check(AuditEntry, AuditChain, _sha256, None)
    except BrokenChain as exc:
        raise RuntimeError(
            f"The audit trail is broken under its old SHA-256 chain ({exc}). Migration "
            "0013_audit_keyed_mac refuses to MAC a broken chain again, since that would "
            "certify the damage; nothing was changed. Find out what happened to that entry "
            "(manage.py verify_audit names every break), restore the audit tables from a "
            "backup taken before it, then migrate again."
        ) from exc
    key_id = next(iter(settings.AUDIT_MAC_KEYS))
    _sql(schema_editor, APPEND_ONLY_OFF)
    _rechain(AuditEntry, AuditChain, _hmac, settings.AUDIT_MAC_KEYS[key_id], key_id)
    _sql(schema_editor, APPEND_ONLY_ON)
    _sql(schema_editor, TRIGGERS)


def backwards(apps, schema_editor):
    from django.conf import settings

    AuditEntry = apps.get_model("portal", "AuditEntry")
    AuditChain = apps.get_model("portal", "AuditChain")
    try:
        _check(AuditEntry, AuditChain, _hmac, settings.AUDIT_MAC_KEYS)
    except BrokenChain as exc:
        raise RuntimeError(
            f"The audit trail is broken ({exc}); refusing to hash it again without a key."
        ) from exc
    _sql(schema_editor, DROP_TRIGGERS)
    _sql(schema_editor, APPEND_ONLY_OFF)
    _rechain(AuditEntry, AuditChain, _sha256, None, "")
    _sql(schema_editor, APPEND_ONLY_ON)


class Migration(migrations.Migration):
    dependencies = [("portal", "0012_authorities")]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="key_id",
            field=models.CharField(blank=True, default="", max_length=16, verbose_name="MAC key id"),
        ),
        migrations.RunPython(forwards, backwards),
    ]
