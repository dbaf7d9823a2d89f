"""Demo data of the verifiable credentials (decision 0044): every demo certificate gets its
signed credential, and one old certificate is signed by a **retired** key, which stays
published (``var/keys/CERT_SIGNING_RETIRED_KEYS``, read outside production only) so that the
certificate still verifies after the rotation. Idempotent.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from certificates import keys, vc
from certificates.models import Certificate
from portal import keys as portal_keys

RETIRED_PRIVATE_FILE = "CERT_SIGNING_RETIRED_DEMO_KEY"


def retired_demo_key():
    """The demo's retired key (private, kept under var/keys only so the demo can sign the old
    certificate once), its public key listed as retired. Never outside development."""
    from cryptography.hazmat.primitives.asymmetric import ed25519

    if settings.PRODUCTION:
        raise RuntimeError("the demo's retired key is for development only")
    directory = portal_keys.key_dir(settings.BASE_DIR)
    path = directory / RETIRED_PRIVATE_FILE
    if not path.exists():
        key = ed25519.Ed25519PrivateKey.generate()
        raw = key.private_bytes_raw()
        portal_keys._write_once(path, f"{portal_keys.DEV_MARKER}\n{raw.hex()}\n")
    raw = bytes.fromhex(portal_keys.strip_marker(path.read_text(encoding="utf-8")))
    key = ed25519.Ed25519PrivateKey.from_private_bytes(raw)
    public = keys.multikey(keys.raw_public(key.public_key()))
    listed = directory / keys.RETIRED_DEV_FILE
    text = listed.read_text(encoding="utf-8") if listed.exists() else f"{portal_keys.DEV_MARKER}\n"
    if public not in text:
        listed.write_text(text.rstrip("\n") + f"\n{public}\n", encoding="utf-8")
    return key


def sign_with_retired_key(certificate) -> dict:
    """Sign ``certificate`` as if before the rotation: by the retired demo key, dated a year
    before its issue (or a year ago)."""
    key = retired_demo_key()
    raw = keys.raw_public(key.public_key())
    method = f"{keys.issuer_did()}#key-{keys.key_id(raw)}"
    created = dt.datetime.combine(certificate.issued_on, dt.time(9), tzinfo=dt.UTC)
    signed = vc.add_proof(
        vc.unsigned_credential(certificate), created=created, key=key, method=method
    )
    Certificate.objects.filter(pk=certificate.pk).update(
        credential=signed, credential_signed_at=created
    )
    return signed


def seed(stdout=None) -> None:
    demo = Certificate.objects.filter(agency__is_demo=True)
    oldest = demo.order_by("issued_on", "pk").first()
    if oldest is None:
        return
    proof = (oldest.credential or {}).get("proof", {})
    current, _ = keys.signing_key()
    if oldest.credential is None or proof.get("verificationMethod") == current.method:
        sign_with_retired_key(oldest)
    ids = list(demo.filter(credential__isnull=True).values_list("pk", flat=True))
    signed = vc.sign_many(ids)
    if stdout is not None:
        stdout.write(
            f"certificates: {signed} demo credentials signed; {oldest.number} by a retired key"
        )
