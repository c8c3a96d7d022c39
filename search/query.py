"""Reading what people type, and answering it.

The syntax is the one people already know from web search, and nothing else (no field names,
wildcards or ranges that could be slow or surprising):

    hoc nghe dien          every word (AND)
    "nghề điện"            a phrase
    điện -nước             without a word (or -"a phrase")
    điện OR nước           either (also ``|``)

Junk never raises: control characters become spaces, an unbalanced quote is dropped, lone
operators are ignored, and only the first ``MAX_CHARS`` characters and ``MAX_CLAUSES`` words
count. Each word is analysed with the chain of every field it searches (folded, exact,
English), and a word that analyses into several terms (a Khmer word without spaces, a
hyphenated word) must match them side by side.
"""

from __future__ import annotations

import html
import math
import re
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import Any

import numpy as np
from whoosh import highlight
from whoosh.query import And, AndMaybe, AndNot, Or, Phrase, Query, Term

from search import docsets, ranking
from search.analysis import (
    english_analyzer,
    exact_analyzer,
    fold,
    folded_analyzer,
    normalise,
    terms,
)
from search.schema import FACETS
from search.segments import view
from search.store import IndexStore

MAX_CHARS = 500
MAX_CLAUSES = 16
MAX_PAGE = 100
PER_PAGE = 10
SUGGEST_BELOW = 3  # fewer hits than this and an unknown word: offer "did you mean"

_FOLDED, _EXACT, _ENGLISH = folded_analyzer(), exact_analyzer(), english_analyzer()
# A word must be in one of MATCH (each analysed its own way); BOOST fields add to the score
# of what matched: the title, and the diacritics exactly as typed.
MATCH = (("text", _FOLDED), ("text_en", _ENGLISH))
BOOST = (("title", _FOLDED), ("title_exact", _EXACT), ("text_exact", _EXACT))
_TOKEN = re.compile(r'(-?)"([^"]*)"|(\S+)')
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"'})
_OPERATORS = {"OR", "|", "-", "AND", "+", "&&", "||"}


@dataclass(frozen=True)
class Clause:
    text: str
    phrase: bool = False
    negated: bool = False


@dataclass(frozen=True)
class Parsed:
    """AND of ``groups`` (each an OR of clauses), without any of ``excluded``."""

    groups: tuple[tuple[Clause, ...], ...]
    excluded: tuple[Clause, ...]

    @property
    def words(self) -> list[Clause]:
        return [clause for group in self.groups for clause in group]


def parse(text: str | None) -> Parsed:
    """The clauses of a query string; never raises."""
    text = normalise(text or "")[:MAX_CHARS].translate(_QUOTES)
    if text.count('"') % 2:
        head, _, tail = text.rpartition('"')
        text = f"{head} {tail}"
    groups: list[list[Clause]] = []
    excluded: list[Clause] = []
    join_next = False
    for match in _TOKEN.finditer(text):
        if len(groups) + len(excluded) >= MAX_CLAUSES:
            break
        minus, quoted, bare = match.groups()
        if bare is not None:
            if bare in ("OR", "|", "||"):
                join_next = bool(groups)
                continue
            if bare in _OPERATORS:
                continue
            negated = bare.startswith("-")
            clause = Clause(bare.lstrip("-+"), negated=negated)
        else:
            clause = Clause(quoted, phrase=True, negated=bool(minus))
        if not terms(_FOLDED, clause.text):
            continue  # punctuation only
        if clause.negated:
            excluded.append(clause)
        elif join_next:
            groups[-1].append(clause)
        else:
            groups.append([clause])
        join_next = False
    return Parsed(tuple(tuple(g) for g in groups), tuple(excluded))


def clause_query(clause: Clause, fields: tuple[tuple[str, Any], ...] = MATCH) -> Query | None:
    """One clause in each of ``fields``, each with its own analysis."""
    alternatives: list[Query] = []
    for name, analyzer in fields:
        found = terms(analyzer, clause.text)
        if not found:
            continue
        if len(found) == 1:
            alternatives.append(Term(name, found[0]))
        else:
            alternatives.append(Phrase(name, found))
    if not alternatives:
        return None
    return alternatives[0] if len(alternatives) == 1 else Or(alternatives)


def matching(parsed: Parsed) -> Query | None:
    """What a document must match: every group (an OR of clauses), none of the excluded."""
    positives = []
    for group in parsed.groups:
        queries = [q for q in (clause_query(c) for c in group) if q is not None]
        if queries:
            positives.append(queries[0] if len(queries) == 1 else Or(queries))
    if not positives:
        return None
    query: Query = positives[0] if len(positives) == 1 else And(positives)
    negatives = [q for q in (clause_query(c) for c in parsed.excluded) if q is not None]
    if negatives:
        query = AndNot(query, Or(negatives))
    return query


