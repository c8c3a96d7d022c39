"""Automatic evidence: what the learning records of an assessment's year say for each source
of ``criteria.SOURCES``, the points an indicator's bands give it, and the trace kept of it.

``value`` computes one source for one assessment (the number and the records it came from);
``refresh`` computes every source the assessment's criteria set uses, stores one Evidence
row of kind "auto" per indicator and sets the automatic points. A year is a calendar year in
Vietnam time: statements carry it (``local_year``), the summaries are kept by it, and
completions and certificates are counted between midnight on 1 January and midnight on the
next 1 January in Asia/Ho_Chi_Minh.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app
from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from courses.certificates.codes import format_code
from courses.certificates.models import Certificate, CertificateKind
from courses.courseware.models import Course
from courses.courseware.queries import title_of
from courses.records import iri, verbs
from courses.records.models import LearnerCourseProgress, LearnerYearHours, Statement
from portal.accounts.models import User
from portal.extensions import db
from portal.i18n import force_language
from portal.i18n.languages import LANGUAGES
from portal.places.models import Household, HouseholdMember
from portal.recognition import sets
from portal.recognition.criteria import SOURCES, Indicator
from portal.recognition.models import (
    Assessment,
    AssessmentEvent,
    AssessmentScore,
    ClanHousehold,
    Evidence,
    Model,
    OrganisationStaff,
    Status,
)

logger = logging.getLogger(__name__)

__all__ = ["ATTENDED", "LIMIT", "refresh", "value", "year_bounds"]

# Class sessions attended (recorded by centres); courses.records.verbs has no constant for it.
ATTENDED = verbs.ADL + "attended"
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
LIMIT = 50  # records listed in an Evidence row's details; "total" says how many there are
LEARNING_RECORD = "learning-record"  # the evidence type automatic evidence is filed under
HOUR_MS = 3_600_000
TWO_PLACES = Decimal("0.01")

UNITS = {
    "learning_hours": "hours",
    "courses_completed": "courses",
    "certificates": "certificates",
    "quiz_average": "score",  # 0–100
    "sessions_attended": "sessions",
    "members_learning_hours": "hours",
    "members_citizens_share": "percent",
    "households_families_share": "percent",
    "staff_citizens_share": "percent",
    "staff_learning_hours": "hours",
}
DESCRIPTIONS = {
    "learning_hours": _l("%(value)s hours of learning in %(year)s."),
    "courses_completed": _l("%(value)s courses completed in %(year)s."),
    "certificates": _l("%(value)s certificates issued in %(year)s."),
    "quiz_average": _l("Mean best quiz score in %(year)s: %(value)s out of 100."),
    "sessions_attended": _l("%(value)s class sessions attended in %(year)s."),
    "members_learning_hours": _l(
        "Members with accounts learnt %(value)s hours each on average in %(year)s."
    ),
    "members_citizens_share": _l("%(value)s%% of the members are Learning Citizens of %(year)s."),
    "households_families_share": _l(
        "%(value)s%% of the households are Learning Families of %(year)s."
    ),
    "staff_citizens_share": _l("%(value)s%% of the staff are Learning Citizens of %(year)s."),
    "staff_learning_hours": _l(
        "Staff with accounts learnt %(value)s hours each on average in %(year)s."
    ),
}
NO_ACCOUNT = _l("No portal account: there are no learning records for this person.")


def year_bounds(year: int) -> tuple[datetime, datetime]:
    """The UTC instants where ``year`` begins and ends in Vietnam time (end exclusive)."""
    start = datetime(year, 1, 1, tzinfo=VIETNAM).astimezone(UTC)
    end = datetime(year + 1, 1, 1, tzinfo=VIETNAM).astimezone(UTC)
    return start, end


def _two(number: Decimal) -> Decimal:
    return number.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def _hours(ms: int | None) -> Decimal:
    return _two(Decimal(ms or 0) / HOUR_MS)


def _percent(part: int, whole: int) -> Decimal:
    return _two(Decimal(part) * 100 / whole) if whole else _two(Decimal(0))


def _mean(total: Decimal, count: int) -> Decimal:
    return _two(total / count) if count else _two(Decimal(0))


def _local_day(moment: datetime | None) -> str | None:
    return moment.astimezone(VIETNAM).date().isoformat() if moment else None


def _count(query: sa.Select[Any]) -> int:
    return int(db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery())) or 0)


# Citizens: the subject's own records ----------------------------------------------------------


def _course_titles(course_iris: list[str | None]) -> dict[str, str]:
    """Titles of the portal courses these IRIs name, in the portal's default language."""
    ids: dict[int, str] = {}
    for course_iri in course_iris:
        if course_iri and iri.activity_kind(course_iri) == "course":
            key = course_iri.rsplit("/", 1)[-1]
            if key.isdigit():
                ids[int(key)] = course_iri
    if not ids:
        return {}
    chain = LANGUAGES[current_app.config["PORTAL_DEFAULT_LANGUAGE"]].chain
    courses = db.session.scalars(
        sa.select(Course).where(Course.id.in_(ids)).options(selectinload(Course.translations))
    )
    return {ids[c.id]: title_of(c, chain, c.original_language) for c in courses}


