"""Reads about administrative units, villages and households.

Aggregate on units (ids) or on (level, code) within one day's list, never on names: folded
names collide ("Văn Lang" and "Văn Lăng" are two communes of Thái Nguyên) and a code names
different units before and after 1 July 2025.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import Select, and_, case, func, or_, select
from sqlalchemy.orm import aliased, selectinload

from portal.extensions import db
from portal.places.models import (
    AdminUnit,
    AdminUnitSuccession,
    Household,
    HouseholdMember,
    Level,
    Village,
)
from portal.text import fold

VIETNAM_TIME = timezone(timedelta(hours=7), "ICT")  # no daylight saving


def today() -> date:
    """Today's date in Vietnam, which decides which units are in force."""
    return datetime.now(VIETNAM_TIME).date()


def in_force_on(day: date):  # type: ignore[no-untyped-def]
    """SQL condition: the unit is in force on ``day``."""
    return and_(
        or_(AdminUnit.valid_from.is_(None), AdminUnit.valid_from <= day),
        or_(AdminUnit.valid_to.is_(None), AdminUnit.valid_to > day),
    )


def units_in_force(
    day: date,
    *,
    level: str | None = None,
    kind: str | None = None,
    parent: AdminUnit | None = None,
    text: str = "",
) -> Select[tuple[AdminUnit]]:
    """Units in force on ``day``, by level then code; ``text`` matches names with or without
    accents (a code typed in full matches that code)."""
    query = select(AdminUnit).where(in_force_on(day))
    if level:
        query = query.where(AdminUnit.level == level)
    if kind:
        query = query.where(AdminUnit.kind == kind)
    if parent is not None:
        query = query.where(AdminUnit.parent_id == parent.id)
    text = text.strip()
    if text:
        if text.isdigit():
            query = query.where(AdminUnit.code == text)
        else:
            escaped = fold(text).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            query = query.where(AdminUnit.search_name.like(f"%{escaped}%", escape="\\"))
    order = case({"province": 0, "district": 1}, value=AdminUnit.level, else_=2)
    return query.order_by(order, AdminUnit.code)


def unit_by_code(level: str, code: str, day: date) -> AdminUnit | None:
    """The unit of ``level`` with ``code`` in force on ``day``."""
    return db.session.scalar(
        select(AdminUnit).where(AdminUnit.level == level, AdminUnit.code == code, in_force_on(day))
    )


def units_with_code(code: str) -> list[AdminUnit]:
    """Every unit that has carried ``code``, at any level, oldest first."""
    return list(
        db.session.scalars(
            select(AdminUnit)
            .where(AdminUnit.code == code)
            .order_by(AdminUnit.valid_from.is_not(None), AdminUnit.valid_from, AdminUnit.level)
        )
    )


def children(unit: AdminUnit, day: date | None = None) -> list[AdminUnit]:
    """The units directly under ``unit`` (in force on ``day`` when given), by code."""
    query = select(AdminUnit).where(AdminUnit.parent_id == unit.id).order_by(AdminUnit.code)
    if day is not None:
        query = query.where(in_force_on(day))
    return list(db.session.scalars(query))


def successors(unit: AdminUnit) -> list[AdminUnitSuccession]:
    """Where ``unit`` went: successions from it, with their new units, by new code."""
    new = aliased(AdminUnit)
    return list(
        db.session.scalars(
            select(AdminUnitSuccession)
            .join(new, AdminUnitSuccession.new_unit)
            .where(AdminUnitSuccession.old_unit_id == unit.id)
            .options(selectinload(AdminUnitSuccession.new_unit))
            .order_by(new.code)
        )
    )


def predecessors(unit: AdminUnit) -> list[AdminUnitSuccession]:
    """What ``unit`` was made of: successions into it, with their old units, by old code."""
    old = aliased(AdminUnit)
    return list(
        db.session.scalars(
            select(AdminUnitSuccession)
            .join(old, AdminUnitSuccession.old_unit)
            .where(AdminUnitSuccession.new_unit_id == unit.id)
            .options(selectinload(AdminUnitSuccession.old_unit))
            .order_by(old.level, old.code)
        )
    )


