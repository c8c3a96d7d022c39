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
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from whoosh import highlight, sorting
from whoosh.query import And, AndNot, NumericRange, Or, Phrase, Query, Term

from search.analysis import (
    english_analyzer,
    exact_analyzer,
    fold,
    folded_analyzer,
    normalise,
    terms,
)
from search.schema import FACETS
from search.store import IndexStore

MAX_CHARS = 500
MAX_CLAUSES = 16
MAX_PAGE = 100
PER_PAGE = 10
SUGGEST_BELOW = 3  # fewer hits than this and an unknown word: offer "did you mean"

_FOLDED, _EXACT, _ENGLISH = folded_analyzer(), exact_analyzer(), english_analyzer()
FIELDS = (
    ("title", _FOLDED),
    ("title_exact", _EXACT),
    ("title_en", _ENGLISH),
    ("body", _FOLDED),
    ("body_exact", _EXACT),
    ("body_en", _ENGLISH),
)
_FACET_FIELDS = {"language": "language", "kind": "kind", "subject": "subject",
                 "level": "level", "licence": "licence"}  # fmt: skip
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


def clause_query(clause: Clause) -> Query | None:
    """One clause in every field, each with its own analysis."""
    alternatives: list[Query] = []
    for name, analyzer in FIELDS:
        found = terms(analyzer, clause.text)
        if not found:
            continue
        if len(found) == 1:
            alternatives.append(Term(name, found[0]))
        else:
            alternatives.append(Phrase(name, found))
    return Or(alternatives) if alternatives else None


def build(parsed: Parsed) -> Query | None:
    """The Whoosh query of a parsed query string (None when nothing is left to search)."""
    positives = []
    for group in parsed.groups:
        queries = [q for q in map(clause_query, group) if q is not None]
        if queries:
            positives.append(queries[0] if len(queries) == 1 else Or(queries))
    if not positives:
        return None
    query: Query = positives[0] if len(positives) == 1 else And(positives)
    negatives = [q for q in map(clause_query, parsed.excluded) if q is not None]
    if negatives:
        query = AndNot(query, Or(negatives))
    return query


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


def _value_docs(store: IndexStore, searcher: Any, name: str, value: str) -> frozenset[int]:
    """The documents with ``value`` in facet ``name``; cached until the searcher changes, so a
    filter costs a set lookup instead of a posting-list walk per search."""
    key = ("facet", name, value)
    cached = store.cache.get(key)
    if cached is None:
        cached = store.cache[key] = frozenset(
            searcher.docs_for_query(Term(_FACET_FIELDS[name], value))
        )
    return cached


def _filter(store: IndexStore, searcher: Any, filters: Mapping[str, str]) -> set[int] | None:
    sets = [_value_docs(store, searcher, name, value) for name, value in sorted(filters.items())]
    if not sets:
        return None
    sets.sort(key=len)
    return set(sets[0]).intersection(*sets[1:])


def _today() -> date:
    return datetime.now(UTC).date()  # the day the lesson pages use to open a cohort


def _closed(store: IndexStore, searcher: Any, today: int) -> set[int]:
    """The documents that open after ``today`` (YYYYMMDD); cached per searcher and day."""
    key = ("closed", today)
    cached = store.cache.get(key)
    if cached is None:
        cached = store.cache[key] = set(
            searcher.docs_for_query(NumericRange("opens_on", today + 1, None))
        )
    return cached


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
            for name, analyzer in FIELDS
            for term in terms(analyzer, clause.text)
        )
        found = None if known else _correct(searcher, fold(clause.text))
        changed = changed or found is not None
        words.append(found or clause.text)
    return " ".join(words) if changed else None


def _correct(searcher: Any, word: str) -> str | None:
    """The nearest word of the titles and bodies: one edit away, else two for words of four
    letters or more (Whoosh counts swapped letters, "dein" for "dien", as two edits)."""
    for distance in (1, 2) if len(word) > 3 else (1,):
        for name in ("title", "body"):
            found = searcher.corrector(name).suggest(word, limit=1, maxdist=distance, prefix=1)
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
        facets = {name: sorting.FieldFacet(_FACET_FIELDS[name], allow_overlap=name == "subject",
                                           maptype=sorting.Count) for name in FACETS}  # fmt: skip
        allowed = _filter(store, searcher, filters)
        if allowed is not None and not allowed:
            return results  # no document has those values (Whoosh reads set() as no filter)
        found = searcher.search(
            query,
            limit=page * per_page,
            filter=allowed,
            mask=_closed(store, searcher, int((today or _today()).strftime("%Y%m%d"))) or None,
            groupedby=facets,
            scored=True,
        )
        # Highlight what was asked for, not what was excluded.
        found.q = build(Parsed(parsed.groups, ()))
        found.formatter = _MarkFormatter()
        found.fragmenter = highlight.ContextFragmenter(maxchars=240, surround=60)
        # Titles whole: a context fragment drops what lies before the first word and after
        # the last ("<b>Điện</b>." would lose its "<" and ".").
        titles = highlight.Highlighter(
            fragmenter=highlight.WholeFragmenter(), formatter=found.formatter
        )
        results.total = len(found)
        for name in FACETS:
            counts = found.groups(name)
            results.facets[name] = sorted(
                ((str(value), n) for value, n in counts.items() if value not in (None, "")),
                key=lambda item: (-item[1], item[0]),
            )
        start = (page - 1) * per_page
        for hit in list(found)[start : start + per_page]:
            stored = hit.fields()
            title, body = stored.get("title", ""), stored.get("body", "")
            # English documents are matched by stems too: highlight with the stemming fields.
            suffix = "_en" if stored["language"] == "en" else ""
            results.hits.append(
                Hit(
                    key=stored["key"],
                    kind=stored["kind"],
                    language=stored["language"],
                    url=stored["url"],
                    title=title,
                    title_html=titles.highlight_hit(hit, f"title{suffix}", text=title, minscore=0)
                    or html.escape(title, quote=False),
                    snippet_html=hit.highlights(f"body{suffix}", text=body, top=2),
                    context=stored.get("context", ""),
                    subjects=[s for s in stored.get("subject", "").split(",") if s],
                    level=stored.get("level", ""),
                    licence=stored.get("licence", ""),
                    score=float(hit.score or 0.0),
                )
            )
        if results.total < SUGGEST_BELOW:
            results.suggestion = _suggest(searcher, parsed)
    if visible is not None and results.hits:
        shown = visible(results.hits)
        results.hits = [hit for hit in results.hits if hit.key in shown]
    return results
