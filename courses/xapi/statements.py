"""Storing statements sent to the LRS: the strict checks (:mod:`courses.xapi.validation`),
attachments and signatures, then :func:`courses.records.operations.record` for each, with
the client as authority, so outside statements feed the summaries as the portal's own do.
Operations flush and never commit: a batch is stored whole or not at all."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from courses.records import operations, verbs
from courses.records.models import Statement
from courses.records.statements import user_id_of
from courses.xapi import activities, attachments, clients, signatures, validation
from courses.xapi.models import LrsClient
from courses.xapi.validation import Invalid
from portal.extensions import db

logger = logging.getLogger(__name__)

# Set by the LRS itself: a client's claim is not kept.
_SET_BY_LRS = ("authority", "stored")


def check(statements: list[Any], parts: dict[str, tuple[str, bytes]]) -> None:
    """Refuse (:class:`Invalid`) a batch with a statement breaking xAPI's rules, an id used
    twice, attachments without their parts (or parts without attachments), or a signature
    that does not hold."""
    ids = set()
    for statement in statements:
        validation.statement(statement)
        if statement.get("id") is not None:
            key = statement["id"].lower()
            if key in ids:
                raise Invalid(f"the id {key} is used twice in the batch")
            ids.add(key)
    attachments.check(statements, parts)
    for statement in statements:
        signatures.verify(statement, parts)


def _learners(statements: list[dict[str, Any]]) -> set[int | None]:
    """The portal users whose summaries the batch changes: its actors, and the actors of
    the statements its voiding statements target."""
    users = {user_id_of(statement.get("actor")) for statement in statements}
    targets = [
        statement["object"].get("id")
        for statement in statements
        if statement.get("verb", {}).get("id") == verbs.VOIDED
        and isinstance(statement.get("object"), dict)
    ]
    if targets:
        users.update(
            db.session.scalars(
                sa.select(Statement.user_id).where(Statement.statement_id.in_(targets))
            )
        )
    return users


def store(
    statements: list[dict[str, Any]], parts: dict[str, tuple[str, bytes]], client: LrsClient
) -> list[str]:
    """Store checked statements and their attachments; return their ids, in order. One
    ``stored`` moment for the batch; a voiding statement whose target is unknown is kept."""
    attachments.store(parts)
    operations.lock_learners(_learners(statements))
    authority = clients.authority(client)
    moment = datetime.now(UTC)
    rows = [
        operations.record(
            {k: v for k, v in statement.items() if k not in _SET_BY_LRS},
            authority=authority,
            stored=moment,
            unknown_target_ok=True,
        )
        for statement in statements
    ]
    activities.remember_all(row.data for row in rows)
    logger.debug("LRS client %s stored %d statements", client.key, len(rows))
    return [row.statement_id for row in rows]
