"""Verbs that change courses: settings, texts in each language, the outline (modules and
lessons), attached resources, quizzes and questions, co-authors, prerequisites and
moderation. Each validates, flushes and logs who did it; the request commits.

Edits to a published course go live at once (no new review): that is the product's choice,
so every change is logged with the editor's id.
"""

from __future__ import annotations

import logging
import math
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from courses.courseware.models import (
    Course,
    CourseAuthor,
    CourseKind,
    CoursePrerequisite,
    CourseStatus,
    CourseTranslation,
    FeedbackMode,
    Lesson,
    LessonResource,
    LessonTranslation,
    Module,
    ModuleTranslation,
    Question,
    QuestionKind,
    QuestionTranslation,
    Quiz,
)
from courses.resources.vocabulary import AUDIENCES, LEVELS, LICENCES, SUBJECTS
from portal.extensions import db
from portal.i18n import LANGUAGES
from portal.operation_errors import OperationError
from portal.text import nfc

logger = logging.getLogger(__name__)

TITLE_MAX = 200
SUMMARY_MAX = 1000
BODY_MAX = 200_000
PROMPT_MAX = 5000
OPTION_MAX = 500
MAX_OPTIONS = 20
MAX_MINUTES = 1000
MAX_POINTS = 100
MAX_HOURS = Decimal("9999.99")

MESSAGES = {
    "no_title": _l("Write a title."),
    "too_long": _l("A text is too long."),
    "bad_language": _l("Choose one of the portal's languages."),
    "bad_kind": _l("Choose the kind of course."),
    "bad_level": _l("Choose a level."),
    "bad_audience": _l("Choose an audience."),
    "bad_licence": _l("Choose a licence."),
    "bad_subject": _l("Choose subjects from the list."),
    "no_dates": _l("A cohort course needs a start date and an end date."),
    "bad_dates": _l("The end date cannot be before the start date."),
    "no_occupation": _l("A vocational course needs the occupation it prepares for."),
    "bad_qf_level": _l("The qualifications framework level is a whole number from 1 to 8."),
    "bad_hours": _l("Nominal hours must be a number greater than 0 and at most 9999.99."),
    "bad_min_score": _l("The minimum score is a whole number from 0 to 100, or empty."),
    "bad_minutes": _l("The estimated time is a whole number of minutes from 1 to 1000."),
    "bad_pass_mark": _l("The pass mark is a whole number from 0 to 100."),
    "bad_max_attempts": _l("The number of attempts is empty (no limit) or at least 1."),
    "bad_feedback": _l("Choose what learners see after an attempt."),
    "quiz_exists": _l("This lesson already has a quiz."),
    "bad_question_kind": _l("Choose the kind of question."),
    "bad_points": _l("Points are a whole number from 1 to 100."),
    "no_prompt": _l("Write the question."),
    "too_few_options": _l("Write at least two options, one per line."),
    "too_many_options": _l("Write at most 20 options."),
    "bad_correct": _l("Give the numbers of the correct options, such as 2 or 1, 3."),
    "one_correct": _l("A single-choice question has exactly one correct option."),
    "no_correct": _l("Mark at least one option as correct."),
    "no_true_false": _l("Say whether the statement is true or false."),
    "no_accepted": _l("Write at least one accepted answer, one per line."),
    "bad_number": _l("The correct answer must be a number, such as 3.5 or 3,5."),
    "bad_tolerance": _l("The tolerance must be a number of 0 or more."),
    "option_count": _l("Write as many options as the question has, in the same order."),
    "original_text": _l("The text in the course's original language cannot be deleted."),
    "no_text": _l("There is no text in this language."),
    "no_such_teacher": _l("No teacher account has this phone number or e-mail address."),
    "already_author": _l("This teacher already writes this course."),
    "not_author": _l("This person is not a co-author of the course."),
    "not_owner": _l("Only the course's owner or an administrator may do this."),
    "self_prerequisite": _l("A course cannot require itself."),
    "prerequisite_cycle": _l(
        "That course already requires this one (directly or through other courses): "
        "requiring it back would make a circle no learner could enter."
    ),
    "prerequisite_not_published": _l("Only a published course can be required."),
    "already_prerequisite": _l("This course is already required."),
    "not_prerequisite": _l("This course is not required."),
    "resource_not_published": _l("Only a published resource can be attached."),
    "already_attached": _l("This resource is already attached to the lesson."),
    "not_attached": _l("This resource is not attached to the lesson."),
    "has_attempts": _l(
        "Learners have already answered this quiz: it cannot be deleted. "
        "Archive the course and write a new one instead."
    ),
    "not_draft": _l("Only a draft can be sent for review."),
    "no_lessons": _l("Add at least one lesson before sending the course for review."),
    "empty_quiz": _l("Every quiz needs at least one question before the course is reviewed."),
    "not_in_review": _l("Only a course in review can be published."),
    "not_in_review_return": _l("Only a course in review can be returned."),
    "no_note": _l("Write a note to the authors before returning the course."),
    "not_published": _l("Only a published course can be archived."),
    "published_once": _l("A course that has been published cannot be deleted; archive it."),
}


