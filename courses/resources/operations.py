"""Verbs that change resources. Each flushes and logs; the request commits."""

from __future__ import annotations

import io
import logging
import uuid
from datetime import UTC, datetime
from typing import Any

from flask_babel import lazy_gettext as _l

from courses.resources.files import SNIFF_BYTES, FileRefused, check_file, safe_filename
from courses.resources.models import (
    Resource,
    ResourceAttachment,
    ResourceRevision,
    ResourceTranslation,
    Status,
)
from portal.extensions import db
from portal.operation_errors import OperationError
from portal.storage import Readable, get_storage
from portal.text import nfc

logger = logging.getLogger(__name__)

METADATA_FIELDS = ("licence", "audience", "level", "subjects", "author", "source")


MESSAGES = {
    "not_a_draft": _l("Only a draft can be sent for review."),
    "publish_not_in_review": _l("Only a resource in review can be published."),
    "return_not_in_review": _l("Only a resource in review can be returned."),
    "already_archived": _l("The resource is already archived."),
}


class ResourceError(OperationError):
    """An action that the resource's state does not allow; ``code`` keys :data:`MESSAGES`."""

    @property
    def message(self) -> str:
        return str(MESSAGES[self.code])


def _now() -> datetime:
    return datetime.now(UTC)


def _subjects(codes: list[str] | tuple[str, ...]) -> str:
    return "," + ",".join(sorted(set(codes))) + ("," if codes else "")


def _touch(resource: Resource) -> None:
    """An edit: the working copy goes back to draft (the published version stays public)."""
    resource.updated_at = _now()
    if resource.status in (Status.IN_REVIEW, Status.PUBLISHED):
        resource.status = Status.DRAFT


def create_resource(
    owner: Any,
    *,
    language: str,
    title: str,
    summary: str = "",
    body: str = "",
    licence: str,
    audience: str,
    level: str,
    subjects: list[str] | tuple[str, ...] = (),
    author: str,
    source: str = "",
) -> Resource:
    """A new draft owned by ``owner``, with its first translation."""
    resource = Resource(
        owner=owner,
        status=Status.DRAFT,
        licence=licence,
        audience=audience,
        level=level,
        subjects=_subjects(list(subjects)),
        author=nfc(author.strip()),
        source=nfc(source.strip()),
        original_language=language,
    )
    db.session.add(resource)
    resource.translations.append(
        ResourceTranslation(
            language=language,
            title=nfc(title.strip()),
            summary=nfc(summary.strip()),
            body=nfc(body),
        )
    )
    db.session.flush()
    logger.info("user %s created resource %s", owner.id, resource.id)
    return resource


def update_metadata(resource: Resource, editor: Any, **metadata: Any) -> Resource:
    """Change licence, audience, level, subjects, author or source."""
    for name, value in metadata.items():
        if name not in METADATA_FIELDS:
            raise TypeError(name)
        if name == "subjects":
            value = _subjects(list(value))
        elif isinstance(value, str):
            value = nfc(value.strip())
        setattr(resource, name, value)
    _touch(resource)
    db.session.flush()
    logger.info("user %s edited resource %s", editor.id, resource.id)
    return resource


def save_translation(
    resource: Resource, editor: Any, *, language: str, title: str, summary: str, body: str
) -> ResourceTranslation:
    """Add the resource's text in ``language``, or replace it."""
    translation = resource.translation(language)
    if translation is None:
        translation = ResourceTranslation(language=language)
        resource.translations.append(translation)
    translation.title = nfc(title.strip())
    translation.summary = nfc(summary.strip())
    translation.body = nfc(body)
    translation.updated_at = _now()
    _touch(resource)
    db.session.flush()
    logger.info("user %s saved resource %s in %s", editor.id, resource.id, language)
    return translation


def submit(resource: Resource, user: Any) -> None:
    """Send the draft to the moderation queue."""
    if resource.status != Status.DRAFT:
        raise ResourceError("not_a_draft")
    resource.status = Status.IN_REVIEW
    resource.submitted_at = _now()
    db.session.flush()
    logger.info("user %s submitted resource %s", user.id, resource.id)


def snapshot(resource: Resource) -> dict[str, Any]:
    """The metadata and every translation, as kept in a revision."""
    return {
        "metadata": {
            "licence": resource.licence,
            "audience": resource.audience,
            "level": resource.level,
            "subjects": resource.subject_codes,
            "author": resource.author,
            "source": resource.source,
            "original_language": resource.original_language,
        },
        "translations": {
            t.language: {"title": t.title, "summary": t.summary, "body": t.body}
            for t in resource.translations
        },
        # Files reviewed with this version: visitors see only these.
        "attachments": [a.id for a in resource.attachments],
    }


