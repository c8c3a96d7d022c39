"""Reads of the recognition pages: a person's assessments and what they may register for,
the lists of reviewers and approvers (always filtered in SQL by scope), the form of one
assessment laid out by criterion, and the trace of its scores."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, and_, func, or_, select, true

from portal.accounts.models import Role, ScopeKind, User
from portal.extensions import db
from portal.places.models import AdminUnit, Household, HouseholdMember, Relation, Village
from portal.places.queries import today
from portal.recognition import access, calendar, sets
from portal.recognition.criteria import Criterion, Definition, Indicator
from portal.recognition.models import (
    Assessment,
    AssessmentScore,
    Clan,
    CriteriaSet,
    Evidence,
    Model,
    Organisation,
    Status,
)
from portal.recognition.scoring import Result, score


def text(mapping: Mapping[str, str] | None) -> str:
    """A criteria text in the interface language, else along its fallback chain, else
    Vietnamese (every text has it)."""
    from portal.i18n import current_language

    if not mapping:
        return ""
    language = current_language()
    for code in (language.code, *language.chain, "vi"):
        if mapping.get(code):
            return mapping[code]
    return next(iter(mapping.values()))


# A person's own --------------------------------------------------------------------------------


def _respondent_condition(user: User) -> Any:
    """SQL: the assessments ``user`` answers (``access.is_respondent`` as a condition)."""
    return or_(
        Assessment.user_id == user.id,
        Assessment.respondent_id == user.id,
        and_(
            Assessment.user_id.is_(None),
            Assessment.respondent_id.is_(None),
            Assessment.registered_by_id == user.id,
        ),
    )


def mine(user: User) -> list[Assessment]:
    """The assessments ``user`` is the subject or the respondent of, newest year first."""
    return list(
        db.session.scalars(
            select(Assessment)
            .where(_respondent_condition(user))
            .order_by(Assessment.year.desc(), Assessment.model, Assessment.id)
        )
    )


def registration_year(model: str, day: date | None = None) -> int | None:
    """The round a subject may register for now: this year's while its registration is
    open, else next year's (None when both are closed)."""
    day = day or today()
    for year in (day.year, day.year + 1):
        if day <= calendar.due(year, model, "register"):
            return year
    return None


def sets_for(model: str, year: int) -> list[CriteriaSet]:
    """The sets of ``model`` in force in ``year`` (on its first day, or today if later)."""
    day = max(today(), date(year, 1, 1))
    return sorted(sets.sets_in_force(model, day), key=lambda row: row.code)


def citizen_sets(year: int) -> list[CriteriaSet]:
    return sets_for(Model.CITIZEN, year)


def suggested_set(user: Any, choices: Iterable[CriteriaSet]) -> CriteriaSet | None:
    """The citizen set whose respondent group is the profile's occupation group."""
    group = getattr(user, "occupation_group", None)
    return next((row for row in choices if group and row.respondent_group == group), None)


def household_headed_by(user: User) -> Household | None:
    """The household whose head (relation "head") is ``user``."""
    return db.session.scalar(
        select(Household)
        .join(HouseholdMember)
        .where(HouseholdMember.user_id == user.id, HouseholdMember.relation == Relation.HEAD)
    )


def registered(key: str, model: str, year: int) -> Assessment | None:
    return db.session.scalar(
        select(Assessment).where(
            Assessment.subject_key == key, Assessment.model == model, Assessment.year == year
        )
    )


def offers(user: User) -> list[dict[str, Any]]:
    """What ``user`` may register for: themself as a Learning Citizen, their household as a
    Learning Family when they head it; each with its round's year, sets and deadlines."""
    offers = []
    household = household_headed_by(user)
    for model, subject, key in (
        (Model.CITIZEN, user, f"user:{user.id}"),
        (Model.FAMILY, household, f"household:{household.id}" if household else ""),
    ):
        year = registration_year(model)
        if subject is None or year is None:
            continue
        choices = sets_for(model, year)
        offers.append(
            {
                "model": model.value,
                "year": year,
                "subject_name": subject.full_name if model == Model.CITIZEN else subject.name,
                "sets": choices,
                "suggested": suggested_set(user, choices) if model == Model.CITIZEN else None,
                "deadlines": calendar.deadlines(year, model),
                "registered": registered(key, model, year),
            }
        )
    return offers


# Lists of reviewers and approvers ------------------------------------------------------------


def _scope(user: User, role: Role) -> Any:
    """SQL: what ``user`` sees as ``role``; administrators see everything (read-only)."""
    return true() if user.has_role(Role.ADMIN) else access.in_scope(user, role)


