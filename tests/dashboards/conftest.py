"""Learning data built straight in the tables (enrolments, attempts, responses) and through
the learning records (statements), without the learning pages' operations."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from courses.learning.models import Enrolment, QuestionResponse, QuizAttempt
from courses.records import iri, operations, verbs
from tests.records.conftest import statement


@pytest.fixture
def enrol(db) -> Callable[..., Enrolment]:
    """``enrol(user, course, status="active", at=None)``: an enrolment row."""

    def factory(user: Any, course: Any, *, status: str = "active", at: datetime | None = None):
        enrolment = Enrolment(
            user_id=user.id,
            course_id=course.id,
            registration=str(uuid.uuid4()),
            status=status,
            enrolled_at=at or datetime.now(UTC),
            completed_at=datetime.now(UTC) if status == "completed" else None,
        )
        db.session.add(enrolment)
        db.session.flush()
        return enrolment

    return factory


@pytest.fixture
def complete_lesson(db) -> Callable[..., Any]:
    """``complete_lesson(user, course, lesson, at=..., duration="PT30M")``: the statement
    the learning pages record when a lesson is completed."""

    def do(user: Any, course: Any, lesson: Any, *, at: datetime, duration: str | None = None):
        data = statement(
            user.id,
            verbs.COMPLETED,
            iri.activity_iri("lesson", lesson.id),
            at=at,
            duration=duration,
            lesson_count=len(course.lessons),
        )
        data["context"]["contextActivities"] = {
            "parent": [{"id": iri.activity_iri("course", course.id)}]
        }
        return operations.record(data)

    return do


@pytest.fixture
def submit_attempt(db) -> Callable[..., QuizAttempt]:
    """``submit_attempt(enrolment, quiz, {question: (response, correct)}, submitted=True)``:
    a graded attempt with its responses (1 point per correct answer)."""

    def factory(enrolment: Any, quiz: Any, answers: dict[Any, tuple[Any, bool]], **kw: Any):
        number = 1 + sum(1 for a in enrolment.attempts if a.quiz_id == quiz.id)
        submitted = kw.get("submitted", True)
        points = float(sum(1 for _, correct in answers.values() if correct))
        attempt = QuizAttempt(
            enrolment_id=enrolment.id,
            quiz_id=quiz.id,
            number=number,
            submitted_at=datetime.now(UTC) if submitted else None,
            points=points if submitted else None,
            max_points=float(len(quiz.questions)) if submitted else None,
            score=points / len(quiz.questions) if submitted else None,
            passed=(points / len(quiz.questions) >= quiz.pass_mark / 100) if submitted else None,
        )
        enrolment.attempts.append(attempt)
        for question, (response, correct) in answers.items():
            attempt.responses.append(
                QuestionResponse(
                    question_id=question.id,
                    response=response,
                    correct=correct,
                    points=1.0 if correct else 0.0,
                )
            )
        db.session.flush()
        return attempt

    return factory
