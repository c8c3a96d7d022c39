"""Reads of the registers: the classes a user teaches with their next sessions, attendance
rates for the results page, and a learner's own classes for their dashboard. Each page
costs a fixed number of queries, whatever the number of classes or learners."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from portal.centres import access
from portal.centres.attendance import ON_REGISTER
from portal.centres.models import (
    Attendance,
    AttendanceStatus,
    Centre,
    CentreClass,
    ClassEnrolment,
    ClassSession,
    ClassStatus,
    EnrolmentStatus,
    Person,
)
from portal.centres.records import VIETNAM
from portal.extensions import db


def now_local() -> datetime:
    return datetime.now(VIETNAM)


def today() -> date:
    return now_local().date()


@dataclass
class TaughtClass:
    """A class on the teacher's list, with its sessions from today on (not cancelled)."""

    centre_class: CentreClass
    upcoming: list[ClassSession] = field(default_factory=list)
    learners: int = 0

    @property
    def next_session(self) -> ClassSession | None:
        return self.upcoming[0] if self.upcoming else None

    def today_sessions(self, day: date) -> list[ClassSession]:
        return [s for s in self.upcoming if s.day == day]


def taught(user: Any, day: date, *, upcoming: int = 3) -> list[TaughtClass]:
    """The open and finished classes ``user`` may teach: those with a session ``day``
    first, then by their next session, then those with none to come (finished last)."""
    classes = db.session.scalars(
        sa.select(CentreClass)
        .where(access.taught_classes(user), CentreClass.status != ClassStatus.CANCELLED.value)
        .options(joinedload(CentreClass.centre), joinedload(CentreClass.programme))
        .order_by(CentreClass.starts_on, CentreClass.id)
    ).all()
    items = {c.id: TaughtClass(c) for c in classes}
    if not items:
        return []
    sessions = db.session.scalars(
        sa.select(ClassSession)
        .where(
            ClassSession.class_id.in_(items),
            ClassSession.day >= day,
            ClassSession.cancelled.is_(False),
        )
        .order_by(ClassSession.day, ClassSession.start_time)
    ).all()
    for session in sessions:
        item = items[session.class_id]
        if len(item.upcoming) < upcoming:
            item.upcoming.append(session)
    counts = db.session.execute(
        sa.select(ClassEnrolment.class_id, sa.func.count())
        .where(
            ClassEnrolment.class_id.in_(items),
            ClassEnrolment.status.in_(ON_REGISTER),
        )
        .group_by(ClassEnrolment.class_id)
    ).all()
    for class_id, count in counts:
        items[class_id].learners = count

    def order(item: TaughtClass) -> tuple[Any, ...]:
        finished = item.centre_class.status == ClassStatus.FINISHED
        nxt = item.next_session
        return (
            finished,
            nxt is None,
            (nxt.day, nxt.start_time) if nxt else (date.max, None),
            item.centre_class.title,
        )

    return sorted(items.values(), key=order)


@dataclass
class SessionFigures:
    session: ClassSession
    present: int = 0
    absent: int = 0
    excused: int = 0

    @property
    def taken(self) -> bool:
        return bool(self.present or self.absent or self.excused)


def session_figures(centre_class: CentreClass) -> list[SessionFigures]:
    """Every session of the class with how many were present, absent and excused."""
    figures = {s.id: SessionFigures(s) for s in centre_class.sessions}
    if not figures:
        return []
    rows = db.session.execute(
        sa.select(Attendance.session_id, Attendance.status, sa.func.count())
        .where(Attendance.session_id.in_(figures))
        .group_by(Attendance.session_id, Attendance.status)
    ).all()
    for session_id, status, count in rows:
        setattr(figures[session_id], status, count)
    return list(figures.values())


@dataclass
class Rate:
    """Sessions a learner was present at, out of the sessions whose attendance was taken."""

    present: int
    taken: int

    @property
    def share(self) -> float | None:
        return self.present / self.taken if self.taken else None


