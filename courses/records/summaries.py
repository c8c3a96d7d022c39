"""The summaries derived from the statements — a learner's progress in each course
(``LearnerCourseProgress``) and learning time in each year (``LearnerYearHours``) — kept up
to date statement by statement, recomputed when a statement is voided, and rebuilt from
scratch by :func:`rebuild`. Everything flushes; the caller commits.

Every field of a progress row is a max or a min over the statements (ties broken by value),
so the order statements arrive in does not matter and a rebuild gives what the live updates
gave. ``lessons_completed`` is kept incrementally: a lesson completion adds one unless the
learner already has a completion of that lesson in the course that is not voided.

Concurrency (see also :mod:`courses.records.operations`). The progress row is created or
locked by one ``INSERT ... ON CONFLICT DO UPDATE ... RETURNING`` (PostgreSQL locks the row it
updates, like ``SELECT ... FOR UPDATE``, and returns its newest version), so concurrent
writers for the same learner and course queue on that row. The "already completed?" check
runs inside the following ``UPDATE``: a statement that starts after the lock was granted, so
under READ COMMITTED it sees the completions the previous holder committed. Hours are added
by one atomic ``INSERT ... ON CONFLICT DO UPDATE``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from courses.records import iri, verbs
from courses.records.models import LearnerCourseProgress, LearnerYearHours, Statement
from courses.records.statements import now
from portal.extensions import db

logger = logging.getLogger(__name__)

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


def dialect() -> str:
    """The name of the session's database dialect: ``"sqlite"`` or ``"postgresql"``."""
    return db.session.get_bind().dialect.name


def dialect_insert(table: Any) -> Any:
    """An ``INSERT`` for ``table`` (a model or a table) with the dialect's ``ON CONFLICT``."""
    return (postgresql.insert if dialect() == "postgresql" else sqlite.insert)(table)


_UPSERTS: dict[tuple[str, str], Any] = {}


def _upsert(name: str) -> Any:
    """The summary upserts, built once per dialect with bound parameters (building an
    ``ON CONFLICT`` statement costs more than running it)."""
    key = (name, dialect())
    if key not in _UPSERTS:
        p = sa.bindparam
        if name == "hours":
            table = LearnerYearHours.__table__
            insert = dialect_insert(table).values(
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
            insert = dialect_insert(table).values(
                user_id=p("user_id"),
                course_iri=p("course_iri"),
                lessons_completed=0,
                updated_at=p("updated_at", type_=table.c.updated_at.type),
            )
            # DO UPDATE (not DO NOTHING): it locks an existing row and returns it. Loaded as
            # an entity through from_statement(): the ORM's own INSERT path would take the
            # parameters for a bulk insert, which costs more than the statement.
            upsert = insert.on_conflict_do_update(
                index_elements=["user_id", "course_iri"],
                set_={"updated_at": insert.excluded.updated_at},
            ).returning(*table.c)
            _UPSERTS[key] = sa.select(LearnerCourseProgress).from_statement(upsert)
    return _UPSERTS[key]


def counts(row: Statement) -> bool:
    """Whether a statement feeds the summaries."""
    return row.user_id is not None and not row.is_voided and row.verb_iri != verbs.VOIDED


def is_lesson_completion(row: Statement) -> bool:
    return (
        row.verb_iri == verbs.COMPLETED
        and row.activity_iri is not None
        and iri.activity_kind(row.activity_iri) == "lesson"
    )


def _fold(progress: LearnerCourseProgress, row: Statement, lesson_count: int | None) -> None:
    """Fold one statement into a progress row (every field a max or a min, see above)."""
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


def _finish_in_sql(progress: LearnerCourseProgress, lessons: Any, at: datetime) -> None:
    """:func:`_finish` with ``lessons`` a SQL expression, evaluated by the ``UPDATE``; the
    same arithmetic (IEEE doubles) as in Python, so a rebuild gives the same values."""
    progress.lessons_completed = lessons
    if progress.completed_at is not None:
        progress.progress = 1.0
    elif progress.lesson_count:
        share = sa.cast(lessons, sa.Float) / progress.lesson_count
        progress.progress = sa.case((lessons >= progress.lesson_count, 1.0), else_=share)
    else:
        progress.progress = None
    progress.updated_at = at


def lesson_count_of(row: Statement) -> int | None:
    """The lesson-count context extension of a stored statement, if it has one."""
    value = (row.data.get("context") or {}).get("extensions", {}).get(iri.lesson_count_extension())
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _locked_progress(user_id: int, course_iri: str, at: datetime) -> LearnerCourseProgress:
    """The learner's progress row for the course, created if need be and locked (PostgreSQL
    row lock; SQLite already holds the write lock) until the transaction ends."""
    return db.session.scalars(
        _upsert("progress"),
        {"user_id": user_id, "course_iri": course_iri, "updated_at": at},
        execution_options={"populate_existing": True},
    ).one()


def _lessons_after(row: Statement) -> Any:
    """SQL for the learner's completed lessons once ``row`` (a lesson completion, just
    stored) counts: one more unless another live completion of the same lesson exists."""
    earlier = sa.exists().where(
        Statement.user_id == row.user_id,
        Statement.course_iri == row.course_iri,
        Statement.activity_iri == row.activity_iri,
        Statement.verb_iri == verbs.COMPLETED,
        Statement.is_voided.is_(False),
        Statement.id != row.id,
    )
    return LearnerCourseProgress.lessons_completed + sa.case((earlier, 0), else_=1)


def apply(row: Statement, lesson_count: int | None) -> None:
    """Fold a statement just stored into its learner's hours and course progress: at most
    one upsert for the hours, one upsert that locks the progress row and one ``UPDATE``."""
    if not counts(row):
        return
    assert row.user_id is not None
    at = now()
    if row.duration_ms:
        db.session.execute(
            _upsert("hours"),
            {
                "user_id": row.user_id,
                "year": row.local_year,
                "duration_ms": row.duration_ms,
                "updated_at": at,
            },
        )
    if row.course_iri is None:
        return
    progress = _locked_progress(row.user_id, row.course_iri, at)
    _fold(progress, row, lesson_count)
    if is_lesson_completion(row):
        _finish_in_sql(progress, _lessons_after(row), at)
    else:
        _finish(progress, progress.lessons_completed, at)
    db.session.flush()


def void(target: Statement) -> None:
    """Flag ``target`` voided and recompute the summaries it fed, from the statements."""
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
        _fold(progress, row, lesson_count_of(row))
        if is_lesson_completion(row):
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
