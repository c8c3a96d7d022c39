"""Verbs on people and enrolments shared by every way of enrolling (one by one, from a
spreadsheet): find or add a person, enrol (or waitlist when the class is full), withdraw (and
move the first waitlisted person up). They flush and never commit; the request commits.

Places are counted under a lock on the class row (``SELECT ... FOR UPDATE`` on PostgreSQL; on
SQLite, writing requests begin with ``BEGIN IMMEDIATE``), so two officers enrolling into the
last place at once cannot both get it.
"""

from __future__ import annotations

import logging
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from portal.accounts.identifiers import IdentifierError, normalise_phone
from portal.accounts.models import User
from portal.centres.models import (
    HOLDS_PLACE,
    Attendance,
    Centre,
    CentreClass,
    ClassEnrolment,
    ClassSession,
    ClassStatus,
    EnrolmentStatus,
    Person,
    Programme,
    ProgrammeType,
)
from portal.extensions import db
from portal.operation_errors import OperationError
from portal.text import fold, nfc

logger = logging.getLogger(__name__)

NAME_LIMIT = 200
REASON_LIMIT = 300
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")

MESSAGES = {
    "no_name": _l("Give the person's full name."),
    "bad_phone": _l("This is not a Vietnamese mobile number."),
    "bad_national_id": _l("A national ID number has 12 digits (or 9 on an old identity card)."),
    "national_id_taken": _l("Another person already has this national ID number."),
    "class_closed": _l("This class no longer takes enrolments."),
    "not_enrolled": _l("This person is not enrolled in the class."),
    "bad_code": _l(
        "A code has 2 to 32 lower-case letters, digits and hyphens, and is not a reserved word."
    ),
    "code_taken": _l("Another centre already has this code."),
    "no_commune": _l("There is no commune in force with this code."),
    "vocational_needs": _l(
        "A vocational short course needs its occupation and a qualifications-framework level "
        "(1 to 8)."
    ),
    "class_code_taken": _l("Another class of this centre already has this code."),
    "capacity_below_enrolled": _l("The capacity cannot be lower than the people enrolled."),
    "bad_dates": _l("The end date is before the start date."),
    "session_taken": _l("The class already has a session at this date and time."),
    "no_sessions_in_range": _l("No day between these dates falls on the chosen weekdays."),
    "too_many_sessions": _l("A series can add at most 200 sessions at once."),
    "session_has_attendance": _l(
        "Attendance was taken at this session: cancel it instead of removing it."
    ),
}


class CentreError(OperationError):
    """An operation on a centre's people or classes was refused; ``code`` keys MESSAGES."""

    @property
    def message(self) -> str:
        return str(MESSAGES[self.code])


def utcnow() -> datetime:
    return datetime.now(UTC)


def clean_name(raw: str | None) -> str:
    """A person's name: NFC, control characters removed, spaces collapsed; refused empty."""
    name = " ".join(_CONTROLS.sub(" ", nfc(raw or "")).split())[:NAME_LIMIT]
    if not name:
        raise CentreError("no_name")
    return name


def clean_phone(raw: str | None) -> str | None:
    """E.164 form of a Vietnamese mobile number, or None when none is given."""
    if raw is None or not str(raw).strip():
        return None
    try:
        return normalise_phone(str(raw))
    except IdentifierError:
        raise CentreError("bad_phone") from None


def clean_national_id(raw: str | None) -> str | None:
    """The digits of a citizen identity number (12) or an old identity card number (9)."""
    if raw is None or not str(raw).strip():
        return None
    digits = re.sub(r"[\s.\-]", "", str(raw))
    if not re.fullmatch(r"\d{12}|\d{9}", digits):
        raise CentreError("bad_national_id")
    return digits


@dataclass
class PersonDetails:
    """What is known of a person to find or add; fields already cleaned (see ``clean_*``)."""

    full_name: str
    phone: str | None = None
    national_id: str | None = None
    birth_date: date | None = None
    birth_year: int | None = None
    gender: str | None = None
    ethnicity_code: str | None = None
    disability: str | None = None
    occupation_group: str | None = None
    commune_id: int | None = None


