"""The index on disk: one folder per build, a ``current`` link that names the live one, and a
searcher per process that follows commits and swaps.

    SEARCH_INDEX_PATH/
      current -> index-1764000000123456789   (a symlink, replaced atomically by a reindex)
      index-1764000000123456789/             (a Whoosh index: segments, TOC, WRITELOCK)
      index-1763999999000000000/             (the previous build, kept for searchers still on it)

Whoosh commits are atomic (segments first, then the table of contents by rename), and its write
lock is an ``fcntl`` lock that dies with its process: a writer killed mid-write leaves the last
committed index intact and the lock free.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from whoosh import index
from whoosh.searching import Searcher
from whoosh.writing import SegmentWriter

from search.schema import SCHEMA_VERSION, STATE_KEY, make_schema

logger = logging.getLogger(__name__)


class IndexStore:
    """The index folders of one host (or one test)."""

    def __init__(self, base: str | os.PathLike[str], *, lock_timeout: float = 30.0) -> None:
        self.base = Path(base)
        self.lock_timeout = lock_timeout
        self._lock = threading.RLock()
        self._ix: Any = None
        self._ix_path: Path | None = None
        self._searcher: Searcher | None = None
        self.cache: dict[Any, Any] = {}  # per-searcher caches (filter sets, facet values)
        self.segment_cache: dict[Any, Any] = {}  # per-segment facet columns, across commits

    @property
    def link(self) -> Path:
        return self.base / "current"

    @contextlib.contextmanager
    def _build_lock(self) -> Iterator[None]:
        """Serialises creating the first index and swapping builds between processes."""
        self.base.mkdir(parents=True, exist_ok=True)
        with open(self.base / ".swap.lock", "a+b") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def live_path(self) -> Path:
        """The folder of the live index, made empty on first use."""
        if self.link.exists():
            return self.link.resolve()
        with self._build_lock():
            if not self.link.exists():
                path = self.new_build()
                self._point_at(path)
            return self.link.resolve()

    def new_build(self) -> Path:
        """A new, empty index folder beside the live one (not live until ``swap``)."""
        self.base.mkdir(parents=True, exist_ok=True)
        path = self.base / f"index-{time.time_ns()}"
        path.mkdir()
        index.create_in(str(path), make_schema())
        return path

    def _point_at(self, path: Path) -> None:
        temporary = self.base / f".current-{os.getpid()}-{time.time_ns()}"
        os.symlink(path.name, temporary)
        os.replace(temporary, self.link)  # atomic: a reader sees the old or the new build

    def swap(self, path: Path) -> None:
        """Make ``path`` the live index, and delete builds older than the previous one."""
        with self._build_lock():
            previous = self.link.resolve() if self.link.exists() else None
            self._point_at(path)
            for old in self.base.glob("index-*"):
                # Older than the previous build: no searcher opened since the last swap uses it.
                # (Newer folders may be another reindex still building.)
                if previous is not None and old.name < previous.name:
                    shutil.rmtree(old, ignore_errors=True)
        logger.info("search index %s is live", path.name)

    def open(self, path: Path | None = None) -> Any:
        return index.open_dir(str(path or self.live_path()))

    def writer(self, ix: Any) -> SegmentWriter:
        """A writer, waiting up to ``lock_timeout`` seconds for another one to finish
        (``whoosh.index.LockError`` after that)."""
        return ix.writer(timeout=self.lock_timeout, delay=0.05)

    @contextlib.contextmanager
    def searcher(self) -> Iterator[Searcher]:
        """This process's searcher, brought up to date with the last commit or swap."""
        with self._lock:
            path = self.live_path()
            if self._searcher is None or path != self._ix_path:
                self._close()
                self._ix, self._ix_path = self.open(path), path
                self._searcher = self._ix.searcher()
            elif not self._searcher.up_to_date():
                # A new searcher, not Searcher.refresh(): whoosh3 3.54.0's refresh reuses
                # segment readers with their old deletions and brings back segments a merge
                # removed (replaced and duplicate documents found again).
                self._searcher.close()
                self._searcher = self._ix.searcher()
                self.cache.clear()
            yield self._searcher

    def _close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
        self._searcher = None
        self._ix = self._ix_path = None
        self.cache.clear()

    def close(self) -> None:
        with self._lock:
            self._close()


def read_state(searcher: Searcher) -> dict[str, Any]:
    """The outbox cursor and schema version committed with the index (zeros when new)."""
    state = searcher.document(key=STATE_KEY) or {}
    return {"cursor": int(state.get("cursor", 0)), "schema_version": state.get("schema_version")}


def write_state(writer: SegmentWriter, cursor: int) -> None:
    writer.update_document(key=STATE_KEY, cursor=cursor, schema_version=SCHEMA_VERSION)