class CourseError(OperationError):
    """A change the course's state or the given values do not allow; ``code`` keys
    :data:`MESSAGES`."""

    @property
    def message(self) -> str:
        return str(MESSAGES[self.code])


def _now() -> datetime:
    return datetime.now(UTC)


# --- checking values ----------------------------------------------------------------------


def clean(value: str | None) -> str:
    """NFC text with Windows line breaks made plain and control characters (NUL and the
    like, which PostgreSQL refuses) removed; line breaks and tabs stay."""
    text = (value or "").replace("\r\n", "\n").replace("\r", "\n")
    return nfc("".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) != "Cc"))


def _text(value: str | None, limit: int, *, required: str | None = None) -> str:
    text = clean(value).strip()
    if required and not text:
        raise CourseError(required)
    if len(text) > limit:
        raise CourseError("too_long")
    return text


def _line(value: str | None, limit: int, *, required: str | None = None) -> str:
    """One line: inner runs of spaces, tabs and line breaks become one space."""
    return _text(" ".join((value or "").split()), limit, required=required)


def _language(code: str) -> str:
    if code not in LANGUAGES:
        raise CourseError("bad_language")
    return code


def _int(value: Any, low: int, high: int | None, code: str) -> int:
    if isinstance(value, bool):
        raise CourseError(code)
    try:
        number = int(str(value).strip()) if not isinstance(value, int) else value
    except (TypeError, ValueError):
        raise CourseError(code) from None
    if number < low or (high is not None and number > high):
        raise CourseError(code)
    return number


def _optional_int(value: Any, low: int, high: int | None, code: str) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return _int(value, low, high, code)


def parse_number(value: Any) -> float | None:
    """A finite number from ``3.5``, ``"3,5"`` or ``" -2 "``; None when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float | Decimal):
        number = float(value)
    else:
        text = str(value or "").strip().replace(" ", "").replace("\u00a0", "")
        if text.count(",") == 1 and "." not in text:
            text = text.replace(",", ".")
        try:
            number = float(text)
        except ValueError:
            return None
    return number if math.isfinite(number) else None


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


def _touch(course: Course, editor: Any, what: str, *args: Any) -> None:
    course.updated_at = _now()
    db.session.flush()
    logger.info(
        "user %s changed course %s (%s): " + what,
        getattr(editor, "id", None),
        course.id,
        course.status,
        *args,
    )


def _renumber(items: Sequence[Any]) -> None:
    for position, item in enumerate(items):
        item.position = position


def _move(items: list[Any], item: Any, step: int) -> None:
    """Swap ``item`` with its neighbour ``step`` (-1 up, +1 down) places away."""
    items = list(items)
    index = items.index(item)
    other = index + step
    if 0 <= other < len(items):
        items[index], items[other] = items[other], items[index]
    _renumber(items)


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


# --- modules and lessons ------------------------------------------------------------------


def add_module(course: Course, editor: Any, *, title: str) -> Module:
    """A new module at the end, titled in the course's original language."""
    module = Module(position=len(course.modules))
    module.translations.append(
        ModuleTranslation(
            language=course.original_language,
            title=_line(title, TITLE_MAX, required="no_title"),
        )
    )
    course.modules.append(module)
    _touch(course, editor, "added a module")
    return module


