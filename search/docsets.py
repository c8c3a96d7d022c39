"""Which documents match, as boolean masks over a searcher's documents, and the facet counts
of a match: numpy operations over the arrays of ``search.segments`` instead of a walk through
posting lists on every search.

``store.cache`` is emptied whenever the searcher changes (a commit, a swap): filter, phrase
and date masks live there; ``store.segment_cache`` keeps each segment's arrays for as long as
the segment lives.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping
from typing import Any

import numpy as np
from whoosh.query import And, AndMaybe, AndNot, NumericRange, Or, Query, Term

from search.schema import FACETS
from search.segments import view
from search.store import IndexStore

CACHED_MASKS = 64  # phrase masks kept per searcher (a mask is one byte per document)


def value_mask(store: IndexStore, searcher: Any, name: str, value: str) -> np.ndarray:
    """The documents with ``value`` in facet ``name``; cached until the searcher changes."""
    key = ("facet", name, value)
    cached = store.cache.get(key)
    if cached is None:
        found = view(store, searcher)
        cached = store.cache[key] = found.mask(found.term_ids(name, value)) & found.live
    return cached  # type: ignore[no-any-return]


def allowed(store: IndexStore, searcher: Any, filters: Mapping[str, str]) -> np.ndarray | None:
    """The documents with every value of ``filters`` (None: no filter)."""
    masks = [value_mask(store, searcher, name, value) for name, value in sorted(filters.items())]
    if not masks:
        return None
    return masks[0] if len(masks) == 1 else np.logical_and.reduce(masks)


def matching(store: IndexStore, searcher: Any, query: Query) -> np.ndarray:
    """The documents matching ``query`` (deleted ones too: callers mask with ``live``)."""
    if isinstance(query, And):
        return np.logical_and.reduce([matching(store, searcher, q) for q in query.subqueries])
    if isinstance(query, Or):
        return np.logical_or.reduce([matching(store, searcher, q) for q in query.subqueries])
    if isinstance(query, AndNot):
        return matching(store, searcher, query.a) & ~matching(store, searcher, query.b)
    if isinstance(query, AndMaybe):
        return matching(store, searcher, query.a)
    found = view(store, searcher)
    if isinstance(query, Term):
        return found.mask(found.term_ids(query.fieldname, query.text))
    # A phrase (or anything else): Whoosh checks the positions, once per searcher.
    cache: OrderedDict[Any, np.ndarray] = store.cache.setdefault("masks", OrderedDict())
    key = repr(query)
    mask = cache.get(key)
    if mask is None:
        docs = list(searcher.docs_for_query(query))
        mask = cache[key] = found.mask(np.array(docs, dtype=np.int64))
        if len(cache) > CACHED_MASKS:
            cache.popitem(last=False)
    else:
        cache.move_to_end(key)
    return mask


def closed(store: IndexStore, searcher: Any, today: int) -> np.ndarray:
    """The documents that open after ``today`` (YYYYMMDD); cached per searcher and day."""
    key = ("closed", today)
    cached = store.cache.get(key)
    if cached is None:
        docs = list(searcher.docs_for_query(NumericRange("opens_on", today + 1, None)))
        cached = store.cache[key] = view(store, searcher).mask(np.array(docs, dtype=np.int64))
    return cached  # type: ignore[no-any-return]


def _facet_values(store: IndexStore, searcher: Any, name: str) -> list[tuple[str, np.ndarray]]:
    """Each value of facet ``name`` with its documents, for the whole searcher (from each
    segment's, read once per segment)."""
    key = ("facet-values", name)
    cached = store.cache.get(key)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    found = view(store, searcher)
    parts: dict[str, list[np.ndarray]] = {}
    for segment, reader, offset in found.parts:
        for value, ids in segment.facet(reader, name):
            parts.setdefault(value, []).append(ids + offset)
    cached = store.cache[key] = [(value, np.concatenate(ids)) for value, ids in parts.items()]
    return cached


def count_facets(
    store: IndexStore, searcher: Any, docs: np.ndarray
) -> dict[str, list[tuple[str, int]]]:
    """For each facet, its values among ``docs`` (a mask) with their counts, most first."""
    counted: dict[str, list[tuple[str, int]]] = {}
    for name in FACETS:
        counts = [(value, int(np.count_nonzero(docs[ids])))
                  for value, ids in _facet_values(store, searcher, name)]  # fmt: skip
        counted[name] = sorted(((v, n) for v, n in counts if n), key=lambda i: (-i[1], i[0]))
    return counted
