"""The outbox: a row per changed search root, written in the transaction that changed it.

The application says which model classes feed the index and how to find the root of an
instance (``watch(Lesson, lambda lesson: [f"course:{lesson.module.course_id}"])``). SQLAlchemy
session events then do the rest:

* ``before_flush``: note the watched instances that are new, changed or deleted (the roots of
  deleted ones are read now, while their rows and relationships still exist);
* ``before_commit``: resolve the others (ids are known by then) and insert one outbox row per
  root, in the same transaction;
* ``after_commit``: tell the application (``on_commit``) that there is something to index.

Ids must grow in commit order, or a follower that has read up to id 11 would never see id 10
committed a moment later. SQLite has one writer at a time, and the table uses
``AUTOINCREMENT`` so ids are never reused; PostgreSQL takes a transaction-scoped advisory
lock just before inserting, so the transactions that write the outbox commit one after the
other (the lock is held only from that insert to the commit).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    delete,
    event,
    func,
    insert,
    select,
    text,
)
from sqlalchemy.orm import Session

logger = logging.getLogger(__name__)

ADVISORY_LOCK = 0x5EA4C4  # pg_advisory_xact_lock key that orders outbox writers
_PENDING, _ROOTS, _WROTE = "search.pending", "search.roots", "search.wrote"

_resolvers: dict[type, Callable[[Any], Iterable[str]]] = {}
_listeners: list[Callable[[], None]] = []
_table: Table | None = None


def define_tables(metadata: MetaData) -> tuple[Table, Table]:
    """The outbox and the cursors of the hosts that follow it, on ``metadata``."""
    global _table
    outbox = Table(
        "search_outbox",
        metadata,
        Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
        Column("root", String(80), nullable=False),
        Column("created_at", DateTime, nullable=False),
        sqlite_autoincrement=True,
    )
    cursors = Table(
        "search_cursors",
        metadata,
        Column("name", String(120), primary_key=True),  # a host's index, or "~pruned"
        Column("position", BigInteger, nullable=False),
        Column("updated_at", DateTime, nullable=False),
    )
    _table = outbox
    return outbox, cursors


def watch(model: type, roots: Callable[[Any], Iterable[str]]) -> None:
    """Write an outbox row for ``roots(instance)`` whenever an instance of ``model`` is
    added, changed or deleted."""
    _resolvers[model] = roots
    _listen_once()


def on_commit(callback: Callable[[], None]) -> None:
    """Call ``callback()`` after each commit that wrote outbox rows."""
    if callback not in _listeners:
        _listeners.append(callback)


def _watched(session: Session, instances: Iterable[Any]) -> Iterable[Any]:
    for instance in instances:
        if type(instance) in _resolvers:
            yield instance


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    if not _resolvers:
        return
    pending = session.info.setdefault(_PENDING, [])
    roots = session.info.setdefault(_ROOTS, set())
    for instance in _watched(session, session.deleted):
        roots.update(_resolvers[type(instance)](instance))
    pending.extend(_watched(session, session.new))
    pending.extend(
        instance
        for instance in _watched(session, session.dirty)
        if session.is_modified(instance, include_collections=False)
    )


def _before_commit(session: Session) -> None:
    # This event comes before the commit's own flush: flush now, so that ``_before_flush``
    # sees changes made since the last flush too.
    session.flush()
    if not session.info.get(_PENDING) and not session.info.get(_ROOTS):
        return
    roots: set[str] = session.info.pop(_ROOTS, set())
    for instance in session.info.pop(_PENDING, []):
        if instance in session.deleted or session.identity_key(instance=instance) is None:
            continue
        roots.update(_resolvers[type(instance)](instance))
    roots.discard("")
    if not roots or _table is None:
        return
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK})
    now = datetime.now(UTC).replace(tzinfo=None)
    session.execute(insert(_table), [{"root": root, "created_at": now} for root in sorted(roots)])
    session.info[_WROTE] = True


def _after_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint released: tell once the whole transaction has committed
    if session.info.pop(_WROTE, False):
        for callback in _listeners:
            try:
                callback()
            except Exception:  # indexing must never undo or fail a committed change
                logger.exception("search: after-commit hook failed")


def _forget(session: Session, transaction: Any) -> None:
    # Only when the whole transaction ends: a savepoint rolled back (a caught IntegrityError)
    # must not make the transaction forget what it changed before.
    if transaction.parent is None:
        for key in (_PENDING, _ROOTS, _WROTE):
            session.info.pop(key, None)


_listening = False


def _listen_once() -> None:
    global _listening
    if _listening:
        return
    event.listen(Session, "before_flush", _before_flush)
    event.listen(Session, "before_commit", _before_commit)
    event.listen(Session, "after_commit", _after_commit)
    event.listen(Session, "after_transaction_end", _forget)
    _listening = True


# Reading and pruning, for the application's Source.


def changes_after(session: Session, cursor: int, limit: int) -> Sequence[tuple[int, str]]:
    assert _table is not None
    rows = session.execute(
        select(_table.c.id, _table.c.root)
        .where(_table.c.id > cursor)
        .order_by(_table.c.id)
        .limit(limit)
    )
    return [(int(row.id), row.root) for row in rows]


def last_change(session: Session) -> int:
    assert _table is not None
    return int(session.execute(select(func.max(_table.c.id))).scalar() or 0)


def prune(session: Session, through: int) -> int:
    """Delete the rows up to ``through`` (every follower is past them); the number deleted."""
    assert _table is not None
    result = session.execute(delete(_table).where(_table.c.id <= through))
    return int(result.rowcount or 0)
