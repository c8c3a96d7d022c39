"""Pages of the registers through the client: who may open them (the access matrix), taking
attendance on the phone form (statements, evidence, no duplicate on resubmit), bad input
refused with a message and nothing saved, results and finishing, and "My classes" on the
learner's dashboard with the hours in the year."""

from __future__ import annotations

import gzip
from datetime import date, datetime, time
from typing import Any

import pytest
import sqlalchemy as sa

from courses.records.models import Statement
from portal.centres import attendance_queries
from portal.centres.models import Attendance, CentreClass, ClassSession
from portal.recognition import evidence, sets
from portal.recognition.criteria import DATA, read_file
from portal.recognition.models import Assessment


def base(centre_class: CentreClass) -> str:
    return f"/centres/{centre_class.centre.code}/classes/{centre_class.id}"


def attendance_url(centre_class: CentreClass, session: ClassSession) -> str:
    return f"{base(centre_class)}/sessions/{session.id}/attendance?lang=en"


def count(db: Any, model: Any) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def text(response: Any) -> str:
    return response.get_data(as_text=True)


# Access ---------------------------------------------------------------------------------------


def test_staff_admin_and_the_class_teacher_get_in_others_get_404(
    db, client, sign_in, make_user, centre, centre_class, programme, staff
):
    teacher = make_user(full_name="Cô giáo Hạnh", roles=("teacher",))
    centre_class.teacher_id = teacher.id
    other_teacher = make_user(full_name="Thầy Minh", roles=("teacher",))
    other_class = CentreClass(centre_id=centre.id, programme_id=programme.id, code="X-2",
                              title="Lớp khác", teacher_id=other_teacher.id)  # fmt: skip
    db.session.add(other_class)
    db.session.flush()
    admin = make_user(roles=("admin",))
    elsewhere = make_user(roles=("staff",), scopes={"staff": ("centre", "another-centre")})
    learner_user = make_user(full_name="Học viên")
    session = centre_class.sessions[0]
    urls = [
        attendance_url(centre_class, session),
        f"{base(centre_class)}/results?lang=en",
        f"{base(centre_class)}/teaching?lang=en",
        f"{base(centre_class)}/finish?lang=en",
    ]
    for user, expected in ((staff, 200), (admin, 200), (teacher, 200), (other_teacher, 404),
                           (elsewhere, 404), (learner_user, 404)):  # fmt: skip
        sign_in(user)
        for url in urls:
            assert client.get(url).status_code == expected, (user.full_name, url)
        posted = client.post(urls[0], data={"action": "others-present"})
        assert posted.status_code == (302 if expected == 200 else 404), user.full_name
        client.post("/sign-out")
    assert count(db, Attendance) == 0  # nobody is enrolled: those let in saved no mark


def test_the_wrong_centre_code_or_session_is_404(client, sign_in, centre_class, staff, db):
    other = CentreClass(centre_id=centre_class.centre_id, programme_id=centre_class.programme_id,
                        code="X-3", title="Lớp ba")  # fmt: skip
    db.session.add(other)
    db.session.flush()
    sign_in(staff)
    session = centre_class.sessions[0]
    wrong_code = f"/centres/elsewhere/classes/{centre_class.id}/sessions/{session.id}/attendance"
    assert client.get(wrong_code).status_code == 404
    assert client.get(attendance_url(other, session)).status_code == 404
    assert client.get(f"{base(centre_class)}/sessions/999999/attendance").status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, centre_class):
    response = client.get(attendance_url(centre_class, centre_class.sessions[0]))
    assert response.status_code == 302 and "sign-in" in response.headers["Location"]


def test_teaching_lists_the_classes_i_may_teach_with_next_sessions(
    db, client, sign_in, make_user, centre, centre_class, programme
):
    teacher = make_user(full_name="Cô giáo Hạnh", roles=("teacher",))
    centre_class.teacher_id = teacher.id
    today = attendance_queries.today()
    db.session.add(ClassSession(class_id=centre_class.id, day=today, start_time=time(7, 30)))
    hidden = CentreClass(centre_id=centre.id, programme_id=programme.id, code="H-1",
                         title="Lớp của người khác")  # fmt: skip
    db.session.add(hidden)
    db.session.flush()
    sign_in(teacher)
    page = text(client.get("/centres/teaching?lang=en"))
    assert centre_class.title in page and hidden.title not in page
    assert "Take attendance, 07:30" in page


# Taking attendance ----------------------------------------------------------------------------


def test_the_register_lists_enrolled_learners_with_three_choices(
    client, sign_in, centre_class, staff, learner
):
    _p, _u, enrolment = learner(centre_class, "Lò Thị Mai")
    sign_in(staff)
    page = text(client.get(attendance_url(centre_class, centre_class.sessions[0])))
    assert "Lò Thị Mai" in page
    for value in ("present", "absent", "excused"):
        assert f'name="mark-{enrolment.id}" value="{value}"' in page
    assert "<script" not in page


