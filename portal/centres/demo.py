"""Demo content of the learning centres, loaded by ``flask demo load`` (``portal.demo``).

In the demo commune: the community learning centre ``demo-clc`` (whose staff is the demo
officer 0912000002) and a continuing-education centre ``demo-gdnn``; programmes of several
types; three classes with sessions in the past and the future; about fifteen people, the
demo learners 0912000005/06/07 among them through their accounts; one class full, with a
waitlist; attendance of the sessions already held, taken by the demo officer (about one
learner in four absent each time), so the reports have figures and the demo learners have
hours. Made through ``portal.centres.operations`` and ``portal.centres.attendance``.

Idempotent: centres, programmes and classes are looked up by code or title, people by
national ID or phone and name, enrolments are never doubled, a class that has sessions
gets no more, and a session already marked is left as it is.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from decimal import Decimal

from sqlalchemy import select

from portal.accounts.queries import user_by_identifier
from portal.centres import attendance, operations, queries
from portal.centres.models import (
    AttendanceStatus,
    Centre,
    CentreClass,
    ClassEnrolment,
    Person,
    Programme,
)
from portal.extensions import db
from portal.text import fold

logger = logging.getLogger(__name__)

__all__ = ["DemoCentres", "load"]

CLC = "demo-clc"
CONTINUING = "demo-gdnn"
TEACHER = "0912000001"
OFFICER = "0912000002"  # staff of demo-clc; takes the registers of the demo classes

# code → (name, kind, address)
CENTRES = {
    CLC: ("Trung tâm học tập cộng đồng xã (demo)", "clc", "Nhà văn hóa thôn Tân Lập"),
    CONTINUING: ("Trung tâm GDNN-GDTX khu vực (demo)", "continuing", "Số 12 đường Hùng Vương"),
}

# (centre, type, title, occupation, qf level, hours)
PROGRAMMES = (
    (CLC, "literacy_1", "Xóa mù chữ mức độ 1", None, None, "280"),
    (CLC, "digital", "Kỹ năng số cho người dân", None, None, "24"),
    (CLC, "life_skills", "Nuôi dạy con và chăm sóc sức khỏe gia đình", None, None, "16"),
    (CONTINUING, "vocational", "Trồng và chăm sóc cà phê", "Trồng cà phê", 1, "300"),
)

# (centre, programme title, code, title, capacity, language, weekdays, hour, teacher name)
CLASSES = (
    (CLC, "Xóa mù chữ mức độ 1", "XMC-01", "Lớp xóa mù chữ buôn Ea Sinh", 12, "vi", {0, 2},
     time(19, 0), None),
    (CLC, "Kỹ năng số cho người dân", "KNS-01", "Kỹ năng số: điện thoại thông minh và dịch vụ công",
     4, "vi", {5}, time(8, 0), "Y Bhin Niê"),
    (CONTINUING, "Trồng và chăm sóc cà phê", "CF-01", "Trồng cà phê bền vững", 20, "vi", {1, 3},
     time(14, 0), "Kỹ sư Phan Văn Tài"),
)  # fmt: skip

# (name, phone, national ID, birth year, gender, ethnicity) → enrolled in these classes
PEOPLE = (
    ("H'Luy Niê", None, "066168000101", 1968, "female", "12", ("XMC-01",)),
    ("Y Wang Mlô", "0905100201", None, 1975, "male", "12", ("XMC-01",)),
    ("H'Bla Ayun", None, "066180000103", 1980, "female", "12", ("XMC-01",)),
    ("Ama Khăm", None, None, 1962, "male", "12", ("XMC-01",)),
    ("H'Ngăm Niê", None, None, 1952, "female", "12", ("XMC-01",)),
    ("Lò Thị Mai", "0905100206", None, 1990, "female", "03", ("XMC-01", "KNS-01")),
    ("Nguyễn Văn Tuấn", "0905100207", "066195000107", 1995, "male", "01", ("KNS-01",)),
    ("Trần Thị Hồng", "0905100208", None, 1988, "female", "01", ("KNS-01",)),
    ("Ka Hoa", None, "066170000109", 1970, "female", "16", ("KNS-01",)),
    ("Y Sơn Byă", "0905100210", None, 1985, "male", "12", ("KNS-01", "CF-01")),
    ("Phạm Văn Đức", "0905100211", "066178000111", 1978, "male", "01", ("CF-01",)),
    ("Hoàng Văn Sáng", "0905100212", None, 1983, "male", "02", ("CF-01",)),
)

# demo learners with accounts → classes
LEARNERS = {
    "0912000005": ("KNS-01",),  # Nguyễn Thị Lan: on the waitlist of the full class
    "0912000006": ("CF-01",),  # Sơn Thị Sa Rươne
    "0912000007": ("XMC-01",),  # H'Hen Niê
}


@dataclass
class DemoCentres:
    centres: list[Centre] = field(default_factory=list)
    classes: list[CentreClass] = field(default_factory=list)
    enrolments_added: int = 0
    sessions_marked: int = 0


def _centre(code: str, commune_code: str) -> Centre:
    centre = db.session.scalar(select(Centre).where(Centre.code == code))
    if centre is not None:
        return centre
    name, kind, address = CENTRES[code]
    details = operations.CentreDetails(
        name=name,
        kind=kind,
        commune_code=commune_code,
        address=address,
        email=f"{code}@demo.hoctap.vn",
        description="Dữ liệu minh họa.",
    )
    return operations.create_centre(code, details, by=None)


def _programme(centre: Centre, row: tuple) -> Programme:  # type: ignore[type-arg]
    _code, kind, title, occupation, level, hours = row
    found = db.session.scalar(
        select(Programme).where(Programme.centre_id == centre.id, Programme.title == title)
    )
    if found is not None:
        return found
    details = operations.ProgrammeDetails(
        type=kind, title=title, occupation=occupation, qf_level=level, hours=Decimal(hours)
    )
    return operations.save_programme(centre, details, by=None)


def _class(centre: Centre, programme: Programme, row: tuple, today: date) -> CentreClass:  # type: ignore[type-arg]
    _c, _p, code, title, capacity, language, weekdays, hour, teacher_name = row
    found = db.session.scalar(
        select(CentreClass).where(CentreClass.centre_id == centre.id, CentreClass.code == code)
    )
    if found is not None:
        return found
    teacher = user_by_identifier(TEACHER) if teacher_name is None else None
    course_id = None
    if programme.type == "digital":
        choices = queries.course_choices()
        course_id = choices[0][0].id if choices else None
    first, last = today - timedelta(days=21), today + timedelta(days=35)
    details = operations.ClassDetails(
        programme=programme,
        code=code,
        title=title,
        capacity=capacity,
        language=language,
        teacher_id=teacher.id if teacher else None,
        teacher_name=teacher_name if teacher is None else None,
        course_id=course_id,
        place=CENTRES[centre.code][2],
        starts_on=first,
        ends_on=last,
    )
    centre_class = operations.save_class(centre, details, by=None)
    operations.add_weekly_sessions(centre_class, first, last, weekdays, hour, minutes=90)
    return centre_class


def _recorded(centre: Centre, name: str) -> Person | None:
    """A person of the demo without phone or national ID, found again by name."""
    return db.session.scalar(
        select(Person).where(Person.centre_id == centre.id, Person.name_folded == fold(name))
    )


def load(commune_code: str | None = None) -> DemoCentres:
    """Create the demo centres, programmes, classes, people and enrolments (see the module
    docstring) in the commune with ``commune_code`` (the demo commune when None). Does
    nothing before the places are loaded."""
    from portal.places.queries import today

    if commune_code is None:
        from portal.demo import _demo_commune_code

        commune_code = _demo_commune_code()
    result = DemoCentres()
    if commune_code is None:
        return result
    centres = {code: _centre(code, commune_code) for code in CENTRES}
    result.centres = list(centres.values())
    programmes = {row[2]: _programme(centres[row[0]], row) for row in PROGRAMMES}
    classes = {row[2]: _class(centres[row[0]], programmes[row[1]], row, today()) for row in CLASSES}
    result.classes = list(classes.values())
    clc = centres[CLC]
    before = db.session.scalar(select(db.func.count(ClassEnrolment.id)))
    for name, phone, national_id, year, gender, ethnicity, codes in PEOPLE:
        details = operations.PersonDetails(
            full_name=name,
            phone=operations.clean_phone(phone),
            national_id=national_id,
            birth_year=year,
            gender=gender,
            ethnicity_code=ethnicity,
            commune_id=clc.commune_id,
        )
        person = (
            operations.find_person(details)
            or _recorded(clc, name)
            or operations.add_person(details, centre=clc, by=None)
        )
        for code in codes:
            operations.enrol(classes[code], person, by=None)
    for sign_in, codes in LEARNERS.items():
        user = user_by_identifier(sign_in)
        if user is None:
            continue
        person = operations.person_for_user(user)
        for code in codes:
            operations.enrol(classes[code], person, by=None)
    after = db.session.scalar(select(db.func.count(ClassEnrolment.id)))
    result.enrolments_added = (after or 0) - (before or 0)
    result.sessions_marked = _take_attendance(result.classes, today())
    logger.info(
        "demo centres: %d enrolments added, %d sessions marked",
        result.enrolments_added,
        result.sessions_marked,
    )
    return result


def _take_attendance(classes: list[CentreClass], today: date) -> int:
    """Mark the registers of the sessions held before ``today`` that have no marks yet:
    about one learner in four absent, in turn, the others present. Returns how many
    sessions were marked."""
    officer = user_by_identifier(OFFICER)
    if officer is None:
        return 0
    marked = 0
    for centre_class in classes:
        held = [s for s in centre_class.sessions if s.day < today and not s.cancelled]
        for number, session in enumerate(sorted(held, key=lambda s: s.day)):
            lines = attendance.register(session)
            if not lines or any(line.attendance is not None for line in lines):
                continue
            absent, present = AttendanceStatus.ABSENT.value, AttendanceStatus.PRESENT.value
            marks = {
                line.enrolment.id: absent if (index + number) % 4 == 3 else present
                for index, line in enumerate(lines)
            }
            attendance.take_attendance(session, marks, by=officer)
            marked += 1
    return marked
