"""The course itself: creating it, its settings (kind, vocabularies, completion rule,
certificate) and texts, deleting it or one of its texts, co-authors, prerequisites and
moderation (submit, publish, return, archive)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select

from courses.courseware.models import (
    Course,
    CourseAuthor,
    CourseKind,
    CoursePrerequisite,
    CourseStatus,
    CourseTranslation,
)
from courses.courseware.operations.common import (
    BODY_MAX,
    MAX_HOURS,
    SUMMARY_MAX,
    TITLE_MAX,
    CourseError,
    _int,
    _language,
    _line,
    _now,
    _optional_int,
    _text,
    _touch,
    logger,
    parse_number,
)
from courses.resources.vocabulary import AUDIENCES, LEVELS, LICENCES, SUBJECTS
from portal.extensions import db

# --- checking course settings -------------------------------------------------------------


def _subjects(codes: Iterable[str]) -> str:
    codes = sorted(set(codes))
    if any(code not in SUBJECTS for code in codes):
        raise CourseError("bad_subject")
    return "," + ",".join(codes) + ("," if codes else "")


def _settings(values: dict[str, Any]) -> dict[str, Any]:
    """Checked course settings: vocabularies, kind fields and completion rule."""
    if values["kind"] not in set(CourseKind):
        raise CourseError("bad_kind")
    if values["level"] not in LEVELS:
        raise CourseError("bad_level")
    if values["audience"] not in AUDIENCES:
        raise CourseError("bad_audience")
    if values["licence"] not in LICENCES:
        raise CourseError("bad_licence")
    out: dict[str, Any] = {
        "kind": str(values["kind"]),
        "level": values["level"],
        "audience": values["audience"],
        "licence": values["licence"],
        "subjects": _subjects(values.get("subjects") or ()),
        "starts_on": None,
        "ends_on": None,
        "occupation": None,
        "qf_level": None,
        "nominal_hours": None,
        "require_all_lessons": bool(values.get("require_all_lessons", True)),
        "require_quizzes_passed": bool(values.get("require_quizzes_passed", True)),
        "min_score": _optional_int(values.get("min_score"), 0, 100, "bad_min_score"),
        "issues_certificate": bool(values.get("issues_certificate", True)),
    }
    if out["kind"] == CourseKind.COHORT:
        starts, ends = values.get("starts_on"), values.get("ends_on")
        if not isinstance(starts, date) or not isinstance(ends, date):
            raise CourseError("no_dates")
        if ends < starts:
            raise CourseError("bad_dates")
        out["starts_on"], out["ends_on"] = starts, ends
    elif out["kind"] == CourseKind.VOCATIONAL:
        out["occupation"] = _line(values.get("occupation"), 200, required="no_occupation")
        out["qf_level"] = _int(values.get("qf_level"), 1, 8, "bad_qf_level")
        out["nominal_hours"] = _hours(values.get("nominal_hours"))
    return out


def _hours(value: Any) -> Decimal:
    number = parse_number(value) if value is not None else None
    if number is None:
        raise CourseError("bad_hours")
    try:
        hours = Decimal(str(number)).quantize(Decimal("0.01"))
    except InvalidOperation:
        raise CourseError("bad_hours") from None
    if hours <= 0 or hours > MAX_HOURS:
        raise CourseError("bad_hours")
    return hours


# --- the course ---------------------------------------------------------------------------

SETTINGS_FIELDS = (
    "kind",
    "level",
    "audience",
    "licence",
    "subjects",
    "starts_on",
    "ends_on",
    "occupation",
    "qf_level",
    "nominal_hours",
    "require_all_lessons",
    "require_quizzes_passed",
    "min_score",
    "issues_certificate",
)


def create_course(
    owner: Any,
    *,
    language: str,
    title: str,
    summary: str = "",
    description: str = "",
    **settings: Any,
) -> Course:
    """A new draft owned by ``owner``, written in ``language``. ``settings`` are the
    :data:`SETTINGS_FIELDS` (kind, level, audience, licence, subjects, ...)."""
    unknown = set(settings) - set(SETTINGS_FIELDS)
    if unknown:
        raise TypeError(sorted(unknown))
    language = _language(language)
    values = _settings(
        {"kind": CourseKind.SELF_PACED, "level": "beginner", "audience": "citizen"}
        | {"licence": "cc-by"}
        | settings
    )
    text = CourseTranslation(
        language=language,
        title=_line(title, TITLE_MAX, required="no_title"),
        summary=_text(summary, SUMMARY_MAX),
        description=_text(description, BODY_MAX),
    )
    course = Course(
        owner_id=owner.id, status=CourseStatus.DRAFT, original_language=language, **values
    )
    course.translations.append(text)
    db.session.add(course)
    db.session.flush()
    logger.info("user %s created course %s in %s", owner.id, course.id, language)
    return course


def update_settings(course: Course, editor: Any, **settings: Any) -> Course:
    """Change the kind, vocabularies, completion rule and certificate of ``course``."""
    unknown = set(settings) - set(SETTINGS_FIELDS)
    if unknown:
        raise TypeError(sorted(unknown))
    current = {name: getattr(course, name) for name in SETTINGS_FIELDS}
    current["subjects"] = course.subject_codes
    for name, value in _settings(current | settings).items():
        setattr(course, name, value)
    _touch(course, editor, "settings")
    return course


def save_course_text(
    course: Course, editor: Any, *, language: str, title: str, summary: str, description: str
) -> CourseTranslation:
    """Add or replace the course's title, summary and description in ``language``."""
    language = _language(language)
    title = _line(title, TITLE_MAX, required="no_title")
    summary, description = _text(summary, SUMMARY_MAX), _text(description, BODY_MAX)
    text = course.translation(language)
    if text is None:
        text = CourseTranslation(language=language, title=title)
        course.translations.append(text)
    text.title, text.summary, text.description = title, summary, description
    text.updated_at = _now()
    _touch(course, editor, "text in %s", language)
    return text


