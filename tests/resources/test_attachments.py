"""Attachments: content sniffing, size limits, streaming downloads, and storage kept
consistent with the database (``flask storage check``)."""

from __future__ import annotations

import io
import uuid
import zipfile

import pytest

from courses.resources import operations
from courses.resources.files import FileRefused, check_file, safe_filename
from courses.resources.models import ResourceAttachment
from portal.storage import StorageUnavailable, TooLarge, get_storage

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 100


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "head", "content_type"),
    [
        ("bai-hoc.pdf", PDF, "application/pdf"),
        ("Hình.PNG", PNG, "image/png"),
        (
            "giao-an.docx",
            docx_bytes(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("goi.zip", docx_bytes(), "application/zip"),
        ("bai-hat.mp3", b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\x00" * 50, "audio/mpeg"),
    ],
)
def test_allowed_files_pass_with_their_content_type(name, head, content_type):
    assert check_file(name, head) == content_type


@pytest.mark.parametrize(
    ("name", "head", "reason"),
    [
        ("bai-hoc.pdf", EXE, "content"),  # a program dressed as a PDF
        ("anh.png", PDF, "content"),
        ("bai-hoc.pdf", b"just some text", "content"),
        ("setup.exe", EXE, "extension"),
        ("trang.html", b"<html><script>", "extension"),
        ("anh.svg", b"<svg onload=alert(1)>", "extension"),
        ("khong-duoi", PDF, "extension"),
    ],
)
def test_other_files_are_refused(name, head, reason):
    with pytest.raises(FileRefused) as refused:
        check_file(name, head)
    assert refused.value.reason == reason


def test_file_names_are_made_safe():
    assert safe_filename("../../etc/passwd") == "passwd"
    assert safe_filename("C:\\Users\\lan\\Bài học.pdf") == "Bài học.pdf"
    assert safe_filename('a"<b>\x00.pdf') == "ab.pdf"
    assert safe_filename("...") == "file"
    assert len(safe_filename("x" * 300 + ".pdf")) == 200


def test_an_attachment_is_stored_then_recorded(app, db, make_resource, teacher):
    resource = make_resource()
    attachment = operations.add_attachment(
        resource, teacher, io.BytesIO(PDF), "Bài học.pdf", max_bytes=10_000
    )
    assert attachment.size == len(PDF) and attachment.content_type == "application/pdf"
    assert attachment.storage_key.startswith(f"resources/{resource.id}/")
    assert get_storage().exists(attachment.storage_key)
    with get_storage().open(attachment.storage_key) as stored:
        assert stored.read() == PDF
    operations.delete_attachment(attachment, teacher)
    assert not get_storage().exists(attachment.storage_key)


def test_too_large_files_leave_nothing(app, db, make_resource, teacher):
    resource = make_resource()
    with pytest.raises(TooLarge):
        operations.add_attachment(
            resource, teacher, io.BytesIO(PDF + b"x" * 5000), "a.pdf", max_bytes=1000
        )
    assert db.session.scalars(db.select(ResourceAttachment)).all() == []
    assert list(get_storage().iter_files(f"resources/{resource.id}")) == []


def test_a_storage_failure_leaves_no_row(app, db, make_resource, teacher, monkeypatch):
    resource = make_resource()
    storage = get_storage()

    def broken_save(*args, **kwargs):
        raise StorageUnavailable("disk full")

    monkeypatch.setattr(storage, "save", broken_save)
    with pytest.raises(StorageUnavailable):
        operations.add_attachment(resource, teacher, io.BytesIO(PDF), "a.pdf", max_bytes=10_000)
    assert db.session.scalars(db.select(ResourceAttachment)).all() == []


def test_a_database_failure_deletes_the_stored_file(app, db, make_resource, teacher, monkeypatch):
    from sqlalchemy.exc import IntegrityError

    resource = make_resource()
    key = f"resources/{resource.id}/{'0' * 32}.pdf"
    db.session.add(
        ResourceAttachment(
            resource_id=resource.id,
            storage_key=key,
            filename="x.pdf",
            content_type="application/pdf",
            size=1,
            sha256="0" * 64,
        )
    )
    db.session.flush()
    monkeypatch.setattr(operations.uuid, "uuid4", lambda: uuid.UUID(int=0))
    with pytest.raises(IntegrityError):  # the same key twice: the insert fails
        operations.add_attachment(resource, teacher, io.BytesIO(PDF), "a.pdf", max_bytes=10_000)
    assert not get_storage().exists(key)
    assert len(db.session.scalars(db.select(ResourceAttachment)).all()) == 1  # still usable


def test_upload_and_download_through_the_pages(
    client, db, make_resource, teacher, reviewer, sign_in
):
    resource = make_resource(published=True, by=reviewer)
    sign_in(teacher)
    response = client.post(
        f"/teach/resources/{resource.id}/files",
        data={"file": (io.BytesIO(PDF), "Bài học 1.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    attachment = db.session.scalars(db.select(ResourceAttachment)).one()
    download = client.get(f"/resources/{resource.id}/files/{attachment.id}")
    assert download.status_code == 200
    assert download.data == PDF
    assert download.headers["Content-Type"] == "application/pdf"
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert download.headers["Content-Disposition"].startswith("attachment; filename=")
    assert (
        "filename*=UTF-8''B%C3%A0i%20h%E1%BB%8Dc%201.pdf" in download.headers["Content-Disposition"]
    )
    download.close()
    assert client.get(f"/resources/{resource.id}/files/{attachment.id + 1}").status_code == 404

    # A file added after publication waits for the next one.
    client.post("/sign-out")
    public = f"/resources/{resource.id}/files/{attachment.id}"
    assert client.get(public).status_code == 404
    assert "Bài học 1.pdf" not in client.get(f"/resources/{resource.id}").get_data(as_text=True)
    db.session.expire_all()
    operations.submit(resource, teacher)
    operations.publish(resource, reviewer)
    page = client.get(f"/resources/{resource.id}?lang=en").get_data(as_text=True)
    assert "Bài học 1.pdf" in page and "application/pdf" in page
    with client.get(public) as download:
        assert download.status_code == 200 and download.data == PDF

    sign_in(teacher)
    response = client.post(f"/teach/resources/{resource.id}/files/{attachment.id}/delete")
    assert response.status_code == 302
    assert db.session.scalars(db.select(ResourceAttachment)).all() == []


def test_a_mismatched_upload_is_refused_with_a_clear_message(
    client, db, make_resource, teacher, sign_in
):
    resource = make_resource()
    sign_in(teacher)
    response = client.post(
        f"/teach/resources/{resource.id}/files?lang=en",
        data={"file": (io.BytesIO(EXE), "bai-hoc.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "does not match its name" in response.get_data(as_text=True)
    response = client.post(
        f"/teach/resources/{resource.id}/files?lang=en",
        data={"file": (io.BytesIO(EXE), "setup.exe")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "can be attached" in response.get_data(as_text=True)
    assert db.session.scalars(db.select(ResourceAttachment)).all() == []


def test_files_of_drafts_are_not_public(client, db, make_resource, teacher):
    resource = make_resource()
    attachment = operations.add_attachment(
        resource, teacher, io.BytesIO(PDF), "a.pdf", max_bytes=10_000
    )
    assert client.get(f"/resources/{resource.id}/files/{attachment.id}").status_code == 404


def test_storage_check_reports_missing_files_and_orphans(app, db, make_resource, teacher):
    resource = make_resource()
    kept = operations.add_attachment(resource, teacher, io.BytesIO(PDF), "a.pdf", max_bytes=10_000)
    lost = operations.add_attachment(resource, teacher, io.BytesIO(PNG), "b.png", max_bytes=10_000)
    storage = get_storage()
    storage.delete(lost.storage_key)
    orphan = f"resources/{resource.id}/orphan.pdf"
    storage.save(orphan, io.BytesIO(PDF), content_type="application/pdf", max_bytes=10_000)

    runner = app.test_cli_runner()
    result = runner.invoke(args=["storage", "check", "--min-age", "0"])
    assert result.exit_code == 1, result.output
    assert f"missing: {lost.storage_key}" in result.output
    assert f"orphan: {orphan}" in result.output
    assert kept.storage_key not in result.output
    assert storage.exists(orphan)

    result = runner.invoke(args=["storage", "check", "--min-age", "0", "--delete-orphans"])
    assert f"deleted orphan: {orphan}" in result.output
    assert not storage.exists(orphan)

    result = runner.invoke(args=["storage", "check"])  # fresh files are not orphans yet
    assert "orphan" not in result.output
    db.session.delete(lost)
    db.session.flush()
    storage.delete(kept.storage_key)
    db.session.delete(kept)
    db.session.flush()


def test_a_file_over_the_limit_is_refused_with_its_size(
    client, db, make_resource, teacher, sign_in, monkeypatch
):
    from courses.resources import views

    monkeypatch.setattr(views, "_max_bytes", lambda: 1000)
    resource = make_resource()
    sign_in(teacher)
    response = client.post(
        f"/teach/resources/{resource.id}/files?lang=en",
        data={"file": (io.BytesIO(PDF + b"x" * 5000), "big.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "The file is larger than" in response.get_data(as_text=True)
    assert db.session.scalars(db.select(ResourceAttachment)).all() == []
    assert list(get_storage().iter_files(f"resources/{resource.id}")) == []


def test_a_storage_with_urls_sends_the_browser_there(
    app, client, db, make_resource, teacher, reviewer, monkeypatch
):
    resource = make_resource()
    attachment = operations.add_attachment(
        resource, teacher, io.BytesIO(PDF), "a.pdf", max_bytes=10_000
    )
    operations.submit(resource, teacher)
    operations.publish(resource, reviewer)
    storage = get_storage()
    monkeypatch.setattr(
        storage, "url", lambda key, expires_in=3600: f"https://files.example/{key}?sig=1"
    )
    response = client.get(f"/resources/{resource.id}/files/{attachment.id}")
    assert response.status_code == 302
    assert response.headers["Location"] == f"https://files.example/{attachment.storage_key}?sig=1"
    monkeypatch.undo()
    operations.delete_attachment(attachment, teacher)


def test_a_row_whose_file_is_missing_is_a_404_not_a_500(
    client, db, make_resource, teacher, reviewer
):
    resource = make_resource()
    attachment = operations.add_attachment(
        resource, teacher, io.BytesIO(PDF), "a.pdf", max_bytes=10_000
    )
    operations.submit(resource, teacher)
    operations.publish(resource, reviewer)
    get_storage().delete(attachment.storage_key)
    assert client.get(f"/resources/{resource.id}/files/{attachment.id}").status_code == 404