def _learning_hours(user_id: int, year: int) -> tuple[Decimal, dict[str, Any]]:
    ms = db.session.scalar(
        sa.select(LearnerYearHours.duration_ms).where(
            LearnerYearHours.user_id == user_id, LearnerYearHours.year == year
        )
    )
    # Where the hours came from: the statements with a duration, by course.
    summed = sa.func.sum(Statement.duration_ms).label("ms")
    by_course = (
        sa.select(Statement.course_iri, sa.func.count().label("statements"), summed)
        .where(
            Statement.user_id == user_id,
            Statement.local_year == year,
            Statement.is_voided.is_(False),
            Statement.duration_ms.is_not(None),
        )
        .group_by(Statement.course_iri)
    )
    groups = by_course.subquery()
    total, statements = db.session.execute(
        sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(groups.c.statements), 0))
    ).one()
    rows = db.session.execute(
        by_course.order_by(summed.desc(), Statement.course_iri).limit(LIMIT)
    ).all()
    titles = _course_titles([r.course_iri for r in rows])
    items = [
        {
            "course_iri": r.course_iri,
            "title": titles.get(r.course_iri or ""),
            "statements": r.statements,
            "hours": str(_hours(r.ms)),
        }
        for r in rows
    ]
    return _hours(ms), {"items": items, "total": total, "statements": int(statements)}


def _courses_completed(user_id: int, year: int) -> tuple[Decimal, dict[str, Any]]:
    start, end = year_bounds(year)
    query = sa.select(LearnerCourseProgress.course_iri, LearnerCourseProgress.completed_at).where(
        LearnerCourseProgress.user_id == user_id,
        LearnerCourseProgress.completed_at >= start,
        LearnerCourseProgress.completed_at < end,
    )
    total = _count(query)
    rows = db.session.execute(
        query.order_by(LearnerCourseProgress.completed_at, LearnerCourseProgress.course_iri).limit(
            LIMIT
        )
    ).all()
    titles = _course_titles([r.course_iri for r in rows])
    items = [
        {
            "course_iri": r.course_iri,
            "title": titles.get(r.course_iri),
            "completed_on": _local_day(r.completed_at),
        }
        for r in rows
    ]
    return Decimal(total), {"items": items, "total": total}


def _certificates(user_id: int, year: int) -> tuple[Decimal, dict[str, Any]]:
    start, end = year_bounds(year)
    query = sa.select(
        Certificate.code,
        Certificate.kind,
        Certificate.achievement,
        Certificate.hours,
        Certificate.issued_at,
    ).where(
        Certificate.user_id == user_id,
        Certificate.kind.in_((CertificateKind.COURSE.value, CertificateKind.PROGRAMME.value)),
        Certificate.revoked_at.is_(None),
        Certificate.issued_at >= start,
        Certificate.issued_at < end,
    )
    total = _count(query)
    rows = db.session.execute(
        query.order_by(Certificate.issued_at, Certificate.id).limit(LIMIT)
    ).all()
    items = [
        {
            "code": format_code(r.code),
            "kind": r.kind,
            "title": r.achievement,
            "hours": str(r.hours),
            "issued_on": _local_day(r.issued_at),
        }
        for r in rows
    ]
    return Decimal(total), {"items": items, "total": total}


