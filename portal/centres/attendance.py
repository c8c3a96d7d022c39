"""Verbs of a class's register: take the attendance of a session, set the results of its
learners, finish the class. They flush and never commit; the request commits.

The register rows are the centre's own record; for learners with a portal account each
"present" and each completion also becomes a learning record (see
:mod:`portal.centres.records`): corrections void the statement they replace, and
completions of programmes that give one issue (or, when undone, revoke) a certificate.

Every verb checks everything it was sent before it changes anything, so a refused request
saves nothing. The class row is locked first (``SELECT ... FOR UPDATE`` on PostgreSQL;
SQLite's writing requests hold the write lock from ``BEGIN IMMEDIATE``), so two people
saving the same register at once are served one after the other.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from courses.records import summaries
from courses.records.operations import lock_learners
from portal.accounts.models import User
from portal.centres import records
from portal.centres.models import (
    HOLDS_PLACE,
    LITERACY_LEVELS,
    Attendance,
    AttendanceStatus,
    CentreClass,
    ClassEnrolment,
    ClassSession,
    ClassStatus,
    EnrolmentStatus,
    Person,
)
from portal.centres.operations import lock_class
from portal.extensions import db
from portal.operation_errors import OperationError

logger = logging.getLogger(__name__)

MESSAGES = {
    "session_cancelled": _l("This session was cancelled: it has no attendance to take."),
    "class_cancelled": _l("This class was cancelled."),
    "class_finished": _l("This class is finished already."),
    "not_in_class": _l("Someone in the form is not enrolled in this class. Reload the page."),
    "bad_status": _l("Choose present, absent or excused."),
    "bad_result": _l("Choose completed, not completed or no result yet."),
    "no_level": _l("Only literacy programmes record a literacy level."),
    "result_needed": _l("The class is finished: choose completed or not completed."),
}
REVOKE_REASON = _l("The centre corrected the result: the programme was not completed.")

# Enrolments on the register: those that hold a place (not waitlisted, not withdrawn).
ON_REGISTER = tuple(status.value for status in HOLDS_PLACE)
RESULTS = (
    EnrolmentStatus.ENROLLED.value,  # no result yet
    EnrolmentStatus.COMPLETED.value,
    EnrolmentStatus.NOT_COMPLETED.value,
)


class AttendanceError(OperationError):
    """The register cannot be changed as asked; ``code`` keys :data:`MESSAGES`."""

    @property
    def message(self) -> str:
        return str(MESSAGES[self.code])


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass
class RegisterLine:
    """One learner on a session's register, with their mark (None: not taken yet)."""

    enrolment: ClassEnrolment
    person: Person
    attendance: Attendance | None

    @property
    def status(self) -> str | None:
        return self.attendance.status if self.attendance is not None else None


def register(session: ClassSession) -> list[RegisterLine]:
    """The learners of the session's class who hold a place, with their marks for the
    session, in one query (by name)."""
    rows = db.session.execute(
        sa.select(ClassEnrolment, Person, Attendance)
        .join(Person, ClassEnrolment.person_id == Person.id)
        .outerjoin(
            Attendance,
            sa.and_(
                Attendance.enrolment_id == ClassEnrolment.id,
                Attendance.session_id == session.id,
            ),
        )
        .where(ClassEnrolment.class_id == session.class_id, ClassEnrolment.status.in_(ON_REGISTER))
        .order_by(Person.name_folded, Person.id)
    ).all()
    return [RegisterLine(enrolment, person, attendance) for enrolment, person, attendance in rows]


@dataclass
class Taken:
    """What saving a register did: marks written, and how many are present now."""

    changed: int
    present: int
    unmarked: int


def _check_open(session: ClassSession) -> None:
    if session.centre_class.status == ClassStatus.CANCELLED:
        raise AttendanceError("class_cancelled")
    if session.cancelled:
        raise AttendanceError("session_cancelled")


