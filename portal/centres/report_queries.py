"""Reads of the centres' reports: enrolment, attendance, completion and literacy outcomes by
programme type, centre, commune, province or month, optionally split by a group of people
(gender, ethnicity, age group, disability, occupation group). Every figure is a SQL
``GROUP BY`` on the database, the same on SQLite and PostgreSQL.

The period is a range of days in Vietnam (``first`` to ``last``, both included). Times kept
in UTC (enrolled, withdrawn, result set) are compared with the UTC instants of the period's
local midnights. By month, no dialect-specific date function is used: enrolments (which
span days) join a small table of literal *buckets* (key, first day, last day, first
instant, end instant; the whole period, or each of its months) by range, and sessions and
attendance (one day each) take their month from a ``CASE`` over the months' last days.
Totals count people again; sessions and attendance, which every dimension partitions, are
the sums of the rows.

What the figures mean, for one bucket (cancelled classes and their sessions are left out):

- **people enrolled**: distinct people with an enrolment that is not waitlisted and was
  running on at least one day of the bucket: made before its end, not withdrawn and without
  a result before its start, in a class whose dates (start to end; a missing one is open)
  overlap it. People who withdrew during or after the bucket count (they were enrolled);
  the register does not tell whether someone withdrawn had a place or was waiting.
- **withdrawn**: distinct people withdrawn during the bucket.
- **sessions held**: sessions (not cancelled) on a day of the bucket.
- **attendance rate**: rows marked present ÷ attendance rows recorded, for those sessions.
- **ended**: distinct people whose enrolment ended during the bucket: completed, not
  completed (result set then) or withdrawn.
- **completed**: distinct people with a completed result set during the bucket;
  **completion rate**: completed ÷ ended.
- **literacy level 1 / level 2**: distinct people whose completed result set during the
  bucket records literacy level 1 / level 2.

A person counts once per row and once in the total, so rows may add up to more than the
total (someone in two programmes). The age group is the period's last year minus the year
of birth, with the groups of the title reports.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import aliased

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
    Programme,
    ProgrammeType,
)
from portal.db_types import UTCDateTime
from portal.extensions import db
from portal.places.models import AdminUnit
from portal.places.queries import VIETNAM_TIME
from portal.reports.summaries import AGE_GROUPS, DIMENSIONS, UNKNOWN

__all__ = [
    "BY",
    "EXPORT_HEADER",
    "GROUPS",
    "FilterError",
    "Filters",
    "Reach",
    "Report",
    "Row",
    "export_rows",
    "read_filters",
    "report",
]

BY = ("programme", "centre", "commune", "province", "month")
GROUPS = tuple(DIMENSIONS)  # gender, ethnicity, age_group, disability, occupation
TOTAL = "total"
MAX_DAYS = 3660  # about ten years: at most ~120 month buckets
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2099, 12, 31)

MESSAGES = {
    "bad_date": _l("Give the dates as year-month-day, between 2000 and 2099."),
    "reversed": _l("The period ends before it starts."),
    "too_long": _l("The period can be at most ten years long."),
    "province": _l("There is no province with this code."),
    "commune": _l("There is no commune with this code."),
    "centre": _l("There is no centre with this code among those you may see."),
    "programme": _l("There is no programme type with this name."),
    "by": _l("Figures cannot be shown by this."),
    "group": _l("People cannot be grouped by this."),
    "format": _l("The report can be downloaded as CSV or XLSX only."),
}

CommuneUnit = aliased(AdminUnit, name="commune_unit")
ProvinceUnit = aliased(AdminUnit, name="province_unit")


class FilterError(ValueError):
    """Filters that cannot be used; ``problems`` maps a field to a message key."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__(", ".join(problems))
        self.problems = problems

    def messages(self) -> dict[str, str]:
        return {name: str(MESSAGES[key]) for name, key in self.problems.items()}


@dataclass(frozen=True)
class Reach:
    """Which centres a user's reports cover, as plain values (usable outside the request):
    everything (administrators), or the union of centres by code (staff), communes and
    provinces by code (reviewers and approvers)."""

    everything: bool = False
    centres: tuple[str, ...] = ()
    communes: tuple[str, ...] = ()
    provinces: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.everything or self.centres or self.communes or self.provinces)

    def condition(self) -> Any:
        """SQL condition on ``Centre``, ``CommuneUnit`` and ``ProvinceUnit``."""
        if self.everything:
            return sa.true()
        parts = []
        if self.centres:
            parts.append(Centre.code.in_(self.centres))
        if self.communes:
            parts.append(CommuneUnit.code.in_(self.communes))
        if self.provinces:
            parts.append(ProvinceUnit.code.in_(self.provinces))
        return sa.or_(*parts) if parts else sa.false()