def find_person(details: PersonDetails) -> Person | None:
    """The person these details name: the one with the national ID when it is given, else
    the one with the same phone number and the same name (folded: accents and case aside).
    A phone alone is not enough — families share one."""
    if details.national_id:
        found = db.session.scalar(select(Person).where(Person.national_id == details.national_id))
        if found is not None:
            return found
    if details.phone:
        return db.session.scalar(
            select(Person)
            .where(Person.phone == details.phone, Person.name_folded == fold(details.full_name))
            .order_by(Person.id)
            .limit(1)
        )
    return None


def account_for(details: PersonDetails) -> int | None:
    """The id of the portal account of this person: the user with this phone number and the
    same (folded) name, when there is one and it is not yet linked to another person."""
    if not details.phone:
        return None
    user = db.session.scalar(select(User).where(User.phone == details.phone))
    if user is None or fold(user.full_name) != fold(details.full_name):
        return None
    linked = db.session.scalar(select(Person.id).where(Person.user_id == user.id))
    return None if linked is not None else user.id


def add_person(details: PersonDetails, *, centre: Centre | None, by: User | None) -> Person:
    """Record a new person (linked to their account when one matches, see
    :func:`account_for`). Refuses a national ID another person has."""
    if details.national_id and db.session.scalar(
        select(Person.id).where(Person.national_id == details.national_id)
    ):
        raise CentreError("national_id_taken")
    person = Person(
        full_name=details.full_name,
        name_folded=fold(details.full_name)[:NAME_LIMIT],
        phone=details.phone,
        national_id=details.national_id,
        birth_date=details.birth_date,
        birth_year=details.birth_year or (details.birth_date.year if details.birth_date else None),
        gender=details.gender,
        ethnicity_code=details.ethnicity_code,
        disability=details.disability,
        occupation_group=details.occupation_group,
        commune_id=details.commune_id,
        user_id=account_for(details),
        created_by_id=by.id if by else None,
        centre_id=centre.id if centre else None,
    )
    db.session.add(person)
    db.session.flush()
    logger.info("person %s added by centre %s", person.id, centre.code if centre else None)
    return person


def link_account(user: User) -> Person | None:
    """Link ``user`` to the person a centre recorded before they had an account — same phone
    number, same (folded) name, not yet linked — and record their past attendance and
    completions as their learning records. Run when they sign in or up. The linked person,
    or None."""
    if not user.phone or db.session.scalar(select(Person.id).where(Person.user_id == user.id)):
        return None
    person = db.session.scalar(
        select(Person)
        .where(
            Person.phone == user.phone,
            Person.name_folded == fold(user.full_name)[:NAME_LIMIT],
            Person.user_id.is_(None),
        )
        .order_by(Person.id)
        .limit(1)
    )
    if person is None:
        return None
    from portal.centres import records  # records imports the models this module does

    person.user_id = user.id
    db.session.flush()
    recorded = records.backfill(person)
    logger.info("person %s linked to user %s, %s records made", person.id, user.id, recorded)
    return person


def person_for_user(user: User) -> Person:
    """The person record of a portal user: theirs, or the one a centre recorded for them
    (:func:`link_account`), or one made from their profile the first time."""
    person = db.session.scalar(select(Person).where(Person.user_id == user.id))
    if person is not None:
        return person
    person = link_account(user)
    if person is not None:
        return person
    person = Person(
        user_id=user.id,
        full_name=user.full_name,
        name_folded=fold(user.full_name)[:NAME_LIMIT],
        phone=user.phone,
        birth_year=user.birth_year,
        gender=user.gender,
        ethnicity_code=user.ethnicity_code,
        disability=user.disability,
        occupation_group=user.occupation_group,
        commune_id=user.home_commune_id,
    )
    db.session.add(person)
    db.session.flush()
    return person


def lock_class(centre_class: CentreClass) -> None:
    """Lock the class row until the transaction ends (PostgreSQL; a no-op on SQLite, whose
    writing transactions are serialised already)."""
    db.session.execute(
        select(CentreClass.id).where(CentreClass.id == centre_class.id).with_for_update()
    )


