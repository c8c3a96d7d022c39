"""eddsa-rdfc-2022 proofs: the W3C test vector, round trips, tampering, no network."""

from __future__ import annotations

import copy
from datetime import UTC, datetime

import pytest
from pyld import jsonld

from courses.credentials import keys, proofs
from tests.credentials.conftest import W3C_PUBLIC_KEY, W3C_SECRET_KEY

# W3C vc-di-eddsa, TestVectors/eddsa-rdfc-2022: the unsigned credential, its canonical form
# and the signed result.
EXAMPLES_CONTEXT = {
    "https://www.w3.org/ns/credentials/examples/v2": {
        "@context": {"@vocab": "https://www.w3.org/ns/credentials/examples#"}
    }
}
UNSIGNED = {
    "@context": [
        "https://www.w3.org/ns/credentials/v2",
        "https://www.w3.org/ns/credentials/examples/v2",
    ],
    "id": "urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33",
    "type": ["VerifiableCredential", "AlumniCredential"],
    "name": "Alumni Credential",
    "description": "A minimum viable example of an Alumni Credential.",
    "issuer": "https://vc.example/issuers/5678",
    "validFrom": "2023-01-01T00:00:00Z",
    "credentialSubject": {"id": "did:example:abcdefgh", "alumniOf": "The School of Examples"},
}
CANONICAL = """\
<did:example:abcdefgh> <https://www.w3.org/ns/credentials/examples#alumniOf> "The School of Examples" .
<urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://www.w3.org/2018/credentials#VerifiableCredential> .
<urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://www.w3.org/ns/credentials/examples#AlumniCredential> .
<urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33> <https://schema.org/description> "A minimum viable example of an Alumni Credential." .
<urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33> <https://schema.org/name> "Alumni Credential" .
<urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33> <https://www.w3.org/2018/credentials#credentialSubject> <did:example:abcdefgh> .
<urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33> <https://www.w3.org/2018/credentials#issuer> <https://vc.example/issuers/5678> .
<urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33> <https://www.w3.org/2018/credentials#validFrom> "2023-01-01T00:00:00Z"^^<http://www.w3.org/2001/XMLSchema#dateTime> .
"""  # noqa: E501
PROOF_VALUE = (
    "z2YwC8z3ap7yx1nZYCg4L3j3ApHsF8kgPdSb5xoS1VR7vPG3F561B52hYnQF9iseabecm3ijx4K1FBTQsCZahKZme"
)
CREATED = datetime(2023, 2, 24, 23, 36, 38, tzinfo=UTC)


@pytest.fixture
def w3c():
    return keys.issuer_from_seed(keys.parse_secret_key(W3C_SECRET_KEY))


@pytest.fixture
def loader():
    return proofs.document_loader(EXAMPLES_CONTEXT)


def test_canonical_form_matches_the_w3c_vector(loader):
    assert proofs.canonicalize(UNSIGNED, loader) == CANONICAL


def test_the_same_key_and_document_give_the_w3c_proof_value(w3c, loader):
    signed = proofs.sign(UNSIGNED, w3c, CREATED, loader)
    assert signed["proof"] == {
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-rdfc-2022",
        "created": "2023-02-24T23:36:38Z",
        "verificationMethod": f"did:key:{W3C_PUBLIC_KEY}#{W3C_PUBLIC_KEY}",
        "proofPurpose": "assertionMethod",
        "proofValue": PROOF_VALUE,
    }
    proofs.verify(signed, loader)
    proofs.verify({**signed, "proof": [signed["proof"]]}, loader)  # a set of one proof


def _leaves(value, path=()):
    """Every (path, string) in a JSON document."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _leaves(item, (*path, index))
    elif isinstance(value, str):
        yield path, value


def _changed(document, path, value):
    copied = copy.deepcopy(document)
    target = copied
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return copied


def test_changing_any_value_breaks_the_proof(w3c, loader):
    signed = proofs.sign(UNSIGNED, w3c, CREATED, loader)
    leaves = [(p, v) for p, v in _leaves(signed) if p[0] != "@context"]
    assert len(leaves) > 12
    for path, value in leaves:
        if path == ("proof", "created"):
            tampered = _changed(signed, path, "2023-02-24T23:36:39Z")
        elif path[-1] == "type" or path == ("type", 1):
            tampered = _changed(signed, path, "Other")
        else:
            tampered = _changed(signed, path, value[:-1] + ("X" if value[-1] != "X" else "Y"))
        with pytest.raises(proofs.ProofError):
            proofs.verify(tampered, loader)


def test_another_key_cannot_claim_the_signature(w3c, loader):
    signed = proofs.sign(UNSIGNED, w3c, CREATED, loader)
    other = keys.issuer_from_seed(bytes(32)).verification_method
    with pytest.raises(proofs.ProofError, match="does not match"):
        proofs.verify({**signed, "proof": {**signed["proof"], "verificationMethod": other}}, loader)
    with pytest.raises(proofs.ProofError, match="no proof"):
        proofs.verify(UNSIGNED, loader)


def test_only_bundled_contexts_load_never_the_network():
    load = proofs.document_loader()
    assert load(proofs.VC_V2)["document"]["@context"]["@protected"] is True
    assert "OpenBadgeCredential" in load(proofs.OB_V3)["document"]["@context"]
    with pytest.raises(jsonld.JsonLdError, match="not bundled"):
        load("https://www.w3.org/ns/credentials/examples/v2")
    with pytest.raises(jsonld.JsonLdError):
        proofs.canonicalize({**UNSIGNED})  # the examples context is not shipped