@dataclass(frozen=True)
class Filters:
    first: date
    last: date
    by: str = "programme"
    group: str = ""
    province: str = ""
    commune: str = ""
    centre: str = ""
    programme: str = ""
    format: str = "html"

    def args(self, **changes: Any) -> dict[str, str]:
        """The query-string arguments of these filters (without empty ones)."""
        values = replace(self, **changes)
        items = {
            "from": values.first.isoformat(),
            "to": values.last.isoformat(),
            "by": values.by,
            "group": values.group,
            "province": values.province,
            "commune": values.commune,
            "centre": values.centre,
            "programme": values.programme,
            "format": "" if values.format == "html" else values.format,
        }
        return {k: v for k, v in items.items() if v}


@dataclass
class Row:
    """The figures of one row (``key`` "total" for the totals), or of one group of it."""

    key: str
    label: str = ""
    enrolled: int = 0
    withdrawn: int = 0
    sessions: int | None = 0  # None in the rows of a group: sessions are not a person's
    present: int = 0
    recorded: int = 0
    ended: int = 0
    completed: int = 0
    level_1: int = 0
    level_2: int = 0

    @property
    def attendance_rate(self) -> Decimal | None:
        return Decimal(self.present) / Decimal(self.recorded) if self.recorded else None

    @property
    def completion_rate(self) -> Decimal | None:
        return Decimal(self.completed) / Decimal(self.ended) if self.ended else None


@dataclass
class Report:
    rows: list[Row]
    total: Row
    groups: dict[str, list[Row]] = field(default_factory=dict)  # row key → its groups
    total_groups: list[Row] = field(default_factory=list)


def _day(raw: str | None, default: date) -> date:
    if raw is None or raw == "":
        return default
    value = date.fromisoformat(raw.strip())
    if not FIRST_DAY <= value <= LAST_DAY:
        raise ValueError(raw)
    return value


def _exists(level: str, code: str) -> bool:
    query = sa.select(AdminUnit.id).where(AdminUnit.level == level, AdminUnit.code == code)
    return db.session.scalar(query.limit(1)) is not None


def _visible_centre(code: str, reach: Reach) -> bool:
    query = (
        sa.select(Centre.id)
        .join(CommuneUnit, CommuneUnit.id == Centre.commune_id)
        .outerjoin(ProvinceUnit, ProvinceUnit.id == CommuneUnit.parent_id)
        .where(Centre.code == code, reach.condition())
    )
    return db.session.scalar(query) is not None


def read_filters(args: Mapping[str, str], reach: Reach, today: date) -> Filters:
    """The filters of a request's arguments (this year by default), checked: unknown codes
    (and centres outside ``reach``), bad or reversed dates raise :class:`FilterError`."""
    problems: dict[str, str] = {}
    text = {k: (args.get(k) or "").strip()[:40] for k in
            ("by", "group", "province", "commune", "centre", "programme", "format")}  # fmt: skip
    days = {}
    for name, default in (("from", date(today.year, 1, 1)), ("to", date(today.year, 12, 31))):
        try:
            days[name] = _day(args.get(name), default)
        except ValueError:
            problems[name] = "bad_date"
    first, last = days.get("from", FIRST_DAY), days.get("to", FIRST_DAY)
    if len(days) == 2 and last < first:
        problems["to"] = "reversed"
    elif len(days) == 2 and (last - first).days > MAX_DAYS:
        problems["to"] = "too_long"
    by, group, kind = text["by"] or "programme", text["group"], text["format"] or "html"
    if by not in BY:
        problems["by"] = "by"
    if group and group not in GROUPS:
        problems["group"] = "group"
    if kind not in ("html", "csv", "xlsx"):
        problems["format"] = "format"
    if text["programme"] and text["programme"] not in set(ProgrammeType):
        problems["programme"] = "programme"
    for level in ("province", "commune"):
        if text[level] and not _exists(level, text[level]):
            problems[level] = level
    if text["centre"] and not _visible_centre(text["centre"], reach):
        problems["centre"] = "centre"
    if problems:
        raise FilterError(problems)
    return Filters(first, last, by, group, text["province"], text["commune"], text["centre"],
                   text["programme"], kind)  # fmt: skip


