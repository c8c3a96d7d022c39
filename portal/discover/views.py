"""The search page: parse the query and filters, ask the index, render results and facets.

Filters come as ``language``, ``kind``, ``subject``, ``level`` and ``licence`` (``lang`` is
taken: it switches the interface language). An unknown value is ignored with a notice, and a
page number outside 1-100 means the first page, so no typo in a link ever breaks the page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from courses.discovery import check_search_filters
from courses.resources.vocabulary import LEVELS, SUBJECTS, licence_label
from portal.i18n import LANGUAGES
from search.query import MAX_CHARS, MAX_PAGE, Hit
from search.schema import FACETS

FACET_HEADINGS = {
    "language": _l("Language"),
    "kind": _l("Type"),
    "subject": _l("Subject"),
    "level": _l("Level"),
    "licence": _l("Licence"),
}
KINDS = {
    "resource": _l("Resource"),
    "course": _l("Course"),
    "lesson": _l("Lesson"),
    "centre": _l("Learning centre"),
    # i18n: a class run by a learning centre (a group of learners and its sessions)
    "class": _l("Class"),
    "harvested": _l("From another library"),
}
# What the page says about a filter value it does not know (each sentence whole, for
# translators).
UNKNOWN: dict[str, Callable[[str], str]] = {
    "language": lambda value: _(
        "There is no language “%(value)s”: all languages are shown.", value=value
    ),
    "kind": lambda value: _("There is no type “%(value)s”: all types are shown.", value=value),
    "subject": lambda value: _(
        "There is no subject “%(value)s”: all subjects are shown.", value=value
    ),
    "level": lambda value: _("There is no level “%(value)s”: all levels are shown.", value=value),
    "licence": lambda value: _(
        "There is no licence “%(value)s”: all licences are shown.", value=value
    ),
}


def page_number(raw: str | None) -> int:
    """``raw`` as a page from 1 to ``MAX_PAGE``; anything else is the first page."""
    raw = (raw or "").strip()
    if raw.isascii() and raw.isdigit() and 1 <= int(raw) <= MAX_PAGE:
        return int(raw)
    return 1


def facet_label(facet: str, value: str) -> str:
    """A facet value as visitors read it (the code itself when the vocabulary lacks it)."""
    if facet == "language":
        return LANGUAGES[value].endonym if value in LANGUAGES else value
    if facet == "licence":
        return licence_label(value)
    labels: dict[str, Any] = {"kind": KINDS, "subject": SUBJECTS, "level": LEVELS}[facet]
    return str(labels.get(value, value))


def page_window(page: int, pages: int, around: int = 2) -> list[int | None]:
    """The page numbers to link: the first, the last and ``around`` either side of
    ``page``; ``None`` where numbers are skipped."""
    shown = sorted({1, pages, *range(max(1, page - around), min(pages, page + around) + 1)})
    window: list[int | None] = []
    for number in shown:
        if window and number - (window[-1] or 0) > 1:
            window.append(None)
        window.append(number)
    return window


def _marked(hit: Hit) -> dict[str, Any]:
    """A hit with its highlights as markup (the engine escaped the text around <mark>)."""
    return {
        "hit": hit,
        "title_html": Markup(hit.title_html),  # noqa: S704  (escaped by search.query)
        "snippet_html": Markup(hit.snippet_html),  # noqa: S704  (escaped by search.query)
        "endonym": facet_label("language", hit.language),
        "kind": facet_label("kind", hit.kind),
        # Harvested records link to their source, elsewhere.
        "url": hit.url if "://" in hit.url else request.script_root + hit.url,
    }


def search() -> str:
    text = request.args.get("q", "")[:MAX_CHARS]  # the index reads no further
    given = {facet: request.args.get(facet, "") for facet in FACETS}
    filters, unknown = check_search_filters(given)
    page = page_number(request.args.get("page"))
    results = None
    if text.strip():
        results = current_app.extensions["search"].search(text, filters=filters, page=page)
    state = {"q": text, **filters}

    def link(**changes: Any) -> str:
        """This search with ``changes`` (``None`` drops a parameter), back on page 1
        unless ``page`` is given."""
        args = {**state, **changes}
        return url_for("discover.search", **{k: v for k, v in args.items() if v})

    pages = min(results.pages, MAX_PAGE) if results else 1
    return render_template(
        "discover/search.html",
        text=text,
        filters=filters,
        notices=[UNKNOWN[facet](value[:80]) for facet, value in unknown],
        results=results,
        hits=[_marked(hit) for hit in results.hits] if results else [],
        page=page,
        pages=pages,
        window=page_window(page, pages),
        link=link,
        facets=FACETS,
        facet_headings=FACET_HEADINGS,
        facet_label=facet_label,
    )
