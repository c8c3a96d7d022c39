"""The register's verbs: taking attendance (idempotent, corrections void the statement,
only learners who hold a place, cancelled sessions refused), the evidence and hours it
gives, results with certificates issued and revoked, and finishing a class."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa

from courses.certificates.models import Certificate
from courses.records import verbs
from courses.records.models import LearnerYearHours, Statement
from portal.centres import attendance, operations, records
from portal.centres.attendance import AttendanceError, Result
from portal.centres.models import Attendance, CentreClass, ClassEnrolment, ClassSession, Programme
from portal.recognition import evidence, sets
from portal.recognition.criteria import DATA, read_file
from portal.recognition.models import Assessment

pytestmark = pytest.mark.usefixtures("english")  # the tests name the English texts


@pytest.fixture
def citizen_assessment(db: Any, small_places: tuple[Any, Any]) -> Callable[..., Assessment]:
    """``citizen_assessment(user, year)``: a Learning Citizen assessment of ``user``."""
    criteria_set, _outcome = sets.load(read_file(DATA / "citizen-workers.yaml"))
    province, commune = small_places

    def make(user: Any, year: int = 2026) -> Assessment:
        row = Assessment(year=year, model="citizen", criteria_set_id=criteria_set.id,
                         status="draft", subject_key=f"user:{user.id}",
                         subject_name=user.full_name, commune_code=commune.code,
                         province_code=province.code, user_id=user.id)  # fmt: skip
        db.session.add(row)
        db.session.flush()
        return row

    return make


def live(user: Any, verb: str) -> list[Statement]:
    from portal.extensions import db

    return list(
        db.session.scalars(
            sa.select(Statement).where(
                Statement.user_id == user.id,
                Statement.verb_iri == verb,
                Statement.is_voided.is_(False),
            )
        )
    )


def year_hours(user: Any, year: int = 2026) -> float:
    from portal.extensions import db

    ms = db.session.scalar(
        sa.select(LearnerYearHours.duration_ms).where(
            LearnerYearHours.user_id == user.id, LearnerYearHours.year == year
        )
    )
    return (ms or 0) / 3_600_000


def test_present_learners_with_accounts_get_one_statement_each(centre_class, staff, learner):
    _p1, mai, e1 = learner(centre_class, "Lò Thị Mai")
    _p2, hoa, e2 = learner(centre_class, "Ka Hoa")
    _p3, _none, e3 = learner(centre_class, "K'Brơi", account=False)
    session = centre_class.sessions[0]

    taken = attendance.take_attendance(
        session, {e1.id: "present", e2.id: "absent", e3.id: "present"}, by=staff
    )

    assert (taken.changed, taken.present, taken.unmarked) == (3, 2, 0)
    assert len(live(mai, records.ATTENDED)) == 1
    assert live(hoa, records.ATTENDED) == []
    assert year_hours(mai) == 1.5 and year_hours(hoa) == 0


def test_saving_the_same_marks_again_changes_and_stores_nothing(db, centre_class, staff, learner):
    _person, user, enrolment = learner(centre_class)
    session = centre_class.sessions[0]
    attendance.take_attendance(session, {enrolment.id: "present"}, by=staff)
    again = attendance.take_attendance(session, {enrolment.id: "present"}, by=staff)
    assert again.changed == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Statement)) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Attendance)) == 1
    assert year_hours(user) == 1.5


def test_present_then_absent_voids_the_statement_and_the_hours(centre_class, staff, learner):
    _person, user, enrolment = learner(centre_class)
    session = centre_class.sessions[0]
    attendance.take_attendance(session, {enrolment.id: "present"}, by=staff)
    (first,) = live(user, records.ATTENDED)

    attendance.take_attendance(session, {enrolment.id: "absent"}, by=staff)
    assert live(user, records.ATTENDED) == []
    assert first.is_voided
    assert year_hours(user) == 0

    attendance.take_attendance(session, {enrolment.id: "present"}, by=staff)  # corrected back
    (second,) = live(user, records.ATTENDED)
    assert second.statement_id != first.statement_id
    assert year_hours(user) == 1.5


def test_others_present_marks_only_those_without_a_mark(centre_class, staff, learner):
    _p1, mai, e1 = learner(centre_class, "Lò Thị Mai")
    _p2, hoa, e2 = learner(centre_class, "Ka Hoa")
    _p3, brơi, e3 = learner(centre_class, "K'Brơi")
    session = centre_class.sessions[1]
    attendance.take_attendance(session, {e3.id: "excused"}, by=staff)

    taken = attendance.take_attendance(session, {e1.id: "absent"}, by=staff, others_present=True)

    marks = {line.enrolment.id: line.status for line in attendance.register(session)}
    assert marks == {e1.id: "absent", e2.id: "present", e3.id: "excused"}
    assert taken.present == 1
    assert [len(live(u, records.ATTENDED)) for u in (mai, hoa, brơi)] == [0, 1, 0]


def test_waitlisted_and_withdrawn_learners_are_not_on_the_register(
    db, centre, programme, staff, learner
):
    small = CentreClass(centre_id=centre.id, programme_id=programme.id, code="S-1",
                        title="Lớp nhỏ", capacity=1)  # fmt: skip
    db.session.add(small)
    db.session.flush()
    session = ClassSession(class_id=small.id, day=date(2026, 10, 1), start_time=time(8, 0))
    db.session.add(session)
    db.session.flush()
    _p1, _u1, placed = learner(small, "Lò Thị Mai")
    _p2, _u2, waiting = learner(small, "Ka Hoa")
    _p3, _u3, gone = learner(small, "K'Brơi")
    operations.withdraw(gone, by=None)
    assert (waiting.status, gone.status) == ("waitlisted", "withdrawn")

    assert [line.enrolment.id for line in attendance.register(session)] == [placed.id]
    with pytest.raises(AttendanceError) as refused:
        attendance.take_attendance(session, {waiting.id: "present"}, by=staff)
    assert refused.value.code == "not_in_class"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Attendance)) == 0


def test_a_cancelled_session_takes_no_attendance(db, centre_class, staff, learner):
    _person, _user, enrolment = learner(centre_class)
    session = centre_class.sessions[0]
    session.cancelled = True
    db.session.flush()
    with pytest.raises(AttendanceError) as refused:
        attendance.take_attendance(session, {enrolment.id: "present"}, by=staff)
    assert refused.value.code == "session_cancelled"
    assert "cancelled" in refused.value.message
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Attendance)) == 0


def test_a_bad_mark_saves_nothing(db, centre_class, staff, learner):
    _p1, _u1, e1 = learner(centre_class, "Lò Thị Mai")
    _p2, _u2, e2 = learner(centre_class, "Ka Hoa")
    with pytest.raises(AttendanceError) as refused:
        attendance.take_attendance(
            centre_class.sessions[0], {e1.id: "present", e2.id: "late"}, by=staff
        )
    assert refused.value.code == "bad_status"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Statement)) == 0


def test_attended_sessions_raise_the_sessions_attended_evidence_of_the_year(
    centre_class, staff, learner, citizen_assessment
):
    _person, user, enrolment = learner(centre_class)
    assessment = citizen_assessment(user)
    before, _details = evidence.value(assessment, "sessions_attended")
    for session in centre_class.sessions[:2]:
        attendance.take_attendance(session, {enrolment.id: "present"}, by=staff)

    after, details = evidence.value(assessment, "sessions_attended")
    assert (before, after) == (0, 2)
    assert [item["on"] for item in details["items"]] == ["2026-09-07", "2026-09-09"]
    hours, _ = evidence.value(assessment, "learning_hours")
    assert hours == Decimal("3.00")
    assert evidence.value(citizen_assessment(user, 2027), "sessions_attended")[0] == 0


# Results -------------------------------------------------------------------------------------


def test_completion_issues_a_programme_certificate_once(db, centre_class, staff, learner):
    _person, user, enrolment = learner(centre_class)
    for session in centre_class.sessions:
        attendance.take_attendance(session, {enrolment.id: "present"}, by=staff)

    saved = attendance.set_results(
        centre_class, {enrolment.id: Result("completed", Decimal(90))}, by=staff
    )
    assert (saved.changed, saved.certificates_issued) == (1, 1)
    certificate = db.session.get(Certificate, enrolment.certificate_id)
    assert certificate.kind == "programme" and certificate.user_id == user.id
    assert certificate.issuer == centre_class.centre.name
    assert certificate.hours == Decimal("4.50")  # three sessions of 90 minutes
    assert "Xóa mù chữ mức độ 1" in certificate.achievement
    assert enrolment.literacy_level == 1  # the programme's level, as none was given
    assert len(live(user, verbs.COMPLETED)) == 1

    again = attendance.set_results(
        centre_class, {enrolment.id: Result("completed", Decimal("90.00"), 1)}, by=staff
    )
    assert (again.changed, again.certificates_issued) == (0, 0)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Certificate)) == 1
    assert len(live(user, verbs.COMPLETED)) == 1


def test_without_attendance_the_certificate_gives_the_programme_hours(
    db, centre_class, staff, learner
):
    _person, _user, enrolment = learner(centre_class)
    attendance.set_results(centre_class, {enrolment.id: Result("completed")}, by=staff)
    assert db.session.get(Certificate, enrolment.certificate_id).hours == Decimal("120.00")


def test_the_certificate_is_verifiable(client, centre_class, staff, learner):
    _person, user, enrolment = learner(centre_class)
    attendance.set_results(centre_class, {enrolment.id: Result("completed")}, by=staff)
    code = enrolment.certificate.display_code
    page = client.get(f"/verify/{code}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert user.full_name in text and "Xóa mù chữ mức độ 1" in text


def test_undoing_a_completion_voids_it_and_revokes_the_certificate(
    db, centre_class, staff, learner
):
    _person, user, enrolment = learner(centre_class)
    attendance.set_results(centre_class, {enrolment.id: Result("completed")}, by=staff)
    certificate = enrolment.certificate

    saved = attendance.set_results(centre_class, {enrolment.id: Result("not_completed")}, by=staff)

    assert saved.certificates_revoked == 1
    assert certificate.is_revoked and certificate.revoked_reason
    assert certificate.revoked_by_id == staff.id
    assert live(user, verbs.COMPLETED) == []
    assert enrolment.status == "not_completed" and enrolment.literacy_level is None

    attendance.set_results(centre_class, {enrolment.id: Result("completed")}, by=staff)
    assert enrolment.certificate_id != certificate.id
    assert not enrolment.certificate.is_revoked
    assert len(live(user, verbs.COMPLETED)) == 1


def test_a_new_score_replaces_the_completion_statement(centre_class, staff, learner):
    _person, user, enrolment = learner(centre_class)
    attendance.set_results(centre_class, {enrolment.id: Result("completed", Decimal(70))}, by=staff)
    attendance.set_results(centre_class, {enrolment.id: Result("completed", Decimal(80))}, by=staff)
    (row,) = live(user, verbs.COMPLETED)
    assert row.data["result"]["score"]["raw"] == 80
    assert enrolment.certificate is not None and not enrolment.certificate.is_revoked


def test_each_class_completed_gets_its_own_certificate(
    db, centre, staff, learner, make_user, add_person
):
    def new_class(code: str, title: str) -> CentreClass:
        programme = Programme(centre_id=centre.id, type="vocational", title=title, hours=40)
        db.session.add(programme)
        db.session.flush()
        row = CentreClass(centre_id=centre.id, programme_id=programme.id, code=code, title=title)
        db.session.add(row)
        db.session.flush()
        return row

    sewing, farming = new_class("M-1", "May công nghiệp"), new_class("N-1", "Trồng cà phê")
    person, _user, first = learner(sewing, "Lò Thị Mai")
    second, _new = operations.enrol(farming, person, by=None)
    attendance.set_results(sewing, {first.id: Result("completed")}, by=staff)
    attendance.set_results(farming, {second.id: Result("completed")}, by=staff)
    assert first.certificate_id != second.certificate_id
    assert {first.certificate.achievement, second.certificate.achievement} == {
        "May công nghiệp",
        "Trồng cà phê",
    }


def test_a_level_outside_literacy_is_refused(db, centre, staff, learner):
    programme = Programme(centre_id=centre.id, type="digital", title="Tin học", hours=20)
    db.session.add(programme)
    db.session.flush()
    row = CentreClass(centre_id=centre.id, programme_id=programme.id, code="T-1", title="Tin học")
    db.session.add(row)
    db.session.flush()
    _person, _user, enrolment = learner(row)
    with pytest.raises(AttendanceError) as refused:
        attendance.set_results(row, {enrolment.id: Result("completed", None, 2)}, by=staff)
    assert refused.value.code == "no_level"
    assert enrolment.status == "enrolled"


def test_finishing_a_class_marks_the_learners_without_result_not_completed(
    db, centre_class, staff, learner
):
    _p1, _u1, done = learner(centre_class, "Lò Thị Mai")
    _p2, _u2, pending = learner(centre_class, "Ka Hoa")
    attendance.set_results(centre_class, {done.id: Result("completed")}, by=staff)

    assert attendance.finish_class(centre_class, by=staff) == 1

    assert centre_class.status == "finished"
    assert (done.status, pending.status) == ("completed", "not_completed")
    assert pending.completed_at is not None
    with pytest.raises(AttendanceError) as again:
        attendance.finish_class(centre_class, by=staff)
    assert again.value.code == "class_finished"
    with pytest.raises(AttendanceError) as no_result:
        attendance.set_results(centre_class, {pending.id: Result("enrolled")}, by=staff)
    assert no_result.value.code == "result_needed"
    count = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(ClassEnrolment)
        .where(ClassEnrolment.status == "not_completed")
    )
    assert count == 1
