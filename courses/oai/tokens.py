"""Resumption tokens: stateless, signed with the application's secret. A token carries the
list's query (verb, format, from, until, set), the key of the last record sent (datestamp,
resource id), how many records were sent before (the cursor) and when it expires."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from flask import current_app
from itsdangerous import BadData, URLSafeSerializer

from courses.oai.errors import OaiError

SALT = "courses.oai resumption token"
DEFAULT_LIFETIME = 3600  # seconds


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def lifetime() -> int:
    return int(current_app.config.get("PORTAL_OAI_TOKEN_SECONDS", DEFAULT_LIFETIME))


def make(query: dict[str, Any], last: tuple[str, int], cursor: int) -> tuple[str, datetime]:
    """A token for the page after ``last``, and when it expires (to the second)."""
    expires = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=lifetime())
    payload = {"q": query, "k": list(last), "c": cursor, "x": int(expires.timestamp())}
    return _serializer().dumps(payload), expires


def read(token: str) -> tuple[dict[str, Any], tuple[str, int], int]:
    """``(query, last key, cursor)`` of a token; :class:`OaiError` if it was altered, is
    not one of ours or has expired."""
    try:
        payload = _serializer().loads(token)
        query, (stamp, number), cursor, expires = (
            dict(payload["q"]),
            payload["k"],
            int(payload["c"]),
            int(payload["x"]),
        )
    except (BadData, KeyError, TypeError, ValueError) as error:
        raise OaiError("badResumptionToken", "The resumption token is not valid.") from error
    if datetime.now(UTC).timestamp() > expires:
        raise OaiError("badResumptionToken", "The resumption token has expired.")
    return query, (str(stamp), int(number)), cursor
