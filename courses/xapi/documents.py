"""The documents of the State, Activity Profile and Agent Profile resources
(:class:`courses.xapi.models.LrsDocument`): read, list, replace (PUT), merge (POST) and
delete, with xAPI 2.0's optimistic concurrency (Communication 3.1).

Concurrency: a write names the ETag it last saw in ``If-Match`` (or ``If-None-Match: *``
to create only); a precondition that fails is a 412 and changes nothing, and a PUT with
neither header over a document that exists is a 409 (the client did not know of it). The
document is read ``FOR UPDATE`` on PostgreSQL, so two writers of one document take turns
(SQLite's writes are serialised by ``BEGIN IMMEDIATE``); a document created meanwhile by
another request (the ``INSERT`` meets the unique key) makes the write run once more against
it. Content is kept byte for byte with its Content-Type; the ETag is the SHA-1 of the
content. Operations flush and never commit."""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from werkzeug.datastructures import ETags

from courses.records.summaries import dialect_insert
from courses.xapi.models import LrsDocument
from portal.extensions import db

logger = logging.getLogger(__name__)

KINDS = ("state", "activity_profile", "agent_profile")
JSON_TYPE = "application/json"
KEY_COLUMNS = ("kind", "activity_iri", "agent_key", "registration", "document_id")


class DocumentError(ValueError):
    """A request the document resources refuse: ``status`` is the HTTP answer (400, 409,
    412) and ``message`` says why, in English (the callers are programs)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class Key:
    """Which documents: the resource and the parts of the key it uses (empty otherwise)."""

    kind: str
    activity_iri: str = ""
    agent_key: str = ""
    registration: str = ""

    def where(self) -> list[Any]:
        return [
            LrsDocument.kind == self.kind,
            LrsDocument.activity_iri == self.activity_iri,
            LrsDocument.agent_key == self.agent_key,
            LrsDocument.registration == self.registration,
        ]


@dataclass(frozen=True)
class Preconditions:
    """The ``If-Match`` and ``If-None-Match`` headers of a write (empty when not sent)."""

    if_match: ETags = field(default_factory=ETags)
    if_none_match: ETags = field(default_factory=ETags)

    @property
    def given(self) -> bool:
        return bool(self.if_match) or bool(self.if_none_match)

    def check(self, current: LrsDocument | None) -> None:
        """Raise 412 unless the document's state meets the preconditions (RFC 9110: a strong
        comparison for ``If-Match``, a weak one for ``If-None-Match``)."""
        if self.if_match and (current is None or not self.if_match.contains(current.etag)):
            raise DocumentError(412, "If-Match does not match the document's current ETag")
        if (
            self.if_none_match
            and current is not None
            and self.if_none_match.contains_weak(current.etag)
        ):
            raise DocumentError(412, "If-None-Match: the document exists (or has this ETag)")


class _Raced(Exception):
    """Another request created the document between our read and our insert."""


def etag_of(content: bytes) -> str:
    return hashlib.sha1(content, usedforsecurity=False).hexdigest()


def is_json(content_type: str | None) -> bool:
    return (content_type or "").split(";")[0].strip().lower() == JSON_TYPE


def _json_object(content: bytes, what: str) -> dict[str, Any]:
    try:
        value = json.loads(content)
    except (UnicodeDecodeError, ValueError):
        raise DocumentError(400, f"{what} is not valid JSON") from None
    if not isinstance(value, dict):
        raise DocumentError(400, f"{what} is not a JSON object, so it cannot be merged")
    return value


def get(key: Key, document_id: str, *, lock: bool = False) -> LrsDocument | None:
    query = sa.select(LrsDocument).where(*key.where(), LrsDocument.document_id == document_id)
    if lock:
        query = query.with_for_update()
    return db.session.scalar(query)


def ids(key: Key, since: datetime | None = None) -> tuple[list[str], datetime | None]:
    """The ids of the documents under ``key`` (changed after ``since``, when given), oldest
    change first, and the time of the latest change among them."""
    query = sa.select(LrsDocument.document_id, LrsDocument.updated).where(*key.where())
    if since is not None:
        query = query.where(LrsDocument.updated > since)
    rows = db.session.execute(query.order_by(LrsDocument.updated, LrsDocument.id)).all()
    return [row.document_id for row in rows], (rows[-1].updated if rows else None)


def _store(
    key: Key, document_id: str, current: LrsDocument | None, content: bytes, content_type: str
) -> None:
    moment = datetime.now(UTC)
    if current is not None:
        current.content = content
        current.content_type = content_type
        current.etag = etag_of(content)
        current.updated = moment
        db.session.flush()
        return
    table = LrsDocument.__table__
    insert = (
        dialect_insert(table)
        .values(
            kind=key.kind,
            activity_iri=key.activity_iri,
            agent_key=key.agent_key,
            registration=key.registration,
            document_id=document_id,
            content=content,
            content_type=content_type,
            etag=etag_of(content),
            updated=moment,
        )
        .on_conflict_do_nothing(index_elements=list(KEY_COLUMNS))
        .returning(table.c.id)
    )
    if db.session.execute(insert).scalar() is None:
        raise _Raced


def _write(
    key: Key,
    document_id: str,
    content: bytes,
    content_type: str,
    preconditions: Preconditions,
    *,
    merge: bool,
) -> None:
    for _attempt in range(2):
        current = get(key, document_id, lock=True)
        preconditions.check(current)
        stored = content
        if merge:
            new = _json_object(content, "the posted document") if is_json(content_type) else None
            if current is not None:
                if new is None or not is_json(current.content_type):
                    raise DocumentError(
                        400, "only JSON documents (application/json) merge; PUT to replace"
                    )
                old = _json_object(current.content, "the stored document")
                stored = json.dumps({**old, **new}, ensure_ascii=False).encode()
        elif current is not None and not preconditions.given:
            raise DocumentError(
                409,
                "the document exists: send If-Match with its ETag to replace it, "
                "or If-None-Match: * to create it only when absent",
            )
        elif is_json(content_type):
            try:
                json.loads(content)
            except (UnicodeDecodeError, ValueError):
                raise DocumentError(400, "the document is not valid JSON") from None
        try:
            _store(key, document_id, current, stored, content_type)
        except _Raced:
            continue
        logger.debug("LRS %s document %r of %s stored", key.kind, document_id, key)
        return
    raise DocumentError(409, "the document changed while it was written; try again")


def put(
    key: Key, document_id: str, content: bytes, content_type: str, preconditions: Preconditions
) -> None:
    """Store ``content`` as the document, replacing the one there (PUT)."""
    _write(key, document_id, content, content_type, preconditions, merge=False)


def post(
    key: Key, document_id: str, content: bytes, content_type: str, preconditions: Preconditions
) -> None:
    """Merge the JSON object ``content`` into the document's top level, or store it when
    there is none (POST). Both must be JSON objects to merge: else 400, nothing changed."""
    _write(key, document_id, content, content_type, preconditions, merge=True)


def delete(key: Key, document_id: str, preconditions: Preconditions) -> None:
    """Delete one document; deleting one that is not there is not an error."""
    current = get(key, document_id, lock=True)
    preconditions.check(current)
    if current is not None:
        db.session.delete(current)
        db.session.flush()


def delete_all(key: Key) -> int:
    """Delete every document under ``key`` (the State resource without a ``stateId``)."""
    result = db.session.execute(
        sa.delete(LrsDocument).where(*key.where()).execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)
