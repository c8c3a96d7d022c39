"""The issuer key comes from configuration and is named by its did:key."""

from __future__ import annotations

import logging

import pytest

from courses.credentials import keys
from portal.config import ConfigError, load
from tests.credentials.conftest import W3C_PUBLIC_KEY, W3C_SECRET_KEY

# did:key method spec, test-vectors/ed25519-x25519.json: seeds 0…0 and 0…01.
DID_KEY_VECTORS = [
    (bytes(32), "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp"),
    (bytes(31) + b"\x01", "did:key:z6MkjchhfUsD6mmvni8mCdXHw216Xrm9bQe2mBH1P5RDjVJG"),
]


@pytest.mark.parametrize(("seed", "did"), DID_KEY_VECTORS)
def test_did_key_matches_the_did_key_spec_vectors(seed, did):
    issuer = keys.issuer_from_seed(seed)
    assert issuer.did == did
    assert issuer.verification_method == f"{did}#{did.removeprefix('did:key:')}"


def test_the_w3c_secret_key_multibase_gives_its_public_key():
    issuer = keys.issuer_from_seed(keys.parse_secret_key(W3C_SECRET_KEY))
    assert issuer.did == f"did:key:{W3C_PUBLIC_KEY}"
    assert keys.encode_secret_key(keys.parse_secret_key(W3C_SECRET_KEY)) == W3C_SECRET_KEY


def test_base58_keeps_leading_zero_bytes():
    for data in (b"", b"\0", b"\0\0\x01", b"\xff" * 40):
        assert keys.b58decode(keys.b58encode(data)) == data
    assert keys.b58encode(b"\0\0\x01") == "112"


@pytest.mark.parametrize(
    "raw",
    [
        "3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq",  # no multibase prefix
        "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjx0",  # 0 is not base58
        W3C_PUBLIC_KEY,  # a public key
        "z" + keys.b58encode(b"\x80\x26" + bytes(31)),  # a short seed
    ],
)
def test_a_malformed_key_stops_the_app_naming_the_variable(tmp_path, raw):
    with pytest.raises(ConfigError, match="PORTAL_CREDENTIAL_KEY"):
        load(environ={"PORTAL_INSTANCE_PATH": str(tmp_path), "PORTAL_CREDENTIAL_KEY": raw})


def test_production_requires_a_credential_key(tmp_path):
    environ = {
        "PORTAL_ENV": "production",
        "PORTAL_INSTANCE_PATH": str(tmp_path),
        "PORTAL_SECRET_KEY": "x" * 32,
    }
    with pytest.raises(ConfigError, match="PORTAL_CREDENTIAL_KEY"):
        load(environ=environ)
    config = load(environ={**environ, "PORTAL_CREDENTIAL_KEY": f" {W3C_SECRET_KEY}\n"})
    assert config["PORTAL_CREDENTIAL_KEY"] == W3C_SECRET_KEY


def test_the_configured_key_signs(app, monkeypatch):
    monkeypatch.setitem(app.config, "PORTAL_CREDENTIAL_KEY", W3C_SECRET_KEY)
    with app.app_context():
        assert keys.current_issuer().did == f"did:key:{W3C_PUBLIC_KEY}"


def test_without_a_key_development_derives_a_stable_one_and_warns(app, monkeypatch, caplog):
    monkeypatch.setitem(app.config, "PORTAL_CREDENTIAL_KEY", None)
    monkeypatch.setitem(app.config, "SECRET_KEY", "a-secret-for-this-test-only-1")
    keys._issuer.cache_clear()
    with app.app_context(), caplog.at_level(logging.WARNING, logger=keys.__name__):
        first = keys.current_issuer()
        assert keys.current_issuer() is first
        assert [r.message for r in caplog.records].count(caplog.records[0].message) == 1
        assert "PORTAL_CREDENTIAL_KEY is not set" in caplog.records[0].message
        assert first.did == keys.issuer_from_seed(keys.development_seed(app.secret_key)).did
        monkeypatch.setitem(app.config, "SECRET_KEY", "another-secret-for-this-test-2")
        assert keys.current_issuer().did != first.did