def build(parsed: Parsed) -> Query | None:
    """The scored query: ``matching``, with the title and exact-diacritic fields adding to the
    score of what it matches (None when nothing is left to search)."""
    required = matching(parsed)
    if required is None:
        return None
    boosts = [q for q in (clause_query(c, _boosts(c)) for c in parsed.words) if q is not None]
    return AndMaybe(required, Or(boosts)) if boosts else required


def _boosts(clause: Clause) -> tuple[tuple[str, Any], ...]:
    """The title always; the exact fields only for words typed with diacritics (for "hoc",
    Khmer or English words the exact terms are the folded ones, and would only cost time)."""
    if terms(_EXACT, clause.text) == terms(_FOLDED, clause.text):
        return BOOST[:1]
    return BOOST


def highlight_terms(parsed: Parsed, analyzer: Any) -> frozenset[str]:
    """The terms of the words asked for (not the excluded ones) under ``analyzer``."""
    return frozenset(term for clause in parsed.words for term in terms(analyzer, clause.text))


class _MarkFormatter(highlight.Formatter):
    """HTML with the matched words in ``<mark>``, everything escaped."""

    between = " … "

    def _text(self, text: str) -> str:
        return html.escape(text, quote=False)

    def format_token(self, text: str, token: Any, replace: bool = False) -> str:
        return f"<mark>{html.escape(highlight.get_text(text, token, replace), quote=False)}</mark>"


@dataclass
class Hit:
    key: str
    kind: str
    language: str
    url: str
    title: str
    title_html: str  # escaped, matched words in <mark>
    snippet_html: str  # escaped, matched words in <mark>; "" when the body has no match
    context: str
    subjects: list[str]
    level: str
    licence: str
    score: float


@dataclass
class Results:
    query: str
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    page: int = 1
    per_page: int = PER_PAGE
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    suggestion: str | None = None

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))


def _today() -> date:
    return datetime.now(UTC).date()  # the day the lesson pages use to open a cohort


_FORMATTER = _MarkFormatter()
_SNIPPETS = highlight.ContextFragmenter(maxchars=240, surround=60)
# Titles whole: a context fragment drops what lies before the first word and after the last
# ("<b>Điện</b>." would lose its "<" and ".").
_TITLES = highlight.WholeFragmenter()


SNIPPET_SOURCE = 4000  # characters of a body read for its snippet
SNIPPET_WINDOW = 900  # characters around the first match analysed for the snippet
WINDOW_BEFORE = 300


def _window(text: str, wanted: frozenset[str]) -> str | None:
    """The part of ``text`` around the first place where one of the ``wanted`` terms shows in
    the folded text, cut at spaces: analysing ~900 characters for a snippet instead of 4,000
    is most of the cost of a page of hits. None when no term shows as it is (an English stem
    such as "happi", or folding that changes the text's length): then the whole source is
    analysed, as before."""
    folded = fold(text)
    if len(folded) != len(text):
        return None
    first = min((at for term in wanted if (at := folded.find(term)) >= 0), default=-1)
    if first < 0:
        return None
    start = max(0, first - WINDOW_BEFORE)
    end = min(len(text), start + SNIPPET_WINDOW)
    if start > 0:
        space = text.find(" ", start, first)
        start = space + 1 if space >= 0 else start
    if end < len(text):
        space = text.rfind(" ", first, end)
        end = space if space > first else end
    return text[start:end]


def _marked(text: str, parsed: Parsed, analyzer: Any, fragmenter: Any, top: int) -> str:
    """``text`` escaped, the words asked for in <mark> (as analysed by ``analyzer``; ``index``
    mode, so the parts of Khmer compounds are marked too). Snippets come from the first
    ``SNIPPET_SOURCE`` characters (analysing a whole long lesson per hit costs more than the
    search), and from the window around the first match in them when there is one."""
    wanted = highlight_terms(parsed, analyzer)
    source = text[:SNIPPET_SOURCE]
    window = _window(source, wanted) if len(source) > SNIPPET_WINDOW else None
    for part in (window, source) if window is not None else (source,):
        marked = highlight.highlight(
            part, wanted, analyzer, fragmenter, _FORMATTER, top=top, minscore=1, mode="index"
        )
        if marked:
            return marked
    return ""