def take_attendance(
    session: ClassSession,
    marks: dict[int, str],
    *,
    by: User,
    others_present: bool = False,
) -> Taken:
    """Save the marks (enrolment id → present/absent/excused) of a session; with
    ``others_present`` every learner not marked in ``marks`` and not marked before is
    present. Idempotent: a mark saved again changes nothing. A learner with an account who
    is present gets an ``attended`` statement; one marked present before and now absent or
    excused has it voided."""
    _check_open(session)
    if any(status not in set(AttendanceStatus) for status in marks.values()):
        raise AttendanceError("bad_status")
    lock_class(session.centre_class)
    lines = register(session)
    lock_learners(line.person.user_id for line in lines)
    known = {line.enrolment.id for line in lines}
    if any(enrolment_id not in known for enrolment_id in marks):
        raise AttendanceError("not_in_class")
    at = utcnow()
    rows: list[dict[str, Any]] = []
    statuses = {line.enrolment.id: line.status for line in lines}  # before, then after
    changed = 0
    for line in lines:
        wanted = marks.get(line.enrolment.id)
        if wanted is None and others_present and line.attendance is None:
            wanted = AttendanceStatus.PRESENT.value
        if wanted is None:
            continue
        statuses[line.enrolment.id] = str(wanted)
        row = _mark(session, line, str(wanted), by, at)
        if row is not None:
            rows.append(row)
            changed += row["status"] != line.status
    if rows:
        _upsert_marks(rows)
    present = sum(1 for status in statuses.values() if status == AttendanceStatus.PRESENT)
    unmarked = sum(1 for status in statuses.values() if status is None)
    logger.info("attendance of session %s: %d marks changed by user %s", session.id, changed, by.id)
    return Taken(changed=changed, present=present, unmarked=unmarked)


def _mark(
    session: ClassSession, line: RegisterLine, wanted: str, by: User, at: datetime
) -> dict[str, Any] | None:
    """The register row of one learner's mark, with its learning record made or voided; None
    when nothing changes."""
    old = line.attendance
    was = old.status if old is not None else None
    statement_id = old.statement_id if old is not None else None
    user_id = line.person.user_id
    if was == AttendanceStatus.PRESENT and wanted != was and statement_id is not None:
        records.void_statement(statement_id, by)  # corrected: present no more
    unrecorded = was != AttendanceStatus.PRESENT or statement_id is None
    if wanted == AttendanceStatus.PRESENT and user_id is not None and unrecorded:
        # A new statement; ``statement_id`` is then the voided one of an earlier "present".
        statement_id = records.attended(session, line.enrolment, user_id, statement_id)
    if old is not None and was == wanted and statement_id == old.statement_id:
        return None
    same = old is not None and was == wanted
    return {
        "session_id": session.id,
        "enrolment_id": line.enrolment.id,
        "status": wanted,
        "recorded_at": old.recorded_at if same and old else at,
        "recorded_by_id": old.recorded_by_id if same and old else by.id,
        "statement_id": statement_id,
    }


def _upsert_marks(rows: list[dict[str, Any]]) -> None:
    """Write the marks of a register in one ``INSERT ... ON CONFLICT DO UPDATE`` of many rows
    (the register rows loaded before are expired: they are stale now)."""
    table = Attendance.__table__
    insert = summaries.dialect_insert(table).values(rows)
    db.session.execute(
        insert.on_conflict_do_update(
            index_elements=["session_id", "enrolment_id"],
            set_={
                name: insert.excluded[name]
                for name in ("status", "recorded_at", "recorded_by_id", "statement_id")
            },
        )
    )
    for row in db.session.identity_map.values():
        if isinstance(row, Attendance):
            db.session.expire(row)


# Results --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Result:
    """What the centre says of one learner: ``status`` (no result yet, completed, not
    completed), a score out of 100 and the literacy level reached, both optional."""

    status: str
    score: Decimal | None = None
    literacy_level: int | None = None


@dataclass
class ResultsSaved:
    changed: int
    certificates_issued: int
    certificates_revoked: int


def _check_results(centre_class: CentreClass, results: dict[int, Result]) -> None:
    if centre_class.status == ClassStatus.CANCELLED:
        raise AttendanceError("class_cancelled")
    literacy = centre_class.programme.type in LITERACY_LEVELS
    for result in results.values():
        if result.status not in RESULTS:
            raise AttendanceError("bad_result")
        if result.literacy_level is not None and not literacy:
            raise AttendanceError("no_level")
        if centre_class.status == ClassStatus.FINISHED and result.status == RESULTS[0]:
            raise AttendanceError("result_needed")


def results_roster(centre_class: CentreClass) -> list[tuple[ClassEnrolment, Person]]:
    """The learners of the class who hold a place, with their person records, by name."""
    rows = db.session.execute(
        sa.select(ClassEnrolment, Person)
        .join(Person, ClassEnrolment.person_id == Person.id)
        .where(ClassEnrolment.class_id == centre_class.id, ClassEnrolment.status.in_(ON_REGISTER))
        .order_by(Person.name_folded, Person.id)
    ).all()
    return [(enrolment, person) for enrolment, person in rows]


