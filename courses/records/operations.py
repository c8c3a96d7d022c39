"""Record learning statements, void them, and rebuild the summaries.

Every operation flushes and never commits: the caller (the request boundary, a CLI command,
a test) commits once. :func:`record` stores the statement and updates the summaries in the
same transaction, so a statement and its effect on progress and hours commit together.

Concurrency. PostgreSQL: hours are added with ``INSERT ... ON CONFLICT DO UPDATE`` (atomic),
progress rows are created with ``ON CONFLICT DO NOTHING`` and then locked with ``SELECT ...
FOR UPDATE`` before they are read and changed, so concurrent writers for the same learner and
course queue on that row and none of their updates is lost. SQLite allows one writer at a
time, but a transaction opened with a plain ``BEGIN`` that reads first and writes later fails
at once with "database is locked" when another writer committed in between (the busy timeout
cannot help: its snapshot is stale). So :func:`record` takes the write lock first, with a
no-op ``UPDATE`` — the same effect as ``BEGIN IMMEDIATE`` for this transaction — and waits
(``busy_timeout``) for its turn instead of failing. That only works when :func:`record` is
the first thing the transaction does: in a request that has read already (Flask-Login loads
the signed-in user), SQLite can still refuse the write under contention — the factory's
``begin`` hook should say ``BEGIN IMMEDIATE`` for requests that write (e.g. POST).

On both backends a statement row is inserted with ``ON CONFLICT (statement_id) DO NOTHING``,
so the same statement sent by concurrent writers is stored once and every sender gets the
stored row back.

Not yet handled: the LRS's own statement filters and "more" paging (issue 7) — the indexed
columns they need are here; attachments (xAPI statement attachments) are not stored.
"""

from __future__ import annotations

import copy
import logging
import math
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from courses.records import iri, verbs
from courses.records.models import IRI_LENGTH, LearnerCourseProgress, LearnerYearHours, Statement
from portal.extensions import db
from portal.text import nfc

logger = logging.getLogger(__name__)

XAPI_VERSION = "2.0.0"
VIETNAM = timezone(timedelta(hours=7), "ICT")  # no daylight saving since 1975
# Parts of a statement the store sets, left out when a resent statement is compared.
STORE_FIELDS = ("stored", "authority", "version")


class StatementError(ValueError):
    """A statement the store refuses. ``code`` says why, for callers (the LRS answers 400,
    or 409 for ``conflict``; a page shows its own translated message):

    ``invalid_statement``, ``invalid_id``, ``missing_actor``, ``invalid_actor``,
    ``missing_verb``, ``invalid_verb``, ``missing_object``, ``invalid_object``,
    ``bad_duration``, ``score_out_of_range``, ``invalid_result``, ``invalid_context``,
    ``invalid_timestamp``, ``unknown_user``, ``unknown_statement``, ``invalid_void``,
    ``conflict``.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


def now() -> datetime:
    return datetime.now(UTC)


# --- validation and normalisation --------------------------------------------------------

_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:\S+")
_NUMBER = r"(\d+(?:[.,]\d+)?)"
_DURATION = re.compile(
    rf"P(?:{_NUMBER}Y)?(?:{_NUMBER}M)?(?:{_NUMBER}W)?(?:{_NUMBER}D)?"
    rf"(?:T(?:{_NUMBER}H)?(?:{_NUMBER}M)?(?:{_NUMBER}S)?)?"
)
MAX_DURATION_MS = 100 * 365 * 86_400_000
# Seconds per part; a year counts 365 days and a month 30 (xAPI keeps the string as sent).
_DURATION_SECONDS = (365 * 86400, 30 * 86400, 7 * 86400, 86400, 3600, 60, 1)


def _nfc_all(value: Any) -> Any:
    if isinstance(value, str):
        return nfc(value)
    if isinstance(value, dict):
        return {nfc(str(k)): _nfc_all(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_nfc_all(v) for v in value]
    return value


def _is_iri(value: Any) -> bool:
    # At most as long as the IRI columns (512 characters).
    return isinstance(value, str) and len(value) <= IRI_LENGTH and bool(_IRI.fullmatch(value))


def _uuid(value: Any, code: str, what: str) -> str:
    try:
        if not isinstance(value, str):
            raise ValueError
        return str(uuid.UUID(value))
    except ValueError:
        raise StatementError(code, f"{what} must be a UUID, got {value!r}") from None


def parse_duration(text: Any) -> int:
    """Milliseconds in an ISO 8601 duration such as ``PT1H30M`` or ``P1DT2.5S``."""
    match = _DURATION.fullmatch(text) if isinstance(text, str) else None
    if not match or text in ("P", "PT") or text.endswith("T"):
        raise StatementError("bad_duration", f"result.duration {text!r} is not ISO 8601")
    total = sum(
        Decimal(part.replace(",", ".")) * factor
        for part, factor in zip(match.groups(), _DURATION_SECONDS, strict=True)
        if part is not None
    )
    milliseconds = int((total * 1000).to_integral_value())
    if milliseconds > MAX_DURATION_MS:
        raise StatementError("bad_duration", f"result.duration {text!r} is over a century")
    return milliseconds


def parse_timestamp(value: Any, what: str = "timestamp") -> datetime:
    """An aware UTC datetime from an ISO 8601 string with a time zone."""
    try:
        parsed = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        raise StatementError(
            "invalid_timestamp", f"{what} {value!r} is not an ISO 8601 time with a zone"
        )
    try:
        parsed.astimezone(VIETNAM)
        return parsed.astimezone(UTC)
    except OverflowError:
        raise StatementError("invalid_timestamp", f"{what} {value!r} is out of range") from None


def format_timestamp(moment: datetime) -> str:
    """Canonical form: UTC, milliseconds, ``Z``."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + (
        f"{moment.microsecond // 1000:03d}Z"
    )


