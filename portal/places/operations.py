"""Verbs that change places: loading the units from the data files, and villages and
households. They flush and log; the caller (request boundary or CLI) commits."""

from __future__ import annotations

import csv
import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from portal.extensions import db
from portal.operation_errors import OperationError
from portal.places.models import (
    AdminUnit,
    AdminUnitSuccession,
    Household,
    HouseholdMember,
    Level,
    Relation,
    UnitKind,
    Village,
    VillageKind,
    utcnow,
)
from portal.places.queries import active_village_named, household_of_user, today
from portal.text import fold, nfc

logger = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parent / "data"
LEVEL_ORDER = (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE)
GENDER_CODES = frozenset({"female", "male", "other"})  # portal.accounts.reference.GENDERS


class PlacesError(OperationError):
    """A places operation was refused; ``code`` says why (the view translates it)."""


class DataFileError(ValueError):
    """A data file is malformed or refers to a unit it does not hold."""


# --- Loading the data files ---------------------------------------------------------------------


@dataclass
class LoadResult:
    """What ``load_units`` did, for the CLI to print."""

    units: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    successions: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    in_force: dict[str, int] = field(default_factory=dict)


def _date(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


def read_units(path: Path) -> list[dict[str, Any]]:
    """Rows of ``units.csv`` with dates parsed and names in NFC."""
    rows = []
    with path.open(encoding="utf-8", newline="") as handle:
        for n, row in enumerate(csv.DictReader(handle), start=2):
            try:
                level = Level(row["level"])
                kind = UnitKind(row["kind"])
                valid_from, valid_to = _date(row["valid_from"]), _date(row["valid_to"])
            except (KeyError, ValueError) as exc:
                raise DataFileError(f"{path.name} line {n}: {exc}") from None
            if valid_from is None and valid_to is None:
                raise DataFileError(f"{path.name} line {n}: no valid_from nor valid_to")
            rows.append(
                {
                    "level": level.value,
                    "code": row["code"],
                    "kind": kind.value,
                    "name": nfc(row["name"].strip()),
                    "parent_level": row["parent_level"],
                    "parent_code": row["parent_code"],
                    "valid_from": valid_from,
                    "valid_to": valid_to,
                    "line": n,
                }
            )
    return rows


def read_successions(path: Path) -> list[dict[str, Any]]:
    """Rows of ``successions.csv`` with dates and flags parsed."""
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            {
                "effective_on": date.fromisoformat(row["effective_on"]),
                "old_level": row["old_level"],
                "old_code": row["old_code"],
                "new_level": row["new_level"],
                "new_code": row["new_code"],
                "is_partial": row["is_partial"] == "1",
                "line": n,
            }
            for n, row in enumerate(csv.DictReader(handle), start=2)
        ]


class _UnitIndex:
    """Units by (level, code), to find the one in force on a day without querying."""

    def __init__(self) -> None:
        self._by_code: dict[tuple[str, str], list[AdminUnit]] = defaultdict(list)

    def add(self, unit: AdminUnit) -> None:
        self._by_code[(unit.level, unit.code)].append(unit)

    def find(self, level: str, code: str, day: date) -> AdminUnit | None:
        matches = [u for u in self._by_code.get((level, code), ()) if u.in_force_on(day)]
        return matches[0] if len(matches) == 1 else None


def _first_day(row: dict[str, Any]) -> date:
    return row["valid_from"] or row["valid_to"] - timedelta(days=1)


