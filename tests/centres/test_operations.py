"""The shared verbs of the centres: finding and adding people, enrolling with a waitlist,
withdrawing and moving the waitlist up, and the verbs of centres, programmes, classes and
sessions — on both databases, with two writers racing for the last place."""

from __future__ import annotations

import threading
from datetime import date, time

import pytest
import sqlalchemy as sa

from courses.records.models import LearnerYearHours
from portal.centres import operations
from portal.centres.models import (
    Attendance,
    Centre,
    CentreClass,
    ClassEnrolment,
    ClassSession,
    EnrolmentStatus,
    Person,
    Programme,
)
from portal.centres.operations import CentreError, PersonDetails
from portal.extensions import db as _db

pytestmark = pytest.mark.usefixtures("english")  # the tests name the English texts


def details(name: str, **fields):
    if "phone" in fields:
        fields["phone"] = operations.clean_phone(fields["phone"])
    return PersonDetails(full_name=name, **fields)


# Finding and adding people ------------------------------------------------------------------


def test_find_person_by_national_id_whatever_the_name(add_person):
    mai = add_person("Lò Thị Mai", national_id="068190000123")
    assert operations.find_person(details("Lo Thi Mai B", national_id="068190000123")) == mai


def test_find_person_by_phone_and_folded_name_but_not_by_phone_alone(add_person):
    lan = add_person("Nguyễn Thị Lan", phone="0912345678")
    assert operations.find_person(details("NGUYEN thi lan", phone="0912 345 678")) == lan
    assert operations.find_person(details("Nguyễn Văn Hùng", phone="0912345678")) is None
    assert operations.find_person(details("Nguyễn Thị Lan")) is None


def test_add_person_refuses_a_national_id_another_person_has(db, add_person):
    add_person("Lò Thị Mai", national_id="068190000123")
    with pytest.raises(CentreError) as refused:
        add_person("Lò Văn Pọm", national_id="068190000123")
    assert refused.value.code == "national_id_taken"
    assert "national ID" in refused.value.message
    assert db.session.scalar(sa.select(sa.func.count(Person.id))) == 1


def test_add_person_links_the_account_with_the_same_phone_and_name(make_user, add_person):
    user = make_user(full_name="Nguyễn Thị Lan", phone="0912345678")
    other = make_user(full_name="Trần Văn Bình", phone="0987654321")
    linked = add_person("nguyen thi lan", phone="0912345678")
    not_linked = add_person("Trần Thị Cúc", phone="0987654321")
    assert linked.user_id == user.id
    assert not_linked.user_id is None and other.id is not None
    # An account already linked is not linked twice.
    assert add_person("Nguyễn Thị Lan", phone="0912345678").user_id is None


@pytest.mark.parametrize(
    ("raw", "code"),
    [("123", "bad_national_id"), ("06819000012x", "bad_national_id"), ("0212345", "bad_phone")],
)
def test_clean_refuses_bad_numbers(raw, code):
    clean = operations.clean_phone if code == "bad_phone" else operations.clean_national_id
    with pytest.raises(CentreError) as refused:
        clean(raw)
    assert refused.value.code == code


def test_clean_accepts_old_and_new_identity_numbers():
    assert operations.clean_national_id("068 190 000 123") == "068190000123"
    assert operations.clean_national_id("123.456.789") == "123456789"
    assert operations.clean_national_id("  ") is None


# Enrolling, the waitlist and withdrawing ----------------------------------------------------


def fill(centre_class, add_person, number, start=0):
    people = [add_person(f"Học viên {n}") for n in range(start, start + number)]
    return [operations.enrol(centre_class, p, by=None)[0] for p in people]


def test_enrol_waitlists_when_the_class_is_full(centre_class, add_person):
    enrolments = fill(centre_class, add_person, 12)
    statuses = [e.status for e in enrolments]
    assert statuses == ["enrolled"] * 10 + ["waitlisted"] * 2
    assert operations.places_taken(centre_class) == 10


