"""Resources as JSON, and the opaque cursors that page through them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import current_app, url_for
from itsdangerous import BadData, URLSafeSerializer

from courses.resources.queries import Shown
from courses.resources.vocabulary import licence_label, licence_url

CURSOR_SALT = "api.v1.resources.cursor"


class BadCursor(ValueError):
    """A cursor this API did not write (malformed or tampered with)."""


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=CURSOR_SALT)


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def encode_cursor(published_at: datetime, resource_id: int) -> str:
    """Base64url JSON of ``(published_at, id)`` of the last item, signed."""
    return _serializer().dumps([_utc(published_at).isoformat(), resource_id])


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    try:
        moment, resource_id = _serializer().loads(cursor)
        if not isinstance(resource_id, int) or isinstance(resource_id, bool):
            raise BadCursor(cursor)
        return _utc(datetime.fromisoformat(moment)), resource_id
    except (BadData, TypeError, ValueError) as exc:
        raise BadCursor(cursor) from exc


def iso_utc(moment: datetime | None) -> str | None:
    """UTC ISO 8601 with a ``Z``; stored datetimes are UTC, with or without tzinfo."""
    if moment is None:
        return None
    return _utc(moment).replace(tzinfo=None).isoformat(timespec="seconds") + "Z"


def summary(shown: Shown) -> dict[str, Any]:
    """One resource in the list: text in the first language of the chain it has."""
    resource = shown.resource
    code = resource.licence
    return {
        "id": resource.id,
        "url": url_for("resources.detail", resource_id=resource.id, _external=True),
        "title": shown.title,
        "summary": shown.summary,
        "language": shown.language,
        "languages": sorted((shown.language, *shown.others)),
        "subjects": resource.subject_codes,
        "licence": {"code": code, "label": licence_label(code), "url": licence_url(code) or None},
        "author": resource.author,
        "published_at": iso_utc(resource.published_at),
    }


def detail(shown: Shown) -> dict[str, Any]:
    """One resource with its sanitised body HTML and its published attachments."""
    resource = shown.resource
    return summary(shown) | {
        "body_html": str(shown.html),
        "attachments": [
            {
                "name": attachment.filename,
                "type": attachment.content_type,
                "size": attachment.size,
                "url": url_for(
                    "resources.download",
                    resource_id=resource.id,
                    attachment_id=attachment.id,
                    _external=True,
                ),
            }
            for attachment in shown.attachments
        ],
    }