def _filtered(
    query: Select[Any], *, year: int | None, model: str | None, status: str | None
) -> Select[Any]:
    if year:
        query = query.where(Assessment.year == year)
    if model:
        query = query.where(Assessment.model == model)
    if status:
        query = query.where(Assessment.status == status)
    return query


def assessments_in_scope(
    user: User,
    role: Role,
    *,
    year: int | None = None,
    model: str | None = None,
    status: str | None = None,
    limit: int = 500,
) -> list[Assessment]:
    """The assessments within ``user``'s scopes for ``role``, by year, commune and name."""
    query = select(Assessment).where(_scope(user, role))
    query = _filtered(query, year=year, model=model, status=status)
    query = query.order_by(
        Assessment.year.desc(), Assessment.commune_code, Assessment.subject_name, Assessment.id
    )
    return list(db.session.scalars(query.limit(limit)))


def status_counts(
    user: User, role: Role, *, year: int | None = None, model: str | None = None
) -> dict[str, int]:
    """How many assessments in scope are in each status (for the year and model filters)."""
    query = select(Assessment.status, func.count()).where(_scope(user, role))
    query = _filtered(query, year=year, model=model, status=None).group_by(Assessment.status)
    return {status: count for status, count in db.session.execute(query)}


def accepted_in_scope(user: User) -> list[Assessment]:
    """The assessments accepted by a reviewer, waiting for ``user``'s decision."""
    return assessments_in_scope(user, Role.APPROVER, status=Status.ACCEPTED)


# One assessment, laid out ----------------------------------------------------------------------


@dataclass
class Line:
    """One indicator of an assessment: its rule, its stored score and its evidence."""

    indicator: Indicator
    row: AssessmentScore | None
    minimum: Decimal | None
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def points(self) -> Decimal | None:
        return self.row.points if self.row else None

    @property
    def choices(self) -> list[tuple[str, Decimal]]:
        """The answers a scale offers: (value, points) from 0 to the maximum by step."""
        out = []
        value = Decimal(0)
        while value <= self.indicator.max_points:
            out.append((format(value.normalize(), "f"), value))
            value += self.indicator.step
        return out

    @property
    def option(self) -> Mapping[str, str] | None:
        """The label of the option chosen (choice answers only)."""
        if self.indicator.answer != "choice" or not self.answer.isdigit():
            return None
        index = int(self.answer)
        options = self.indicator.options
        return options[index].label if index < len(options) else None

    @property
    def answer(self) -> str:
        """The stored answer as the form sends it ("" when none)."""
        if self.row is None or self.row.answer is None:
            return ""
        raw = self.row.answer
        if self.indicator.answer == "scale" and self.row.self_points is not None:
            return format(self.row.self_points.normalize(), "f")
        return str(raw)


@dataclass
class Part:
    criterion: Criterion
    lines: list[Line]
    subtotal: Decimal


@dataclass
class Sheet:
    """An assessment as its pages show it."""

    definition: Definition
    parts: list[Part]
    result: Result
    general_evidence: list[Evidence]

    def line(self, code: str) -> Line | None:
        return next((ln for p in self.parts for ln in p.lines if ln.indicator.code == code), None)


def sheet(assessment: Assessment) -> Sheet:
    """The criteria with the assessment's scores and evidence, and what they come to now."""
    rules = sets.definition_of(assessment.criteria_set)
    rows = {row.indicator: row for row in assessment.scores}
    evidence: dict[str | None, list[Evidence]] = {}
    for item in assessment.evidence:
        evidence.setdefault(item.indicator, []).append(item)
    result = score(rules, {code: row.points for code, row in rows.items()})
    parts = []
    for criterion in rules.criteria:
        lines = [
            Line(i, rows.get(i.code), rules.minimum(i), evidence.pop(i.code, []))
            for i in criterion.indicators
        ]
        parts.append(Part(criterion, lines, result.by_criterion.get(criterion.code, Decimal(0))))
    leftover = [item for items in evidence.values() for item in items]
    return Sheet(rules, parts, result, leftover)


# The trace export ------------------------------------------------------------------------------