def places_taken(centre_class: CentreClass) -> int:
    return (
        db.session.scalar(
            select(func.count(ClassEnrolment.id)).where(
                ClassEnrolment.class_id == centre_class.id,
                ClassEnrolment.status.in_([str(s) for s in HOLDS_PLACE]),
            )
        )
        or 0
    )


def enrol(
    centre_class: CentreClass,
    person: Person,
    *,
    by: User | None,
    import_id: int | None = None,
) -> tuple[ClassEnrolment, bool]:
    """Enrol ``person`` in the class, or put them on its waitlist when it is full. Returns
    the enrolment and whether it is new; someone already enrolled, waitlisted or with a
    result is left as they are (enrolling twice adds nobody twice), someone who withdrew is
    enrolled again."""
    if centre_class.status != ClassStatus.OPEN:
        raise CentreError("class_closed")
    lock_class(centre_class)
    enrolment = db.session.scalar(
        select(ClassEnrolment).where(
            ClassEnrolment.class_id == centre_class.id, ClassEnrolment.person_id == person.id
        )
    )
    if enrolment is not None and enrolment.status != EnrolmentStatus.WITHDRAWN:
        return enrolment, False
    full = places_taken(centre_class) >= centre_class.capacity
    status = EnrolmentStatus.WAITLISTED if full else EnrolmentStatus.ENROLLED
    if enrolment is None:
        enrolment = ClassEnrolment(
            class_id=centre_class.id,
            person_id=person.id,
            registration=str(uuid.uuid4()),
            import_id=import_id,
        )
        db.session.add(enrolment)
    enrolment.status = status.value
    enrolment.enrolled_at = utcnow()
    enrolment.withdrawn_at = None
    enrolment.withdrawal_reason = None
    enrolment.enrolled_by_id = by.id if by else None
    db.session.flush()
    logger.info("person %s %s in class %s", person.id, status, centre_class.id)
    return enrolment, True


def withdraw(enrolment: ClassEnrolment, *, by: User | None, reason: str | None = None) -> None:
    """Withdraw an enrolled or waitlisted person; their place goes to the first person on
    the waitlist (by the time they were put on it)."""
    if enrolment.status not in (EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITLISTED):
        raise CentreError("not_enrolled")
    centre_class = enrolment.centre_class
    lock_class(centre_class)
    held_place = enrolment.status == EnrolmentStatus.ENROLLED
    enrolment.status = EnrolmentStatus.WITHDRAWN.value
    enrolment.withdrawn_at = utcnow()
    text = " ".join(_CONTROLS.sub(" ", nfc(reason or "")).split())[:REASON_LIMIT]
    enrolment.withdrawal_reason = text or None
    db.session.flush()
    logger.info("enrolment %s withdrawn by %s", enrolment.id, by.id if by else None)
    if held_place:
        promote(centre_class)


def promote(centre_class: CentreClass) -> list[ClassEnrolment]:
    """Move waitlisted people up, first come first served, while the class has places."""
    free = centre_class.capacity - places_taken(centre_class)
    if free <= 0 or centre_class.status != ClassStatus.OPEN:
        return []
    waiting = db.session.scalars(
        select(ClassEnrolment)
        .where(
            ClassEnrolment.class_id == centre_class.id,
            ClassEnrolment.status == EnrolmentStatus.WAITLISTED,
        )
        .order_by(ClassEnrolment.enrolled_at, ClassEnrolment.id)
        .limit(free)
    ).all()
    for enrolment in waiting:
        enrolment.status = EnrolmentStatus.ENROLLED.value
    db.session.flush()
    return list(waiting)


# Centres, programmes, classes and sessions ---------------------------------------------------

CODE_PATTERN = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])")
RESERVED_CODES = frozenset({"new", "manage", "classes", "teaching", "reports"})  # paths of /centres
MAX_SERIES = 200


def clean_code(raw: str | None) -> str:
    """A centre's code as it appears in URLs and role scopes: lower-case letters, digits and
    hyphens, 2 to 32 characters."""
    code = (raw or "").strip().lower()
    if not CODE_PATTERN.fullmatch(code) or code in RESERVED_CODES:
        raise CentreError("bad_code")
    return code


