"""``Storage.iter_files``, which ``flask storage check`` uses to find orphans, on both
backends (local disk and a real S3 server)."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

from tests.storage.conftest import s3_server, storage  # noqa: F401  (fixtures)


def test_iter_files_lists_the_keys_under_a_folder_with_their_age(storage):  # noqa: F811
    for key in ("resources/1/a.pdf", "resources/2/b.png", "resourcesx/c.pdf", "other/d.pdf"):
        storage.save(key, io.BytesIO(b"x"), content_type="application/pdf", max_bytes=10)
    listed = dict(storage.iter_files("resources"))
    assert set(listed) == {"resources/1/a.pdf", "resources/2/b.png"}
    now = datetime.now(UTC)
    for modified in listed.values():
        assert now - timedelta(minutes=5) < modified <= now + timedelta(minutes=1)
    assert dict(storage.iter_files("nothing-here")) == {}