# Buckets ---------------------------------------------------------------------------------


def _instant(day: date) -> datetime:
    """The UTC instant of midnight at the start of ``day`` in Vietnam."""
    return datetime.combine(day, time(0), VIETNAM_TIME)


def _buckets(filters: Filters, by_month: bool) -> list[tuple[str, date, date]]:
    if not by_month:
        return [(TOTAL, filters.first, filters.last)]
    found, day = [], filters.first
    while day <= filters.last:
        end = date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])
        found.append((f"{day:%Y-%m}", day, min(end, filters.last)))
        day = end + timedelta(days=1)
    return found


def _bucket_table(filters: Filters, by_month: bool) -> Any:
    """The buckets as a subquery (key, first_day, last_day, starts, ends): a ``UNION ALL``
    of literal rows, ``starts``/``ends`` the UTC instants of the first day's midnight and
    of the midnight after the last day."""
    selects = [
        sa.select(
            sa.literal(key, sa.String()).label("key"),
            sa.literal(first, sa.Date()).label("first_day"),
            sa.literal(last, sa.Date()).label("last_day"),
            sa.literal(_instant(first), UTCDateTime()).label("starts"),
            sa.literal(_instant(last + timedelta(days=1)), UTCDateTime()).label("ends"),
        )
        for key, first, last in _buckets(filters, by_month)
    ]
    union = selects[0] if len(selects) == 1 else sa.union_all(*selects)
    return union.subquery("buckets")


# Rows and groups -----------------------------------------------------------------------


def _row_columns(by: str | None, month: Any) -> list[Any]:
    """(key, label) of the row dimension (``month``: the expression of a row's month); none
    for the totals."""
    if by is None:
        return []
    if by == "programme":
        return [Programme.type, sa.func.max(Programme.type)]
    if by == "centre":
        return [Centre.code, sa.func.max(Centre.name)]
    if by == "commune":
        return [CommuneUnit.code, sa.func.max(CommuneUnit.name)]
    if by == "province":
        return [ProvinceUnit.code, sa.func.max(ProvinceUnit.name)]
    return [month, sa.func.max(month)]


def _month_of_day(day: Any, filters: Filters) -> Any:
    """The month key ("2026-03") of a ``Date`` column, as a ``CASE`` over the period's months
    (no date function: the same SQL on every database). Rows outside the period must be
    filtered out by the caller."""
    months = _buckets(filters, by_month=True)
    return sa.case(*[(day <= last, key) for key, _first, last in months[:-1]],
                   else_=months[-1][0])  # fmt: skip


def _group_column(group: str, filters: Filters) -> Any:
    if group == "age_group":
        age = filters.last.year - Person.birth_year
        whens: list[Any] = [(Person.birth_year.is_(None), UNKNOWN)]
        for key, first, last in AGE_GROUPS:
            if first is None:
                whens.append((age <= last, key))
            elif last is None:
                whens.append((age >= first, key))
            else:
                whens.append((age.between(first, last), key))
        return sa.case(*whens, else_=UNKNOWN)
    return sa.func.coalesce(getattr(Person, DIMENSIONS[group]), UNKNOWN)


def _where(filters: Filters, reach: Reach) -> list[Any]:
    conditions = [reach.condition(), CentreClass.status != ClassStatus.CANCELLED.value]
    if filters.province:
        conditions.append(ProvinceUnit.code == filters.province)
    if filters.commune:
        conditions.append(CommuneUnit.code == filters.commune)
    if filters.centre:
        conditions.append(Centre.code == filters.centre)
    if filters.programme:
        conditions.append(Programme.type == filters.programme)
    return conditions


def _classes(start: Any) -> Any:
    """``start`` joined to its class, programme, centre, commune and province."""
    return (
        start.join(Programme, Programme.id == CentreClass.programme_id)
        .join(Centre, Centre.id == CentreClass.centre_id)
        .join(CommuneUnit, CommuneUnit.id == Centre.commune_id)
        .outerjoin(ProvinceUnit, ProvinceUnit.id == CommuneUnit.parent_id)
    )


def _within(column: Any, buckets: Any) -> Any:
    return sa.and_(column >= buckets.c.starts, column < buckets.c.ends)


