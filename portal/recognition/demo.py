"""Demo content of the learning-society titles, loaded by ``flask demo load``.

The shipped criteria sets; in the demo commune two villages with households (the demo
learners as members and heads), a clan and a school with its staff; the demo learners' home
commune, occupation group and the like where their profile is empty; the demo reviewer and
approver scoped to that commune; and this year's round in several states, made through
``portal.recognition.operations`` so the audit trail, the certificates and the report
summaries are real ones.

This year's round is the one the commune is working on: the citizens' registration may have
closed (30 September), so the commune's reviewer registers late, and answers that were due
before the submission deadline are submitted as on its last day. A learner registering
themself on /titles is offered next year's round once this year's registration has closed.

Idempotent: what exists (looked up by name, or by subject, title and year) is left as it is.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import select

from portal.accounts import operations as accounts
from portal.accounts.models import Role, ScopeKind, User
from portal.accounts.queries import user_by_identifier
from portal.extensions import db
from portal.places import operations as places_ops
from portal.places import queries as places
from portal.places.models import AdminUnit, Household, Village
from portal.recognition import calendar, operations, queries, sets, subjects
from portal.recognition.criteria import DATA, read_file
from portal.recognition.models import (
    Assessment,
    Clan,
    CriteriaSet,
    Model,
    Organisation,
    Status,
)

logger = logging.getLogger(__name__)

__all__ = ["DemoRecognition", "load_criteria", "load_demo_recognition"]

REVIEWER = "0912000003"
APPROVER = "0912000004"
TEACHER = "0912000001"

# sign-in → (occupation group, gender, birth year, ethnicity code): set where empty.
PROFILES: dict[str, tuple[str, str, int, str]] = {
    "0912000005": ("rural_workers", "female", 1985, "01"),  # Nguyễn Thị Lan, Kinh
    "0912000006": ("enterprise_workers", "female", 1992, "05"),  # Sơn Thị Sa Rươne, Khmer
    "0912000007": ("rural_workers", "female", 1980, "12"),  # H'Hen Niê, Ede
    "learner@demo.hoctap.vn": ("other_citizens", "male", 1958, "02"),  # Nông Văn Dền, Tày
    TEACHER: ("officials", "male", 1979, "01"),
}

SECOND_VILLAGE = "Thôn Tân Lập"
FIRST_VILLAGE = "Buôn Ea Sinh"  # made by portal.demo
# village → household → members: (relation, sign-in or None, name, birth year, gender)
HOUSEHOLDS: dict[str, dict[str, tuple[tuple[str, str | None, str, int, str], ...]]] = {
    SECOND_VILLAGE: {
        "Hộ bà Nguyễn Thị Lan": (
            ("head", "0912000005", "Nguyễn Thị Lan", 1985, "female"),
            ("spouse", None, "Trần Văn Hùng", 1982, "male"),
            ("child", None, "Trần Minh Khôi", 2012, "male"),
        ),
        "Hộ ông Nông Văn Dền": (
            ("head", "learner@demo.hoctap.vn", "Nông Văn Dền", 1958, "male"),
            ("spouse", None, "Hoàng Thị Nhung", 1961, "female"),
        ),
        "Hộ bà Sơn Thị Sa Rươne": (("head", "0912000006", "Sơn Thị Sa Rươne", 1992, "female"),),
    },
    FIRST_VILLAGE: {
        "Hộ bà H'Luy Niê": (
            ("head", None, "H'Luy Niê", 1968, "female"),
            ("spouse", None, "Y Khu Ênuôl", 1966, "male"),
        ),
    },
}
CLAN = "Dòng họ Niê, buôn Ea Sinh"
CLAN_HOUSEHOLDS = ("Hộ bà H'Hen Niê", "Hộ bà H'Luy Niê")
SCHOOL = "Trường Tiểu học Ea Sinh"
SCHOOL_STAFF = (TEACHER, "Lê Thị Thu", "Y Moan Ênuôl")

REVIEW_REASON = (
    "Xác nhận của trung tâm học tập cộng đồng xã: học tại lớp ở nhà văn hóa thôn, "
    "chưa có trong hồ sơ học tập trên cổng."
)
ACCEPT_NOTE = "Đã đối chiếu minh chứng với chi hội khuyến học thôn."


@dataclass
class DemoRecognition:
    """What the demo made or found: criteria sets added, villages, and this year's
    assessments (with their certificates once recognised)."""

    criteria_added: int = 0
    villages: list[Village] = field(default_factory=list)
    assessments: list[Assessment] = field(default_factory=list)


def load_criteria() -> int:
    """Load the shipped criteria sets that are not in the database yet; how many were."""
    added = 0
    for path in sorted(DATA.glob("*.yaml")):
        definition = read_file(path)
        if sets.find(definition.code, definition.version) is None:
            sets.load(definition)
            added += 1
    return added


def _user(sign_in: str) -> User | None:
    return user_by_identifier(sign_in)


def _scope_officer(user: User | None, role: Role, commune_code: str) -> None:
    """``user`` holds ``role`` in the demo commune, and in no commune that does not exist
    (``flask demo load`` run before ``flask places load`` gave a placeholder)."""
    if user is None:
        return
    for assignment in list(user.roles):
        if (
            assignment.role == role
            and assignment.scope_kind == ScopeKind.COMMUNE
            and assignment.scope_code != commune_code
            and places.current_commune(assignment.scope_code or "") is None
        ):
            accounts.revoke_role(assignment)
    if not user.has_role(role, ScopeKind.COMMUNE, commune_code):
        accounts.grant_role(user, role, scope_kind=ScopeKind.COMMUNE, scope_code=commune_code)


def _fill_profiles(commune: AdminUnit) -> None:
    for sign_in, (group, gender, birth_year, ethnicity) in PROFILES.items():
        user = _user(sign_in)
        if user is None:
            continue
        wanted = {
            "home_commune_id": commune.id,
            "occupation_group": group,
            "gender": gender,
            "birth_year": birth_year,
            "ethnicity_code": ethnicity,
        }
        empty = {name: value for name, value in wanted.items() if getattr(user, name) is None}
        if empty:
            accounts.update_profile(user, **empty)


def _village(commune: AdminUnit, name: str, kind: str, by: User | None) -> Village:
    found = places.active_village_named(commune, name)
    return found or places_ops.create_village(commune, name=name, kind=kind, created_by=by)


def _households(village: Village, by: User | None) -> dict[str, Household]:
    """The village's households of :data:`HOUSEHOLDS`, made with their members if absent."""
    existing = {h.name: h for h in places.households_of(village)}
    for name, members in HOUSEHOLDS.get(village.name, {}).items():
        if name in existing:
            continue
        household = places_ops.create_household(village, name=name, created_by=by)
        for relation, sign_in, full_name, birth_year, gender in members:
            user = _user(sign_in) if sign_in else None
            if user is not None and places.household_of_user(user.id) is not None:
                continue  # already a member elsewhere
            places_ops.add_member(
                household,
                relation=relation,
                user=user,
                full_name=None if user else full_name,
                birth_year=None if user else birth_year,
                gender=None if user else gender,
                added_by=by,
            )
        existing[name] = household
    return existing