def save_module_text(module: Module, editor: Any, *, language: str, title: str) -> None:
    language = _language(language)
    title = _line(title, TITLE_MAX, required="no_title")
    text = module.translation(language)
    if text is None:
        module.translations.append(ModuleTranslation(language=language, title=title))
    else:
        text.title = title
    _touch(module.course, editor, "module %s text in %s", module.id, language)


def move_module(module: Module, editor: Any, step: int) -> None:
    _move(module.course.modules, module, step)
    module.course.modules.sort(key=lambda m: m.position)
    _touch(module.course, editor, "moved module %s by %s", module.id, step)


def delete_module(module: Module, editor: Any) -> None:
    course = module.course
    _refuse_if_answered([lesson.quiz for lesson in module.lessons if lesson.quiz])
    course.modules.remove(module)
    _renumber(course.modules)
    _touch(course, editor, "deleted module %s", module.id)


def add_lesson(module: Module, editor: Any, *, title: str) -> Lesson:
    """A new lesson at the end of ``module``, titled in the course's original language."""
    course = module.course
    lesson = Lesson(position=len(module.lessons), estimated_minutes=10)
    lesson.translations.append(
        LessonTranslation(
            language=course.original_language,
            title=_line(title, TITLE_MAX, required="no_title"),
            body="",
        )
    )
    module.lessons.append(lesson)
    _touch(course, editor, "added a lesson to module %s", module.id)
    return lesson


def save_lesson_text(
    lesson: Lesson, editor: Any, *, language: str, title: str, body: str
) -> LessonTranslation:
    language = _language(language)
    title = _line(title, TITLE_MAX, required="no_title")
    body = _text(body, BODY_MAX)
    text = lesson.translation(language)
    if text is None:
        text = LessonTranslation(language=language, title=title)
        lesson.translations.append(text)
    text.title, text.body, text.updated_at = title, body, _now()
    _touch(lesson.module.course, editor, "lesson %s text in %s", lesson.id, language)
    return text


def update_lesson(lesson: Lesson, editor: Any, *, estimated_minutes: Any) -> None:
    lesson.estimated_minutes = _int(estimated_minutes, 1, MAX_MINUTES, "bad_minutes")
    _touch(lesson.module.course, editor, "lesson %s settings", lesson.id)


def move_lesson(lesson: Lesson, editor: Any, step: int) -> None:
    """Move a lesson up or down in its module; past the module's first or last place it
    goes to the end of the previous module or the start of the next one."""
    module = lesson.module
    modules = module.course.modules
    index = module.lessons.index(lesson)
    target = index + step
    if 0 <= target < len(module.lessons):
        _move(module.lessons, lesson, step)
        module.lessons.sort(key=lambda item: item.position)
    else:
        neighbour = modules.index(module) + step
        if 0 <= neighbour < len(modules):
            other = modules[neighbour]
            with db.session.no_autoflush:  # never flush the lesson while it has no module
                target = other.lessons
                module.lessons.remove(lesson)
                target.insert(len(target) if step < 0 else 0, lesson)
                _renumber(module.lessons)
                _renumber(target)
    _touch(module.course, editor, "moved lesson %s by %s", lesson.id, step)


def delete_lesson(lesson: Lesson, editor: Any) -> None:
    module = lesson.module
    _refuse_if_answered([lesson.quiz] if lesson.quiz else [])
    module.lessons.remove(lesson)
    _renumber(module.lessons)
    _touch(module.course, editor, "deleted lesson %s", lesson.id)


