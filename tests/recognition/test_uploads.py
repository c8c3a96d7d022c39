"""Evidence added to an assessment: photos, PDF documents and notes are kept; a file whose
content is not what its name says, or that is too large, is refused with a clear message;
only those who may see the assessment download its files."""

from __future__ import annotations

import io
import re
import struct
import zlib
from html import unescape

import pytest

from portal.extensions import db
from portal.recognition import operations, uploads
from portal.recognition.models import AssessmentEvent, Evidence
from portal.storage import get_storage


def png() -> bytes:
    """A real 1×1 PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels)
            + chunk(b"IEND", b""))  # fmt: skip


JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


@pytest.fixture
def assessment(small_set, open_round, people):
    learner = people["learner"]
    return operations.register(
        learner, model="citizen", year=open_round, criteria_set=small_set, by=learner
    )


def text(response):
    return unescape(response.get_data(as_text=True))


def send(client, assessment, **fields):
    data = {"indicator": "a1", "kind": "photo", "description": "", **fields}
    return client.post(
        f"/titles/{assessment.id}/evidence",
        data=data,
        content_type="multipart/form-data",
        follow_redirects=True,
    )


def rows(assessment):
    return list(db.session.scalars(db.select(Evidence).filter_by(assessment_id=assessment.id)))


def test_a_photo_a_document_and_a_note_are_kept(client, sign_in, assessment, people):
    sign_in(people["learner"])
    photo = send(client, assessment, file=(io.BytesIO(png()), "kế hoạch.png"),
                 description="Ảnh kế hoạch học tập")  # fmt: skip
    assert "Evidence added." in text(photo)
    send(client, assessment, indicator="a2", kind="photo", file=(io.BytesIO(JPEG), "sach.JPG"))
    send(client, assessment, indicator="b1", kind="document", file=(io.BytesIO(PDF), "xn.pdf"))
    send(client, assessment, indicator="b1", kind="note", description="  Có xác nhận   của tổ ")
    found = {(e.indicator, e.kind): e for e in rows(assessment)}
    assert set(found) == {("a1", "photo"), ("a2", "photo"), ("b1", "document"), ("b1", "note")}
    kept = found[("a1", "photo")]
    assert kept.media_type == "image/png" and kept.file_name == "kế hoạch.png"
    assert kept.evidence_type == "photo" and kept.size == len(png())
    assert re.fullmatch(rf"recognition/{assessment.id}/[0-9a-f]{{32}}\.png", kept.storage_key)
    assert get_storage().exists(kept.storage_key)
    assert found[("a2", "photo")].media_type == "image/jpeg"
    assert found[("b1", "document")].media_type == "application/pdf"
    assert found[("b1", "note")].description == "Có xác nhận của tổ"
    assert found[("b1", "note")].storage_key is None

    page = text(client.get(f"/titles/{assessment.id}"))
    assert "kế hoạch.png" in page and "Có xác nhận của tổ" in page
    download = client.get(f"/titles/{assessment.id}/evidence/{kept.id}")
    body = download.data
    download.close()
    assert download.status_code == 200 and body == png()
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    events = db.session.scalars(
        db.select(AssessmentEvent).filter_by(assessment_id=assessment.id, action="evidence")
    )
    assert len(list(events)) == 4


@pytest.mark.parametrize(
    ("kind", "name", "content", "message"),
    [
        ("photo", "anh.jpg", EXE, "does not match its name"),
        ("photo", "anh.png", PDF, "does not match its name"),
        ("document", "giay.pdf", JPEG, "does not match its name"),
        ("photo", "anh.gif", b"GIF89a" + b"\x00" * 32, "JPEG, PNG or WebP"),
        ("document", "giay.docx", b"PK\x03\x04" + b"\x00" * 32, "must be a PDF"),
        ("photo", "", b"", "Choose a file"),
    ],
)
def test_files_that_are_not_what_they_say_are_refused(
    client, sign_in, assessment, people, kind, name, content, message
):
    sign_in(people["learner"])
    response = send(client, assessment, kind=kind, file=(io.BytesIO(content), name))
    assert response.status_code == 200
    assert message in text(response)
    assert rows(assessment) == []
    assert not list(get_storage().iter_files(f"recognition/{assessment.id}/"))


def test_an_oversize_file_is_refused_with_the_limit(
    client, sign_in, assessment, people, monkeypatch
):
    monkeypatch.setattr(uploads, "MAX_EVIDENCE_MB", 1)
    sign_in(people["learner"])
    big = JPEG + b"\x00" * (1024 * 1024)
    response = send(client, assessment, file=(io.BytesIO(big), "to.jpg"))
    assert "The file is larger than 1 MB: it was not added." in text(response)
    assert rows(assessment) == []
    assert not list(get_storage().iter_files(f"recognition/{assessment.id}/"))


def test_an_empty_note_is_refused(client, sign_in, assessment, people):
    sign_in(people["learner"])
    response = send(client, assessment, kind="note", description="   ")
    assert "Write the note." in text(response)
    assert rows(assessment) == []


def test_strangers_and_other_communes_cannot_download_or_add(client, sign_in, assessment, people):
    sign_in(people["learner"])
    send(client, assessment, file=(io.BytesIO(png()), "anh.png"))
    item = rows(assessment)[0]
    url = f"/titles/{assessment.id}/evidence/{item.id}"
    for who in ("stranger", "other_reviewer", "other_approver"):
        client.post("/sign-out")
        sign_in(people[who])
        assert client.get(url).status_code == 404, who
        response = send(client, assessment, file=(io.BytesIO(png()), "anh.png"))
        assert response.status_code == 404, who
    client.post("/sign-out")
    assert client.get(url).status_code == 302  # to sign in
    sign_in(people["reviewer"])
    allowed = client.get(url)
    allowed.close()
    assert allowed.status_code == 200
    assert client.get(f"/titles/{assessment.id}/evidence/{item.id + 1000}").status_code == 404


def test_own_evidence_is_removed_while_open_and_kept_after_submission(
    client, sign_in, assessment, people
):
    sign_in(people["learner"])
    send(client, assessment, file=(io.BytesIO(png()), "anh.png"))
    send(client, assessment, kind="note", description="Ghi chú")
    photo, note = rows(assessment)
    key = photo.storage_key
    response = client.post(f"/titles/{assessment.id}/evidence/{photo.id}/remove")
    assert response.status_code == 302
    assert [e.id for e in rows(assessment)] == [note.id]
    assert not get_storage().exists(key)

    client.post("/sign-out")
    sign_in(people["reviewer"])  # may see it, did not add it
    assert client.post(f"/titles/{assessment.id}/evidence/{note.id}/remove").status_code == 403
    client.post("/sign-out")
    sign_in(people["learner"])
    client.post(
        f"/titles/{assessment.id}/answers",
        data={"answer-a1": "8", "answer-a2": "2", "answer-b1": "70", "action": "submit"},
    )
    assert client.post(f"/titles/{assessment.id}/evidence/{note.id}/remove").status_code == 403
    refused = send(client, assessment, kind="note", description="Muộn")
    assert refused.status_code == 403
    assert [e.id for e in rows(assessment)] == [note.id]


def test_the_storage_check_knows_evidence_files(client, sign_in, assessment, people):
    from datetime import timedelta

    from portal.storage import check_consistency

    sign_in(people["learner"])
    send(client, assessment, file=(io.BytesIO(png()), "anh.png"))
    kept = rows(assessment)[0]
    result = check_consistency(get_storage(), min_age=timedelta(0))
    assert kept.storage_key not in result.orphans and kept.storage_key not in result.missing
    get_storage().delete(kept.storage_key)
    assert kept.storage_key in check_consistency(get_storage()).missing