def _people(filters: Filters, reach: Reach, by: str | None, group: str) -> dict[tuple, list]:
    """(row key, label, group value) → [enrolled, withdrawn, ended, completed, level 1,
    level 2]: distinct people, one query."""
    e, c, b = ClassEnrolment, CentreClass, _bucket_table(filters, by == "month")
    running = sa.and_(
        e.status != EnrolmentStatus.WAITLISTED.value,
        e.enrolled_at < b.c.ends,
        sa.or_(e.withdrawn_at.is_(None), e.withdrawn_at >= b.c.starts),
        sa.or_(e.completed_at.is_(None), e.completed_at >= b.c.starts),
        sa.or_(c.starts_on.is_(None), c.starts_on <= b.c.last_day),
        sa.or_(c.ends_on.is_(None), c.ends_on >= b.c.first_day),
    )
    withdrawn = sa.and_(e.status == EnrolmentStatus.WITHDRAWN.value, _within(e.withdrawn_at, b))
    resulted = sa.and_(
        e.status.in_([EnrolmentStatus.COMPLETED.value, EnrolmentStatus.NOT_COMPLETED.value]),
        _within(e.completed_at, b),
    )
    completed = sa.and_(e.status == EnrolmentStatus.COMPLETED.value, _within(e.completed_at, b))
    measures = (
        running,
        withdrawn,
        sa.or_(resulted, withdrawn),
        completed,
        sa.and_(completed, e.literacy_level == 1),
        sa.and_(completed, e.literacy_level == 2),
    )
    start = sa.join(e, c, c.id == e.class_id)
    if group:
        start = start.join(Person, Person.id == e.person_id)
    row = _row_columns(by, b.c.key)
    keys = [*row[:1], *([_group_column(group, filters)] if group else [])]
    # Each person once per row and group (with whether each measure holds for them), then
    # summed: cheaper than six COUNT(DISTINCT ...) on PostgreSQL.
    labels = [row[1].label("label")] if row else []
    each = (
        sa.select(*[k.label(f"k{i}") for i, k in enumerate(keys)], *labels,
                  *[sa.func.max(sa.case((m, 1), else_=0)).label(f"m{i}")
                    for i, m in enumerate(measures)])
        .select_from(_classes(start).join(b, sa.or_(running, withdrawn, resulted)))
        .where(*_where(filters, reach))
        .group_by(*keys, e.person_id)
        .subquery("each_person")
    )  # fmt: skip
    outer_keys = [each.c[f"k{i}"] for i in range(len(keys))]
    query = (
        sa.select(*outer_keys[:1] if row else [], *([sa.func.max(each.c.label)] if row else []),
                  *outer_keys[1 if row else 0 :],
                  *[sa.func.sum(each.c[f"m{i}"]) for i in range(len(measures))])
        .group_by(*outer_keys)
    )  # fmt: skip
    return _keyed(db.session.execute(query), by, group)


def _sessions(filters: Filters, reach: Reach, by: str | None) -> dict[tuple, list]:
    """(row key, label, "") → [sessions held]."""
    s = ClassSession
    row = _row_columns(by, _month_of_day(s.day, filters))
    query = (
        sa.select(*row, sa.func.count(s.id))
        .select_from(_classes(sa.join(s, CentreClass, CentreClass.id == s.class_id)))
        .where(
            s.day.between(filters.first, filters.last),
            s.cancelled.is_(False),
            *_where(filters, reach),
        )
        .group_by(*row[:1])
    )
    return _keyed(db.session.execute(query), by, "")


