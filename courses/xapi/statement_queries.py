"""Reading statements back through the Statements resource: one statement by ``statementId``
or ``voidedStatementId``, or a page of those matching the filters (``agent``, ``verb``,
``activity``, ``registration``, ``related_activities``, ``related_agents``, ``since``,
``until``), newest first unless ``ascending``, in the ``exact``, ``ids`` or ``canonical``
format, with a ``more`` link to the next page.

Filters that name agents or activities are index lookups in
:class:`courses.xapi.models.StatementLink`. As xAPI asks, a statement that targets another
(its object is a StatementRef) matches the non-time filters when its target matches; voided
statements are never listed. The ``more`` link carries the query and the last row seen,
signed with the application's secret: a client cannot forge a page of another query."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.orm import aliased

from courses.records.models import Statement
from courses.records.statements import format_timestamp
from courses.xapi import links, validation
from courses.xapi.models import StatementLink
from courses.xapi.validation import Invalid
from portal.extensions import db

FILTERS = (
    "agent",
    "verb",
    "activity",
    "registration",
    "related_activities",
    "related_agents",
    "since",
    "until",
    "limit",
    "ascending",
)
SINGLE = ("statementId", "voidedStatementId")
SHARED = ("format", "attachments")
FORMATS = ("exact", "ids", "canonical")
_SALT = "xapi-statements-more"


@dataclass
class Query:
    """A checked ``GET /statements`` request."""

    statement_id: str | None = None
    voided_statement_id: str | None = None
    agent: str | None = None
    verb: str | None = None
    activity: str | None = None
    registration: str | None = None
    related_activities: bool = False
    related_agents: bool = False
    since: datetime | None = None
    until: datetime | None = None
    limit: int = 0
    ascending: bool = False
    format: str = "exact"
    attachments: bool = False
    after: tuple[datetime, int] | None = None  # the last row of the previous page
    args: dict[str, str] = field(default_factory=dict)  # as sent, for the more link


def _bool(value: str, name: str) -> bool:
    if value.lower() not in ("true", "false"):
        raise Invalid(f"{name} must be true or false")
    return value.lower() == "true"


def _moment(value: str, name: str) -> datetime:
    moment = validation.timestamp(value, name)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def parse(args: dict[str, str]) -> Query:
    """Check the query parameters of ``GET /statements`` (or the ``more`` token)."""
    if "more" in args:
        return _from_token(args)
    unknown = sorted(set(args) - set(FILTERS) - set(SINGLE) - set(SHARED))
    if unknown:
        raise Invalid(f"unknown parameters: {', '.join(unknown)}")
    query = Query(args=dict(args))
    single = [name for name in SINGLE if name in args]
    if single:
        if len(single) > 1 or set(args) - {single[0], *SHARED}:
            raise Invalid(f"{single[0]} goes only with format and attachments")
        validation.uuid(args[single[0]], single[0])
        value = args[single[0]].lower()
        if single[0] == "statementId":
            query.statement_id = value
        else:
            query.voided_statement_id = value
    if "format" in args:
        if args["format"] not in FORMATS:
            raise Invalid("format must be exact, ids or canonical")
        query.format = args["format"]
    if "attachments" in args:
        query.attachments = _bool(args["attachments"], "attachments")
    if "agent" in args:
        try:
            agent = json.loads(args["agent"])
        except ValueError:
            raise Invalid("agent must be an Agent or identified Group in JSON") from None
        validation.agent(agent, "agent")
        query.agent = links.agent_key(agent)
        if query.agent is None:
            raise Invalid("agent must be an Agent or identified Group")
    for name in ("verb", "activity"):
        if name in args:
            validation.iri(args[name], name)
            setattr(query, name, args[name])
    if "registration" in args:
        validation.uuid(args["registration"], "registration")
        query.registration = args["registration"].lower()
    for name in ("related_activities", "related_agents", "ascending"):
        if name in args:
            setattr(query, name, _bool(args[name], name))
    for name in ("since", "until"):
        if name in args:
            setattr(query, name, _moment(args[name], name))
    if "limit" in args:
        if not args["limit"].isdigit():
            raise Invalid("limit must be a whole number")
        query.limit = int(args["limit"])
    return query


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def more_token(query: Query, last: tuple[datetime, int]) -> str:
    return _serializer().dumps({"q": query.args, "a": [last[0].isoformat(), last[1]]})


def _from_token(args: dict[str, str]) -> Query:
    if set(args) - {"more", *SHARED}:
        raise Invalid("more goes only with format and attachments")
    try:
        token = _serializer().loads(args["more"])
        query = parse(token["q"])
        query.after = (datetime.fromisoformat(token["a"][0]), int(token["a"][1]))
    except (BadSignature, KeyError, TypeError, ValueError, IndexError):
        raise Invalid("the more link is not valid") from None
    return query


def single(query: Query) -> Statement | None:
    """The statement ``statementId`` names (not voided) or ``voidedStatementId`` (voided)."""
    statement_id = query.statement_id or query.voided_statement_id
    return db.session.scalar(
        sa.select(Statement).where(
            Statement.statement_id == statement_id,
            Statement.is_voided.is_(query.voided_statement_id is not None),
        )
    )


def _linked(kind: str, value: str, related: bool, row: Any) -> Any:
    condition = [StatementLink.kind == kind, StatementLink.value == value]
    if not related:
        condition.append(StatementLink.related.is_(False))
    return row.id.in_(sa.select(StatementLink.statement_pk).where(*condition))


def _matching(query: Query, row: Any) -> list[Any]:
    """Conditions of the non-time filters on ``row`` (the Statement entity or an alias)."""
    conditions = []
    if query.agent:
        conditions.append(_linked(links.AGENT, query.agent, query.related_agents, row))
    if query.verb:
        conditions.append(row.verb_iri == query.verb)
    if query.activity:
        conditions.append(_linked(links.ACTIVITY, query.activity, query.related_activities, row))
    if query.registration:
        conditions.append(row.registration == query.registration)
    return conditions


# Statements that target a matching one are looked up first (StatementRefs are few), so the
# main query keeps plain conditions the planner can start from, a rare agent or a common verb.
_MOST_REFERRING = 1000


def _matching_or_targeting(query: Query) -> Any:
    """The condition "matches the non-time filters, or targets a statement that does"."""
    conditions = sa.and_(*_matching(query, Statement))
    target = aliased(Statement)
    targets = sa.select(target.statement_id).where(*_matching(query, target))
    referring = sa.select(StatementLink.statement_pk).where(
        StatementLink.kind == links.REF, StatementLink.value.in_(targets)
    )
    found = list(db.session.scalars(referring.limit(_MOST_REFERRING + 1)))
    if not found:
        return conditions
    if len(found) > _MOST_REFERRING:
        return sa.or_(conditions, Statement.id.in_(referring))
    return sa.or_(conditions, Statement.id.in_(found))


def page(
    query: Query, *, authority_key: str | None, page_size: int
) -> tuple[list[Statement], bool]:
    """A page of the statements matching ``query`` and whether more follow. With
    ``authority_key``, only statements whose authority has that key."""
    size = min(query.limit or page_size, page_size)
    select = sa.select(Statement).where(Statement.is_voided.is_(False))
    if query.agent or query.verb or query.activity or query.registration:
        select = select.where(_matching_or_targeting(query))
    if authority_key:
        select = select.where(_linked(links.AGENT, authority_key, True, Statement))
    if query.since:
        select = select.where(Statement.stored > query.since)
    if query.until:
        select = select.where(Statement.stored <= query.until)
    order = (Statement.stored, Statement.id)
    if query.after:
        position = sa.tuple_(*order)
        after = sa.tuple_(
            sa.literal(query.after[0], Statement.stored.type),
            sa.literal(query.after[1], Statement.id.type),
        )
        select = select.where(position > after if query.ascending else position < after)
    if query.ascending:
        select = select.order_by(*order)
    else:
        select = select.order_by(*(column.desc() for column in order))
    rows = list(db.session.scalars(select.limit(size + 1)))
    return rows[:size], len(rows) > size


def stored_text(row: Statement) -> str:
    return format_timestamp(row.stored)
