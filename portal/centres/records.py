"""Learning records of classes: attendance and completion of learners with a portal account
become xAPI statements through :mod:`courses.records.operations`, so a class counts like a
course does — hours in the year (``LearnerYearHours``), sessions attended and certificates
as evidence for the learning-society titles.

What is recorded, and why:

* A present learner: verb ``attended`` on the session's activity
  (``{base}/xapi/activities/class-session/<id>``), ``context.registration`` the enrolment's
  registration, the class (``.../class/<id>``) as ``contextActivities.parent``,
  ``result.duration`` the session's length and ``timestamp`` its local start in Vietnam, so
  the hours count toward the year the session took place in.
* A completion: verb ``completed`` on the class's activity with ``result.completion``,
  ``success`` and, when the centre gave one, the score as ``raw`` out of 0–100 — without
  ``scaled``, which the portal reads as a quiz score (the evidence's quiz average); the
  literacy level reached rides in a result extension.
* Neither names a portal course, so no ``LearnerCourseProgress`` row is made: a class is not
  a course of the portal, and the course dashboards and "courses completed" stay about
  courses. A class blended with a course has its online part recorded by the course itself.

Statement ids are UUID 5 of the attendance's (or completion's) identity and of the statement
it replaces, if any: the same state always gives the same id, so a retried request never
stores a statement twice, and a correction after a voided statement gets a new id.

People without an account keep their register rows only; :func:`backfill` records their
history once their person record is linked to an account.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from courses.certificates import operations as certificates
from courses.certificates.models import Certificate
from courses.records import iri, operations, verbs
from courses.records.models import Statement
from portal.accounts.models import User
from portal.centres.models import (
    Attendance,
    AttendanceStatus,
    CentreClass,
    ClassEnrolment,
    ClassSession,
    EnrolmentStatus,
    Person,
)
from portal.extensions import db

logger = logging.getLogger(__name__)

# Class sessions attended: the same IRI as portal.recognition.evidence.ATTENDED counts.
ATTENDED = verbs.ADL + "attended"
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
# UUID 5 namespace of the statements made for classes (a fixed random UUID: never change it).
NAMESPACE = uuid.UUID("5f0f4c6e-2a53-4d0b-9a41-6f1d3c2b8e17")
HOUR = Decimal(60)


def session_iri(session: ClassSession) -> str:
    return iri.activity_iri("class-session", session.id)


def class_iri(centre_class: CentreClass) -> str:
    return iri.activity_iri("class", centre_class.id)


def local_start(session: ClassSession) -> datetime:
    """When the session begins, as an aware datetime in Vietnam time."""
    return datetime.combine(session.day, session.start_time, tzinfo=VIETNAM)


def iso_duration(minutes: int) -> str:
    """``90`` → ``PT1H30M``; ``60`` → ``PT1H``; ``45`` → ``PT45M``."""
    hours, rest = divmod(minutes, 60)
    return "PT" + (f"{hours}H" if hours else "") + (f"{rest}M" if rest or not hours else "")


def _name(text: str, language: str) -> dict[str, str]:
    return {language or "und": text}


def _statement_id(*parts: Any) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join(str(p) for p in parts)))


def attendance_statement(
    session: ClassSession, enrolment: ClassEnrolment, user_id: int, replaces: str | None
) -> dict[str, Any]:
    """The statement that ``user_id`` attended ``session`` (see the module docstring);
    ``replaces`` is the voided statement of an earlier mark, if any."""
    centre_class = session.centre_class
    return {
        "id": _statement_id("attended", session.id, enrolment.id, user_id, replaces or "-"),
        "actor": iri.user_agent(user_id),
        "verb": {"id": ATTENDED, "display": verbs.display(ATTENDED)},
        "object": {
            "objectType": "Activity",
            "id": session_iri(session),
            "definition": {
                "name": _name(
                    f"{centre_class.title} — {session.day.isoformat()}", centre_class.language
                ),
                "type": "http://adlnet.gov/expapi/activities/meeting",
            },
        },
        "result": {"duration": iso_duration(session.minutes)},
        "context": {
            "registration": enrolment.registration,
            "contextActivities": {
                "parent": [
                    {
                        "id": class_iri(centre_class),
                        "definition": {"name": _name(centre_class.title, centre_class.language)},
                    }
                ]
            },
        },
        "timestamp": local_start(session).isoformat(),
    }


def attended(
    session: ClassSession, enrolment: ClassEnrolment, user_id: int, replaces: str | None
) -> str:
    """Record that ``user_id`` attended ``session``; returns the statement id (the register
    row keeps it)."""
    statement = attendance_statement(session, enrolment, user_id, replaces)
    return operations.record(statement).statement_id


def record_attended(attendance: Attendance, user_id: int) -> str:
    """Record the attended statement of a present mark and keep its id on the row."""
    attendance.statement_id = attended(
        attendance.session, attendance.enrolment, user_id, attendance.statement_id
    )
    return attendance.statement_id


def void_statement(statement_id: str, by: User) -> None:
    """Void the statement of a mark that is no longer "present", if it is not voided yet
    (the register row keeps its id, so a later "present" gets a statement of its own)."""
    live = db.session.scalar(
        sa.select(Statement.id).where(
            Statement.statement_id == statement_id, Statement.is_voided.is_(False)
        )
    )
    if live is not None:
        operations.void(statement_id, by)


# Completion -----------------------------------------------------------------------------------


def _completions(enrolment: ClassEnrolment, user_id: int) -> sa.Select[Any]:
    return sa.select(Statement).where(
        Statement.registration == enrolment.registration,
        Statement.user_id == user_id,
        Statement.verb_iri == verbs.COMPLETED,
        Statement.activity_iri == class_iri(enrolment.centre_class),
    )


def live_completion(enrolment: ClassEnrolment, user_id: int) -> Statement | None:
    return db.session.scalar(
        _completions(enrolment, user_id).where(Statement.is_voided.is_(False)).limit(1)
    )


def completion_statement(enrolment: ClassEnrolment, user_id: int, serial: int) -> dict[str, Any]:
    """The statement that ``user_id`` completed the class of ``enrolment``; ``serial``
    counts the completions recorded before (voided ones), so each gets its own id."""
    centre_class = enrolment.centre_class
    result: dict[str, Any] = {"completion": True, "success": True}
    if enrolment.score is not None:
        result["score"] = {"raw": float(enrolment.score), "min": 0, "max": 100}
    if enrolment.literacy_level is not None:
        result["extensions"] = {iri.extension_iri("literacy-level"): enrolment.literacy_level}
    assert enrolment.completed_at is not None
    return {
        "id": _statement_id("completed", enrolment.registration, user_id, serial),
        "actor": iri.user_agent(user_id),
        "verb": {"id": verbs.COMPLETED, "display": verbs.display(verbs.COMPLETED)},
        "object": {
            "objectType": "Activity",
            "id": class_iri(centre_class),
            "definition": {
                "name": _name(centre_class.title, centre_class.language),
                "type": "http://adlnet.gov/expapi/activities/course",
            },
        },
        "result": result,
        "context": {"registration": enrolment.registration},
        "timestamp": operations.format_timestamp(enrolment.completed_at),
    }


def record_completion(enrolment: ClassEnrolment, user_id: int) -> Statement:
    """Record the completion of a completed enrolment, unless a live one is stored."""
    existing = live_completion(enrolment, user_id)
    if existing is not None:
        return existing
    serial = db.session.scalar(
        sa.select(sa.func.count()).select_from(_completions(enrolment, user_id).subquery())
    )
    return operations.record(completion_statement(enrolment, user_id, int(serial or 0)))


def void_completion(enrolment: ClassEnrolment, user_id: int, by: User) -> None:
    existing = live_completion(enrolment, user_id)
    if existing is not None:
        operations.void(existing.statement_id, by)


def attended_hours(enrolment: ClassEnrolment) -> Decimal:
    """Hours of the sessions the learner of ``enrolment`` was present at."""
    minutes = db.session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(ClassSession.minutes), 0))
        .join(Attendance, Attendance.session_id == ClassSession.id)
        .where(
            Attendance.enrolment_id == enrolment.id,
            Attendance.status == AttendanceStatus.PRESENT.value,
            ClassSession.cancelled.is_(False),
        )
    )
    return (Decimal(int(minutes or 0)) / HOUR).quantize(Decimal("0.01"))


def issue_certificate(enrolment: ClassEnrolment, user: User) -> Certificate | None:
    """The programme certificate of a completed enrolment: the one it holds when it is not
    revoked, else a new one (hours: the sessions attended, or the programme's nominal hours
    when none were marked). None when the programme gives no certificate."""
    centre_class = enrolment.centre_class
    programme = centre_class.programme
    if not programme.gives_certificate:
        return None
    held = enrolment.certificate
    if held is not None and not held.is_revoked and held.user_id == user.id:
        return held
    hours = attended_hours(enrolment) or programme.hours or Decimal(0)
    achievement = (
        programme.title
        if programme.title == centre_class.title
        else f"{programme.title} — {centre_class.title}"
    )
    certificate = certificates.issue_programme(
        user, achievement=achievement, hours=hours, issuer=centre_class.centre.name
    )
    enrolment.certificate_id = certificate.id
    enrolment.certificate = certificate
    db.session.flush()
    return certificate


def revoke_certificate(enrolment: ClassEnrolment, *, by: User | None, reason: str) -> None:
    held = enrolment.certificate
    if held is not None and not held.is_revoked:
        certificates.revoke(held, by=by, reason=reason)


def sync_session(session: ClassSession, by: User) -> int:
    """Bring the learning records of a session in line with it after it was cancelled or
    restored: a cancelled session's "attended" statements are voided (its hours no longer
    count), a restored one's present marks get statements again. Call it after
    changing ``session.cancelled``; returns the number of statements voided or recorded."""
    rows = db.session.execute(
        sa.select(Attendance, Person.user_id, Statement.is_voided)
        .join(ClassEnrolment, Attendance.enrolment_id == ClassEnrolment.id)
        .join(Person, ClassEnrolment.person_id == Person.id)
        .outerjoin(Statement, Statement.statement_id == Attendance.statement_id)
        .where(
            Attendance.session_id == session.id,
            Attendance.status == AttendanceStatus.PRESENT.value,
            Person.user_id.is_not(None),
        )
    ).all()
    operations.lock_learners(user_id for _attendance, user_id, _voided in rows)
    count = 0
    for attendance, user_id, is_voided in rows:
        live = attendance.statement_id is not None and is_voided is False
        if session.cancelled and live:
            operations.void(attendance.statement_id, by)
            count += 1
        elif not session.cancelled and not live:
            record_attended(attendance, user_id)
            count += 1
    db.session.flush()
    logger.info("session %s: %d learning records brought in line", session.id, count)
    return count


# Backfill -------------------------------------------------------------------------------------


def backfill(person: Person) -> int:
    """Record the learning history of ``person`` once they are linked to an account
    (``person.user_id`` set): a statement for each session they were present at and for each
    class they completed, and the certificates of completed programmes. Safe to run again:
    what is recorded already is left alone. Returns the number of statements recorded."""
    if person.user_id is None:
        return 0
    user = db.session.get(User, person.user_id)
    assert user is not None
    count = 0
    marks = db.session.scalars(
        sa.select(Attendance)
        .join(ClassEnrolment, Attendance.enrolment_id == ClassEnrolment.id)
        .join(ClassSession, Attendance.session_id == ClassSession.id)
        .where(
            ClassEnrolment.person_id == person.id,
            Attendance.status == AttendanceStatus.PRESENT.value,
            Attendance.statement_id.is_(None),
            ClassSession.cancelled.is_(False),
        )
        .order_by(ClassSession.day, ClassSession.start_time, Attendance.id)
    ).all()
    for attendance in marks:
        record_attended(attendance, user.id)
        count += 1
    completed = db.session.scalars(
        sa.select(ClassEnrolment).where(
            ClassEnrolment.person_id == person.id,
            ClassEnrolment.status == EnrolmentStatus.COMPLETED.value,
        )
    ).all()
    for enrolment in completed:
        if live_completion(enrolment, user.id) is None:
            record_completion(enrolment, user.id)
            count += 1
        issue_certificate(enrolment, user)
    db.session.flush()
    logger.info("person %s linked to user %s: %d statements backfilled", person.id, user.id, count)
    return count


def hours_of(minutes: int) -> Decimal:
    return (Decimal(minutes) / HOUR).quantize(Decimal("0.1"))


__all__ = [
    "ATTENDED",
    "attendance_statement",
    "attended",
    "attended_hours",
    "backfill",
    "class_iri",
    "completion_statement",
    "iso_duration",
    "issue_certificate",
    "live_completion",
    "local_start",
    "record_attended",
    "record_completion",
    "revoke_certificate",
    "session_iri",
    "sync_session",
    "void_completion",
    "void_statement",
]
