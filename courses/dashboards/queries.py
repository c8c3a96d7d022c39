"""Reads behind the dashboards and the enrolment API: a learner's courses, progress, hours
per month and certificates; a teacher's courses with enrolment figures; one course's
statistics (enrolments per month, lesson completions, per-question answers, quiz scores).

Everything is read from the tables directly: enrolments, attempts and responses
(``courses.learning.models``), progress and yearly hours (the records summaries), and
completed lessons and monthly hours from the learning statements themselves.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import sqlalchemy as sa
from flask import current_app, request, url_for
from sqlalchemy.orm import selectinload

from courses.certificates.models import Certificate
from courses.courseware.models import Course, CourseAuthor, Module, Question, QuestionKind, Quiz
from courses.learning.models import Enrolment, EnrolmentStatus, QuestionResponse, QuizAttempt
from courses.records import iri, verbs
from courses.records.models import LearnerCourseProgress, LearnerYearHours, Statement
from courses.resources.queries import pick_language
from portal.extensions import db

# The records' local time (no daylight saving since 1975): months and years are counted in it.
VIETNAM = timezone(timedelta(hours=7), "ICT")
CHOICE_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.TRUE_FALSE)


# --- small helpers ------------------------------------------------------------------------


def local(moment: datetime) -> datetime:
    """A stored UTC datetime (aware on PostgreSQL, naive on SQLite) in Vietnam time."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(VIETNAM)


def today_local() -> datetime:
    return datetime.now(VIETNAM)


def learning_url(endpoint: str, path: str, **values: Any) -> str:
    """``url_for(endpoint, **values)`` once the learning pages register it, else ``path``
    under the application root (the agreed URL map fixes both)."""
    if endpoint in current_app.view_functions:
        return url_for(endpoint, **values)
    if values.get("_external"):
        return request.root_url.rstrip("/") + path
    return request.script_root + path


def resume_url(course_id: int) -> str:
    return learning_url("learning.resume", f"/courses/{course_id}/resume", course_id=course_id)


def course_url(course_id: int) -> str:
    return learning_url("learning.course", f"/courses/{course_id}", course_id=course_id)


def catalogue_url() -> str:
    return learning_url("learning.index", "/courses")


def course_title(course: Course, chain: Sequence[str]) -> tuple[str, str]:
    """The course's title in the first language of ``chain`` it has, and that language."""
    if not course.translations:
        return "", course.original_language
    language = pick_language(
        [t.language for t in course.translations], chain, course.original_language
    )
    translation = course.translation(language)
    return (translation.title if translation else ""), language


def month_starts(year: int) -> list[date]:
    """The first day of each month of ``year``."""
    return [date(year, month, 1) for month in range(1, 13)]


# --- the learner --------------------------------------------------------------------------


@dataclass(frozen=True)
class LearnerCourse:
    """One of a learner's enrolments as the dashboard and the API show it."""

    enrolment: Enrolment
    course: Course
    title: str
    language: str
    lessons_completed: int
    lesson_count: int
    progress: float  # 0-1
    certificate: Certificate | None

    @property
    def percent(self) -> int:
        return round(self.progress * 100)

    @property
    def is_completed(self) -> bool:
        return self.enrolment.status == EnrolmentStatus.COMPLETED


def completed_lessons(user_id: int, lesson_iris: Iterable[str]) -> set[str]:
    """Which of these lesson IRIs the learner has a completion statement for (not voided)."""
    wanted = list(lesson_iris)
    if not wanted:
        return set()
    return set(
        db.session.scalars(
            sa.select(Statement.activity_iri)
            .where(
                Statement.user_id == user_id,
                Statement.verb_iri == verbs.COMPLETED,
                Statement.is_voided.is_(False),
                Statement.activity_iri.in_(wanted),
            )
            .distinct()
        )
    )


