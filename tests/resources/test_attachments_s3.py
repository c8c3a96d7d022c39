"""Attachments on an S3 storage (a SeaweedFS of each test's own) that stops midway: the
upload answers the 503 page, and no attachment row is left without its file."""

from __future__ import annotations

import io
import time
from collections.abc import Iterator

import pytest

from courses.resources import operations
from courses.resources.models import ResourceAttachment
from portal.storage import S3Storage, StorageUnavailable, make_storage
from tests.resources.test_attachments import PDF
from tests.storage.seaweed import S3Server, running_s3_server


@pytest.fixture
def s3_app(app, tmp_path, monkeypatch) -> Iterator[tuple[S3Server, S3Storage]]:
    """The app with ``PORTAL_STORAGE=s3`` pointed at a SeaweedFS started for this test."""
    with running_s3_server(tmp_path) as server:
        storage = make_storage(
            {
                **app.config,
                "PORTAL_STORAGE": "s3",
                "PORTAL_S3_BUCKET": server.bucket,
                "PORTAL_S3_ENDPOINT_URL": server.endpoint_url,
                "PORTAL_S3_ACCESS_KEY_ID": server.access_key_id,
                "PORTAL_S3_SECRET_ACCESS_KEY": server.secret_access_key,
                "PORTAL_S3_PREFIX": "portal",
            }
        )
        assert isinstance(storage, S3Storage)
        monkeypatch.setitem(app.extensions, "storage", storage)
        try:
            yield server, storage
        finally:
            storage.close()


def attachments(db) -> list[ResourceAttachment]:
    return db.session.scalars(db.select(ResourceAttachment)).all()


def test_an_upload_while_s3_is_down_is_a_503_and_leaves_no_row(
    s3_app, client, db, make_resource, teacher, sign_in
):
    server, storage = s3_app
    resource = make_resource()
    sign_in(teacher)
    url = f"/teach/resources/{resource.id}/files?lang=en"
    response = client.post(
        url, data={"file": (io.BytesIO(PDF), "before.pdf")}, content_type="multipart/form-data"
    )
    assert response.status_code == 302
    (saved,) = attachments(db)
    assert storage.exists(saved.storage_key)

    server.stop()

    started = time.monotonic()
    response = client.post(
        url, data={"file": (io.BytesIO(PDF), "after.pdf")}, content_type="multipart/form-data"
    )
    assert time.monotonic() - started < 10
    assert response.status_code == 503
    assert "cannot reach its file storage" in response.get_data(as_text=True)
    assert [a.filename for a in attachments(db)] == ["before.pdf"]


def test_the_attachment_operation_writes_no_row_when_s3_is_down(s3_app, db, make_resource, teacher):
    server, _storage = s3_app
    resource = make_resource()
    server.stop()
    with pytest.raises(StorageUnavailable):
        operations.add_attachment(resource, teacher, io.BytesIO(PDF), "a.pdf", max_bytes=10_000)
    assert attachments(db) == []
