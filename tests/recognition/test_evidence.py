"""Automatic evidence from learning records: each source against records made by hand, the
year in Vietnam time, roll-ups over households, clans, villages and staff, and ``refresh``
(points, the trace of one auto Evidence row per indicator, the audit trail)."""

from __future__ import annotations

import copy
import itertools
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa

from courses.certificates.models import Certificate
from courses.records import iri, operations, verbs
from courses.records.models import LearnerYearHours, Statement
from portal.accounts.models import User
from portal.recognition import evidence, sets
from portal.recognition.criteria import validate
from portal.recognition.models import (
    Assessment,
    AssessmentEvent,
    AssessmentScore,
    Clan,
    ClanHousehold,
    Evidence,
    Organisation,
    OrganisationStaff,
)

D = Decimal
MID_2026 = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
NEW_YEAR_2027 = datetime(2026, 12, 31, 17, 30, tzinfo=UTC)  # 00:30 on 1 January 2027 in Vietnam
LAST_OF_2026 = datetime(2026, 12, 31, 16, 59, tzinfo=UTC)  # 23:59 on 31 December 2026
LAST_OF_2025 = datetime(2025, 12, 31, 16, 30, tzinfo=UTC)  # 23:30 on 31 December 2025
_serial = itertools.count(1)


@pytest.fixture
def person(db: Any) -> Callable[..., User]:
    """A user made directly (they never sign in here): ``person("Name")``."""

    def make(full_name: str = "Học viên") -> User:
        user = User(
            full_name=full_name,
            password_hash="-",
            session_token="-",
            email=f"ev{next(_serial)}@t.vn",
        )
        db.session.add(user)
        db.session.flush()
        return user

    return make


@pytest.fixture
def assess(db: Any, criteria: dict[str, Any], places: dict[str, Any]) -> Callable[..., Assessment]:
    """``assess(subject, model, year=2026, status="draft", criteria_set=None)``: an
    assessment
    built directly; the subject is a User, HouseholdMember, Household, Clan, Village or
    Organisation."""
    default_sets = {
        "citizen": "citizen-workers",
        "family": "family",
        "clan": "clan",
        "community": "community",
        "unit": "unit",
    }
    keys = {
        "citizen": ("user", "user_id"),
        "family": ("household", "household_id"),
        "clan": ("clan", "clan_id"),
        "community": ("village", "village_id"),
        "unit": ("organisation", "organisation_id"),
    }

    def make(
        subject: Any,
        model: str,
        *,
        year: int = 2026,
        status: str = "draft",
        criteria_set: Any = None,
    ) -> Assessment:
        kind, column = keys[model]
        if model == "citizen" and not isinstance(subject, User):
            kind, column = "member", "member_id"
        name = getattr(subject, "full_name", None) or subject.name
        row = Assessment(
            year=year,
            model=model,
            criteria_set_id=(criteria_set or criteria[default_sets[model]]).id,
            status=status,
            subject_key=f"{kind}:{subject.id}",
            subject_name=name,
            commune_code=places["commune"].code,
            province_code=places["province"].code,
            **{column: subject.id},
        )
        db.session.add(row)
        db.session.flush()
        return row

    return make


def record(user: User, verb: str, activity: str, at: datetime, **result: Any) -> Statement:
    """Record one statement through ``courses.records`` (so the summaries follow);
    ``result`` may give ``duration``, ``scaled`` and ``course`` (a course id)."""
    sent: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "actor": iri.user_agent(user.id),
        "verb": {"id": verb, "display": verbs.display(verb)},
        "object": {"objectType": "Activity", "id": activity},
        "timestamp": at.isoformat(),
    }
    parts: dict[str, Any] = {}
    if "duration" in result:
        parts["duration"] = result["duration"]
    if "scaled" in result:
        parts["score"] = {"scaled": result["scaled"]}
    if parts:
        sent["result"] = parts
    if "course" in result:
        grouping = [{"id": iri.activity_iri("course", result["course"])}]
        sent["context"] = {"contextActivities": {"grouping": grouping}}
    return operations.record(sent)


def certificate(user: User, issued_at: datetime, *, kind: str = "course", **fields: Any) -> Any:
    from portal.extensions import db

    row = Certificate(
        code=f"EV{next(_serial):08d}",
        kind=kind,
        achievement=f"Khoá {kind}",
        hours=D("12.5"),
        user_id=user.id,
        learner_name=user.full_name,
        issuer="Cổng học tập",
        language="vi",
        issued_at=issued_at,
        **fields,
    )
    db.session.add(row)
    db.session.flush()
    return row