def _attendance(filters: Filters, reach: Reach, by: str | None, group: str) -> dict[tuple, list]:
    """(row key, label, group value) → [present, recorded]. The attendance rows are first
    summed per session (split by group: per enrolment) for the sessions held that the
    filters keep, so the joins to classes, places and people run on those sums rather than
    on every row (about twice as fast on 2 million rows); by month and group, where that
    does not pay, every row is joined."""
    a, s = Attendance, ClassSession
    held = (
        sa.select(s.id)
        .select_from(_classes(sa.join(s, CentreClass, CentreClass.id == s.class_id)))
        .where(s.day.between(filters.first, filters.last), s.cancelled.is_(False),
               *_where(filters, reach))
    )  # fmt: skip
    present = sa.func.sum(sa.case((a.status == AttendanceStatus.PRESENT.value, 1), else_=0))
    if not group:
        sums = (
            sa.select(a.session_id.label("session_id"), present.label("present"),
                      sa.func.count(a.id).label("recorded"))
            .where(a.session_id.in_(held))
            .group_by(a.session_id)
            .subquery("per_session")
        )  # fmt: skip
        start = sa.join(sums, s, s.id == sums.c.session_id)
        start = start.join(CentreClass, CentreClass.id == s.class_id)
        row = _row_columns(by, _month_of_day(s.day, filters))
        keys = row[:1]
    elif by == "month":  # by month and group: summing per enrolment and month costs more
        return _attendance_rows(filters, reach, by, group)
    else:
        sums = (
            sa.select(a.enrolment_id.label("enrolment_id"), present.label("present"),
                      sa.func.count(a.id).label("recorded"))
            .where(a.session_id.in_(held))
            .group_by(a.enrolment_id)
            .subquery("per_enrolment")
        )  # fmt: skip
        e = ClassEnrolment
        start = sa.join(sums, e, e.id == sums.c.enrolment_id)
        start = start.join(Person, Person.id == e.person_id)
        start = start.join(CentreClass, CentreClass.id == e.class_id)
        row = _row_columns(by, None)
        keys = [*row[:1], _group_column(group, filters)]
    query = (
        sa.select(*row, *keys[len(row[:1]) :], sa.func.sum(sums.c.present),
                  sa.func.sum(sums.c.recorded))
        .select_from(_classes(start))
        .group_by(*keys)
    )  # fmt: skip
    return _keyed(db.session.execute(query), by, group)


def _attendance_rows(filters: Filters, reach: Reach, by: str, group: str) -> dict[tuple, list]:
    """As :func:`_attendance`, joining every attendance row to its session, class, place
    and person."""
    a, s, e = Attendance, ClassSession, ClassEnrolment
    start = sa.join(a, s, s.id == a.session_id).join(CentreClass, CentreClass.id == s.class_id)
    start = start.join(e, e.id == a.enrolment_id).join(Person, Person.id == e.person_id)
    row = _row_columns(by, _month_of_day(s.day, filters))
    keys = [*row[:1], _group_column(group, filters)]
    present = sa.func.sum(sa.case((a.status == AttendanceStatus.PRESENT.value, 1), else_=0))
    query = (
        sa.select(*row, keys[-1], present, sa.func.count(a.id))
        .select_from(_classes(start))
        .where(s.day.between(filters.first, filters.last), s.cancelled.is_(False),
               *_where(filters, reach))
        .group_by(*keys)
    )  # fmt: skip
    return _keyed(db.session.execute(query), by, group)


def _keyed(result: Any, by: str | None, group: str) -> dict[tuple, list]:
    found: dict[tuple, list] = {}
    for values in result:
        values = list(values)
        key, label = (str(values.pop(0) or ""), values.pop(0) or "") if by else (TOTAL, "")
        value = str(values.pop(0)) if group else ""
        found[(key, value)] = [label, *(int(v or 0) for v in values)]
    return found


def _combine(people: dict, attendance: dict, sessions: dict, group: str) -> dict[tuple, Row]:
    rows: dict[tuple, Row] = {}
    for key in set(people) | set(attendance) | set(sessions):
        label = next(src[key][0] for src in (people, attendance, sessions) if key in src)
        counts = people.get(key, ["", 0, 0, 0, 0, 0, 0])[1:]
        present, recorded = attendance.get(key, ["", 0, 0])[1:]
        rows[key] = Row(key[1] if group else key[0], label, counts[0], counts[1],
                        None if group else sessions.get(key, ["", 0])[1], present, recorded,
                        *counts[2:])  # fmt: skip
    return rows


def _rows(filters: Filters, reach: Reach, by: str, group: str) -> dict[tuple, Row]:
    """(row key, group value or "") → the row's figures."""
    people = _people(filters, reach, by, group)
    attendance = _attendance(filters, reach, by, group)
    sessions = {} if group else _sessions(filters, reach, by)
    return _combine(people, attendance, sessions, group)


def _totals(filters: Filters, reach: Reach, group: str, rows: dict[tuple, Row]) -> dict:
    """(TOTAL, group value or "") → the totals. People are counted again (someone may be in
    several rows); sessions and attendance, which every dimension partitions, are the sums
    of the rows' figures (a few aggregated rows, not the register's)."""
    people = _people(filters, reach, None, group)
    attendance: dict[tuple, list] = {}
    sessions: dict[tuple, list] = {}
    for (_key, value), row in rows.items():
        sums = attendance.setdefault((TOTAL, value), ["", 0, 0])
        sums[1] += row.present
        sums[2] += row.recorded
        if not group:
            sessions.setdefault((TOTAL, value), ["", 0])[1] += row.sessions or 0
    return _combine(people, attendance, sessions, group)