def learner_courses(
    user_id: int, chain: Sequence[str], *, include_withdrawn: bool = False
) -> list[LearnerCourse]:
    """A learner's enrolments, latest first, with progress: the progress summary's figure
    when it has one, else lessons completed ÷ lessons; 1 once the enrolment is completed."""
    query = (
        sa.select(Enrolment, Course)
        .join(Course, Course.id == Enrolment.course_id)
        .where(Enrolment.user_id == user_id)
        .options(
            selectinload(Enrolment.certificate),
            selectinload(Course.translations),
            selectinload(Course.modules).selectinload(Module.lessons),
        )
        .order_by(Enrolment.enrolled_at.desc(), Enrolment.id.desc())
    )
    if not include_withdrawn:
        query = query.where(Enrolment.status != EnrolmentStatus.WITHDRAWN)
    pairs = db.session.execute(query).all()
    course_iris = [iri.activity_iri("course", course.id) for _, course in pairs]
    summaries = {
        row.course_iri: row
        for row in db.session.scalars(
            sa.select(LearnerCourseProgress).where(
                LearnerCourseProgress.user_id == user_id,
                LearnerCourseProgress.course_iri.in_(course_iris or [""]),
            )
        )
    }
    lesson_iris = {
        course.id: [iri.activity_iri("lesson", lesson.id) for lesson in course.lessons]
        for _, course in pairs
    }
    done = completed_lessons(user_id, [i for iris in lesson_iris.values() for i in iris])
    result = []
    for enrolment, course in pairs:
        iris = lesson_iris[course.id]
        completed = sum(1 for lesson in iris if lesson in done)
        summary = summaries.get(iri.activity_iri("course", course.id))
        if enrolment.status == EnrolmentStatus.COMPLETED:
            progress = 1.0
        elif summary is not None and summary.progress is not None:
            progress = summary.progress
        else:
            progress = completed / len(iris) if iris else 0.0
        title, language = course_title(course, chain)
        result.append(
            LearnerCourse(
                enrolment=enrolment,
                course=course,
                title=title,
                language=language,
                lessons_completed=completed,
                lesson_count=len(iris),
                progress=min(max(progress, 0.0), 1.0),
                certificate=enrolment.certificate,
            )
        )
    return result


def hours_in_year(user_id: int, year: int) -> float:
    """The learner's hours in ``year`` (Vietnam time), from the yearly summary."""
    total = db.session.scalar(
        sa.select(LearnerYearHours.duration_ms).where(
            LearnerYearHours.user_id == user_id, LearnerYearHours.year == year
        )
    )
    return (total or 0) / 3_600_000


def hours_by_month(user_id: int, year: int) -> list[float]:
    """Hours per month (January first) of ``year`` in Vietnam time: the ``result.duration``
    of the learner's statements that are not voided, grouped by the month of their
    timestamp — the same statements the yearly summary adds up, so the months sum to it."""
    rows = db.session.execute(
        sa.select(Statement.timestamp, Statement.duration_ms).where(
            Statement.user_id == user_id,
            Statement.local_year == year,
            Statement.is_voided.is_(False),
            Statement.duration_ms.is_not(None),
        )
    )
    months = [0] * 12
    for timestamp, duration_ms in rows:
        months[local(timestamp).month - 1] += duration_ms
    return [ms / 3_600_000 for ms in months]


# --- the teacher --------------------------------------------------------------------------


@dataclass(frozen=True)
class CourseFigures:
    """Enrolment figures of one course. ``completion_rate`` is completed ÷ every enrolment
    (withdrawn ones included: they did not complete), None without enrolments."""

    course: Course
    title: str
    enrolments: int
    active: int
    completed: int
    withdrawn: int

    @property
    def completion_rate(self) -> float | None:
        return self.completed / self.enrolments if self.enrolments else None


def teacher_courses(user_id: int, chain: Sequence[str]) -> list[CourseFigures]:
    """Courses the user owns or co-authors, newest first, with their enrolment figures."""
    co_authored = sa.select(CourseAuthor.course_id).where(CourseAuthor.user_id == user_id)
    courses = db.session.scalars(
        sa.select(Course)
        .where(sa.or_(Course.owner_id == user_id, Course.id.in_(co_authored)))
        .options(selectinload(Course.translations))
        .order_by(Course.created_at.desc(), Course.id.desc())
    ).all()
    return course_figures(list(courses), chain)


