"""Grading every kind of question, with the edge cases learners produce."""

from __future__ import annotations

import unicodedata

import pytest

from courses.learning.grading import grade, normalise_text, parse_number


def test_text_is_nfc_trimmed_and_spaces_collapsed():
    nfd = unicodedata.normalize("NFD", "  Hà   Nội \t")
    assert normalise_text(nfd, case_sensitive=True, accent_sensitive=True) == "Hà Nội"


@pytest.mark.parametrize(
    ("given", "case", "accent", "expected"),
    [
        ("Hà Nội", False, False, "ha noi"),
        ("HÀ NỘI", False, True, "hà nội"),
        ("Hà Nội", True, False, "Ha Noi"),
        ("Đà Nẵng", False, False, "da nang"),
        ("Đà Nẵng", True, False, "Da Nang"),
        ("đường", False, True, "đường"),
    ],
)
def test_folding_follows_the_flags(given, case, accent, expected):
    assert normalise_text(given, case_sensitive=case, accent_sensitive=accent) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("3,5", "3.5"), (" 3.5 ", "3.5"), ("-2", "-2"), ("1 000", "1000"), ("0,05", "0.05")],
)
def test_numbers_accept_a_comma(text, expected):
    assert str(parse_number(text)) == expected


@pytest.mark.parametrize(
    "text", ["", "abc", "1,2,3", "1.2.3", "nan", "inf", "1e999999999", [], None, True]
)
def test_junk_is_not_a_number(text):
    assert parse_number(text) is None


def test_single_choice(quiz_course, add_question):
    _course, quiz = quiz_course()
    q = add_question(quiz, "single", {"correct": "b"}, option_keys=("a", "b", "c"), points=2)
    assert grade(q, "b", "vi") == (True, 2.0)
    assert grade(q, "a", "vi") == (False, 0.0)
    assert grade(q, ["b"], "vi") == (False, 0.0)
    assert grade(q, None, "vi") == (False, 0.0)


def test_multiple_choice_is_all_or_nothing(quiz_course, add_question):
    _course, quiz = quiz_course()
    q = add_question(quiz, "multiple", {"correct": ["a", "c"]}, option_keys=("a", "b", "c"))
    assert grade(q, ["c", "a"], "vi") == (True, 1.0)
    assert grade(q, ["a"], "vi")[0] is False  # partly right is wrong
    assert grade(q, ["a", "b", "c"], "vi")[0] is False  # a wrong one spoils it
    assert grade(q, ["a", "c", "c"], "vi")[0] is False
    assert grade(q, [], "vi")[0] is False
    assert grade(q, "a", "vi")[0] is False


def test_true_false(quiz_course, add_question):
    _course, quiz = quiz_course()
    q = add_question(quiz, "true_false", {"correct": False})
    assert grade(q, "false", "vi")[0] is True
    assert grade(q, False, "vi")[0] is True
    assert grade(q, "true", "vi")[0] is False
    assert grade(q, "0", "vi")[0] is False
    assert grade(q, None, "vi")[0] is False


def test_short_text_is_accent_and_case_insensitive_by_default(quiz_course, add_question):
    _course, quiz = quiz_course()
    q = add_question(quiz, "short_text", {}, accepted=("Hà Nội",))
    for given in ("ha noi", "HÀ NỘI", "  Hà   Nội ", unicodedata.normalize("NFD", "Hà Nội")):
        assert grade(q, given, "vi")[0] is True, given
    assert grade(q, "Hải Phòng", "vi")[0] is False
    assert grade(q, "", "vi")[0] is False
    assert grade(q, "   ", "vi")[0] is False


def test_short_text_folds_d_with_stroke(quiz_course, add_question):
    _course, quiz = quiz_course()
    q = add_question(quiz, "short_text", {}, accepted=("Điện Biên",))
    assert grade(q, "dien bien", "vi")[0] is True
    assert grade(q, "DIEN BIEN", "vi")[0] is True


def test_short_text_sensitive_flags(quiz_course, add_question):
    _course, quiz = quiz_course()
    accents = add_question(quiz, "short_text", {"accent_sensitive": True}, accepted=("Hà Nội",))
    assert grade(accents, "hà nội", "vi")[0] is True
    assert grade(accents, "ha noi", "vi")[0] is False
    case = add_question(quiz, "short_text", {"case_sensitive": True}, accepted=("Hà Nội",))
    assert grade(case, "Ha Noi", "vi")[0] is True
    assert grade(case, "ha noi", "vi")[0] is False


def test_short_text_uses_the_language_shown_else_the_original(quiz_course, add_question):
    _course, quiz = quiz_course()  # original language vi
    q = add_question(
        quiz, "short_text", {}, translations={"vi": ["con mèo"], "en": ["cat"], "km": []}
    )
    assert grade(q, "cat", "en")[0] is True
    assert grade(q, "con meo", "en")[0] is False  # English shown: English answers
    assert grade(q, "con mèo", "km")[0] is True  # no Khmer answers: the original's
    assert grade(q, "con mèo", "rad")[0] is True  # no such translation: the original's


def test_numeric_with_comma_and_tolerance_bounds(quiz_course, add_question):
    _course, quiz = quiz_course()
    q = add_question(quiz, "numeric", {"value": 3.5, "tolerance": 0.05})
    for given in ("3,5", "3.5", "3,55", "3.45", " 3,55 "):
        assert grade(q, given, "vi")[0] is True, given
    for given in ("3,56", "3.44", "35", "ba phẩy năm", ""):
        assert grade(q, given, "vi")[0] is False, given


def test_numeric_without_tolerance_is_exact(quiz_course, add_question):
    _course, quiz = quiz_course()
    q = add_question(quiz, "numeric", {"value": 12})
    assert grade(q, "12", "vi")[0] is True
    assert grade(q, "12,0", "vi")[0] is True
    assert grade(q, "12.01", "vi")[0] is False


def test_ordering_needs_the_exact_order(quiz_course, add_question):
    _course, quiz = quiz_course()
    q = add_question(quiz, "ordering", {}, option_keys=("x", "y", "z"))
    assert grade(q, ["x", "y", "z"], "vi")[0] is True
    assert grade(q, ["x", "z", "y"], "vi")[0] is False
    assert grade(q, ["x", "y"], "vi")[0] is False
    assert grade(q, "xyz", "vi")[0] is False
    assert grade(q, None, "vi")[0] is False