def _order(by: str, row: Row) -> tuple:
    if by == "programme":
        types = list(ProgrammeType)
        return (types.index(row.key) if row.key in types else len(types), row.key)
    if by == "month":
        return (row.key,)
    return (row.label or "~", row.key)


def _group_order(group: str, row: Row) -> tuple:
    if group == "age_group":
        order = [key for key, _, _ in AGE_GROUPS]
        return (row.key not in order, order.index(row.key) if row.key in order else 0, row.key)
    return (row.key == UNKNOWN, -row.enrolled, row.key)


_COUNTS = ("enrolled", "withdrawn", "present", "recorded", "ended", "completed", "level_1",
           "level_2")  # fmt: skip


def _merged(key: str, members: list[Row], sessions: int) -> Row:
    """A row made of its groups' figures: each person is in exactly one group, so even the
    counts of distinct people add up."""
    row = Row(key, members[0].label if members else "", sessions=sessions)
    for name in _COUNTS:
        setattr(row, name, sum(getattr(m, name) for m in members))
    return row


def report(filters: Filters, reach: Reach) -> Report:
    """The rows of the report (by ``filters.by``), the totals, and with ``filters.group``
    each row's and the totals' figures per group (the rows and totals are then the sums of
    their groups, which saves reading the register twice)."""
    if not filters.group:
        found = _rows(filters, reach, filters.by, "")
        rows = sorted(found.values(), key=lambda r: _order(filters.by, r))
        total = _totals(filters, reach, "", found).get((TOTAL, ""), Row(TOTAL))
        return Report(rows, total)
    split = _rows(filters, reach, filters.by, filters.group)
    groups: dict[str, list[Row]] = {}
    for (key, _value), member in split.items():
        groups.setdefault(key, []).append(member)
    total_groups = list(_totals(filters, reach, filters.group, split).values())
    for members in [*groups.values(), total_groups]:
        members.sort(key=lambda r: _group_order(filters.group, r))
    held = {key: values for (key, _), values in _sessions(filters, reach, filters.by).items()}
    sessions = {key: n for key, (_label, n) in held.items()}
    rows = [_merged(key, groups.get(key, []), sessions.get(key, 0))
            for key in set(groups) | set(sessions)]  # fmt: skip
    for row in rows:
        row.label = row.label or held.get(row.key, ["", 0])[0]
    rows.sort(key=lambda r: _order(filters.by, r))
    total = _merged(TOTAL, total_groups, sum(sessions.values()))
    return Report(rows, total, groups, total_groups)


EXPORT_HEADER = ("by", "key", "name", "group", "group_value", "people_enrolled", "withdrawn",
                 "sessions_held", "attendance_present", "attendance_recorded", "attendance_rate",
                 "ended", "completed", "completion_rate", "literacy_level_1",
                 "literacy_level_2")  # fmt: skip


def _rate(value: Decimal | None) -> float | None:
    return None if value is None else float(round(value, 4))


def _export_row(by: str, row: Row, label: str, group: str, member: Row | None) -> tuple:
    f = member or row
    return (by, row.key, label, group if member else "", member.key if member else "",
            f.enrolled, f.withdrawn, f.sessions, f.present, f.recorded,
            _rate(f.attendance_rate), f.ended, f.completed, _rate(f.completion_rate),
            f.level_1, f.level_2)  # fmt: skip


def export_rows(filters: Filters, reach: Reach, label: Any = None) -> Iterator[tuple[Any, ...]]:
    """The report as table rows, header first: each row, then (with a group) its groups,
    and the totals last. ``label(by, row)`` names a row (its ``label`` by default)."""
    data = report(filters, reach)
    name = label or (lambda _by, row: row.label)
    yield EXPORT_HEADER
    parts = [(filters.by, row, data.groups.get(row.key, [])) for row in data.rows]
    for by, row, members in [*parts, (TOTAL, data.total, data.total_groups)]:
        yield _export_row(by, row, name(by, row), "", None)
        for member in members:
            yield _export_row(by, row, name(by, row), filters.group, member)