def course_figures(courses: list[Course], chain: Sequence[str]) -> list[CourseFigures]:
    """Enrolment figures of each of ``courses``, in the same order."""
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    if courses:
        for course_id, status, number in db.session.execute(
            sa.select(Enrolment.course_id, Enrolment.status, sa.func.count(Enrolment.id))
            .where(Enrolment.course_id.in_([c.id for c in courses]))
            .group_by(Enrolment.course_id, Enrolment.status)
        ):
            counts[course_id][status] += number
    return [
        CourseFigures(
            course=course,
            title=course_title(course, chain)[0],
            enrolments=sum(counts[course.id].values()),
            active=counts[course.id][EnrolmentStatus.ACTIVE],
            completed=counts[course.id][EnrolmentStatus.COMPLETED],
            withdrawn=counts[course.id][EnrolmentStatus.WITHDRAWN],
        )
        for course in courses
    ]


def enrolments_by_month(course_id: int, *, months: int = 12) -> list[tuple[date, int]]:
    """New enrolments in each of the last ``months`` months (Vietnam time), oldest first."""
    now = today_local()
    starts = []
    year, month = now.year, now.month
    for _ in range(months):
        starts.append(datetime(year, month, 1, tzinfo=VIETNAM))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    starts.reverse()
    counts: Counter[tuple[int, int]] = Counter()
    for (enrolled_at,) in db.session.execute(
        sa.select(Enrolment.enrolled_at).where(
            Enrolment.course_id == course_id, Enrolment.enrolled_at >= starts[0].astimezone(UTC)
        )
    ):
        moment = local(enrolled_at)
        counts[(moment.year, moment.month)] += 1
    return [(start.date(), counts[(start.year, start.month)]) for start in starts]


@dataclass(frozen=True)
class LessonFigures:
    lesson_id: int
    title: str
    language: str
    module_title: str
    completed: int  # learners with a completion statement (not voided)


def lesson_completions(course: Course, chain: Sequence[str]) -> list[LessonFigures]:
    """Per lesson, in course order: how many learners completed it."""
    lesson_iris = {iri.activity_iri("lesson", lesson.id): lesson for lesson in course.lessons}
    counts: dict[str, int] = {}
    if lesson_iris:
        counts = dict(
            db.session.execute(
                sa.select(Statement.activity_iri, sa.func.count(sa.distinct(Statement.user_id)))
                .where(
                    Statement.verb_iri == verbs.COMPLETED,
                    Statement.is_voided.is_(False),
                    Statement.user_id.is_not(None),
                    Statement.activity_iri.in_(list(lesson_iris)),
                )
                .group_by(Statement.activity_iri)
            ).all()
        )
    figures = []
    for lesson_iri, lesson in lesson_iris.items():
        language = _pick(lesson, chain, course.original_language)
        text = lesson.translation(language)
        module_language = _pick(lesson.module, chain, course.original_language)
        module_text = lesson.module.translation(module_language)
        figures.append(
            LessonFigures(
                lesson_id=lesson.id,
                title=text.title if text else "",
                language=language,
                module_title=module_text.title if module_text else "",
                completed=counts.get(lesson_iri, 0),
            )
        )
    return figures


def _pick(item: Any, chain: Sequence[str], original: str) -> str:
    languages = [t.language for t in item.translations]
    return pick_language(languages, chain, original) if languages else original


@dataclass(frozen=True)
class OptionFigure:
    key: str
    text: str
    chosen: int
    is_correct: bool


@dataclass
class QuestionFigures:
    """Answers to one question in submitted attempts. ``options`` (choice questions) says
    how often each option was chosen, so a misleading distractor shows."""

    question: Question
    prompt: str
    language: str
    answers: int = 0
    correct: int = 0
    options: list[OptionFigure] = field(default_factory=list)

    @property
    def correct_rate(self) -> float | None:
        return self.correct / self.answers if self.answers else None