def hours(user: User, year: int, hours: str) -> None:
    from portal.extensions import db

    db.session.add(
        LearnerYearHours(
            user_id=user.id, year=year, updated_at=MID_2026, duration_ms=int(D(hours) * 3_600_000)
        )
    )
    db.session.flush()


def lesson(n: int) -> str:
    return iri.activity_iri("lesson", n)


def quiz(n: int) -> str:
    return iri.activity_iri("quiz", n)


# The year -----------------------------------------------------------------------------------


def test_a_year_runs_from_midnight_to_midnight_in_vietnam(app):
    start, end = evidence.year_bounds(2027)
    assert start == datetime(2026, 12, 31, 17, 0, tzinfo=UTC)
    assert end == datetime(2027, 12, 31, 17, 0, tzinfo=UTC)


# Citizens --------------------------------------------------------------------------------------


def test_learning_hours_count_the_year_in_vietnam_time(person, assess, make_course):
    user = person()
    course = make_course(person("Giáo viên"), title="Tin học văn phòng")
    record(user, verbs.EXPERIENCED, lesson(1), MID_2026, duration="PT2H", course=course.id)
    record(user, verbs.EXPERIENCED, lesson(2), LAST_OF_2025, duration="PT1H")  # 2025
    record(user, verbs.EXPERIENCED, lesson(3), NEW_YEAR_2027, duration="PT1H30M")  # 2027
    record(user, verbs.EXPERIENCED, lesson(4), LAST_OF_2026, duration="PT15M")

    value, details = evidence.value(assess(user, "citizen"), "learning_hours")

    assert value == D("2.25")
    assert details["statements"] == 2 and details["total"] == 2
    assert details["items"][0] == {
        "course_iri": iri.activity_iri("course", course.id),
        "title": "Tin học văn phòng",
        "statements": 1,
        "hours": "2.00",
    }
    assert details["items"][1]["course_iri"] is None and details["items"][1]["hours"] == "0.25"
    assert evidence.value(assess(user, "citizen", year=2027), "learning_hours")[0] == D("1.50")


def test_learning_hours_have_two_decimals(person, assess):
    user = person()
    record(user, verbs.EXPERIENCED, lesson(1), MID_2026, duration="PT20M")
    value, _ = evidence.value(assess(user, "citizen"), "learning_hours")
    assert value == D("0.33") and str(value) == "0.33"


def test_voided_statements_count_for_nothing(person, assess):
    user = person()
    kept = record(user, verbs.PASSED, quiz(1), MID_2026, scaled=0.6, duration="PT1H")
    wrong = record(user, verbs.PASSED, quiz(1), MID_2026, scaled=1.0, duration="PT3H")
    session = record(user, evidence.ATTENDED, lesson(9), MID_2026)
    operations.void(wrong.statement_id, by=user)
    operations.void(session.statement_id, by=user)
    row = assess(user, "citizen")

    assert not kept.is_voided
    assert evidence.value(row, "quiz_average")[0] == D("60.00")
    assert evidence.value(row, "learning_hours")[0] == D("1.00")
    assert evidence.value(row, "sessions_attended")[0] == 0


def test_courses_completed_in_the_year_with_their_titles(person, assess, make_course):
    user, other = person(), person()
    teacher = person("Giáo viên")
    first = make_course(teacher, title="Trồng cà phê", quiz=False)
    second = make_course(teacher, title="An toàn điện", quiz=False)
    third = make_course(teacher, title="Chăn nuôi", quiz=False)
    record(user, verbs.COMPLETED, iri.activity_iri("course", first.id), MID_2026)
    record(user, verbs.COMPLETED, iri.activity_iri("course", second.id), LAST_OF_2026)
    record(user, verbs.COMPLETED, iri.activity_iri("course", third.id), NEW_YEAR_2027)
    record(user, verbs.EXPERIENCED, lesson(1), MID_2026, course=third.id)  # not a completion
    record(other, verbs.COMPLETED, iri.activity_iri("course", third.id), MID_2026)

    value, details = evidence.value(assess(user, "citizen"), "courses_completed")

    assert value == 2 and details["total"] == 2
    assert [(i["title"], i["completed_on"]) for i in details["items"]] == [
        ("Trồng cà phê", "2026-06-01"),
        ("An toàn điện", "2026-12-31"),
    ]
    later, _ = evidence.value(assess(user, "citizen", year=2027), "courses_completed")
    assert later == 1


