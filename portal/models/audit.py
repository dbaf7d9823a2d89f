"""Tables of the audit trail (portal.audit): append-only entries, one MAC chain per partition.

Each entry carries the HMAC-SHA256 of the previous entry's MAC and its own canonical form under
the audit MAC key named by ``key_id`` (docs/decisions/0019-audit-keys-and-checkpoints.md). On
PostgreSQL triggers refuse UPDATE, DELETE and TRUNCATE of entries, DELETE and TRUNCATE of chain
heads, and any change of a head other than growing (migrations 0004 and 0013).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64


class Audience(models.TextChoices):
    AUTHORITY = "authority", _("Authorities only")
    AGENCY = "agency", _("Authorities and the agency concerned")


class AuditChain(models.Model):
    """The head of one partition's chain, locked while an entry is appended to it.

    ``last_hash`` is the MAC of the partition's last entry. A trigger lets a head only grow:
    ``last_seq`` never goes back, the partition never changes, a head is never deleted.
    """

    partition = models.CharField(_("partition"), max_length=40, unique=True)
    last_seq = models.BigIntegerField(_("last sequence"), default=0)
    last_hash = models.CharField(_("last hash"), max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = _("audit chain")
        verbose_name_plural = _("audit chains")

    def __str__(self) -> str:
        return f"{self.partition} #{self.last_seq}"


class AuditEntry(models.Model):
    """One audited action. Never updated or deleted (a PostgreSQL trigger refuses both)."""

    partition = models.CharField(_("partition"), max_length=40)
    seq = models.BigIntegerField(_("sequence"))
    created_at = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    actor_label = models.CharField(_("actor label"), max_length=80)
    actor_role = models.CharField(_("actor role"), max_length=120, blank=True)
    action = models.CharField(_("action"), max_length=100, db_index=True)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    object_list = models.JSONField(_("objects of a bulk action"), default=list, blank=True)
    agency = models.ForeignKey(
        "portal.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agency"),
    )
    province = models.CharField(_("province"), max_length=6, blank=True, db_index=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    # Text, not inet: the hash covers the address exactly as recorded.
    ip = models.CharField(_("IP address"), max_length=45, null=True, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    audience = models.CharField(
        _("audience"), max_length=10, choices=Audience.choices, default=Audience.AUTHORITY
    )
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    # HMAC-SHA256 (hex) under the key ``key_id`` names (portal.keys: the first 8 hex digits of
    # the key's SHA-256), so keys rotate: old entries verify with the key they were made with.
    hash = models.CharField(_("hash"), max_length=64)
    key_id = models.CharField(_("MAC key id"), max_length=16, default="", blank=True)

    tenant_path = "agency"
    province_path = "province"

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        constraints = [
            models.UniqueConstraint(fields=["partition", "seq"], name="audit_seq_unique"),
        ]
        indexes = [
            models.Index(fields=["agency", "-created_at"], name="audit_agency_time"),
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
        ]

    def __str__(self) -> str:
        return f"{self.partition}#{self.seq} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("audit entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("audit entries are append-only")
