"""Enrolment, lessons, quizzes and completion, through the operations."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from courses.certificates.models import Certificate
from courses.courseware import models as cw
from courses.learning import operations, queries
from courses.learning.models import EnrolmentStatus
from courses.records import iri, verbs
from courses.records.models import LearnerCourseProgress, Statement
from courses.records.operations import SUMMARY_FIELDS, rebuild
from portal.extensions import db as _db


def statements(user, verb=None):
    query = sa.select(Statement).where(Statement.user_id == user.id)
    if verb:
        query = query.where(Statement.verb_iri == verb)
    return list(_db.session.scalars(query.order_by(Statement.id)))


def progress_rows(user):
    rows = _db.session.scalars(
        sa.select(LearnerCourseProgress).where(LearnerCourseProgress.user_id == user.id)
    )
    return {r.course_iri: {f: getattr(r, f) for f in SUMMARY_FIELDS} for r in rows}


def pass_quiz(enrolment, quiz):
    attempt = operations.start_attempt(enrolment, quiz)
    answers = {q.id: q.answer.get("correct") for q in quiz.questions}
    answers = {k: ("true" if v is True else v) for k, v in answers.items()}
    return operations.submit_attempt(attempt, answers)


# --- enrolment ----------------------------------------------------------------------------


def test_enrolling_twice_gives_the_same_enrolment(db, make_course, learner):
    course = make_course()
    first = operations.enrol(learner, course)
    again = operations.enrol(learner, course)
    assert first is again and first.status == EnrolmentStatus.ACTIVE
    assert len(first.registration) == 36


def test_a_withdrawn_enrolment_is_reactivated_with_its_registration(db, make_course, learner):
    course = make_course()
    enrolment = operations.enrol(learner, course)
    registration = enrolment.registration
    operations.withdraw(enrolment)
    assert enrolment.status == EnrolmentStatus.WITHDRAWN and enrolment.withdrawn_at
    back = operations.enrol(learner, course)
    assert back is enrolment and back.status == EnrolmentStatus.ACTIVE
    assert back.registration == registration and back.withdrawn_at is None


@pytest.mark.parametrize("status", ["draft", "in_review", "archived"])
def test_only_published_courses_take_enrolments(db, make_course, learner, status):
    course = make_course(status=status)
    with pytest.raises(operations.LearningError) as refused:
        operations.enrol(learner, course)
    assert refused.value.code == "not_open"


def test_archived_course_keeps_its_enrolled_learners(db, make_course, learner):
    course = make_course()
    enrolment = operations.enrol(learner, course)
    course.status = "archived"
    assert operations.enrol(learner, course) is enrolment
    assert operations.complete_lesson(enrolment, course.lessons[0]) == 600


def test_prerequisites_must_be_completed(db, make_course, learner):
    basics = make_course(title="Cơ bản", lessons=1, quiz=False)
    course = make_course(title="Nâng cao")
    course.prerequisites.append(cw.CoursePrerequisite(required_course_id=basics.id))
    _db.session.flush()
    with pytest.raises(operations.LearningError) as refused:
        operations.enrol(learner, course)
    assert refused.value.code == "prerequisites"
    first = operations.enrol(learner, basics)
    operations.complete_lesson(first, basics.lessons[0])
    assert first.status == EnrolmentStatus.COMPLETED
    assert operations.enrol(learner, course).course_id == course.id


def test_cohort_enrolment_closes_after_ends_on_and_lessons_open_on_starts_on(
    db, make_course, learner, make_user
):
    today = date.today()
    later = make_course(
        kind="cohort", starts_on=today + timedelta(days=3), ends_on=today + timedelta(days=30)
    )
    enrolment = operations.enrol(learner, later)  # enrolment is open before the start
    with pytest.raises(operations.LearningError) as refused:
        operations.complete_lesson(enrolment, later.lessons[0])
    assert refused.value.code == "not_started"
    with pytest.raises(operations.LearningError):
        operations.start_attempt(enrolment, later.lessons[-1].quiz)
    over = make_course(
        kind="cohort", starts_on=today - timedelta(days=30), ends_on=today - timedelta(days=1)
    )
    with pytest.raises(operations.LearningError) as closed:
        operations.enrol(make_user(), over)
    assert closed.value.code == "enrolment_closed"


def test_a_withdrawn_learner_cannot_complete_lessons(db, make_course, learner):
    course = make_course()
    enrolment = operations.withdraw(operations.enrol(learner, course))
    with pytest.raises(operations.LearningError) as refused:
        operations.complete_lesson(enrolment, course.lessons[0])
    assert refused.value.code == "not_enrolled"


def test_a_lesson_of_another_course_is_refused(db, make_course, learner):
    course, other = make_course(), make_course()
    enrolment = operations.enrol(learner, course)
    with pytest.raises(operations.LearningError) as refused:
        operations.complete_lesson(enrolment, other.lessons[0])
    assert refused.value.code == "wrong_course"


# --- lessons and records ------------------------------------------------------------------


def test_lesson_completion_statement_moves_progress(db, make_course, learner):
    course = make_course(lessons=4, quiz=False)
    enrolment = operations.enrol(learner, course)
    operations.complete_lesson(enrolment, course.lessons[1])
    [done] = statements(learner, verbs.COMPLETED)
    assert done.activity_iri == iri.activity_iri("lesson", course.lessons[1].id)
    assert done.registration == enrolment.registration
    [parent] = done.data["context"]["contextActivities"]["parent"]
    assert parent["id"] == iri.activity_iri("course", course.id)
    assert done.data["context"]["extensions"][iri.lesson_count_extension()] == 4
    assert done.duration_ms == 600_000
    row = progress_rows(learner)[iri.activity_iri("course", course.id)]
    assert row["lessons_completed"] == 1 and row["progress"] == 0.25
    assert queries.done_lesson_ids(enrolment) == {course.lessons[1].id}


def test_resume_goes_to_the_last_lesson_seen_else_the_first_not_done(db, make_course, learner):
    course = make_course(lessons=3, quiz=False)
    enrolment = operations.enrol(learner, course)
    first, second, third = course.lessons
    assert queries.resume_lesson(enrolment) == first
    operations.complete_lesson(enrolment, first)
    enrolment.last_lesson_id = None
    _db.session.flush()
    _db.session.expire(enrolment, ["last_lesson"])
    assert queries.resume_lesson(enrolment) == second
    assert operations.note_visit(enrolment, third) is True
    assert operations.note_visit(enrolment, third) is False  # cheap: no second write
    assert queries.resume_lesson(enrolment) == third


# --- quizzes ------------------------------------------------------------------------------


def test_attempt_limit_is_enforced(db, make_course, learner):
    course = make_course(lessons=1)
    quiz = course.lessons[0].quiz
    quiz.max_attempts = 2
    enrolment = operations.enrol(learner, course)
    for _ in range(2):
        attempt = operations.start_attempt(enrolment, quiz)
        assert operations.start_attempt(enrolment, quiz) is attempt  # the open one
        operations.submit_attempt(attempt, {})
    with pytest.raises(operations.LearningError) as refused:
        operations.start_attempt(enrolment, quiz)
    assert refused.value.code == "no_attempts_left"
    assert [a.number for a in enrolment.attempts] == [1, 2]


def test_a_submitted_attempt_cannot_be_submitted_again(db, make_course, learner):
    course = make_course(lessons=1)
    enrolment = operations.enrol(learner, course)
    attempt = operations.start_attempt(enrolment, course.lessons[0].quiz)
    operations.submit_attempt(attempt, {})
    with pytest.raises(operations.LearningError) as refused:
        operations.submit_attempt(attempt, {})
    assert refused.value.code == "already_submitted"


def test_shuffled_layout_is_stored_and_stable(db, quiz_course, add_question, learner):
    course, quiz = quiz_course()
    quiz.shuffle_questions = quiz.shuffle_options = True
    keys = tuple("abcdefgh")
    for _ in range(8):
        add_question(quiz, "single", {"correct": "a"}, option_keys=keys)
    ordering = add_question(quiz, "ordering", {}, option_keys=("x", "y", "z"))
    enrolment = operations.enrol(learner, course)
    attempt = operations.start_attempt(enrolment, quiz)
    layout = attempt.layout
    ids = [q.id for q in quiz.questions]
    assert sorted(layout["questions"]) == sorted(ids)
    assert all(
        sorted(layout["options"][str(q)]) == sorted(quiz.questions[0].option_keys) for q in ids[:8]
    )
    orders = {tuple(layout["options"][str(q)]) for q in ids[:8]} | {tuple(layout["questions"])}
    assert len(orders) > 1  # shuffled (8! orders: the same eight times is not a chance)
    assert layout["options"][str(ordering.id)] != ["x", "y", "z"]  # never shown solved
    _db.session.expire_all()
    again = operations.start_attempt(enrolment, quiz)  # a reload: the same attempt, same order
    assert again.id == attempt.id and again.layout == layout
    assert [q.id for q in queries.ordered_questions(again)] == layout["questions"]


def test_unshuffled_quiz_keeps_the_authors_order(db, make_course, learner):
    course = make_course(lessons=1)
    quiz = course.lessons[0].quiz
    attempt = operations.start_attempt(operations.enrol(learner, course), quiz)
    assert attempt.layout["questions"] == [q.id for q in quiz.questions]
    assert attempt.layout["options"][str(quiz.questions[0].id)] == ["a", "b", "c"]


def test_submit_grades_scores_and_records(db, make_course, learner):
    course = make_course(lessons=1)  # single (b) + true/false (true), pass mark 50
    quiz = course.lessons[0].quiz
    single, true_false = quiz.questions
    enrolment = operations.enrol(learner, course)
    attempt = operations.start_attempt(enrolment, quiz)
    operations.submit_attempt(attempt, {single.id: "b"})  # the other left blank: wrong
    assert (attempt.points, attempt.max_points, attempt.score, attempt.passed) == (1, 2, 0.5, True)
    assert {r.question_id: r.correct for r in attempt.responses} == {
        single.id: True,
        true_false.id: False,
    }
    [attempted] = statements(learner, verbs.ATTEMPTED)
    assert attempted.activity_iri == iri.activity_iri("quiz", quiz.id)
    answered = statements(learner, verbs.ANSWERED)
    assert [(s.activity_iri, s.success) for s in answered] == [
        (iri.activity_iri("question", single.id), True),
        (iri.activity_iri("question", true_false.id), False),
    ]
    assert answered[0].data["result"]["response"] == "b"
    [passed] = statements(learner, verbs.PASSED)
    assert passed.score_scaled == 0.5 and passed.activity_iri == iri.activity_iri("quiz", quiz.id)
    for row in [attempted, *answered, passed]:
        assert row.registration == enrolment.registration
        assert row.course_iri == iri.activity_iri("course", course.id)


def test_failing_is_recorded_as_failed(db, make_course, learner):
    course = make_course(lessons=1)
    enrolment = operations.enrol(learner, course)
    attempt = operations.start_attempt(enrolment, course.lessons[0].quiz)
    operations.submit_attempt(attempt, {q.id: "junk" for q in attempt.quiz.questions})
    assert attempt.score == 0 and attempt.passed is False
    assert len(statements(learner, verbs.FAILED)) == 1


# --- completion ---------------------------------------------------------------------------


def test_completion_issues_exactly_one_certificate(db, make_course, learner):
    course = make_course(modules=2, lessons=2)  # the last lesson holds the quiz
    enrolment = operations.enrol(learner, course)
    for lesson in course.lessons:
        operations.complete_lesson(enrolment, lesson)
    assert enrolment.status == EnrolmentStatus.ACTIVE  # the quiz is still to pass
    pass_quiz(enrolment, course.lessons[-1].quiz)
    assert enrolment.status == EnrolmentStatus.COMPLETED and enrolment.completed_at
    certificate = _db.session.get(Certificate, enrolment.certificate_id)
    assert certificate.kind == "course" and certificate.course_id == course.id
    assert certificate.achievement == "Kỹ năng số cơ bản"
    assert float(certificate.hours) == 0.5  # 4 lessons × 10 minutes, to the half hour
    # more work afterwards changes nothing
    operations.complete_lesson(enrolment, course.lessons[0])
    pass_quiz(enrolment, course.lessons[-1].quiz)
    assert operations.evaluate_completion(enrolment) is False
    certificates = _db.session.scalars(
        sa.select(Certificate).where(Certificate.user_id == learner.id)
    ).all()
    assert len(certificates) == 1
    course_done = [
        s
        for s in statements(learner, verbs.COMPLETED)
        if s.activity_iri == iri.activity_iri("course", course.id)
    ]
    assert len(course_done) == 1 and course_done[0].completion is True
    [earned] = statements(learner, verbs.earned())
    assert earned.course_iri == iri.activity_iri("course", course.id)
    row = progress_rows(learner)[iri.activity_iri("course", course.id)]
    assert row["progress"] == 1.0 and row["completed_at"] and row["certificate_earned_at"]


def test_vocational_certificate_carries_nominal_hours(db, make_course, learner):
    from decimal import Decimal

    course = make_course(
        lessons=1,
        quiz=False,
        kind="vocational",
        occupation="Thợ điện",
        nominal_hours=Decimal("120"),
    )
    enrolment = operations.enrol(learner, course)
    operations.complete_lesson(enrolment, course.lessons[0])
    assert float(_db.session.get(Certificate, enrolment.certificate_id).hours) == 120


def test_no_certificate_when_the_course_gives_none(db, make_course, learner):
    course = make_course(lessons=1, quiz=False, issues_certificate=False)
    enrolment = operations.enrol(learner, course)
    operations.complete_lesson(enrolment, course.lessons[0])
    assert enrolment.status == EnrolmentStatus.COMPLETED and enrolment.certificate_id is None
    assert statements(learner, verbs.earned()) == []


def test_min_score_uses_the_mean_of_best_scores(db, make_course, learner):
    course = make_course(
        lessons=1, require_all_lessons=False, require_quizzes_passed=False, min_score=100
    )
    quiz = course.lessons[0].quiz
    single, true_false = quiz.questions
    enrolment = operations.enrol(learner, course)
    operations.submit_attempt(operations.start_attempt(enrolment, quiz), {single.id: "b"})
    assert enrolment.status == EnrolmentStatus.ACTIVE  # best 50 < 100
    operations.submit_attempt(
        operations.start_attempt(enrolment, quiz), {single.id: "b", true_false.id: "true"}
    )
    assert enrolment.status == EnrolmentStatus.COMPLETED


def test_quizzes_passed_is_enough_when_lessons_are_not_required(db, make_course, learner):
    course = make_course(lessons=3, require_all_lessons=False)
    enrolment = operations.enrol(learner, course)
    pass_quiz(enrolment, course.lessons[-1].quiz)
    assert enrolment.status == EnrolmentStatus.COMPLETED


def test_progress_equals_a_rebuild_of_the_records(db, make_course, learner, make_user):
    other = make_user()
    course = make_course(modules=2, lessons=2)
    mine, theirs = operations.enrol(learner, course), operations.enrol(other, course)
    for lesson in course.lessons[:3]:
        operations.complete_lesson(mine, lesson, active_seconds=None)
    operations.complete_lesson(theirs, course.lessons[0])
    operations.complete_lesson(mine, course.lessons[3])
    pass_quiz(mine, course.lessons[-1].quiz)
    operations.submit_attempt(operations.start_attempt(theirs, course.lessons[-1].quiz), {})
    live = progress_rows(learner), progress_rows(other)
    assert live[0][iri.activity_iri("course", course.id)]["progress"] == 1.0
    assert live[1][iri.activity_iri("course", course.id)]["progress"] == 0.25
    rebuild()
    _db.session.expire_all()
    assert (progress_rows(learner), progress_rows(other)) == live
