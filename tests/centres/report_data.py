"""A small, hand-countable register for the centres' report tests (used by
``test_reports.py`` and ``test_report_pages.py``).

Two centres in two communes of two provinces::

    centre "clc-a" in commune 24820 (province 68)   centre "clc-b" in commune 00004 (province 01)
      K1 literacy_1   2026-02-01..2026-06-30          K3 literacy_2  2025-09-01..2026-01-31
      K2 vocational   2026-03-01..(open)              K5 literacy_2  cancelled
      K4 literacy_1   2025-01-01..2025-06-30

Six people (gender, ethnicity, birth year, disability, occupation):
p1 F 08 1990 none rural · p2 M 01 2001 - enterprise · p3 F 01 1960 seeing - · p4 (nothing) ·
p5 F 08 2010 · p6 M 09 1980. Times are UTC; Vietnam is UTC+7, so 2026-12-31 17:30 UTC is
already 2027 there. The hand counts for 2026 are in ``test_reports.py``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from types import SimpleNamespace
from typing import Any

HYPERLINK = '=HYPERLINK("http://example.com","x")'


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def build(db: Any, small_places: tuple[Any, Any]) -> SimpleNamespace:
    from portal.centres.models import (
        Attendance,
        Centre,
        CentreClass,
        ClassEnrolment,
        ClassSession,
        Person,
        Programme,
    )
    from portal.places.models import AdminUnit
    from portal.text import fold

    province_68, commune_24820 = small_places
    province_01 = AdminUnit(
        level="province",
        code="01",
        kind="city",
        name="Thành phố Hà Nội",
        search_name=fold("Thành phố Hà Nội"),
        valid_from=date(2025, 7, 1),
    )
    db.session.add(province_01)
    db.session.flush()
    commune_00004 = AdminUnit(
        level="commune",
        code="00004",
        kind="ward",
        name="Phường Ba Đình",
        search_name=fold("Phường Ba Đình"),
        parent_id=province_01.id,
        valid_from=date(2025, 7, 1),
    )
    db.session.add(commune_00004)
    db.session.flush()

    def add(row: Any) -> Any:
        db.session.add(row)
        db.session.flush()
        return row

    a = add(Centre(code="clc-a", name="Trung tâm A", kind="clc", commune_id=commune_24820.id))
    b = add(Centre(code="clc-b", name=HYPERLINK, kind="clc", commune_id=commune_00004.id))
    lit1 = add(Programme(centre_id=a.id, type="literacy_1", title="Xóa mù chữ 1"))
    voc = add(Programme(centre_id=a.id, type="vocational", title="May công nghiệp"))
    lit2 = add(Programme(centre_id=b.id, type="literacy_2", title="Xóa mù chữ 2"))

    def klass(centre: Any, programme: Any, code: str, starts: Any, ends: Any, status: str) -> Any:
        return add(
            CentreClass(
                centre_id=centre.id,
                programme_id=programme.id,
                code=code,
                title=code,
                starts_on=starts,
                ends_on=ends,
                status=status,
            )
        )

    k1 = klass(a, lit1, "K1", date(2026, 2, 1), date(2026, 6, 30), "finished")
    k2 = klass(a, voc, "K2", date(2026, 3, 1), None, "open")
    k3 = klass(b, lit2, "K3", date(2025, 9, 1), date(2026, 1, 31), "finished")
    k4 = klass(a, lit1, "K4", date(2025, 1, 1), date(2025, 6, 30), "finished")
    k5 = klass(b, lit2, "K5", date(2026, 3, 1), date(2026, 5, 31), "cancelled")

    def person(name: str, **fields: Any) -> Any:
        return add(Person(full_name=name, name_folded=fold(name), **fields))

    p1 = person(
        HYPERLINK,
        gender="female",
        ethnicity_code="08",
        birth_year=1990,
        disability="none",
        occupation_group="rural_workers",
    )
    p2 = person(
        "Nguyễn Văn Hai",
        gender="male",
        ethnicity_code="01",
        birth_year=2001,
        occupation_group="enterprise_workers",
    )
    p3 = person(
        "Trần Thị Ba", gender="female", ethnicity_code="01", birth_year=1960, disability="seeing"
    )
    p4 = person("Người Bốn")
    p5 = person("Lò Thị Năm", gender="female", ethnicity_code="08", birth_year=2010)
    p6 = person("Triệu Văn Sáu", gender="male", ethnicity_code="09", birth_year=1980)

    counter = iter(range(1, 1000))

    def enrol(k: Any, p: Any, status: str, enrolled: datetime, **fields: Any) -> Any:
        return add(
            ClassEnrolment(
                class_id=k.id,
                person_id=p.id,
                status=status,
                registration=f"00000000-0000-0000-0000-{next(counter):012d}",
                enrolled_at=enrolled,
                **fields,
            )
        )

    e = {
        "k1p1": enrol(
            k1,
            p1,
            "completed",
            utc(2026, 1, 20),
            completed_at=utc(2026, 6, 30, 10),
            literacy_level=1,
        ),
        "k1p2": enrol(k1, p2, "withdrawn", utc(2026, 1, 20), withdrawn_at=utc(2026, 3, 15)),
        "k1p3": enrol(k1, p3, "not_completed", utc(2026, 1, 25), completed_at=utc(2026, 6, 30, 10)),
        "k1p4": enrol(k1, p4, "waitlisted", utc(2026, 1, 26)),
        "k2p1": enrol(k2, p1, "enrolled", utc(2026, 2, 20)),
        "k2p5": enrol(k2, p5, "enrolled", utc(2026, 12, 31, 17, 30)),  # 2027 in Vietnam
        "k2p6": enrol(
            k2, p6, "withdrawn", utc(2026, 3, 1, 2), withdrawn_at=utc(2026, 12, 31, 18)
        ),  # 2027 in Vietnam
        "k3p3": enrol(
            k3,
            p3,
            "completed",
            utc(2025, 8, 20),
            completed_at=utc(2026, 1, 31, 3),
            literacy_level=2,
        ),
        "k3p6": enrol(
            k3, p6, "completed", utc(2025, 8, 20), completed_at=utc(2025, 12, 20), literacy_level=2
        ),
        "k3p2": enrol(
            k3, p2, "withdrawn", utc(2025, 8, 20), withdrawn_at=utc(2025, 12, 31, 17, 30)
        ),  # 1 Jan 2026 in Vietnam
        "k4p5": enrol(
            k4, p5, "completed", utc(2025, 1, 1), completed_at=utc(2025, 6, 30), literacy_level=1
        ),
        "k5p4": enrol(k5, p4, "enrolled", utc(2026, 2, 1)),
    }

    def session(k: Any, day: date, marks: dict[str, str], cancelled: bool = False) -> Any:
        s = add(ClassSession(class_id=k.id, day=day, start_time=time(19), cancelled=cancelled))
        for key, status in marks.items():
            db.session.add(Attendance(session_id=s.id, enrolment_id=e[key].id, status=status))
        db.session.flush()
        return s

    session(k1, date(2026, 2, 2), {"k1p1": "present", "k1p2": "present", "k1p3": "absent"})
    session(k1, date(2026, 2, 4), {"k1p1": "present", "k1p2": "absent", "k1p3": "excused"})
    session(k1, date(2026, 3, 2), {"k1p1": "present", "k1p3": "present"})
    session(k1, date(2026, 2, 6), {"k1p1": "present"}, cancelled=True)
    session(k2, date(2026, 3, 3), {"k2p1": "present", "k2p6": "absent"})
    session(k2, date(2026, 4, 1), {"k2p1": "absent", "k2p6": "present"})
    session(k3, date(2025, 12, 15), {"k3p3": "present", "k3p2": "present"})
    session(k3, date(2026, 1, 10), {"k3p3": "present", "k3p2": "absent"})
    session(k4, date(2025, 2, 1), {"k4p5": "present"})
    session(k5, date(2026, 3, 5), {"k5p4": "present"})
    return SimpleNamespace(
        centres=(a, b),
        provinces=(province_68, province_01),
        communes=(commune_24820, commune_00004),
        people=(p1, p2, p3, p4, p5, p6),
    )