def units_now(unit: AdminUnit, day: date) -> list[AdminUnit]:
    """The units in force on ``day`` that cover ``unit``'s territory: the unit itself if in
    force, else its successors followed through every later change (for an old record that
    names a commune which no longer exists). Empty when the unit ended with no successor
    (a district: use its communes)."""
    found: dict[int, AdminUnit] = {}
    seen: set[int] = set()
    pending = [unit]
    while pending:
        current = pending.pop()
        if current.id in seen:
            continue
        seen.add(current.id)
        if current.in_force_on(day):
            found[current.id] = current
            continue
        if current.valid_from is not None and current.valid_from > day:
            continue
        pending.extend(s.new_unit for s in successors(current))
    return sorted(found.values(), key=lambda u: (u.level, u.code))


def counts_in_force(day: date) -> dict[tuple[str, str], int]:
    """How many units of each (level, kind) are in force on ``day``."""
    rows = db.session.execute(
        select(AdminUnit.level, AdminUnit.kind, func.count())
        .where(in_force_on(day))
        .group_by(AdminUnit.level, AdminUnit.kind)
    )
    return {(level, kind): n for level, kind, n in rows}


def villages_of(commune: AdminUnit, *, include_retired: bool = False) -> list[Village]:
    """The villages and residential groups of a commune, by name."""
    query = select(Village).where(Village.commune_id == commune.id).order_by(Village.name)
    if not include_retired:
        query = query.where(Village.retired_at.is_(None))
    return list(db.session.scalars(query))


def active_village_named(commune: AdminUnit, name: str) -> Village | None:
    """The active village of ``commune`` with exactly this name, case aside (accents count:
    "Văn Lang" and "Văn Lăng" are different places)."""
    wanted = name.casefold()
    return next((v for v in villages_of(commune) if v.name.casefold() == wanted), None)


def household_of_user(user_id: int) -> Household | None:
    """The household that has the user as a member, if any."""
    return db.session.scalar(
        select(Household).join(HouseholdMember).where(HouseholdMember.user_id == user_id)
    )


def households_of(village: Village) -> list[Household]:
    """The households of a village with their members, by name."""
    return list(
        db.session.scalars(
            select(Household)
            .where(Household.village_id == village.id)
            .options(selectinload(Household.members))
            .order_by(Household.name)
        )
    )


def is_commune_in_force(unit: AdminUnit, day: date) -> bool:
    return unit.level == Level.COMMUNE and unit.in_force_on(day)


def parent_of(unit: AdminUnit) -> AdminUnit | None:
    """The unit directly above ``unit`` (a commune's province since 1 July 2025, its district
    before)."""
    return unit.parent


def current_provinces(day: date | None = None) -> list[AdminUnit]:
    """Provinces and centrally-run cities in force today (or on ``day``), by code."""
    return list(db.session.scalars(units_in_force(day or today(), level=Level.PROVINCE)))


def current_communes(province_code: str, day: date | None = None) -> list[AdminUnit]:
    """Communes, wards and special zones in force today (or on ``day``) in the province with
    ``province_code``, by name."""
    day = day or today()
    province = unit_by_code(Level.PROVINCE, province_code, day)
    if province is None:
        return []
    return sorted(
        db.session.scalars(units_in_force(day, level=Level.COMMUNE, parent=province)),
        key=lambda unit: (fold(unit.name), unit.name),
    )


def current_commune(code: str, day: date | None = None) -> AdminUnit | None:
    """The commune in force today (or on ``day``) with ``code``."""
    return unit_by_code(Level.COMMUNE, code, day or today())


def household_memberships_of_user(user_id: int) -> list[dict[str, Any]]:
    """What the households the user belongs to record about them, for their data download."""
    members = db.session.scalars(
        select(HouseholdMember)
        .where(HouseholdMember.user_id == user_id)
        .options(selectinload(HouseholdMember.household).selectinload(Household.village))
        .order_by(HouseholdMember.id)
    )
    return [
        {
            "household": m.household.name,
            "village": m.household.village.name,
            "commune": {
                "code": m.household.village.commune.code,
                "name": m.household.village.commune.name,
            },
            "relation": m.relation,
            "full_name": m.full_name,
            "birth_year": m.birth_year,
            "gender": m.gender,
        }
        for m in members
    ]


def find_user(text: str) -> Any | None:
    """The account for a typed account number ("1234" or "#1234"; up to 7 digits), mobile
    number or e-mail address."""
    from portal.accounts.models import User
    from portal.accounts.queries import user_by_identifier

    text = text.strip()
    number = text.removeprefix("#")
    if number.isdigit() and len(number) <= 7:
        return db.session.get(User, int(number))
    return user_by_identifier(text)
