"""The array readers and BM25F of ``search.segments`` and ``search.ranking`` against Whoosh's
own: the same postings, lengths and scores, in the same order, on an index of several
segments with deleted documents."""

from __future__ import annotations

import random

import numpy as np
import pytest
from whoosh.query import And, AndNot, Or

from search import docsets, ranking
from search.query import build, matching, parse
from search.segments import read_lengths, read_postings, view
from tests.search.conftest import Index

WORDS = "học hóc hoc nghề điện nước điện_tử đồng hòa hoà lúa cà_phê trồng dạy chữ".split()  # noqa: SIM905
ENGLISH = "learning learn learned farming farm water electric reading".split()  # noqa: SIM905


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """About 240 documents added in four commits (four segments), 30 of them replaced (their
    old versions deleted)."""
    rng = random.Random(7)
    index = Index(tmp_path_factory.mktemp("ranking"))

    def text(vocabulary: list[str], count: int) -> str:
        return " ".join(rng.choice(vocabulary).replace("_", " ") for _ in range(count))

    def batch(start: int, size: int) -> list[dict]:
        out = []
        for n in range(start, start + size):
            english = n % 5 == 0
            vocabulary = ENGLISH if english else WORDS
            out.append({"key": f"r:{n}", "language": "en" if english else "vi",
                        "title": text(vocabulary, rng.randint(1, 4)),
                        "body": text(vocabulary, rng.randint(0, 60))})  # fmt: skip
        return out

    for start in (0, 60, 120, 180):
        index.add(*batch(start, 60))
    index.add(*batch(10, 30))  # replaced: the old versions are deleted documents
    yield index
    index.store.close()


def test_segment_readers_match_whooshs_public_api(corpus):
    with corpus.store.searcher() as searcher:
        leaves = list(searcher.leaf_searchers())
        assert len(leaves) > 1
        assert any(sub.reader().has_deletions() for sub, _ in leaves)
        for sub, _offset in leaves:
            reader = sub.reader()
            for field in ("text", "text_en", "title", "title_exact", "text_exact"):
                lengths = read_lengths(reader, field)
                expected = [reader.doc_field_length(d, field) or 0
                            for d in range(reader.doc_count_all())]  # fmt: skip
                assert lengths.tolist() == expected
                deleted = reader.deleted_docs_set
                for term in reader.field_terms(field):
                    ids, weights = read_postings(reader, field, term)
                    kept = [(i, w) for i, w in zip(ids.tolist(), weights.tolist(), strict=True)
                            if i not in deleted]  # fmt: skip
                    assert kept == list(reader.postings(field, term).items_as("weight"))
            assert read_postings(reader, "text", "không-có")[0].size == 0


QUERIES = [
    "học", "hoc", "hóc", "điện", "dien nuoc", "nghề điện", '"nghề điện"', "điện -nước",
    "lúa OR chữ", "hòa", "hoà", "learning", "farm water", "cà phê", '"trong lua"',
    "hoc nghe dien", "dạy | learn", "đồng -\"điện tử\"",
]  # fmt: skip


def _by_sets(searcher, query) -> set[int]:
    """What ``query`` matches, from Whoosh's posting lists of its leaves and set algebra (its
    own AndNot keeps some excluded documents in a segment with deletions: whoosh3 3.54.0)."""
    if isinstance(query, And):
        return set.intersection(*(_by_sets(searcher, q) for q in query.subqueries))
    if isinstance(query, Or):
        return set.union(*(_by_sets(searcher, q) for q in query.subqueries))
    if isinstance(query, AndNot):
        return _by_sets(searcher, query.a) - _by_sets(searcher, query.b)
    return set(searcher.docs_for_query(query))


@pytest.mark.parametrize("text", QUERIES)
def test_matches_scores_and_order_are_whooshs(corpus, text):
    parsed = parse(text)
    query = build(parsed)
    with corpus.store.searcher() as searcher:
        docs = docsets.matching(corpus.store, searcher, matching(parsed))
        docs &= view(corpus.store, searcher).live
        matched = np.flatnonzero(docs).tolist()
        assert matched == sorted(_by_sets(searcher, matching(parsed)))
        assert matched
        expected = searcher.search(query, limit=None, filter=set(matched))
        assert sorted(hit.docnum for hit in expected) == matched
        mine = ranking.top(corpus.store, searcher, query, docs, len(matched))
        theirs = {hit.docnum: hit.score for hit in expected}
        assert len(mine) == len(theirs)
        for score, docnum in mine:
            assert score == pytest.approx(theirs[docnum], rel=1e-9)
        # Best first, ties in index order.
        assert mine == sorted(mine, key=lambda pair: (-round(pair[0], 9), pair[1]))


def test_a_page_is_the_best_of_the_matches_and_ties_go_in_index_order(corpus):
    query = build(parse("điện"))
    with corpus.store.searcher() as searcher:
        docs = view(corpus.store, searcher).live & docsets.matching(
            corpus.store, searcher, matching(parse("điện"))
        )
        every = ranking.top(corpus.store, searcher, query, docs, int(docs.sum()))
        assert ranking.top(corpus.store, searcher, query, docs, 5) == every[:5]
        # Ten documents with the same score: pages of three never overlap.
        same = np.zeros_like(docs)
        same[np.flatnonzero(docs)[:10]] = True
        constant = ranking.top(corpus.store, searcher, build(parse("zzz")), same, 10)
        assert [d for _, d in constant] == np.flatnonzero(same).tolist()
        assert ranking.top(corpus.store, searcher, query, np.zeros_like(docs), 5) == []


def test_warm_reads_the_common_words_of_new_segments_once(corpus):
    from search.segments import warm

    with corpus.store.searcher() as searcher:
        parts = view(corpus.store, searcher).parts
        for segment, _reader, _offset in parts:
            segment.warmed = False
            segment.postings.clear()
    read = warm(corpus.store)
    assert read > 0
    with corpus.store.searcher() as searcher:
        segment = max(view(corpus.store, searcher).parts, key=lambda p: p[1].doc_count_all())[0]
        assert ("text", "dien") in segment.postings
    assert warm(corpus.store) == 0  # each segment once
    assert corpus.keys("điện")  # searches see the same postings
