"""What every course-changing verb shares: the refusal (:class:`CourseError`) and its
:data:`MESSAGES`, the limits on texts and numbers, the checks of plain values, and the
helpers that stamp, log and reorder."""

from __future__ import annotations

import logging
import math
import unicodedata
from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from courses.courseware.models import Course, Quiz
from portal.extensions import db
from portal.i18n import LANGUAGES
from portal.operation_errors import OperationError
from portal.text import nfc

# One logger for the whole package, named as before the split.
logger = logging.getLogger(__package__)

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


# --- stamping, logging and reordering -----------------------------------------------------


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


def _refuse_if_answered(quizzes: list[Quiz]) -> None:
    """Deleting a quiz would delete learners' attempts with it: refuse once there are any."""
    from courses.learning.models import QuizAttempt

    ids = [quiz.id for quiz in quizzes if quiz.id is not None]
    if ids and db.session.scalar(
        select(QuizAttempt.id).where(QuizAttempt.quiz_id.in_(ids)).limit(1)
    ):
        raise CourseError("has_attempts")
