"""What one search document is, and the Whoosh schema that holds it.

A document is a plain dict made by whoever owns the content (the factory wires the content
packages to this one); ``search`` never sees a model object. One document per translation:

    {"key": "lesson:7:km", "root": "course:3", "kind": "lesson", "language": "km",
     "title": "...", "body": "...", "url": "/courses/3/lessons/7?lang=km",
     "context": "course title", "subjects": ["digital"], "level": "beginner",
     "licence": "cc-by", "opens_on": 20261207}

``opens_on`` (optional, a YYYYMMDD number) keeps a document out of results until that day:
a cohort's lessons are indexed with the course but open on its first day.

``root`` groups the documents that change together: the indexer replaces all documents of a
root at once, so a course leaving publication takes its lessons with it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from whoosh import fields

from search.analysis import english_analyzer, exact_analyzer, folded_analyzer, normalise

# Bumped whenever the schema or the analysis changes: `flask search check` then asks for a
# reindex.
SCHEMA_VERSION = 4
STATE_KEY = "~state"  # the document that holds the outbox cursor, committed with the changes
FACETS = ("language", "kind", "subject", "level", "licence")
TITLE_BOOST = 3.0
REQUIRED = ("key", "root", "kind", "language", "title", "url")


def make_schema() -> fields.Schema:
    folded, exact, english = folded_analyzer(), exact_analyzer(), english_analyzer()
    return fields.Schema(
        key=fields.ID(stored=True, unique=True),
        root=fields.ID(stored=True),
        kind=fields.ID(stored=True),
        language=fields.ID(stored=True),
        subject=fields.KEYWORD(stored=True, commas=True),
        level=fields.ID(stored=True),
        licence=fields.ID(stored=True),
        opens_on=fields.NUMERIC(int, bits=32, stored=True, signed=False),
        url=fields.STORED(),
        context=fields.STORED(),
        digest=fields.STORED(),
        cursor=fields.STORED(),
        schema_version=fields.STORED(),
        # A word must match ``text`` (title and body, folded) or ``text_en`` (English
        # documents, stemmed): one posting list per word, the cheap way to find matches.
        text=fields.TEXT(analyzer=folded),
        text_en=fields.TEXT(analyzer=english),
        # Only add to the score of what matched: the title weighs more, and so do the very
        # diacritics typed ("học" above "hóc").
        title=fields.TEXT(analyzer=folded, stored=True, field_boost=TITLE_BOOST),
        title_exact=fields.TEXT(analyzer=exact, field_boost=TITLE_BOOST),
        text_exact=fields.TEXT(analyzer=exact),
        body=fields.STORED(),  # the original text, for snippets
    )


def digest(document: Mapping[str, Any]) -> str:
    """A fingerprint of what a document says, to tell a stale index entry from a current one."""
    canonical = json.dumps(document, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(f"{SCHEMA_VERSION}:{canonical}".encode()).hexdigest()[:32]


def to_fields(document: Mapping[str, Any]) -> dict[str, Any]:
    """The Whoosh fields of a plain document (NFC text, one analysis per field)."""
    missing = [name for name in REQUIRED if not document.get(name)]
    if missing:
        raise ValueError(f"search document without {', '.join(missing)}: {document!r}")
    title = normalise(str(document["title"]))
    body = normalise(str(document.get("body") or ""))
    english = document["language"] == "en"
    row: dict[str, Any] = {
        "key": document["key"],
        "root": document["root"],
        "kind": document["kind"],
        "language": document["language"],
        "subject": ",".join(document.get("subjects") or ()),
        "level": document.get("level") or "",
        "licence": document.get("licence") or "",
        "url": document["url"],
        "context": normalise(str(document.get("context") or "")),
        "digest": digest(document),
        "title": title,
        "title_exact": title,
        "text": f"{title}\n{body}",
        "text_exact": f"{title}\n{body}",
        "body": body,
    }
    if document.get("opens_on"):
        row["opens_on"] = int(document["opens_on"])
    if english:
        row["text_en"] = f"{title}\n{body}"
    return {name: value for name, value in row.items() if value != ""}
