"""Wiring the search package to this application: the outbox tables, what feeds the index
(the learning content, ``courses.discovery``; learning centres and their classes,
``portal.centres.discovery``), who may open a hit, and the settings.

``search`` itself never imports the portal or the courses; everything it needs is handed to
it here, as plain callables and plain documents.
"""

from __future__ import annotations

import socket
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Flask
from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError

from courses import discovery
from courses.oai import discovery as harvested
from portal.centres import discovery as centres
from portal.extensions import db
from search import outbox
from search.query import Hit
from search.service import SearchService
from search.store import IndexStore

outbox_table, cursors_table = outbox.define_tables(db.metadata)
PRUNED = "~pruned"


class DatabaseSource:
    """The indexer's view of the database, through the current application context."""

    def changes_after(self, cursor: int, limit: int) -> Sequence[tuple[int, str]]:
        return outbox.changes_after(db.session, cursor, limit)

    def last_change(self) -> int:
        # Rows up to the pruned mark existed even when none is left: a reindex must not start
        # from a cursor below it (``check`` would then call the new index behind).
        return max(outbox.last_change(db.session), DatabaseBackend().pruned_through())

    def documents(self, roots: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
        theirs = [root for root in roots if centres.owns(root)]
        far = [root for root in roots if harvested.owns(root)]
        found = discovery.documents(
            [root for root in roots if not centres.owns(root) and not harvested.owns(root)]
        )
        found.update(centres.documents(theirs))
        found.update(harvested.documents(far))
        return found

    def all_roots(self) -> Iterable[str]:
        return [*discovery.all_roots(), *centres.all_roots(), *harvested.all_roots()]


class DatabaseBackend:
    def source(self) -> DatabaseSource:
        return DatabaseSource()

    def visible(self, hits: Iterable[Hit]) -> set[str]:
        hits = list(hits)
        theirs = [hit for hit in hits if centres.owns(hit.key)]
        far = [hit for hit in hits if harvested.owns(hit.key)]
        ours = (hit for hit in hits if not centres.owns(hit.key) and not harvested.owns(hit.key))
        return discovery.visible(ours) | centres.visible(theirs) | harvested.visible(far)

    def record_cursor(self, host: str, position: int) -> None:
        # End the drain's read transaction first: on SQLite, a transaction that read and then
        # writes fails at once ("database is locked") if another process wrote meanwhile.
        db.session.commit()
        _set_cursor(host, position)
        db.session.commit()

    def prune(self, keep_days: int) -> int:
        since = _now() - timedelta(days=keep_days)
        through = db.session.scalar(
            select(func.min(cursors_table.c.position)).where(
                cursors_table.c.name != PRUNED, cursors_table.c.updated_at >= since
            )
        )
        if not through:
            return 0
        deleted = outbox.prune(db.session, through)
        _set_cursor(PRUNED, max(through, self.pruned_through()))
        db.session.commit()
        return deleted

    def pruned_through(self) -> int:
        position = db.session.scalar(
            select(cursors_table.c.position).where(cursors_table.c.name == PRUNED)
        )
        return int(position or 0)


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _set_cursor(name: str, position: int) -> None:
    values = {"position": position, "updated_at": _now()}
    changed = db.session.execute(
        update(cursors_table).where(cursors_table.c.name == name).values(**values)
    )
    if changed.rowcount:
        return
    try:
        with db.session.begin_nested():
            db.session.execute(insert(cursors_table).values(name=name, **values))
    except IntegrityError:  # another process of this host inserted it first
        db.session.execute(
            update(cursors_table).where(cursors_table.c.name == name).values(**values)
        )


def init_app(app: Flask) -> SearchService:
    discovery.watch(outbox.watch)
    centres.watch(outbox.watch)
    harvested.watch(outbox.watch)
    return SearchService(
        app,
        IndexStore(
            app.config["PORTAL_SEARCH_DIR"], lock_timeout=app.config["PORTAL_SEARCH_LOCK_TIMEOUT"]
        ),
        DatabaseBackend(),
        mode=app.config["PORTAL_SEARCH_INDEXING"],
        poll=app.config["PORTAL_SEARCH_POLL_SECONDS"],
        host=app.config["PORTAL_SEARCH_HOST"] or socket.gethostname(),
    )
