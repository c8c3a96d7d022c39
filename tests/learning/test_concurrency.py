"""Learners who click twice, or keep several tabs open: concurrent requests of one enrolment
complete the course once, start one attempt and grade it once (real commits, real threads)."""

from __future__ import annotations

import functools
import threading
from datetime import UTC, datetime

import sqlalchemy as sa

from courses.certificates.models import Certificate
from courses.learning.models import Enrolment, QuestionResponse, QuizAttempt
from portal.extensions import db

PASSWORD = "mật-khẩu-dài-123"


def _setup(app, lessons):
    from courses.courseware import models as cw
    from portal.accounts import operations as accounts

    with app.app_context():
        teacher = accounts.create_user(full_name="Cô Hoa", password=PASSWORD, email="hoa@ex.vn")
        accounts.create_user(full_name="Anh Ba", password=PASSWORD, email="ba@ex.vn")
        db.session.flush()
        course = cw.Course(owner_id=teacher.id, status="published", original_language="vi")
        course.published_at = datetime.now(UTC)
        course.translations.append(cw.CourseTranslation(language="vi", title="Nuôi ong"))
        module = cw.Module(position=0)
        for n in range(lessons):
            lesson = cw.Lesson(position=n, estimated_minutes=5)
            lesson.translations.append(cw.LessonTranslation(language="vi", title=f"Bài {n}"))
            module.lessons.append(lesson)
        course.modules.append(module)
        question = cw.Question(kind="true_false", answer={"correct": True})
        question.translations.append(cw.QuestionTranslation(language="vi", prompt="Đúng?"))
        quiz = cw.Quiz(pass_mark=50, questions=[question])
        module.lessons[0].quiz = quiz
        db.session.add(course)
        db.session.commit()
        ids = (course.id, [lesson.id for lesson in module.lessons], quiz.id, question.id)
        db.session.remove()
        return ids


def _run_together(app, jobs):
    start = threading.Barrier(len(jobs))
    statuses, errors = [], []

    def run(job):
        try:
            client = app.test_client()
            client.post("/sign-in", data={"identifier": "ba@ex.vn", "password": PASSWORD})
            start.wait()
            statuses.append(job(client).status_code)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    return statuses


def _complete(url, client):
    return client.post(url)


def test_concurrent_clicks_complete_once_and_grade_once(committed_app):
    course_id, lesson_ids, quiz_id, question_id = _setup(committed_app, lessons=4)
    base = f"/courses/{course_id}"
    assert set(_run_together(committed_app, [lambda c: c.post(f"{base}/enrol")] * 3)) == {302}
    quiz = f"{base}/quizzes/{quiz_id}"
    assert set(_run_together(committed_app, [lambda c: c.post(quiz, data={"start": "1"})] * 3)) == {
        302
    }
    answer = {"attempt": "1", f"q{question_id}": "true"}
    assert set(_run_together(committed_app, [lambda c: c.post(quiz, data=answer)] * 3)) == {302}
    jobs = [
        functools.partial(_complete, f"{base}/lessons/{lesson_id}/complete")
        for lesson_id in lesson_ids
    ]
    assert set(_run_together(committed_app, jobs)) == {302}
    with committed_app.app_context():
        [enrolment] = db.session.scalars(sa.select(Enrolment)).all()
        assert enrolment.status == "completed" and enrolment.certificate_id
        assert db.session.scalar(sa.select(sa.func.count(Certificate.id))) == 1
        assert db.session.scalar(sa.select(sa.func.count(QuizAttempt.id))) == 1
        assert db.session.scalar(sa.select(sa.func.count(QuestionResponse.id))) == 1
        db.session.remove()
