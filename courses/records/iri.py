"""IRIs under the portal's base URL (``PORTAL_BASE_URL``): activities, extensions and the
account home page that names portal users in statements."""

from __future__ import annotations

import re
from typing import Any

from flask import current_app

ACTIVITY_PATH = "/xapi/activities/"
EXTENSION_PATH = "/xapi/extensions/"
VERB_PATH = "/xapi/verbs/"


def base_url() -> str:
    """``PORTAL_BASE_URL`` without a trailing slash."""
    return str(current_app.config["PORTAL_BASE_URL"]).rstrip("/")


def activity_iri(kind: str, key: int | str) -> str:
    """``activity_iri("course", 12)`` → ``{base}/xapi/activities/course/12``."""
    if not re.fullmatch(r"[a-z][a-z0-9-]*", kind):
        raise ValueError(f"activity kind {kind!r} must be lower-case letters, digits and '-'")
    return f"{base_url()}{ACTIVITY_PATH}{kind}/{key}"


def activity_kind(iri: str) -> str | None:
    """The kind of a portal activity IRI (``"course"``, ``"lesson"``...), else None."""
    prefix = base_url() + ACTIVITY_PATH
    if not iri.startswith(prefix):
        return None
    kind, _, key = iri[len(prefix) :].partition("/")
    return kind if kind and key else None


def extension_iri(name: str) -> str:
    """``extension_iri("lesson-count")`` → ``{base}/xapi/extensions/lesson-count``."""
    return f"{base_url()}{EXTENSION_PATH}{name}"


def lesson_count_extension() -> str:
    """Context extension carrying how many lessons the course has (an integer ≥ 1)."""
    return extension_iri("lesson-count")


def user_agent(user_id: int) -> dict[str, Any]:
    """The xAPI Agent for a portal user: an account on the portal's home page."""
    return {"objectType": "Agent", "account": {"homePage": base_url(), "name": str(user_id)}}


def portal_agent() -> dict[str, Any]:
    """The portal itself, the default ``authority`` of statements it records."""
    return {"objectType": "Agent", "account": {"homePage": base_url(), "name": "portal"}}
