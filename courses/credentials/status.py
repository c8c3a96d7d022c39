"""Revocation as a W3C Bitstring Status List.

Certificate ``id`` n is bit ``n % 131072`` of list ``n // 131072`` (served at
``/credentials/status/<list>``): 131,072 bits, 16 KB, the spec's minimum size, so a list
does not tell how many certificates exist. A bit is 1 when the certificate is revoked. The list
is GZIP-compressed (with a fixed header time) and written as multibase base64url (``u…``);
bit 0 is the most significant bit of the first byte, as the spec says.

The signed list's ``validFrom`` (and proof ``created``) is the last change in its range of
certificates — the latest issue or revocation — so an unchanged list is byte-identical and a
verifier's clock running a little behind never finds it "not yet valid".
"""

from __future__ import annotations

import base64
import gzip
from datetime import datetime
from typing import Any

from flask import current_app, url_for
from sqlalchemy import func, select

from courses.certificates.models import Certificate
from courses.credentials import proofs
from courses.credentials.keys import current_issuer
from portal.extensions import db

LIST_SIZE = 131_072  # bits per list
MAX_LIST = (2**31 - 1) // LIST_SIZE  # certificate ids are 32-bit integers


def list_url(number: int) -> str:
    base = str(current_app.config["PORTAL_BASE_URL"]).rstrip("/")
    return base + url_for("certificates.status_list", number=number)


def status_entry(certificate_id: int) -> dict[str, Any]:
    """The ``credentialStatus`` of certificate ``certificate_id``."""
    number, index = divmod(certificate_id, LIST_SIZE)
    url = list_url(number)
    return {
        "id": f"{url}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": str(index),
        "statusListCredential": url,
    }


def encode_list(indexes: set[int] | list[int]) -> str:
    """The multibase (``u``) base64url GZIP of a list with ``indexes`` set."""
    bits = bytearray(LIST_SIZE // 8)
    for index in indexes:
        bits[index // 8] |= 0x80 >> (index % 8)
    packed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(packed).decode().rstrip("=")


def decode_list(encoded: str) -> bytes:
    """The raw bits of an encoded list (for tests and for people checking by hand)."""
    if not encoded.startswith("u"):
        raise ValueError("expected a multibase base64url ('u') list")
    body = encoded[1:]
    return gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))


def is_set(bits: bytes, index: int) -> bool:
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def _range(number: int) -> tuple[int, int]:
    return number * LIST_SIZE, (number + 1) * LIST_SIZE


def last_change(number: int) -> datetime | None:
    """When list ``number`` last changed (an issue or a revocation), None if it is empty."""
    low, high = _range(number)
    in_range = (Certificate.id >= low, Certificate.id < high)
    issued, revoked = db.session.execute(
        select(func.max(Certificate.issued_at), func.max(Certificate.revoked_at)).where(*in_range)
    ).one()
    return max((moment for moment in (issued, revoked) if moment is not None), default=None)


def revoked_indexes(number: int) -> list[int]:
    low, high = _range(number)
    ids = db.session.scalars(
        select(Certificate.id).where(
            Certificate.id >= low, Certificate.id < high, Certificate.revoked_at.is_not(None)
        )
    )
    return [certificate_id - low for certificate_id in ids]


def status_list_credential(number: int) -> dict[str, Any] | None:
    """The signed ``BitstringStatusListCredential`` of list ``number``, or None when no
    certificate falls in it."""
    if not 0 <= number <= MAX_LIST:
        return None
    changed = last_change(number)
    if changed is None:
        return None
    url = list_url(number)
    issuer = current_issuer()
    document = {
        "@context": [proofs.VC_V2],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer.did,
        "validFrom": proofs.xsd_datetime(changed),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encode_list(revoked_indexes(number)),
        },
    }
    return proofs.sign(document, issuer, changed)
