"""The summary tables kept current and rebuilt.

Every flush of the ORM session that adds, changes or deletes an assessment (or a household,
village, clan, organisation or user that a denominator counts) applies the difference to
``report_tallies`` and ``report_denominators`` in the same transaction, as upserts that add
to the counts (``INSERT … ON CONFLICT DO UPDATE``, on SQLite and PostgreSQL). Before the
flush, what changed and deleted rows counted is read from the database and taken off (so a
change to an expired object counts as well as one to a loaded one); after it, what new and
changed rows count is added (their foreign keys are set by then, even when the change was
made through a relationship). Assessments removed by ``ON DELETE CASCADE`` with their user,
household member, household, clan or organisation are taken off too. Bulk
``UPDATE``/``DELETE`` statements and raw SQL bypass the session and need
``flask reports rebuild``, which recomputes both tables with ``INSERT … SELECT … GROUP BY``."""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.places.models import AdminUnit, Household, HouseholdMember, Village
from portal.recognition.models import ASSESSED, Assessment, Clan, Organisation, Status
from portal.reports.models import Denominator, Tally
from portal.reports.targets import CITIZEN_GROUPS

logger = logging.getLogger(__name__)

__all__ = ["AGE_GROUPS", "DIMENSIONS", "age_group", "listen", "rebuild"]

# Citizens' groups: dimension → the assessment column it comes from.
DIMENSIONS = {
    "gender": "gender",
    "ethnicity": "ethnicity_code",
    "age_group": "birth_year",
    "disability": "disability",
    "occupation": "occupation_group",
}
# (key, first age, last age): age is the report year minus the year of birth.
AGE_GROUPS = (
    ("under_15", None, 14),
    ("15_24", 15, 24),
    ("25_34", 25, 34),
    ("35_44", 35, 44),
    ("45_59", 45, 59),
    ("60_plus", 60, None),
)
UNKNOWN = "unknown"
ASSESSED_VALUES = tuple(s.value for s in ASSESSED)
_FIELDS = (
    "year", "model", "status", "commune_code", "province_code", "village_id",
    "gender", "ethnicity_code", "birth_year", "disability", "occupation_group",
)  # fmt: skip
_TALLY_KEY = ("year", "model", "commune_code", "village_id", "dimension", "value")
# Assessments go when one of these is deleted (ON DELETE CASCADE).
_CASCADES = {User: "user_id", HouseholdMember: "member_id", Household: "household_id",
             Clan: "clan_id", Organisation: "organisation_id"}  # fmt: skip
_WORKER_MEASURE = {group: measure for measure, groups in CITIZEN_GROUPS.items()
                   for group in groups}  # fmt: skip


def age_group(year: int, birth_year: int | None) -> str:
    """The age group key of someone born in ``birth_year``, in ``year``."""
    if birth_year is None:
        return UNKNOWN
    age = year - birth_year
    for key, first, last in AGE_GROUPS:
        if (first is None or age >= first) and (last is None or age <= last):
            return key
    return UNKNOWN


def _counts(status: str | None) -> tuple[int, int, int]:
    status = status or Status.REGISTERED.value
    return (
        int(status != Status.WITHDRAWN),
        int(status in ASSESSED_VALUES),
        int(status == Status.RECOGNISED),
    )


def _contributions(row: Mapping[str, Any]) -> Iterable[tuple[tuple[Any, ...], str]]:
    """The tally keys (year, model, commune, village, dimension, value) one assessment
    counts in, each with its province code."""
    base = (row["year"], row["model"], row["commune_code"])
    yield (*base, row["village_id"] or 0, "all", ""), row["province_code"]
    if row["model"] != "citizen":
        return
    for dimension, column in DIMENSIONS.items():
        if dimension == "age_group":
            value = age_group(row["year"], row["birth_year"])
        else:
            value = row[column] or UNKNOWN
        yield (*base, 0, dimension, value), row["province_code"]


class _Deltas:
    """Differences to apply: tally key → [registered, assessed, recognised]; denominator
    key (commune_code, measure) → count; and each key's province code."""

    def __init__(self) -> None:
        self.tallies: dict[tuple[Any, ...], list[int]] = defaultdict(lambda: [0, 0, 0])
        self.denominators: Counter[tuple[str, str]] = Counter()
        self.provinces: dict[tuple[Any, ...], str] = {}

    def assessment(self, row: Mapping[str, Any], sign: int) -> None:
        counts = _counts(row["status"])
        for key, province in _contributions(row):
            delta = self.tallies[key]
            for i in range(3):
                delta[i] += sign * counts[i]
            self.provinces.setdefault(key, province)

    def denominator(self, commune: tuple[str, str] | None, measure: str, sign: int) -> None:
        if commune is None:
            return
        key = (commune[0], measure)
        self.denominators[key] += sign
        self.provinces.setdefault(key, commune[1])


