"""Reads of the learning records: a learner's progress, hours and statements."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from courses.records import verbs
from courses.records.models import LearnerCourseProgress, LearnerYearHours, Statement
from portal.extensions import db


def get_statement(statement_id: str) -> Statement | None:
    """The stored statement with this id (voided or not), or None."""
    return db.session.scalar(
        sa.select(Statement).where(Statement.statement_id == statement_id.lower())
    )


def progress_of(user_id: int, course_iri: str) -> LearnerCourseProgress | None:
    """A learner's progress in a course, or None before their first statement in it."""
    return db.session.scalar(
        sa.select(LearnerCourseProgress).where(
            LearnerCourseProgress.user_id == user_id,
            LearnerCourseProgress.course_iri == course_iri,
        )
    )


def courses_of(user_id: int) -> list[LearnerCourseProgress]:
    """A learner's progress in every course they have a statement in, latest activity first."""
    return list(
        db.session.scalars(
            sa.select(LearnerCourseProgress)
            .where(LearnerCourseProgress.user_id == user_id)
            .order_by(
                LearnerCourseProgress.last_activity_at.desc(), LearnerCourseProgress.course_iri
            )
        )
    )


def hours_of(user_id: int, year: int) -> float:
    """Hours a learner spent learning in ``year`` (Vietnam time); 0 when none."""
    total = db.session.scalar(
        sa.select(LearnerYearHours.duration_ms).where(
            LearnerYearHours.user_id == user_id, LearnerYearHours.year == year
        )
    )
    return (total or 0) / 3_600_000


@dataclass(frozen=True)
class Completions:
    """How many learners completed a course and earned its certificate, and the latest."""

    completed: int
    certificates: int
    last_completed_at: datetime | None


def completions_of(course_iri: str) -> Completions:
    """Completion counts of a course, from the progress summaries."""
    p = LearnerCourseProgress
    completed, certificates, last = db.session.execute(
        sa.select(
            sa.func.count(p.completed_at),
            sa.func.count(p.certificate_earned_at),
            sa.func.max(p.completed_at),
        ).where(p.course_iri == course_iri)
    ).one()
    return Completions(completed, certificates, last)


@dataclass(frozen=True)
class StatementPage:
    """One page of statements, newest stored first."""

    items: list[Statement]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def statements_of(
    user_id: int, *, page: int = 1, per_page: int = 50, include_voided: bool = False
) -> StatementPage:
    """A learner's statements, newest stored first; voiding statements and voided ones are
    left out unless ``include_voided``."""
    page = max(1, page)
    per_page = min(max(1, per_page), 500)
    conditions = [Statement.user_id == user_id]
    if not include_voided:
        conditions += [Statement.is_voided.is_(False), Statement.verb_iri != verbs.VOIDED]
    total = db.session.scalar(sa.select(sa.func.count(Statement.id)).where(*conditions)) or 0
    items = db.session.scalars(
        sa.select(Statement)
        .where(*conditions)
        .order_by(Statement.stored.desc(), Statement.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    return StatementPage(list(items), total, page, per_page)