def _quiz_average(user_id: int, year: int) -> tuple[Decimal, dict[str, Any]]:
    best = (
        sa.select(
            Statement.activity_iri.label("activity_iri"),
            sa.func.max(Statement.course_iri).label("course_iri"),
            sa.func.max(Statement.score_scaled).label("best"),
        )
        .where(
            Statement.user_id == user_id,
            Statement.local_year == year,
            Statement.is_voided.is_(False),
            Statement.score_scaled.is_not(None),
            Statement.activity_iri.is_not(None),
        )
        .group_by(Statement.activity_iri)
        .subquery()
    )
    total, summed = db.session.execute(
        sa.select(sa.func.count(), sa.func.sum(best.c.best)).select_from(best)
    ).one()
    rows = db.session.execute(
        sa.select(best).order_by(best.c.best.desc(), best.c.activity_iri).limit(LIMIT)
    ).all()
    items = [
        {
            "activity_iri": r.activity_iri,
            "course_iri": r.course_iri,
            "best": str(_two(Decimal(repr(r.best)) * 100)),
        }
        for r in rows
    ]
    mean = _mean(Decimal(repr(summed or 0.0)) * 100, total)
    return mean, {"items": items, "total": total}


def _sessions_attended(user_id: int, year: int) -> tuple[Decimal, dict[str, Any]]:
    query = sa.select(Statement.activity_iri, Statement.course_iri, Statement.timestamp).where(
        Statement.user_id == user_id,
        Statement.local_year == year,
        Statement.is_voided.is_(False),
        Statement.verb_iri == ATTENDED,
    )
    total = _count(query)
    rows = db.session.execute(query.order_by(Statement.timestamp, Statement.id).limit(LIMIT)).all()
    items = [
        {"activity_iri": r.activity_iri, "course_iri": r.course_iri, "on": _local_day(r.timestamp)}
        for r in rows
    ]
    return Decimal(total), {"items": items, "total": total}


# Collectives: roll-ups over people and households --------------------------------------------


def _mean_hours(people: sa.Subquery, year: int) -> tuple[Decimal, dict[str, Any]]:
    """Mean learning hours in ``year`` of the people with accounts; ``people`` has the
    columns ``user_id`` (NULL: no account) and ``name``. A person listed twice counts once."""
    per_user = (
        sa.select(
            people.c.user_id,
            sa.func.min(people.c.name).label("name"),
            sa.func.coalesce(sa.func.max(LearnerYearHours.duration_ms), 0).label("ms"),
        )
        .outerjoin(
            LearnerYearHours,
            sa.and_(LearnerYearHours.user_id == people.c.user_id, LearnerYearHours.year == year),
        )
        .where(people.c.user_id.is_not(None))
        .group_by(people.c.user_id)
        .subquery()
    )
    total, summed = db.session.execute(
        sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(per_user.c.ms), 0)).select_from(
            per_user
        )
    ).one()
    without = db.session.scalar(
        sa.select(sa.func.count()).select_from(people).where(people.c.user_id.is_(None))
    )
    rows = db.session.execute(
        sa.select(per_user)
        .order_by(per_user.c.ms.desc(), per_user.c.name, per_user.c.user_id)
        .limit(LIMIT)
    ).all()
    items = [{"name": r.name, "hours": str(_hours(r.ms))} for r in rows]
    mean = _mean(Decimal(int(summed)) / HOUR_MS, total)
    return mean, {"items": items, "total": total, "without_account": int(without or 0)}


def _share(people: sa.Subquery) -> tuple[Decimal, dict[str, Any]]:
    """The percentage of ``people`` (columns ``id``, ``name``, ``status``: the status of
    their assessment of the year, recognised first; people also ``has_account``) that are
    recognised; an empty list gives 0."""
    hit = sa.case((people.c.status == Status.RECOGNISED.value, 1), else_=0)
    total, recognised = db.session.execute(
        sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(hit), 0)).select_from(people)
    ).one()
    rows = db.session.execute(sa.select(people).order_by(people.c.id).limit(LIMIT)).all()
    items = [
        {
            "name": r.name,
            "status": r.status,
            **({"has_account": bool(r.has_account)} if "has_account" in r._fields else {}),
        }
        for r in rows
    ]
    return _percent(int(recognised), total), {
        "items": items,
        "total": total,
        "recognised": int(recognised),
    }


