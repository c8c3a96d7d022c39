"""Learning records of classes: the attended and completed statements (shape, duration,
timestamp in Vietnam time, deterministic ids) and the backfill of a person's history once
they are linked to an account."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa

from courses.certificates.models import Certificate
from courses.records import iri, verbs
from courses.records.models import LearnerCourseProgress, LearnerYearHours, Statement
from portal.centres import attendance, records
from portal.centres.attendance import Result
from portal.centres.models import Attendance, Person
from portal.recognition import evidence


def statements(user: Any, verb: str | None = None) -> list[Statement]:
    from portal.extensions import db

    query = sa.select(Statement).where(Statement.user_id == user.id).order_by(Statement.id)
    if verb is not None:
        query = query.where(Statement.verb_iri == verb)
    return list(db.session.scalars(query))


def test_the_attended_verb_is_the_one_evidence_counts():
    assert records.ATTENDED == evidence.ATTENDED == "http://adlnet.gov/expapi/verbs/attended"


@pytest.mark.parametrize(
    ("minutes", "text"), [(90, "PT1H30M"), (60, "PT1H"), (45, "PT45M"), (720, "PT12H")]
)
def test_session_length_is_an_iso_8601_duration(minutes, text):
    assert records.iso_duration(minutes) == text


def test_an_attended_statement_names_the_session_the_class_and_the_registration(
    centre_class, staff, learner
):
    _person, user, enrolment = learner(centre_class)
    session = centre_class.sessions[0]
    attendance.take_attendance(session, {enrolment.id: "present"}, by=staff)

    (row,) = statements(user)
    assert row.verb_iri == records.ATTENDED
    assert row.activity_iri == iri.activity_iri("class-session", session.id)
    assert row.registration == enrolment.registration
    assert row.duration_ms == 90 * 60_000
    # 19:00 on 7 September 2026 in Vietnam is 12:00 UTC.
    assert row.timestamp == datetime(2026, 9, 7, 12, 0, tzinfo=UTC)
    assert row.local_year == 2026
    parent = row.data["context"]["contextActivities"]["parent"]
    assert [p["id"] for p in parent] == [iri.activity_iri("class", centre_class.id)]
    name = row.data["object"]["definition"]["name"]["vi"]
    assert centre_class.title in name and "2026-09-07" in name
    assert row.course_iri is None


def test_a_class_makes_no_course_progress_row(db, centre_class, staff, learner):
    _person, user, enrolment = learner(centre_class)
    attendance.take_attendance(centre_class.sessions[0], {enrolment.id: "present"}, by=staff)
    attendance.set_results(centre_class, {enrolment.id: Result("completed")}, by=staff)
    progress = db.session.scalars(
        sa.select(LearnerCourseProgress).where(LearnerCourseProgress.user_id == user.id)
    ).all()
    assert progress == []


def test_session_late_on_new_years_eve_counts_in_the_vietnamese_year(
    db, centre_class, staff, learner
):
    from datetime import date, time

    from portal.centres.models import ClassSession

    late = ClassSession(class_id=centre_class.id, day=date(2026, 12, 31), start_time=time(23, 30),
                        minutes=60)  # fmt: skip
    db.session.add(late)
    db.session.flush()
    _person, user, enrolment = learner(centre_class)
    attendance.take_attendance(late, {enrolment.id: "present"}, by=staff)
    (row,) = statements(user)
    assert row.timestamp == datetime(2026, 12, 31, 16, 30, tzinfo=UTC)
    assert row.local_year == 2026


def test_statement_ids_are_deterministic_so_a_resend_stores_nothing(
    db, centre_class, staff, learner
):
    _person, user, enrolment = learner(centre_class)
    session = centre_class.sessions[0]
    sent = records.attendance_statement(session, enrolment, user.id, None)
    again = records.attendance_statement(session, enrolment, user.id, None)
    assert sent["id"] == again["id"]
    attendance.take_attendance(session, {enrolment.id: "present"}, by=staff)
    from courses.records import operations as record_operations

    stored = record_operations.record(again)  # a retry of the same statement
    assert stored.statement_id == sent["id"]
    assert len(statements(user, records.ATTENDED)) == 1
    hours = db.session.scalar(
        sa.select(LearnerYearHours.duration_ms).where(LearnerYearHours.user_id == user.id)
    )
    assert hours == 90 * 60_000


def test_a_completion_statement_carries_score_and_level_but_no_scaled_score(
    centre_class, staff, learner
):
    _person, user, enrolment = learner(centre_class)
    attendance.set_results(
        centre_class, {enrolment.id: Result("completed", Decimal("87.5"), 1)}, by=staff
    )
    (row,) = statements(user, verbs.COMPLETED)
    assert row.activity_iri == iri.activity_iri("class", centre_class.id)
    assert row.completion is True and row.success is True
    assert row.data["result"]["score"] == {"raw": 87.5, "min": 0, "max": 100}
    assert row.score_scaled is None  # not a quiz score: the quiz average leaves it out
    assert row.data["result"]["extensions"] == {iri.extension_iri("literacy-level"): 1}
    assert row.registration == enrolment.registration


def test_backfill_records_the_history_of_a_person_linked_later(
    db, centre_class, staff, learner, make_user
):
    person, _none, enrolment = learner(centre_class, "Ka Hoa", account=False)
    first, second, third = centre_class.sessions
    attendance.take_attendance(first, {enrolment.id: "present"}, by=staff)
    attendance.take_attendance(second, {enrolment.id: "absent"}, by=staff)
    attendance.take_attendance(third, {enrolment.id: "present"}, by=staff)
    attendance.set_results(centre_class, {enrolment.id: Result("completed")}, by=staff)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Statement)) == 0
    assert enrolment.certificate_id is None

    user = make_user(full_name="Ka Hoa")
    person.user_id = user.id
    db.session.flush()
    assert records.backfill(person) == 3  # two sessions and the completion
    assert records.backfill(person) == 0  # again: nothing twice

    assert len(statements(user, records.ATTENDED)) == 2
    assert len(statements(user, verbs.COMPLETED)) == 1
    hours = db.session.scalar(
        sa.select(LearnerYearHours.duration_ms).where(
            LearnerYearHours.user_id == user.id, LearnerYearHours.year == 2026
        )
    )
    assert hours == 2 * 90 * 60_000
    certificate = db.session.get(Certificate, enrolment.certificate_id)
    assert certificate.kind == "programme" and certificate.user_id == user.id
    assert certificate.hours == Decimal("3.00")
    marks = db.session.scalars(sa.select(Attendance).where(Attendance.status == "present")).all()
    assert all(mark.statement_id for mark in marks)


def test_backfill_of_a_person_without_account_does_nothing(centre_class, learner):
    person, _none, _enrolment = learner(centre_class, account=False)
    assert isinstance(person, Person)
    assert records.backfill(person) == 0


def test_cancelling_a_session_voids_its_records_and_restoring_brings_them_back(
    db, centre_class, staff, learner
):
    _person, user, enrolment = learner(centre_class)
    _p2, _none, other = learner(centre_class, "Ka Hoa", account=False)
    session = centre_class.sessions[0]
    attendance.take_attendance(session, {enrolment.id: "present", other.id: "present"}, by=staff)

    def hours() -> int:
        return db.session.scalar(
            sa.select(sa.func.coalesce(sa.func.sum(LearnerYearHours.duration_ms), 0)).where(
                LearnerYearHours.user_id == user.id
            )
        )

    session.cancelled = True
    assert records.sync_session(session, staff) == 1
    assert hours() == 0 and records.sync_session(session, staff) == 0
    session.cancelled = False
    assert records.sync_session(session, staff) == 1
    assert hours() == 90 * 60_000
    live = [s for s in statements(user, records.ATTENDED) if not s.is_voided]
    assert len(live) == 1
