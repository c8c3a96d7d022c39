"""Keeping an index true to the database: follow the outbox, rebuild beside, compare.

The outbox is a table of ``(id, root)`` rows written in the same transaction as the content
change (see ``search.outbox``). Each index stores, in the same commit as the documents, the id
of the last outbox row it applied (its cursor). Draining is:

    take the index's write lock (waiting, never failing at once)
    read the cursor from the index
    read the next outbox rows, load the current documents of their roots
    replace those roots' documents and advance the cursor, in one Whoosh commit

so a crash before the commit changes nothing (the rows are applied again: replacing a root is
idempotent), and two processes of one host never apply the same rows at once. Several hosts
each keep their own index and so their own cursor over the one outbox.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, Protocol

from search.schema import SCHEMA_VERSION, STATE_KEY, digest, make_schema, to_fields
from search.store import IndexStore, read_state, write_state

logger = logging.getLogger(__name__)

BATCH = 500  # outbox rows per Whoosh commit (one commit costs ~0.1-0.2 s whatever its size)


class Source(Protocol):
    """What the indexer needs from the application: plain rows and plain documents."""

    def changes_after(self, cursor: int, limit: int) -> Sequence[tuple[int, str]]:
        """Outbox rows ``(id, root)`` with ids above ``cursor``, in id order."""

    def last_change(self) -> int:
        """The id of the newest outbox row (0 when none)."""

    def documents(self, roots: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
        """The current documents of each root (an empty list when nothing is public)."""

    def all_roots(self) -> Iterable[str]:
        """Every root that may have documents."""


def _chunks(items: Iterable[str], size: int) -> Iterator[list[str]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _replace(writer: Any, roots: Sequence[str], documents: dict[str, list[dict[str, Any]]]) -> int:
    added = 0
    for root in roots:
        writer.delete_by_term("root", root)
        for document in documents.get(root, []):
            writer.add_document(**to_fields(document))
            added += 1
    return added


class OutdatedIndex(RuntimeError):
    """The live index was built with another schema or analysis: it must be rebuilt."""


def outdated(ix: Any, state: dict[str, Any]) -> bool:
    return state["schema_version"] not in (None, SCHEMA_VERSION) or set(ix.schema.names()) != set(
        make_schema().names()
    )


def drain(store: IndexStore, source: Source, *, batch: int = BATCH) -> int:
    """Apply every outbox row newer than the index's cursor; the number of rows applied."""
    applied = 0
    while True:
        ix = store.open()
        writer = store.writer(ix)
        try:
            with writer.searcher() as searcher:
                state = read_state(searcher)
            if outdated(ix, state):
                raise OutdatedIndex(f"{store.live_path()} was built for another schema")
            cursor = state["cursor"]
            rows = list(source.changes_after(cursor, batch))
            if not rows:
                writer.cancel()
                return applied
            roots = list(dict.fromkeys(root for _, root in rows))
            _replace(writer, roots, source.documents(roots))
            write_state(writer, rows[-1][0])
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        applied += len(rows)
        logger.debug("search: applied outbox rows %s-%s", rows[0][0], rows[-1][0])
        if len(rows) < batch:
            return applied


def reindex(
    store: IndexStore,
    source: Source,
    *,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Build a new index beside the live one from every root, swap it in atomically, then
    catch up with the outbox rows written meanwhile. The number of documents."""
    path = store.new_build()
    ix = store.open(path)
    cursor = source.last_change()  # before reading: later changes are replayed by the drain
    writer = ix.writer(limitmb=128)
    count = 0
    try:
        for roots in _chunks(source.all_roots(), 200):
            for docs in source.documents(roots).values():
                for doc in docs:
                    writer.add_document(**to_fields(doc))
                    count += 1
            if progress:
                progress(len(roots))
        write_state(writer, cursor)
    except BaseException:
        writer.cancel()
        raise
    writer.commit(optimize=True)
    store.swap(path)
    drain(store, source)
    return count


@dataclass
class Report:
    """What ``check`` found: keys missing from the index, stale in it, or extra."""

    missing: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    outdated_schema: bool = False
    behind: bool = False  # the outbox was pruned past this index's cursor: reindex

    @property
    def ok(self) -> bool:
        return not (self.missing or self.stale or self.extra or self.outdated_schema or self.behind)


def check(store: IndexStore, source: Source) -> Report:
    """Compare the live index with the documents the database gives now."""
    expected: dict[str, str] = {}
    for roots in _chunks(source.all_roots(), 200):
        for docs in source.documents(roots).values():
            for doc in docs:
                expected[doc["key"]] = digest(doc)
    actual: dict[str, str] = {}
    report = Report()
    with store.searcher() as searcher:
        report.outdated_schema = outdated(searcher, read_state(searcher))
        for stored in searcher.all_stored_fields():
            if stored.get("key") != STATE_KEY:
                actual[stored["key"]] = stored.get("digest", "")
    report.missing = sorted(set(expected) - set(actual))
    report.extra = sorted(set(actual) - set(expected))
    report.stale = sorted(k for k in set(expected) & set(actual) if expected[k] != actual[k])
    return report
