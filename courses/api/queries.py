"""Reads of the API that the resources' queries do not cover: published courses in pages
that stay put, one published course with its outline, and the values search filters may
take (shared with the search page)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import selectinload

from courses.courseware.models import Course, CourseStatus, CourseTranslation, Module
from portal.extensions import db


def _outline() -> tuple:
    return (
        selectinload(Course.translations),
        selectinload(Course.modules).selectinload(Module.translations),
        selectinload(Course.modules).selectinload(Module.lessons),
    )


def published_courses_after(
    *,
    after: tuple[datetime, int] | None = None,
    subject: str | None = None,
    level: str | None = None,
    kind: str | None = None,
    language: str | None = None,
    limit: int = 20,
) -> list[Course]:
    """Published courses (not drafts, not in review, not archived), newest first, after
    ``after`` (``(published_at, id)`` of the last one seen), so pages do not shift when
    newer courses are published in between. ``language``: courses with texts in it."""
    query = select(Course).where(
        Course.status == CourseStatus.PUBLISHED, Course.published_at.is_not(None)
    )
    if subject:
        query = query.where(Course.subjects.contains(f",{subject},", autoescape=True))
    if level:
        query = query.where(Course.level == level)
    if kind:
        query = query.where(Course.kind == kind)
    if language:
        query = query.where(Course.translations.any(CourseTranslation.language == language))
    if after is not None:
        published_at, course_id = after
        query = query.where(
            or_(
                Course.published_at < published_at,
                and_(Course.published_at == published_at, Course.id < course_id),
            )
        )
    return list(
        db.session.scalars(
            query.options(*_outline())
            .order_by(Course.published_at.desc(), Course.id.desc())
            .limit(limit)
        )
    )


def published_course(course_id: int) -> Course | None:
    """The course if it is published now (drafts, courses in review and archived ones are
    not shown by the API), else None."""
    course = db.session.get(Course, course_id)
    if course is None or course.status != CourseStatus.PUBLISHED or course.published_at is None:
        return None
    return course
