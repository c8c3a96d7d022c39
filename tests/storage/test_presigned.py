"""Presigned GET URLs from the S3 backend, fetched from SeaweedFS with signatures enforced:
the URL itself is the only credential, so any change to it, or its age, shuts the door."""

from __future__ import annotations

import io
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pytest

from portal.storage import S3Storage


@pytest.fixture
def s3(s3_server) -> Iterator[S3Storage]:
    storage = s3_server.storage(prefix=f"test-{uuid.uuid4().hex[:12]}")
    for key, text in (("handout.txt", "Tài liệu"), ("other.txt", "Bí mật")):
        storage.save(
            key, io.BytesIO(text.encode()), content_type="text/plain; charset=utf-8", max_bytes=100
        )
    yield storage
    storage.close()


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310
            return response.status, response.read()
    except urllib.error.HTTPError as refused:
        with refused:
            return refused.code, refused.read()


def with_query(url: str, **changes: str) -> str:
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    assert set(changes) <= set(query)
    return urlunsplit(parts._replace(query=urlencode({**query, **changes})))


def test_a_presigned_url_returns_the_bytes(s3):
    assert fetch(s3.url("handout.txt", expires_in=60)) == (200, "Tài liệu".encode())


def test_the_object_is_not_public_without_the_signature(s3):
    url = s3.url("handout.txt", expires_in=60)
    assert fetch(urlunsplit(urlsplit(url)._replace(query="")))[0] == 403


def test_a_url_with_one_signature_character_changed_is_refused(s3):
    url = s3.url("handout.txt", expires_in=60)
    signature = dict(parse_qsl(urlsplit(url).query))["X-Amz-Signature"]
    changed = ("0" if signature[0] != "0" else "1") + signature[1:]
    assert fetch(with_query(url, **{"X-Amz-Signature": changed}))[0] == 403


def test_a_url_pointed_at_another_key_is_refused(s3):
    url = s3.url("handout.txt", expires_in=60)
    assert url.count("/handout.txt?") == 1
    assert fetch(url.replace("/handout.txt?", "/other.txt?"))[0] == 403


def test_a_url_whose_expiry_is_extended_is_refused(s3):
    url = s3.url("handout.txt", expires_in=60)
    assert fetch(with_query(url, **{"X-Amz-Expires": "604800"}))[0] == 403


def test_an_expired_url_is_refused(s3):
    url = s3.url("handout.txt", expires_in=1)
    time.sleep(2.1)
    assert fetch(url)[0] == 403
