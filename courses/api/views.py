"""Read-only JSON views: they parse arguments, load, and answer JSON or a problem."""

from __future__ import annotations

from flask import Response, abort, jsonify, request, url_for

from courses.api import serializers
from courses.api.openapi import DOCUMENT
from courses.resources import queries
from courses.resources.models import Status
from portal.i18n import current_language

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


def resources() -> Response:
    limit = _limit()
    if limit is None:
        return problem(400, "Bad request", f"limit must be an integer from 1 to {MAX_LIMIT}.")
    cursor = request.args.get("cursor")
    try:
        after = serializers.decode_cursor(cursor) if cursor else None
    except serializers.BadCursor:
        return problem(400, "Bad request", "cursor is malformed or was not issued by this API.")
    filters = {"subject": request.args.get("subject"), "licence": request.args.get("licence")}
    rows = queries.public_after(after=after, limit=limit + 1, **filters)
    more, rows = len(rows) > limit, rows[:limit]
    chain = current_language().chain
    shown = [s for s in (queries.show(r, chain) for r in rows) if s is not None]
    next_url = None
    if more and rows:
        last = rows[-1]
        args = {k: v for k, v in request.args.items() if k != "cursor"}
        args["cursor"] = serializers.encode_cursor(last.published_at, last.id)  # type: ignore[arg-type]
        next_url = url_for("api.resources", _external=True, **args)
    return jsonify(items=[serializers.summary(s) for s in shown], next=next_url)


def resource(resource_id: int) -> Response:
    found = queries.get_resource(resource_id)
    if found is None or not found.is_public or found.status == Status.ARCHIVED:
        abort(404)
    shown = queries.show(found, current_language().chain)
    if shown is None:
        abort(404)
    return jsonify(serializers.detail(shown))


def openapi() -> Response:
    return jsonify(DOCUMENT)