@dataclass(frozen=True)
class QuizFigures:
    quiz: Quiz
    lesson_title: str
    attempts: int  # submitted
    learners: int
    mean_score: float | None  # 0-1, over submitted attempts
    best_score: float | None  # 0-1
    passed: int  # submitted attempts that passed
    questions: list[QuestionFigures]


def _chosen_keys(kind: str, response: Any) -> list[str]:
    """The option keys a stored response chose (see courses.courseware.models)."""
    if kind == QuestionKind.SINGLE:
        return [response] if isinstance(response, str) else []
    if kind == QuestionKind.MULTIPLE:
        return [k for k in response if isinstance(k, str)] if isinstance(response, list) else []
    if kind == QuestionKind.TRUE_FALSE:
        return ["true" if response else "false"] if isinstance(response, bool) else []
    return []


def _options(question: Question, texts: dict[str, str]) -> list[tuple[str, str, bool]]:
    answer = question.answer or {}
    if question.kind == QuestionKind.TRUE_FALSE:
        truth = answer.get("correct")
        return [("true", "", truth is True), ("false", "", truth is False)]
    correct = answer.get("correct")
    correct_keys = set(correct) if isinstance(correct, list) else {correct}
    return [(key, texts.get(key, key), key in correct_keys) for key in question.option_keys]


def quiz_statistics(course: Course, chain: Sequence[str]) -> list[QuizFigures]:
    """Per quiz of the course: attempts, mean and best scores; per question: answers, share
    correct and, for choice questions, how often each option was chosen. Only submitted
    attempts count."""
    quizzes = [lesson.quiz for lesson in course.lessons if lesson.quiz is not None]
    if not quizzes:
        return []
    quiz_ids = [quiz.id for quiz in quizzes]
    attempts = db.session.execute(
        sa.select(
            QuizAttempt.quiz_id, QuizAttempt.enrolment_id, QuizAttempt.score, QuizAttempt.passed
        ).where(QuizAttempt.quiz_id.in_(quiz_ids), QuizAttempt.submitted_at.is_not(None))
    ).all()
    responses = db.session.execute(
        sa.select(QuestionResponse.question_id, QuestionResponse.response, QuestionResponse.correct)
        .join(QuizAttempt, QuizAttempt.id == QuestionResponse.attempt_id)
        .where(QuizAttempt.quiz_id.in_(quiz_ids), QuizAttempt.submitted_at.is_not(None))
    ).all()
    by_question: dict[int, list[tuple[Any, bool]]] = defaultdict(list)
    for question_id, response, correct in responses:
        by_question[question_id].append((response, correct))
    figures = []
    for quiz in quizzes:
        mine = [a for a in attempts if a.quiz_id == quiz.id]
        scores = [a.score for a in mine if a.score is not None]
        lesson_language = _pick(quiz.lesson, chain, course.original_language)
        lesson_text = quiz.lesson.translation(lesson_language)
        figures.append(
            QuizFigures(
                quiz=quiz,
                lesson_title=lesson_text.title if lesson_text else "",
                attempts=len(mine),
                learners=len({a.enrolment_id for a in mine}),
                mean_score=sum(scores) / len(scores) if scores else None,
                best_score=max(scores) if scores else None,
                passed=sum(1 for a in mine if a.passed),
                questions=[
                    _question_figures(q, by_question[q.id], chain, course.original_language)
                    for q in quiz.questions
                ],
            )
        )
    return figures


def _question_figures(
    question: Question, answers: list[tuple[Any, bool]], chain: Sequence[str], original: str
) -> QuestionFigures:
    language = _pick(question, chain, original)
    text = question.translation(language)
    figures = QuestionFigures(
        question=question,
        prompt=text.prompt if text else "",
        language=language,
        answers=len(answers),
        correct=sum(1 for _, correct in answers if correct),
    )
    if question.kind in CHOICE_KINDS:
        chosen: Counter[str] = Counter()
        for response, _ in answers:
            chosen.update(_chosen_keys(question.kind, response))
        figures.options = [
            OptionFigure(key, label, chosen[key], is_correct)
            for key, label, is_correct in _options(question, text.options if text else {})
        ]
    return figures