def test_certificates_of_the_year_not_revoked_nor_titles(person, assess):
    user, other = person(), person()
    kept = certificate(user, MID_2026)
    certificate(user, LAST_OF_2026, kind="programme")
    certificate(user, MID_2026, revoked_at=MID_2026, revoked_reason="nhầm")
    certificate(user, MID_2026, kind="title")
    certificate(user, NEW_YEAR_2027)
    certificate(other, MID_2026)

    value, details = evidence.value(assess(user, "citizen"), "certificates")

    assert value == 2 and details["total"] == 2
    assert details["items"][0] == {
        "code": kept.display_code,
        "kind": "course",
        "title": "Khoá course",
        "hours": "12.50",
        "issued_on": "2026-06-01",
    }
    assert details["items"][1]["kind"] == "programme"


def test_quiz_average_is_the_mean_of_the_best_score_of_each_activity(person, assess):
    user = person()
    record(user, verbs.FAILED, quiz(1), MID_2026, scaled=0.6)
    record(user, verbs.PASSED, quiz(1), MID_2026, scaled=0.9)
    record(user, verbs.PASSED, quiz(2), MID_2026, scaled=0.65)
    record(user, verbs.EXPERIENCED, lesson(1), MID_2026)  # no score
    record(user, verbs.PASSED, quiz(3), NEW_YEAR_2027, scaled=0.1)  # 2027

    value, details = evidence.value(assess(user, "citizen"), "quiz_average")

    assert value == D("77.50")
    assert details["total"] == 2
    assert [(i["activity_iri"], i["best"]) for i in details["items"]] == [
        (quiz(1), "90.00"),
        (quiz(2), "65.00"),
    ]


def test_quiz_average_without_scores_is_zero(person, assess):
    user = person()
    record(user, verbs.EXPERIENCED, lesson(1), MID_2026)
    assert evidence.value(assess(user, "citizen"), "quiz_average") == (
        D(0),
        {"items": [], "total": 0},
    )


def test_sessions_attended_counts_the_attended_verb_in_the_year(person, assess):
    user = person()
    record(user, evidence.ATTENDED, lesson(1), MID_2026)
    record(user, evidence.ATTENDED, lesson(2), LAST_OF_2026)
    record(user, evidence.ATTENDED, lesson(3), NEW_YEAR_2027)
    record(user, verbs.EXPERIENCED, lesson(4), MID_2026)

    value, details = evidence.value(assess(user, "citizen"), "sessions_attended")

    assert evidence.ATTENDED == "http://adlnet.gov/expapi/verbs/attended"
    assert value == 2
    assert [i["on"] for i in details["items"]] == ["2026-06-01", "2026-12-31"]


def test_details_list_fifty_records_and_say_how_many_there_are(db, person, assess):
    user = person()
    db.session.add_all(
        Statement(
            statement_id=str(uuid.uuid4()),
            user_id=user.id,
            actor_key=f"u{user.id}",
            verb_iri=evidence.ATTENDED,
            activity_iri=lesson(n),
            local_year=2026,
            timestamp=MID_2026,
            stored=MID_2026,
            data={},
        )
        for n in range(60)
    )
    db.session.flush()
    value, details = evidence.value(assess(user, "citizen"), "sessions_attended")
    assert value == 60 and details["total"] == 60 and len(details["items"]) == evidence.LIMIT


def test_a_member_without_an_account_has_no_learning_records(places, add_member, assess):
    member = add_member(places["households"][0], full_name="Ka Hoa")
    row = assess(member, "citizen")
    for source in ("learning_hours", "courses_completed", "certificates", "quiz_average"):
        assert evidence.value(row, source) == (
            D(0),
            {"no_account": True, "items": [], "total": 0},
        )


def test_a_source_of_another_model_is_refused(person, assess):
    with pytest.raises(ValueError, match="members_learning_hours"):
        evidence.value(assess(person(), "citizen"), "members_learning_hours")


# Families, clans, communities ------------------------------------------------------------------


