"""Reads for the learner: the catalogue, a course, lesson or question in the reader's
language, an enrolment and what it has done (from the learning records), quiz attempts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from courses.courseware.models import (
    Course,
    CourseKind,
    CourseStatus,
    CourseTranslation,
    Lesson,
    LessonResource,
    LessonTranslation,
    Module,
    Question,
    Quiz,
)
from courses.courseware.queries import title_of as title_of  # views and templates use it
from courses.learning.models import Enrolment, EnrolmentStatus, QuizAttempt
from courses.records import iri, verbs
from courses.records.models import Statement
from courses.resources.models import Resource
from courses.resources.queries import Shown, pick_language, show
from portal.extensions import db

PAGE_SIZE = 20


@dataclass(frozen=True)
class Text:
    """An item's words in the language chosen for the reader."""

    language: str
    translation: Any  # CourseTranslation, LessonTranslation, ...
    others: tuple[str, ...]  # other languages it exists in


def text_of(item: Any, chain: Sequence[str], original: str) -> Text | None:
    """``item``'s translation in the first language of ``chain`` it has (else the original)."""
    codes = [t.language for t in item.translations]
    if not codes:
        return None
    language = pick_language(codes, chain, original)
    return Text(
        language=language,
        translation=item.translation(language),
        others=tuple(sorted(c for c in codes if c != language)),
    )


# --- the catalogue --------------------------------------------------------------------------


def catalogue_page(
    chain: Sequence[str],
    *,
    subject: str | None = None,
    level: str | None = None,
    kind: str | None = None,
    language: str | None = None,
    page: int = 1,
) -> tuple[list[tuple[Course, Text]], int]:
    """One page of published, not archived courses (newest first) and the total."""
    query = select(Course).where(
        Course.status == CourseStatus.PUBLISHED, Course.published_at.is_not(None)
    )
    if subject:
        query = query.where(Course.subjects.contains(f",{subject},"))
    if level:
        query = query.where(Course.level == level)
    if kind:
        query = query.where(Course.kind == kind)
    if language:
        query = query.where(Course.translations.any(CourseTranslation.language == language))
    total = db.session.scalar(select(sa.func.count()).select_from(query.subquery())) or 0
    rows = db.session.scalars(
        query.options(selectinload(Course.translations))
        .order_by(Course.published_at.desc(), Course.id.desc())
        .limit(PAGE_SIZE)
        .offset((max(page, 1) - 1) * PAGE_SIZE)
    ).all()
    shown = [(c, t) for c in rows if (t := text_of(c, chain, c.original_language)) is not None]
    return shown, total


# --- one course -----------------------------------------------------------------------------


def course_tree(outline: bool = False) -> list[Any]:
    """Loader options for a course's pages: its modules with their lessons and quizzes and
    its titles, joined in one query. With ``outline`` (the course page) its full texts and
    the titles of its modules and lessons, a query each (lesson bodies left out). Pages that
    show a few lessons load their texts with :func:`load_texts`."""
    lessons = joinedload(Course.modules).joinedload(Module.lessons)
    options: list[Any] = [lessons.joinedload(Lesson.quiz)]
    if not outline:
        title = (CourseTranslation.language, CourseTranslation.title)
        return [*options, joinedload(Course.translations).load_only(*title)]
    return [
        *options,
        selectinload(Course.translations),
        lessons.selectinload(Lesson.translations).defer(LessonTranslation.body),
        joinedload(Course.modules).selectinload(Module.translations),
    ]


def get_course(course_id: int, *, outline: bool = False) -> Course | None:
    """The course with its tree loaded (:func:`course_tree`)."""
    query = select(Course).where(Course.id == course_id).options(*course_tree(outline))
    return db.session.scalars(query).unique().first()


def load_texts(lessons: Sequence[Lesson | None]) -> None:
    """Load the texts (bodies too) of those ``lessons`` whose texts are not loaded yet, in
    one query: a lesson page shows its lesson and the titles of the next and previous."""
    wanted = [x for x in lessons if x is not None and "translations" not in sa.inspect(x).dict]
    if not wanted:
        return
    found: dict[int, list[LessonTranslation]] = {lesson.id: [] for lesson in wanted}
    query = select(LessonTranslation).where(LessonTranslation.lesson_id.in_(list(found)))
    for row in db.session.scalars(query.order_by(LessonTranslation.language)):
        found[row.lesson_id].append(row)
    for lesson in wanted:
        set_committed_value(lesson, "translations", found[lesson.id])


def get_lesson(course: Course, lesson_id: int) -> Lesson | None:
    return next((lesson for lesson in course.lessons if lesson.id == lesson_id), None)


