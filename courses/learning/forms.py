"""Forms of the learner's pages. The quiz's answers are many dynamic fields: the form checks
CSRF and the attempt number, :func:`gather_answers` reads the answers per question."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import HiddenField, SubmitField

from courses.courseware.models import CourseKind
from courses.learning import queries
from courses.learning.models import QuizAttempt

KINDS = {
    CourseKind.SELF_PACED: _l("Self-paced"),
    CourseKind.COHORT: _l("Cohort (between two dates)"),
    CourseKind.VOCATIONAL: _l("Vocational"),
}


class EnrolForm(FlaskForm):
    submit = SubmitField(_l("Enrol"))


class WithdrawForm(FlaskForm):
    submit = SubmitField(_l("Withdraw from the course"))


class CompleteForm(FlaskForm):
    """ "Mark as done": ``served`` is the signed token of the page, ``active_seconds`` is
    filled by the page's script (empty without JavaScript)."""

    served = HiddenField()
    active_seconds = HiddenField()
    submit = SubmitField(_l("Mark as done"))


class TimeForm(CompleteForm):
    """The beacon of active time: same fields, sent by the script on leaving the page."""


class StartForm(FlaskForm):
    start = SubmitField(_l("Start the quiz"))


class AnswersForm(FlaskForm):
    attempt = HiddenField()
    submit = SubmitField(_l("Submit answers"))


def whole_number(value: str | None, limit: int = 86_400) -> int | None:
    """A hidden field's whole number from 0 to ``limit``, else None (junk is ignored)."""
    value = (value or "").strip()
    if not value.isascii() or not value.isdigit() or len(value) > 9 or int(value) > limit:
        return None
    return int(value)


def field_name(question_id: int, key: str | None = None) -> str:
    return f"q{question_id}" if key is None else f"q{question_id}-{key}"


def gather_answers(attempt: QuizAttempt, form: MultiDict[str, str]) -> dict[int, Any]:
    """Each question's response from the posted form, in the shape grading expects; a
    question left blank (or answered with junk) is missing or None."""
    answers: dict[int, Any] = {}
    for question in queries.ordered_questions(attempt):
        name = field_name(question.id)
        if question.kind == "multiple":
            answers[question.id] = [v[:100] for v in form.getlist(name)][:50]
        elif question.kind == "ordering":
            answers[question.id] = _ordering(attempt, question, form)
        elif form.get(name, "").strip():
            answers[question.id] = form.get(name, "")[:1000]
    return answers


def _ordering(attempt: QuizAttempt, question: Any, form: MultiDict[str, str]) -> list[str] | None:
    """The keys sorted by the position the learner gave each; None unless the positions are
    exactly 1..n."""
    keys = queries.ordered_options(attempt, question)
    positions: dict[str, int] = {}
    for key in keys:
        value = form.get(field_name(question.id, key), "")
        if not value.isdigit():
            return None
        positions[key] = int(value)
    if sorted(positions.values()) != list(range(1, len(keys) + 1)):
        return None
    return sorted(keys, key=positions.__getitem__)
