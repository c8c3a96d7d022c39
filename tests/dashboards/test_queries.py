"""The dashboards' figures equal counts made by hand from the rows the tests create."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from courses.certificates.operations import issue_certificate
from courses.courseware.models import CourseAuthor
from courses.dashboards import queries
from courses.records import operations

CHAIN = ("vi", "en")


@pytest.fixture
def learner(make_user):
    return make_user(full_name="Hoàng Văn Nam")


def test_a_new_learner_has_no_courses_and_no_hours(learner):
    assert queries.learner_courses(learner.id, CHAIN) == []
    assert queries.hours_in_year(learner.id, 2026) == 0
    assert queries.hours_by_month(learner.id, 2026) == [0.0] * 12


def test_progress_and_lessons_completed_come_from_the_records(
    learner, make_user, make_course, enrol, complete_lesson
):
    at = datetime(2026, 3, 1, 8, tzinfo=UTC)
    running = make_course(title="Kỹ năng số", lessons=4)
    done = make_course(title="An toàn giao thông", lessons=2)
    dropped = make_course(title="Trồng lúa")
    enrol(learner, running)
    enrolment_done = enrol(learner, done, status="completed")
    enrol(learner, dropped, status="withdrawn")
    first, second, *_ = running.lessons
    complete_lesson(learner, running, first, at=at)
    complete_lesson(learner, running, first, at=at + timedelta(hours=1))  # again: still one
    voided = complete_lesson(learner, running, second, at=at)
    operations.void(voided.statement_id, learner)
    complete_lesson(make_user(), running, second, at=at)  # someone else's
    certificate = issue_certificate(
        learner,
        kind="course",
        achievement="An toàn giao thông",
        hours=2,
        issuer="Cổng",
        course_id=done.id,
    )
    enrolment_done.certificate_id = certificate.id

    shown = {item.course.id: item for item in queries.learner_courses(learner.id, CHAIN)}
    assert set(shown) == {running.id, done.id}
    assert (shown[running.id].lessons_completed, shown[running.id].lesson_count) == (1, 4)
    assert shown[running.id].progress == pytest.approx(0.25)
    assert shown[running.id].percent == 25 and not shown[running.id].is_completed
    assert shown[running.id].title == "Kỹ năng số"
    assert shown[done.id].progress == 1.0 and shown[done.id].is_completed
    assert shown[done.id].certificate.id == certificate.id
    everything = queries.learner_courses(learner.id, CHAIN, include_withdrawn=True)
    assert {item.course.id for item in everything} == {running.id, done.id, dropped.id}


def test_hours_per_month_follow_vietnam_time_and_add_up_to_the_year(
    learner, make_course, enrol, complete_lesson
):
    course = make_course(lessons=4)
    enrol(learner, course)
    one, two, three, four = course.lessons
    # 18:00 UTC on 31 January is 01:00 on 1 February in Vietnam.
    complete_lesson(
        learner, course, one, at=datetime(2025, 1, 31, 18, tzinfo=UTC), duration="PT1H30M"
    )
    complete_lesson(
        learner, course, two, at=datetime(2025, 1, 31, 16, tzinfo=UTC), duration="PT30M"
    )
    complete_lesson(
        learner, course, three, at=datetime(2025, 3, 10, 8, tzinfo=UTC), duration="PT2H"
    )
    voided = complete_lesson(
        learner, course, four, at=datetime(2025, 3, 11, 8, tzinfo=UTC), duration="PT5H"
    )
    operations.void(voided.statement_id, learner)
    months = queries.hours_by_month(learner.id, 2025)
    assert months[0] == pytest.approx(0.5)
    assert months[1] == pytest.approx(1.5)
    assert months[2] == pytest.approx(2.0)
    assert sum(months) == pytest.approx(queries.hours_in_year(learner.id, 2025)) == pytest.approx(4)
    assert queries.hours_by_month(learner.id, 2024) == [0.0] * 12


def test_a_teacher_sees_owned_and_co_authored_courses_with_enrolment_figures(
    db, make_user, make_course, enrol
):
    teacher, other = make_user(roles=("teacher",)), make_user(roles=("teacher",))
    owned = make_course(teacher, title="Của tôi")
    shared = make_course(other, title="Cùng viết")
    db.session.add(CourseAuthor(course_id=shared.id, user_id=teacher.id))
    not_mine = make_course(other, title="Của người khác")
    statuses = ["active", "active", "completed", "completed", "completed", "withdrawn"]
    for status in statuses:
        enrol(make_user(), owned, status=status)
    enrol(make_user(), not_mine, status="completed")
    db.session.flush()

    figures = {f.course.id: f for f in queries.teacher_courses(teacher.id, CHAIN)}
    assert set(figures) == {owned.id, shared.id}
    mine = figures[owned.id]
    assert (mine.enrolments, mine.active, mine.completed, mine.withdrawn) == (6, 2, 3, 1)
    assert mine.completion_rate == pytest.approx(0.5)
    assert figures[shared.id].enrolments == 0 and figures[shared.id].completion_rate is None


def test_enrolments_per_month_cover_the_last_twelve_months(make_user, make_course, enrol):
    course = make_course()
    now = datetime.now(UTC)
    for at in (now, now - timedelta(seconds=1), now - timedelta(days=400)):
        enrol(make_user(), course, at=at)
    months = queries.enrolments_by_month(course.id)
    assert len(months) == 12
    assert months[-1][1] == 2 and sum(count for _, count in months) == 2
    assert months[-1][0] == queries.today_local().date().replace(day=1)
    assert [start for start, _ in months] == sorted(start for start, _ in months)


def test_lesson_completions_count_learners_not_statements(
    learner, make_user, make_course, complete_lesson
):
    course = make_course(lessons=3)
    first, second, third = course.lessons
    other = make_user()
    at = datetime(2026, 2, 1, tzinfo=UTC)
    complete_lesson(learner, course, first, at=at)
    complete_lesson(learner, course, first, at=at + timedelta(days=1))
    complete_lesson(other, course, first, at=at)
    voided = complete_lesson(other, course, second, at=at)
    operations.void(voided.statement_id, other)
    figures = queries.lesson_completions(course, CHAIN)
    assert [(f.lesson_id, f.completed) for f in figures] == [
        (first.id, 2),
        (second.id, 0),
        (third.id, 0),
    ]
    assert figures[0].title == "Bài 1.1" and figures[0].module_title == "Phần 1"


def test_question_statistics_count_answers_correct_and_each_option(
    make_user, make_course, enrol, submit_attempt
):
    course = make_course()
    quiz = course.lessons[-1].quiz
    single, true_false = quiz.questions
    learners = [enrol(make_user(), course) for _ in range(3)]
    submit_attempt(learners[0], quiz, {single: ("a", False), true_false: (True, True)})
    submit_attempt(learners[0], quiz, {single: ("b", True), true_false: (True, True)})
    submit_attempt(learners[1], quiz, {single: ("a", False), true_false: (False, False)})
    submit_attempt(learners[2], quiz, {single: ("c", False)})
    submit_attempt(learners[2], quiz, {single: ("b", True)}, submitted=False)  # not counted

    [figures] = queries.quiz_statistics(course, CHAIN)
    assert (figures.attempts, figures.learners) == (4, 3)
    # Scores: 1/2, 2/2, 0/2, 0/2.
    assert figures.mean_score == pytest.approx(1.5 / 4)
    assert figures.best_score == pytest.approx(1.0)
    assert figures.passed == 2  # pass mark 50
    first, second = figures.questions
    assert (first.answers, first.correct) == (4, 1)
    assert first.correct_rate == pytest.approx(0.25)
    assert [(o.key, o.chosen, o.is_correct) for o in first.options] == [
        ("a", 2, False),
        ("b", 1, True),
        ("c", 1, False),
    ]
    assert first.options[0].text == "123456"
    assert (second.answers, second.correct) == (3, 2)
    assert [(o.key, o.chosen, o.is_correct) for o in second.options] == [
        ("true", 2, True),
        ("false", 1, False),
    ]


def test_a_course_without_quizzes_has_no_quiz_statistics(make_course):
    assert queries.quiz_statistics(make_course(quiz=False), CHAIN) == []


def test_links_to_learning_pages_fall_back_to_the_agreed_paths(app):
    with app.test_request_context("/dashboard", base_url="https://hoc.example.vn/portal"):
        assert queries.learning_url("learning.nowhere", "/courses/7/resume") == (
            "/portal/courses/7/resume"
        )
        assert queries.learning_url("learning.nowhere", "/courses/7", _external=True) == (
            "https://hoc.example.vn/portal/courses/7"
        )
        if "learning.resume" in app.view_functions:  # registered: url_for builds the link
            assert queries.resume_url(7) == "/portal/courses/7/resume"