def delete_text(course: Course, item: Any, editor: Any, language: str) -> None:
    """Delete the text of ``item`` (the course, or one of its modules, lessons or
    questions) in ``language``; the original language's text stays."""
    if language == course.original_language:
        raise CourseError("original_text")
    text = item.translation(language)
    if text is None:
        raise CourseError("no_text")
    item.translations.remove(text)
    _touch(course, editor, "deleted %s %s text in %s", type(item).__name__, item.id, language)


def delete_course(course: Course, user: Any) -> None:
    """Delete a course that was never published (only its owner or an administrator)."""
    if not may_manage(course, user):
        raise CourseError("not_owner")
    if course.published_at is not None:
        raise CourseError("published_once")
    course_id = course.id
    db.session.delete(course)
    db.session.flush()
    logger.info("user %s deleted course %s", user.id, course_id)


def may_manage(course: Course, user: Any) -> bool:
    """The owner or an administrator: may change co-authors and delete the course."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return user.id == course.owner_id or user.has_role("admin")


# --- co-authors and prerequisites ---------------------------------------------------------


def add_coauthor(course: Course, by: Any, identifier: str) -> CourseAuthor:
    """Let the teacher with this phone number or e-mail address edit the course."""
    from portal.accounts.queries import user_by_identifier

    if not may_manage(course, by):
        raise CourseError("not_owner")
    user = user_by_identifier((identifier or "").strip())
    if user is None or not user.has_role("teacher"):
        raise CourseError("no_such_teacher")
    if user.id == course.owner_id or any(a.user_id == user.id for a in course.authors):
        raise CourseError("already_author")
    author = CourseAuthor(user_id=user.id)
    course.authors.append(author)
    _touch(course, by, "added co-author %s", user.id)
    return author


def remove_coauthor(course: Course, by: Any, user_id: int) -> None:
    if not may_manage(course, by):
        raise CourseError("not_owner")
    author = next((a for a in course.authors if a.user_id == user_id), None)
    if author is None:
        raise CourseError("not_author")
    course.authors.remove(author)
    _touch(course, by, "removed co-author %s", user_id)


def _requires(course_id: int) -> set[int]:
    """Every course that ``course_id`` requires, directly or through others."""
    seen: set[int] = set()
    frontier = {course_id}
    while frontier:
        rows = db.session.scalars(
            select(CoursePrerequisite.required_course_id).where(
                CoursePrerequisite.course_id.in_(frontier)
            )
        )
        frontier = set(rows) - seen
        seen |= frontier
    return seen


def add_prerequisite(course: Course, editor: Any, required: Course | None) -> CoursePrerequisite:
    """Require learners to complete ``required`` (a published course) before enrolling."""
    if required is None or not required.is_public:
        raise CourseError("prerequisite_not_published")
    if required.id == course.id:
        raise CourseError("self_prerequisite")
    if any(p.required_course_id == required.id for p in course.prerequisites):
        raise CourseError("already_prerequisite")
    if course.id in _requires(required.id):
        raise CourseError("prerequisite_cycle")
    link = CoursePrerequisite(required_course_id=required.id)
    course.prerequisites.append(link)
    _touch(course, editor, "requires course %s", required.id)
    return link


def remove_prerequisite(course: Course, editor: Any, required_course_id: int) -> None:
    link = next(
        (p for p in course.prerequisites if p.required_course_id == required_course_id), None
    )
    if link is None:
        raise CourseError("not_prerequisite")
    course.prerequisites.remove(link)
    _touch(course, editor, "no longer requires course %s", required_course_id)


# --- moderation ---------------------------------------------------------------------------


def submit(course: Course, user: Any) -> None:
    """Send a draft to the review queue: it needs a title, a lesson, and questions in every
    quiz."""
    if course.status != CourseStatus.DRAFT:
        raise CourseError("not_draft")
    text = course.translation(course.original_language)
    if text is None or not text.title.strip():
        raise CourseError("no_title")
    if not course.lessons:
        raise CourseError("no_lessons")
    if any(lesson.quiz is not None and not lesson.quiz.questions for lesson in course.lessons):
        raise CourseError("empty_quiz")
    course.status = CourseStatus.IN_REVIEW
    course.submitted_at = _now()
    db.session.flush()
    logger.info("user %s submitted course %s", user.id, course.id)


def publish(course: Course, reviewer: Any) -> None:
    """Publish a course in review: learners may find it and enrol."""
    if course.status != CourseStatus.IN_REVIEW:
        raise CourseError("not_in_review")
    now = _now()
    course.status = CourseStatus.PUBLISHED
    course.published_at = course.published_at or now
    course.archived_at = None
    course.review_note = None
    db.session.flush()
    logger.info("user %s published course %s", reviewer.id, course.id)


def return_for_changes(course: Course, reviewer: Any, note: str) -> None:
    """Send a course in review back to its authors with a note they see on the outline."""
    if course.status != CourseStatus.IN_REVIEW:
        raise CourseError("not_in_review_return")
    course.review_note = _text(note, 2000, required="no_note")
    course.status = CourseStatus.DRAFT
    db.session.flush()
    logger.info("user %s returned course %s", reviewer.id, course.id)


def archive(course: Course, user: Any) -> None:
    """Archive a published course: it stays visible and takes no new enrolments."""
    if course.status != CourseStatus.PUBLISHED:
        raise CourseError("not_published")
    course.status = CourseStatus.ARCHIVED
    course.archived_at = _now()
    db.session.flush()
    logger.info("user %s archived course %s", user.id, course.id)