def _status_of(year: int, model: Model, *conditions: Any) -> Any:
    """A correlated subquery: the status of the matching assessment of ``year`` (recognised
    first, when there are two)."""
    recognised_first = sa.case((Assessment.status == Status.RECOGNISED.value, 0), else_=1)
    return (
        sa.select(Assessment.status)
        .where(Assessment.year == year, Assessment.model == model.value, *conditions)
        .order_by(recognised_first, Assessment.id)
        .limit(1)
        .scalar_subquery()
    )


def _households_of(assessment: Assessment) -> Any:
    """The condition on ``Household.id`` of the households an assessment rolls up."""
    if assessment.model == Model.FAMILY:
        return Household.id == assessment.household_id
    if assessment.model == Model.CLAN:
        return Household.id.in_(
            sa.select(ClanHousehold.household_id).where(ClanHousehold.clan_id == assessment.clan_id)
        )
    if assessment.model == Model.COMMUNITY:
        return Household.village_id == assessment.village_id
    raise ValueError(f"{assessment.model} assessments have no households")


def _members_learning_hours(assessment: Assessment) -> tuple[Decimal, dict[str, Any]]:
    people = (
        sa.select(HouseholdMember.user_id, HouseholdMember.full_name.label("name"))
        .join(Household, Household.id == HouseholdMember.household_id)
        .where(_households_of(assessment))
        .subquery()
    )
    return _mean_hours(people, assessment.year)


def _members_citizens_share(assessment: Assessment) -> tuple[Decimal, dict[str, Any]]:
    member = HouseholdMember
    same_person = sa.or_(
        Assessment.member_id == member.id,
        sa.and_(member.user_id.is_not(None), Assessment.user_id == member.user_id),
    )
    people = (
        sa.select(
            member.id,
            member.full_name.label("name"),
            member.user_id.is_not(None).label("has_account"),
            _status_of(assessment.year, Model.CITIZEN, same_person).label("status"),
        )
        .join(Household, Household.id == member.household_id)
        .where(_households_of(assessment))
        .subquery()
    )
    return _share(people)


def _households_families_share(assessment: Assessment) -> tuple[Decimal, dict[str, Any]]:
    people = (
        sa.select(
            Household.id,
            Household.name,
            _status_of(
                assessment.year, Model.FAMILY, Assessment.household_id == Household.id
            ).label("status"),
        )
        .where(_households_of(assessment))
        .subquery()
    )
    return _share(people)


def _staff(assessment: Assessment) -> Any:
    return OrganisationStaff.organisation_id == assessment.organisation_id


def _staff_citizens_share(assessment: Assessment) -> tuple[Decimal, dict[str, Any]]:
    staff = OrganisationStaff
    people = (
        sa.select(
            staff.id,
            staff.full_name.label("name"),
            staff.user_id.is_not(None).label("has_account"),
            _status_of(assessment.year, Model.CITIZEN, Assessment.user_id == staff.user_id).label(
                "status"
            ),
        )
        .where(_staff(assessment))
        .subquery()
    )
    return _share(people)


def _staff_learning_hours(assessment: Assessment) -> tuple[Decimal, dict[str, Any]]:
    people = (
        sa.select(OrganisationStaff.user_id, OrganisationStaff.full_name.label("name"))
        .where(_staff(assessment))
        .subquery()
    )
    return _mean_hours(people, assessment.year)


PERSONAL: dict[str, Callable[[int, int], tuple[Decimal, dict[str, Any]]]] = {
    "learning_hours": _learning_hours,
    "courses_completed": _courses_completed,
    "certificates": _certificates,
    "quiz_average": _quiz_average,
    "sessions_attended": _sessions_attended,
}
COLLECTIVE: dict[str, Callable[[Assessment], tuple[Decimal, dict[str, Any]]]] = {
    "members_learning_hours": _members_learning_hours,
    "members_citizens_share": _members_citizens_share,
    "households_families_share": _households_families_share,
    "staff_citizens_share": _staff_citizens_share,
    "staff_learning_hours": _staff_learning_hours,
}


def value(assessment: Assessment, source: str) -> tuple[Decimal, dict[str, Any]]:
    """The value of ``source`` for ``assessment`` in its year, and the records it came from
    (JSON-able: ``items``, at most ``LIMIT`` of them, and ``total``, how many there are).
    ValueError for a source that does not apply to the assessment's model."""
    if source not in SOURCES or assessment.model not in SOURCES[source]:
        raise ValueError(f"source {source!r} does not apply to {assessment.model} assessments")
    if source in PERSONAL:
        if assessment.user_id is None:  # a household member without an account
            return Decimal(0), {"no_account": True, "items": [], "total": 0}
        return PERSONAL[source](assessment.user_id, assessment.year)
    return COLLECTIVE[source](assessment)