def load_units(
    data_dir: Path = DATA_DIR, on_progress: Callable[[int], None] | None = None
) -> LoadResult:
    """Bring ``admin_units`` and ``admin_unit_successions`` in line with the data files:
    create what is missing, update what changed, leave what matches. Idempotent. Units in the
    database that the files no longer hold are counted and left alone (records may point at
    them); successions the files no longer hold are deleted."""
    unit_rows = read_units(data_dir / "units.csv")
    succession_rows = read_successions(data_dir / "successions.csv")
    result = LoadResult()
    progress = on_progress or (lambda n: None)

    existing = {(u.level, u.code, u.valid_from): u for u in db.session.scalars(select(AdminUnit))}
    index = _UnitIndex()
    seen: set[tuple[str, str, date | None]] = set()
    for level in LEVEL_ORDER:
        for row in (r for r in unit_rows if r["level"] == level):
            key = (row["level"], row["code"], row["valid_from"])
            if key in seen:
                raise DataFileError(f"units.csv line {row['line']}: {key} repeated")
            seen.add(key)
            parent = None
            if row["parent_level"]:
                parent = index.find(row["parent_level"], row["parent_code"], _first_day(row))
                if parent is None:
                    raise DataFileError(
                        f"units.csv line {row['line']}: no {row['parent_level']}"
                        f" {row['parent_code']} in force then"
                    )
            unit = existing.get(key)
            outcome = "unchanged"
            if unit is None:
                unit = AdminUnit(level=row["level"], code=row["code"], valid_from=row["valid_from"])
                db.session.add(unit)
                outcome = "created"
            changes = {
                "kind": row["kind"],
                "name": row["name"],
                "search_name": fold(row["name"]),
                "valid_to": row["valid_to"],
            }
            for attr, value in changes.items():
                if getattr(unit, attr) != value:
                    setattr(unit, attr, value)
                    outcome = "created" if outcome == "created" else "updated"
            if unit.parent is not parent:
                unit.parent = parent
                outcome = "created" if outcome == "created" else "updated"
            result.units[outcome] += 1
            index.add(unit)
            progress(1)
        db.session.flush()
    result.units["not in data"] = len(set(existing) - seen)
    if result.units["not in data"]:
        logger.warning(
            "%d administrative units are no longer in the data files", result.units["not in data"]
        )

    current = {
        (s.old_unit_id, s.new_unit_id): s for s in db.session.scalars(select(AdminUnitSuccession))
    }
    wanted: set[tuple[int, int]] = set()
    for row in succession_rows:
        old = index.find(row["old_level"], row["old_code"], row["effective_on"] - timedelta(days=1))
        new = index.find(row["new_level"], row["new_code"], row["effective_on"])
        if old is None or new is None:
            raise DataFileError(f"successions.csv line {row['line']}: unit not found")
        wanted.add((old.id, new.id))
        succession = current.get((old.id, new.id))
        if succession is None:
            db.session.add(
                AdminUnitSuccession(
                    old_unit_id=old.id,
                    new_unit_id=new.id,
                    effective_on=row["effective_on"],
                    is_partial=row["is_partial"],
                )
            )
            result.successions["created"] += 1
        elif (succession.effective_on, succession.is_partial) != (
            row["effective_on"],
            row["is_partial"],
        ):
            succession.effective_on, succession.is_partial = row["effective_on"], row["is_partial"]
            result.successions["updated"] += 1
        else:
            result.successions["unchanged"] += 1
        progress(1)
    for key in set(current) - wanted:
        db.session.delete(current[key])
        result.successions["deleted"] += 1
    db.session.flush()
    logger.info(
        "places loaded: units %s, successions %s", dict(result.units), dict(result.successions)
    )
    return result


def load_size(data_dir: Path = DATA_DIR) -> int:
    """How many rows ``load_units`` will go through, for a progress bar."""
    total = 0
    for name in ("units.csv", "successions.csv"):
        with (data_dir / name).open(encoding="utf-8") as handle:
            total += sum(1 for _ in handle) - 1
    return total


# --- Villages and households --------------------------------------------------------------------


def _clean_name(name: str) -> str:
    name = " ".join(nfc(name or "").split())
    if not name:
        raise PlacesError("name_required")
    return name


def _actor(user: Any) -> int | None:
    return getattr(user, "id", None)


