"""The agents and activities each stored statement names, as
:class:`courses.xapi.models.StatementLink` rows, so the ``agent``, ``activity``,
``related_agents`` and ``related_activities`` filters of the Statements resource are index
lookups instead of JSON searches. A StatementRef object is kept as a ``ref`` link to its
target's id (filters match statements that target a matching statement).

Every statement :func:`courses.records.operations.record` stores gets its links, the
portal's own too: :func:`connect` hooks :func:`write` to the ``recorded`` signal."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa

from courses.records import operations
from courses.records.models import IRI_LENGTH, Statement
from courses.records.statements import StatementError, check_agent
from courses.xapi.models import StatementLink
from portal.extensions import db

AGENT = "agent"
ACTIVITY = "activity"
REF = "ref"


def agent_key(agent: Any) -> str | None:
    """The key an Agent or identified Group is filed under (as the ``agent`` filter
    computes it), None for an anonymous Group or something that is no agent."""
    try:
        key = check_agent(agent, "agent")[1]
    except StatementError:
        return None
    return None if key.startswith("group:") else key[:IRI_LENGTH]


def _agents(value: Any, related: bool) -> Iterator[tuple[str, str, bool]]:
    if not isinstance(value, dict):
        return
    key = agent_key(value)
    if key:
        yield AGENT, key, related
    members = value.get("member")
    if value.get("objectType") == "Group" and isinstance(members, list):
        for member in members:
            key = agent_key(member)
            if key:
                yield AGENT, key, True


def _activity(value: Any, related: bool) -> Iterator[tuple[str, str, bool]]:
    if isinstance(value, dict) and isinstance(value.get("id"), str):
        yield ACTIVITY, value["id"][:IRI_LENGTH], related


def _context(context: Any) -> Iterator[tuple[str, str, bool]]:
    if not isinstance(context, dict):
        return
    for key in ("instructor", "team"):
        yield from _agents(context.get(key), True)
    for item in context.get("contextAgents") or []:
        if isinstance(item, dict):
            yield from _agents(item.get("agent"), True)
    for item in context.get("contextGroups") or []:
        if isinstance(item, dict):
            yield from _agents(item.get("group"), True)
    groups = context.get("contextActivities")
    if isinstance(groups, dict):
        for items in groups.values():
            for item in items if isinstance(items, list) else [items]:
                yield from _activity(item, True)


def _parts(data: dict[str, Any], *, sub: bool) -> Iterator[tuple[str, str, bool]]:
    yield from _agents(data.get("actor"), sub)
    obj = data.get("object")
    kind = obj.get("objectType", "Activity") if isinstance(obj, dict) else None
    if kind == "Activity":
        yield from _activity(obj, sub)
    elif kind in ("Agent", "Group"):
        yield from _agents(obj, sub)
    elif kind == "StatementRef" and not sub and isinstance(obj.get("id"), str):
        yield REF, obj["id"], False
    elif kind == "SubStatement" and not sub:
        yield from _parts(obj, sub=True)
    yield from _context(data.get("context"))
    if not sub:
        yield from _agents(data.get("authority"), True)


def links_of(data: dict[str, Any]) -> set[tuple[str, str, bool]]:
    """``(kind, value, related)`` for every agent, activity and target a statement names."""
    return set(_parts(data, sub=False))


def write(rows: list[Statement]) -> None:
    """Insert the links of freshly stored statements (one ``INSERT`` for them all)."""
    values = [
        {"statement_pk": row.id, "kind": kind, "value": value, "related": related}
        for row in rows
        for kind, value, related in sorted(links_of(row.data))
    ]
    if values:
        db.session.execute(sa.insert(StatementLink), values)


def _on_recorded(row: Statement, **_: Any) -> None:
    write([row])


def connect() -> None:
    """Index every statement the store records from now on (idempotent)."""
    operations.recorded.connect(_on_recorded)
