"""Forms of the registers. A register has one row per learner, so its fields are named by
enrolment (``mark-<id>``; ``result-<id>``, ``score-<id>``, ``level-<id>``) and read from the
request here; the Flask-WTF forms carry the CSRF token and the confirmation of finishing a
class. Labels are translated lazily; stored values are codes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField
from wtforms.validators import DataRequired

from portal.centres.attendance import Result
from portal.centres.labels import ATTENDANCE_LABELS, ENROLMENT_LABELS
from portal.centres.models import AttendanceStatus, EnrolmentStatus

MARK_LABELS = ATTENDANCE_LABELS
RESULT_LABELS = {
    EnrolmentStatus.ENROLLED.value: _l("No result yet"),
    EnrolmentStatus.COMPLETED.value: ENROLMENT_LABELS[EnrolmentStatus.COMPLETED.value],
    EnrolmentStatus.NOT_COMPLETED.value: ENROLMENT_LABELS[EnrolmentStatus.NOT_COMPLETED.value],
}
STATUS_LABELS = ENROLMENT_LABELS
ERRORS = {
    "bad_mark": _l("Choose present, absent or excused."),
    "bad_result": _l("Choose completed, not completed or no result yet."),
    "bad_score": _l("A score is a number from 0 to 100, such as 85 or 72.5."),
    "bad_level": _l("Choose level 1 or level 2."),
}
MAX_FIELDS = 2000  # fields read from one form: far more than a class has learners
HUNDRED = Decimal(100)


class RegisterForm(FlaskForm):
    """The CSRF token of an attendance or results form (the rows are read by name)."""


class FinishForm(FlaskForm):
    confirm = BooleanField(
        _l("Yes, finish the class: learners without a result did not complete it."),
        validators=[DataRequired(message=_l("Tick the box to confirm."))],
    )


@dataclass
class Sent:
    """Values read from a register form: by enrolment id, and problems by enrolment id."""

    values: dict[int, Any] = field(default_factory=dict)
    errors: dict[int, list[str]] = field(default_factory=dict)

    def refuse(self, enrolment_id: int, code: str) -> None:
        self.errors.setdefault(enrolment_id, []).append(str(ERRORS[code]))


def _fields(form: Any, prefix: str) -> Iterable[tuple[int, str]]:
    """(enrolment id, value) of every ``<prefix><id>`` field; other names are ignored."""
    for name in list(form)[:MAX_FIELDS]:
        if name.startswith(prefix):
            key = name.removeprefix(prefix)
            if key.isdigit() and len(key) < 10:
                yield int(key), str(form.get(name, ""))[:32]


def read_marks(form: Any, enrolment_ids: Iterable[int]) -> Sent:
    """The marks of a register: ``mark-<id>`` = present, absent or excused."""
    known = set(enrolment_ids)
    sent = Sent()
    for enrolment_id, value in _fields(form, "mark-"):
        if enrolment_id not in known:
            continue  # withdrawn since the page was loaded: their row is gone
        if value not in set(AttendanceStatus):
            sent.refuse(enrolment_id, "bad_mark")
        else:
            sent.values[enrolment_id] = value
    return sent


def parse_score(text: str) -> Decimal | None:
    """``"85"``, ``"72,5"`` or ``" 72.50 "`` → a Decimal with two places; ``""`` → None;
    ValueError for anything else, or outside 0–100."""
    text = text.strip().replace(",", ".")
    if not text:
        return None
    try:
        score = Decimal(text)
    except InvalidOperation:
        raise ValueError(text) from None
    if not score.is_finite() or score < 0 or score > HUNDRED:
        raise ValueError(text)
    return score.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def read_results(form: Any, enrolment_ids: Iterable[int]) -> Sent:
    """The results of a class: ``result-<id>``, with ``score-<id>`` and ``level-<id>``."""
    known = set(enrolment_ids)
    scores = dict(_fields(form, "score-"))
    levels = dict(_fields(form, "level-"))
    sent = Sent()
    for enrolment_id, status in _fields(form, "result-"):
        if enrolment_id not in known:
            continue
        ok = True
        if status not in RESULT_LABELS:
            sent.refuse(enrolment_id, "bad_result")
            ok = False
        try:
            score = parse_score(scores.get(enrolment_id, ""))
        except ValueError:
            sent.refuse(enrolment_id, "bad_score")
            ok = False
        level_text = levels.get(enrolment_id, "").strip()
        if level_text not in ("", "1", "2"):
            sent.refuse(enrolment_id, "bad_level")
            ok = False
        if ok:
            level = int(level_text) if level_text else None
            sent.values[enrolment_id] = Result(status, score, level)
    return sent