def _agent(value: Any, what: str, *, code: str = "invalid_actor") -> tuple[dict[str, Any], str]:
    """A checked Agent or identified Group and its key (``account:home|name``, ``mbox:...``)."""
    if not isinstance(value, dict):
        raise StatementError(code, f"{what} must be an object")
    agent = dict(value)
    kind = agent.setdefault("objectType", "Agent")
    if kind not in ("Agent", "Group"):
        raise StatementError(code, f"{what}.objectType must be Agent or Group")
    ifis = [k for k in ("mbox", "mbox_sha1sum", "openid", "account") if k in agent]
    if len(ifis) != 1:
        if kind == "Group" and not ifis and isinstance(agent.get("member"), list):
            members = [_agent(m, f"{what}.member", code=code)[1] for m in agent["member"]]
            return agent, "group:" + ",".join(sorted(members))
        raise StatementError(code, f"{what} needs exactly one of mbox, openid, account")
    ifi = ifis[0]
    if ifi == "mbox":
        mbox = agent["mbox"]
        if not isinstance(mbox, str) or not mbox.startswith("mailto:") or "@" not in mbox:
            raise StatementError(code, f"{what}.mbox must be a mailto: IRI")
        return agent, "mbox:" + mbox.lower()
    if ifi == "account":
        account = agent["account"]
        if (
            not isinstance(account, dict)
            or not _is_iri(account.get("homePage"))
            or not isinstance(account.get("name"), str)
            or not account["name"]
        ):
            raise StatementError(code, f"{what}.account needs a homePage IRI and a name")
        return agent, f"account:{account['homePage'].rstrip('/')}|{account['name']}"
    if not isinstance(agent[ifi], str) or not agent[ifi]:
        raise StatementError(code, f"{what}.{ifi} must be a string")
    return agent, f"{ifi}:{agent[ifi]}"


def _user_id_of(actor: dict[str, Any]) -> int | None:
    account = actor.get("account")
    if actor.get("objectType") != "Agent" or not isinstance(account, dict):
        return None
    if account.get("homePage", "").rstrip("/") != iri.base_url():
        return None
    name = account.get("name", "")
    return int(name) if name.isdigit() and len(name) < 12 else None