def _history_changed(obj: Any, names: Iterable[str]) -> bool:
    state = sa.inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in names)


def _old_rows(conn: Connection, table: sa.Table, columns: Iterable[str], ids: list[int]):
    if not ids:
        return {}
    cols = [table.c[name] for name in columns]
    result = conn.execute(sa.select(table.c.id, *cols).where(table.c.id.in_(ids)))
    return {row.id: row._mapping for row in result}


def _now(obj: Any, names: Iterable[str]) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in names}


def _commune_codes(conn: Connection, unit_ids: set[int]) -> dict[int, tuple[str, str]]:
    """Admin unit id of a commune → (its code, its province's code)."""
    if not unit_ids:
        return {}
    units = AdminUnit.__table__
    commune, parent, grand = units.alias("c"), units.alias("p"), units.alias("g")
    province = sa.case((parent.c.level == "province", parent.c.code), else_=grand.c.code)
    query = (
        sa.select(commune.c.id, commune.c.code, province)
        .select_from(
            commune.outerjoin(parent, commune.c.parent_id == parent.c.id).outerjoin(
                grand, parent.c.parent_id == grand.c.id
            )
        )
        .where(commune.c.id.in_(unit_ids))
    )
    return {row[0]: (row[1], row[2] or "") for row in conn.execute(query)}


def _village_communes(conn: Connection, village_ids: set[int]) -> dict[int, int]:
    if not village_ids:
        return {}
    villages = Village.__table__
    query = sa.select(villages.c.id, villages.c.commune_id).where(villages.c.id.in_(village_ids))
    return dict(conn.execute(query).all())


# What each denominator source counts: class → (columns, function(row) → list of
# ("unit" | "village", id, measure)).
def _household_places(row: Mapping[str, Any]) -> list[tuple[str, int, str]]:
    return [("village", row["village_id"], "households")] if row["village_id"] else []


def _village_places(row: Mapping[str, Any]) -> list[tuple[str, int, str]]:
    return [] if row["retired_at"] is not None else [("unit", row["commune_id"], "villages")]


def _clan_places(row: Mapping[str, Any]) -> list[tuple[str, int, str]]:
    return [("unit", row["commune_id"], "clans")]


def _organisation_places(row: Mapping[str, Any]) -> list[tuple[str, int, str]]:
    return [("unit", row["commune_id"], "organisations")]


def _user_places(row: Mapping[str, Any]) -> list[tuple[str, int, str]]:
    measure = _WORKER_MEASURE.get(row["occupation_group"] or "")
    if measure is None or row["home_commune_id"] is None:
        return []
    return [("unit", row["home_commune_id"], measure)]


_SOURCES = {
    Household: (("village_id",), _household_places),
    Village: (("commune_id", "retired_at"), _village_places),
    Clan: (("commune_id",), _clan_places),
    Organisation: (("commune_id",), _organisation_places),
    User: (("home_commune_id", "occupation_group"), _user_places),
}


# Relationships whose change moves a row without its foreign key changing before the flush.
_RELATIONSHIPS = {
    Assessment: ("village", "user", "member", "household", "clan", "organisation"),
    Household: ("village",),
    Village: ("commune",),
    Clan: ("commune",),
    Organisation: ("commune",),
    User: ("home_commune",),
}


def _columns(cls: type) -> tuple[str, ...]:
    return _FIELDS if cls is Assessment else _SOURCES[cls][0]


def _changed(obj: Any) -> bool:
    cls = type(obj)
    return _history_changed(obj, _columns(cls) + _RELATIONSHIPS[cls])


def _watched(objects: Iterable[Any]) -> list[Any]:
    return [o for o in objects if type(o) in _RELATIONSHIPS]


