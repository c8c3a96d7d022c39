"""The ``format`` of statements the Statements resource returns: ``exact`` (as stored),
``ids`` (agents, groups, activities and verbs reduced to their identifiers) or
``canonical`` (every Activity with the LRS's canonical definition,
:mod:`courses.xapi.activities`, then every language map reduced to the one language the
client prefers, from its ``Accept-Language`` header)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from courses.xapi import activities

IFIS = ("mbox", "mbox_sha1sum", "openid", "account")
_AGENT_PLACES = ("actor", "authority")


def ids(statement: dict[str, Any]) -> dict[str, Any]:
    """The statement with identifiers only."""
    out = dict(statement)
    for key in _AGENT_PLACES:
        if isinstance(out.get(key), dict):
            out[key] = _agent_ids(out[key])
    if isinstance(out.get("verb"), dict):
        out["verb"] = {"id": out["verb"].get("id")}
    obj = out.get("object")
    if isinstance(obj, dict):
        kind = obj.get("objectType", "Activity")
        if kind == "Activity":
            out["object"] = {"id": obj.get("id")}
        elif kind in ("Agent", "Group"):
            out["object"] = _agent_ids(obj)
        elif kind == "SubStatement":
            out["object"] = ids(obj)
    context = out.get("context")
    if isinstance(context, dict):
        context = dict(context)
        for key in ("instructor", "team"):
            if isinstance(context.get(key), dict):
                context[key] = _agent_ids(context[key])
        groups = context.get("contextActivities")
        if isinstance(groups, dict):
            context["contextActivities"] = {
                kind: [{"id": a.get("id")} for a in items if isinstance(a, dict)]
                for kind, items in groups.items()
                if isinstance(items, list)
            }
        out["context"] = context
    return out


def _agent_ids(agent: dict[str, Any]) -> dict[str, Any]:
    kept = {key: agent[key] for key in ("objectType", *IFIS) if key in agent}
    if agent.get("objectType") == "Group" and not any(key in agent for key in IFIS):
        members = agent.get("member")
        if isinstance(members, list):
            kept["member"] = [_agent_ids(m) for m in members if isinstance(m, dict)]
    return kept


def canonical(
    statements: list[dict[str, Any]], choose: Callable[[list[str]], str | None]
) -> list[dict[str, Any]]:
    """Copies of the statements with every Activity (object, context activities, and those
    of a sub-statement) carrying the canonical definition the LRS keeps for it, read in one
    query for all of them, then each language map reduced to the language ``choose`` picks
    among its keys. An activity the LRS keeps no definition for (say, one only the portal's
    own statements name) keeps the statement's.

    Verbs keep the ``display`` the statement gave, language-filtered: the LRS keeps no
    canonical display of a verb (xAPI leaves the choice to it), so the statement's own is
    the best it knows."""
    copies = copy.deepcopy(statements)
    named = [
        activity
        for statement in copies
        for activity in activities.named(statement)
        if isinstance(activity.get("id"), str)
    ]
    known = activities.canonical_definitions(activity["id"] for activity in named)
    for activity in named:
        if activity["id"] in known:
            activity["definition"] = known[activity["id"]]
    return [_languages(statement, choose) for statement in copies]


_MAPS = {"display", "name", "description"}


def _languages(value: Any, choose: Callable[[list[str]], str | None], key: str = "") -> Any:
    if isinstance(value, list):
        return [_languages(item, choose) for item in value]
    if not isinstance(value, dict):
        return value
    if key in _MAPS and value and all(isinstance(v, str) for v in value.values()):
        language = choose(list(value)) or next(iter(value))
        return {language: value[language]}
    if key == "extensions":
        return value
    return {k: _languages(v, choose, k) for k, v in value.items()}