def _number(value: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise StatementError("invalid_result", f"{what} must be a number")
    if not math.isfinite(value):
        raise StatementError("score_out_of_range", f"{what} must be a finite number")
    return float(value)


def _check_result(result: Any) -> tuple[float | None, bool | None, bool | None, int | None]:
    if not isinstance(result, dict):
        raise StatementError("invalid_result", "result must be an object")
    scaled = None
    score = result.get("score")
    if score is not None:
        if not isinstance(score, dict):
            raise StatementError("invalid_result", "result.score must be an object")
        low = _number(score["min"], "score.min") if "min" in score else None
        high = _number(score["max"], "score.max") if "max" in score else None
        if low is not None and high is not None and low >= high:
            raise StatementError("score_out_of_range", "score.min must be below score.max")
        if "scaled" in score:
            scaled = _number(score["scaled"], "score.scaled")
            if not -1 <= scaled <= 1:
                raise StatementError("score_out_of_range", "score.scaled must be in [-1, 1]")
        if "raw" in score:
            raw = _number(score["raw"], "score.raw")
            if (low is not None and raw < low) or (high is not None and raw > high):
                raise StatementError("score_out_of_range", "score.raw must be in [min, max]")
    for flag in ("success", "completion"):
        if flag in result and not isinstance(result[flag], bool):
            raise StatementError("invalid_result", f"result.{flag} must be true or false")
    duration = parse_duration(result["duration"]) if "duration" in result else None
    return scaled, result.get("success"), result.get("completion"), duration


def _check_context(context: Any) -> dict[str, Any]:
    if not isinstance(context, dict):
        raise StatementError("invalid_context", "context must be an object")
    context = dict(context)
    if "registration" in context:
        context["registration"] = _uuid(
            context["registration"], "invalid_context", "context.registration"
        )
    for key in ("instructor", "team"):
        if key in context:
            context[key] = _agent(context[key], f"context.{key}", code="invalid_context")[0]
    if "language" in context and not isinstance(context["language"], str):
        raise StatementError("invalid_context", "context.language must be a language tag")
    activities = context.get("contextActivities")
    if activities is not None:
        if not isinstance(activities, dict):
            raise StatementError("invalid_context", "context.contextActivities is an object")
        fixed = {}
        for kind, value in activities.items():
            if kind not in ("parent", "grouping", "category", "other"):
                raise StatementError("invalid_context", f"contextActivities.{kind} is unknown")
            items = value if isinstance(value, list) else [value]  # xAPI 1.0 allowed one
            for item in items:
                if not isinstance(item, dict) or not _is_iri(item.get("id")):
                    raise StatementError("invalid_context", f"contextActivities.{kind} id")
                item.setdefault("objectType", "Activity")
            fixed[kind] = items
        context["contextActivities"] = fixed
    return context


@dataclass
class _Parsed:
    """A normalised statement and the columns taken from it."""

    data: dict[str, Any]
    sent_timestamp: bool
    user_id: int | None
    actor_key: str
    verb_iri: str
    activity_iri: str | None
    course_iri: str | None
    registration: str | None
    voids: str | None
    score_scaled: float | None
    success: bool | None
    completion: bool | None
    duration_ms: int | None
    lesson_count: int | None
    timestamp: datetime


def normalise(statement: Any, *, stored: datetime) -> _Parsed:
    """Check ``statement`` and return its canonical form: NFC strings, lower-case UUIDs, UTC
    timestamps with milliseconds, contextActivities as lists. Raises :class:`StatementError`."""
    if not isinstance(statement, dict):
        raise StatementError("invalid_statement", "a statement must be a JSON object")
    data = _nfc_all(copy.deepcopy(statement))
    data["id"] = (
        _uuid(data["id"], "invalid_id", "id") if data.get("id") is not None else str(uuid.uuid4())
    )
    if "actor" not in data:
        raise StatementError("missing_actor", "actor is missing")
    data["actor"], actor_key = _agent(data["actor"], "actor")

    verb = data.get("verb")
    if verb is None:
        raise StatementError("missing_verb", "verb is missing")
    if not isinstance(verb, dict) or not _is_iri(verb.get("id")):
        raise StatementError("invalid_verb", "verb.id must be an IRI")

    obj = data.get("object")
    if obj is None:
        raise StatementError("missing_object", "object is missing")
    if not isinstance(obj, dict):
        raise StatementError("invalid_object", "object must be a JSON object")
    kind = obj.setdefault("objectType", "Activity")
    activity_iri = voids = None
    if kind == "Activity":
        if not _is_iri(obj.get("id")):
            raise StatementError("invalid_object", "object.id must be an activity IRI")
        activity_iri = obj["id"]
    elif kind == "StatementRef":
        obj["id"] = voids = _uuid(obj.get("id"), "invalid_object", "object.id")
    elif kind in ("Agent", "Group"):
        data["object"] = _agent(obj, "object", code="invalid_object")[0]
    elif kind != "SubStatement":
        raise StatementError("invalid_object", f"object.objectType {kind!r} is unknown")
    if verb["id"] == verbs.VOIDED and kind != "StatementRef":
        raise StatementError("invalid_void", "a voiding statement's object is a StatementRef")
    if verb["id"] != verbs.VOIDED:
        voids = None

    scaled = success = completion = duration = None
    if "result" in data:
        scaled, success, completion, duration = _check_result(data["result"])
    context = _check_context(data["context"]) if "context" in data else {}
    if context:
        data["context"] = context

    sent_timestamp = "timestamp" in data
    timestamp = parse_timestamp(data["timestamp"]) if sent_timestamp else stored
    data["timestamp"] = format_timestamp(timestamp)
    timestamp = parse_timestamp(data["timestamp"])  # to the millisecond, as kept

    course_iri = None
    if activity_iri and iri.activity_kind(activity_iri) == "course":
        course_iri = activity_iri
    else:
        groups = context.get("contextActivities", {})
        for item in groups.get("parent", []) + groups.get("grouping", []):
            if iri.activity_kind(item["id"]) == "course":
                course_iri = item["id"]
                break
    lesson_count = context.get("extensions", {}).get(iri.lesson_count_extension())
    if lesson_count is not None and (
        isinstance(lesson_count, bool) or not isinstance(lesson_count, int) or lesson_count < 1
    ):
        raise StatementError("invalid_context", "the lesson-count extension is a whole number ≥ 1")

    return _Parsed(
        data=data,
        sent_timestamp=sent_timestamp,
        user_id=_user_id_of(data["actor"]),
        actor_key=actor_key[:512],
        verb_iri=verb["id"],
        activity_iri=activity_iri,
        course_iri=course_iri,
        registration=context.get("registration"),
        voids=voids,
        score_scaled=scaled,
        success=success,
        completion=completion,
        duration_ms=duration,
        lesson_count=lesson_count,
        timestamp=timestamp,
    )


def _comparable(data: dict[str, Any], *, drop_timestamp: bool) -> dict[str, Any]:
    drop = (*STORE_FIELDS, "timestamp") if drop_timestamp else STORE_FIELDS
    return {k: v for k, v in data.items() if k not in drop}


# --- writing -----------------------------------------------------------------------------


def _take_write_lock() -> None:
    """On SQLite, take the database's write lock now (see the module docstring)."""
    if _dialect() == "sqlite":
        db.session.execute(sa.text("UPDATE learning_statements SET is_voided = 0 WHERE 0"))


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def _insert(table: Any) -> Any:
    return (postgresql.insert if _dialect() == "postgresql" else sqlite.insert)(table)


_UPSERTS: dict[tuple[str, str], Any] = {}


def _upsert(name: str) -> Any:
    """The summary upserts, built once per dialect with bound parameters (building an
    ``ON CONFLICT`` statement costs more than running it)."""
    key = (name, _dialect())
    if key not in _UPSERTS:
        p = sa.bindparam
        if name == "hours":
            table = LearnerYearHours.__table__
            insert = _insert(table).values(
                user_id=p("user_id"),
                year=p("year"),
                duration_ms=p("duration_ms"),
                updated_at=p("updated_at", type_=table.c.updated_at.type),
            )
            _UPSERTS[key] = insert.on_conflict_do_update(
                index_elements=["user_id", "year"],
                set_={
                    "duration_ms": table.c.duration_ms + insert.excluded.duration_ms,
                    "updated_at": insert.excluded.updated_at,
                },
            )
        else:
            table = LearnerCourseProgress.__table__
            _UPSERTS[key] = (
                _insert(table)
                .values(
                    user_id=p("user_id"),
                    course_iri=p("course_iri"),
                    lessons_completed=0,
                    updated_at=p("updated_at", type_=table.c.updated_at.type),
                )
                .on_conflict_do_nothing(index_elements=["user_id", "course_iri"])
            )
    return _UPSERTS[key]


def record(statement: dict[str, Any], *, authority: Any = None) -> Statement:
    """Store one xAPI statement and update the summaries it touches; return its row.

    ``authority`` is a portal user (``User``), an xAPI Agent dict, or None for the portal
    itself. Resending a stored statement (same id, same content) changes nothing and returns
    the stored row; the same id with other content raises ``StatementError("conflict")``.
    A voiding statement (verb ``voided``, object a StatementRef) flags its target."""
    stored = now()
    parsed = normalise(statement, stored=stored)
    _take_write_lock()

    if parsed.user_id is not None and db.session.get(_user_model(), parsed.user_id) is None:
        raise StatementError("unknown_user", f"no portal user {parsed.user_id}")
    target = None
    if parsed.voids is not None:
        target = db.session.scalar(
            sa.select(Statement).where(Statement.statement_id == parsed.voids)
        )
        if target is None:
            raise StatementError("unknown_statement", f"statement {parsed.voids} is not stored")
        if target.verb_iri == verbs.VOIDED:
            raise StatementError("invalid_void", "a voiding statement cannot be voided")

    data = parsed.data
    data["stored"] = format_timestamp(stored)
    data["authority"] = _authority(authority)
    data["version"] = XAPI_VERSION
    values = {
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
    # One statement inserts the row, or does nothing when the id is stored already (a
    # resend, perhaps by a concurrent request: PostgreSQL waits for it to commit).
    row = db.session.scalar(
        _insert(Statement)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["statement_id"])
        .returning(Statement)
    )
    if row is None:
        existing = db.session.scalars(
            sa.select(Statement).where(Statement.statement_id == data["id"])
        ).one()
        drop = not parsed.sent_timestamp
        if _comparable(existing.data, drop_timestamp=drop) != _comparable(
            data, drop_timestamp=drop
        ):
            raise StatementError("conflict", f"statement {data['id']} differs")
        return existing
    if target is not None:
        _void_target(target)
    else:
        _apply_live(row, parsed.lesson_count)
    logger.debug("statement %s recorded: %s %s", row.statement_id, row.verb_iri, row.activity_iri)
    return row


def void(statement_id: str, by: Any) -> Statement:
    """Void a stored statement on behalf of ``by`` (a portal user): record a voiding
    statement, flag the target (it is kept, never deleted) and update the summaries."""
    target_id = _uuid(statement_id, "invalid_object", "statement id")
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


def _user_model() -> Any:
    from portal.accounts.models import User

    return User


def _authority(authority: Any) -> dict[str, Any]:
    if authority is None:
        return iri.portal_agent()
    if isinstance(authority, dict):
        return _agent(_nfc_all(authority), "authority", code="invalid_statement")[0]
    return iri.user_agent(authority.id)


def _void_target(target: Statement) -> None:
    if target.is_voided:
        return
    target.is_voided = True
    db.session.flush()
    if target.user_id is None:
        return
    if target.course_iri is not None:
        _recompute_progress(target.user_id, target.course_iri)
    if target.duration_ms:
        _recompute_hours(target.user_id, target.local_year)


# --- summaries ---------------------------------------------------------------------------


def _counts(row: Statement) -> bool:
    """Whether a statement feeds the summaries."""
    return row.user_id is not None and not row.is_voided and row.verb_iri != verbs.VOIDED


def _is_lesson_completion(row: Statement) -> bool:
    return (
        row.verb_iri == verbs.COMPLETED
        and row.activity_iri is not None
        and iri.activity_kind(row.activity_iri) == "lesson"
    )


def _fold(progress: LearnerCourseProgress, row: Statement, lesson_count: int | None) -> None:
    """Fold one statement into a progress row. Every field is a max or a min over the
    statements (ties broken by value), so the order statements arrive in does not matter and
    a rebuild gives what the live updates gave."""
    moment = row.timestamp
    if row.activity_iri is not None:
        candidate = (moment, row.activity_iri)
        if progress.last_activity_at is None or candidate > (
            progress.last_activity_at,
            progress.last_activity_iri or "",
        ):
            progress.last_activity_at, progress.last_activity_iri = candidate
    if lesson_count is not None and (
        progress.lesson_count_at is None
        or (moment, lesson_count) > (progress.lesson_count_at, progress.lesson_count or 0)
    ):
        progress.lesson_count_at, progress.lesson_count = moment, lesson_count
    if row.score_scaled is not None and (
        progress.best_score_scaled is None or row.score_scaled > progress.best_score_scaled
    ):
        progress.best_score_scaled = row.score_scaled
    if (
        row.verb_iri == verbs.COMPLETED
        and row.activity_iri == progress.course_iri
        and (progress.completed_at is None or moment < progress.completed_at)
    ):
        progress.completed_at = moment
    if row.verb_iri == verbs.earned() and (
        progress.certificate_earned_at is None or moment < progress.certificate_earned_at
    ):
        progress.certificate_earned_at = moment


def _finish(progress: LearnerCourseProgress, lessons_completed: int, at: datetime) -> None:
    progress.lessons_completed = lessons_completed
    if progress.completed_at is not None:
        progress.progress = 1.0
    elif progress.lesson_count:
        progress.progress = min(1.0, lessons_completed / progress.lesson_count)
    else:
        progress.progress = None
    progress.updated_at = at


def _lesson_count_of(row: Statement) -> int | None:
    value = (row.data.get("context") or {}).get("extensions", {}).get(iri.lesson_count_extension())
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _locked_progress(user_id: int, course_iri: str, at: datetime) -> LearnerCourseProgress:
    """The learner's progress row for the course, created if need be and locked (PostgreSQL
    ``FOR UPDATE``; SQLite already holds the write lock) until the transaction ends."""
    db.session.execute(
        _upsert("progress"), {"user_id": user_id, "course_iri": course_iri, "updated_at": at}
    )
    return db.session.execute(
        sa.select(LearnerCourseProgress)
        .where(
            LearnerCourseProgress.user_id == user_id,
            LearnerCourseProgress.course_iri == course_iri,
        )
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one()


def _lessons_completed(user_id: int, course_iri: str) -> int:
    prefix = iri.base_url() + iri.ACTIVITY_PATH + "lesson/"
    return db.session.scalar(
        sa.select(sa.func.count(sa.distinct(Statement.activity_iri))).where(
            Statement.user_id == user_id,
            Statement.course_iri == course_iri,
            Statement.verb_iri == verbs.COMPLETED,
            Statement.is_voided.is_(False),
            Statement.activity_iri.startswith(prefix, autoescape=True),
        )
    )


def _add_hours(user_id: int, year: int, duration_ms: int, at: datetime) -> None:
    db.session.execute(
        _upsert("hours"),
        {"user_id": user_id, "year": year, "duration_ms": duration_ms, "updated_at": at},
    )


def _apply_live(row: Statement, lesson_count: int | None) -> None:
    if not _counts(row):
        return
    assert row.user_id is not None
    at = now()
    if row.duration_ms:
        _add_hours(row.user_id, row.local_year, row.duration_ms, at)
    if row.course_iri is not None:
        progress = _locked_progress(row.user_id, row.course_iri, at)
        _fold(progress, row, lesson_count)
        lessons = (
            _lessons_completed(row.user_id, row.course_iri)
            if _is_lesson_completion(row) or progress.lessons_completed is None
            else progress.lessons_completed
        )
        _finish(progress, lessons, at)
        db.session.flush()


def _statements(*conditions: Any, batch: int = 1000) -> Iterator[Statement]:
    """Statements that feed the summaries, in ``stored`` order, loaded in batches."""
    query = (
        sa.select(Statement)
        .where(
            Statement.user_id.is_not(None),
            Statement.is_voided.is_(False),
            Statement.verb_iri != verbs.VOIDED,
            *conditions,
        )
        .order_by(Statement.stored, Statement.id)
        .execution_options(yield_per=batch)
    )
    yield from db.session.scalars(query)


@dataclass
class _Summaries:
    """Summaries folded in memory from statements, for a rebuild."""

    progress: dict[tuple[int, str], LearnerCourseProgress] = field(default_factory=dict)
    lessons: dict[tuple[int, str], set[str]] = field(default_factory=dict)
    hours: dict[tuple[int, int], int] = field(default_factory=dict)

    def add(self, row: Statement) -> None:
        assert row.user_id is not None
        if row.duration_ms:
            key = (row.user_id, row.local_year)
            self.hours[key] = self.hours.get(key, 0) + row.duration_ms
        if row.course_iri is None:
            return
        pair = (row.user_id, row.course_iri)
        progress = self.progress.get(pair)
        if progress is None:
            progress = self.progress[pair] = LearnerCourseProgress(
                user_id=row.user_id, course_iri=row.course_iri, lessons_completed=0
            )
            self.lessons[pair] = set()
        _fold(progress, row, _lesson_count_of(row))
        if _is_lesson_completion(row):
            assert row.activity_iri is not None
            self.lessons[pair].add(row.activity_iri)

    def finish(self, at: datetime) -> None:
        for pair, progress in self.progress.items():
            _finish(progress, len(self.lessons[pair]), at)


def _recompute_progress(user_id: int, course_iri: str) -> None:
    at = now()
    summaries = _Summaries()
    for row in _statements(Statement.user_id == user_id, Statement.course_iri == course_iri):
        summaries.add(row)
    summaries.finish(at)
    current = _locked_progress(user_id, course_iri, at)
    fresh = summaries.progress.get((user_id, course_iri))
    if fresh is None:
        db.session.delete(current)
    else:
        for column in SUMMARY_FIELDS:
            setattr(current, column, getattr(fresh, column))
        current.updated_at = at
    db.session.flush()


def _recompute_hours(user_id: int, year: int) -> None:
    total = db.session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(Statement.duration_ms), 0)).where(
            Statement.user_id == user_id,
            Statement.local_year == year,
            Statement.is_voided.is_(False),
            Statement.verb_iri != verbs.VOIDED,
        )
    )
    db.session.execute(
        sa.update(LearnerYearHours)
        .where(LearnerYearHours.user_id == user_id, LearnerYearHours.year == year)
        .values(duration_ms=total, updated_at=now())
    )
    if not total:
        db.session.execute(
            sa.delete(LearnerYearHours).where(
                LearnerYearHours.user_id == user_id, LearnerYearHours.year == year
            )
        )