def create_village(
    commune: AdminUnit,
    *,
    name: str,
    kind: str = VillageKind.THON,
    created_by: Any = None,
    on: date | None = None,
) -> Village:
    """Add a village or residential group to a commune in force (today unless ``on``)."""
    if commune.level != Level.COMMUNE:
        raise PlacesError("not_a_commune")
    if not commune.in_force_on(on or today()):
        raise PlacesError("unit_not_in_force")
    if kind not in set(VillageKind):
        raise PlacesError("invalid_kind")
    name = _clean_name(name)
    if active_village_named(commune, name):
        raise PlacesError("village_exists")
    village = Village(
        commune_id=commune.id,
        commune=commune,
        name=name,
        kind=str(kind),
        created_by_id=_actor(created_by),
    )
    db.session.add(village)
    db.session.flush()
    logger.info(
        "village %s %r created in commune %s by user %s",
        village.id,
        name,
        commune.code,
        _actor(created_by),
    )
    return village


def rename_village(
    village: Village, *, name: str, kind: str | None = None, renamed_by: Any = None
) -> None:
    """Give an active village a new name (and kind, when given)."""
    if not village.is_active:
        raise PlacesError("village_retired")
    name = _clean_name(name)
    other = active_village_named(village.commune, name)
    if other is not None and other.id != village.id:
        raise PlacesError("village_exists")
    if kind is not None and kind not in set(VillageKind):
        raise PlacesError("invalid_kind")
    old_name = village.name
    village.name = name
    if kind is not None:
        village.kind = str(kind)
    db.session.flush()
    logger.info(
        "village %s renamed from %r to %r by user %s",
        village.id,
        old_name,
        name,
        _actor(renamed_by),
    )


def retire_village(village: Village, *, retired_by: Any = None, at: datetime | None = None) -> None:
    """Mark a village as no longer existing; it stays for the records that name it."""
    if not village.is_active:
        return
    village.retired_at = at or utcnow()
    db.session.flush()
    logger.info("village %s retired by user %s", village.id, _actor(retired_by))


def create_household(village: Village, *, name: str, created_by: Any = None) -> Household:
    """Add a household to an active village."""
    if not village.is_active:
        raise PlacesError("village_retired")
    household = Household(
        village_id=village.id,
        village=village,
        name=_clean_name(name),
        created_by_id=_actor(created_by),
    )
    db.session.add(household)
    db.session.flush()
    logger.info(
        "household %s created in village %s by user %s",
        household.id,
        village.id,
        _actor(created_by),
    )
    return household


def add_member(
    household: Household,
    *,
    relation: str = Relation.OTHER,
    user: Any = None,
    full_name: str | None = None,
    birth_year: int | None = None,
    gender: str | None = None,
    added_by: Any = None,
) -> HouseholdMember:
    """Add a person to a household: an account holder (``user``; name, birth year and gender
    default to the account's) or a person without an account (``full_name`` required)."""
    if relation not in set(Relation):
        raise PlacesError("invalid_relation")
    if relation == Relation.HEAD and any(m.relation == Relation.HEAD for m in household.members):
        raise PlacesError("head_exists")
    if user is not None:
        if household_of_user(user.id) is not None:
            raise PlacesError("user_in_household")
        full_name = full_name or user.full_name
        birth_year = birth_year if birth_year is not None else user.birth_year
        gender = gender or user.gender
    full_name = _clean_name(full_name or "")
    if birth_year is not None and not 1900 <= birth_year <= today().year:
        raise PlacesError("invalid_birth_year")
    if gender is not None and gender not in GENDER_CODES:
        raise PlacesError("invalid_gender")
    member = HouseholdMember(
        household=household,
        user_id=_actor(user),
        full_name=full_name,
        birth_year=birth_year,
        gender=gender,
        relation=str(relation),
    )
    db.session.add(member)
    db.session.flush()
    logger.info(
        "member %s (user %s) added to household %s by user %s",
        member.id,
        _actor(user),
        household.id,
        _actor(added_by),
    )
    return member


def remove_member(member: HouseholdMember, *, removed_by: Any = None) -> None:
    """Take a person out of a household."""
    household_id = member.household_id
    member.household.members.remove(member)
    db.session.flush()
    logger.info(
        "member %s removed from household %s by user %s",
        member.id,
        household_id,
        _actor(removed_by),
    )
