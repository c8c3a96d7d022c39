"""Sets of document numbers and facet columns, cached per searcher (or per segment), so
that a filter, an unscored match and the facet counts cost set operations in C instead of a
walk through posting lists on every search.

``store.cache`` is emptied whenever the searcher changes (a commit, a swap);
``store.segment_cache`` keeps each segment's facet columns for as long as the segment lives.
"""

from __future__ import annotations

from collections import Counter, OrderedDict
from collections.abc import Mapping
from itertools import chain
from typing import Any

from whoosh.query import And, AndNot, NumericRange, Or, Query, Term

from search.schema import FACETS
from search.store import IndexStore


def value_docs(store: IndexStore, searcher: Any, name: str, value: str) -> frozenset[int]:
    """The documents with ``value`` in facet ``name``; cached until the searcher changes, so a
    filter costs a set lookup instead of a posting-list walk per search."""
    key = ("facet", name, value)
    cached = store.cache.get(key)
    if cached is None:
        cached = store.cache[key] = frozenset(searcher.docs_for_query(Term(name, value)))
    return cached


def allowed(store: IndexStore, searcher: Any, filters: Mapping[str, str]) -> set[int] | None:
    """The documents with every value of ``filters`` (None: no filter)."""
    sets = [value_docs(store, searcher, name, value) for name, value in sorted(filters.items())]
    if not sets:
        return None
    sets.sort(key=len)
    return set(sets[0]).intersection(*sets[1:])


TERM_CACHE_IDS = 1_000_000  # document numbers kept in cached term sets, per searcher


def matching_docs(store: IndexStore, searcher: Any, query: Query) -> frozenset[int]:
    """The documents matching ``query``, unscored, as set algebra over the posting lists of
    its terms (intersections run in C); each term's set is cached per searcher, so the common
    words of a language are read once per commit, not once per search."""
    if isinstance(query, And):
        sets = sorted((matching_docs(store, searcher, q) for q in query.subqueries), key=len)
        return sets[0].intersection(*sets[1:])
    if isinstance(query, Or):
        return frozenset().union(*(matching_docs(store, searcher, q) for q in query.subqueries))
    if isinstance(query, AndNot):
        return matching_docs(store, searcher, query.a) - matching_docs(store, searcher, query.b)
    cache: OrderedDict[Any, frozenset[int]] = store.cache.setdefault("terms", OrderedDict())
    key = (type(query).__name__, repr(query))
    found = cache.get(key)
    if found is None:
        found = cache[key] = frozenset(searcher.docs_for_query(query))
        store.cache["term-ids"] = store.cache.get("term-ids", 0) + len(found)
        while store.cache["term-ids"] > TERM_CACHE_IDS and len(cache) > 1:
            _, dropped = cache.popitem(last=False)
            store.cache["term-ids"] -= len(dropped)
    else:
        cache.move_to_end(key)
    return found


def closed(store: IndexStore, searcher: Any, today: int) -> set[int]:
    """The documents that open after ``today`` (YYYYMMDD); cached per searcher and day."""
    key = ("closed", today)
    cached = store.cache.get(key)
    if cached is None:
        cached = store.cache[key] = set(
            searcher.docs_for_query(NumericRange("opens_on", today + 1, None))
        )
    return cached


def _segment_values(reader: Any) -> dict[str, list[Any]]:
    """Each facet's value(s) for each document of one segment (subjects as tuples)."""
    size = reader.doc_count_all()
    values: dict[str, list[Any]] = {}
    for name in FACETS:
        column: list[Any] = [None] * size
        field = name
        for value in reader.field_terms(field):
            for docnum in reader.postings(field, value).all_ids():
                if name == "subject":
                    column[docnum] = (*(column[docnum] or ()), value)
                else:
                    column[docnum] = value
        values[name] = column
    return values


def _facet_values(store: IndexStore, searcher: Any) -> dict[str, list[Any]]:
    """Facet values by document number for the whole searcher: built from per-segment
    columns, which are kept across commits (a segment never changes; only new and merged
    segments are read)."""
    cached = store.cache.get("facet-values")
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    columns: dict[str, list[Any]] = {name: [] for name in FACETS}
    live: set[Any] = set()
    for sub, _offset in searcher.leaf_searchers():
        reader = sub.reader()
        segment = reader.segment()
        key = (segment.segment_id(), reader.doc_count_all()) if segment else id(reader)
        live.add(key)
        if key not in store.segment_cache:
            store.segment_cache[key] = _segment_values(reader)
        for name in FACETS:
            columns[name].extend(store.segment_cache[key][name])
    for key in set(store.segment_cache) - live:
        del store.segment_cache[key]
    store.cache["facet-values"] = columns
    return columns


def count_facets(
    store: IndexStore, searcher: Any, docs: set[int]
) -> dict[str, list[tuple[str, int]]]:
    if not docs:
        return {name: [] for name in FACETS}
    columns = _facet_values(store, searcher)
    counted: dict[str, list[tuple[str, int]]] = {}
    for name in FACETS:
        column = columns[name]
        values = (column[d] for d in docs)
        counts = Counter(chain.from_iterable(v for v in values if v) if name == "subject"
                         else (v for v in values if v))  # fmt: skip
        counted[name] = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return counted
