"""Time on task: measured active time and its caps, the no-JavaScript estimate, the token."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from courses.learning import operations
from courses.records import iri
from courses.records.models import LearnerYearHours, Statement
from portal.extensions import db as _db


def durations(user, lesson):
    rows = _db.session.scalars(
        sa.select(Statement.duration_ms).where(
            Statement.user_id == user.id,
            Statement.activity_iri == iri.activity_iri("lesson", lesson.id),
        )
    )
    return [ms // 1000 for ms in rows if ms is not None]


@pytest.fixture
def setup(db, make_course, learner):
    course = make_course(lessons=2, quiz=False)  # 10-minute lessons
    return operations.enrol(learner, course), course.lessons[0]


NOW = datetime.now(UTC)


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch):
    """The operations' clock stands still at NOW, so wall-time caps are exact however slow
    the machine is."""
    monkeypatch.setattr(operations, "_now", lambda: NOW)


def ago(seconds):
    return NOW - timedelta(seconds=seconds)


def test_without_javascript_the_estimate_is_credited_once(setup, learner):
    enrolment, lesson = setup
    assert operations.complete_lesson(enrolment, lesson) == 600
    assert operations.complete_lesson(enrolment, lesson) == 0  # not credited again
    assert durations(learner, lesson) == [600]
    hours = _db.session.scalar(
        sa.select(LearnerYearHours).where(LearnerYearHours.user_id == learner.id)
    )
    assert hours.duration_ms == 600_000


def test_estimate_tops_up_what_was_measured_before(setup, learner):
    enrolment, lesson = setup
    assert operations.record_time(enrolment, lesson, active_seconds=200, served=ago(300)) == 200
    assert operations.complete_lesson(enrolment, lesson) == 400
    assert sum(durations(learner, lesson)) == 600


def test_measured_time_is_credited_as_measured(setup, learner):
    enrolment, lesson = setup
    assert (
        operations.complete_lesson(enrolment, lesson, active_seconds=95, served_at=ago(120)) == 95
    )
    assert durations(learner, lesson) == [95]


def test_active_time_never_exceeds_the_wall_time_since_served(setup, learner):
    enrolment, lesson = setup
    assert (
        operations.complete_lesson(enrolment, lesson, active_seconds=500, served_at=ago(60)) == 60
    )


def test_beacons_from_one_page_share_its_wall_time(setup, learner):
    enrolment, lesson = setup
    served = ago(100)
    assert operations.record_time(enrolment, lesson, active_seconds=70, served=served) == 70
    assert operations.record_time(enrolment, lesson, active_seconds=70, served=served) == 30
    assert operations.record_time(enrolment, lesson, active_seconds=70, served=served) == 0


def test_time_for_a_lesson_is_capped_at_four_times_its_estimate(setup, learner):
    enrolment, lesson = setup
    assert operations.record_time(enrolment, lesson, active_seconds=3000, served=ago(9000)) == 2400
    assert operations.record_time(enrolment, lesson, active_seconds=100, served=ago(9000)) == 0
    assert sum(durations(learner, lesson)) == 2400


def test_zero_active_time_records_nothing_but_the_completion(setup, learner):
    enrolment, lesson = setup
    assert operations.record_time(enrolment, lesson, active_seconds=0, served=ago(10)) == 0
    assert durations(learner, lesson) == []
    assert operations.complete_lesson(enrolment, lesson, active_seconds=0, served_at=ago(10)) == 0
    assert (
        len(_db.session.scalars(sa.select(Statement).where(Statement.user_id == learner.id)).all())
        == 1
    )


def test_served_token_round_trip(app, db, learner):
    token = operations.served_token(learner.id, 7)
    at = operations.served_at(token, learner.id, 7)
    assert at is not None and abs((datetime.now(UTC) - at).total_seconds()) < 5


@pytest.mark.parametrize("token", ["", "junk", "a" * 500, None])
def test_forged_tokens_are_refused(app, db, learner, token):
    assert operations.served_at(token, learner.id, 7) is None


def test_someone_elses_or_another_lessons_token_is_refused(app, db, learner):
    token = operations.served_token(learner.id, 7)
    assert operations.served_at(token, learner.id + 1, 7) is None
    assert operations.served_at(token, learner.id, 8) is None
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert operations.served_at(tampered, learner.id, 7) is None


def test_expired_tokens_are_refused(app, db, learner, monkeypatch):
    token = operations.served_token(learner.id, 7)
    monkeypatch.setattr(operations, "SERVED_MAX_AGE", -1)
    assert operations.served_at(token, learner.id, 7) is None