def test_enrolling_twice_adds_nobody_twice(db, centre_class, add_person):
    person = add_person("Lò Thị Mai")
    first, new = operations.enrol(centre_class, person, by=None)
    again, new_again = operations.enrol(centre_class, person, by=None)
    assert new and not new_again and first.id == again.id
    count = sa.select(sa.func.count(ClassEnrolment.id))
    assert db.session.scalar(count) == 1


def test_withdraw_moves_the_first_waitlisted_person_up(centre_class, add_person):
    enrolments = fill(centre_class, add_person, 12)
    first_waiting, second_waiting = enrolments[10], enrolments[11]
    operations.withdraw(enrolments[3], by=None, reason="Chuyển nhà\x00 đi xa")
    assert enrolments[3].status == "withdrawn"
    assert enrolments[3].withdrawal_reason == "Chuyển nhà đi xa"
    assert first_waiting.status == "enrolled" and second_waiting.status == "waitlisted"
    # Leaving the waitlist frees no place: nobody moves.
    operations.withdraw(second_waiting, by=None)
    assert operations.places_taken(centre_class) == 10


def test_withdrawing_someone_not_enrolled_is_refused(centre_class, add_person):
    enrolment = fill(centre_class, add_person, 1)[0]
    operations.withdraw(enrolment, by=None)
    with pytest.raises(CentreError) as refused:
        operations.withdraw(enrolment, by=None)
    assert refused.value.code == "not_enrolled"


def test_someone_who_withdrew_enrols_again(centre_class, add_person):
    enrolment = fill(centre_class, add_person, 1)[0]
    operations.withdraw(enrolment, by=None, reason="Bận")
    again, new = operations.enrol(centre_class, enrolment.person, by=None)
    assert new and again.id == enrolment.id
    assert again.status == "enrolled" and again.withdrawal_reason is None


def test_raising_the_capacity_moves_the_waitlist_up(centre, centre_class, add_person):
    enrolments = fill(centre_class, add_person, 13)
    details = class_details(centre_class, capacity=12)
    operations.save_class(centre, details, centre_class=centre_class, by=None)
    assert [e.status for e in enrolments[10:]] == ["enrolled", "enrolled", "waitlisted"]


def test_the_capacity_cannot_go_below_the_places_held(centre, centre_class, add_person):
    fill(centre_class, add_person, 5)
    with pytest.raises(CentreError) as refused:
        operations.save_class(
            centre, class_details(centre_class, capacity=4), centre_class=centre_class, by=None
        )
    assert refused.value.code == "capacity_below_enrolled"


def test_a_cancelled_class_takes_no_enrolment(centre_class, add_person):
    centre_class.status = "cancelled"
    with pytest.raises(CentreError) as refused:
        operations.enrol(centre_class, add_person("Lò Thị Mai"), by=None)
    assert refused.value.code == "class_closed"


def test_person_for_user_is_made_once_from_the_profile(db, make_user):
    user = make_user(full_name="H'Hen Niê", phone="0912000007", birth_year=1990)
    person = operations.person_for_user(user)
    assert person.user_id == user.id and person.name_folded == "h'hen nie"
    assert person.birth_year == 1990
    assert operations.person_for_user(user).id == person.id


# Centres, programmes, classes and sessions --------------------------------------------------


def class_details(centre_class, **changes):
    fields = {
        "programme": centre_class.programme,
        "code": centre_class.code,
        "title": centre_class.title,
        "capacity": centre_class.capacity,
        "language": centre_class.language,
    }
    fields.update(changes)
    return operations.ClassDetails(**fields)


