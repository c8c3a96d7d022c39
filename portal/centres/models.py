"""Learning centres and what they run: continuing-education centres, community learning
centres (CLCs) and other providers; their programmes and classes with sessions; the people
they enrol (with or without a portal account), enrolments with waitlists and withdrawals,
attendance per session, and spreadsheet imports with the rows they rejected.

Centre staff hold the ``staff`` role scoped to ``("centre", Centre.code)``. Attendance and
completion of people with an account also become learning records (xAPI statements), so a
class counts as evidence like a course does; the rows here are the register the centre keeps.
"""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Time, UniqueConstraint
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db_types import TwoDecimals, UTCDateTime
from portal.extensions import db

__all__ = [
    "Attendance",
    "AttendanceStatus",
    "Centre",
    "CentreClass",
    "CentreKind",
    "ClassEnrolment",
    "ClassSession",
    "ClassStatus",
    "EnrolmentImport",
    "EnrolmentStatus",
    "ImportStatus",
    "Person",
    "Programme",
    "ProgrammeType",
]

JSONType = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def utcnow() -> datetime:
    return datetime.now(UTC)


def _values(kind: type[enum.StrEnum]) -> str:
    return ", ".join(f"'{member.value}'" for member in kind)


class CentreKind(enum.StrEnum):
    CONTINUING = "continuing"  # continuing-education centre (trung tâm GDNN-GDTX)
    CLC = "clc"  # community learning centre (trung tâm học tập cộng đồng), one per commune
    ENTERPRISE = "enterprise"
    UNION = "union"  # a mass organisation or trade union
    LIBRARY = "library"
    OTHER = "other"


class ProgrammeType(enum.StrEnum):
    LITERACY_1 = "literacy_1"  # literacy, level 1 (xóa mù chữ mức độ 1)
    LITERACY_2 = "literacy_2"  # literacy, level 2
    POST_LITERACY = "post_literacy"  # continuing after literacy (giáo dục tiếp tục sau biết chữ)
    VOCATIONAL = "vocational"  # vocational short course: occupation and VQF level
    DIGITAL = "digital"
    LIFE_SKILLS = "life_skills"
    LANGUAGE = "language"
    OTHER = "other"


# The literacy level a learner reaches by completing a programme of this type.
LITERACY_LEVELS = {ProgrammeType.LITERACY_1: 1, ProgrammeType.LITERACY_2: 2}


class ClassStatus(enum.StrEnum):
    OPEN = "open"  # planned or running: takes enrolments, sessions and attendance
    FINISHED = "finished"  # results recorded; kept for the record
    CANCELLED = "cancelled"


class EnrolmentStatus(enum.StrEnum):
    ENROLLED = "enrolled"
    WAITLISTED = "waitlisted"  # the class was full; moves up when a place frees
    WITHDRAWN = "withdrawn"
    COMPLETED = "completed"
    NOT_COMPLETED = "not_completed"  # the class finished without this learner completing


# Statuses that hold a place in the class (count against its capacity).
HOLDS_PLACE = (EnrolmentStatus.ENROLLED, EnrolmentStatus.COMPLETED, EnrolmentStatus.NOT_COMPLETED)


class AttendanceStatus(enum.StrEnum):
    PRESENT = "present"
    ABSENT = "absent"
    EXCUSED = "excused"


class ImportStatus(enum.StrEnum):
    PREVIEWED = "previewed"  # read and checked, waiting for the officer to confirm
    IMPORTED = "imported"
    DISCARDED = "discarded"