def _text(raw: str | None, limit: int) -> str | None:
    text = " ".join(_CONTROLS.sub(" ", nfc(raw or "")).split())[:limit]
    return text or None


def commune_id_of(commune_code: str) -> int:
    """The id of the commune in force with this statistics-office code."""
    from portal.places.queries import current_commune

    commune = current_commune((commune_code or "").strip())
    if commune is None:
        raise CentreError("no_commune")
    return commune.id


@dataclass
class CentreDetails:
    """A centre's profile as typed; the commune by its statistics-office code."""

    name: str
    kind: str
    commune_code: str
    address: str | None = None
    phone: str | None = None
    email: str | None = None
    website: str | None = None
    description: str | None = None
    is_active: bool = True


def _apply_centre(centre: Centre, details: CentreDetails) -> None:
    """Check every value, then set them (nothing is changed when one is refused)."""
    name = clean_name(details.name)
    commune_id = commune_id_of(details.commune_code)
    phone = clean_phone(details.phone)
    centre.name = name
    centre.kind = details.kind
    centre.commune_id = commune_id
    centre.address = _text(details.address, 300)
    centre.phone = phone
    centre.email = _text(details.email, 254)
    centre.website = _text(details.website, 300)
    centre.description = (details.description or "").strip() or None
    centre.is_active = details.is_active


def create_centre(code: str, details: CentreDetails, *, by: User | None) -> Centre:
    code = clean_code(code)
    if db.session.scalar(select(Centre.id).where(Centre.code == code)) is not None:
        raise CentreError("code_taken")
    centre = Centre(code=code, created_by_id=by.id if by else None)
    _apply_centre(centre, details)
    db.session.add(centre)
    db.session.flush()
    logger.info("centre %s created by %s", code, by.id if by else None)
    return centre


def update_centre(centre: Centre, details: CentreDetails, *, by: User | None) -> None:
    _apply_centre(centre, details)
    db.session.flush()
    logger.info("centre %s updated by %s", centre.code, by.id if by else None)


@dataclass
class ProgrammeDetails:
    type: str
    title: str
    occupation: str | None = None
    qf_level: int | None = None
    hours: Decimal | None = None
    description: str | None = None
    gives_certificate: bool = True


def _apply_programme(programme: Programme, details: ProgrammeDetails) -> None:
    """Check every value, then set them (nothing is changed when one is refused)."""
    title = clean_name(details.title)
    occupation = _text(details.occupation, 200)
    vocational = details.type == ProgrammeType.VOCATIONAL
    if vocational and (not occupation or details.qf_level not in range(1, 9)):
        raise CentreError("vocational_needs")
    programme.type = details.type
    programme.title = title
    programme.occupation = occupation if vocational else None
    programme.qf_level = details.qf_level if vocational else None
    programme.hours = details.hours
    programme.description = (details.description or "").strip() or None
    programme.gives_certificate = details.gives_certificate


def save_programme(
    centre: Centre,
    details: ProgrammeDetails,
    *,
    programme: Programme | None = None,
    by: User | None,
) -> Programme:
    """Create a programme of ``centre`` (or update ``programme``)."""
    if programme is None:
        programme = Programme(centre_id=centre.id)
        _apply_programme(programme, details)
        db.session.add(programme)
    else:
        _apply_programme(programme, details)
    db.session.flush()
    logger.info("programme %s of %s saved by %s", programme.id, centre.code, by.id if by else None)
    return programme


@dataclass
class ClassDetails:
    programme: Programme
    code: str
    title: str
    capacity: int
    language: str
    teacher_id: int | None = None
    teacher_name: str | None = None
    course_id: int | None = None
    place: str | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    status: str = ClassStatus.OPEN.value


