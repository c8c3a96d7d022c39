"""Pages of taking a course: the catalogue, a course, its lessons and quizzes, enrolment."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from courses.courseware.models import Course, CourseKind, CourseStatus
from courses.learning import forms, grading, operations, queries
from courses.learning.models import Enrolment
from courses.resources.vocabulary import LEVELS, SUBJECTS
from portal.accounts.access import login_required
from portal.accounts.models import Role
from portal.i18n import LANGUAGES, current_language

# --- access -------------------------------------------------------------------------------


def _may_see_draft(course: Course) -> bool:
    return course.editable_by(current_user) or (
        current_user.is_authenticated and current_user.has_role(Role.REVIEWER)
    )


def _course_or_404(course_id: int, *, outline: bool = False) -> Course:
    course = queries.get_course(course_id, outline=outline)
    if course is None or not (course.is_public or _may_see_draft(course)):
        abort(404)
    return course


def _taking(course_id: int, *, lock: bool = False) -> tuple[Course, Enrolment]:
    """The course and the current user's active enrolment (``lock``: its row locked for the
    operation to come); else back to the course page."""
    course = _course_or_404(course_id)
    enrolment = queries.enrolment_of(current_user, course, for_update=lock)
    if not queries.is_active(enrolment):
        abort(redirect(url_for("learning.course", course_id=course.id)))
    return course, enrolment  # type: ignore[return-value]


def _chain() -> tuple[str, ...]:
    return current_language().chain


def _today() -> Any:
    return datetime.now(UTC).date()


def _refused(exc: operations.LearningError, course: Course) -> Any:
    flash(exc.message, "error")
    return redirect(url_for("learning.course", course_id=course.id))


# --- catalogue and course page ------------------------------------------------------------


def index() -> str:
    args = {
        name: request.args.get(name) or None for name in ("subject", "level", "kind", "language")
    }
    known = {"subject": SUBJECTS, "level": LEVELS, "kind": set(CourseKind), "language": LANGUAGES}
    filters = {k: v for k, v in args.items() if v in known[k]}
    page = max(1, request.args.get("page", 1, type=int) or 1)
    shown, total = queries.catalogue_page(_chain(), page=page, **filters)
    return render_template(
        "learning/index.html",
        shown=shown,
        total=total,
        page=page,
        pages=max(1, math.ceil(total / queries.PAGE_SIZE)),
        filters=filters,
    )


def course(course_id: int) -> str:
    course = _course_or_404(course_id, outline=True)
    enrolment = queries.enrolment_of(current_user, course)
    done = queries.done_lesson_ids(enrolment) if queries.is_active(enrolment) else set()
    prerequisites = [p.required_course for p in course.prerequisites]
    met = (
        queries.completed_courses(current_user, [c.id for c in prerequisites])
        if current_user.is_authenticated
        else set()
    )
    return render_template(
        "learning/course.html",
        course=course,
        shown=queries.text_of(course, _chain(), course.original_language),
        enrolment=enrolment,
        active=queries.is_active(enrolment),
        done=done,
        progress=queries.module_progress(course, done),
        prerequisites=prerequisites,
        met=met,
        enrolment_open=queries.enrolment_open(course, _today()),
        lessons_open=queries.lessons_open(course, _today()),
        hours=queries.hours_of(course),
        enrol_form=forms.EnrolForm(),
        withdraw_form=forms.WithdrawForm(),
    )


@login_required
def enrol(course_id: int) -> Any:
    course = _course_or_404(course_id)
    if not forms.EnrolForm().validate_on_submit():
        abort(400)
    try:
        operations.enrol(current_user, course)
    except operations.LearningError as exc:
        return _refused(exc, course)
    flash(_("You are enrolled."), "success")
    return redirect(url_for("learning.course", course_id=course.id))


@login_required
def withdraw(course_id: int) -> Any:
    course, enrolment = _taking(course_id)
    form = forms.WithdrawForm()
    if not form.validate_on_submit():
        abort(400)
    if request.form.get("confirm") != "yes":  # first press: ask to confirm
        title = queries.title_of(course, _chain(), course.original_language)
        return render_template("learning/withdraw.html", course=course, title=title, form=form)
    operations.withdraw(enrolment)
    flash(_("You withdrew from the course. Your progress is kept if you enrol again."), "success")
    return redirect(url_for("learning.course", course_id=course.id))


@login_required
def resume(course_id: int) -> Any:
    course, enrolment = _taking(course_id)
    lesson = queries.resume_lesson(enrolment)
    if lesson is None:
        return redirect(url_for("learning.course", course_id=course.id))
    return redirect(url_for("learning.lesson", course_id=course.id, lesson_id=lesson.id))


# --- lessons ------------------------------------------------------------------------------


def lesson(course_id: int, lesson_id: int) -> Any:
    course = _course_or_404(course_id)
    lesson = queries.get_lesson(course, lesson_id) or abort(404)
    enrolment = queries.enrolment_of(current_user, course)
    active = queries.is_active(enrolment)
    closed = not queries.lessons_open(course, _today()) or (
        course.status == CourseStatus.ARCHIVED and not active
    )
    if closed and not _may_see_draft(course):
        flash(_("The lessons of this course are not open to you now."), "error")
        return redirect(url_for("learning.course", course_id=course.id))
    if active:
        operations.note_visit(enrolment, lesson)  # type: ignore[arg-type]
    form = (
        forms.CompleteForm(served=operations.served_token(current_user.id, lesson.id))
        if active
        else None
    )
    before, after = queries.neighbours(course, lesson)
    queries.load_texts([before, lesson, after])
    chain = _chain()
    return render_template(
        "learning/lesson.html",
        course=course,
        lesson=lesson,
        shown=queries.text_of(lesson, chain, course.original_language),
        course_title=queries.title_of(course, chain, course.original_language),
        enrolment=enrolment,
        active=active,
        done=active and lesson.id in queries.done_lesson_ids(enrolment),
        before=before,
        after=after,
        form=form,
        media=queries.lesson_media(lesson, chain),
    )


def _lesson_post(course_id: int, lesson_id: int) -> tuple[Any, Any, Any, Any]:
    course, enrolment = _taking(course_id, lock=True)
    lesson = queries.get_lesson(course, lesson_id) or abort(404)
    form = forms.CompleteForm()
    if not form.validate_on_submit():
        abort(400)
    served = operations.served_at(form.served.data, current_user.id, lesson.id)
    return course, enrolment, lesson, (served, forms.whole_number(form.active_seconds.data))


@login_required
def complete_lesson(course_id: int, lesson_id: int) -> Any:
    course, enrolment, lesson, (served, active) = _lesson_post(course_id, lesson_id)
    was_completed = enrolment.completed_at is not None
    try:
        operations.complete_lesson(enrolment, lesson, active_seconds=active, served_at=served)
    except operations.LearningError as exc:
        return _refused(exc, course)
    flash(_("Lesson done."), "success")
    if enrolment.completed_at is not None and not was_completed:
        flash(_("You completed the course. Well done!"), "success")
        return redirect(url_for("learning.course", course_id=course.id))
    _before, after = queries.neighbours(course, lesson)
    if lesson.quiz is not None:
        return redirect(url_for("learning.quiz", course_id=course.id, quiz_id=lesson.quiz.id))
    if after is not None:
        return redirect(url_for("learning.lesson", course_id=course.id, lesson_id=after.id))
    return redirect(url_for("learning.course", course_id=course.id))


@login_required
def lesson_time(course_id: int, lesson_id: int) -> Any:
    _course, enrolment, lesson, (served, active) = _lesson_post(course_id, lesson_id)
    if served is None or active is None:
        return "", 400
    try:
        operations.record_time(enrolment, lesson, active_seconds=active, served=served)
    except operations.LearningError:
        return "", 409
    return "", 204


# --- quizzes ------------------------------------------------------------------------------


def _quiz_page(course_id: int, quiz_id: int) -> tuple[Course, Enrolment, Any]:
    course, enrolment = _taking(course_id, lock=request.method == "POST")
    quiz = queries.get_quiz(course, quiz_id) or abort(404)
    return course, enrolment, quiz


@login_required
def quiz(course_id: int, quiz_id: int) -> Any:
    course, enrolment, quiz = _quiz_page(course_id, quiz_id)
    here = url_for("learning.quiz", course_id=course.id, quiz_id=quiz.id)
    if request.method == "POST" and "start" in request.form:
        if not forms.StartForm().validate_on_submit():
            abort(400)
        try:
            operations.start_attempt(enrolment, quiz)
        except operations.LearningError as exc:
            flash(exc.message, "error")
        return redirect(here)
    attempt = queries.open_attempt(enrolment, quiz)
    if request.method == "POST":
        form = forms.AnswersForm()
        if not form.validate_on_submit():
            abort(400)
        if attempt is None or form.attempt.data != str(attempt.number):
            flash(str(operations.MESSAGES["already_submitted"]), "error")
            return redirect(here)
        answers = forms.gather_answers(attempt, request.form)
        try:
            operations.submit_attempt(attempt, answers, chain=_chain())
        except operations.LearningError as exc:
            return _refused(exc, course)
        return redirect(
            url_for("learning.attempt", course_id=course.id, quiz_id=quiz.id, number=attempt.number)
        )
    return render_template(
        "learning/quiz.html",
        **_quiz_context(course, enrolment, quiz),
        attempt=attempt,
        form=forms.AnswersForm(attempt=attempt.number) if attempt else None,
        start_form=forms.StartForm(),
    )


def _quiz_context(course: Course, enrolment: Enrolment, quiz: Any) -> dict[str, Any]:
    attempts = queries.attempts_of(enrolment, quiz)
    chain = _chain()
    return {
        "course": course,
        "quiz": quiz,
        "enrolment": enrolment,
        "attempts": [a for a in attempts if a.submitted_at is not None],
        "attempts_left": None
        if quiz.max_attempts is None
        else max(0, quiz.max_attempts - len(attempts)),
        "lesson_title": queries.title_of(quiz.lesson, chain, course.original_language),
        "course_title": queries.title_of(course, chain, course.original_language),
        "texts": {
            q.id: queries.text_of(q, chain, course.original_language) for q in quiz.questions
        },
        "field_name": forms.field_name,
        "accepted": grading.accepted_answers,
        "ordered_options": queries.ordered_options,
        "ordered_questions": queries.ordered_questions,
    }


@login_required
def attempt(course_id: int, quiz_id: int, number: int) -> Any:
    course, enrolment, quiz = _quiz_page(course_id, quiz_id)
    attempt = queries.get_attempt(enrolment, quiz, number)
    if attempt is None or attempt.submitted_at is None:
        abort(404)
    _before, after = queries.neighbours(course, quiz.lesson)
    return render_template(
        "learning/attempt.html",
        **_quiz_context(course, enrolment, quiz),
        attempt=attempt,
        responses={r.question_id: r for r in attempt.responses},
        after=after,
        start_form=forms.StartForm(),
    )