def test_create_centre_checks_its_code_and_commune(db, small_places):
    info = operations.CentreDetails(name=" TT  GDNN-GDTX ", kind="continuing", commune_code="24820")
    centre = operations.create_centre("TT-Dam-Rong", info, by=None)
    assert centre.code == "tt-dam-rong" and centre.name == "TT GDNN-GDTX"
    for code, error in (("tt-dam-rong", "code_taken"), ("new", "bad_code"), ("a b", "bad_code")):
        with pytest.raises(CentreError) as refused:
            operations.create_centre(code, info, by=None)
        assert refused.value.code == error
    info.commune_code = "99999"
    with pytest.raises(CentreError) as refused:
        operations.create_centre("other", info, by=None)
    assert refused.value.code == "no_commune"
    assert db.session.scalar(sa.select(sa.func.count(Centre.id))) == 1


def test_a_vocational_programme_needs_its_occupation_and_level(db, centre):
    info = operations.ProgrammeDetails(type="vocational", title="May công nghiệp")
    with pytest.raises(CentreError) as refused:
        operations.save_programme(centre, info, by=None)
    assert refused.value.code == "vocational_needs"
    info.occupation, info.qf_level = "Thợ may", 2
    programme = operations.save_programme(centre, info, by=None)
    assert programme.qf_level == 2
    # Other types keep neither.
    other = operations.ProgrammeDetails(
        type="digital", title="Kỹ năng số", occupation="x", qf_level=3
    )
    digital = operations.save_programme(centre, other, by=None)
    assert digital.occupation is None and digital.qf_level is None


def test_class_codes_are_unique_within_a_centre(centre, centre_class, programme):
    details = class_details(centre_class)
    with pytest.raises(CentreError) as refused:
        operations.save_class(centre, details, by=None)
    assert refused.value.code == "class_code_taken"
    details.code, details.starts_on, details.ends_on = "XMC-02", date(2026, 9, 1), date(2026, 8, 1)
    with pytest.raises(CentreError) as refused:
        operations.save_class(centre, details, by=None)
    assert refused.value.code == "bad_dates"


def test_weekly_sessions_skip_the_times_already_planned(db, centre_class):
    # 7 Sep 2026 is a Monday; the class already meets Mon 7, Wed 9 and Fri 11 at 19:00.
    added = operations.add_weekly_sessions(
        centre_class, date(2026, 9, 7), date(2026, 9, 20), {0, 2}, time(19, 0), minutes=90
    )
    assert [s.day for s in added] == [date(2026, 9, 14), date(2026, 9, 16)]
    with pytest.raises(CentreError) as refused:
        operations.add_weekly_sessions(
            centre_class, date(2026, 9, 8), date(2026, 9, 8), {0}, time(19, 0), minutes=90
        )
    assert refused.value.code == "no_sessions_in_range"
    with pytest.raises(CentreError) as refused:
        operations.add_session(centre_class, date(2026, 9, 7), time(19, 0), minutes=60)
    assert refused.value.code == "session_taken"


def test_a_session_with_attendance_is_cancelled_not_removed(db, centre_class, add_person, staff):
    enrolment = fill(centre_class, add_person, 1)[0]
    first, second = centre_class.sessions[:2]
    db.session.add(Attendance(session_id=first.id, enrolment_id=enrolment.id, status="present"))
    db.session.flush()
    with pytest.raises(CentreError) as refused:
        operations.remove_session(first)
    assert refused.value.code == "session_has_attendance"
    operations.set_session_cancelled(first, True, by=staff)
    operations.remove_session(second)
    rows = db.session.scalars(sa.select(ClassSession).filter_by(class_id=centre_class.id)).all()
    assert len(rows) == 2 and first.cancelled


# Two officers, one last place ---------------------------------------------------------------