def save_class(
    centre: Centre,
    details: ClassDetails,
    *,
    centre_class: CentreClass | None = None,
    by: User | None,
) -> CentreClass:
    """Create a class of ``centre`` (or update ``centre_class``). Raising the capacity moves
    waitlisted people up; it cannot go below the places already held."""
    code = _text(details.code, 32)
    if not code:
        raise CentreError("bad_code")
    title = clean_name(details.title)
    taken = select(CentreClass.id).where(
        CentreClass.centre_id == centre.id, CentreClass.code == code
    )
    if centre_class is not None:
        taken = taken.where(CentreClass.id != centre_class.id)
    if db.session.scalar(taken) is not None:
        raise CentreError("class_code_taken")
    if details.starts_on and details.ends_on and details.ends_on < details.starts_on:
        raise CentreError("bad_dates")
    if centre_class is None:
        centre_class = CentreClass(centre_id=centre.id, created_by_id=by.id if by else None)
    else:
        lock_class(centre_class)
        if details.capacity < places_taken(centre_class):
            raise CentreError("capacity_below_enrolled")
    centre_class.programme_id = details.programme.id
    centre_class.code = code
    centre_class.title = title
    centre_class.capacity = details.capacity
    centre_class.language = details.language
    centre_class.teacher_id = details.teacher_id
    centre_class.teacher_name = None if details.teacher_id else _text(details.teacher_name, 200)
    centre_class.course_id = details.course_id
    centre_class.place = _text(details.place, 300)
    centre_class.starts_on = details.starts_on
    centre_class.ends_on = details.ends_on
    centre_class.status = details.status
    db.session.add(centre_class)
    db.session.flush()
    promote(centre_class)
    logger.info("class %s of %s saved by %s", centre_class.id, centre.code, by.id if by else None)
    return centre_class


def add_session(
    centre_class: CentreClass,
    day: date,
    start_time: time,
    *,
    minutes: int,
    place: str | None = None,
    topic: str | None = None,
) -> ClassSession:
    """Add one session; refused when the class already meets at that day and time."""
    taken = db.session.scalar(
        select(ClassSession.id).where(
            ClassSession.class_id == centre_class.id,
            ClassSession.day == day,
            ClassSession.start_time == start_time,
        )
    )
    if taken is not None:
        raise CentreError("session_taken")
    session = ClassSession(
        class_id=centre_class.id,
        day=day,
        start_time=start_time,
        minutes=minutes,
        place=_text(place, 300),
        topic=_text(topic, 300),
    )
    db.session.add(session)
    db.session.flush()
    return session


def add_weekly_sessions(
    centre_class: CentreClass,
    first: date,
    last: date,
    weekdays: set[int],
    start_time: time,
    *,
    minutes: int,
    place: str | None = None,
) -> list[ClassSession]:
    """Add a session on each of ``weekdays`` (0 = Monday) from ``first`` to ``last``; days
    the class already meets at that time are skipped."""
    if last < first:
        raise CentreError("bad_dates")
    days = [
        first + timedelta(days=n)
        for n in range((last - first).days + 1)
        if (first + timedelta(days=n)).weekday() in weekdays
    ]
    if not days:
        raise CentreError("no_sessions_in_range")
    if len(days) > MAX_SERIES:
        raise CentreError("too_many_sessions")
    existing = set(
        db.session.scalars(
            select(ClassSession.day).where(
                ClassSession.class_id == centre_class.id,
                ClassSession.start_time == start_time,
                ClassSession.day.in_(days),
            )
        )
    )
    added = [
        ClassSession(
            class_id=centre_class.id,
            day=day,
            start_time=start_time,
            minutes=minutes,
            place=_text(place, 300),
        )
        for day in days
        if day not in existing
    ]
    db.session.add_all(added)
    db.session.flush()
    logger.info("%d sessions added to class %s", len(added), centre_class.id)
    return added


def set_session_cancelled(session: ClassSession, cancelled: bool, *, by: User) -> None:
    """Cancel or restore a session; the learning records of its attendance follow (a
    cancelled session's hours no longer count, see ``records.sync_session``)."""
    from portal.centres import records

    session.cancelled = cancelled
    db.session.flush()
    records.sync_session(session, by)


def remove_session(session: ClassSession) -> None:
    """Delete a session nobody's attendance was taken at."""
    taken = db.session.scalar(select(Attendance.id).where(Attendance.session_id == session.id))
    if taken is not None:
        raise CentreError("session_has_attendance")
    db.session.delete(session)
    db.session.flush()
