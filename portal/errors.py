"""Error pages in the visitor's language, and JSON errors for the API."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError, ServiceUnavailable

from portal.extensions import db
from portal.i18n import force_language
from search.service import SearchUnavailable

logger = logging.getLogger(__name__)

MESSAGES = {
    400: (
        _l("Bad request"),
        _l("The request could not be understood. Please go back and try again."),
    ),
    403: (_l("Access denied"), _l("You do not have permission to open this page.")),
    404: (_l("Page not found"), _l("The page you asked for does not exist or has moved.")),
    405: (_l("Method not allowed"), _l("This page cannot be used that way.")),
    413: (_l("File too large"), _l("What you sent is larger than the portal accepts.")),
    429: (_l("Too many attempts"), _l("Please wait a little and try again.")),
    500: (
        _l("Something went wrong"),
        _l("The portal met an error. Nothing you saved before has been lost."),
    ),
    503: (
        _l("Service unavailable"),
        _l("The portal cannot reach its database right now. Please try again in a few minutes."),
    ),
}
SEARCH_UNAVAILABLE = _l("Search is not available right now. Please try again in a few minutes.")


def render_error(code: int, description: str | None = None):  # type: ignore[no-untyped-def]
    title, message = MESSAGES.get(code, MESSAGES[500])
    if request.path.startswith(("/api/", "/xapi/")):  # RFC 9457, in English: for programs
        with force_language("en"):
            body = {"type": "about:blank", "title": str(title), "status": code}
            body["detail"] = str(description or message)
        response = jsonify(body)
        response.status_code = code
        response.mimetype = "application/problem+json"
        return response
    return render_template(
        "errors/error.html", code=code, title=title, message=description or message
    ), code


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):  # type: ignore[no-untyped-def]
        code = exc.code or 500
        if code not in MESSAGES:
            return exc
        response = app.make_response(render_error(code))
        if code == 405 and getattr(exc, "valid_methods", None):
            response.headers["Allow"] = ", ".join(exc.valid_methods)  # type: ignore[attr-defined]
        if code == 429:
            response.headers["Retry-After"] = "60"
        return response

    @app.errorhandler(OperationalError)
    def database_unavailable(exc: OperationalError):  # type: ignore[no-untyped-def]
        logger.error("database unavailable: %s", exc)
        db.session.rollback()
        return render_error(ServiceUnavailable.code)

    @app.errorhandler(SearchUnavailable)
    def search_unavailable(exc: SearchUnavailable):  # type: ignore[no-untyped-def]
        return render_error(ServiceUnavailable.code, SEARCH_UNAVAILABLE)

    @app.errorhandler(InternalServerError)
    def internal_error(exc: InternalServerError):  # type: ignore[no-untyped-def]
        db.session.rollback()
        return render_error(500)
