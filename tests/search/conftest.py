"""Fixtures for the search package alone: an in-memory source of documents and an index in
``tmp_path`` fed from it through the indexer, with no database and no app."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from search import query
from search.indexer import drain
from search.store import IndexStore


class FakeSource:
    """The ``search.indexer.Source`` protocol over a dict of roots and a list of outbox rows."""

    def __init__(self) -> None:
        self.roots: dict[str, list[dict[str, Any]]] = {}
        self.outbox: list[tuple[int, str]] = []

    def put(self, documents: Iterable[Mapping[str, Any]]) -> None:
        """Replace the documents of each root named in ``documents`` and write outbox rows."""
        grouped: dict[str, list[dict[str, Any]]] = {}
        for document in documents:
            grouped.setdefault(document["root"], []).append(dict(document))
        for root, docs in grouped.items():
            self.roots[root] = docs
            self.outbox.append((len(self.outbox) + 1, root))

    def changes_after(self, cursor: int, limit: int) -> Sequence[tuple[int, str]]:
        return [row for row in self.outbox if row[0] > cursor][:limit]

    def last_change(self) -> int:
        return self.outbox[-1][0] if self.outbox else 0

    def documents(self, roots: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
        return {root: [dict(d) for d in self.roots.get(root, [])] for root in roots}

    def all_roots(self) -> Iterable[str]:
        return list(self.roots)


class Index:
    """An index in a temporary folder, fed by a ``FakeSource`` through ``drain``."""

    def __init__(self, path: Path) -> None:
        self.store = IndexStore(path)
        self.source = FakeSource()
        self._serial = 0

    def document(self, **values: Any) -> dict[str, Any]:
        """A complete search document: a Vietnamese resource unless ``values`` say otherwise."""
        self._serial += 1
        key = values.pop("key", f"resource:{self._serial}")
        document = {
            "key": key,
            "root": key,
            "kind": "resource",
            "language": "vi",
            "title": f"Document {self._serial}",
            "url": f"/resources/{self._serial}",
        }
        document.update(values)
        return document

    def add(self, *documents: Mapping[str, Any]) -> list[dict[str, Any]]:
        """Index ``documents`` (partial dicts completed by ``document``); the full documents."""
        full = [self.document(**document) for document in documents]
        self.source.put(full)
        drain(self.store, self.source)
        return full

    def search(self, text: str | None, **options: Any) -> query.Results:
        return query.search(self.store, text, **options)

    def keys(self, text: str | None, **options: Any) -> list[str]:
        """The keys of the hits of ``text``, best first."""
        return [hit.key for hit in self.search(text, **options).hits]


@pytest.fixture
def make_index(tmp_path: Path) -> Iterator[Callable[..., Index]]:
    """``make_index(*documents)``: a new index holding ``documents`` (partial dicts, see
    ``Index.document``)."""
    made: list[Index] = []

    def make(*documents: Mapping[str, Any]) -> Index:
        index = Index(tmp_path / f"index-{len(made)}")
        made.append(index)
        if documents:
            index.add(*documents)
        return index

    yield make
    for index in made:
        index.store.close()
