"""Statement builders for the learning-record tests."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from courses.records import iri, verbs
from courses.records.models import LearnerCourseProgress, LearnerYearHours
from courses.records.operations import SUMMARY_FIELDS
from portal.extensions import db

T0 = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


def statement(
    user_id: int,
    verb: str,
    activity: str,
    *,
    course: int | None = None,
    lesson_count: int | None = None,
    at: datetime | None = None,
    duration: str | None = None,
    scaled: float | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """An xAPI statement by portal user ``user_id``; ``course`` puts it in a course's
    context (grouping), ``lesson_count`` adds the lesson-count extension."""
    data: dict[str, Any] = {
        "actor": iri.user_agent(user_id),
        "verb": {"id": verb, "display": verbs.display(verb)},
        "object": {"objectType": "Activity", "id": activity},
        "timestamp": (at or T0).isoformat(),
    }
    result: dict[str, Any] = {}
    if duration is not None:
        result["duration"] = duration
    if scaled is not None:
        result["score"] = {"scaled": scaled}
    if result:
        data["result"] = result
    context: dict[str, Any] = {"language": "vi"}
    if course is not None:
        context["contextActivities"] = {"grouping": [{"id": iri.activity_iri("course", course)}]}
    if lesson_count is not None:
        context["extensions"] = {iri.lesson_count_extension(): lesson_count}
    data["context"] = context
    data.update(extra)
    return data


def random_statement(rng: random.Random, user_ids: list[int]) -> dict[str, Any]:
    """One of the learning events the portal records, for a random learner."""
    user = rng.choice(user_ids)
    course = rng.randint(1, 3)
    lesson = iri.activity_iri("lesson", course * 100 + rng.randint(1, 5))
    at = T0 + timedelta(days=rng.randint(-120, 400), minutes=rng.randint(0, 1440))
    verb, activity = rng.choice(
        [
            (verbs.EXPERIENCED, lesson),
            (verbs.COMPLETED, lesson),
            (verbs.COMPLETED, lesson),
            (verbs.ATTEMPTED, iri.activity_iri("quiz", course)),
            (verbs.ANSWERED, iri.activity_iri("question", rng.randint(1, 9))),
            (verbs.PASSED, iri.activity_iri("quiz", course)),
            (verbs.FAILED, iri.activity_iri("quiz", course)),
            (verbs.PROGRESSED, lesson),
            (verbs.COMPLETED, iri.activity_iri("course", course)),
            (verbs.earned(), iri.activity_iri("certificate", course)),
        ]
    )
    return statement(
        user,
        verb,
        activity,
        course=course,
        lesson_count=rng.choice([None, 5, 5, 4]),
        at=at,
        duration=rng.choice([None, "PT5M", "PT1H2M3.5S", "P1D"]),
        scaled=rng.choice([None, round(rng.uniform(-1, 1), 3)]),
        id=str(uuid.UUID(int=rng.getrandbits(128))),
    )


def summaries() -> tuple[dict[tuple[int, str], tuple[Any, ...]], dict[tuple[int, int], int]]:
    """The summary tables as comparable values (without ``updated_at``)."""
    progress = {
        (row.user_id, row.course_iri): tuple(getattr(row, f) for f in SUMMARY_FIELDS)
        for row in db.session.scalars(sa.select(LearnerCourseProgress))
    }
    hours = {
        (row.user_id, row.year): row.duration_ms
        for row in db.session.scalars(sa.select(LearnerYearHours))
    }
    return progress, hours


@pytest.fixture
def learners(db: Any) -> list[Any]:
    """Three learners, made directly (no password hashing: they never sign in here)."""
    from portal.accounts.models import User

    users = [
        User(full_name=f"Học viên {n}", password_hash="-", session_token="-", email=f"{n}@t.vn")
        for n in range(3)
    ]
    db.session.add_all(users)
    db.session.flush()
    return users
