"""The issuer's Ed25519 key and its ``did:key``.

The key comes from ``PORTAL_CREDENTIAL_KEY``: a Multikey ``secretKeyMultibase`` — base58btc
(``z…``) of the multicodec ``ed25519-priv`` prefix (0x1300, varint ``80 26``) and the 32-byte
seed, the form the W3C test vectors use (``z3u2…``). ``python -m courses.credentials.keys``
prints a new one. Outside production an unset key is derived from ``SECRET_KEY`` (HKDF), so
development credentials verify across restarts; production refuses to start without one
(portal/config.py), since rotating the secret key must not change the issuer.

The issuer is ``did:key:z6Mk…``: base58btc of ``ed01`` (multicodec ``ed25519-pub``) and the
public key; its verification method is ``did:key:z6Mk…#z6Mk…``.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from functools import lru_cache

import base58
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

logger = logging.getLogger(__name__)

PRIVATE_PREFIX = b"\x80\x26"  # multicodec ed25519-priv (0x1300) as an unsigned varint
PUBLIC_PREFIX = b"\xed\x01"  # multicodec ed25519-pub (0xed)
_HKDF_INFO = b"lifelong-learning-portal credential issuer key v1"


def b58encode(data: bytes) -> str:
    """Bitcoin base58 (the ``z`` of multibase), leading zero bytes kept as ``1``."""
    return base58.b58encode(data).decode("ascii")


def b58decode(text: str) -> bytes:
    """Inverse of :func:`b58encode`; ValueError on a character outside the alphabet."""
    return base58.b58decode(text.encode("ascii") if text.isascii() else b"0")


def parse_secret_key(raw: str) -> bytes:
    """The 32-byte seed in a ``secretKeyMultibase``; ValueError naming what is wrong."""
    text = raw.strip()
    if not text.startswith("z"):
        raise ValueError("expected a base58btc multibase key starting with 'z'")
    data = b58decode(text[1:])
    if len(data) != 34 or not data.startswith(PRIVATE_PREFIX):
        raise ValueError("expected an Ed25519 secretKeyMultibase (z3u2…, 32-byte seed)")
    return data[2:]


def encode_secret_key(seed: bytes) -> str:
    """The ``secretKeyMultibase`` of a 32-byte seed."""
    return "z" + b58encode(PRIVATE_PREFIX + seed)


def public_multibase(public: Ed25519PublicKey) -> str:
    """``z6Mk…``: the Multikey ``publicKeyMultibase`` of ``public``."""
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "z" + b58encode(PUBLIC_PREFIX + raw)


def public_key_of(multibase: str) -> Ed25519PublicKey:
    """The Ed25519 public key of a ``z6Mk…`` multibase (or of a ``did:key`` naming one)."""
    value = multibase.removeprefix("did:key:").split("#")[0]
    data = b58decode(value[1:]) if value.startswith("z") else b""
    if len(data) != 34 or not data.startswith(PUBLIC_PREFIX):
        raise ValueError("not an Ed25519 did:key")
    return Ed25519PublicKey.from_public_bytes(data[2:])


@dataclass(frozen=True)
class Issuer:
    """The signing key with the identifiers credentials name it by."""

    private_key: Ed25519PrivateKey
    did: str  # did:key:z6Mk…
    verification_method: str  # did:key:z6Mk…#z6Mk…


def issuer_from_seed(seed: bytes) -> Issuer:
    private = Ed25519PrivateKey.from_private_bytes(seed)
    fingerprint = public_multibase(private.public_key())
    did = f"did:key:{fingerprint}"
    return Issuer(private, did, f"{did}#{fingerprint}")


def development_seed(secret_key: str) -> bytes:
    """A stable seed derived from ``SECRET_KEY``, for development only."""
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_HKDF_INFO)
    return hkdf.derive(secret_key.encode())


@lru_cache(maxsize=8)
def _issuer(configured: str | None, secret_key: str) -> Issuer:
    if configured:
        return issuer_from_seed(parse_secret_key(configured))
    issuer = issuer_from_seed(development_seed(secret_key))
    logger.warning(
        "PORTAL_CREDENTIAL_KEY is not set: digital credentials are signed with a development "
        "key derived from the secret key (%s); set it before issuing real credentials",
        issuer.did,
    )
    return issuer


def current_issuer() -> Issuer:
    """The app's issuer: the configured key, else the development key."""
    config = current_app.config
    return _issuer(config.get("PORTAL_CREDENTIAL_KEY"), str(config["SECRET_KEY"]))


def main() -> None:
    """Print a new random key for ``PORTAL_CREDENTIAL_KEY`` and the DID it gives."""
    seed = secrets.token_bytes(32)
    print(f"PORTAL_CREDENTIAL_KEY={encode_secret_key(seed)}")
    print(f"# issuer: {issuer_from_seed(seed).did}")


if __name__ == "__main__":
    main()
