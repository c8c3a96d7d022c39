"""``eddsa-rdfc-2022`` Data Integrity proofs (W3C vc-di-eddsa), offline.

Signing canonicalises the unsigned document and the proof options (with the document's
``@context``) by RDF Dataset Canonicalization (RDFC-1.0, which pyld calls URDNA2015), hashes
each with SHA-256, and signs ``hash(proof options) || hash(document)`` with Ed25519; the
signature is the base58btc multibase ``proofValue``. JSON-LD contexts come only from the files
in ``data/contexts`` — never from the network — so a credential names only contexts the portal
ships, and nothing an attacker serves can change what a signature covers.
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from pyld import jsonld

from courses.credentials.keys import Issuer, b58decode, b58encode, public_key_of

VC_V2 = "https://www.w3.org/ns/credentials/v2"
OB_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
CRYPTOSUITE = "eddsa-rdfc-2022"
_CONTEXT_DIR = Path(__file__).resolve().parent / "data" / "contexts"
# The contexts the portal ships: the W3C VC 2.0 context and 1EdTech's Open Badges 3.0.3
# context, as the verifier libraries bundle them (byte for byte: the canonical form of a
# credential depends on them).
CONTEXT_FILES = {
    VC_V2: "credentials-v2.jsonld",
    OB_V3: "ob-v3p0-context-3.0.3.json",
}

DocumentLoader = Callable[[str, Any], dict[str, Any]]


class ProofError(ValueError):
    """A document has no valid ``eddsa-rdfc-2022`` proof; the message says why."""


@cache
def _bundled(url: str) -> Any:
    return json.loads((_CONTEXT_DIR / CONTEXT_FILES[url]).read_text(encoding="utf-8"))


def document_loader(extra: Mapping[str, Any] | None = None) -> DocumentLoader:
    """A pyld document loader that serves the bundled contexts (and ``extra``, for tests)
    and refuses every other URL."""
    documents = dict(extra or {})

    def load(url: str, options: Any = None) -> dict[str, Any]:
        if url in documents:
            document = documents[url]
        elif url in CONTEXT_FILES:
            document = _bundled(url)
        else:
            raise jsonld.JsonLdError(
                f"context {url} is not bundled with the portal",
                "jsonld.LoadDocumentError",
                code="loading document failed",
            )
        return {"contextUrl": None, "documentUrl": url, "document": copy.deepcopy(document)}

    return load


def canonicalize(document: Mapping[str, Any], loader: DocumentLoader | None = None) -> str:
    """The RDFC-1.0 canonical N-Quads of a JSON-LD document."""
    return jsonld.normalize(
        dict(document),
        {
            "algorithm": "URDNA2015",
            "format": "application/n-quads",
            "documentLoader": loader or document_loader(),
        },
    )


def _hash_data(
    document: Mapping[str, Any], options: Mapping[str, Any], loader: DocumentLoader | None
) -> bytes:
    """vc-di-eddsa §3.3.4: SHA-256 of the canonical proof options, then of the document."""
    unsigned = {key: value for key, value in document.items() if key != "proof"}
    config = {key: value for key, value in options.items() if key != "proofValue"}
    config["@context"] = document["@context"]
    proof_hash = hashlib.sha256(canonicalize(config, loader).encode()).digest()
    document_hash = hashlib.sha256(canonicalize(unsigned, loader).encode()).digest()
    return proof_hash + document_hash


def xsd_datetime(moment: datetime) -> str:
    """``2026-11-24T15:31:42Z``: UTC, whole seconds, as credentials print times."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def sign(
    document: Mapping[str, Any],
    issuer: Issuer,
    created: datetime,
    loader: DocumentLoader | None = None,
) -> dict[str, Any]:
    """``document`` with an ``eddsa-rdfc-2022`` proof by ``issuer`` (assertionMethod).
    Ed25519 is deterministic, so the same document and time give the same proof."""
    options = {
        "type": "DataIntegrityProof",
        "cryptosuite": CRYPTOSUITE,
        "created": xsd_datetime(created),
        "verificationMethod": issuer.verification_method,
        "proofPurpose": "assertionMethod",
    }
    signature = issuer.private_key.sign(_hash_data(document, options, loader))
    signed = {key: value for key, value in document.items() if key != "proof"}
    signed["proof"] = {**options, "proofValue": "z" + b58encode(signature)}
    return signed


def verify(document: Mapping[str, Any], loader: DocumentLoader | None = None) -> None:
    """Check the ``eddsa-rdfc-2022`` proof of a ``did:key``-signed document (one proof, alone
    or in a list); ProofError if it is missing, malformed or does not match."""
    proof = document.get("proof")
    if isinstance(proof, list) and len(proof) == 1:  # a set of one proof
        proof = proof[0]
    if not isinstance(proof, Mapping):
        raise ProofError("no proof, or more than one")
    if proof.get("type") != "DataIntegrityProof" or proof.get("cryptosuite") != CRYPTOSUITE:
        raise ProofError("not an eddsa-rdfc-2022 proof")
    value = str(proof.get("proofValue") or "")
    try:
        key = public_key_of(str(proof.get("verificationMethod") or ""))
        signature = b58decode(value[1:]) if value.startswith("z") else b""
        data = _hash_data(document, proof, loader)
    except (ValueError, jsonld.JsonLdError) as exc:
        raise ProofError(str(exc)) from None
    if len(signature) != 64:
        raise ProofError("proofValue is not a base58btc Ed25519 signature")
    try:
        key.verify(signature, data)
    except InvalidSignature:
        raise ProofError("signature does not match") from None
