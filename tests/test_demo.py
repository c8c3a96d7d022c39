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
