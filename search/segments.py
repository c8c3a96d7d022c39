"""The index as numpy arrays: what a search reads, read once.

Whoosh answers a query by walking posting lists in Python, one posting at a time; at 100,000
documents a common word has tens of thousands of postings, and scoring them costs more than
everything else a search does. Here each segment's postings (document numbers and weights)
and field lengths become arrays the first time a search needs them, and stay: a segment never
changes once written (its deletions are the searcher's), so the arrays serve every searcher
until a merge removes the segment. A searcher is then a ``View``: its segments with their
offsets, and which of its documents are live. Set algebra (``search.docsets``) and BM25F
(``search.ranking``) run over the arrays in C.

Reading a whole block of postings at once, and a segment's length column as bytes, goes below
Whoosh's public API (its matchers yield one posting per call). whoosh3 is pinned exactly
(pyproject.toml), and tests/search/test_segments.py checks these readers against the public
API, so an upgrade that changes them fails there first.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.util.numeric import byte_to_length

from search.store import IndexStore

# The field length each stored byte stands for (Whoosh keeps lengths in one lossy byte).
_LENGTH = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)
_NO_IDS = np.empty(0, dtype=np.int32)
_NO_WEIGHTS = np.empty(0, dtype=np.float32)
# Postings kept per segment (8 bytes each: about 100 MB for the common words of 100,000
# documents), the least used dropped first.
SEGMENT_POSTINGS = 12_000_000


def read_postings(reader: Any, field: str, text: str) -> tuple[np.ndarray, np.ndarray]:
    """Document numbers (ascending, deleted ones included) and weights of one term in one
    segment, a block at a time."""
    if (field, text) not in reader:
        return _NO_IDS, _NO_WEIGHTS
    # The segment's own matcher: reader.postings() wraps it to skip deleted documents (which
    # the View's live mask removes here), and the wrapper has moved it on already.
    matcher = reader._terms.matcher(
        field, reader._text_to_bytes(field, text), reader.schema[field].format
    )
    ids: list[int] = []
    weights: list[float] = []
    while matcher.is_active():
        matcher._read_ids()
        matcher._read_weights()
        ids.extend(matcher._ids)
        weights.extend(matcher._weights)
        matcher._next_block()
    # Whoosh keeps weights as 32-bit floats, and a segment never holds 2**31 documents.
    return np.array(ids, dtype=np.int32), np.array(weights, dtype=np.float32)


def read_lengths(reader: Any, field: str) -> np.ndarray:
    """The length of ``field`` in each document of one segment (0 where it is empty)."""
    size = reader.doc_count_all()
    column = reader._perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN)
    if column is None:
        return np.zeros(size, dtype=np.float64)
    count = min(column._count, size)
    raw = column._dbfile.get(column._basepos, count) if count else b""
    lengths = np.zeros(size, dtype=np.float64)
    lengths[:count] = _LENGTH[np.frombuffer(raw, dtype=np.uint8)]
    return lengths


class Segment:
    """One segment's arrays, filled as searches ask for them."""

    def __init__(self) -> None:
        self.lengths: dict[str, np.ndarray] = {}
        self.postings: OrderedDict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = OrderedDict()
        self.held = 0  # postings in ``postings``
        self.values: dict[str, list[tuple[str, np.ndarray]]] = {}  # facet → (value, ids)
        self.warmed = False

    def term(self, reader: Any, field: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        key = (field, text)
        found = self.postings.get(key)
        if found is not None:
            self.postings.move_to_end(key)
            return found
        found = self.postings[key] = read_postings(reader, field, text)
        self.held += len(found[0])
        while self.held > SEGMENT_POSTINGS and len(self.postings) > 1:
            _, (ids, _weights) = self.postings.popitem(last=False)
            self.held -= len(ids)
        return found

    def field_lengths(self, reader: Any, field: str) -> np.ndarray:
        if field not in self.lengths:
            self.lengths[field] = read_lengths(reader, field)
        return self.lengths[field]

    def facet(self, reader: Any, name: str) -> list[tuple[str, np.ndarray]]:
        """Each value of facet ``name`` in this segment, with its documents."""
        if name not in self.values:
            self.values[name] = [
                (value, read_postings(reader, name, value)[0]) for value in reader.field_terms(name)
            ]
        return self.values[name]


@dataclass
class View:
    """One searcher's segments, with the offset of each one's documents, and its live
    documents (not deleted) as a mask over all of them."""

    searcher: Any
    size: int
    parts: list[tuple[Segment, Any, int]]  # (arrays, reader, offset)
    live: np.ndarray

    def term_ids(self, field: str, text: str) -> np.ndarray:
        """The documents with ``text`` in ``field`` (deleted ones too), ascending."""
        found = [
            segment.term(reader, field, text)[0] + offset for segment, reader, offset in self.parts
        ]
        found = [ids for ids in found if len(ids)]
        if not found:
            return _NO_IDS
        return found[0] if len(found) == 1 else np.concatenate(found)

    def mask(self, ids: np.ndarray) -> np.ndarray:
        out = np.zeros(self.size, dtype=bool)
        out[ids] = True
        return out


def view(store: IndexStore, searcher: Any) -> View:
    """The View of ``searcher``, made once per searcher; segments no searcher has any more
    are forgotten."""
    cached = store.cache.get("view")
    if cached is not None and cached.searcher is searcher:
        return cached  # type: ignore[no-any-return]
    size = searcher.doc_count_all()
    live = np.ones(size, dtype=bool)
    parts: list[tuple[Segment, Any, int]] = []
    keys = set()
    for sub, offset in searcher.leaf_searchers():
        reader = sub.reader()
        found = reader.segment()
        key = (found.segment_id(), reader.doc_count_all()) if found else ("reader", id(reader))
        keys.add(key)
        segment = store.segment_cache.get(key)
        if segment is None:
            segment = store.segment_cache[key] = Segment()
        parts.append((segment, reader, offset))
        deleted = getattr(reader, "deleted_docs_set", None)
        if deleted:
            live[np.fromiter(deleted, dtype=np.int64, count=len(deleted)) + offset] = False
    for key in set(store.segment_cache) - keys:
        del store.segment_cache[key]
    made = store.cache["view"] = View(searcher, size, parts, live)
    return made


WARM_FIELDS = ("text", "title", "text_exact")
WARM_SHARE = 0.01  # read ahead the terms in at least 1 % of a segment's documents
WARM_TERMS = 400  # at most, per field and segment
WARM_BATCH = 16  # terms read per hold of the searcher (searches wait at most that long)


def warm(store: IndexStore) -> int:
    """Read the postings of each new segment's common words before a search needs them: a
    word in thousands of documents costs tens of milliseconds to read the first time, and
    is in many queries. Runs where the index is written (the indexing thread), a few terms
    at a time, so searches in between are not held up. Returns the number of terms read."""
    todo: list[tuple[Segment, str, str]] = []
    with store.searcher() as searcher:
        for segment, reader, _offset in view(store, searcher).parts:
            if segment.warmed:
                continue
            segment.warmed = True
            least = max(2, int(reader.doc_count_all() * WARM_SHARE))
            for field in WARM_FIELDS:
                for _weight, text in reader.most_frequent_terms(field, WARM_TERMS):
                    word = text.decode("utf-8") if isinstance(text, bytes) else text
                    if reader.doc_frequency(field, word) >= least:
                        todo.append((segment, field, word))
    for start in range(0, len(todo), WARM_BATCH):
        with store.searcher() as searcher:
            readers = {id(seg): reader for seg, reader, _ in view(store, searcher).parts}
            for segment, field, word in todo[start : start + WARM_BATCH]:
                if id(segment) in readers:  # still live (not merged away meanwhile)
                    segment.term(readers[id(segment)], field, word)
    return len(todo)