def _clan(commune: AdminUnit, village: Village, households: list[Household], by: User) -> Clan:
    found = db.session.scalar(
        select(Clan).where(Clan.commune_id == commune.id, Clan.name == CLAN).limit(1)
    )
    return found or subjects.create_clan(
        commune, name=CLAN, village=village, households=households, by=by
    )


def _school(commune: AdminUnit, by: User) -> Organisation:
    found = db.session.scalar(
        select(Organisation)
        .where(Organisation.commune_id == commune.id, Organisation.name == SCHOOL)
        .limit(1)
    )
    if found is not None:
        return found
    school = subjects.create_organisation(
        commune, name=SCHOOL, kind="school", level="commune", staff=SCHOOL_STAFF, by=by
    )
    teacher = _user(TEACHER)
    school.head_user_id = teacher.id if teacher else None  # the head answers its form
    db.session.flush()
    return school


# The round -----------------------------------------------------------------------------------


def _criteria_set(model: str, year: int, subject: Any) -> CriteriaSet | None:
    """The set a subject would be offered: a citizen's occupation group's, else the first."""
    choices = queries.sets_for(model, year)
    if model == Model.CITIZEN:
        return queries.suggested_set(subject, choices) or (choices[0] if choices else None)
    return choices[0] if choices else None


def _answers(assessment: Assessment, *, part: float = 1.0) -> dict[str, str]:
    """Answers to the form's questions (``part`` of them): scales near their maximum, the
    choice worth most points."""
    rules = operations.definition(assessment)
    asked = [i for i in rules.indicators if i.answer != "auto"]
    answers: dict[str, str] = {}
    for n, indicator in enumerate(asked[: max(1, round(len(asked) * part))]):
        if indicator.answer == "choice":
            best = max(range(len(indicator.options)), key=lambda k: indicator.options[k].points)
            answers[indicator.code] = str(best)
        else:
            points = max(indicator.max_points - indicator.step * (n % 3), Decimal(0))
            answers[indicator.code] = format(points.normalize(), "f")
    return answers


