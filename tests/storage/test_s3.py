"""The S3 backend against a real SeaweedFS, and against servers that fail: closed ports,
silent servers, 5xx answers, refused credentials and missing buckets are StorageUnavailable,
quickly."""

from __future__ import annotations

import io
import socket
import threading
import time
import urllib.request
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from portal.storage import S3Storage, StorageUnavailable
from tests.storage.streams import IterStream, generated_blocks

FAST = {"connect_timeout": 0.5, "read_timeout": 0.5, "max_attempts": 1}


def save(storage, key, data: bytes):
    return storage.save(
        key, io.BytesIO(data), content_type="text/plain; charset=utf-8", max_bytes=1024
    )


@pytest.fixture
def s3(s3_server) -> Iterator[S3Storage]:
    storage = s3_server.storage(prefix=f"test-{uuid.uuid4().hex[:12]}/uploads/")
    yield storage
    storage.close()


def object_keys(s3_server, prefix: str) -> list[str]:
    client = s3_server.client()
    listing = client.list_objects_v2(Bucket=s3_server.bucket, Prefix=prefix)
    return sorted(item["Key"] for item in listing.get("Contents", []))


def test_keys_are_stored_under_the_prefix_with_their_content_type(s3, s3_server):
    save(s3, "a/notes.txt", "Xin chào".encode())
    assert s3.prefix.endswith("/uploads/")
    assert object_keys(s3_server, s3.prefix) == [s3.prefix + "a/notes.txt"]
    head = s3_server.client().head_object(Bucket=s3_server.bucket, Key=s3.prefix + "a/notes.txt")
    assert head["ContentType"] == "text/plain; charset=utf-8"


def test_check_leaves_no_probe_behind(s3, s3_server):
    s3.check()
    assert object_keys(s3_server, s3.prefix) == []


def test_a_refused_multipart_upload_is_aborted(s3, s3_server):
    with pytest.raises(Exception, match="larger than"):
        s3.save(
            "big.bin",
            IterStream(generated_blocks(20 * 1024 * 1024)),
            content_type="video/mp4",
            max_bytes=10 * 1024 * 1024,
        )
    uploads = s3_server.client().list_multipart_uploads(Bucket=s3_server.bucket, Prefix=s3.prefix)
    assert uploads.get("Uploads", []) == []
    assert object_keys(s3_server, s3.prefix) == []


def test_a_presigned_url_downloads_the_file_without_credentials(s3):
    save(s3, "handout.txt", "Tài liệu".encode())
    url = s3.url("handout.txt", expires_in=60)
    assert url and "X-Amz-Signature=" in url
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310
        assert response.read().decode() == "Tài liệu"


def test_the_boto3_client_is_made_on_first_use(s3_server):
    storage = s3_server.storage()
    assert storage._client_obj is None
    assert not storage.exists("nothing/here")
    assert storage._client_obj is not None
    storage.close()
    assert storage._client_obj is None


def test_a_missing_bucket_is_unavailable_and_named(s3_server):
    storage = S3Storage(
        "no-such-bucket",
        endpoint_url=s3_server.endpoint_url,
        access_key_id=s3_server.access_key_id,
        secret_access_key=s3_server.secret_access_key,
        **FAST,
    )
    with pytest.raises(StorageUnavailable, match="no-such-bucket"):
        storage.check()
    with pytest.raises(StorageUnavailable):
        save(storage, "a.txt", b"x")
    storage.close()


def test_refused_credentials_are_unavailable(s3_server):
    storage = S3Storage(
        s3_server.bucket,
        endpoint_url=s3_server.endpoint_url,
        access_key_id=s3_server.access_key_id,
        secret_access_key="not-the-secret",
        **FAST,
    )
    with pytest.raises(StorageUnavailable, match="403"):
        save(storage, "a.txt", b"x")
    with pytest.raises(StorageUnavailable):
        storage.open("a.txt")
    storage.close()


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


OPERATIONS = {
    "save": lambda storage: save(storage, "a.txt", b"x"),
    "open": lambda storage: storage.open("a.txt"),
    "exists": lambda storage: storage.exists("a.txt"),
    "delete": lambda storage: storage.delete("a.txt"),
    "check": lambda storage: storage.check(),
}


@pytest.mark.parametrize("operation", OPERATIONS)
def test_a_closed_port_is_unavailable_quickly(operation):
    storage = S3Storage(
        "portal",
        endpoint_url=f"http://127.0.0.1:{closed_port()}",
        access_key_id="key",
        secret_access_key="secret",
        **FAST,
    )
    started = time.monotonic()
    with pytest.raises(StorageUnavailable, match="reach"):
        OPERATIONS[operation](storage)
    assert time.monotonic() - started < 3
    storage.close()


def test_a_server_that_never_answers_times_out_as_unavailable():
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)  # connections are accepted by the kernel, then nothing is said
        storage = S3Storage(
            "portal",
            endpoint_url=f"http://127.0.0.1:{listener.getsockname()[1]}",
            access_key_id="key",
            secret_access_key="secret",
            **FAST,
        )
        started = time.monotonic()
        with pytest.raises(StorageUnavailable, match="timeout"):
            storage.exists("a.txt")
        assert time.monotonic() - started < 3
        storage.close()


class _Failing(BaseHTTPRequestHandler):
    """An S3 endpoint whose every answer is 503 Slow Down."""

    def _fail(self) -> None:
        if self.headers.get("Expect") != "100-continue":  # else the body is never sent
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
        body = (
            b'<?xml version="1.0" encoding="UTF-8"?><Error><Code>ServiceUnavailable</Code>'
            b"<Message>Please reduce your request rate.</Message></Error>"
        )
        self.send_response(503)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    do_GET = do_PUT = do_HEAD = do_DELETE = do_POST = _fail

    def log_message(self, format, *args):
        pass


@pytest.fixture
def failing_endpoint() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Failing)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.mark.parametrize("operation", OPERATIONS)
def test_a_5xx_answer_is_unavailable(failing_endpoint, operation):
    storage = S3Storage(
        "portal",
        endpoint_url=failing_endpoint,
        access_key_id="key",
        secret_access_key="secret",
        **FAST,
    )
    with pytest.raises(StorageUnavailable, match="503"):
        OPERATIONS[operation](storage)
    storage.close()