# Storing it ------------------------------------------------------------------------------------


def _description(source: str, number: Decimal, year: int, details: dict[str, Any]) -> str:
    """A short text of what the evidence says, in the portal's default language (the same
    for the respondent and the reviewer)."""
    with force_language(current_app.config["PORTAL_DEFAULT_LANGUAGE"]):
        if details.get("no_account"):
            return str(NO_ACCOUNT)
        shown = format_decimal(number, format="#,##0.##")
        return str(DESCRIPTIONS[source] % {"value": shown, "year": year})


def _trace(
    assessment: Assessment,
    indicator: Indicator,
    number: Decimal,
    found: dict[str, Any],
    evidence_type: str | None,
    rows: list[Evidence],
    by: User | None,
) -> None:
    """Keep exactly one auto Evidence row for ``indicator``, saying what ``found`` says; its
    ``computed_at`` moves only when the figures do."""
    source = indicator.source or ""
    details = {
        "source": source,
        "year": assessment.year,
        "value": str(number),
        "unit": UNITS[source],
        **found,
    }
    description = _description(source, number, assessment.year, found)
    row, extra = (rows[0], rows[1:]) if rows else (None, [])
    for duplicate in extra:
        assessment.evidence.remove(duplicate)
        db.session.delete(duplicate)
    if row is None:
        row = Evidence(
            assessment=assessment,
            indicator=indicator.code,
            kind="auto",
            created_by_id=by.id if by else None,
        )
        db.session.add(row)
    old = dict(row.details or {})
    old.pop("computed_at", None)
    if old != details:
        row.details = {**details, "computed_at": datetime.now(UTC).isoformat(timespec="seconds")}
    if row.description != description:
        row.description = description
    if row.evidence_type != evidence_type:
        row.evidence_type = evidence_type


def refresh(assessment: Assessment, *, by: User | None = None) -> list[str]:
    """Recompute the automatic evidence of every indicator of the assessment's set that has
    a source, and its points: ``auto_points`` always; the points that count too where the
    indicator is answered automatically, unless a reviewer adjusted them. Returns the codes
    of the indicators whose points changed. Only while the assessment is open or submitted:
    afterwards the figures reviewed stay as they were (returns [])."""
    if not (assessment.is_open or assessment.status == Status.SUBMITTED):
        return []
    rules = sets.definition_of(assessment.criteria_set)
    evidence_type = LEARNING_RECORD if LEARNING_RECORD in rules.evidence_types else None
    scores = {row.indicator: row for row in assessment.scores}
    traces: dict[str, list[Evidence]] = {}
    for row in assessment.evidence:
        if row.kind == "auto" and row.indicator:
            traces.setdefault(row.indicator, []).append(row)
    values: dict[str, tuple[Decimal, dict[str, Any]]] = {}
    changed: list[str] = []
    for indicator in rules.indicators:
        if indicator.source is None:
            continue
        if indicator.source not in values:
            values[indicator.source] = value(assessment, indicator.source)
        number, found = values[indicator.source]
        points = indicator.auto_points(number)
        _trace(
            assessment, indicator, number, found, evidence_type, traces.get(indicator.code, []), by
        )
        score = scores.get(indicator.code)
        if score is None:
            score = AssessmentScore(assessment=assessment, indicator=indicator.code)
            db.session.add(score)
        if score.auto_points != points:
            score.auto_points = points
        if indicator.answer != "auto" or score.source == "review":
            continue
        if score.source != "auto":
            score.source = "auto"
        if score.points != points:
            db.session.add(
                AssessmentEvent(
                    assessment=assessment,
                    action="auto",
                    indicator=indicator.code,
                    old_points=score.points,
                    new_points=points,
                    actor_id=by.id if by else None,
                )
            )
            score.points = points
            score.updated_by_id = by.id if by else None
            changed.append(indicator.code)
    db.session.flush()
    if changed:
        logger.info(
            "assessment %s: automatic points changed for %s", assessment.id, ", ".join(changed)
        )
    return changed
