from sqlalchemy import func, select

from courses.courseware.models import Course, Lesson
from courses.learning.models import Enrolment
from courses.records import iri, verbs
from courses.records.models import Statement
from portal.accounts.models import User
from portal.demo import DEMO_USERS


def _count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_demo_load_is_idempotent_and_loads_courses_and_an_enrolment(app, db):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo", "load"])
    assert first.exit_code == 0, first.output
    assert "admin@demo.hoctap.vn" in first.output
    assert first.output.count("demo course (") == 4
    counts = {m: _count(db, m) for m in (Course, Lesson, Enrolment, Statement)}
    second = runner.invoke(args=["demo", "load"])
    assert second.exit_code == 0, second.output
    assert f"0 created, {len(DEMO_USERS)} already there" in second.output
    assert db.session.query(User).count() == len(DEMO_USERS)
    assert {m: _count(db, m) for m in counts} == counts
    admin = db.session.query(User).filter_by(email="admin@demo.hoctap.vn").one()
    assert admin.has_role("admin")

    courses = db.session.scalars(select(Course)).all()
    assert {c.kind for c in courses} == {"self_paced", "cohort", "vocational"}
    assert all(c.status == "published" for c in courses)
    assert sum(len(c.prerequisites) for c in courses) == 1
    languages = {t.language for c in courses for lesson in c.lessons for t in lesson.translations}
    assert {"vi", "en", "km", "rad"} <= languages
    teacher = db.session.query(User).filter_by(phone="+84912000001").one()
    assert {c.owner_id for c in courses} == {teacher.id}

    learner = db.session.query(User).filter_by(phone="+84912000005").one()
    enrolment = db.session.scalars(select(Enrolment).where(Enrolment.user_id == learner.id)).one()
    assert enrolment.course.translation("vi").title == "Kỹ năng số cơ bản"
    done = db.session.scalars(
        select(Statement.activity_iri).where(
            Statement.user_id == learner.id, Statement.verb_iri == verbs.COMPLETED
        )
    ).all()
    assert done == [iri.activity_iri("lesson", enrolment.course.lessons[0].id)]


def test_demo_load_refuses_production(app):
    app.config["PORTAL_ENV"] = "production"
    try:
        result = app.test_cli_runner().invoke(args=["demo", "load"])
    finally:
        app.config["PORTAL_ENV"] = "development"
    assert result.exit_code != 0


# --- the titles' round (portal/recognition/demo.py) ------------------------------------------


def _title_counts(db) -> dict[str, int]:
    from courses.certificates.models import Certificate
    from portal.places.models import Household, HouseholdMember, Village
    from portal.recognition.models import (
        Assessment,
        AssessmentEvent,
        AssessmentScore,
        Clan,
        CriteriaSet,
        Organisation,
        OrganisationStaff,
    )
    from portal.reports.models import Tally

    models = (
        Assessment, AssessmentEvent, AssessmentScore, Certificate, Clan, CriteriaSet,
        Household, HouseholdMember, Organisation, OrganisationStaff, Tally, Village,
    )  # fmt: skip
    return {m.__name__: _count(db, m) for m in models}


def test_demo_load_makes_the_titles_round_once_in_the_demo_commune(app, db, small_places):
    from portal.recognition.criteria import DATA
    from portal.recognition.models import Assessment, Clan, Organisation
    from portal.reports import queries as reports
    from portal.reports.queries import Scope

    _province, commune = small_places  # no Đắk Lắk here: the first commune in force
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo", "load"])
    assert first.exit_code == 0, first.output
    assert f"demo criteria sets: {len(list(DATA.glob('*.yaml')))} added" in first.output
    assert f"demo report: /reports/communes/{commune.code}" in first.output
    counts = _title_counts(db)
    second = runner.invoke(args=["demo", "load"])
    assert second.exit_code == 0, second.output
    assert "demo criteria sets: 0 added" in second.output
    assert _title_counts(db) == counts

    assessments = db.session.scalars(select(Assessment).order_by(Assessment.id)).all()
    assert {a.commune_code for a in assessments} == {commune.code}
    states = {(a.model, a.status) for a in assessments}
    assert {("citizen", "recognised"), ("citizen", "accepted"), ("citizen", "submitted"),
            ("family", "recognised"), ("unit", "draft")} <= states  # fmt: skip
    for assessment in assessments:
        actions = [e.action for e in assessment.events]
        assert actions[0] == "register"
        if assessment.status in ("accepted", "recognised"):
            assert assessment.passed and "accept" in actions
            assert all(e.reason for e in assessment.events if e.action == "adjust")
    recognised = [a for a in assessments if a.status == "recognised"]
    assert all(a.certificate is not None for a in recognised)
    lan = db.session.query(User).filter_by(phone="+84912000005").one()
    mine = next(a for a in recognised if a.model == "citizen")
    assert mine.user_id == lan.id and mine.certificate.user_id == lan.id
    assert "Công dân học tập" in mine.certificate.achievement
    assert lan.home_commune_id == commune.id and lan.occupation_group == "rural_workers"
    assert mine.occupation_group == "rural_workers"

    school = db.session.scalars(select(Organisation)).one()
    assert {s.full_name for s in school.staff} >= {"Trần Văn Minh (giáo viên)", "Lê Thị Thu"}
    clan = db.session.scalars(select(Clan)).one()
    assert len(clan.households) == 2

    reviewer = db.session.query(User).filter_by(phone="+84912000003").one()
    approver = db.session.query(User).filter_by(phone="+84912000004").one()
    assert reviewer.scopes("reviewer") == [("commune", commune.code)]
    assert approver.scopes("approver") == [("commune", commune.code)]

    year = assessments[0].year
    figures = {f.key: f for f in reports.summary(year, Scope("commune", commune.code))}
    assert (figures["citizen"].registered, figures["citizen"].assessed) == (3, 3)
    assert figures["citizen"].recognised == 1
    assert figures["family"].recognised == 1 and figures["family"].denominator >= 4


def test_demo_officers_loaded_before_the_places_are_moved_to_the_demo_commune(app, db, request):
    runner = app.test_cli_runner()
    before = runner.invoke(args=["demo", "load"])  # no administrative units yet
    assert before.exit_code == 0, before.output
    assert "demo title (" not in before.output
    reviewer = db.session.query(User).filter_by(phone="+84912000003").one()
    assert reviewer.scopes("reviewer") == [("commune", "00001")]

    _province, commune = request.getfixturevalue("small_places")
    after = runner.invoke(args=["demo", "load"])
    assert after.exit_code == 0, after.output
    db.session.expire_all()
    assert reviewer.scopes("reviewer") == [("commune", commune.code)]
    assert "demo title (recognised): citizen" in after.output