def get_quiz(course: Course, quiz_id: int) -> Quiz | None:
    """The course's quiz ``quiz_id`` with its questions, their texts and its lesson's texts
    (three queries)."""
    quizzes = (lesson.quiz for lesson in course.lessons if lesson.quiz is not None)
    quiz = next((quiz for quiz in quizzes if quiz.id == quiz_id), None)
    if quiz is not None:
        load_texts([quiz.lesson])
    if quiz is not None and "questions" not in sa.inspect(quiz).dict:
        questions = db.session.scalars(
            select(Question)
            .where(Question.quiz_id == quiz.id)
            .options(selectinload(Question.translations))
            .order_by(Question.position)
        ).all()
        set_committed_value(quiz, "questions", list(questions))
    return quiz


def neighbours(course: Course, lesson: Lesson) -> tuple[Lesson | None, Lesson | None]:
    """The lessons before and after ``lesson`` in the course's order."""
    lessons = course.lessons
    index = lessons.index(lesson)
    before = lessons[index - 1] if index > 0 else None
    after = lessons[index + 1] if index + 1 < len(lessons) else None
    return before, after


def quizzes_of(course: Course) -> list[Quiz]:
    return [lesson.quiz for lesson in course.lessons if lesson.quiz is not None]


def lessons_open(course: Course, today: date) -> bool:
    """Cohort courses open their lessons on ``starts_on``; other courses are always open."""
    return not (course.kind == CourseKind.COHORT and course.starts_on and today < course.starts_on)


def enrolment_open(course: Course, today: date) -> bool:
    """New enrolments: published (not archived) courses; cohorts until ``ends_on``."""
    if course.status != CourseStatus.PUBLISHED:
        return False
    return not (course.kind == CourseKind.COHORT and course.ends_on and today > course.ends_on)


def hours_of(course: Course) -> float:
    """Hours a course certifies: nominal hours for vocational courses, else the lessons'
    estimates, to the half hour."""
    if course.kind == CourseKind.VOCATIONAL and course.nominal_hours is not None:
        return float(course.nominal_hours)
    minutes = sum(lesson.estimated_minutes for lesson in course.lessons)
    return round(minutes / 60 * 2) / 2


# --- the learner ----------------------------------------------------------------------------


def enrolment_of(user: Any, course: Course, *, for_update: bool = False) -> Enrolment | None:
    """The user's enrolment in ``course`` (any status), or None (also for visitors).
    ``for_update``: read afresh and lock its row until the transaction ends, as the
    operations' lock does (they then do not lock it again)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    query = select(Enrolment).where(Enrolment.user_id == user.id, Enrolment.course_id == course.id)
    if not for_update:
        return db.session.scalar(query)
    enrolment = db.session.scalar(query.with_for_update().execution_options(populate_existing=True))
    if enrolment is not None:
        note_locked(enrolment)
    return enrolment


_LOCKED = "learning.locked_enrolments"


def note_locked(enrolment: Enrolment) -> None:
    """Remember that the current transaction holds ``enrolment``'s row lock."""
    transaction = db.session().get_transaction()
    held = db.session.info.get(_LOCKED)
    if held is None or held[0] is not transaction:
        held = db.session.info[_LOCKED] = (transaction, set())
    held[1].add(enrolment.id)


def holds_lock(enrolment: Enrolment) -> bool:
    """Whether the current transaction locked ``enrolment``'s row already."""
    held = db.session.info.get(_LOCKED)
    transaction = db.session().get_transaction()
    return (
        held is not None
        and transaction is not None
        and held[0] is transaction
        and enrolment.id in held[1]
    )


def is_active(enrolment: Enrolment | None) -> bool:
    return enrolment is not None and enrolment.status != EnrolmentStatus.WITHDRAWN


def completed_courses(user: Any, course_ids: Sequence[int]) -> set[int]:
    if not course_ids:
        return set()
    return set(
        db.session.scalars(
            select(Enrolment.course_id).where(
                Enrolment.user_id == user.id,
                Enrolment.course_id.in_(course_ids),
                Enrolment.status == EnrolmentStatus.COMPLETED,
            )
        )
    )


def lesson_statements(enrolment: Enrolment, *conditions: Any) -> Any:
    """The learner's statements (not voided) in this enrolment, filtered."""
    return select(Statement).where(
        Statement.user_id == enrolment.user_id,
        Statement.registration == enrolment.registration,
        Statement.is_voided.is_(False),
        *conditions,
    )


