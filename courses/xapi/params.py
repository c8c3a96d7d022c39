"""Query parameters of the document, Activities and Agents resources, checked: xAPI 2.0
refuses (400) a parameter it does not know (names are case-sensitive), one sent twice, a
missing required one, and a value of the wrong form (an ``agent`` that is not an Agent's
JSON, an ``activityId`` that is not an IRI, a ``registration`` that is not a UUID, a
``since`` that is not a timestamp)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from flask import request

from courses.records.models import IRI_LENGTH
from courses.records.statements import (
    StatementError,
    check_agent,
    check_uuid,
    nfc_all,
    parse_timestamp,
)
from courses.xapi.documents import DocumentError

_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:\S+")


def bad(message: str) -> DocumentError:
    return DocumentError(400, message)


def read(allowed: Iterable[str], required: Iterable[str] = ()) -> dict[str, str]:
    """The request's query parameters, refused unless each is allowed, sent once, and the
    required ones are there."""
    allowed = set(allowed)
    unknown = sorted(set(request.args) - allowed)
    if unknown:
        known = ", ".join(sorted(allowed))
        raise bad(f"unknown parameter(s) {', '.join(unknown)}; this resource takes {known}")
    twice = sorted(name for name in request.args if len(request.args.getlist(name)) > 1)
    if twice:
        raise bad(f"parameter(s) {', '.join(twice)} sent more than once")
    missing = sorted(set(required) - set(request.args))
    if missing:
        raise bad(f"missing required parameter(s) {', '.join(missing)}")
    return dict(request.args.items())


def activity_iri(value: str) -> str:
    if len(value) > IRI_LENGTH or not _IRI.fullmatch(value):
        raise bad(f"activityId must be an IRI of at most {IRI_LENGTH} characters")
    return value


def agent(value: str, *, groups: bool = True) -> tuple[dict[str, Any], str]:
    """The Agent (or identified Group, when ``groups``) the JSON ``value`` names, and its
    key as statements store it."""
    try:
        parsed = nfc_all(json.loads(value))
    except ValueError:
        raise bad("agent must be the JSON of an Agent object") from None
    try:
        found, key = check_agent(parsed, "agent")
    except StatementError as exc:
        raise bad(exc.message) from None
    if found["objectType"] == "Group" and (not groups or key.startswith("group:")):
        raise bad("agent must be an Agent" + (" or an identified Group" if groups else ""))
    if len(key) > IRI_LENGTH:
        raise bad("agent's identifier is too long")
    return found, key


def registration(value: str) -> str:
    try:
        return check_uuid(value, "invalid_registration", "registration")
    except StatementError as exc:
        raise bad(exc.message) from None


def since(value: str) -> datetime:
    try:
        return parse_timestamp(value, "since")
    except StatementError as exc:
        raise bad(exc.message) from None


def document_id(name: str, value: str) -> str:
    if not value or len(value) > IRI_LENGTH:
        raise bad(f"{name} must be 1 to {IRI_LENGTH} characters")
    return value