class Centre(db.Model):
    """A provider of classes: its profile and the commune it stands in. ``code`` (lower-case
    letters, digits and '-') names it in URLs and in its staff's role scope."""

    __tablename__ = "centres"
    __table_args__ = (CheckConstraint(f"kind IN ({_values(CentreKind)})", name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(16), default=CentreKind.CLC.value)
    commune_id: Mapped[int] = mapped_column(
        ForeignKey("admin_units.id", ondelete="RESTRICT"), index=True
    )
    address: Mapped[str | None] = mapped_column(String(300))
    phone: Mapped[str | None] = mapped_column(String(16))  # E.164
    email: Mapped[str | None] = mapped_column(String(254))
    website: Mapped[str | None] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(sa.Text())
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    commune = relationship("AdminUnit")
    programmes: Mapped[list[Programme]] = relationship(
        back_populates="centre", order_by="Programme.title"
    )

    def __repr__(self) -> str:
        return f"<Centre {self.id} {self.code}>"


class Programme(db.Model):
    """What a centre teaches: a programme of a type (literacy level 1, vocational short
    course...), run as one or more classes."""

    __tablename__ = "programmes"
    __table_args__ = (
        CheckConstraint(f"type IN ({_values(ProgrammeType)})", name="type"),
        CheckConstraint("qf_level IS NULL OR (qf_level >= 1 AND qf_level <= 8)", name="qf_level"),
        CheckConstraint("hours IS NULL OR hours >= 0", name="hours_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    centre_id: Mapped[int] = mapped_column(ForeignKey("centres.id", ondelete="CASCADE"), index=True)
    type: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(300))
    occupation: Mapped[str | None] = mapped_column(String(200))  # vocational: the trade taught
    qf_level: Mapped[int | None]  # Vietnamese qualifications framework level, 1-8
    hours: Mapped[Decimal | None] = mapped_column(TwoDecimals)  # nominal length
    description: Mapped[str | None] = mapped_column(sa.Text())
    gives_certificate: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    centre: Mapped[Centre] = relationship(back_populates="programmes")

    def __repr__(self) -> str:
        return f"<Programme {self.id} {self.type} centre={self.centre_id}>"


class CentreClass(db.Model):
    """One run of a programme: a teacher, a capacity, a language of instruction, sessions,
    and optionally an online course of the portal it is blended with."""

    __tablename__ = "centre_classes"
    __table_args__ = (
        UniqueConstraint("centre_id", "code"),
        CheckConstraint("capacity >= 1", name="capacity"),
        CheckConstraint(f"status IN ({_values(ClassStatus)})", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    centre_id: Mapped[int] = mapped_column(ForeignKey("centres.id", ondelete="CASCADE"), index=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programmes.id", ondelete="RESTRICT"), index=True
    )
    code: Mapped[str] = mapped_column(String(32))  # the centre's own reference, e.g. "XMC-2026-01"
    title: Mapped[str] = mapped_column(String(300))
    teacher_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    teacher_name: Mapped[str | None] = mapped_column(String(200))  # a teacher without an account
    capacity: Mapped[int] = mapped_column(default=30)
    language: Mapped[str] = mapped_column(String(12), default="vi")
    course_id: Mapped[int | None] = mapped_column(ForeignKey("courses.id", ondelete="SET NULL"))
    place: Mapped[str | None] = mapped_column(String(300))  # the usual place of sessions
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default=ClassStatus.OPEN.value, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    centre: Mapped[Centre] = relationship()
    programme: Mapped[Programme] = relationship()
    teacher = relationship("User", foreign_keys=[teacher_id])
    course = relationship("Course")
    sessions: Mapped[list[ClassSession]] = relationship(
        back_populates="centre_class",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="(ClassSession.day, ClassSession.start_time)",
    )

    def __repr__(self) -> str:
        return f"<CentreClass {self.id} {self.code} centre={self.centre_id}>"


class ClassSession(db.Model):
    """One meeting of a class, on a day at a local (Vietnam) time, for some minutes."""

    __tablename__ = "class_sessions"
    __table_args__ = (
        UniqueConstraint("class_id", "day", "start_time"),
        CheckConstraint("minutes >= 1 AND minutes <= 720", name="minutes"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(
        ForeignKey("centre_classes.id", ondelete="CASCADE"), index=True
    )
    day: Mapped[date] = mapped_column(Date)
    start_time: Mapped[time] = mapped_column(Time)  # local time, Asia/Ho_Chi_Minh
    minutes: Mapped[int] = mapped_column(default=90)
    place: Mapped[str | None] = mapped_column(String(300))
    topic: Mapped[str | None] = mapped_column(String(300))
    cancelled: Mapped[bool] = mapped_column(default=False)

    centre_class: Mapped[CentreClass] = relationship(back_populates="sessions")

    def __repr__(self) -> str:
        return f"<ClassSession {self.id} class={self.class_id} {self.day} {self.start_time}>"


class Person(db.Model):
    """Someone a centre enrols: linked to a portal account when they have one (by
    ``user_id``), or known only by what the centre recorded. ``name_folded`` is the name
    folded (``portal.text.fold``) for diacritic-insensitive finding. A national ID (12-digit
    citizen identity number) names one person: unique where given."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), unique=True
    )
    full_name: Mapped[str] = mapped_column(String(200))
    name_folded: Mapped[str] = mapped_column(String(200), index=True)
    phone: Mapped[str | None] = mapped_column(String(16), index=True)  # E.164
    national_id: Mapped[str | None] = mapped_column(String(12), unique=True)
    birth_date: Mapped[date | None] = mapped_column(Date)
    birth_year: Mapped[int | None]
    gender: Mapped[str | None] = mapped_column(String(16))  # portal.accounts.reference.GENDERS
    ethnicity_code: Mapped[str | None] = mapped_column(String(2))
    disability: Mapped[str | None] = mapped_column(String(24))
    occupation_group: Mapped[str | None] = mapped_column(String(32))
    commune_id: Mapped[int | None] = mapped_column(
        ForeignKey("admin_units.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    centre_id: Mapped[int | None] = mapped_column(  # the centre that first recorded them
        ForeignKey("centres.id", ondelete="SET NULL")
    )

    user = relationship("User", foreign_keys=[user_id])
    commune = relationship("AdminUnit")

    def __repr__(self) -> str:
        return f"<Person {self.id} user={self.user_id}>"


class ClassEnrolment(db.Model):
    """One person in one class: enrolled, waitlisted, withdrawn, or with a result. The
    ``registration`` (a UUID) ties their learning records for this class together (xAPI
    ``context.registration``)."""

    __tablename__ = "class_enrolments"
    __table_args__ = (
        UniqueConstraint("class_id", "person_id"),
        CheckConstraint(f"status IN ({_values(EnrolmentStatus)})", name="status"),
        CheckConstraint("literacy_level IS NULL OR literacy_level IN (1, 2)", name="literacy"),
        Index("ix_class_enrolments_class_status", "class_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("centre_classes.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    registration: Mapped[str] = mapped_column(String(36), unique=True)
    status: Mapped[str] = mapped_column(String(16), default=EnrolmentStatus.ENROLLED.value)
    enrolled_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawal_reason: Mapped[str | None] = mapped_column(String(300))
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # when the result was set
    score: Mapped[Decimal | None] = mapped_column(TwoDecimals)  # 0-100 where the class scores
    literacy_level: Mapped[int | None]  # literacy level reached (literacy programmes)
    certificate_id: Mapped[int | None] = mapped_column(
        ForeignKey("certificates.id", ondelete="SET NULL")
    )
    import_id: Mapped[int | None] = mapped_column(
        ForeignKey("enrolment_imports.id", ondelete="SET NULL"), index=True
    )
    enrolled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    centre_class: Mapped[CentreClass] = relationship()
    person: Mapped[Person] = relationship()
    certificate = relationship("Certificate")

    def __repr__(self) -> str:
        return f"<ClassEnrolment {self.id} class={self.class_id} person={self.person_id}>"


class Attendance(db.Model):
    """Whether an enrolled person came to a session. ``statement_id`` is the learning
    record made for a present learner with an account (voided when corrected)."""

    __tablename__ = "class_attendance"
    __table_args__ = (
        UniqueConstraint("session_id", "enrolment_id"),
        CheckConstraint(f"status IN ({_values(AttendanceStatus)})", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("class_sessions.id", ondelete="CASCADE"), index=True
    )
    enrolment_id: Mapped[int] = mapped_column(
        ForeignKey("class_enrolments.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(16))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    statement_id: Mapped[str | None] = mapped_column(String(36))

    session: Mapped[ClassSession] = relationship()
    enrolment: Mapped[ClassEnrolment] = relationship()


class EnrolmentImport(db.Model):
    """A spreadsheet of learners uploaded for a class: checked and previewed, then imported
    in one transaction or discarded. ``rejected`` keeps each rejected row with its values and
    reasons, for the downloadable rejection report; the uploaded file itself is kept in the
    storage backend under ``storage_key`` until it is imported or discarded."""

    __tablename__ = "enrolment_imports"
    __table_args__ = (CheckConstraint(f"status IN ({_values(ImportStatus)})", name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(
        ForeignKey("centre_classes.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int]
    status: Mapped[str] = mapped_column(String(16), default=ImportStatus.PREVIEWED.value)
    storage_key: Mapped[str | None] = mapped_column(String(300))
    rows_total: Mapped[int] = mapped_column(default=0)
    rows_valid: Mapped[int] = mapped_column(default=0)
    rows_rejected: Mapped[int] = mapped_column(default=0)
    rows_added: Mapped[int] = mapped_column(default=0)  # new enrolments (enrolled or waitlisted)
    rows_waitlisted: Mapped[int] = mapped_column(default=0)
    rows_already: Mapped[int] = mapped_column(default=0)  # already in the class: nobody twice
    rejected: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    imported_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    centre_class: Mapped[CentreClass] = relationship()

    def __repr__(self) -> str:
        return f"<EnrolmentImport {self.id} class={self.class_id} {self.status}>"
