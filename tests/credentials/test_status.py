"""Revocation as a Bitstring Status List: bits, encoding, the signed list and its URL."""

from __future__ import annotations

import gzip

from courses.certificates import operations
from courses.credentials import proofs, status


def test_a_list_is_16_kb_gzipped_in_multibase_base64url():
    encoded = status.encode_list([])
    assert encoded.startswith("u") and "=" not in encoded and "+" not in encoded
    bits = status.decode_list(encoded)
    assert len(bits) == 16_384 and not any(bits)
    assert status.encode_list([]) == encoded  # no time in the GZIP header


def test_bit_zero_is_the_leftmost_bit():
    bits = status.decode_list(status.encode_list([0, 9, 131_071]))
    assert bits[0] == 0b1000_0000 and bits[1] == 0b0100_0000 and bits[-1] == 0b0000_0001
    assert [i for i in range(status.LIST_SIZE) if status.is_set(bits, i)] == [0, 9, 131_071]
    assert gzip.decompress(gzip.compress(bits)) == bits


def test_an_entry_points_at_its_list_and_index(app):
    with app.test_request_context():
        entry = status.status_entry(131_074)
    base = app.config["PORTAL_BASE_URL"]
    assert entry == {
        "id": f"{base}/credentials/status/1#2",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "2",
        "statusListCredential": f"{base}/credentials/status/1",
    }


def _bits_of(client, number):
    response = client.get(f"/credentials/status/{number}")
    assert response.status_code == 200
    document = response.get_json(force=True)
    proofs.verify(document)
    return document, status.decode_list(document["credentialSubject"]["encodedList"])


def test_revoking_a_certificate_sets_its_bit(client, db, certificates):
    made = certificates()
    revoked, kept = made["programme"], made["course"]
    db.session.commit()
    document, bits = _bits_of(client, 0)
    assert not status.is_set(bits, revoked.id) and not status.is_set(bits, kept.id)
    operations.revoke(revoked, by=None, reason="Issued by mistake")
    db.session.commit()
    changed, bits = _bits_of(client, 0)
    assert status.is_set(bits, revoked.id) and not status.is_set(bits, kept.id)
    assert changed["validFrom"] >= document["validFrom"]
    assert changed["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert changed["credentialSubject"]["type"] == "BitstringStatusList"
    assert changed["credentialSubject"]["statusPurpose"] == "revocation"
    assert changed["issuer"] == changed["proof"]["verificationMethod"].split("#")[0]


def test_the_list_is_public_briefly_cached_and_stable(client, db, certificates):
    certificates()
    db.session.commit()
    first = client.get("/credentials/status/0")
    assert first.mimetype == "application/ld+json"
    assert first.headers["Cache-Control"] == "public, max-age=300"
    assert client.get("/credentials/status/0").data == first.data


def test_a_list_without_certificates_is_not_found(client, db):
    for path in (
        "/credentials/status/5",
        "/credentials/status/99999999999999999999",
        "/credentials/status/-1",
        "/credentials/status/x",
    ):
        assert client.get(path).status_code == 404, path