def attach_resource(lesson: Lesson, editor: Any, resource: Any) -> LessonResource:
    """Attach a published resource at the end of the lesson's list."""
    from courses.resources.models import Status

    if resource is None or not resource.is_public or resource.status == Status.ARCHIVED:
        raise CourseError("resource_not_published")
    if any(link.resource_id == resource.id for link in lesson.resources):
        raise CourseError("already_attached")
    link = LessonResource(resource_id=resource.id, position=len(lesson.resources))
    lesson.resources.append(link)
    _touch(
        lesson.module.course, editor, "attached resource %s to lesson %s", resource.id, lesson.id
    )
    return link


def detach_resource(lesson: Lesson, editor: Any, resource_id: int) -> None:
    link = next((r for r in lesson.resources if r.resource_id == resource_id), None)
    if link is None:
        raise CourseError("not_attached")
    lesson.resources.remove(link)
    _renumber(lesson.resources)
    _touch(
        lesson.module.course, editor, "detached resource %s from lesson %s", resource_id, lesson.id
    )


def move_resource(lesson: Lesson, editor: Any, resource_id: int, step: int) -> None:
    link = next((r for r in lesson.resources if r.resource_id == resource_id), None)
    if link is None:
        raise CourseError("not_attached")
    _move(lesson.resources, link, step)
    lesson.resources.sort(key=lambda item: item.position)
    _touch(lesson.module.course, editor, "moved resource %s in lesson %s", resource_id, lesson.id)


# --- quizzes ------------------------------------------------------------------------------


def _quiz_settings(
    pass_mark: Any, max_attempts: Any, shuffle_questions: bool, shuffle_options: bool, feedback: str
) -> dict[str, Any]:
    if feedback not in set(FeedbackMode):
        raise CourseError("bad_feedback")
    return {
        "pass_mark": _int(pass_mark, 0, 100, "bad_pass_mark"),
        "max_attempts": _optional_int(max_attempts, 1, 1000, "bad_max_attempts"),
        "shuffle_questions": bool(shuffle_questions),
        "shuffle_options": bool(shuffle_options),
        "feedback": str(feedback),
    }


def add_quiz(
    lesson: Lesson,
    editor: Any,
    *,
    pass_mark: Any = 70,
    max_attempts: Any = None,
    shuffle_questions: bool = False,
    shuffle_options: bool = False,
    feedback: str = FeedbackMode.FULL,
) -> Quiz:
    """A quiz at the end of ``lesson`` (one per lesson)."""
    if lesson.quiz is not None:
        raise CourseError("quiz_exists")
    settings = _quiz_settings(pass_mark, max_attempts, shuffle_questions, shuffle_options, feedback)
    lesson.quiz = Quiz(**settings)
    _touch(lesson.module.course, editor, "added a quiz to lesson %s", lesson.id)
    return lesson.quiz


def update_quiz(
    quiz: Quiz,
    editor: Any,
    *,
    pass_mark: Any,
    max_attempts: Any,
    shuffle_questions: bool,
    shuffle_options: bool,
    feedback: str,
) -> None:
    settings = _quiz_settings(pass_mark, max_attempts, shuffle_questions, shuffle_options, feedback)
    for name, value in settings.items():
        setattr(quiz, name, value)
    _touch(quiz.lesson.module.course, editor, "quiz %s settings", quiz.id)


def delete_quiz(quiz: Quiz, editor: Any) -> None:
    lesson = quiz.lesson
    _refuse_if_answered([quiz])
    lesson.quiz = None
    _touch(lesson.module.course, editor, "deleted quiz %s", quiz.id)


def _refuse_if_answered(quizzes: list[Quiz]) -> None:
    """Deleting a quiz would delete learners' attempts with it: refuse once there are any."""
    from courses.learning.models import QuizAttempt

    ids = [quiz.id for quiz in quizzes if quiz.id is not None]
    if ids and db.session.scalar(
        select(QuizAttempt.id).where(QuizAttempt.quiz_id.in_(ids)).limit(1)
    ):
        raise CourseError("has_attempts")


# --- questions ----------------------------------------------------------------------------


