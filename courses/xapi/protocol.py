"""What every request to the LRS goes through: Basic authentication of its client, the
client's rate limit, the ``X-Experience-API-Version`` header both ways, and errors as JSON
(see :func:`portal.errors.render_error`). The About resource is open to everyone."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime
from functools import wraps
from typing import Any

from flask import Blueprint, Flask, Response, abort, g, jsonify, request
from limits import parse_many
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.http import HTTP_STATUS_CODES

from courses.records.statements import XAPI_VERSION
from courses.xapi import clients
from courses.xapi.models import LrsClient
from portal.extensions import db, limiter

logger = logging.getLogger(__name__)

VERSION_HEADER = "X-Experience-API-Version"
PREFIX = "/xapi/"
# Endpoints that answer without credentials or version header.
OPEN_ENDPOINTS = {"xapi.about"}


def error(status: int, message: str) -> Response:
    """A JSON error answer in the shape of the portal's API errors (RFC 9457, in English:
    the LRS's callers are programs; xAPI sets no error format)."""
    title = HTTP_STATUS_CODES.get(status, "Error")
    response = jsonify({"type": "about:blank", "title": title, "status": status, "detail": message})
    response.status_code = status
    response.mimetype = "application/problem+json"
    return response


def current_client() -> LrsClient:
    return g.xapi_client


def requires(scope: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Refuse (403) a request whose client lacks ``scope``."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if not clients.allows(current_client(), scope):
                return error(403, f"these credentials do not have the scope {scope}")
            return view(*args, **kwargs)

        return wrapper

    return decorate


def _authenticate() -> Response | None:
    if request.endpoint in OPEN_ENDPOINTS or request.method == "OPTIONS":
        return None
    auth = request.authorization
    client = None
    if auth is not None and auth.type == "basic":
        client = clients.authenticate(auth.username, auth.password)
    if client is None:
        response = error(401, "valid Basic-auth credentials of an LRS client are required")
        response.headers["WWW-Authenticate"] = 'Basic realm="xAPI", charset="UTF-8"'
        return response
    g.xapi_client = client
    moment = datetime.now(UTC)
    if clients.touch_due(client, moment):
        g.xapi_touch = (client.id, moment)
    for item in parse_many(client.rate_limit):
        if not _hit(item, client.key):
            response = error(429, f"rate limit {client.rate_limit} reached")
            reset, _remaining = limiter.limiter.get_window_stats(item, "xapi", client.key)
            response.headers["Retry-After"] = str(max(1, int(reset - time.time())))
            return response
    return None


def _hit(item: Any, key: str) -> bool:
    """Count one request against the client's limit; True while it is within. When the
    limiter's storage (Redis) cannot be reached the request is served and a warning logged:
    an outage of the counters must not take the learning record store down with it."""
    try:
        return bool(limiter.limiter.hit(item, "xapi", key))
    except Exception as exc:  # redis' own errors, or limits' StorageError when wrapped
        logger.warning("LRS rate limit of client %s not counted: %s", key, exc)
        return True


def _check_version() -> Response | None:
    if request.endpoint in OPEN_ENDPOINTS or request.method == "OPTIONS":
        return None
    version = request.headers.get(VERSION_HEADER)
    if version is None:
        return error(400, f"the {VERSION_HEADER} header is required")
    if version != "2.0" and not version.startswith("2.0."):
        return error(400, f"xAPI version {version!r} is not supported; this LRS speaks 2.0")
    return None


def install(bp: Blueprint) -> None:
    """Hook the checks into the LRS blueprint: version first (a 400 needs no credentials),
    then credentials and rate limit."""
    bp.before_request(_check_version)
    bp.before_request(_authenticate)


def init_app(app: Flask) -> None:
    """Every answer under ``/xapi/`` carries the version header, errors and 404s too."""

    @app.after_request
    def version_header(response: Response) -> Response:
        if request.path.startswith(PREFIX) or request.path == PREFIX.rstrip("/"):
            response.headers[VERSION_HEADER] = XAPI_VERSION
        return response

    @app.teardown_request
    def touch_client(exc: BaseException | None) -> None:
        # After the request's own commit or rollback (portal.app.commit_request).
        due = g.pop("xapi_touch", None)
        if due is None or exc is not None:
            return
        try:
            clients.touch(*due)
        except SQLAlchemyError as error:  # a busy database: the next request writes it
            db.session.rollback()
            logger.warning("LRS client %s: last use not recorded: %s", due[0], error)


def not_found(message: str) -> None:
    abort(error(404, message))
