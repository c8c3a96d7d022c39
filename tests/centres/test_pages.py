"""The centres' pages through the test client: the public directory, profile and class page;
a learner joining and leaving; who may manage a centre; programmes, classes and sessions;
finding, adding and enrolling people one by one with a waitlist; the staff of a centre."""

from __future__ import annotations

import re
from datetime import date
from html import unescape

import pytest
import sqlalchemy as sa

from portal.accounts.models import RoleAssignment
from portal.centres import operations
from portal.centres.models import (
    Centre,
    CentreClass,
    ClassEnrolment,
    ClassSession,
    Person,
    Programme,
)

pytestmark = pytest.mark.usefixtures("english")  # the tests name the English texts


def html(response):
    return unescape(response.get_data(as_text=True))


def fresh(row):
    from portal.extensions import db

    db.session.refresh(row)
    return row


def flashes(response):
    return " ".join(re.findall(r'class="flash flash-\w+"[^>]*>(.*?)</p>', html(response), re.S))


def enrol(centre_class, people):
    return [operations.enrol(centre_class, p, by=None)[0] for p in people]


@pytest.fixture
def admin(make_user):
    return make_user(full_name="Quản trị", roles=("admin",))


@pytest.fixture
def other_centre(db, small_places):
    _province, commune = small_places
    row = Centre(
        code="tt-khac", name="Trung tâm GDNN-GDTX khác", kind="continuing", commune_id=commune.id
    )
    db.session.add(row)
    db.session.flush()
    return row


@pytest.fixture
def manage_url(centre):
    return f"/centres/{centre.code}/manage"


def roster_url(centre_class):
    return f"/centres/{centre_class.centre.code}/manage/classes/{centre_class.id}"


# Public pages -------------------------------------------------------------------------------


def test_the_directory_lists_active_centres_filtered_by_place_and_kind(
    db, client, centre, other_centre
):
    hidden = Centre(
        code="an",
        name="Trung tâm đã đóng",
        kind="clc",
        commune_id=centre.commune_id,
        is_active=False,
    )
    db.session.add(hidden)
    db.session.flush()
    page = html(client.get("/centres/"))
    assert centre.name in page and other_centre.name in page
    assert "Trung tâm đã đóng" not in page
    page = html(client.get("/centres/?kind=continuing&province=68&commune=24820"))
    assert other_centre.name in page and centre.name not in page
    page = html(client.get("/centres/?province=01"))
    assert "No centre matches." in page
    assert client.get("/centres/?kind=bogus&page=x").status_code == 200
    assert client.get("/centres/an").status_code == 404


def test_the_directory_is_paginated(db, client, small_places):
    _province, commune = small_places
    for n in range(35):
        db.session.add(
            Centre(code=f"c-{n:02d}", name=f"Trung tâm {n:02d}", kind="clc", commune_id=commune.id)
        )
    db.session.flush()
    first = html(client.get("/centres/"))
    assert "Trung tâm 00" in first and "Trung tâm 34" not in first and "page=2" in first
    assert "Trung tâm 34" in html(client.get("/centres/?page=2"))


def test_the_profile_shows_open_classes_with_places_left(
    db, client, centre, centre_class, add_person
):
    enrol(centre_class, [add_person(f"Người {n}") for n in range(3)])
    cancelled = CentreClass(
        centre_id=centre.id,
        programme_id=centre_class.programme_id,
        code="HUY",
        title="Lớp đã hủy",
        status="cancelled",
    )
    db.session.add(cancelled)
    db.session.flush()
    page = html(client.get(f"/centres/{centre.code}"))
    assert centre.name in page and "Xã Đam Rông 1" in page
    assert centre_class.title in page and "Literacy, level 1" in page and "Tiếng Việt" in page
    assert re.search(r'class="num">7</td>', page)
    assert "Lớp đã hủy" not in page
    assert client.get(f"/centres/{centre.code}/classes/{cancelled.id}").status_code == 404
    assert client.get("/centres/nowhere").status_code == 404


def test_the_class_page_shows_teacher_sessions_and_online_course(
    db, client, centre, centre_class, make_user, make_course
):
    teacher = make_user(full_name="Trần Văn Minh")
    course = make_course(title="Kỹ năng số cơ bản")
    centre_class.teacher_id, centre_class.course_id = teacher.id, course.id
    db.session.flush()
    page = html(client.get(f"/centres/{centre.code}/classes/{centre_class.id}"))
    assert "Trần Văn Minh" in page and "Xóa mù chữ mức độ 1" in page
    assert f"/courses/{course.id}" in page
    assert page.count("19:00") == 3
    assert "Sign in to join this class." in page
    other = client.get(f"/centres/other/classes/{centre_class.id}")
    assert other.status_code == 404


