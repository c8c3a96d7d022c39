"""The S3 server stopping midway: a SeaweedFS of this test's own is killed after a file was
stored, and every later call fails fast as StorageUnavailable, not a hang or a raw error."""

from __future__ import annotations

import io
import time
import uuid

import pytest

from portal.storage import StorageUnavailable
from tests.storage.seaweed import running_s3_server

FAST = {"connect_timeout": 0.5, "read_timeout": 0.5, "max_attempts": 1}


def test_a_server_that_stops_midway_is_unavailable_quickly(tmp_path):
    with running_s3_server(tmp_path) as server:
        storage = server.storage(prefix=f"test-{uuid.uuid4().hex[:12]}", **FAST)
        try:
            stored = storage.save(
                "before.txt", io.BytesIO(b"saved"), content_type="text/plain", max_bytes=100
            )
            assert stored.size == 5 and storage.exists("before.txt")

            server.stop()

            started = time.monotonic()
            with pytest.raises(StorageUnavailable):
                storage.save(
                    "after.txt", io.BytesIO(b"lost"), content_type="text/plain", max_bytes=100
                )
            with pytest.raises(StorageUnavailable):
                storage.open("before.txt")
            with pytest.raises(StorageUnavailable):
                storage.exists("before.txt")
            with pytest.raises(StorageUnavailable):
                storage.delete("before.txt")
            assert time.monotonic() - started < 5
        finally:
            storage.close()
