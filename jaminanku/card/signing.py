"""Card tokens: a compact payload signed with Ed25519, small enough for a QR code and checkable offline with
the published public key.

Layout (bytes): version (1) | KPJ as an integer (5) | issue date as days since 2000-01-01 (2) | signature (64),
encoded base64url without padding: 96 characters. The token names the membership, never the NIK or a balance;
whoever verifies it online also learns the membership's status now.
"""

from __future__ import annotations

import base64
import binascii
import os
import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

VERSION = 1
EPOCH = date(2000, 1, 1)
PAYLOAD_LENGTH = 8
SIGNATURE_LENGTH = 64


class InvalidToken(ValueError):
    """The token is malformed, altered, or signed with another key."""


@dataclass(frozen=True)
class CardClaim:
    kpj: str
    issued_on: date


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    if not text or len(text) > 200 or not all(c.isalnum() or c in "-_" for c in text):
        raise InvalidToken("not base64url")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise InvalidToken("not base64url") from exc


def encode_payload(claim: CardClaim) -> bytes:
    days = (claim.issued_on - EPOCH).days
    if not claim.kpj.isdigit() or len(claim.kpj) != 11 or not 0 <= days < 2**16:
        raise ValueError("cannot encode this card")
    return bytes([VERSION]) + int(claim.kpj).to_bytes(5, "big") + days.to_bytes(2, "big")


def decode_payload(payload: bytes) -> CardClaim:
    if len(payload) != PAYLOAD_LENGTH or payload[0] != VERSION:
        raise InvalidToken("unknown token version")
    kpj = int.from_bytes(payload[1:6], "big")
    if kpj >= 10**11:
        raise InvalidToken("bad KPJ")
    return CardClaim(kpj=f"{kpj:011d}", issued_on=EPOCH + timedelta(days=int.from_bytes(payload[6:8], "big")))


def sign_card(claim: CardClaim, key: Ed25519PrivateKey | None = None) -> str:
    key = key or signing_key()
    payload = encode_payload(claim)
    return _b64(payload + key.sign(payload))


def verify_card(token: str, public_key: Ed25519PublicKey | None = None) -> CardClaim:
    raw = _unb64(token)
    if len(raw) != PAYLOAD_LENGTH + SIGNATURE_LENGTH:
        raise InvalidToken("wrong length")
    payload, signature = raw[:PAYLOAD_LENGTH], raw[PAYLOAD_LENGTH:]
    try:
        (public_key or signing_key().public_key()).verify(signature, payload)
    except InvalidSignature as exc:
        raise InvalidToken("bad signature") from exc
    return decode_payload(payload)


def generate_private_key_pem() -> bytes:
    return Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def public_key_pem(key: Ed25519PrivateKey | None = None) -> bytes:
    return (
        (key or signing_key())
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )


def load_private_key(pem: bytes) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm) as exc:  # not PEM, encrypted, or an unknown kind
        raise ImproperlyConfigured(f"The card signing key cannot be read: {exc}") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise ImproperlyConfigured("CARD_SIGNING_KEY is not an Ed25519 private key")
    return key


def write_new_key_file(key_file: Path) -> bool:
    """Writes a new private key to `key_file` unless one is already there; True if this call wrote it.

    The key is written to a private temporary file and linked into place, so two processes starting at once
    (the server's workers) end up with the same complete key, never a half-written one."""
    key_file.parent.mkdir(parents=True, exist_ok=True)
    draft = key_file.with_name(f".{key_file.name}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as out:
            out.write(generate_private_key_pem())
        os.link(draft, key_file)
    except FileExistsError:
        return False
    finally:
        draft.unlink()
    return True


@lru_cache(maxsize=4)
def _key_from(pem_text: str, path: str, *, create_missing: bool) -> Ed25519PrivateKey:
    if pem_text:
        return load_private_key(pem_text.replace("\\n", "\n").encode())
    key_file = Path(path)
    if not key_file.exists():
        if not create_missing:
            raise ImproperlyConfigured(
                f"No card signing key: set CARD_SIGNING_KEY, or put the key at CARD_SIGNING_KEY_FILE ({key_file}); "
                "`manage.py make_card_key` makes one."
            )
        write_new_key_file(key_file)
    return load_private_key(key_file.read_bytes())


def signing_key() -> Ed25519PrivateKey:
    """The key from settings: CARD_SIGNING_KEY (PEM text) or the file CARD_SIGNING_KEY_FILE.

    Outside production a missing file is made on first use, once, as settings.py makes var/secret_key: `make run`
    and the tests then sign cards with a key of their own under var/. Production never makes one (each server
    would sign with a different key); `manage.py check --deploy` reports it missing (jaminanku/card/checks.py)."""
    return _key_from(
        settings.CARD_SIGNING_KEY, str(settings.CARD_SIGNING_KEY_FILE), create_missing=not settings.PRODUCTION
    )