def _take_off(session: Session, conn: Connection, deltas: _Deltas) -> list[Any]:
    """Before the flush: subtract what changed and deleted rows counted (their values as
    stored), including assessments the database will delete by cascade; return the new and
    changed objects, to be added after the flush, when their foreign keys are set."""
    dirty = [o for o in _watched(session.dirty) if _changed(o)]
    gone = _watched(session.deleted)
    places: list[tuple[str, int, str, int]] = []
    for cls in _RELATIONSHIPS:
        ids = [o.id for o in dirty + gone if type(o) is cls and o.id]
        old = _old_rows(conn, cls.__table__, _columns(cls), ids)
        for row in old.values():
            if cls is Assessment:
                deltas.assessment(row, -1)
            else:
                places += [(*p, -1) for p in _SOURCES[cls][1](row)]
    gone_ids = [o.id for o in gone if type(o) is Assessment and o.id]
    table = Assessment.__table__
    for cls, column in _CASCADES.items():
        ids = [o.id for o in session.deleted if type(o) is cls and o.id]
        if not ids:
            continue
        query = sa.select(*[table.c[name] for name in _FIELDS]).where(table.c[column].in_(ids))
        if gone_ids:
            query = query.where(table.c.id.not_in(gone_ids))
        for row in conn.execute(query):
            deltas.assessment(row._mapping, -1)
    _resolve(conn, places, deltas)
    return _watched(session.new) + dirty


def _add_on(conn: Connection, objects: list[Any], deltas: _Deltas) -> None:
    """After the flush: add what new and changed rows count now."""
    places: list[tuple[str, int, str, int]] = []
    for obj in objects:
        cls = type(obj)
        values = _now(obj, _columns(cls))
        if cls is Assessment:
            deltas.assessment(values, 1)
        else:
            places += [(*p, 1) for p in _SOURCES[cls][1](values)]
    _resolve(conn, places, deltas)


def _resolve(conn: Connection, places: list[tuple[str, int, str, int]], deltas: _Deltas) -> None:
    """Turn (village or unit id, measure, sign) into denominator deltas by commune code."""
    if not places:
        return
    village_units = _village_communes(conn, {i for kind, i, _, _ in places if kind == "village"})
    unit_ids = {i for kind, i, _, _ in places if kind == "unit"} | set(village_units.values())
    codes = _commune_codes(conn, unit_ids)
    for kind, place_id, measure, sign in places:
        unit_id = village_units.get(place_id) if kind == "village" else place_id
        deltas.denominator(codes.get(unit_id) if unit_id else None, measure, sign)


def _insert(conn: Connection, table: sa.Table) -> Any:
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(table)


def _upsert(conn: Connection, table: sa.Table, rows: list[dict[str, Any]], sums: tuple[str, ...]):
    keys = [c.name for c in table.primary_key.columns]
    for start in range(0, len(rows), 500):
        stmt = _insert(conn, table).values(rows[start : start + 500])
        stmt = stmt.on_conflict_do_update(
            index_elements=keys, set_={name: table.c[name] + stmt.excluded[name] for name in sums}
        )
        conn.execute(stmt)


def apply(conn: Connection, deltas: _Deltas) -> None:
    """Add ``deltas`` to the summary tables and drop the rows that fall to zero."""
    tallies = Tally.__table__
    rows = [
        dict(zip(_TALLY_KEY, key, strict=True))
        | {
            "province_code": deltas.provinces[key],
            "registered": d[0],
            "assessed": d[1],
            "recognised": d[2],
        }
        for key, d in deltas.tallies.items()
        if any(d)
    ]
    if rows:
        _upsert(conn, tallies, rows, ("registered", "assessed", "recognised"))
        communes = {(r["year"], r["commune_code"]) for r in rows}
        conn.execute(
            tallies.delete().where(
                tallies.c.registered <= 0,
                sa.tuple_(tallies.c.year, tallies.c.commune_code).in_(sorted(communes)),
            )
        )
    denominators = Denominator.__table__
    rows = [
        {
            "commune_code": key[0],
            "measure": key[1],
            "province_code": deltas.provinces[key],
            "count": count,
        }
        for key, count in deltas.denominators.items()
        if count
    ]
    if rows:
        _upsert(conn, denominators, rows, ("count",))
        codes = sorted({r["commune_code"] for r in rows})
        conn.execute(
            denominators.delete().where(
                denominators.c.count <= 0, denominators.c.commune_code.in_(codes)
            )
        )


_PENDING = "portal.reports.pending"


def _before_flush(session: Session, flush_context: Any, instances: Any) -> None:
    if not any(type(o) in _RELATIONSHIPS for o in (*session.new, *session.dirty, *session.deleted)):
        return
    deltas = _Deltas()
    objects = _take_off(session, session.connection(), deltas)
    session.info[_PENDING] = (deltas, objects)


def _after_flush(session: Session, flush_context: Any) -> None:
    pending = session.info.pop(_PENDING, None)
    if pending is None:
        return
    deltas, objects = pending
    conn = session.connection()
    _add_on(conn, objects, deltas)
    if deltas.tallies or deltas.denominators:
        apply(conn, deltas)


def listen() -> None:
    """Keep the summary tables current on every ORM flush (idempotent)."""
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)
        event.listen(Session, "after_flush", _after_flush)


