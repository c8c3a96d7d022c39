"""The deadlines of a year's round, per model: defaults from the programme's texts, and
what administrators set for a year (``RecognitionDeadline`` rows)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from portal.extensions import db
from portal.recognition.models import Model, RecognitionDeadline

STEPS = ("register", "submit", "review", "recognise", "report")

# (month, day, years after the assessment year) of the last day of each step. Households
# register at the start of the year; provinces report before 15 December; units assess
# themselves by the end of the first quarter of the next year (Circular 22/2020).
_DEFAULTS: dict[str, dict[str, tuple[int, int, int]]] = {
    "default": {
        "register": (3, 31, 0),
        "submit": (10, 31, 0),
        "review": (11, 20, 0),
        "recognise": (11, 30, 0),
        "report": (12, 14, 0),
    },
    Model.CITIZEN: {
        "register": (9, 30, 0),
        "submit": (10, 31, 0),
        "review": (11, 20, 0),
        "recognise": (11, 30, 0),
        "report": (12, 14, 0),
    },
    Model.UNIT: {
        "register": (12, 31, 0),
        "submit": (3, 31, 1),
        "review": (4, 30, 1),
        "recognise": (5, 31, 1),
        "report": (6, 30, 1),
    },
}


def default_due(year: int, model: str, step: str) -> date:
    month, day, later = _DEFAULTS.get(model, _DEFAULTS["default"])[step]
    return date(year + later, month, day)


def due(year: int, model: str, step: str) -> date:
    """The last day of ``step`` for ``model`` in the round of ``year``."""
    if step not in STEPS:
        raise ValueError(step)
    set_on = db.session.scalar(
        select(RecognitionDeadline.due_on).where(
            RecognitionDeadline.year == year,
            RecognitionDeadline.model == model,
            RecognitionDeadline.step == step,
        )
    )
    return set_on or default_due(year, model, step)


def deadlines(year: int, model: str) -> dict[str, date]:
    return {step: due(year, model, step) for step in STEPS}