def test_family_hours_are_the_mean_of_members_with_accounts(person, places, add_member, assess):
    home, neighbour = places["households"][0], places["households"][1]
    a, b, c = person("K'Brơi"), person("Ka Hoa"), person("Hàng xóm")
    add_member(home, a)
    add_member(home, b)
    add_member(home, full_name="Bà nội")  # no account: not in the mean
    add_member(neighbour, c)
    hours(a, 2026, "3")
    hours(a, 2025, "40")
    hours(c, 2026, "50")

    value, details = evidence.value(assess(home, "family"), "members_learning_hours")

    assert value == D("1.50")
    assert details["total"] == 2 and details["without_account"] == 1
    assert details["items"] == [
        {"name": "K'Brơi", "hours": "3.00"},
        {"name": "Ka Hoa", "hours": "0.00"},
    ]


def test_family_share_counts_members_recognised_that_year(person, places, add_member, assess):
    home = places["households"][0]
    a, c, d = person("Anh"), person("Chị"), person("Dì")
    add_member(home, a)
    b = add_member(home, full_name="Bà")  # recognised through her member record
    add_member(home, c)
    add_member(home, d)
    assess(a, "citizen", status="recognised")
    assess(b, "citizen", status="recognised")
    assess(c, "citizen", year=2025, status="recognised")  # another year
    assess(c, "citizen", status="submitted")
    assess(d, "citizen", status="not_recognised")

    value, details = evidence.value(assess(home, "family"), "members_citizens_share")

    assert value == D("50.00")
    assert details["total"] == 4 and details["recognised"] == 2
    assert [(i["name"], i["has_account"], i["status"]) for i in details["items"]] == [
        ("Anh", True, "recognised"),
        ("Bà", False, "recognised"),
        ("Chị", True, "submitted"),
        ("Dì", True, "not_recognised"),
    ]


def test_shares_have_two_decimals_and_empty_lists_give_zero(person, places, add_member, assess):
    home, empty = places["households"][0], places["households"][2]
    a = person()
    add_member(home, a)
    add_member(home, full_name="Ông")
    add_member(home, full_name="Bà")
    assess(a, "citizen", status="recognised")
    assert evidence.value(assess(home, "family"), "members_citizens_share")[0] == D("33.33")
    row = assess(empty, "family")
    assert evidence.value(row, "members_citizens_share")[0] == 0
    assert evidence.value(row, "members_learning_hours") == (
        D(0),
        {"items": [], "total": 0, "without_account": 0},
    )


def test_clan_rolls_up_its_households(db, person, places, add_member, assess):
    one, two, three = places["households"]
    clan = Clan(name="Dòng họ K'Brơi", commune_id=places["commune"].id)
    db.session.add(clan)
    db.session.flush()
    db.session.add_all([ClanHousehold(clan_id=clan.id, household_id=h.id) for h in (one, two)])
    a, b, outsider = person("A"), person("B"), person("Ngoài họ")
    add_member(one, a)
    add_member(two, b)
    add_member(three, outsider)
    hours(a, 2026, "10")
    hours(b, 2026, "5")
    hours(outsider, 2026, "100")
    assess(one, "family", status="recognised")
    assess(two, "family", year=2025, status="recognised")
    assess(three, "family", status="recognised")
    row = assess(clan, "clan")

    share, details = evidence.value(row, "households_families_share")
    assert share == D("50.00")
    assert details["items"] == [
        {"name": one.name, "status": "recognised"},
        {"name": two.name, "status": None},
    ]
    assert evidence.value(row, "members_learning_hours")[0] == D("7.50")


def test_community_share_is_over_the_village_households(places, assess):
    one, two, three = places["households"]  # one and two in village A, three in B
    assess(one, "family", status="recognised")
    assess(two, "family", status="draft")
    assess(three, "family", status="recognised")
    value, details = evidence.value(
        assess(places["village_a"], "community"), "households_families_share"
    )
    assert value == D("50.00") and details["total"] == 2


# Units -----------------------------------------------------------------------------------------


def test_unit_staff_without_accounts_count_in_the_share_only(db, person, places, assess):
    unit = Organisation(
        name="Trường Tiểu học Đạ Tông", kind="school", commune_id=places["commune"].id
    )
    db.session.add(unit)
    db.session.flush()
    a, b, c = person("Cô A"), person("Thầy B"), person("Cô C")
    db.session.add_all(
        OrganisationStaff(
            organisation_id=unit.id, user_id=user.id if user else None, full_name=name
        )
        for user, name in ((a, "Cô A"), (b, "Thầy B"), (c, "Cô C"), (None, "Bác bảo vệ"))
    )
    db.session.flush()
    assess(a, "citizen", status="recognised")
    assess(b, "citizen", year=2025, status="recognised")
    hours(a, 2026, "20")
    hours(b, 2026, "10")
    row = assess(unit, "unit")

    share, details = evidence.value(row, "staff_citizens_share")
    assert share == D("25.00") and details["total"] == 4
    assert details["items"][3] == {"name": "Bác bảo vệ", "has_account": False, "status": None}
    mean, details = evidence.value(row, "staff_learning_hours")
    assert mean == D("10.00") and details["without_account"] == 1


