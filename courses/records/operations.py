"""Record learning statements, void them, and rebuild the summaries — the public entry of
the learning records. Statements are checked and normalised in
:mod:`courses.records.statements`; the summaries are kept in :mod:`courses.records.summaries`
(whose names this module re-exports, so callers import from here only).

Every operation flushes and never commits: the caller (the request boundary, a CLI command,
a test) commits once. :func:`record` stores the statement and updates the summaries in the
same transaction, so a statement and its effect on progress and hours commit together.

Statements per :func:`record` (a lesson completion with a duration, in a course): one
``INSERT`` of the statement row — which also checks that the portal user exists and, with
``ON CONFLICT (statement_id) DO NOTHING``, stores a statement sent by concurrent writers
once — then one upsert for the hours, one upsert that creates or locks the progress row and
one ``UPDATE`` of it (see :mod:`courses.records.summaries`). A resend costs one more
``SELECT``, to compare it with the stored statement.

Concurrency on SQLite. SQLite allows one writer at a time, and a transaction opened with a
plain ``BEGIN`` that reads first and writes later fails at once with "database is locked"
when another writer committed in between (the busy timeout cannot help: its snapshot is
stale). :func:`record` therefore writes first: its first statement is the ``INSERT``, which
takes the write lock — waiting (``busy_timeout``) for its turn — before anything is read.
Only a voiding statement reads first (its target), so it takes the write lock beforehand with
a no-op ``UPDATE`` — the same effect as ``BEGIN IMMEDIATE`` for this transaction. Both only
work when :func:`record` is the first thing the transaction does; requests that write (POST)
begin with ``BEGIN IMMEDIATE`` anyway (the factory's ``begin`` hook).

The LRS (:mod:`courses.xapi`) stores the statements it receives through :func:`record` too,
and listens to :data:`recorded` to index the agents and activities each statement names.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from blinker import Namespace

from courses.records import iri, summaries, verbs
from courses.records.models import Statement
from courses.records.statements import (
    MAX_DURATION_MS,
    STORE_FIELDS,
    VIETNAM,
    XAPI_VERSION,
    Parsed,
    StatementError,
    check_agent,
    check_uuid,
    comparable,
    format_timestamp,
    nfc_all,
    normalise,
    now,
    parse_duration,
    parse_timestamp,
)
from courses.records.summaries import SUMMARY_FIELDS, RebuildCounts, rebuild
from portal.extensions import db

logger = logging.getLogger(__name__)

__all__ = [
    "MAX_DURATION_MS",
    "STORE_FIELDS",
    "SUMMARY_FIELDS",
    "VIETNAM",
    "XAPI_VERSION",
    "Parsed",
    "RebuildCounts",
    "Statement",
    "StatementError",
    "format_timestamp",
    "lock_learners",
    "normalise",
    "now",
    "parse_duration",
    "parse_timestamp",
    "rebuild",
    "record",
    "recorded",
    "void",
]

# Sent with the new row (and its Parsed) when record() stores a statement (not on a resend),
# in the same transaction: the LRS keeps the agents and activities it names for its filters.
recorded = Namespace().signal("statement-recorded")
_VERSION = re.compile(r"[12]\.0(?:\.\d+)?")


def record(
    statement: dict[str, Any],
    *,
    authority: Any = None,
    stored: datetime | None = None,
    unknown_target_ok: bool = False,
) -> Statement:
    """Store one xAPI statement and update the summaries it touches; return its row.

    ``authority`` is a portal user (``User``), an xAPI Agent dict, or None for the portal
    itself. Resending a stored statement (same id, same content) changes nothing and returns
    the stored row; the same id with other content raises ``StatementError("conflict")``.
    A voiding statement (verb ``voided``, object a StatementRef) flags its target; with
    ``unknown_target_ok`` (the LRS: xAPI forbids refusing it) a voiding statement whose
    target is not stored is kept and voids nothing. ``stored`` (default: now) lets a batch
    share one moment. A ``version`` the sender gave (1.0.x or 2.0.x) is kept."""
    stored = stored or now()
    parsed = normalise(statement, stored=stored)

    target = None
    if parsed.voids is not None:
        _take_write_lock()  # the target is read before anything is written
        target = db.session.scalar(
            sa.select(Statement).where(Statement.statement_id == parsed.voids)
        )
        if target is None and not unknown_target_ok:
            raise StatementError("unknown_statement", f"statement {parsed.voids} is not stored")
        if target is not None and target.verb_iri == verbs.VOIDED:
            raise StatementError("invalid_void", "a voiding statement cannot be voided")

    data = parsed.data
    data["stored"] = format_timestamp(stored)
    data["authority"] = _authority(authority)
    sent_version = data.get("version")
    keep = isinstance(sent_version, str) and _VERSION.fullmatch(sent_version)
    data["version"] = sent_version if keep else XAPI_VERSION
    row = _insert(_values(parsed, data), parsed.user_id)
    if row is None:
        existing = db.session.scalar(
            sa.select(Statement).where(Statement.statement_id == data["id"])
        )
        if existing is None:  # nothing stored under that id: the user is what is missing
            raise StatementError("unknown_user", f"no portal user {parsed.user_id}")
        drop = not parsed.sent_timestamp
        if comparable(existing.data, drop_timestamp=drop) != comparable(data, drop_timestamp=drop):
            raise StatementError("conflict", f"statement {data['id']} differs")
        return existing
    if target is not None:
        summaries.void(target)
    elif parsed.voids is None:
        summaries.apply(row, parsed.lesson_count)
    recorded.send(row, parsed=parsed)
    logger.debug("statement %s recorded: %s %s", row.statement_id, row.verb_iri, row.activity_iri)
    return row


# The class of the transaction-level advisory locks :func:`lock_learners` takes (any int4).
_LEARNER_LOCKS = 0x78415049  # "xAPI"


def lock_learners(user_ids: Iterable[int | None]) -> None:
    """Before a transaction records statements about several learners, take a lock per
    learner in ascending id order (PostgreSQL transaction-level advisory locks, released at
    commit or rollback). Recording locks each learner's summary rows in the order of the
    statements; two transactions with the same learners in other orders would otherwise
    deadlock (measured by bench/lrs.py: a third of concurrent batches of 50 failed). SQLite
    lets one writer in at a time: nothing to do."""
    ids = sorted({user_id for user_id in user_ids if user_id is not None})
    if not ids or summaries.dialect() != "postgresql":
        return
    db.session.execute(
        sa.text(
            "SELECT count(pg_advisory_xact_lock(:space, ids.id)) "
            "FROM (SELECT unnest(CAST(:ids AS integer[])) AS id ORDER BY 1) AS ids"
        ),
        {"space": _LEARNER_LOCKS, "ids": ids},
    )


def void(statement_id: str, by: Any) -> Statement:
    """Void a stored statement on behalf of ``by`` (a portal user): record a voiding
    statement, flag the target (it is kept, never deleted) and update the summaries."""
    target_id = check_uuid(statement_id, "invalid_object", "statement id")
    voiding = record(
        {
            "actor": iri.user_agent(by.id),
            "verb": {"id": verbs.VOIDED, "display": verbs.display(verbs.VOIDED)},
            "object": {"objectType": "StatementRef", "id": target_id},
        },
        authority=by,
    )
    logger.info("statement %s voided by user %s", target_id, by.id)
    return voiding


def _take_write_lock() -> None:
    """On SQLite, take the database's write lock now (see the module docstring)."""
    if summaries.dialect() == "sqlite":
        db.session.execute(sa.text("UPDATE learning_statements SET is_voided = 0 WHERE 0"))


