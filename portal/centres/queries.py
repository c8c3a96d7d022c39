"""Reads of the centres' pages: the public directory and profiles, a centre's classes with
their counts, a class's roster, and finding people to enrol."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import aliased, selectinload

from portal.accounts.models import Role, RoleAssignment, ScopeKind, User
from portal.centres.models import (
    HOLDS_PLACE,
    Centre,
    CentreClass,
    ClassEnrolment,
    ClassStatus,
    EnrolmentStatus,
    Person,
    Programme,
)
from portal.extensions import db
from portal.places.models import AdminUnit
from portal.text import fold

SEARCH_LIMIT = 30


def directory(
    *, province_code: str | None = None, commune_code: str | None = None, kind: str | None = None
) -> Select[tuple[Centre]]:
    """Active centres, by name, within a province and/or commune (by code) and of a kind."""
    query = (
        select(Centre)
        .where(Centre.is_active.is_(True))
        .options(selectinload(Centre.commune))
        .order_by(Centre.name, Centre.id)
    )
    if commune_code:
        communes = select(AdminUnit.id).where(
            AdminUnit.level == "commune", AdminUnit.code == commune_code
        )
        query = query.where(Centre.commune_id.in_(communes))
    if province_code:
        province = aliased(AdminUnit)
        communes = (
            select(AdminUnit.id)
            .join(province, AdminUnit.parent_id == province.id)
            .where(province.level == "province", province.code == province_code)
        )
        query = query.where(Centre.commune_id.in_(communes))
    if kind:
        query = query.where(Centre.kind == kind)
    return query


def active_centre(code: str) -> Centre | None:
    return db.session.scalar(select(Centre).where(Centre.code == code, Centre.is_active.is_(True)))


def counts(class_ids: list[int]) -> dict[int, dict[str, int]]:
    """For each class: how many people are in each enrolment status."""
    result: dict[int, dict[str, int]] = {class_id: {} for class_id in class_ids}
    if not class_ids:
        return result
    rows = db.session.execute(
        select(ClassEnrolment.class_id, ClassEnrolment.status, func.count(ClassEnrolment.id))
        .where(ClassEnrolment.class_id.in_(class_ids))
        .group_by(ClassEnrolment.class_id, ClassEnrolment.status)
    )
    for class_id, status, number in rows:
        result[class_id][status] = number
    return result


def held(numbers: dict[str, int]) -> int:
    """Places held, from a class's counts."""
    return sum(numbers.get(str(status), 0) for status in HOLDS_PLACE)


def classes_of(centre: Centre, *, open_only: bool = False) -> list[CentreClass]:
    query = (
        select(CentreClass)
        .where(CentreClass.centre_id == centre.id)
        .options(selectinload(CentreClass.programme))
        .order_by(CentreClass.starts_on.desc().nulls_last(), CentreClass.code)
    )
    if open_only:
        query = query.where(CentreClass.status == ClassStatus.OPEN)
    return list(db.session.scalars(query))


def programmes_of(centre: Centre) -> list[Programme]:
    return list(
        db.session.scalars(
            select(Programme).where(Programme.centre_id == centre.id).order_by(Programme.title)
        )
    )


def staff_of(centre: Centre) -> list[RoleAssignment]:
    """The staff roles held in ``centre``, with their users, by name."""
    return list(
        db.session.scalars(
            select(RoleAssignment)
            .join(User, RoleAssignment.user_id == User.id)
            .where(
                RoleAssignment.role == Role.STAFF,
                RoleAssignment.scope_kind == ScopeKind.CENTRE,
                RoleAssignment.scope_code == centre.code,
            )
            .order_by(User.full_name, User.id)
        )
    )


@dataclass
class Roster:
    enrolled: list[ClassEnrolment] = field(default_factory=list)  # holding a place
    waitlisted: list[ClassEnrolment] = field(default_factory=list)  # in order: first moves up
    withdrawn: list[ClassEnrolment] = field(default_factory=list)


def roster(centre_class: CentreClass) -> Roster:
    rows = db.session.scalars(
        select(ClassEnrolment)
        .where(ClassEnrolment.class_id == centre_class.id)
        .options(selectinload(ClassEnrolment.person))
        .order_by(ClassEnrolment.enrolled_at, ClassEnrolment.id)
    )
    result = Roster()
    for row in rows:
        if row.status == EnrolmentStatus.WAITLISTED:
            result.waitlisted.append(row)
        elif row.status == EnrolmentStatus.WITHDRAWN:
            result.withdrawn.append(row)
        else:
            result.enrolled.append(row)
    result.enrolled.sort(key=lambda row: (fold(row.person.full_name), row.id))
    return result


def enrolment_of(centre_class: CentreClass, person: Person) -> ClassEnrolment | None:
    return db.session.scalar(
        select(ClassEnrolment).where(
            ClassEnrolment.class_id == centre_class.id, ClassEnrolment.person_id == person.id
        )
    )


def person_of_user(user: Any) -> Person | None:
    if not user.is_authenticated:
        return None
    return db.session.scalar(select(Person).where(Person.user_id == user.id))


@dataclass
class Found:
    people: list[Person]
    users: list[User]  # accounts with the phone number typed that have no person record yet


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search_people(centre: Centre, text: str, phone: str | None) -> Found:
    """People to enrol in ``centre``'s classes: by national ID (9 or 12 digits), by phone
    (``phone``, already normalised) or by name, accents and case aside. Names and phones are
    searched among the people the centre recorded or enrolled; accounts by exact phone."""
    text = text.strip()
    digits = re.sub(r"[\s.\-]", "", text)
    if re.fullmatch(r"\d{12}|\d{9}", digits):
        people = list(db.session.scalars(select(Person).where(Person.national_id == digits)))
        return Found(people, [])
    enrolled_here = (
        select(ClassEnrolment.person_id)
        .join(CentreClass, ClassEnrolment.class_id == CentreClass.id)
        .where(CentreClass.centre_id == centre.id)
    )
    known = or_(Person.centre_id == centre.id, Person.id.in_(enrolled_here))
    if phone:
        people = list(
            db.session.scalars(
                select(Person)
                .where(Person.phone == phone, known)
                .order_by(Person.name_folded, Person.id)
                .limit(SEARCH_LIMIT)
            )
        )
        linked = select(Person.user_id).where(Person.user_id.is_not(None))
        by_account = list(
            db.session.scalars(
                select(Person).where(Person.user_id.in_(select(User.id).where(User.phone == phone)))
            )
        )
        people += [p for p in by_account if p not in people]
        users = list(
            db.session.scalars(select(User).where(User.phone == phone, User.id.not_in(linked)))
        )
        return Found(people, users)
    words = fold(text).split()
    if not words:
        return Found([], [])
    query = select(Person).where(known)
    for word in words:
        query = query.where(Person.name_folded.like(f"%{_escape(word)}%", escape="\\"))
    people = list(
        db.session.scalars(query.order_by(Person.name_folded, Person.id).limit(SEARCH_LIMIT))
    )
    return Found(people, [])


def course_choices() -> list[tuple[Any, str]]:
    """Published courses a class may be blended with, with their titles in the visitor's
    language, by title."""
    from courses.courseware.models import Course, CourseStatus
    from courses.courseware.queries import title_of
    from portal.i18n import current_language

    chain = current_language().chain
    courses = db.session.scalars(
        select(Course)
        .where(Course.status == CourseStatus.PUBLISHED)
        .options(selectinload(Course.translations))
    )
    rows = [(c, title_of(c, chain, c.original_language) or f"#{c.id}") for c in courses]
    return sorted(rows, key=lambda row: (fold(row[1]), row[0].id))