def test_a_unit_without_staff_gives_zero(db, places, assess):
    unit = Organisation(name="Công ty mới", kind="enterprise", commune_id=places["commune"].id)
    db.session.add(unit)
    db.session.flush()
    row = assess(unit, "unit")
    assert evidence.value(row, "staff_citizens_share")[0] == 0
    assert evidence.value(row, "staff_learning_hours")[0] == 0


# refresh ---------------------------------------------------------------------------------------


def _scores(row: Assessment) -> dict[str, AssessmentScore]:
    return {s.indicator: s for s in row.scores}


def _auto_evidence(db: Any, row: Assessment) -> list[Evidence]:
    return list(
        db.session.scalars(
            sa.select(Evidence)
            .where(Evidence.assessment_id == row.id, Evidence.kind == "auto")
            .order_by(Evidence.indicator)
        )
    )


def _events(db: Any, row: Assessment) -> list[AssessmentEvent]:
    return list(
        db.session.scalars(
            sa.select(AssessmentEvent)
            .where(AssessmentEvent.assessment_id == row.id)
            .order_by(AssessmentEvent.id)
        )
    )


def test_refresh_scores_every_automatic_indicator_and_traces_it(db, person, assess):
    user, officer = person(), person("Cán bộ")
    record(user, verbs.EXPERIENCED, lesson(1), MID_2026, duration="PT17H")
    record(user, verbs.PASSED, quiz(1), MID_2026, scaled=0.72)
    certificate(user, MID_2026)
    row = assess(user, "citizen")

    changed = evidence.refresh(row, by=officer)

    # citizen-workers: 1.2 hours, 1.3 courses, 2.3 certificates, 3.3 quizzes.
    assert changed == ["1.2", "1.3", "2.3", "3.3"]  # from no points, 0 is a change too
    scores = _scores(row)
    assert {code: (s.auto_points, s.points, s.source) for code, s in scores.items()} == {
        "1.2": (D(8), D(8), "auto"),
        "1.3": (D(0), D(0), "auto"),
        "2.3": (D(7), D(7), "auto"),
        "3.3": (D(8), D(8), "auto"),
    }
    traces = _auto_evidence(db, row)
    assert [t.indicator for t in traces] == ["1.2", "1.3", "2.3", "3.3"]
    hours_trace = traces[0]
    assert hours_trace.evidence_type == "learning-record"
    assert hours_trace.created_by_id == officer.id
    assert "17" in hours_trace.description and "2026" in hours_trace.description
    details = hours_trace.details
    assert (details["source"], details["value"], details["unit"], details["year"]) == (
        "learning_hours",
        "17.00",
        "hours",
        2026,
    )
    assert details["total"] == 1 and details["computed_at"]
    events = _events(db, row)
    assert [(e.action, e.indicator, e.old_points, e.new_points, e.actor_id) for e in events] == [
        ("auto", "1.2", None, D(8), officer.id),
        ("auto", "1.3", None, D(0), officer.id),
        ("auto", "2.3", None, D(7), officer.id),
        ("auto", "3.3", None, D(8), officer.id),
    ]


def test_refresh_twice_changes_nothing_the_second_time(db, person, assess):
    user = person()
    record(user, verbs.EXPERIENCED, lesson(1), MID_2026, duration="PT9H")
    row = assess(user, "citizen")
    evidence.refresh(row)
    db.session.expire_all()
    before = [(t.id, t.details, t.description) for t in _auto_evidence(db, row)]
    events = len(_events(db, row))

    assert evidence.refresh(row) == []
    db.session.expire_all()
    assert [(t.id, t.details, t.description) for t in _auto_evidence(db, row)] == before
    assert len(_events(db, row)) == events


