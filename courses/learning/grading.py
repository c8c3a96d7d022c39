"""Grading one answer to one question, for every question kind (see the module docstring of
:mod:`courses.courseware.models` for the answer formats).

A response is what the quiz form gave, already gathered per question by the view:

``single``      the chosen option key (``str``)
``multiple``    the chosen keys (``list[str]``) — all-or-nothing: every correct key, no wrong one
``true_false``  ``"true"``/``"false"`` (or a ``bool``)
``short_text``  the text typed
``numeric``     the text typed ("3,5" and "3.5" alike)
``ordering``    the option keys in the order the learner put them (exact order required)

Anything else — nothing, the wrong type, junk — is simply wrong: grading never raises.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from portal.text import nfc

__all__ = ["accepted_answers", "grade", "normalise_text", "parse_number"]

# 'đ'/'Đ' have no Unicode decomposition: stripping combining marks alone keeps them.
_D_FOLDS = str.maketrans({"đ": "d", "Đ": "D"})
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")


def normalise_text(text: str, *, case_sensitive: bool, accent_sensitive: bool) -> str:
    """``text`` as compared: NFC, trimmed, inner spaces collapsed; then folded to lower case
    unless ``case_sensitive`` and stripped of accents (combining marks, đ → d) unless
    ``accent_sensitive``."""
    text = " ".join(nfc(text).split())
    if not accent_sensitive:
        decomposed = unicodedata.normalize("NFD", text.translate(_D_FOLDS))
        text = nfc("".join(ch for ch in decomposed if not unicodedata.combining(ch)))
    if not case_sensitive:
        text = text.casefold()
    return text


def parse_number(value: Any) -> Decimal | None:
    """A number typed by a learner ("3,5", " 3.5 ", "-2"), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        value = str(value)
    if not isinstance(value, str):
        return None
    text = "".join(nfc(value).split()).replace(",", ".")
    if len(text) > 40 or not _PLAIN_NUMBER.fullmatch(text):
        return None  # no exponents, infinities or NaN: plain decimals only
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern admits valid decimals only
        return None


def accepted_answers(question: Any, language: str) -> list[str]:
    """The accepted short-text answers in ``language``, else in the course's original
    language (a translation without its own accepted answers falls back too)."""
    translation = question.translation(language)
    if translation is not None and translation.accepted:
        return list(translation.accepted)
    original = question.quiz.lesson.module.course.original_language
    fallback = question.translation(original)
    return list(fallback.accepted) if fallback is not None and fallback.accepted else []


def _is_key_list(value: Any) -> bool:
    return isinstance(value, list | tuple) and all(isinstance(v, str) for v in value)


def _correct(question: Any, response: Any, language: str) -> bool:
    answer = question.answer or {}
    kind = question.kind
    if kind == "single":
        return isinstance(response, str) and response == answer.get("correct")
    if kind == "multiple":
        correct = answer.get("correct")
        if not _is_key_list(response) or not isinstance(correct, list):
            return False
        return len(set(response)) == len(response) and set(response) == set(correct)
    if kind == "true_false":
        if isinstance(response, str):
            response = {"true": True, "false": False}.get(response.strip().lower())
        return isinstance(response, bool) and response is answer.get("correct")
    if kind == "short_text":
        if not isinstance(response, str):
            return False
        flags = {
            "case_sensitive": bool(answer.get("case_sensitive", False)),
            "accent_sensitive": bool(answer.get("accent_sensitive", False)),
        }
        given = normalise_text(response, **flags)
        return bool(given) and any(
            given == normalise_text(str(accepted), **flags)
            for accepted in accepted_answers(question, language)
        )
    if kind == "numeric":
        given = parse_number(response)
        value = parse_number(answer.get("value"))
        tolerance = parse_number(answer.get("tolerance", 0)) or Decimal(0)
        return given is not None and value is not None and abs(given - value) <= abs(tolerance)
    if kind == "ordering":
        keys: Sequence[str] = question.option_keys or []
        return _is_key_list(response) and list(response) == list(keys) and bool(keys)
    return False


def grade(question: Any, response: Any, language: str) -> tuple[bool, float]:
    """Whether ``response`` answers ``question`` correctly, and the points it earns (all of
    the question's points or none). ``language`` is the language the question was shown in."""
    correct = _correct(question, response, language)
    return correct, float(question.points) if correct else 0.0
