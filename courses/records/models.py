"""Learning statements (append-only, xAPI 2.0) and the summaries derived from them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import BigInteger, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db

__all__ = ["LearnerCourseProgress", "LearnerYearHours", "Statement"]

IRI_LENGTH = 512
JSONType = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


class Statement(db.Model):
    """One learning event as an xAPI 2.0 statement, stored once and never changed except
    for the ``is_voided`` flag (set when a voiding statement names it) and erasure with the
    learner's account. ``data`` is the full, canonical statement JSON; the other columns are
    copies of its parts that the summaries and the LRS filters need."""

    __tablename__ = "learning_statements"
    __table_args__ = (
        Index("ix_learning_statements_user_id_course_iri", "user_id", "course_iri"),
        Index("ix_learning_statements_user_id_local_year", "user_id", "local_year"),
    )

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True
    )
    statement_id: Mapped[str] = mapped_column(String(36), unique=True)  # lower-case UUID
    # The portal user the actor names, NULL for actors who are not portal users.
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    actor_key: Mapped[str] = mapped_column(String(IRI_LENGTH), index=True)  # see operations
    verb_iri: Mapped[str] = mapped_column(String(IRI_LENGTH), index=True)
    activity_iri: Mapped[str | None] = mapped_column(String(IRI_LENGTH), index=True)
    # The course the event belongs to: the object itself or a context parent/grouping.
    course_iri: Mapped[str | None] = mapped_column(String(IRI_LENGTH))
    registration: Mapped[str | None] = mapped_column(String(36), index=True)
    voids_statement_id: Mapped[str | None] = mapped_column(String(36), index=True)
    is_voided: Mapped[bool] = mapped_column(default=False)
    score_scaled: Mapped[float | None]
    success: Mapped[bool | None]
    completion: Mapped[bool | None]
    duration_ms: Mapped[int | None] = mapped_column(BigInteger)
    local_year: Mapped[int] = mapped_column(sa.SmallInteger)  # year of timestamp, Vietnam time
    timestamp: Mapped[datetime] = mapped_column(index=True)
    stored: Mapped[datetime] = mapped_column(index=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSONType)

    def __repr__(self) -> str:
        voided = " voided" if self.is_voided else ""
        return f"<Statement {self.statement_id} {self.verb_iri} {self.activity_iri}{voided}>"


class LearnerCourseProgress(db.Model):
    """How far a learner has got in one course, derived from their statements whose course
    is ``course_iri``. ``progress`` is lessons completed ÷ the lesson count the statements
    carried (context extension ``{base}/xapi/extensions/lesson-count``), 1 once the course is
    completed, NULL while no lesson count is known."""

    __tablename__ = "learner_course_progress"
    __table_args__ = (UniqueConstraint("user_id", "course_iri"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    course_iri: Mapped[str] = mapped_column(String(IRI_LENGTH), index=True)
    lessons_completed: Mapped[int] = mapped_column(default=0)
    lesson_count: Mapped[int | None]
    lesson_count_at: Mapped[datetime | None]  # timestamp of the statement that gave it
    progress: Mapped[float | None]
    last_activity_iri: Mapped[str | None] = mapped_column(String(IRI_LENGTH))  # to resume
    last_activity_at: Mapped[datetime | None]
    best_score_scaled: Mapped[float | None]
    completed_at: Mapped[datetime | None]  # first "completed" of the course itself
    certificate_earned_at: Mapped[datetime | None]  # first "earned" of the course
    updated_at: Mapped[datetime]

    def __repr__(self) -> str:
        return f"<LearnerCourseProgress user={self.user_id} {self.course_iri} {self.progress}>"


class LearnerYearHours(db.Model):
    """Learning time of a learner in one calendar year (Vietnam time): the sum of
    ``result.duration`` of their statements that are not voided."""

    __tablename__ = "learner_year_hours"
    __table_args__ = (UniqueConstraint("user_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(sa.SmallInteger)
    duration_ms: Mapped[int] = mapped_column(BigInteger, default=0)
    updated_at: Mapped[datetime]

    @property
    def seconds(self) -> float:
        return self.duration_ms / 1000

    @property
    def hours(self) -> float:
        return self.duration_ms / 3_600_000

    def __repr__(self) -> str:
        return f"<LearnerYearHours user={self.user_id} {self.year} {self.hours:.2f} h>"