# The derived fields of a progress row (what a rebuild must reproduce; not updated_at).
SUMMARY_FIELDS = (
    "lessons_completed",
    "lesson_count",
    "lesson_count_at",
    "progress",
    "last_activity_iri",
    "last_activity_at",
    "best_score_scaled",
    "completed_at",
    "certificate_earned_at",
)


@dataclass
class RebuildCounts:
    statements: int
    progress_rows: int
    hours_rows: int


def rebuild(*, batch: int = 1000, progress: Callable[[int], Any] | None = None) -> RebuildCounts:
    """Empty the summary tables and replay every counting statement in ``stored`` order, in
    batches of ``batch``. Flushes; the caller commits. ``progress`` (optional) is called with
    the number of statements read after each batch."""
    db.session.execute(sa.delete(LearnerCourseProgress))
    db.session.execute(sa.delete(LearnerYearHours))
    summaries = _Summaries()
    seen = 0
    for row in _statements(batch=batch):
        summaries.add(row)
        seen += 1
        if progress is not None and seen % batch == 0:
            progress(batch)
    if progress is not None and seen % batch:
        progress(seen % batch)
    at = now()
    summaries.finish(at)
    rows = list(summaries.progress.values())
    for start in range(0, len(rows), batch):
        db.session.add_all(rows[start : start + batch])
        db.session.flush()
    hours = [
        {"user_id": user_id, "year": year, "duration_ms": total, "updated_at": at}
        for (user_id, year), total in summaries.hours.items()
    ]
    for start in range(0, len(hours), batch):
        db.session.execute(sa.insert(LearnerYearHours), hours[start : start + batch])
    db.session.flush()
    logger.info(
        "learning summaries rebuilt from %d statements: %d progress rows, %d year rows",
        seen,
        len(rows),
        len(hours),
    )
    return RebuildCounts(seen, len(rows), len(hours))
