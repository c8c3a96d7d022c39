"""A learner's enrolment in a course and their quiz attempts.

What a learner *did* is evidence and lives in the learning records (xAPI statements, with
progress and hours derived from them); these tables hold what the course pages need to run:
who is enrolled (with the xAPI ``registration`` that ties their statements to this
enrolment), where to resume, and each quiz attempt with its answers, for attempt limits,
feedback and the teacher's per-question statistics.
"""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db

__all__ = ["Enrolment", "EnrolmentStatus", "QuestionResponse", "QuizAttempt"]


def utcnow() -> datetime:
    return datetime.now(UTC)


class EnrolmentStatus(enum.StrEnum):
    ACTIVE = "active"
    COMPLETED = "completed"
    WITHDRAWN = "withdrawn"


class Enrolment(db.Model):
    __tablename__ = "enrolments"
    __table_args__ = (
        UniqueConstraint("user_id", "course_id"),
        CheckConstraint("status IN ('active', 'completed', 'withdrawn')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    # xAPI context.registration of every statement made within this enrolment (a UUID).
    registration: Mapped[str] = mapped_column(String(36), unique=True)
    status: Mapped[str] = mapped_column(String(16), default=EnrolmentStatus.ACTIVE, index=True)
    source: Mapped[str] = mapped_column(String(16), default="self")  # self | centre
    enrolled_at: Mapped[datetime] = mapped_column(default=utcnow)
    completed_at: Mapped[datetime | None]
    withdrawn_at: Mapped[datetime | None]
    last_lesson_id: Mapped[int | None] = mapped_column(
        ForeignKey("course_lessons.id", ondelete="SET NULL")
    )
    last_seen_at: Mapped[datetime | None]
    certificate_id: Mapped[int | None] = mapped_column(
        ForeignKey("certificates.id", ondelete="SET NULL")
    )

    user = relationship("User")
    course = relationship("Course")
    last_lesson = relationship("Lesson")
    certificate = relationship("Certificate")
    attempts: Mapped[list[QuizAttempt]] = relationship(
        back_populates="enrolment",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="QuizAttempt.id",
    )

    def __repr__(self) -> str:
        return f"<Enrolment {self.id} user {self.user_id} course {self.course_id} {self.status}>"


class QuizAttempt(db.Model):
    __tablename__ = "quiz_attempts"
    __table_args__ = (UniqueConstraint("enrolment_id", "quiz_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(
        ForeignKey("enrolments.id", ondelete="CASCADE"), index=True
    )
    quiz_id: Mapped[int] = mapped_column(
        ForeignKey("course_quizzes.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int]  # 1, 2, ... per enrolment and quiz
    # The order shown: {"questions": [id, ...], "options": {"<question id>": [key, ...]}}
    layout: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime | None]
    points: Mapped[float | None]
    max_points: Mapped[float | None]
    score: Mapped[float | None]  # points / max_points, 0-1
    passed: Mapped[bool | None]

    enrolment: Mapped[Enrolment] = relationship(back_populates="attempts")
    quiz = relationship("Quiz")
    responses: Mapped[list[QuestionResponse]] = relationship(
        back_populates="attempt",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="QuestionResponse.id",
    )


class QuestionResponse(db.Model):
    """One answer in a submitted attempt, graded: the rows behind per-question statistics."""

    __tablename__ = "question_responses"
    __table_args__ = (UniqueConstraint("attempt_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("quiz_attempts.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(
        ForeignKey("course_questions.id", ondelete="CASCADE"), index=True
    )
    response: Mapped[Any] = mapped_column(JSON)  # as given: key, keys, text, number, order
    correct: Mapped[bool]
    points: Mapped[float]

    attempt: Mapped[QuizAttempt] = relationship(back_populates="responses")
