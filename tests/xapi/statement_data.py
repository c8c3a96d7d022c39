"""Statements, attachments and signed statements for the Statements resource's tests."""

from __future__ import annotations

import base64
import hashlib
import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from joserfc import jws
from joserfc.jwk import OctKey, RSAKey

SIGNATURE = "http://adlnet.gov/expapi/attachments/signature"
ACTIVITY = "http://example.com/activities/meeting"
VERB = "http://adlnet.gov/expapi/verbs/attended"


def new_id() -> str:
    return str(uuid.uuid4())


def agent(name: str = "ana") -> dict[str, Any]:
    return {"objectType": "Agent", "name": name, "mbox": f"mailto:{name}@example.com"}


def statement(**parts: Any) -> dict[str, Any]:
    """A valid statement; ``parts`` replace or add top-level properties."""
    data: dict[str, Any] = {
        "id": new_id(),
        "actor": agent(),
        "verb": {"id": VERB, "display": {"en-GB": "attended", "en-US": "attended"}},
        "object": {
            "objectType": "Activity",
            "id": ACTIVITY,
            "definition": {
                "name": {"en-GB": "example meeting", "en-US": "example meeting"},
                "type": "http://adlnet.gov/expapi/activities/meeting",
            },
        },
    }
    data.update(parts)
    return data


def attachment(content: bytes, **extra: Any) -> dict[str, Any]:
    return {
        "usageType": "http://example.com/attachment-usage/test",
        "display": {"en-US": "A test attachment"},
        "contentType": "text/plain",
        "length": len(content),
        "sha2": hashlib.sha256(content).hexdigest(),
        **extra,
    }


def multipart(
    document: Any,
    parts: list[tuple[bytes, dict[str, str]]],
    *,
    boundary: str = "xapi-test-boundary",
    first_type: str = "application/json",
) -> tuple[bytes, str]:
    """A ``multipart/mixed`` body: the JSON part, then each content with its headers."""
    chunks = [
        f"--{boundary}\r\nContent-Type: {first_type}\r\n\r\n".encode(),
        json.dumps(document).encode(),
        b"\r\n",
    ]
    for content, headers in parts:
        head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        chunks += [f"--{boundary}\r\n{head}\r\n".encode(), content, b"\r\n"]
    chunks.append(f"--{boundary}--\r\n".encode())
    return b"".join(chunks), f"multipart/mixed; boundary={boundary}"


def part_headers(content: bytes, content_type: str = "text/plain") -> dict[str, str]:
    return {
        "Content-Type": content_type,
        "Content-Transfer-Encoding": "binary",
        "X-Experience-API-Hash": hashlib.sha256(content).hexdigest(),
    }


def signing_key() -> tuple[rsa.RSAPrivateKey, str]:
    """A fresh RSA key and a self-signed certificate for it (base64 DER, as in ``x5c``)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "xAPI test signer")])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    der = certificate.public_bytes(serialization.Encoding.DER)
    return key, base64.b64encode(der).decode()


def signed(
    data: dict[str, Any],
    *,
    algorithm: str = "RS256",
    key: rsa.RSAPrivateKey | None = None,
    x5c: str | None = None,
    payload: dict[str, Any] | bytes | None = None,
    content_type: str = "application/octet-stream",
) -> tuple[bytes, str]:
    """A signed statement as the multipart body of a request (``payload``, JSON or raw bytes,
    defaults to the statement itself)."""
    header: dict[str, Any] = {"alg": algorithm}
    if x5c:
        header["x5c"] = [x5c]
    signing = (
        OctKey.import_key(b"a-shared-secret-of-32-bytes-long")
        if algorithm[0] == "H"
        else (
            RSAKey.import_key(key or rsa.generate_private_key(public_exponent=65537, key_size=2048))
        )
    )
    content = payload if isinstance(payload, bytes) else json.dumps(payload or data)
    token = jws.serialize_compact(header, content, signing, algorithms=[algorithm]).encode()
    signed_data = {
        **data,
        "attachments": [
            {
                "usageType": SIGNATURE,
                "display": {"en-US": "Signature"},
                "contentType": content_type,
                "length": len(token),
                "sha2": hashlib.sha256(token).hexdigest(),
            }
        ],
    }
    return multipart(signed_data, [(token, part_headers(token, "application/octet-stream"))])
