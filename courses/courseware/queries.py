"""Reads for course authoring: one course and its parts, the teacher's and the reviewers'
lists, texts in the reader's language, and what can be attached or required."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import or_, select

from courses.courseware.models import (
    Course,
    CourseAuthor,
    CourseStatus,
    Lesson,
    Module,
    Question,
)
from courses.resources.queries import pick_language
from portal.extensions import db


def get_course(course_id: int) -> Course | None:
    return db.session.get(Course, course_id)


def get_module(course: Course, module_id: int) -> Module | None:
    module = db.session.get(Module, module_id)
    return module if module is not None and module.course_id == course.id else None


def get_lesson(course: Course, lesson_id: int) -> Lesson | None:
    lesson = db.session.get(Lesson, lesson_id)
    return lesson if lesson is not None and lesson.module.course_id == course.id else None


def get_question(course: Course, question_id: int) -> Question | None:
    question = db.session.get(Question, question_id)
    if question is None or question.quiz.lesson.module.course_id != course.id:
        return None
    return question


def text_of(item: Any, chain: Sequence[str], original: str) -> Any:
    """The translation of ``item`` (course, module, lesson or question) in the first
    language of ``chain`` it has, else the original, else any; None when it has none."""
    if not item.translations:
        return None
    language = pick_language([t.language for t in item.translations], chain, original)
    return item.translation(language)


def title_of(item: Any, chain: Sequence[str], original: str) -> str:
    text = text_of(item, chain, original)
    return getattr(text, "title", "") if text is not None else ""


def written_by(user: Any) -> list[Course]:
    """Courses ``user`` owns or co-authors, newest first."""
    coauthored = select(CourseAuthor.course_id).where(CourseAuthor.user_id == user.id)
    return list(
        db.session.scalars(
            select(Course)
            .where(or_(Course.owner_id == user.id, Course.id.in_(coauthored)))
            .order_by(Course.id.desc())
        )
    )


def review_queue() -> list[Course]:
    return list(
        db.session.scalars(
            select(Course)
            .where(Course.status == CourseStatus.IN_REVIEW)
            .order_by(Course.submitted_at, Course.id)
        )
    )


def published_courses(exclude: int | None = None) -> list[Course]:
    """Courses that can be required: published once (archived ones included)."""
    query = select(Course).where(Course.published_at.is_not(None)).order_by(Course.id)
    if exclude is not None:
        query = query.where(Course.id != exclude)
    return list(db.session.scalars(query))


def attachable_resources(text: str, limit: int = 20) -> list[Any]:
    """Published, not archived resources whose id is ``text`` or whose title contains it."""
    from courses.resources.models import Resource, ResourceTranslation, Status

    query = select(Resource).where(
        Resource.published_at.is_not(None), Resource.status != Status.ARCHIVED
    )
    text = (text or "").strip()
    if text.isdigit():
        query = query.where(Resource.id == int(text))
    elif text:
        query = query.where(
            Resource.translations.any(ResourceTranslation.title.ilike(f"%{_escape(text)}%", "\\"))
        )
    return list(db.session.scalars(query.order_by(Resource.id.desc()).limit(limit)))


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def get_resource(resource_id: int) -> Any:
    from courses.resources.models import Resource

    return db.session.get(Resource, resource_id)


def stale_translations(question: Question) -> list[str]:
    """Languages whose option texts no longer match the question's options."""
    keys = set(question.option_keys)
    return [t.language for t in question.translations if set(t.options) != keys]