def test_two_writers_racing_for_the_last_place_enrol_exactly_one(committed_app):
    from portal.places.models import AdminUnit

    with committed_app.app_context():
        commune = AdminUnit(level="commune", code="24820", kind="commune", name="Xã Đam Rông",
                            search_name="xa dam rong", valid_from=date(2025, 7, 1))  # fmt: skip
        _db.session.add(commune)
        _db.session.flush()
        centre = Centre(code="race", name="Race", kind="clc", commune_id=commune.id)
        _db.session.add(centre)
        _db.session.flush()
        programme = Programme(centre_id=centre.id, type="other", title="P")
        _db.session.add(programme)
        _db.session.flush()
        centre_class = CentreClass(centre_id=centre.id, programme_id=programme.id, code="R",
                                   title="R", capacity=2)  # fmt: skip
        _db.session.add(centre_class)
        _db.session.flush()
        people = [
            operations.add_person(PersonDetails(full_name=f"Người {n}"), centre=centre, by=None)
            for n in range(3)
        ]
        operations.enrol(centre_class, people[0], by=None)
        _db.session.commit()
        class_id, racers = centre_class.id, [people[1].id, people[2].id]
        _db.session.remove()

    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def race(person_id: int) -> None:
        try:
            # A POST request context: on SQLite the transaction begins IMMEDIATE, as a
            # request's would.
            with committed_app.test_request_context("/", method="POST"):
                start.wait(timeout=30)
                row = _db.session.get(CentreClass, class_id)
                person = _db.session.get(Person, person_id)
                operations.enrol(row, person, by=None)
                _db.session.commit()
                _db.session.remove()
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=race, args=(pid,)) for pid in racers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    with committed_app.app_context():
        statuses = sorted(
            _db.session.scalars(
                sa.select(ClassEnrolment.status).where(ClassEnrolment.person_id.in_(racers))
            )
        )
        _db.session.remove()
    assert statuses == [EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITLISTED]


# The demo -----------------------------------------------------------------------------------


def test_the_demo_loads_once_with_a_full_class_and_a_waitlist(db, small_places, make_user):
    from portal.centres import demo

    make_user(full_name="Trần Văn Minh", phone="0912000001", roles=("teacher",))
    lan = make_user(full_name="Nguyễn Thị Lan", phone="0912000005")
    hen = make_user(full_name="H'Hen Niê", phone="0912000007")
    make_user(full_name="Lê Thị Hà", phone="0912000002")  # the officer who takes registers
    first = demo.load("24820")
    counts = {
        model: db.session.scalar(sa.select(sa.func.count(model.id)))
        for model in (Centre, Programme, CentreClass, ClassSession, Person, ClassEnrolment)
    }
    assert counts[Centre] == 2 and counts[CentreClass] == 3 and counts[Person] >= 14
    assert first.enrolments_added == counts[ClassEnrolment]
    kinds = {c.code: c.kind for c in first.centres}
    assert kinds == {"demo-clc": "clc", "demo-gdnn": "continuing"}
    full = db.session.scalar(sa.select(CentreClass).filter_by(code="KNS-01"))
    assert operations.places_taken(full) == full.capacity
    waiting = db.session.scalars(
        sa.select(ClassEnrolment).filter_by(class_id=full.id, status="waitlisted")
    ).all()
    assert len(waiting) >= 2
    assert any(e.person.user_id == lan.id for e in waiting)
    from portal.places.queries import today

    days = [s.day for c in first.classes for s in c.sessions]
    assert min(days) < today() < max(days)
    # The sessions already held have their registers taken; the demo learner has hours.
    held = [s for c in first.classes for s in c.sessions if s.day < today() and not s.cancelled]
    assert first.sessions_marked == len(held) > 0
    marks = db.session.execute(
        sa.select(Attendance.status, sa.func.count()).group_by(Attendance.status)
    ).all()
    assert {status for status, _ in marks} == {"present", "absent"}
    hours = db.session.scalar(sa.select(LearnerYearHours).filter_by(user_id=hen.id))
    assert hours is not None and hours.duration_ms > 0
    counts[Attendance] = sum(number for _, number in marks)
    again = demo.load("24820")
    assert again.enrolments_added == 0 and again.sessions_marked == 0
    for model, number in counts.items():
        assert db.session.scalar(sa.select(sa.func.count(model.id))) == number, model
