"""BM25F over arrays: the scores Whoosh's ``BM25F`` gives, for every matching document at
once.

Whoosh scores a query by walking its matcher tree one document at a time; a word in 20,000
documents costs some 50 ms that way. The score of a document is the sum, over the terms of
the query it contains, of

    idf × tf × (K1 + 1) / (tf + K1 × (1 − B + B × length / average length))

(``whoosh.scoring.BM25F`` with its defaults; ``tf`` is the posting's weight, which carries the
field's boost, and ``idf`` and the average length are the searcher's own): an And, an Or and
an AndMaybe add up what their parts matched, and an AndNot scores only what it keeps. So the
score of a query is a sum over its term leaves, each a vector operation over the term's
postings; a phrase adds its words' scores only where the whole phrase is found.
tests/search/test_ranking.py checks scores and order against ``searcher.search``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
from whoosh.query import And, AndMaybe, AndNot, Or, Phrase, Query, Term

from search import docsets
from search.segments import View, view
from search.store import IndexStore

B, K1 = 0.75, 1.2  # whoosh.scoring.BM25F's defaults, which the index is searched with


def _leaves(query: Query) -> Iterator[Query]:
    """The terms and phrases that add to a score (not what an AndNot excludes)."""
    if isinstance(query, (And, Or)):
        for sub in query.subqueries:
            yield from _leaves(sub)
    elif isinstance(query, AndNot):
        yield from _leaves(query.a)
    elif isinstance(query, AndMaybe):
        yield from _leaves(query.a)
        yield from _leaves(query.b)
    elif isinstance(query, (Term, Phrase)):
        yield query
    else:  # the query builder makes nothing else
        raise TypeError(f"cannot rank {type(query).__name__}")


def _add_term(found: View, scores: np.ndarray, field: str, text: str) -> None:
    searcher = found.searcher
    if not searcher.doc_frequency(field, text):
        return
    idf = searcher.idf(field, text)
    average = searcher.avg_field_length(field) or 1
    for segment, reader, offset in found.parts:
        ids, tf = segment.term(reader, field, text)
        if not len(ids):
            continue
        length = segment.field_lengths(reader, field)[ids]
        tf = tf.astype(np.float64)  # Whoosh computes in 64-bit floats
        scores[ids + offset] += idf * (tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * length / average))


def scores(store: IndexStore, searcher: Any, query: Query) -> np.ndarray:
    """The BM25F score of every document for ``query`` (zero where nothing matched)."""
    found = view(store, searcher)
    total = np.zeros(found.size, dtype=np.float64)
    for leaf in _leaves(query):
        if isinstance(leaf, Term):
            _add_term(found, total, leaf.fieldname, leaf.text)
            continue
        phrase = np.zeros(found.size, dtype=np.float64)
        for word in leaf.words:
            _add_term(found, phrase, leaf.fieldname, word)
        phrase[~docsets.matching(store, searcher, leaf)] = 0.0
        total += phrase
    return total


def top(
    store: IndexStore, searcher: Any, query: Query, docs: np.ndarray, count: int
) -> list[tuple[float, int]]:
    """The best ``count`` of ``docs`` (a mask) for ``query`` as (score, document number),
    best first and ties in index order (as Whoosh orders them), so pages never overlap."""
    candidates = np.flatnonzero(docs)
    if not len(candidates) or count < 1:
        return []
    ranked = scores(store, searcher, query)[candidates]
    if count < len(candidates):
        cut = len(ranked) - count
        kept = ranked >= np.partition(ranked, cut)[cut]  # the count best, and any tied last
        candidates, ranked = candidates[kept], ranked[kept]
    order = np.lexsort((candidates, -ranked))[:count]
    return [(float(ranked[i]), int(candidates[i])) for i in order]
