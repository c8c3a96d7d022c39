"""Reads of the reports: SQL ``GROUP BY`` over the summary tables (``report_tallies``,
``report_denominators``), for the country, a province or a commune.

A scope is ``Scope(level, code)``: level "country" (code ""), "province" or "commune",
with the statistics office's code. A row of figures is a ``Figures``: registered, assessed
and recognised candidacies, the denominator of the rate when there is one, the rate
(recognised ÷ denominator), the share of registered candidacies recognised, and the
targets of 2025 and 2030."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from portal.extensions import db
from portal.places.models import AdminUnit, Household, Village
from portal.recognition.models import Clan, CommuneArea, Model
from portal.reports.models import Denominator, Tally
from portal.reports.summaries import AGE_GROUPS, DIMENSIONS, UNKNOWN
from portal.reports.targets import CITIZEN_GROUPS, TARGET_YEARS, target

__all__ = [
    "MEASURES",
    "MODELS",
    "Figures",
    "Scope",
    "areas",
    "breakdown",
    "export_rows",
    "groups",
    "names",
    "summary",
    "years",
]

MODELS = tuple(m.value for m in Model)
# What each model's rate is taken of (a measure of report_denominators).
MEASURES = {"family": "households", "clan": "clans", "community": "villages",
            "unit": "organisations"}  # fmt: skip
CHILD_LEVEL = {"country": "province", "province": "commune", "commune": "village"}


@dataclass(frozen=True)
class Scope:
    """Where a report is for: the country, a province or a commune (by code)."""

    level: str
    code: str = ""


@dataclass
class Figures:
    """One row of a report."""

    key: str
    label: str = ""
    registered: int = 0
    assessed: int = 0
    recognised: int = 0
    denominator: int | None = None
    target_key: str | None = None
    year: int = 0
    targets: dict[int, Decimal | None] = field(default_factory=dict)

    @property
    def rate(self) -> Decimal | None:
        """Recognised ÷ denominator (None without a denominator)."""
        if not self.denominator:
            return None
        return Decimal(self.recognised) / Decimal(self.denominator)

    @property
    def share(self) -> Decimal | None:
        """Recognised ÷ registered."""
        if not self.registered:
            return None
        return Decimal(self.recognised) / Decimal(self.registered)

    def with_targets(self) -> Figures:
        if self.target_key:
            self.targets = {y: target(y, self.target_key) for y in TARGET_YEARS}
        return self

    def met(self, year: int) -> bool | None:
        goal, rate = self.targets.get(year), self.rate
        return None if goal is None or rate is None else rate >= goal


def _where(table: Any, scope: Scope) -> list[Any]:
    if scope.level == "province":
        return [table.c.province_code == scope.code]
    if scope.level == "commune":
        return [table.c.commune_code == scope.code]
    return []


def years() -> list[int]:
    """The years with any candidacy, newest first."""
    t = Tally.__table__
    return list(db.session.scalars(sa.select(t.c.year).distinct().order_by(t.c.year.desc())))


def _sums(t: Any) -> tuple[Any, Any, Any]:
    return (
        sa.func.coalesce(sa.func.sum(t.c.registered), 0),
        sa.func.coalesce(sa.func.sum(t.c.assessed), 0),
        sa.func.coalesce(sa.func.sum(t.c.recognised), 0),
    )


def denominators(scope: Scope) -> dict[str, int]:
    """measure → count within the scope."""
    d = Denominator.__table__
    query = sa.select(d.c.measure, sa.func.sum(d.c.count)).where(*_where(d, scope))
    return {m: int(n) for m, n in db.session.execute(query.group_by(d.c.measure))}


def summary(year: int, scope: Scope) -> list[Figures]:
    """Per model, then Learning Citizens among workers and among unit staff."""
    t = Tally.__table__
    query = (
        sa.select(t.c.model, *_sums(t))
        .where(t.c.year == year, t.c.dimension == "all", *_where(t, scope))
        .group_by(t.c.model)
    )
    found = {row[0]: row[1:] for row in db.session.execute(query)}
    counts = denominators(scope)
    rows = []
    for model in MODELS:
        reg, ass, rec = found.get(model, (0, 0, 0))
        measure = MEASURES.get(model)
        rows.append(
            Figures(
                model,
                registered=reg,
                assessed=ass,
                recognised=rec,
                year=year,
                denominator=counts.get(measure, 0) if measure else None,
                target_key=model if measure else None,
            ).with_targets()
        )
    occupation = {g.key: g for g in groups(year, "citizen", scope).get("occupation", [])}
    for measure, members in CITIZEN_GROUPS.items():
        parts = [occupation[m] for m in members if m in occupation]
        rows.append(
            Figures(
                f"citizen:{measure}",
                year=year,
                target_key=measure,
                registered=sum(p.registered for p in parts),
                assessed=sum(p.assessed for p in parts),
                recognised=sum(p.recognised for p in parts),
                denominator=counts.get(measure, 0),
            ).with_targets()
        )
    return rows


def _child_denominators(model: str, scope: Scope) -> dict[str, int]:
    """Denominators of ``model`` by child of the scope (province, commune or village)."""
    measure = MEASURES.get(model)
    if measure is None:
        return {}
    if scope.level != "commune":
        d = Denominator.__table__
        column = d.c.province_code if scope.level == "country" else d.c.commune_code
        query = (
            sa.select(column, sa.func.sum(d.c.count))
            .where(d.c.measure == measure, *_where(d, scope))
            .group_by(column)
        )
        return {str(k): int(n) for k, n in db.session.execute(query)}
    villages = _commune_villages(scope.code)
    if model == "community":
        return {str(v.id): 1 for v in villages if v.retired_at is None}
    source = {"family": Household, "clan": Clan}.get(model)
    if source is None:
        return {}
    query = (
        sa.select(source.village_id, sa.func.count())
        .where(source.village_id.in_([v.id for v in villages]))
        .group_by(source.village_id)
    )
    return {str(k): int(n) for k, n in db.session.execute(query)}


def _commune_villages(code: str) -> list[Village]:
    units = sa.select(AdminUnit.id).where(AdminUnit.level == "commune", AdminUnit.code == code)
    return list(
        db.session.scalars(
            sa.select(Village).where(Village.commune_id.in_(units)).order_by(Village.name)
        )
    )


def breakdown(year: int, model: str, scope: Scope) -> list[Figures]:
    """Figures of ``model`` for each province of the country, commune of a province or
    village of a commune (with those that have a denominator but no candidacy yet)."""
    t = Tally.__table__
    level = CHILD_LEVEL[scope.level]
    column = {"province": t.c.province_code, "commune": t.c.commune_code}.get(level, t.c.village_id)
    query = (
        sa.select(column, *_sums(t))
        .where(t.c.year == year, t.c.model == model, t.c.dimension == "all", *_where(t, scope))
        .group_by(column)
    )
    found = {str(row[0]): row[1:] for row in db.session.execute(query)}
    counts = _child_denominators(model, scope)
    labels = names(level, scope, set(found) | set(counts))
    measure = MEASURES.get(model)
    rows = []
    for key in sorted(
        set(found) | set(counts) | set(labels), key=lambda k: (labels.get(k, "~"), k)
    ):
        reg, ass, rec = found.get(key, (0, 0, 0))
        rows.append(
            Figures(
                key,
                labels.get(key, ""),
                reg,
                ass,
                rec,
                year=year,
                denominator=counts.get(key, 0) if measure else None,
                target_key=model if measure else None,
            ).with_targets()
        )
    return rows


def names(level: str, scope: Scope, keys: set[str] | None = None) -> dict[str, str]:
    """Names of the provinces, communes (in force now) or villages under ``scope``."""
    if level == "village":
        villages = _commune_villages(scope.code)
        return {str(v.id): v.name for v in villages} | ({"0": ""} if keys and "0" in keys else {})
    query = sa.select(AdminUnit.code, AdminUnit.name).where(
        AdminUnit.level == level, AdminUnit.valid_to.is_(None)
    )
    if level == "commune" and scope.level == "province":
        province = sa.select(AdminUnit.id).where(
            AdminUnit.level == "province",
            AdminUnit.code == scope.code,
            AdminUnit.valid_to.is_(None),
        )
        query = query.where(AdminUnit.parent_id.in_(province))
    return {code: name for code, name in db.session.execute(query)}


def unit_name(level: str, code: str) -> str | None:
    """The name of the province or commune ``code`` in force now (or last), if any."""
    query = (
        sa.select(AdminUnit.name)
        .where(AdminUnit.level == level, AdminUnit.code == code)
        .order_by(AdminUnit.valid_to.is_(None).desc(), AdminUnit.valid_from.desc())
        .limit(1)
    )
    return db.session.scalar(query)


def province_of(commune_code: str) -> str | None:
    """The code of the province of commune ``commune_code`` (in force now, or as its
    candidacies were recorded)."""
    parent = sa.orm.aliased(AdminUnit)
    query = (
        sa.select(parent.code)
        .join(AdminUnit, AdminUnit.parent_id == parent.id)
        .where(AdminUnit.level == "commune", AdminUnit.code == commune_code,
               parent.level == "province")
        .order_by(AdminUnit.valid_to.is_(None).desc())
        .limit(1)
    )  # fmt: skip
    code = db.session.scalar(query)
    if code is None:
        d = Denominator.__table__
        code = db.session.scalar(
            sa.select(d.c.province_code).where(d.c.commune_code == commune_code).limit(1)
        )
    return code


def groups(year: int, model: str, scope: Scope) -> dict[str, list[Figures]]:
    """For citizens: dimension → figures per group (gender, ethnicity, age group,
    disability, occupation). Empty for the other models."""
    if model != "citizen":
        return {}
    t = Tally.__table__
    query = (
        sa.select(t.c.dimension, t.c.value, *_sums(t))
        .where(t.c.year == year, t.c.model == model, t.c.dimension != "all", *_where(t, scope))
        .group_by(t.c.dimension, t.c.value)
    )
    result: dict[str, list[Figures]] = {d: [] for d in DIMENSIONS}
    for dimension, value, reg, ass, rec in db.session.execute(query):
        result[dimension].append(Figures(value, registered=reg, assessed=ass, recognised=rec,
                                         year=year))  # fmt: skip
    order = {key: i for i, (key, _, _) in enumerate(AGE_GROUPS)}
    for dimension, rows in result.items():
        if dimension == "age_group":
            rows.sort(key=lambda f: order.get(f.key, len(order)))
        else:
            rows.sort(key=lambda f: (f.key == UNKNOWN, -f.registered, f.key))
    return result


def areas(year: int, model: str, scope: Scope) -> list[Figures]:
    """Figures of ``model`` for communes in ethnic-minority areas and the others, and for
    mountainous communes and the others (communes without a ``commune_areas`` row count as
    neither)."""
    t, a, d = Tally.__table__, CommuneArea.__table__, Denominator.__table__
    em = sa.func.coalesce(a.c.is_ethnic_minority_area, False)
    mountain = sa.func.coalesce(a.c.is_mountainous, False)
    query = (
        sa.select(em, mountain, *_sums(t))
        .select_from(t.outerjoin(a, a.c.code == t.c.commune_code))
        .where(t.c.year == year, t.c.model == model, t.c.dimension == "all", *_where(t, scope))
        .group_by(em, mountain)
    )
    cells = {(bool(e), bool(m)): row for e, m, *row in db.session.execute(query)}
    measure = MEASURES.get(model)
    dens: dict[tuple[bool, bool], int] = {}
    if measure:
        query = (
            sa.select(em, mountain, sa.func.sum(d.c.count))
            .select_from(d.outerjoin(a, a.c.code == d.c.commune_code))
            .where(d.c.measure == measure, *_where(d, scope))
            .group_by(em, mountain)
        )
        dens = {(bool(e), bool(m)): int(n) for e, m, n in db.session.execute(query)}
    rows = []
    for key, pick in (
        ("ethnic_minority", lambda e, m: e),
        ("not_ethnic_minority", lambda e, m: not e),
        ("mountainous", lambda e, m: m),
        ("not_mountainous", lambda e, m: not m),
    ):
        chosen = [c for c in ((e, m) for e in (True, False) for m in (True, False)) if pick(*c)]
        sums = [sum(cells.get(c, (0, 0, 0))[i] for c in chosen) for i in range(3)]
        rows.append(
            Figures(
                key,
                registered=sums[0],
                assessed=sums[1],
                recognised=sums[2],
                year=year,
                denominator=sum(dens.get(c, 0) for c in chosen) if measure else None,
                target_key=model if measure else None,
            ).with_targets()
        )
    return rows


def commune_detail(year: int, scope: Scope) -> Iterator[tuple[Any, ...]]:
    """Every commune of the scope × model: (province, commune, model, registered, assessed,
    recognised, denominator), streamed from the database in batches."""
    t, d = Tally.__table__, Denominator.__table__
    tallies = (
        sa.select(t.c.province_code, t.c.commune_code, t.c.model, *_sums(t))
        .where(t.c.year == year, t.c.dimension == "all", *_where(t, scope))
        .group_by(t.c.province_code, t.c.commune_code, t.c.model)
        .subquery()
    )
    measure = sa.case(*[(tallies.c.model == m, v) for m, v in MEASURES.items()])
    query = (
        sa.select(tallies, d.c.count)
        .select_from(
            tallies.outerjoin(
                d, sa.and_(d.c.commune_code == tallies.c.commune_code, d.c.measure == measure)
            )
        )
        .order_by(tallies.c.province_code, tallies.c.commune_code, tallies.c.model)
    )
    result = db.session.execute(query, execution_options={"stream_results": True,
                                                          "yield_per": 2000})  # fmt: skip
    for row in result:
        yield tuple(row)


def village_detail(year: int, scope: Scope) -> Iterator[tuple[Any, ...]]:
    """Every village of the scope × model with candidacies: (commune, village id, village
    name, model, registered, assessed, recognised, denominator — households for families,
    clans for clans, 1 for communities, none for the others), streamed in batches."""
    t, v = Tally.__table__, Village.__table__
    households = (
        sa.select(Household.village_id.label("village_id"), sa.func.count().label("n"))
        .group_by(Household.village_id)
        .subquery()
    )
    clans = (
        sa.select(Clan.village_id.label("village_id"), sa.func.count().label("n"))
        .where(Clan.village_id.is_not(None))
        .group_by(Clan.village_id)
        .subquery()
    )
    denominator = sa.case(
        (t.c.model == "family", sa.func.coalesce(households.c.n, 0)),
        (t.c.model == "clan", sa.func.coalesce(clans.c.n, 0)),
        (t.c.model == "community", 1),
    )
    query = (
        sa.select(t.c.commune_code, t.c.village_id, v.c.name, t.c.model, t.c.registered,
                  t.c.assessed, t.c.recognised, denominator)
        .select_from(
            t.outerjoin(v, v.c.id == t.c.village_id)
            .outerjoin(households, households.c.village_id == t.c.village_id)
            .outerjoin(clans, clans.c.village_id == t.c.village_id)
        )
        .where(t.c.year == year, t.c.dimension == "all", *_where(t, scope))
        .order_by(t.c.commune_code, t.c.village_id, t.c.model)
    )  # fmt: skip
    result = db.session.execute(query, execution_options={"stream_results": True,
                                                          "yield_per": 2000})  # fmt: skip
    for row in result:
        yield tuple(row)


EXPORT_HEADER = ("section", "group", "code", "name", "model", "registered", "assessed",
                 "recognised", "denominator", "rate", "recognised_of_registered",
                 "target_2025", "target_2030")  # fmt: skip


def _export_row(section: str, group: str, model: str, f: Figures) -> tuple[Any, ...]:
    rate, share = f.rate, f.share
    return (section, group, f.key, f.label, model, f.registered, f.assessed, f.recognised,
            f.denominator, None if rate is None else round(rate, 4),
            None if share is None else round(share, 4),
            f.targets.get(2025), f.targets.get(2030))  # fmt: skip


def export_rows(year: int, scope: Scope, detail: str = "") -> Iterator[tuple[Any, ...]]:
    """The rows of a report's export, header first: the summary, then for each model its
    breakdown, areas and (citizens) groups; with ``detail`` "communes" or "villages",
    every commune or village of the scope × model instead of the breakdowns."""
    yield EXPORT_HEADER
    for f in summary(year, scope):
        yield _export_row("summary", "", f.key.split(":")[0], f)
    child = CHILD_LEVEL[scope.level]
    for model in MODELS:
        if detail not in ("communes", "villages"):
            for f in breakdown(year, model, scope):
                yield _export_row(child, "", model, f)
        for f in areas(year, model, scope):
            yield _export_row("area", f.key, model, f)
        for dimension, rows in groups(year, model, scope).items():
            for f in rows:
                yield _export_row("group", dimension, model, f)
    if detail == "communes":
        labels = names("commune", Scope("country"))
        for province, commune, model, reg, ass, rec, den in commune_detail(year, scope):
            f = Figures(commune, labels.get(commune, ""), reg, ass, rec, year=year,
                        denominator=(den or 0) if model in MEASURES else None,
                        target_key=model if model in MEASURES else None).with_targets()  # fmt: skip
            yield _export_row("commune", province, model, f)
    if detail == "villages":
        for commune, village, name, model, reg, ass, rec, den in village_detail(year, scope):
            f = Figures(
                str(village),
                name or "",
                reg,
                ass,
                rec,
                year=year,
                denominator=den,
                target_key=model if den is not None else None,
            ).with_targets()
            yield _export_row("village", commune, model, f)