def test_attendance_saved_through_the_page_counts_as_evidence_once(
    db, client, sign_in, centre_class, staff, learner, small_places
):
    _p, user, enrolment = learner(centre_class, "Lò Thị Mai")
    _p2, _u2, absent = learner(centre_class, "Ka Hoa")
    criteria_set, _outcome = sets.load(read_file(DATA / "citizen-workers.yaml"))
    province, commune = small_places
    assessment = Assessment(year=2026, model="citizen", criteria_set_id=criteria_set.id,
                            status="draft", subject_key=f"user:{user.id}",
                            subject_name=user.full_name, commune_code=commune.code,
                            province_code=province.code, user_id=user.id)  # fmt: skip
    db.session.add(assessment)
    db.session.flush()
    assert evidence.value(assessment, "sessions_attended")[0] == 0
    sign_in(staff)
    url = attendance_url(centre_class, centre_class.sessions[0])
    form = {f"mark-{absent.id}": "absent", "action": "others-present"}

    response = client.post(url, data=form)
    assert response.status_code == 302
    assert client.post(url, data=form).status_code == 302  # sent twice

    assert evidence.value(assessment, "sessions_attended")[0] == 1
    assert count(db, Statement) == 1
    page = text(client.get(url))
    assert (
        f'id="mark-{enrolment.id}-present" name="mark-{enrolment.id}" value="present" checked'
        in page
    )
    assert f'id="mark-{absent.id}-absent" name="mark-{absent.id}" value="absent" checked' in page

    client.post(url, data={f"mark-{enrolment.id}": "absent", "action": "save"})
    assert evidence.value(assessment, "sessions_attended")[0] == 0


def test_a_bad_mark_is_explained_and_nothing_is_saved(
    db, client, sign_in, centre_class, staff, learner
):
    _p, _u, one = learner(centre_class, "Lò Thị Mai")
    _p2, _u2, two = learner(centre_class, "Ka Hoa")
    sign_in(staff)
    url = attendance_url(centre_class, centre_class.sessions[0])
    response = client.post(url, data={f"mark-{one.id}": "present", f"mark-{two.id}": "late"})
    assert response.status_code == 422
    page = text(response)
    assert "Choose present, absent or excused." in page and "Nothing was saved" in page
    assert count(db, Attendance) == 0 and count(db, Statement) == 0


def test_a_cancelled_session_is_refused(db, client, sign_in, centre_class, staff, learner):
    _p, _u, enrolment = learner(centre_class)
    session = centre_class.sessions[2]
    session.cancelled = True
    db.session.flush()
    sign_in(staff)
    url = attendance_url(centre_class, session)
    assert "was cancelled" in text(client.get(url))
    response = client.post(url, data={f"mark-{enrolment.id}": "present"})
    assert response.status_code == 422 and "was cancelled" in text(response)
    assert count(db, Attendance) == 0


# Results and finishing ------------------------------------------------------------------------


def test_results_page_shows_attendance_rates_and_issues_certificates(
    db, client, sign_in, centre_class, staff, learner
):
    _p, _user, enrolment = learner(centre_class, "Lò Thị Mai")
    _p2, _u2, other = learner(centre_class, "Ka Hoa")
    sign_in(staff)
    session_url = attendance_url(centre_class, centre_class.sessions[0])
    client.post(session_url, data={f"mark-{other.id}": "absent", "action": "others-present"})
    url = f"{base(centre_class)}/results?lang=en"
    page = text(client.get(url))
    assert "1 of 1 sessions (100%)" in page and "0 of 1 sessions (0%)" in page
    assert "Literacy level reached" in page

    response = client.post(url, data={
        f"result-{enrolment.id}": "completed", f"score-{enrolment.id}": "92,5",
        f"level-{enrolment.id}": "1", f"result-{other.id}": "enrolled",
    })  # fmt: skip
    assert response.status_code == 302
    db.session.refresh(enrolment)
    assert enrolment.status == "completed" and str(enrolment.score) == "92.50"
    assert enrolment.certificate_id is not None
    page = text(client.get(url))
    assert f"/verify/{enrolment.certificate.display_code}" in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("score", "101", "A score is a number from 0 to 100"),
        ("score", "abc", "A score is a number from 0 to 100"),
        ("score", "NaN", "A score is a number from 0 to 100"),
        ("level", "3", "Choose level 1 or level 2."),
        ("result", "passed", "Choose completed, not completed or no result yet."),
    ],
)
def test_bad_results_are_explained_and_nothing_is_saved(
    db, client, sign_in, centre_class, staff, learner, field, value, message
):
    _p, _u, one = learner(centre_class, "Lò Thị Mai")
    _p2, _u2, two = learner(centre_class, "Ka Hoa")
    sign_in(staff)
    form = {f"result-{one.id}": "completed", f"result-{two.id}": "completed"}
    form[f"{field}-{two.id}"] = value
    response = client.post(f"{base(centre_class)}/results?lang=en", data=form)
    assert response.status_code == 422
    assert message in text(response)
    db.session.refresh(one)
    assert one.status == "enrolled" and one.certificate_id is None
    assert count(db, Statement) == 0


