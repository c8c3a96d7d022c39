"""Read-only JSON views: they parse arguments, load, and answer JSON or a problem."""

from __future__ import annotations

from datetime import datetime
from typing import Any, NoReturn

from flask import Response, abort, current_app, jsonify, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from courses import discovery
from courses.api import queries as course_queries
from courses.api import serializers
from courses.api.openapi import DOCUMENT
from courses.dashboards import queries as dashboard_queries
from courses.resources import queries
from courses.resources.models import Status
from portal.i18n import LANGUAGES, current_language
from search.query import MAX_PAGE

DEFAULT_LIMIT = 20
MAX_LIMIT = 100


def problem(status: int, title: str, detail: str) -> Response:
    """An RFC 9457 problem document (English: it is read by developers)."""
    response = jsonify(type="about:blank", title=title, status=status, detail=detail)
    response.status_code = status
    response.mimetype = "application/problem+json"
    return response


def _limit() -> int | None:
    raw = request.args.get("limit", "")
    if not raw:
        return DEFAULT_LIMIT
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
        return None
    return int(raw)


def _bad_request(detail: str) -> NoReturn:
    abort(problem(400, "Bad request", detail))


def _paging(salt: str) -> tuple[int, tuple[datetime, int] | None]:
    """The page size and the position after which the page starts (from the cursor signed
    with ``salt``), or a 400 problem."""
    limit = _limit()
    if limit is None:
        _bad_request(f"limit must be an integer from 1 to {MAX_LIMIT}.")
    cursor = request.args.get("cursor")
    try:
        return limit, serializers.decode_cursor(cursor, salt=salt) if cursor else None
    except serializers.BadCursor:
        _bad_request("cursor is malformed or was not issued by this API.")


def _next_url(endpoint: str, rows: list[Any], limit: int, salt: str) -> str | None:
    """The link to the page after ``rows`` (fetched ``limit + 1`` to see whether there is
    one): the same query with the cursor of the last row shown, or None."""
    if len(rows) <= limit:
        return None
    last = rows[limit - 1]
    args = {k: v for k, v in request.args.items() if k != "cursor"}
    args["cursor"] = serializers.encode_cursor(last.published_at, last.id, salt=salt)  # type: ignore[arg-type]
    return url_for(endpoint, _external=True, **args)


def resources() -> Response:
    salt = serializers.CURSOR_SALT
    limit, after = _paging(salt)
    filters = {"subject": request.args.get("subject"), "licence": request.args.get("licence")}
    rows = queries.public_after(after=after, limit=limit + 1, **filters)
    next_url = _next_url("api.resources", rows, limit, salt)
    chain = current_language().chain
    shown = [s for s in (queries.show(r, chain) for r in rows[:limit]) if s is not None]
    return jsonify(items=[serializers.summary(s) for s in shown], next=next_url)


def resource(resource_id: int) -> Response:
    found = queries.get_resource(resource_id)
    if found is None or not found.is_public or found.status == Status.ARCHIVED:
        abort(404)
    shown = queries.show(found, current_language().chain)
    if shown is None:
        abort(404)
    return jsonify(serializers.detail(shown))


def courses() -> Response:
    salt = serializers.COURSE_CURSOR_SALT
    limit, after = _paging(salt)
    language = request.args.get("language") or None
    if language is not None and language not in LANGUAGES:
        _bad_request("language must be a language code of the portal.")
    filters = {name: request.args.get(name) or None for name in ("subject", "level", "kind")}
    rows = course_queries.published_courses_after(
        after=after, limit=limit + 1, language=language, **filters
    )
    next_url = _next_url("api.courses", rows, limit, salt)
    chain = current_language().chain
    return jsonify(
        items=[serializers.course_summary(c, chain) for c in rows[:limit]], next=next_url
    )


def course(course_id: int) -> Response:
    found = course_queries.published_course(course_id)
    if found is None:
        abort(404)
    return jsonify(serializers.course_detail(found, current_language().chain))


# The search API's filter parameters and the facets they filter (``lang`` is the language of
# the content here, as the issue asks; it also sets the interface language of problems).
SEARCH_PARAMS = {
    "lang": "language",
    "kind": "kind",
    "subject": "subject",
    "level": "level",
    "licence": "licence",
}


def _search_page() -> int:
    raw = request.args.get("page", "")
    if not raw:
        return 1
    if not (raw.isascii() and raw.isdigit() and 1 <= int(raw) <= MAX_PAGE):
        _bad_request(_("page must be a whole number from 1 to %(most)d.", most=MAX_PAGE))
    return int(raw)


def search() -> Response:
    given = {facet: request.args.get(param, "") for param, facet in SEARCH_PARAMS.items()}
    filters, unknown = discovery.check_search_filters(given)
    if unknown:
        facet, value = unknown[0]
        param = next(p for p, f in SEARCH_PARAMS.items() if f == facet)
        allowed = ", ".join(sorted(discovery.search_filter_values()[facet]))
        _bad_request(
            _(
                "%(name)s=%(value)s is not known: use one of %(allowed)s.",
                name=param,
                value=value[:80],
                allowed=allowed,
            )
        )
    page = _search_page()
    results = current_app.extensions["search"].search(
        request.args.get("q", ""), filters=filters, page=page
    )
    args = {"q": results.query, **{p: filters[f] for p, f in SEARCH_PARAMS.items() if f in filters}}
    pages = min(results.pages, MAX_PAGE)

    def link(number: int) -> str:
        return url_for(
            "api.search", _external=True, **{k: v for k, v in args.items() if v}, page=number
        )

    links = {
        "self": link(page),
        "next": link(page + 1) if page < pages else None,
        "prev": link(min(page - 1, pages)) if page > 1 else None,
    }
    return jsonify(serializers.search_results(results, pages=pages, links=links))


def my_enrolments() -> Response:
    if not current_user.is_authenticated:
        response = problem(401, "Unauthorized", "Sign in to the portal to see your enrolments.")
        response.headers["WWW-Authenticate"] = 'Cookie realm="portal"'  # the session cookie
        return response
    chain = current_language().chain
    year = dashboard_queries.today_local().year
    items = dashboard_queries.learner_courses(current_user.id, chain, include_withdrawn=True)
    response = jsonify(
        year=year,
        hours_this_year=round(dashboard_queries.hours_in_year(current_user.id, year), 2),
        items=[serializers.enrolment(item) for item in items],
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


def openapi() -> Response:
    return jsonify(DOCUMENT)