def _hit(stored: Mapping[str, Any], score: float, parsed: Parsed) -> Hit:
    title, body = stored.get("title", ""), stored.get("body", "")
    # English documents match by stems too: mark what the stems matched.
    analyzer = _ENGLISH if stored["language"] == "en" else _FOLDED
    return Hit(
        key=stored["key"],
        kind=stored["kind"],
        language=stored["language"],
        url=stored["url"],
        title=title,
        title_html=_marked(title, parsed, analyzer, _TITLES, 1) or html.escape(title, quote=False),
        snippet_html=_marked(body, parsed, analyzer, _SNIPPETS, 2),
        context=stored.get("context", ""),
        subjects=[s for s in stored.get("subject", "").split(",") if s],
        level=stored.get("level", ""),
        licence=stored.get("licence", ""),
        score=score,
    )


def _suggest(searcher: Any, parsed: Parsed) -> str | None:
    changed = False
    words: list[str] = []
    for clause in parsed.words:
        if clause.phrase or len(terms(_FOLDED, clause.text)) != 1:
            words.append(f'"{clause.text}"' if clause.phrase else clause.text)
            continue
        # Known in any field under that field's analysis (an English word by its stem too).
        known = any(
            searcher.doc_frequency(name, term)
            for name, analyzer in MATCH
            for term in terms(analyzer, clause.text)
        )
        found = None if known else _correct(searcher, fold(clause.text))
        changed = changed or found is not None
        words.append(found or clause.text)
    return " ".join(words) if changed else None


def _correct(searcher: Any, word: str) -> str | None:
    """The nearest word of the titles and texts: one edit away, else two for words of four
    letters or more (Whoosh counts swapped letters, "dein" for "dien", as two edits)."""
    corrector = searcher.corrector("text")
    for distance in (1, 2) if len(word) > 3 else (1,):
        found = corrector.suggest(word, limit=1, maxdist=distance, prefix=1)
        if found:
            return found[0]
    return None


def search(
    store: IndexStore,
    text: str | None,
    *,
    filters: Mapping[str, str] | None = None,
    page: int = 1,
    per_page: int = PER_PAGE,
    visible: Callable[[Iterable[Hit]], set[str]] | None = None,
    today: date | None = None,
) -> Results:
    """Page ``page`` of the documents matching ``text`` under ``filters`` (facet → value),
    best first (BM25F, titles weighted), ties in index order so pages never overlap. With
    ``visible``, hits whose keys it does not return are left out (content unpublished since
    it was indexed)."""
    filters = {k: v for k, v in (filters or {}).items() if k in FACETS and v}
    page = min(max(1, page), MAX_PAGE)
    parsed = parse(text)
    results = Results(query=normalise(text or "")[:MAX_CHARS], page=page, per_page=per_page)
    query = build(parsed)
    if query is None:
        return results
    with store.searcher() as searcher:
        day = int((today or _today()).strftime("%Y%m%d"))
        pages: OrderedDict[Any, Results] = store.cache.setdefault("pages", OrderedDict())
        key = (parsed, tuple(sorted(filters.items())), page, per_page, day)
        if key in pages:  # the same page of the same search on the same index: paging back,
            pages.move_to_end(key)  # a facet removed again, a popular query
            results = replace(pages[key], query=results.query, hits=list(pages[key].hits))
        else:
            _answer(store, searcher, results, parsed, query, filters, day)
            pages[key] = replace(results, hits=list(results.hits))
            if len(pages) > PAGE_CACHE:
                pages.popitem(last=False)
    if visible is not None and results.hits:
        shown = visible(results.hits)
        results.hits = [hit for hit in results.hits if hit.key in shown]
    return results


PAGE_CACHE = 256  # result pages kept per searcher


def _answer(
    store: IndexStore,
    searcher: Any,
    results: Results,
    parsed: Parsed,
    query: Query,
    filters: Mapping[str, str],
    day: int,
) -> None:
    """Fill ``results`` from the index."""
    allowed = docsets.allowed(store, searcher, filters)
    # Every match, unscored (masks): the total and the facet counts.
    docs = docsets.matching(store, searcher, matching(parsed)) & view(store, searcher).live
    if allowed is not None:
        docs &= allowed
    docs &= ~docsets.closed(store, searcher, day)
    results.total = int(np.count_nonzero(docs))
    results.facets = docsets.count_facets(store, searcher, docs)
    if results.total:
        # Scored over arrays (search.ranking); only the page's hits are read and highlighted.
        best = ranking.top(store, searcher, query, docs, results.page * results.per_page)
        shown = best[(results.page - 1) * results.per_page :]
        results.hits = [_hit(searcher.stored_fields(d), score, parsed) for score, d in shown]
    if results.total < SUGGEST_BELOW:
        results.suggestion = _suggest(searcher, parsed)