def publish(resource: Resource, reviewer: Any) -> ResourceRevision:
    """Publish the resource in review: a new version, shown to everyone."""
    if resource.status != Status.IN_REVIEW:
        raise ResourceError("publish_not_in_review")
    now = _now()
    number = (resource.latest_revision.number if resource.latest_revision else 0) + 1
    revision = ResourceRevision(
        number=number, snapshot=snapshot(resource), published_by=reviewer, published_at=now
    )
    resource.revisions.append(revision)
    resource.status = Status.PUBLISHED
    resource.review_note = None
    resource.published_at = resource.published_at or now
    resource.archived_at = None
    db.session.flush()
    logger.info("user %s published resource %s version %d", reviewer.id, resource.id, number)
    return revision


def return_for_changes(resource: Resource, reviewer: Any, note: str) -> None:
    """Send the resource back to its author with a note."""
    if resource.status != Status.IN_REVIEW:
        raise ResourceError("return_not_in_review")
    resource.status = Status.DRAFT
    resource.review_note = nfc(note.strip())
    db.session.flush()
    logger.info("user %s returned resource %s", reviewer.id, resource.id)


def archive(resource: Resource, user: Any) -> None:
    """Take the resource off the public list; its page says it is archived."""
    if resource.status == Status.ARCHIVED:
        raise ResourceError("already_archived")
    resource.status = Status.ARCHIVED
    resource.archived_at = _now()
    db.session.flush()
    logger.info("user %s archived resource %s", user.id, resource.id)


def restore(resource: Resource, revision: ResourceRevision, user: Any) -> None:
    """Make the working copy a new draft with the text and metadata of ``revision``."""
    data = revision.snapshot
    meta = data["metadata"]
    for name in ("licence", "audience", "level", "author", "source", "original_language"):
        setattr(resource, name, meta[name])
    resource.subjects = _subjects(list(meta["subjects"]))
    wanted = data["translations"]
    for translation in list(resource.translations):
        if translation.language not in wanted:
            resource.translations.remove(translation)
    db.session.flush()
    for language, text in wanted.items():
        translation = resource.translation(language)
        if translation is None:
            translation = ResourceTranslation(language=language)
            resource.translations.append(translation)
        translation.title = text["title"]
        translation.summary = text["summary"]
        translation.body = text["body"]
        translation.updated_at = _now()
    resource.status = Status.DRAFT
    resource.archived_at = None
    resource.updated_at = _now()
    db.session.flush()
    logger.info("user %s restored resource %s to version %d", user.id, resource.id, revision.number)


def add_attachment(
    resource: Resource, user: Any, stream: Readable, filename: str, *, max_bytes: int
) -> ResourceAttachment:
    """Check and store a file, then record it. Raises :class:`FileRefused`, or
    :class:`portal.storage.TooLarge`; a storage failure leaves no row, and a database
    failure deletes the stored file."""
    name = safe_filename(filename)
    head = stream.read(SNIFF_BYTES)
    content_type = check_file(name, head)
    key = f"resources/{resource.id}/{uuid.uuid4().hex}{_suffix(name)}"
    storage = get_storage()
    stored = storage.save(
        key, _Prefixed(head, stream), content_type=content_type, max_bytes=max_bytes
    )
    try:
        with db.session.begin_nested():
            attachment = ResourceAttachment(
                resource_id=resource.id,
                storage_key=stored.key,
                filename=name,
                content_type=content_type,
                size=stored.size,
                sha256=stored.sha256,
            )
            db.session.add(attachment)
            db.session.flush()
    except Exception:
        storage.delete(key)
        raise
    _touch(resource)
    logger.info("user %s attached %s to resource %s", user.id, key, resource.id)
    return attachment


def delete_attachment(attachment: ResourceAttachment, user: Any) -> None:
    """Forget the file and delete it from the storage. The row goes first: should the
    storage fail afterwards, the file is an orphan that ``flask storage check`` reports."""
    key = attachment.storage_key
    resource_id = attachment.resource_id
    db.session.delete(attachment)
    db.session.flush()
    get_storage().delete(key)
    logger.info("user %s deleted %s of resource %s", user.id, key, resource_id)


def _suffix(name: str) -> str:
    _, dot, ext = name.rpartition(".")
    return f".{ext.lower()}" if dot and ext.isalnum() and len(ext) <= 10 else ""


class _Prefixed(io.RawIOBase):
    """``head`` (already read for sniffing) followed by the rest of ``stream``."""

    def __init__(self, head: bytes, stream: Readable) -> None:
        self._head = head
        self._stream = stream

    def read(self, size: int = -1, /) -> bytes:  # type: ignore[override]
        if self._head:
            if size is None or size < 0:
                data, self._head = self._head + self._stream.read(), b""
                return data
            data, self._head = self._head[:size], self._head[size:]
            return data
        return self._stream.read(size)


__all__ = [
    "MESSAGES",
    "FileRefused",
    "ResourceError",
    "add_attachment",
    "archive",
    "create_resource",
    "delete_attachment",
    "publish",
    "restore",
    "return_for_changes",
    "save_translation",
    "submit",
    "update_metadata",
]