def test_refresh_follows_new_records_and_replaces_the_details(db, person, assess):
    user = person()
    record(user, verbs.EXPERIENCED, lesson(1), MID_2026, duration="PT9H")
    row = assess(user, "citizen", status="submitted")
    evidence.refresh(row)
    record(user, verbs.EXPERIENCED, lesson(2), MID_2026, duration="PT30H")

    assert evidence.refresh(row) == ["1.2"]

    assert _scores(row)["1.2"].points == D(10)
    traces = [t for t in _auto_evidence(db, row) if t.indicator == "1.2"]
    assert len(traces) == 1 and traces[0].details["value"] == "39.00"
    last = _events(db, row)[-1]
    assert (last.indicator, last.old_points, last.new_points) == ("1.2", D(5), D(10))


def test_refresh_keeps_a_reviewers_adjustment(db, person, assess):
    user = person()
    record(user, verbs.EXPERIENCED, lesson(1), MID_2026, duration="PT9H")
    row = assess(user, "citizen", status="submitted")
    db.session.add(
        AssessmentScore(
            assessment=row,
            indicator="1.2",
            points=D(2),
            source="review",
            reason="Giờ học không hợp lệ",
        )
    )
    db.session.flush()

    assert "1.2" not in evidence.refresh(row)

    score = _scores(row)["1.2"]
    assert (score.auto_points, score.points, score.source) == (D(5), D(2), "review")
    assert not [e for e in _events(db, row) if e.indicator == "1.2"]


def test_refresh_keeps_one_auto_evidence_row_per_indicator(db, person, assess):
    user = person()
    row = assess(user, "citizen")
    for _ in range(2):
        db.session.add(Evidence(assessment=row, indicator="1.2", kind="auto", details={}))
    db.session.add(Evidence(assessment=row, indicator="1.2", kind="note", description="Ghi chú"))
    db.session.flush()

    evidence.refresh(row)

    rows = db.session.scalars(sa.select(Evidence).where(Evidence.assessment_id == row.id))
    kinds = sorted((e.indicator, e.kind) for e in rows)
    assert kinds == [
        ("1.2", "auto"),
        ("1.2", "note"),
        ("1.3", "auto"),
        ("2.3", "auto"),
        ("3.3", "auto"),
    ]


@pytest.mark.parametrize("status", ["accepted", "recognised", "not_recognised", "withdrawn"])
def test_refresh_leaves_decided_assessments_as_they_were(db, person, assess, status):
    user = person()
    record(user, verbs.EXPERIENCED, lesson(1), MID_2026, duration="PT40H")
    row = assess(user, "citizen", status=status)
    db.session.add(
        AssessmentScore(
            assessment=row, indicator="1.2", points=D(5), source="auto", auto_points=D(5)
        )
    )
    db.session.flush()

    assert evidence.refresh(row) == []

    assert _scores(row)["1.2"].points == D(5) and _scores(row)["1.2"].auto_points == D(5)
    assert _auto_evidence(db, row) == [] and _events(db, row) == []


def test_refresh_of_a_family_uses_its_sources(db, person, places, add_member, assess):
    home = places["households"][0]
    a, b = person("A"), person("B")
    add_member(home, a)
    add_member(home, b)
    hours(a, 2026, "30")
    assess(a, "citizen", status="recognised")
    row = assess(home, "family", status="registered")

    evidence.refresh(row)

    scores = _scores(row)
    # family 2.1: members_citizens_share 50 % → 12; 2.2: members_learning_hours 15 h → 8.
    assert (scores["2.1"].points, scores["2.2"].points) == (D(12), D(8))
    traces = _auto_evidence(db, row)
    assert [t.details["unit"] for t in traces] == ["percent", "hours"]
    assert "50" in traces[0].description and "%" in traces[0].description


def test_without_a_learning_record_type_the_evidence_has_no_type(db, person, criteria, assess):
    document = copy.deepcopy(criteria["citizen-workers"].definition)
    document["code"] = "citizen-no-records"
    document["evidence_types"] = [
        t for t in document["evidence_types"] if t["code"] != evidence.LEARNING_RECORD
    ]
    for criterion in document["criteria"]:
        for indicator in criterion["indicators"]:
            kept = [t for t in indicator.get("evidence_types", []) if t != "learning-record"]
            indicator["evidence_types"] = kept
    plain, _ = sets.load(validate(document))
    row = assess(person(), "citizen", criteria_set=plain)

    evidence.refresh(row)

    traces = _auto_evidence(db, row)
    assert len(traces) == 4 and {t.evidence_type for t in traces} == {None}