# --- Rebuild ---------------------------------------------------------------------------


def _age_expression(a: sa.Table) -> sa.ColumnElement[str]:
    age = a.c.year - a.c.birth_year
    whens: list[Any] = [(a.c.birth_year.is_(None), UNKNOWN)]
    for key, first, last in AGE_GROUPS:
        if first is None:
            whens.append((age <= last, key))
        elif last is None:
            whens.append((age >= first, key))
        else:
            whens.append((age.between(first, last), key))
    return sa.case(*whens, else_=UNKNOWN)


def _tally_selects() -> list[sa.Select[Any]]:
    a = Assessment.__table__
    registered = sa.func.sum(sa.case((a.c.status != Status.WITHDRAWN.value, 1), else_=0))
    assessed = sa.func.sum(sa.case((a.c.status.in_(ASSESSED_VALUES), 1), else_=0))
    recognised = sa.func.sum(sa.case((a.c.status == Status.RECOGNISED.value, 1), else_=0))
    sums = (sa.func.max(a.c.province_code), registered, assessed, recognised)
    village = sa.func.coalesce(a.c.village_id, 0)
    selects = [
        sa.select(
            a.c.year, a.c.model, a.c.commune_code, village, sa.literal("all"), sa.literal(""), *sums
        )
        .group_by(a.c.year, a.c.model, a.c.commune_code, village)
        .having(registered > 0)
    ]
    for dimension, column in DIMENSIONS.items():
        if dimension == "age_group":
            value: Any = _age_expression(a)
        else:
            value = sa.func.coalesce(a.c[column], UNKNOWN)
        selects.append(
            sa.select(
                a.c.year,
                a.c.model,
                a.c.commune_code,
                sa.literal(0),
                sa.literal(dimension),
                value,
                *sums,
            )
            .where(a.c.model == "citizen")
            .group_by(a.c.year, a.c.model, a.c.commune_code, value)
            .having(registered > 0)
        )
    return selects


def _denominator_selects() -> list[sa.Select[Any]]:
    units = AdminUnit.__table__
    commune, parent, grand = units.alias("c"), units.alias("p"), units.alias("g")
    province = sa.func.max(
        sa.case((parent.c.level == "province", parent.c.code), else_=grand.c.code)
    )

    def under(source: Any, unit_column: Any, measure: Any, *where: Any) -> sa.Select[Any]:
        joined = source.join(commune, unit_column == commune.c.id)
        joined = joined.outerjoin(parent, commune.c.parent_id == parent.c.id).outerjoin(
            grand, parent.c.parent_id == grand.c.id
        )
        return (
            sa.select(commune.c.code, measure, sa.func.coalesce(province, ""), sa.func.count())
            .select_from(joined)
            .where(*where)
            .group_by(commune.c.code, measure)
        )

    h, v = Household.__table__, Village.__table__
    u = User.__table__
    worker = sa.case(
        *[(u.c.occupation_group == group, measure) for group, measure in _WORKER_MEASURE.items()]
    )
    return [
        under(h.join(v, h.c.village_id == v.c.id), v.c.commune_id, sa.literal("households")),
        under(v, v.c.commune_id, sa.literal("villages"), v.c.retired_at.is_(None)),
        under(Clan.__table__, Clan.__table__.c.commune_id, sa.literal("clans")),
        under(
            Organisation.__table__, Organisation.__table__.c.commune_id, sa.literal("organisations")
        ),
        under(u, u.c.home_commune_id, worker, u.c.occupation_group.in_(list(_WORKER_MEASURE))),
    ]


def rebuild(conn: Connection) -> dict[str, int]:
    """Recompute both summary tables from the source rows; returns their row counts."""
    tallies, denominators = Tally.__table__, Denominator.__table__
    conn.execute(tallies.delete())
    conn.execute(denominators.delete())
    columns = ["year", "model", "commune_code", "village_id", "dimension", "value",
               "province_code", "registered", "assessed", "recognised"]  # fmt: skip
    for select in _tally_selects():
        conn.execute(tallies.insert().from_select(columns, select))
    columns = ["commune_code", "measure", "province_code", "count"]
    for select in _denominator_selects():
        conn.execute(denominators.insert().from_select(columns, select))
    counts = {
        "report_tallies": conn.scalar(sa.select(sa.func.count()).select_from(tallies)) or 0,
        "report_denominators": conn.scalar(sa.select(sa.func.count()).select_from(denominators))
        or 0,
    }
    logger.info("Rebuilt the report summaries: %s", counts)
    return counts