def _reviewed(assessment: Assessment, reviewer: User) -> None:
    """The reviewer raises what learning records could not show (work outside the portal)
    until the form meets the criteria, each change with its reason."""
    rules = operations.definition(assessment)
    for _attempt in range(len(rules.indicators)):
        result = operations.rescore(assessment)
        if result.passed:
            return
        points = {s.indicator: s.points or Decimal(0) for s in assessment.scores}
        lowest = min(rules.indicators, key=lambda i: points.get(i.code, 0) / i.max_points)
        target = (lowest.max_points * Decimal("0.8")).quantize(Decimal(1), ROUND_HALF_UP)
        if points.get(lowest.code, 0) >= target:
            target = lowest.max_points
        operations.adjust(assessment, lowest.code, target, reason=REVIEW_REASON, by=reviewer)


def _round(
    subject: Any,
    model: str,
    year: int,
    *,
    until: Status,
    respondent: User,
    reviewer: User,
    approver: User,
) -> Assessment | None:
    """``subject``'s assessment for ``model`` in ``year``, taken as far as ``until`` (made
    once: an assessment that exists is returned as it is)."""
    key = operations.subject_of(model, subject).key
    found = queries.registered(key, model, year)
    if found is not None:
        return found
    criteria_set = _criteria_set(model, year, subject)
    if criteria_set is None:
        return None
    day = places.today()
    late = day > calendar.due(year, model, "register")
    assessment = operations.register(
        subject, model=model, year=year, criteria_set=criteria_set, by=reviewer, late=late
    )
    if until == Status.REGISTERED:
        return assessment
    part = 0.5 if until == Status.DRAFT else 1.0
    operations.answer(assessment, _answers(assessment, part=part), by=respondent)
    if until == Status.DRAFT:
        return assessment
    # Sent in time: on the last day of the submission window at the latest.
    operations.submit(
        assessment, by=respondent, today=min(day, calendar.due(year, model, "submit"))
    )
    if until == Status.SUBMITTED:
        return assessment
    _reviewed(assessment, reviewer)
    operations.accept(assessment, by=reviewer, note=ACCEPT_NOTE)
    if until == Status.ACCEPTED:
        return assessment
    operations.recognise(assessment, by=approver, language="vi")
    return assessment


def load_demo_recognition(commune_code: str | None) -> DemoRecognition:
    """Load the demo content of the titles in the commune ``commune_code`` (only the
    criteria sets when it is None or unknown, or the demo officers are missing)."""
    made = DemoRecognition(criteria_added=load_criteria())
    commune = places.current_commune(commune_code) if commune_code else None
    reviewer, approver = _user(REVIEWER), _user(APPROVER)
    if commune is None or reviewer is None or approver is None:
        return made
    _scope_officer(reviewer, Role.REVIEWER, commune.code)
    _scope_officer(approver, Role.APPROVER, commune.code)
    _fill_profiles(commune)
    first = _village(commune, FIRST_VILLAGE, "other", reviewer)
    second = _village(commune, SECOND_VILLAGE, "thon", reviewer)
    made.villages = [first, second]
    homes = {**_households(first, reviewer), **_households(second, reviewer)}
    clan = _clan(commune, first, [homes[n] for n in CLAN_HOUSEHOLDS if n in homes], reviewer)
    school = _school(commune, reviewer)

    year = places.today().year
    people = {sign_in: _user(sign_in) for sign_in in PROFILES}
    lan, sa_ruone, h_hen = people["0912000005"], people["0912000006"], people["0912000007"]
    teacher = people[TEACHER]
    plan: list[tuple[Any, str, Status, User | None]] = [
        (lan, Model.CITIZEN, Status.RECOGNISED, lan),
        (h_hen, Model.CITIZEN, Status.ACCEPTED, h_hen),
        (sa_ruone, Model.CITIZEN, Status.SUBMITTED, sa_ruone),
        (homes.get("Hộ bà Nguyễn Thị Lan"), Model.FAMILY, Status.RECOGNISED, lan),
        (homes.get("Hộ bà H'Hen Niê"), Model.FAMILY, Status.SUBMITTED, h_hen),
        (clan, Model.CLAN, Status.ACCEPTED, reviewer),
        (first, Model.COMMUNITY, Status.DRAFT, reviewer),
        (school, Model.UNIT, Status.DRAFT, teacher or reviewer),
    ]
    for subject, model, until, respondent in plan:
        if subject is None or respondent is None:
            continue
        assessment = _round(
            subject,
            model,
            year,
            until=until,
            respondent=respondent,
            reviewer=reviewer,
            approver=approver,
        )
        if assessment is not None:
            made.assessments.append(assessment)
    logger.info(
        "demo titles: %s criteria sets added, %s assessments in commune %s",
        made.criteria_added,
        len(made.assessments),
        commune.code,
    )
    return made
