"""The canonical definitions of activities (:class:`courses.xapi.models.LrsActivity`), kept
from the statements that define them, for the Activities resource.

xAPI 2.0 lets the LRS decide how a new definition changes the stored one; this one merges:
the newest statement's parts win, language maps (``name``, ``description`` and the
descriptions of interaction components) and ``extensions`` are merged key by key, so a
statement in Vietnamese does not erase the English name another statement gave. A new
``interactionType`` replaces the whole interaction part (its components belong to it).
Operations flush and never commit."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from courses.records.summaries import dialect_insert
from courses.xapi.models import LrsActivity
from portal.extensions import db

logger = logging.getLogger(__name__)

LANGUAGE_MAPS = ("name", "description")
COMPONENT_LISTS = ("choices", "scale", "source", "target", "steps")
INTERACTION_PARTS = ("interactionType", "correctResponsesPattern", *COMPONENT_LISTS)
CONTEXT_GROUPS = ("parent", "grouping", "category", "other")


def named(data: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every Activity object a statement (or sub-statement) names: its object, its context
    activities, and those of its sub-statement (the objects themselves, not copies)."""
    obj = data.get("object")
    if isinstance(obj, dict):
        kind = obj.get("objectType", "Activity")
        if kind == "Activity":
            yield obj
        elif kind == "SubStatement":
            yield from named(obj)
    context = data.get("context")
    groups = context.get("contextActivities") if isinstance(context, dict) else None
    if isinstance(groups, dict):
        for kind in CONTEXT_GROUPS:
            items = groups.get(kind)
            for item in items if isinstance(items, list) else [items]:
                if isinstance(item, dict):
                    yield item


def definitions(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The non-empty definitions a statement gives, by activity IRI (merged, in order, when
    it names the same activity twice)."""
    found: dict[str, dict[str, Any]] = {}
    for activity in named(data):
        definition = activity.get("definition")
        key = activity.get("id")
        if isinstance(definition, dict) and definition and isinstance(key, str):
            found[key] = merge(found[key], definition) if key in found else definition
    return found


def _merge_components(old: list[Any], new: list[Any]) -> list[Any]:
    known = {
        c["id"]: c["description"]
        for c in old
        if isinstance(c, dict) and isinstance(c.get("description"), dict) and "id" in c
    }
    merged = []
    for component in new:
        if isinstance(component, dict) and isinstance(component.get("description"), dict):
            earlier = known.get(component.get("id"))
            if earlier is not None:
                component = {**component, "description": {**earlier, **component["description"]}}
        merged.append(component)
    return merged


def merge(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """The definition ``old`` updated by the newer ``new`` (neither is changed)."""
    merged = dict(old)
    if "interactionType" in new and new["interactionType"] != old.get("interactionType"):
        for part in INTERACTION_PARTS:
            merged.pop(part, None)
    for key, value in new.items():
        earlier = merged.get(key)
        if key in (*LANGUAGE_MAPS, "extensions") and isinstance(value, dict):
            merged[key] = {**earlier, **value} if isinstance(earlier, dict) else value
        elif key in COMPONENT_LISTS and isinstance(value, list) and isinstance(earlier, list):
            merged[key] = _merge_components(earlier, value)
        else:
            merged[key] = value
    return merged


def remember(data: dict[str, Any], *, define: bool = True) -> None:
    """Keep the activity definitions of one stored statement (its JSON)."""
    remember_all([data], define=define)


def remember_all(statements: Iterable[dict[str, Any]], *, define: bool = True) -> None:
    """Keep the activity definitions of stored statements, in the order they were stored:
    one ``SELECT`` of the known rows, then an ``INSERT`` of the new ones and an ``UPDATE`` of
    each changed one. Nothing when the statements define nothing.

    ``define=False`` is for a client without the ``define`` scope: xAPI lets it give an
    activity its first definition but not change a canonical one, so only new activities
    are kept."""
    given: dict[str, dict[str, Any]] = {}
    for data in statements:
        for key, definition in definitions(data).items():
            given[key] = merge(given[key], definition) if key in given else definition
    if not given:
        return
    moment = datetime.now(UTC)
    rows = db.session.scalars(sa.select(LrsActivity).where(LrsActivity.iri.in_(given)))
    known = {row.iri: row for row in rows}
    fresh = [
        {"iri": key, "definition": definition, "updated_at": moment}
        for key, definition in given.items()
        if key not in known
    ]
    if fresh:
        insert = dialect_insert(LrsActivity).on_conflict_do_nothing(index_elements=["iri"])
        inserted = set(db.session.scalars(insert.returning(LrsActivity.iri), fresh))
        raced = [row["iri"] for row in fresh if row["iri"] not in inserted]
        if raced:  # inserted meanwhile by a concurrent request: merge into theirs
            rows = db.session.scalars(sa.select(LrsActivity).where(LrsActivity.iri.in_(raced)))
            known.update({row.iri: row for row in rows})
    for key, row in known.items():
        merged = merge(row.definition or {}, given[key])
        if define and merged != row.definition:
            row.definition = merged
            row.updated_at = moment
    db.session.flush()


def canonical_definitions(iris: Iterable[str]) -> dict[str, dict[str, Any]]:
    """The canonical definitions of these activities, by IRI, in one ``SELECT`` (none when
    there is no IRI); an activity no statement defined is missing."""
    wanted = set(iris)
    if not wanted:
        return {}
    rows = db.session.execute(
        sa.select(LrsActivity.iri, LrsActivity.definition).where(LrsActivity.iri.in_(wanted))
    )
    return {key: definition for key, definition in rows if definition}


def canonical(activity_iri: str) -> dict[str, Any]:
    """The Activity object the Activities resource returns: the id and, when a statement
    defined it, the merged definition."""
    definition = db.session.scalar(
        sa.select(LrsActivity.definition).where(LrsActivity.iri == activity_iri)
    )
    activity: dict[str, Any] = {"objectType": "Activity", "id": activity_iri}
    if definition:
        activity["definition"] = definition
    return activity