def _cell(value: Any) -> str:
    """A CSV cell a spreadsheet will not run: text starting = + - @ (or a tab or a return)
    gets a leading apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _evidence_summary(items: list[Evidence]) -> str:
    parts = []
    for item in items:
        if item.kind == "auto":
            parts.append("; ".join([item.description, *auto_items(item.details)]))
        elif item.kind == "note":
            parts.append(item.description)
        else:
            parts.append(item.file_name or "")
    return " | ".join(p for p in parts if p)


def scores_csv(assessment: Assessment) -> str:
    """One row per indicator: criterion, indicator, maximum, self-assessed, automatic and
    counting points, their source, the reviewer's reason and the evidence (automatic
    figures with their records, file names, notes); headers in the interface language."""
    from flask_babel import gettext as _

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([
        _("Criterion"), _("Indicator"), _("Maximum"), _("Self-assessed points"),
        _("Points from learning records"), _("Points that count"), _("Source"), _("Reason"),
        _("Evidence"),
    ])  # fmt: skip
    for part in sheet(assessment).parts:
        for line in part.lines:
            row = line.row
            writer.writerow(
                _cell(value)
                for value in (
                    f"{part.criterion.code} {text(part.criterion.title)}",
                    f"{line.indicator.code} {text(line.indicator.title)}",
                    line.indicator.max_points,
                    row.self_points if row else None,
                    row.auto_points if row else None,
                    row.points if row else None,
                    row.source if row else None,
                    row.reason if row else None,
                    _evidence_summary(line.evidence),
                )
            )
    return out.getvalue()


_LABELS = ("title", "name", "code", "course_iri", "activity_iri")


def auto_items(details: Mapping[str, Any] | None) -> list[str]:
    """The records automatic evidence lists, one short line each: what it is (a course's
    title, a person's name, a certificate's code) and its figures."""
    lines = []
    for item in (details or {}).get("items") or []:
        if not isinstance(item, Mapping):
            continue
        label = next((str(item[k]) for k in _LABELS if item.get(k)), "")
        figures = ", ".join(
            f"{key}: {value}"
            for key, value in item.items()
            if key not in _LABELS and not key.endswith("_iri") and value not in (None, "")
        )
        lines.append(f"{label} ({figures})" if label and figures else label or figures)
    return lines


def evidence_keys() -> list[str]:
    """Every stored evidence file's key (for ``flask storage check``)."""
    return list(
        db.session.scalars(select(Evidence.storage_key).where(Evidence.storage_key.is_not(None)))
    )


# A commune's subjects, for its officers ------------------------------------------------------


def officer_communes(user: User, day: date | None = None) -> list[AdminUnit]:
    """The communes in force where ``user`` is a reviewer (an officer of the association)."""
    codes = [code for kind, code in user.scopes(Role.REVIEWER) if kind == ScopeKind.COMMUNE]
    if not codes:
        return []
    from portal.places.queries import in_force_on

    return list(
        db.session.scalars(
            select(AdminUnit)
            .where(AdminUnit.level == "commune", AdminUnit.code.in_(codes))
            .where(in_force_on(day or today()))
            .order_by(AdminUnit.name)
        )
    )


def villages_of(commune: AdminUnit) -> list[Village]:
    return list(
        db.session.scalars(
            select(Village)
            .where(Village.commune_id == commune.id, Village.retired_at.is_(None))
            .order_by(Village.name)
        )
    )


def households_in(commune: AdminUnit) -> list[Household]:
    return list(
        db.session.scalars(
            select(Household)
            .join(Village)
            .where(Village.commune_id == commune.id, Village.retired_at.is_(None))
            .order_by(Village.name, Household.name)
        )
    )


def people_without_accounts(commune: AdminUnit) -> list[HouseholdMember]:
    return list(
        db.session.scalars(
            select(HouseholdMember)
            .join(Household)
            .join(Village)
            .where(Village.commune_id == commune.id, HouseholdMember.user_id.is_(None))
            .order_by(Household.name, HouseholdMember.full_name)
        )
    )


def clans_of(commune: AdminUnit) -> list[Clan]:
    return list(
        db.session.scalars(select(Clan).where(Clan.commune_id == commune.id).order_by(Clan.name))
    )


def organisations_of(commune: AdminUnit) -> list[Organisation]:
    return list(
        db.session.scalars(
            select(Organisation)
            .where(Organisation.commune_id == commune.id)
            .order_by(Organisation.name)
        )
    )


def subject_keys(year: int, commune: AdminUnit) -> dict[str, Assessment]:
    """The assessments of ``year`` in ``commune`` by "model subject_key"."""
    rows = db.session.scalars(
        select(Assessment).where(Assessment.year == year, Assessment.commune_code == commune.code)
    )
    return {f"{row.model} {row.subject_key}": row for row in rows}