def test_finishing_needs_the_confirmation(db, client, sign_in, centre_class, staff, learner):
    _p, _u, enrolment = learner(centre_class)
    sign_in(staff)
    url = f"{base(centre_class)}/finish?lang=en"
    assert "1 learners have no result yet" in text(client.get(url))
    refused = client.post(url, data={})
    assert refused.status_code == 422 and "Tick the box to confirm." in text(refused)
    db.session.refresh(centre_class)
    assert centre_class.status == "open"
    done = client.post(url, data={"confirm": "y"})
    assert done.status_code == 302
    db.session.refresh(centre_class)
    db.session.refresh(enrolment)
    assert centre_class.status == "finished" and enrolment.status == "not_completed"


# The learner's dashboard ----------------------------------------------------------------------


def test_my_classes_on_the_dashboard_and_the_hours_count_toward_the_year(
    db, client, sign_in, centre_class, staff, learner, monkeypatch
):
    person, user, enrolment = learner(centre_class, "Lò Thị Mai")
    today = attendance_queries.today()
    # Noon, whenever the test runs: in the first minute after midnight the session held at
    # 00:00 would still count as the next one.
    noon = datetime.combine(today, time(12, 0), tzinfo=attendance_queries.VIETNAM)
    monkeypatch.setattr(attendance_queries, "now_local", lambda: noon)
    held = ClassSession(class_id=centre_class.id, day=today, start_time=time(0, 0), minutes=90)
    coming = ClassSession(class_id=centre_class.id, day=date(today.year + 1, 1, 5),
                          start_time=time(19, 0), place="Nhà văn hóa thôn")  # fmt: skip
    db.session.add_all([held, coming])
    db.session.flush()
    sign_in(staff)
    client.post(attendance_url(centre_class, held), data={f"mark-{enrolment.id}": "present"})
    client.post("/sign-out")

    sign_in(user)
    page = text(client.get("/dashboard?lang=en"))
    assert "My classes" in page and centre_class.title in page
    assert centre_class.centre.name in page
    assert "Nhà văn hóa thôn" in page  # the next session
    assert f"Learning hours in {today.year}" in page
    assert "1.5 hours" in page  # the session's 90 minutes, in the year's hours
    assert person.user_id == user.id


def test_the_dashboard_has_no_classes_section_without_classes(client, sign_in, make_user):
    user = make_user()
    sign_in(user)
    page = text(client.get("/dashboard?lang=en"))
    assert "My classes" not in page


# Cost -----------------------------------------------------------------------------------------


class QueryCounter:
    """Counts the SQL statements the engine runs while active."""

    def __init__(self, engine: Any) -> None:
        self.engine, self.count = engine, 0

    def __enter__(self) -> QueryCounter:
        sa.event.listen(self.engine, "before_cursor_execute", self.seen)
        return self

    def __exit__(self, *exc: Any) -> None:
        sa.event.remove(self.engine, "before_cursor_execute", self.seen)

    def seen(self, *args: Any) -> None:
        self.count += 1


def test_the_register_costs_the_same_queries_for_any_class_size(
    db, client, sign_in, centre_class, staff, learner
):
    centre_class.capacity = 40
    sign_in(staff)
    url = attendance_url(centre_class, centre_class.sessions[0])
    costs, sizes = [], []
    for batch in (2, 30):
        while len(sizes) < batch:
            learner(centre_class, f"Học viên {len(sizes):02d}", account=len(sizes) % 2 == 0)
            sizes.append(1)
        with QueryCounter(db.engine) as counter:
            page = client.get(url)
        assert page.status_code == 200
        costs.append(counter.count)
    assert costs[0] == costs[1], costs
    assert len(gzip.compress(page.get_data())) < 50_000  # a learner-size page, even for 30
    with QueryCounter(db.engine) as counter:
        response = client.post(url, data={"action": "others-present"})
    assert response.status_code == 302
    # Three per statement (15 learners with an account: the statement, the hours, its LRS
    # links), one upsert of the 30 marks, and the fixed rest (user, access, class, register,
    # lock): 56 measured.
    assert counter.count <= 15 * 3 + 12, counter.count