def test_a_learner_joins_then_leaves_and_the_waitlist_moves_up(
    db, client, sign_in, make_user, centre, centre_class, add_person
):
    enrol(centre_class, [add_person(f"Người {n}") for n in range(9)])
    learner = make_user(full_name="Nguyễn Thị Lan")
    url = f"/centres/{centre.code}/classes/{centre_class.id}"
    sign_in(learner)
    joined = client.post(f"{url}/join", follow_redirects=True)
    assert "You are enrolled in this class." in flashes(joined)
    late = make_user(full_name="Lò Văn Pọm")
    client.post("/sign-out")
    sign_in(late)
    waiting = client.post(f"{url}/join", follow_redirects=True)
    assert "The class is full: you are on its waitlist." in flashes(waiting)
    assert "You are on the waitlist of this class." in html(waiting)
    client.post("/sign-out")
    sign_in(learner)
    left = client.post(f"{url}/leave", follow_redirects=True)
    assert "You left the class." in flashes(left)
    person = db.session.scalar(sa.select(Person).filter_by(user_id=late.id))
    enrolment = db.session.scalar(sa.select(ClassEnrolment).filter_by(person_id=person.id))
    assert fresh(enrolment).status == "enrolled"


def test_joining_needs_an_account(client, centre, centre_class):
    response = client.post(f"/centres/{centre.code}/classes/{centre_class.id}/join")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


# Who may manage -----------------------------------------------------------------------------


