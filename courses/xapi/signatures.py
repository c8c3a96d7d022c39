"""Signed statements (xAPI 2.0, Data 2.6): a statement carrying an attachment whose
``usageType`` is the signature IRI holds a JWS (RFC 7515, compact form) signed with RS256,
RS384 or RS512 whose payload is the statement as it was before the signature was attached.

The LRS checks what it can: the attachment's content type, the JWS form and algorithm, that
the payload is JSON equal to the statement (leaving out what the LRS may set, and durations
compared to the hundredth of a second), and — when the JWS header carries the signer's
certificate chain (``x5c``) — the signature itself, with the first certificate's key. A
JWS without ``x5c`` cannot be checked against a key the LRS does not know; xAPI leaves
trusting the signer to the reader."""

from __future__ import annotations

import base64
import json
import re
from typing import Any

from cryptography import x509
from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import RSAKey
from joserfc.jws import JWSRegistry

from courses.xapi.attachments import SIGNATURE_USAGE
from courses.xapi.validation import Invalid

ALGORITHMS = ("RS256", "RS384", "RS512")
# Parts of a statement the LRS sets or may set, not compared with the signed payload.
_SET_BY_LRS = ("id", "authority", "stored", "version", "timestamp", "attachments")
_SECONDS = re.compile(r"(\d+)\.(\d{2})\d*S$")


def _registry() -> JWSRegistry:
    """joserfc's checks, with room for a certificate chain in the header (``x5c``) and a
    statement of a few megabytes as the payload; the three RSA algorithms xAPI names."""
    registry = JWSRegistry(algorithms=ALGORITHMS)
    registry.max_header_length = 64 * 1024
    registry.max_payload_length = 8 * 1024 * 1024
    registry.max_signature_length = 4096
    return registry


_REGISTRY = _registry()


def signature_sha2(statement: dict[str, Any]) -> str | None:
    """The hash of the statement's signature attachment, None when it is not signed."""
    for attachment in statement.get("attachments") or []:
        if isinstance(attachment, dict) and attachment.get("usageType") == SIGNATURE_USAGE:
            if attachment.get("contentType") != "application/octet-stream":
                raise Invalid("a signature attachment's contentType is application/octet-stream")
            return str(attachment.get("sha2", "")).lower()
    return None


def verify(statement: dict[str, Any], parts: dict[str, tuple[str, bytes]]) -> None:
    """Refuse a signed statement whose JWS is malformed, uses another algorithm, does not
    verify with its own certificate, or signs something other than the statement."""
    sha2 = signature_sha2(statement)
    if sha2 is None:
        return
    if sha2 not in parts:
        raise Invalid("the signature of a signed statement must be sent as a part")
    token = parts[sha2][1]
    try:
        signed = jws.extract_compact(token, registry=_REGISTRY)
    except (JoseError, ValueError):
        raise Invalid("the signature is not a JWS in compact form") from None
    header = signed.headers()
    if header.get("alg") not in ALGORITHMS:
        raise Invalid("a statement signature uses RS256, RS384 or RS512")
    chain = header.get("x5c")
    if chain:
        _check_with_certificate(token, chain, header["alg"])
    try:
        payload = json.loads(signed.payload)
    except (ValueError, UnicodeDecodeError):
        raise Invalid("the signed payload is not JSON") from None
    if not isinstance(payload, dict) or _comparable(payload) != _comparable(statement):
        raise Invalid("the signed payload differs from the statement")


def _check_with_certificate(token: bytes, chain: Any, algorithm: str) -> None:
    try:
        certificate = x509.load_der_x509_certificate(base64.b64decode(chain[0]))
        key = RSAKey.import_key(certificate.public_key())  # type: ignore[arg-type]
        jws.deserialize_compact(token, key, algorithms=[algorithm], registry=_REGISTRY)
    except (JoseError, ValueError, TypeError, IndexError):
        raise Invalid("the signature does not verify with the certificate in x5c") from None


def _comparable(statement: dict[str, Any]) -> dict[str, Any]:
    kept = {k: v for k, v in statement.items() if k not in _SET_BY_LRS}
    kept.setdefault("object", {})
    if isinstance(kept["object"], dict):
        kept["object"] = {"objectType": "Activity", **kept["object"]}
    if isinstance(kept.get("actor"), dict):
        kept["actor"] = {"objectType": "Agent", **kept["actor"]}
    result = kept.get("result")
    if isinstance(result, dict) and isinstance(result.get("duration"), str):
        kept["result"] = {**result, "duration": truncate_duration(result["duration"])}
    return kept


def truncate_duration(text: str) -> str:
    """A duration with its seconds cut to hundredths (``PT0.12567S`` → ``PT0.12S``)."""
    return _SECONDS.sub(r"\1.\2S", text)