def option_key(index: int) -> str:
    """Stable keys: a, b, ..., z, then aa, ab, ..."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    return letters[index] if index < 26 else letters[index // 26 - 1] + letters[index % 26]


def _lines(value: str | Sequence[str] | None) -> list[str]:
    raw = value.splitlines() if isinstance(value, str) else list(value or ())
    return [line for line in (_line(item, OPTION_MAX) for item in raw) if line]


def _options(value: str | Sequence[str] | None) -> list[str]:
    options = _lines(value)
    if len(options) < 2:
        raise CourseError("too_few_options")
    if len(options) > MAX_OPTIONS:
        raise CourseError("too_many_options")
    return options


def _correct_numbers(value: str | Sequence[int] | None, count: int) -> list[int]:
    """Option numbers (1-based) from "2", "1, 3" or "1 3"; each must name an option."""
    if isinstance(value, str):
        parts = value.replace(",", " ").replace(";", " ").split()
    else:
        parts = [str(v) for v in value or ()]
    numbers = []
    for part in parts:
        if not part.isdigit() or not 1 <= int(part) <= count:
            raise CourseError("bad_correct")
        numbers.append(int(part))
    return sorted(set(numbers))


def _question_values(kind: str, spec: dict[str, Any]) -> dict[str, Any]:
    """Check a question's original-language fields for ``kind``; return its
    ``option_keys``, ``answer``, option texts and accepted answers."""
    options: list[str] = []
    accepted: list[str] = []
    keys: list[str] = []
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.ORDERING):
        options = _options(spec.get("options"))
        keys = [option_key(i) for i in range(len(options))]
    if kind == QuestionKind.SINGLE:
        numbers = _correct_numbers(spec.get("correct"), len(options))
        if len(numbers) != 1:
            raise CourseError("one_correct")
        answer: dict[str, Any] = {"correct": keys[numbers[0] - 1]}
    elif kind == QuestionKind.MULTIPLE:
        numbers = _correct_numbers(spec.get("correct"), len(options))
        if not numbers:
            raise CourseError("no_correct")
        answer = {"correct": [keys[n - 1] for n in numbers]}
    elif kind == QuestionKind.TRUE_FALSE:
        value = spec.get("correct")
        if isinstance(value, str):
            value = {"true": True, "false": False}.get(value.strip().lower())
        if not isinstance(value, bool):
            raise CourseError("no_true_false")
        answer = {"correct": value}
    elif kind == QuestionKind.SHORT_TEXT:
        accepted = _lines(spec.get("accepted"))
        if not accepted:
            raise CourseError("no_accepted")
        answer = {
            "case_sensitive": bool(spec.get("case_sensitive")),
            "accent_sensitive": bool(spec.get("accent_sensitive")),
        }
    elif kind == QuestionKind.NUMERIC:
        value = parse_number(spec.get("value"))
        if value is None:
            raise CourseError("bad_number")
        raw_tolerance = spec.get("tolerance")
        tolerance = (
            0.0
            if raw_tolerance is None or str(raw_tolerance).strip() == ""
            else parse_number(raw_tolerance)
        )
        if tolerance is None or tolerance < 0:
            raise CourseError("bad_tolerance")
        answer = {"value": value, "tolerance": tolerance}
    elif kind == QuestionKind.ORDERING:
        answer = {}
    else:
        raise CourseError("bad_question_kind")
    return {"option_keys": keys, "answer": answer, "options": options, "accepted": accepted}


def add_question(quiz: Quiz, editor: Any, *, kind: str, points: Any = 1, **spec: Any) -> Question:
    """A question at the end of ``quiz``, written in the course's original language.

    ``spec``: ``prompt``, ``explanation``, and by kind ``options`` (lines, in order),
    ``correct`` (option numbers "1, 3"; for true/false a bool), ``accepted`` (lines),
    ``case_sensitive``, ``accent_sensitive``, ``value`` and ``tolerance``."""
    if kind not in set(QuestionKind):
        raise CourseError("bad_question_kind")
    question = Question(kind=str(kind), position=len(quiz.questions))
    _fill_question(question, quiz.lesson.module.course, points, spec)
    quiz.questions.append(question)
    _touch(quiz.lesson.module.course, editor, "added a %s question to quiz %s", kind, quiz.id)
    return question


def update_question(question: Question, editor: Any, *, points: Any, **spec: Any) -> Question:
    """Change a question's original-language text, options and answer (its kind stays).
    Option keys stay those of the same line numbers, so translations still match; a
    translation whose number of options no longer matches is shown as needing an update."""
    course = question.quiz.lesson.module.course
    _fill_question(question, course, points, spec)
    _touch(course, editor, "question %s", question.id)
    return question


def _fill_question(question: Question, course: Course, points: Any, spec: dict[str, Any]) -> None:
    prompt = _text(spec.get("prompt"), PROMPT_MAX, required="no_prompt")
    explanation = _text(spec.get("explanation"), PROMPT_MAX)
    values = _question_values(question.kind, spec)
    question.points = _int(points, 1, MAX_POINTS, "bad_points")
    question.option_keys = values["option_keys"]
    question.answer = values["answer"]
    language = course.original_language
    text = question.translation(language)
    if text is None:
        text = QuestionTranslation(language=language, prompt=prompt)
        question.translations.append(text)
    text.prompt, text.explanation = prompt, explanation
    text.options = dict(zip(values["option_keys"], values["options"], strict=True))
    text.accepted = values["accepted"]


def save_question_text(
    question: Question,
    editor: Any,
    *,
    language: str,
    prompt: str,
    options: str | Sequence[str] = "",
    explanation: str = "",
    accepted: str | Sequence[str] = "",
) -> QuestionTranslation:
    """Add or replace the question's words in ``language``: the prompt, the option texts
    (as many as the question has, in the order of its keys), the explanation and, for a
    short-text question, the answers accepted in that language."""
    language = _language(language)
    course = question.quiz.lesson.module.course
    prompt = _text(prompt, PROMPT_MAX, required="no_prompt")
    explanation = _text(explanation, PROMPT_MAX)
    texts: dict[str, str] = {}
    if question.option_keys:
        lines = _lines(options)
        if len(lines) != len(question.option_keys):
            raise CourseError("option_count")
        texts = dict(zip(question.option_keys, lines, strict=True))
    answers: list[str] = []
    if question.kind == QuestionKind.SHORT_TEXT:
        answers = _lines(accepted)
        if not answers:
            raise CourseError("no_accepted")
    text = question.translation(language)
    if text is None:
        text = QuestionTranslation(language=language, prompt=prompt)
        question.translations.append(text)
    text.prompt, text.explanation, text.options, text.accepted = prompt, explanation, texts, answers
    _touch(course, editor, "question %s text in %s", question.id, language)
    return text


def move_question(question: Question, editor: Any, step: int) -> None:
    quiz = question.quiz
    _move(quiz.questions, question, step)
    quiz.questions.sort(key=lambda item: item.position)
    _touch(quiz.lesson.module.course, editor, "moved question %s by %s", question.id, step)


def delete_question(question: Question, editor: Any) -> None:
    quiz = question.quiz
    _refuse_if_answered([quiz])
    quiz.questions.remove(question)
    _renumber(quiz.questions)
    _touch(quiz.lesson.module.course, editor, "deleted question %s", question.id)


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


__all__ = [
    "MESSAGES",
    "SETTINGS_FIELDS",
    "CourseError",
    "add_coauthor",
    "add_lesson",
    "add_module",
    "add_prerequisite",
    "add_question",
    "add_quiz",
    "archive",
    "attach_resource",
    "clean",
    "create_course",
    "delete_course",
    "delete_lesson",
    "delete_module",
    "delete_question",
    "delete_quiz",
    "delete_text",
    "detach_resource",
    "may_manage",
    "move_lesson",
    "move_module",
    "move_question",
    "move_resource",
    "option_key",
    "parse_number",
    "publish",
    "remove_coauthor",
    "remove_prerequisite",
    "return_for_changes",
    "save_course_text",
    "save_lesson_text",
    "save_module_text",
    "save_question_text",
    "submit",
    "update_lesson",
    "update_question",
    "update_quiz",
]
