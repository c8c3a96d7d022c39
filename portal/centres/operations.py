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
from datetime import UTC, date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from portal.accounts.identifiers import IdentifierError, normalise_phone
from portal.accounts.models import User
from portal.centres.models import (
    HOLDS_PLACE,
    Centre,
    CentreClass,
    ClassEnrolment,
    ClassStatus,
    EnrolmentStatus,
    Person,
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


def person_for_user(user: User) -> Person:
    """The person record of a portal user, made from their profile the first time."""
    person = db.session.scalar(select(Person).where(Person.user_id == user.id))
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
