"""Evidence people add to an assessment: a photo (JPEG, PNG or WebP), a document (PDF) or a
note, for one indicator. Files are sniffed (a ``.jpg`` that is not an image is refused),
bounded in size while they stream, and kept in the portal's storage under
``recognition/<assessment id>/<uuid>.<ext>``; the row keeps the key, name, type and size.
Like the operations, these verbs flush, write the audit trail and never commit."""

from __future__ import annotations

import io
import logging
import re
import uuid
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l

from courses.resources.files import SNIFF_BYTES, FileRefused, check_file, extension_of
from courses.resources.files import safe_filename as _safe_filename
from portal.accounts.models import User
from portal.extensions import db
from portal.operation_errors import OperationError
from portal.recognition import sets
from portal.recognition.models import Assessment, AssessmentEvent, Evidence
from portal.storage import Readable, TooLarge, get_storage

logger = logging.getLogger(__name__)

#: The largest evidence file, in megabytes (never above ``PORTAL_MAX_ATTACHMENT_MB``): a phone
#: photo or a scanned page is well under it.
MAX_EVIDENCE_MB = 10

#: Extensions each kind of file accepts (the content must agree: ``check_file``).
EXTENSIONS = {"photo": (".jpg", ".jpeg", ".png", ".webp"), "document": (".pdf",)}
KINDS = ("photo", "document", "note")
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

MESSAGES = {
    "not_open": _l("This assessment can no longer be changed."),
    "unknown_indicator": _l("There is no such indicator in this criteria set."),
    "bad_kind": _l("Choose a photo, a document or a note."),
    "no_file": _l("Choose a file to upload."),
    "photo_type": _l("A photo must be a JPEG, PNG or WebP image."),
    "document_type": _l("A document must be a PDF file."),
    "content": _l("The file's content does not match its name: it was not added."),
    "too_large": _l("The file is larger than %(size)d MB: it was not added."),
    "no_note": _l("Write the note."),
}


class EvidenceError(OperationError):
    """Evidence was refused; ``code`` keys :data:`MESSAGES`."""

    @property
    def message(self) -> str:
        if self.code == "too_large":
            return str(MESSAGES["too_large"]) % {"size": max_megabytes()}
        return str(MESSAGES[self.code])


def max_megabytes() -> int:
    return min(MAX_EVIDENCE_MB, int(current_app.config["PORTAL_MAX_ATTACHMENT_MB"]))


def _check(assessment: Assessment, indicator: str | None, kind: str) -> None:
    if not assessment.is_open:
        raise EvidenceError("not_open")
    if kind not in KINDS:
        raise EvidenceError("bad_kind")
    if indicator is not None:
        try:
            sets.definition_of(assessment.criteria_set).indicator(indicator)
        except KeyError:
            raise EvidenceError("unknown_indicator") from None


def _evidence_type(assessment: Assessment, kind: str) -> str | None:
    types = sets.definition_of(assessment.criteria_set).evidence_types
    return kind if kind in types else None


def _event(assessment: Assessment, action: str, by: User, indicator: str | None, what: str) -> None:
    db.session.add(
        AssessmentEvent(
            assessment=assessment,
            action=action,
            indicator=indicator,
            reason=what[:2000] or None,
            actor_id=by.id,
        )
    )


def add_file(
    assessment: Assessment,
    *,
    indicator: str | None,
    kind: str,
    stream: Readable,
    filename: str,
    description: str = "",
    by: User,
) -> Evidence:
    """Check and store a photo or a document, then record it. A storage failure leaves no
    row; a database failure deletes the stored file."""
    _check(assessment, indicator, kind)
    if kind == "note":
        raise EvidenceError("bad_kind")
    if not (filename or "").strip():
        raise EvidenceError("no_file")
    name = _safe_filename(filename)
    ext = extension_of(name)
    if ext not in EXTENSIONS[kind]:
        raise EvidenceError(f"{kind}_type")
    head = stream.read(SNIFF_BYTES)
    if not head:
        raise EvidenceError("no_file")
    try:
        media_type = check_file(name, head)
    except FileRefused:
        raise EvidenceError("content") from None
    key = f"recognition/{assessment.id}/{uuid.uuid4().hex}{ext}"
    storage = get_storage()
    try:
        stored = storage.save(
            key,
            _Prefixed(head, stream),
            content_type=media_type,
            max_bytes=max_megabytes() * 1024 * 1024,
        )
    except TooLarge:
        raise EvidenceError("too_large") from None
    try:
        with db.session.begin_nested():
            item = Evidence(
                assessment=assessment,
                indicator=indicator,
                kind=kind,
                evidence_type=_evidence_type(assessment, kind),
                description=_clean(description),
                storage_key=stored.key,
                file_name=name,
                media_type=media_type,
                size=stored.size,
                created_by_id=by.id,
            )
            db.session.add(item)
            _event(assessment, "evidence", by, indicator, name)
            db.session.flush()
    except Exception:
        storage.delete(key)
        raise
    logger.info("assessment %s: user %s added %s", assessment.id, by.id, key)
    return item


def add_note(assessment: Assessment, *, indicator: str | None, text: str, by: User) -> Evidence:
    """Record a written note as evidence."""
    _check(assessment, indicator, "note")
    note = _clean(text)
    if not note:
        raise EvidenceError("no_note")
    item = Evidence(
        assessment=assessment,
        indicator=indicator,
        kind="note",
        evidence_type=_evidence_type(assessment, "note"),
        description=note,
        created_by_id=by.id,
    )
    db.session.add(item)
    _event(assessment, "evidence", by, indicator, note[:200])
    db.session.flush()
    logger.info("assessment %s: user %s added a note", assessment.id, by.id)
    return item


def may_remove(user: Any, item: Evidence) -> bool:
    """People remove the evidence they added, while the assessment is open; automatic
    evidence is never removed by hand."""
    return (
        bool(user.is_authenticated)
        and item.kind != "auto"
        and item.assessment.is_open
        and item.created_by_id == user.id
    )


def remove(item: Evidence, *, by: User) -> None:
    """Forget the evidence and delete its file. The row goes first: should the storage fail
    afterwards, the file is an orphan that ``flask storage check`` reports."""
    if not item.assessment.is_open:
        raise EvidenceError("not_open")
    key = item.storage_key
    assessment = item.assessment
    _event(assessment, "evidence_removed", by, item.indicator, item.file_name or "")
    assessment.evidence.remove(item)  # delete-orphan: the row goes
    db.session.flush()
    if key:
        get_storage().delete(key)
    logger.info("assessment %s: user %s removed evidence %s", assessment.id, by.id, key)


class _Prefixed(io.RawIOBase):
    """``head`` (already read for sniffing) followed by the rest of ``stream``."""

    def __init__(self, head: bytes, stream: Readable) -> None:
        self._head = head
        self._stream = stream

    def read(self, size: int = -1, /) -> bytes:  # type: ignore[override]
        if not self._head:
            return self._stream.read(size)
        if size is None or size < 0:
            data, self._head = self._head + self._stream.read(), b""
        else:
            data, self._head = self._head[:size], self._head[size:]
        return data


def _clean(text: str | None) -> str:
    """NFC, single spaces, no control characters (PostgreSQL refuses NUL), 2,000 at most."""
    from portal.text import nfc

    return nfc(" ".join(_CONTROLS.sub("", text or "").split()))[:2000]