def set_results(centre_class: CentreClass, results: dict[int, Result], *, by: User) -> ResultsSaved:
    """Set the results of the class's learners (enrolment id → :class:`Result`). A
    completion is recorded as a learning record of learners with an account and issues the
    programme's certificate; a completion undone voids that record and revokes the
    certificate. In a literacy programme a completion without a level reaches the
    programme's level. Results sent again unchanged change nothing."""
    _check_results(centre_class, results)
    lock_class(centre_class)
    pairs = results_roster(centre_class)
    lock_learners(person.user_id for _enrolment, person in pairs)
    known = {enrolment.id for enrolment, _person in pairs}
    if any(enrolment_id not in known for enrolment_id in results):
        raise AttendanceError("not_in_class")
    default_level = LITERACY_LEVELS.get(centre_class.programme.type)  # type: ignore[call-overload]
    saved = ResultsSaved(0, 0, 0)
    users = _users([person.user_id for _e, person in pairs if person.user_id is not None])
    for enrolment, person in pairs:
        result = results.get(enrolment.id)
        if result is None:
            continue
        level = result.literacy_level
        if result.status == EnrolmentStatus.COMPLETED and level is None:
            level = default_level
        if result.status != EnrolmentStatus.COMPLETED and result.literacy_level is None:
            level = None
        before = (enrolment.status, enrolment.score, enrolment.literacy_level)
        after = (result.status, result.score, level)
        if before == after:
            continue
        saved.changed += 1
        _apply(enrolment, result.status, result.score, level, users.get(person.user_id), by, saved)
    db.session.flush()
    logger.info("results of class %s: %d changed by user %s", centre_class.id, saved.changed, by.id)
    return saved


def _users(ids: list[int]) -> dict[int | None, User]:
    if not ids:
        return {}
    return {user.id: user for user in db.session.scalars(sa.select(User).where(User.id.in_(ids)))}


def _apply(
    enrolment: ClassEnrolment,
    status: str,
    score: Decimal | None,
    level: int | None,
    user: User | None,
    by: User,
    saved: ResultsSaved,
) -> None:
    was_completed = enrolment.status == EnrolmentStatus.COMPLETED
    if enrolment.status != status:
        enrolment.completed_at = None if status == EnrolmentStatus.ENROLLED else utcnow()
    enrolment.status = status
    enrolment.score = score
    enrolment.literacy_level = level
    db.session.flush()
    if user is not None and was_completed:
        records.void_completion(enrolment, user.id, by)  # undone, or a new score or level
    if status == EnrolmentStatus.COMPLETED:
        if user is not None:
            records.record_completion(enrolment, user.id)
            held = enrolment.certificate
            certificate = records.issue_certificate(enrolment, user)
            if certificate is not None and certificate is not held:
                saved.certificates_issued += 1
    elif was_completed and enrolment.certificate and not enrolment.certificate.is_revoked:
        records.revoke_certificate(enrolment, by=by, reason=str(REVOKE_REASON))
        saved.certificates_revoked += 1


def finish_class(centre_class: CentreClass, *, by: User) -> int:
    """Mark the class finished; the learners still without a result did not complete it.
    Returns how many learners that was."""
    if centre_class.status == ClassStatus.CANCELLED:
        raise AttendanceError("class_cancelled")
    if centre_class.status == ClassStatus.FINISHED:
        raise AttendanceError("class_finished")
    lock_class(centre_class)
    pending = db.session.scalars(
        sa.select(ClassEnrolment).where(
            ClassEnrolment.class_id == centre_class.id,
            ClassEnrolment.status == EnrolmentStatus.ENROLLED.value,
        )
    ).all()
    at = utcnow()
    for enrolment in pending:
        enrolment.status = EnrolmentStatus.NOT_COMPLETED.value
        enrolment.completed_at = at
    centre_class.status = ClassStatus.FINISHED.value
    db.session.flush()
    logger.info(
        "class %s finished by user %s: %d not completed", centre_class.id, by.id, len(pending)
    )
    return len(pending)


__all__ = [
    "AttendanceError",
    "RegisterLine",
    "Result",
    "ResultsSaved",
    "Taken",
    "finish_class",
    "register",
    "results_roster",
    "set_results",
    "take_attendance",
]
