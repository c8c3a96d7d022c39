"""The search service of one application: its index store, where documents come from, and
when the outbox is drained.

``SEARCH_INDEXING`` decides when a committed change reaches the index:

* ``thread`` (the default): each process has one indexing thread, woken after every commit
  that wrote outbox rows and every ``poll`` seconds (to follow other hosts' changes). It
  batches what arrived while it was writing, and waits for the write lock of another process
  instead of failing. Outside a request (CLI commands) the drain runs inline instead, so the
  command does not exit before its changes are indexed.
* ``inline``: the drain runs when the application context that committed ends (tests).
* ``off``: nothing in the web processes; ``flask search worker`` follows the outbox.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Iterable
from typing import Any, Protocol

from flask import Flask, current_app, g, has_app_context, has_request_context
from sqlalchemy.exc import SQLAlchemyError

from search import indexer, outbox, segments
from search.indexer import Report, Source
from search.query import Hit, Results
from search.query import search as run_search
from search.store import IndexStore, read_state

logger = logging.getLogger(__name__)

MODES = ("thread", "inline", "off")


class SearchUnavailable(RuntimeError):
    """The index cannot be read (missing files, a broken disk): the page says so."""


class Backend(Protocol):
    """What the application provides: its documents and outbox, and who may open what."""

    def source(self) -> Source:
        """A Source reading the database through the current application context."""

    def visible(self, hits: Iterable[Hit]) -> set[str]:
        """The keys of ``hits`` the current user may open now."""

    def record_cursor(self, host: str, position: int) -> None:
        """Remember how far ``host``'s index has followed the outbox (for pruning)."""

    def prune(self, keep_days: int) -> int:
        """Delete outbox rows every recently seen host has applied; the number deleted."""

    def pruned_through(self) -> int:
        """The id of the last outbox row pruned (0 when none)."""


class SearchService:
    def __init__(
        self,
        app: Flask,
        store: IndexStore,
        backend: Backend,
        *,
        mode: str = "thread",
        poll: float = 5.0,
        host: str = "",
    ) -> None:
        if mode not in MODES:
            raise ValueError(f"search indexing mode {mode!r} is not one of {MODES}")
        self.app = app
        self.store = store
        self.backend = backend
        self.mode = mode
        self.poll = poll
        self.host = host
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._thread_pid = 0
        self._stop = threading.Event()
        app.extensions["search"] = self
        outbox.on_commit(_committed)
        app.teardown_appcontext(self._teardown)

    # Queries

    def search(self, text: str | None, **options: Any) -> Results:
        try:
            return run_search(self.store, text, visible=self.backend.visible, **options)
        except SQLAlchemyError:
            raise  # the database's own outage page
        except Exception as exc:
            logger.exception("search: the index at %s cannot be read", self.store.base)
            self.store.close()  # open it afresh next time
            raise SearchUnavailable(str(exc)) from exc

    # Indexing

    def drain(self) -> int:
        """Apply the outbox to this host's index now; the number of rows applied."""
        try:
            applied = indexer.drain(self.store, self.backend.source())
        except indexer.OutdatedIndex:
            logger.warning("search: the index was built for another schema; rebuilding it")
            return self.reindex()
        if applied:
            self.backend.record_cursor(self.host, self.cursor())
            segments.warm(self.store)
        return applied

    def cursor(self) -> int:
        """The last outbox row this host's index has applied."""
        with self.store.searcher() as searcher:
            return int(read_state(searcher)["cursor"])

    def reindex(self, progress: Callable[[int], None] | None = None) -> int:
        count = indexer.reindex(self.store, self.backend.source(), progress=progress)
        # Catch up again in a context of its own: a read transaction begun before the build
        # (SQLite keeps its snapshot) does not see the rows committed while it ran.
        with self.app.app_context():
            self.drain()
        self.backend.record_cursor(self.host, self.cursor())
        segments.warm(self.store)
        return count

    def check(self) -> Report:
        report = indexer.check(self.store, self.backend.source())
        report.behind = self.cursor() < self.backend.pruned_through()
        return report

    def committed(self) -> None:
        """Outbox rows were committed in this process."""
        if self.mode == "off":
            return
        if self.mode == "thread" and has_request_context():
            self._ensure_thread()
            self._wake.set()
        elif has_app_context():
            g._search_pending = True

    def _teardown(self, _exc: BaseException | None) -> None:
        if not g.pop("_search_pending", False):
            return
        try:
            self.drain()
        except Exception:  # the rows stay in the outbox for the next drain
            logger.exception("search: indexing after commit failed")

    def _ensure_thread(self) -> None:
        if self._thread is not None and self._thread.is_alive() and self._thread_pid == os.getpid():
            return
        self._thread_pid = os.getpid()  # a forked worker starts its own thread
        self._thread = threading.Thread(target=self._run, name="search-indexer", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(self.poll)
            self._wake.clear()
            try:
                with self.app.app_context():
                    self.drain()
            except Exception:
                logger.exception("search: background indexing failed; retrying")

    def follow(self, *, once: bool = False) -> None:
        """Drain now and then every ``poll`` seconds (``flask search worker``)."""
        while True:
            with self.app.app_context():  # each look in a new transaction (a fresh snapshot)
                self.drain()
            if once or self._stop.wait(self.poll):
                return

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()


def _committed() -> None:
    if has_app_context():
        service = current_app.extensions.get("search")
        if service is not None:
            service.committed()