def attendance_rates(centre_class: CentreClass) -> dict[int, Rate]:
    """Enrolment id → attendance rate, over the class's sessions (not cancelled) whose
    attendance was taken."""
    taken_sessions = (
        sa.select(sa.func.count(sa.distinct(Attendance.session_id)))
        .join(ClassSession, Attendance.session_id == ClassSession.id)
        .where(ClassSession.class_id == centre_class.id, ClassSession.cancelled.is_(False))
    )
    taken = int(db.session.scalar(taken_sessions) or 0)
    rows = db.session.execute(
        sa.select(Attendance.enrolment_id, sa.func.count())
        .join(ClassSession, Attendance.session_id == ClassSession.id)
        .where(
            ClassSession.class_id == centre_class.id,
            ClassSession.cancelled.is_(False),
            Attendance.status == AttendanceStatus.PRESENT.value,
        )
        .group_by(Attendance.enrolment_id)
    ).all()
    present = dict(rows)
    enrolments = db.session.scalars(
        sa.select(ClassEnrolment.id).where(ClassEnrolment.class_id == centre_class.id)
    ).all()
    return {e: Rate(int(present.get(e, 0)), taken) for e in enrolments}


# The learner's own classes -----------------------------------------------------------------


@dataclass
class MyClass:
    """A class of the signed-in learner, for their dashboard."""

    enrolment: ClassEnrolment
    centre_class: CentreClass
    centre: Centre
    next_session: ClassSession | None = None
    attended: int = 0
    minutes: int = 0

    @property
    def hours(self) -> float:
        return self.minutes / 60


def my_classes(user_id: int, now: datetime) -> list[MyClass]:
    """The classes of the person linked to ``user_id`` (not those they withdrew from):
    centre, next session (starting after ``now``, local time), sessions attended and their
    hours, status and certificate. Three queries."""
    day, clock = now.date(), now.time().replace(second=0, microsecond=0, tzinfo=None)
    rows = db.session.execute(
        sa.select(ClassEnrolment, CentreClass, Centre)
        .join(Person, ClassEnrolment.person_id == Person.id)
        .join(CentreClass, ClassEnrolment.class_id == CentreClass.id)
        .join(Centre, CentreClass.centre_id == Centre.id)
        .where(
            Person.user_id == user_id,
            ClassEnrolment.status != EnrolmentStatus.WITHDRAWN.value,
        )
        .options(joinedload(ClassEnrolment.certificate))
        .order_by(CentreClass.starts_on.desc(), CentreClass.id.desc())
    ).all()
    items = {e.id: MyClass(e, c, centre) for e, c, centre in rows}
    if not items:
        return []
    by_class = defaultdict(list)
    for item in items.values():
        by_class[item.centre_class.id].append(item)
    upcoming = (
        sa.select(
            ClassSession,
            sa.func.row_number()
            .over(
                partition_by=ClassSession.class_id,
                order_by=(ClassSession.day, ClassSession.start_time),
            )
            .label("n"),
        )
        .where(
            ClassSession.class_id.in_(by_class),
            sa.or_(
                ClassSession.day > day,
                sa.and_(ClassSession.day == day, ClassSession.start_time >= clock),
            ),
            ClassSession.cancelled.is_(False),
        )
        .subquery()
    )
    next_sessions = db.session.scalars(
        sa.select(sa.orm.aliased(ClassSession, upcoming)).where(upcoming.c.n == 1)
    ).all()
    for session in next_sessions:
        for item in by_class[session.class_id]:
            if item.centre_class.status == ClassStatus.OPEN:
                item.next_session = session
    attended = db.session.execute(
        sa.select(Attendance.enrolment_id, sa.func.count(), sa.func.sum(ClassSession.minutes))
        .join(ClassSession, Attendance.session_id == ClassSession.id)
        .where(
            Attendance.enrolment_id.in_(items),
            Attendance.status == AttendanceStatus.PRESENT.value,
            ClassSession.cancelled.is_(False),
        )
        .group_by(Attendance.enrolment_id)
    ).all()
    for enrolment_id, count, minutes in attended:
        items[enrolment_id].attended = int(count)
        items[enrolment_id].minutes = int(minutes or 0)
    return list(items.values())
