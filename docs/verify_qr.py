"""Verify the QR code printed on a skill-level certificate, offline.

Needs only Python 3.10+ and ``cryptography``. Usage::

    python verify_qr.py PUBLIC_KEY.pem 'https://…/c/<token>/<sig>/'

PUBLIC_KEY.pem is the portal's published certificate key (Ed25519, PEM). Prints the
signed facts and ``VERIFIED``, or ``NOT VERIFIED`` and why; exit status 0 or 1.
"""

import base64
import sys
from urllib.parse import urlsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.serialization import load_pem_public_key


def verify(url: str, public_key) -> tuple[bool, dict | str]:
    parts = [p for p in urlsplit(url.strip()).path.split("/") if p]
    if len(parts) < 3 or parts[-3] != "c":
        return False, "the address has no signature segment"
    sig = parts[-1]
    try:
        raw = base64.urlsafe_b64decode(sig + "=" * (-len(sig) % 4))
    except ValueError:
        return False, "the signature segment is not base64url"
    if len(raw) <= 65 or raw[0] != 1:
        return False, "unknown signature version"
    signature, payload = raw[1:65], raw[65:]
    try:
        public_key.verify(signature, payload)
    except InvalidSignature:
        return False, "the signature does not match the facts"
    number, level, occupation, issued = payload.decode("ascii").split("|")
    return True, {
        "number": number,
        "level": level,
        "occupation_code": occupation,
        "issued_on": f"{issued[:4]}-{issued[4:6]}-{issued[6:]}",
    }


def main(argv: list[str]) -> int:
    with open(argv[1], "rb") as fh:
        key = load_pem_public_key(fh.read())
    ok, found = verify(argv[2], key)
    if ok:
        for name, value in found.items():
            print(f"{name}: {value}")
        print("VERIFIED: compare these facts with the paper")
        return 0
    print(f"NOT VERIFIED: {found}")
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