def _values(parsed: Parsed, data: dict[str, Any]) -> dict[str, Any]:
    """The columns of the statement row."""
    return {
        "statement_id": data["id"],
        "user_id": parsed.user_id,
        "actor_key": parsed.actor_key,
        "verb_iri": parsed.verb_iri,
        "activity_iri": parsed.activity_iri,
        "course_iri": parsed.course_iri,
        "registration": parsed.registration,
        "voids_statement_id": parsed.voids,
        "is_voided": False,
        "score_scaled": parsed.score_scaled,
        "success": parsed.success,
        "completion": parsed.completion,
        "duration_ms": parsed.duration_ms,
        "local_year": parsed.timestamp.astimezone(VIETNAM).year,
        "timestamp": parsed.timestamp,
        "stored": parse_timestamp(data["stored"]),
        "data": data,
    }


_INSERTS: dict[tuple[str, bool], Any] = {}


def _insert(values: dict[str, Any], user_id: int | None) -> Statement | None:
    """Insert the statement row and return it; None when its id is stored already (a resend,
    perhaps by a concurrent request: PostgreSQL waits for it to commit) or when ``user_id``
    names no portal user — the row is then inserted from a ``SELECT`` that yields nothing."""
    return db.session.scalars(_insert_statement(user_id is not None), values).first()


def _insert_statement(check_user: bool) -> Any:
    """The statement ``INSERT``, built once per dialect with bound parameters (building it
    costs more than running it), loaded as an entity through ``from_statement()``."""
    key = (summaries.dialect(), check_user)
    if key not in _INSERTS:
        table = Statement.__table__
        names = [column.name for column in table.c if column.name != "id"]
        binds = {name: sa.bindparam(name, type_=table.c[name].type) for name in names}
        insert = summaries.dialect_insert(table)
        if check_user:
            user = _user_model()
            exists = sa.exists().where(user.id == binds["user_id"])
            insert = insert.from_select(names, sa.select(*binds.values()).where(exists))
        else:
            insert = insert.values(binds)
        insert = insert.on_conflict_do_nothing(index_elements=["statement_id"])
        _INSERTS[key] = sa.select(Statement).from_statement(insert.returning(*table.c))
    return _INSERTS[key]


def _user_model() -> Any:
    from portal.accounts.models import User

    return User


def _authority(authority: Any) -> dict[str, Any]:
    if authority is None:
        return iri.portal_agent()
    if isinstance(authority, dict):
        return check_agent(nfc_all(authority), "authority", code="invalid_statement")[0]
    return iri.user_agent(authority.id)