def done_lesson_ids(enrolment: Enrolment | None) -> set[int]:
    """Lessons this enrolment has completed, from its ``completed`` statements."""
    if enrolment is None:
        return set()
    iris = {iri.activity_iri("lesson", lesson.id): lesson.id for lesson in enrolment.course.lessons}
    if not iris:
        return set()
    rows = db.session.scalars(
        select(Statement.activity_iri).where(
            Statement.user_id == enrolment.user_id,
            Statement.registration == enrolment.registration,
            Statement.is_voided.is_(False),
            Statement.verb_iri == verbs.COMPLETED,
            Statement.activity_iri.in_(list(iris)),
        )
    )
    return {iris[activity] for activity in rows}


def credited_ms(enrolment: Enrolment, lesson: Lesson, since: Any = None) -> tuple[int, int]:
    """Learning time already credited for ``lesson`` in this enrolment, in milliseconds: in
    all, and since ``since`` (0 without it), in one query."""
    duration = sa.func.coalesce(sa.func.sum(Statement.duration_ms), 0)
    recent = (
        sa.func.coalesce(
            sa.func.sum(sa.case((Statement.stored >= since, Statement.duration_ms), else_=0)), 0
        )
        if since is not None
        else sa.literal(0)
    )
    row = db.session.execute(
        select(duration, recent).where(
            Statement.user_id == enrolment.user_id,
            Statement.registration == enrolment.registration,
            Statement.is_voided.is_(False),
            Statement.activity_iri == iri.activity_iri("lesson", lesson.id),
        )
    ).one()
    return int(row[0] or 0), int(row[1] or 0)


def module_progress(course: Course, done: set[int]) -> dict[int, tuple[int, int]]:
    """Per module id: (lessons done, lessons)."""
    return {
        module.id: (sum(1 for lesson in module.lessons if lesson.id in done), len(module.lessons))
        for module in course.modules
    }


def resume_lesson(enrolment: Enrolment) -> Lesson | None:
    """Where to pick up: the last lesson seen, else the first not done, else None."""
    course = enrolment.course
    last = next((x for x in course.lessons if x.id == enrolment.last_lesson_id), None)
    if last is not None:
        return last
    done = done_lesson_ids(enrolment)
    return next((lesson for lesson in course.lessons if lesson.id not in done), None)


# --- quizzes --------------------------------------------------------------------------------


def attempts_of(enrolment: Enrolment, quiz: Quiz) -> list[QuizAttempt]:
    return [a for a in enrolment.attempts if a.quiz_id == quiz.id]


def open_attempt(enrolment: Enrolment, quiz: Quiz) -> QuizAttempt | None:
    return next((a for a in attempts_of(enrolment, quiz) if a.submitted_at is None), None)


def get_attempt(enrolment: Enrolment, quiz: Quiz, number: int) -> QuizAttempt | None:
    return next((a for a in attempts_of(enrolment, quiz) if a.number == number), None)


def best_scores(enrolment: Enrolment) -> dict[int, float]:
    """Per quiz id, the best score (0-1) of the submitted attempts."""
    best: dict[int, float] = {}
    for attempt in enrolment.attempts:
        if attempt.score is not None:
            best[attempt.quiz_id] = max(best.get(attempt.quiz_id, 0.0), attempt.score)
    return best


def ordered_questions(attempt: QuizAttempt) -> list[Question]:
    """The attempt's questions in the order its layout fixed (new questions at the end)."""
    by_id = {q.id: q for q in attempt.quiz.questions}
    order = [by_id[i] for i in attempt.layout.get("questions", []) if i in by_id]
    return order + [q for q in attempt.quiz.questions if q not in order]


def ordered_options(attempt: QuizAttempt, question: Question) -> list[str]:
    keys = list(question.option_keys or [])
    shown = [k for k in attempt.layout.get("options", {}).get(str(question.id), []) if k in keys]
    return shown + [k for k in keys if k not in shown]


def language_of_module(module: Module, chain: Sequence[str]) -> str:
    shown = text_of(module, chain, module.course.original_language)
    return shown.language if shown else module.course.original_language


def lesson_media(lesson: Lesson, chain: Sequence[str]) -> list[Shown]:
    """The lesson's attached resources that were published, in the reader's language;
    ``Shown.attachments`` are their published files. Four queries however many there are
    (one when there are none)."""
    if "resources" not in sa.inspect(lesson).dict:
        resource = selectinload(LessonResource.resource)
        links = db.session.scalars(
            select(LessonResource)
            .where(LessonResource.lesson_id == lesson.id)
            .order_by(LessonResource.position)
            .options(
                resource.selectinload(Resource.revisions),
                resource.selectinload(Resource.attachments),
            )
        ).all()
        set_committed_value(lesson, "resources", list(links))
    shown = (show(link.resource, chain) for link in lesson.resources if link.resource.is_public)
    return [s for s in shown if s is not None]
