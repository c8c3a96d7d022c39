"""Keeps :class:`~courses.oai.models.OaiRecord` in step with publication, as a session
event: a new published version stamps the record with its time; archiving or deleting a
published resource turns the record into a tombstone (stamped now); making it public again
clears the tombstone (stamped now). Written in the same transaction as the change."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import event, insert, inspect, select, update
from sqlalchemy.orm import Session

from courses.oai.models import OaiRecord
from courses.resources.models import Resource, ResourceRevision, Status

_PENDING = "oai.pending"
_table = OaiRecord.__table__


def to_second(moment: datetime) -> datetime:
    """``moment`` in UTC without its microseconds (the repository's granularity)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).replace(microsecond=0)


def sets_of(revision: ResourceRevision | None) -> tuple[str, str]:
    """The subject and language codes of a published version, wrapped in commas."""
    if revision is None:
        return ",", ","
    subjects = sorted(revision.snapshot["metadata"].get("subjects") or ())
    languages = sorted(revision.snapshot["translations"])
    return _wrap(subjects), _wrap(languages)


def _wrap(codes: list[str]) -> str:
    return "," + ",".join(codes) + ("," if codes else "")


def listen() -> None:
    """Hook the events on every session (once)."""
    for name, handler in (
        ("before_flush", _before_flush),
        ("after_flush", _after_flush),
        ("after_soft_rollback", _forget),
    ):
        if not event.contains(Session, name, handler):
            event.listen(Session, name, handler)


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    pending: dict[int, Any] = session.info.setdefault(_PENDING, {})
    for obj in session.new:
        if isinstance(obj, ResourceRevision):
            resource = obj.resource
            if resource is None and obj.resource_id is not None:
                resource = session.get(Resource, obj.resource_id)
            if resource is not None:
                pending[id(resource)] = ("version", resource)
    for obj in session.dirty:
        if isinstance(obj, Resource) and inspect(obj).attrs.status.history.has_changes():
            pending.setdefault(id(obj), ("status", obj))
    for obj in session.deleted:
        if isinstance(obj, Resource) and obj.published_at is not None:
            with session.no_autoflush:
                subjects, languages = sets_of(obj.latest_revision)
            pending[id(obj)] = ("deleted", obj.id, subjects, languages)


def _forget(session: Session, _transaction: Any) -> None:
    """A flush that failed leaves nothing to write later."""
    session.info.pop(_PENDING, None)


def _after_flush(session: Session, _context: Any) -> None:
    pending = session.info.pop(_PENDING, None)
    if not pending:
        return
    now = to_second(datetime.now(UTC))
    with session.no_autoflush:
        for item in pending.values():
            if item[0] == "deleted":
                _, number, subjects, languages = item
                _write(session, number, now, True, subjects, languages)
            else:
                _restamp(session, item[1], now, new_version=item[0] == "version")


def _restamp(session: Session, resource: Resource, now: datetime, *, new_version: bool) -> None:
    if resource.id is None or inspect(resource).deleted:
        return
    revision = resource.latest_revision
    if revision is None:
        return
    row = session.execute(
        select(_table.c.datestamp, _table.c.is_deleted).where(_table.c.resource_id == resource.id)
    ).first()
    public = resource.published_at is not None and resource.status != Status.ARCHIVED
    subjects, languages = sets_of(revision)
    published = to_second(revision.published_at)
    if public:
        if row is not None and not row.is_deleted and not new_version:
            return  # an edit of the working copy: the published record is unchanged
        stamp = now if row is not None and row.is_deleted else published
        _write(session, resource.id, max(stamp, published), False, subjects, languages)
    elif row is None or not row.is_deleted:
        _write(session, resource.id, now, True, subjects, languages)


def _write(
    session: Session, number: int, stamp: datetime, deleted: bool, subjects: str, languages: str
) -> None:
    values = {
        "datestamp": stamp,
        "is_deleted": deleted,
        "subjects": subjects,
        "languages": languages,
    }
    changed = session.execute(update(_table).where(_table.c.resource_id == number).values(**values))
    if not changed.rowcount:  # type: ignore[attr-defined]
        session.execute(insert(_table).values(resource_id=number, **values))