def test_who_may_open_the_management_pages(
    client, sign_in, make_user, centre, centre_class, other_centre, staff, admin, manage_url
):
    urls = [
        manage_url,
        roster_url(centre_class),
        f"{manage_url}/profile",
        f"{manage_url}/programmes/new",
        f"{manage_url}/classes/new",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "/sign-in" in response.headers["Location"], url
    outsiders = [
        make_user(full_name="Học viên"),
        make_user(roles=("staff",), scopes={"staff": ("centre", other_centre.code)}),
    ]
    for user in outsiders:
        client.post("/sign-out")
        sign_in(user)
        for url in urls:
            assert client.get(url).status_code == 404, url
        assert client.post(f"{manage_url}/staff", data={"phone": "0912345678"}).status_code in (
            403,
            404,
        )
        assert client.get("/centres/new").status_code == 403
    for user in (staff, admin):
        client.post("/sign-out")
        sign_in(user)
        for url in urls:
            assert client.get(url).status_code == 200, url
    assert client.get("/centres/new").status_code == 200
    client.post("/sign-out")
    sign_in(staff)
    assert client.get("/centres/new").status_code == 403
    assert "Staff" not in html(client.get(manage_url)).split("<main", 1)[1].split("Programmes")[1]


def test_the_manage_page_counts_enrolled_and_waitlisted(
    client, sign_in, staff, centre_class, add_person, manage_url
):
    enrol(centre_class, [add_person(f"Người {n}") for n in range(12)])
    sign_in(staff)
    page = html(client.get(manage_url))
    assert centre_class.title in page
    assert re.search(
        r'class="num">10</td>\s*<td class="num">2</td>\s*<td class="num">10</td>', page
    )


# Centres and staff (administrators) ---------------------------------------------------------


def test_an_administrator_creates_a_centre_and_names_its_staff(
    db, client, sign_in, admin, make_user, small_places
):
    sign_in(admin)
    bad = client.post(
        "/centres/new", data={"code": "Bad code!", "name": "X", "kind": "clc", "commune": "24820"}
    )
    assert bad.status_code == 422 and "A code has 2 to 32 lower-case letters" in html(bad)
    unknown = client.post(
        "/centres/new", data={"code": "tt-moi", "name": "X", "kind": "clc", "commune": "99999"}
    )
    assert "There is no commune in force with this code." in flashes(unknown)
    assert db.session.scalar(sa.select(sa.func.count(Centre.id))) == 0
    created = client.post(
        "/centres/new",
        data={
            "code": "tt-moi",
            "name": "Trung tâm mới",
            "kind": "continuing",
            "commune": "24820",
            "phone": "0912 345 678",
            "is_active": "y",
        },
    )
    assert created.status_code == 302 and created.headers["Location"].endswith("/tt-moi/manage")
    centre = db.session.scalar(sa.select(Centre).filter_by(code="tt-moi"))
    assert centre.phone == "+84912345678" and centre.kind == "continuing"
    officer = make_user(full_name="Lê Thị Hoa", phone="0912000002")
    nobody = client.post(
        "/centres/tt-moi/manage/staff", data={"phone": "0987654321"}, follow_redirects=True
    )
    assert "No account has this mobile number." in flashes(nobody)
    added = client.post(
        "/centres/tt-moi/manage/staff", data={"phone": "0912 000 002"}, follow_redirects=True
    )
    assert "Lê Thị Hoa is now staff of this centre." in flashes(added)
    assert fresh(officer).has_role("staff", "centre", "tt-moi")
    twice = client.post(
        "/centres/tt-moi/manage/staff", data={"phone": "0912000002"}, follow_redirects=True
    )
    assert 'class="flash flash-error"' in html(twice)  # "already holds this role", translated
    assert (
        len(db.session.scalars(sa.select(RoleAssignment).filter_by(scope_code="tt-moi")).all()) == 1
    )
    assignment = db.session.scalar(sa.select(RoleAssignment).filter_by(scope_code="tt-moi"))
    removed = client.post(
        f"/centres/tt-moi/manage/staff/{assignment.id}/remove", follow_redirects=True
    )
    assert "no longer staff" in flashes(removed)
    assert not fresh(officer).has_role("staff", "centre", "tt-moi")


def test_staff_edit_the_profile_and_bad_input_is_refused(
    client, sign_in, staff, centre, manage_url
):
    sign_in(staff)
    form = client.get(f"{manage_url}/profile")
    assert 'value="24820"' in html(form)
    bad = client.post(
        f"{manage_url}/profile",
        data={"name": "", "kind": "nonsense", "commune": "24820", "email": "x"},
    )
    assert bad.status_code == 422
    assert "Not a valid choice" in html(bad) and "Invalid email address" in html(bad)
    phone = client.post(
        f"{manage_url}/profile",
        data={"name": "TT", "kind": "clc", "commune": "24820", "phone": "123"},
    )
    assert "This is not a Vietnamese mobile number." in flashes(phone)
    assert fresh(centre).name.startswith("Trung tâm")
    ok = client.post(
        f"{manage_url}/profile",
        data={"name": "TT HTCĐ Đam Rông", "kind": "clc", "commune": "24820", "address": "Thôn 1"},
    )
    assert ok.status_code == 302 and fresh(centre).address == "Thôn 1"
    assert not fresh(centre).is_active  # the box was not ticked


# Programmes and classes ---------------------------------------------------------------------


def test_a_vocational_programme_needs_occupation_and_level(
    db, client, sign_in, staff, centre, manage_url
):
    sign_in(staff)
    data = {"type": "vocational", "title": "May công nghiệp", "hours": "120"}
    refused = client.post(f"{manage_url}/programmes/new", data=data)
    assert refused.status_code == 422
    assert "needs its occupation and a qualifications-framework level" in html(refused)
    level = client.post(f"{manage_url}/programmes/new", data={**data, "qf_level": "9"})
    assert "Enter a level from 1 to 8." in html(level)
    ok = client.post(
        f"{manage_url}/programmes/new",
        data={**data, "occupation": "Thợ may", "qf_level": "2", "gives_certificate": "y"},
    )
    assert ok.status_code == 302
    row = db.session.scalar(sa.select(Programme).filter_by(title="May công nghiệp"))
    assert (row.occupation, row.qf_level, row.gives_certificate) == ("Thợ may", 2, True)
    edit = client.post(
        f"{manage_url}/programmes/{row.id}", data={"type": "digital", "title": "Kỹ năng số"}
    )
    assert edit.status_code == 302 and fresh(row).type == "digital" and row.qf_level is None


def test_staff_create_and_edit_a_class(
    db, client, sign_in, staff, centre, programme, make_user, make_course, manage_url
):
    teacher = make_user(full_name="Trần Văn Minh", phone="0912000001")
    course = make_course(title="Kỹ năng số cơ bản")
    make_course(title="Bản nháp", status="draft")
    sign_in(staff)
    form = html(client.get(f"{manage_url}/classes/new"))
    assert "Kỹ năng số cơ bản" in form and "Bản nháp" not in form and "Klei Êđê" in form
    data = {
        "programme": programme.id,
        "code": "XMC-02",
        "title": "Lớp xóa mù chữ buôn Liêng",
        "teacher_phone": "0912 000 001",
        "capacity": "2",
        "language": "rad",
        "course": course.id,
        "starts_on": "2026-09-01",
        "ends_on": "2026-12-01",
        "status": "open",
    }
    for change, message in (
        ({"capacity": "0"}, "Enter from 1 to 1000 places."),
        ({"teacher_phone": "0987654321"}, "No account has this mobile number."),
        ({"ends_on": "2026-08-01"}, "The end date is before the start date."),
        ({"language": "xx"}, "Not a valid choice"),
    ):
        refused = client.post(f"{manage_url}/classes/new", data={**data, **change})
        assert refused.status_code == 422 and message in html(refused), change
    assert db.session.scalar(sa.select(sa.func.count(CentreClass.id))) == 0
    created = client.post(f"{manage_url}/classes/new", data=data)
    assert created.status_code == 302
    row = db.session.scalar(sa.select(CentreClass).filter_by(code="XMC-02"))
    assert (row.teacher_id, row.course_id, row.language) == (teacher.id, course.id, "rad")
    taken = client.post(f"{manage_url}/classes/new", data=data)
    assert "Another class of this centre already has this code." in html(taken)
    # Raising the capacity moves the waitlist up.
    people = [
        operations.add_person(
            operations.PersonDetails(full_name=f"Người {n}"), centre=centre, by=None
        )
        for n in range(3)
    ]
    last = enrol(row, people)[2]
    assert last.status == "waitlisted"
    edit = client.post(
        f"{manage_url}/classes/{row.id}/edit",
        data={
            **data,
            "capacity": "3",
            "teacher_phone": "",
            "teacher_name": "Y Bhin",
            "course": "0",
        },
    )
    assert edit.status_code == 302
    assert fresh(last).status == "enrolled"
    assert (fresh(row).teacher_id, row.teacher_name, row.course_id) == (None, "Y Bhin", None)
    lower = client.post(f"{manage_url}/classes/{row.id}/edit", data={**data, "capacity": "1"})
    assert "The capacity cannot be lower than the people enrolled." in html(lower)


def test_a_class_needs_a_programme_first(client, sign_in, staff, centre, manage_url):
    sign_in(staff)
    response = client.get(f"{manage_url}/classes/new", follow_redirects=True)
    assert "Add a programme first" in flashes(response)


def test_sessions_one_by_one_and_weekly_then_cancelled_and_removed(
    db, client, sign_in, staff, centre_class
):
    sign_in(staff)
    url = roster_url(centre_class)
    one = client.post(
        f"{url}/sessions",
        data={
            "session-day": "2026-09-14",
            "session-start_time": "07:30",
            "session-minutes": "60",
            "session-topic": "Chữ cái",
        },
    )
    assert one.status_code == 302
    taken = client.post(
        f"{url}/sessions",
        data={"session-day": "2026-09-14", "session-start_time": "07:30", "session-minutes": "60"},
    )
    assert taken.status_code == 422
    assert "The class already has a session at this date and time." in html(taken)
    bad = client.post(
        f"{url}/sessions",
        data={"session-day": "2026-09-15", "session-start_time": "7h", "session-minutes": "900"},
    )
    assert bad.status_code == 422 and "A session lasts 1 to 720 minutes." in html(bad)
    none = client.post(
        f"{url}/sessions/series",
        data={
            "series-first": "2026-09-15",
            "series-last": "2026-09-20",
            "series-start_time": "19:00",
            "series-minutes": "90",
        },
    )
    assert "Choose at least one weekday." in html(none)
    series = client.post(
        f"{url}/sessions/series",
        data={
            "series-first": "2026-09-14",
            "series-last": "2026-09-27",
            "series-weekdays": ["0", "2"],
            "series-start_time": "19:00",
            "series-minutes": "90",
        },
        follow_redirects=True,
    )
    assert "4 sessions added." in flashes(series)
    sessions = db.session.scalars(sa.select(ClassSession).filter_by(class_id=centre_class.id))
    sessions = list(sessions)
    assert len(sessions) == 3 + 1 + 4
    first = sessions[0]
    cancel = client.post(f"{url}/sessions/{first.id}/cancel", follow_redirects=True)
    assert "Session cancelled." in flashes(cancel) and fresh(first).cancelled
    client.post(f"{url}/sessions/{first.id}/restore")
    assert not fresh(first).cancelled
    removed = client.post(f"{url}/sessions/{first.id}/remove", follow_redirects=True)
    assert "Session removed." in flashes(removed)
    assert db.session.scalar(sa.select(ClassSession.id).filter_by(id=first.id)) is None


# Enrolment one by one -----------------------------------------------------------------------


def test_search_finds_people_without_accents_by_phone_and_by_national_id(
    db, client, sign_in, staff, centre, centre_class, add_person, make_user
):
    add_person("Nguyễn Thị Lan", phone="0912345678")
    add_person("Lò Văn Pọm", national_id="068190000123")
    stranger = Person(full_name="Nguyễn Thị Lan Anh", name_folded="nguyen thi lan anh")
    db.session.add(stranger)  # recorded by nobody here: not found by name
    account = make_user(full_name="H'Hen Niê", phone="0912000007")
    db.session.flush()
    sign_in(staff)
    url = roster_url(centre_class)
    by_name = html(client.get(url, query_string={"q": "nguyen thi lan"}))
    assert "Nguyễn Thị Lan" in by_name and "Nguyễn Thị Lan Anh" not in by_name
    assert "Enrol Nguyễn Thị Lan" in by_name
    assert "Nguyễn Thị Lan" in html(client.get(url, query_string={"q": "0912 345 678"}))
    assert "Lò Văn Pọm" in html(client.get(url, query_string={"q": "068 190 000 123"}))
    by_account = html(client.get(url, query_string={"q": "0912000007"}))
    assert "H'Hen Niê" in by_account and f'name="user_id" value="{account.id}"' in by_account
    assert "Nobody found." in html(client.get(url, query_string={"q": "zzz"}))
    assert client.get(url, query_string={"q": "%_"}).status_code == 200


def test_enrol_a_found_person_and_an_account(
    db, client, sign_in, staff, centre_class, add_person, make_user
):
    lan = add_person("Nguyễn Thị Lan", phone="0912345678")
    account = make_user(full_name="H'Hen Niê", phone="0912000007")
    sign_in(staff)
    url = roster_url(centre_class)
    first = client.post(f"{url}/enrol", data={"person_id": lan.id}, follow_redirects=True)
    assert "Nguyễn Thị Lan is enrolled." in flashes(first)
    again = client.post(f"{url}/enrol", data={"person_id": lan.id}, follow_redirects=True)
    assert "Nguyễn Thị Lan is already in this class." in flashes(again)
    by_account = client.post(f"{url}/enrol", data={"user_id": account.id}, follow_redirects=True)
    assert "H'Hen Niê is enrolled." in flashes(by_account)
    assert db.session.scalar(sa.select(Person).filter_by(user_id=account.id)) is not None
    assert client.post(f"{url}/enrol", data={}).status_code == 400
    assert client.post(f"{url}/enrol", data={"person_id": 99999999999}).status_code == 404


def test_add_a_person_without_an_account_and_enrol_them(
    db, client, sign_in, staff, centre, centre_class, add_person
):
    enrol(centre_class, [add_person(f"Người {n}") for n in range(10)])
    existing = add_person("Lò Thị Mai", phone="0912345678")
    sign_in(staff)
    url = roster_url(centre_class)
    data = {
        "person-full_name": "Ka Hoa",
        "person-national_id": "068 190 000 999",
        "person-birth_year": "1970",
        "person-gender": "female",
        "person-ethnicity": "16",
        "person-disability": "seeing",
        "person-occupation_group": "rural_workers",
        "person-commune": "24820",
    }
    for change, message in (
        ({"person-full_name": ""}, "This field is required."),
        ({"person-national_id": "12345"}, "A national ID number has 12 digits"),
        ({"person-phone": "0212"}, "This is not a Vietnamese mobile number."),
        ({"person-commune": "99999"}, "There is no commune in force with this code."),
        ({"person-ethnicity": "99"}, "Not a valid choice"),
        ({"person-birth_year": "1800"}, 'id="person-birth_year-err"'),
    ):
        refused = client.post(f"{url}/people", data={**data, **change})
        assert refused.status_code == 422 and message in html(refused), change
    assert db.session.scalar(sa.select(Person).filter_by(full_name="Ka Hoa")) is None
    added = client.post(f"{url}/people", data=data, follow_redirects=True)
    assert "Ka Hoa is on the waitlist: the class is full." in flashes(added)
    person = db.session.scalar(sa.select(Person).filter_by(full_name="Ka Hoa"))
    assert (person.national_id, person.ethnicity_code, person.centre_id) == (
        "068190000999",
        "16",
        centre.id,
    )
    assert person.commune_id == centre.commune_id
    # The same phone and name, accents aside: the person already recorded, not a duplicate.
    same = client.post(
        f"{url}/people",
        data={"person-full_name": "lo thi mai", "person-phone": "0912 345 678"},
        follow_redirects=True,
    )
    assert "Lò Thị Mai is on the waitlist" in flashes(same)
    assert (
        db.session.scalar(sa.select(sa.func.count(Person.id)).filter_by(phone="+84912345678")) == 1
    )
    assert db.session.scalar(sa.select(ClassEnrolment).filter_by(person_id=existing.id))
    page = html(client.get(url))
    assert re.search(r'class="num">1</td><td>Ka Hoa</td>', page)
    assert re.search(r'class="num">2</td><td>Lò Thị Mai</td>', page)


def test_withdraw_with_a_reason_moves_the_first_waitlisted_up(
    db, client, sign_in, staff, centre_class, add_person
):
    enrolments = enrol(centre_class, [add_person(f"Người {n:02d}") for n in range(12)])
    sign_in(staff)
    url = roster_url(centre_class)
    response = client.post(
        f"{url}/enrolments/{enrolments[0].id}/withdraw",
        data={"reason": "Đi làm xa"},
        follow_redirects=True,
    )
    assert "Người 00 withdrawn." in flashes(response)
    assert "Người 10 moved up from the waitlist." in flashes(response)
    assert fresh(enrolments[10]).status == "enrolled"
    assert fresh(enrolments[11]).status == "waitlisted"
    page = html(client.get(url))
    assert "Withdrawn (1)" in page and "Đi làm xa" in page and "Waitlist (1)" in page
    again = client.post(f"{url}/enrolments/{enrolments[0].id}/withdraw", follow_redirects=True)
    assert "This person is not enrolled in the class." in flashes(again)
    long = client.post(
        f"{url}/enrolments/{enrolments[1].id}/withdraw",
        data={"reason": "x" * 301},
        follow_redirects=True,
    )
    assert "at most 300 characters" in flashes(long) and fresh(enrolments[1]).status == "enrolled"


def test_other_centres_rows_are_not_reachable(
    db, client, sign_in, staff, centre, centre_class, other_centre, add_person
):
    programme = Programme(centre_id=other_centre.id, type="other", title="Khác")
    db.session.add(programme)
    db.session.flush()
    foreign = CentreClass(
        centre_id=other_centre.id, programme_id=programme.id, code="K", title="Lớp khác"
    )
    db.session.add(foreign)
    db.session.flush()
    enrolment = enrol(foreign, [add_person("Người")])[0]
    sign_in(staff)
    base = f"/centres/{centre.code}/manage"
    assert client.get(f"{base}/classes/{foreign.id}").status_code == 404
    assert client.get(f"{base}/programmes/{programme.id}").status_code == 404
    url = roster_url(centre_class)
    assert client.post(f"{url}/enrolments/{enrolment.id}/withdraw").status_code == 404


def test_every_post_form_carries_the_csrf_token(
    app, client, sign_in, admin, staff, centre, centre_class, add_person, manage_url
):
    enrol(centre_class, [add_person(f"Người {n}") for n in range(11)])
    checks = [
        (admin, [manage_url, "/centres/new"]),
        (
            staff,
            [
                roster_url(centre_class) + "?q=nguoi",
                f"{manage_url}/profile",
                f"{manage_url}/programmes/new",
                f"{manage_url}/classes/new",
            ],
        ),
    ]
    for user, urls in checks:
        client.post("/sign-out")
        sign_in(user)
        app.config["WTF_CSRF_ENABLED"] = True
        try:
            for url in urls:
                page = html(client.get(url))
                forms = re.findall(r"<form method=\"post\".*?</form>", page, re.S)
                assert forms, url
                assert all('name="csrf_token"' in form for form in forms), url
            refused = client.post(f"{roster_url(centre_class)}/sessions", data={})
            assert refused.status_code == 400
        finally:
            app.config["WTF_CSRF_ENABLED"] = False


def test_the_roster_page_has_unique_ids(client, sign_in, staff, centre_class, add_person):
    enrol(centre_class, [add_person(f"Người {n}") for n in range(12)])
    sign_in(staff)
    page = html(client.get(roster_url(centre_class), query_string={"q": "nguoi"}))
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids))
    assert date(2026, 9, 7).year == 2026
