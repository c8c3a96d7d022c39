"""Scoring against a criteria set: totals, the threshold rules, grade bands and the points an
answer gives, all in ``Decimal`` and computed by hand here."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from portal.recognition.criteria import DATA, Definition, read_file, validate
from portal.recognition.scoring import NOT_ACHIEVED, score

D = Decimal


def _document(**changes: Any) -> dict[str, Any]:
    """A small valid set: criterion "a" with indicators a1, a2 (10 points each), criterion
    "b" with b1 (80 points); pass with 80 and no indicator below 5."""
    document: dict[str, Any] = {
        "code": "test-set",
        "version": 1,
        "model": "citizen",
        "title": {"vi": "Bộ thử"},
        "issuing_body": {"vi": "Cơ quan"},
        "legal_reference": "Văn bản số 1",
        "period": {"from_year": 2021, "to_year": 2030},
        "effective": {"from": "2021-01-01"},
        "pass": {"min_total": 80, "min_each": 5},
        "criteria": [
            {
                "code": "a",
                "title": {"vi": "Tiêu chí A"},
                "indicators": [
                    {"code": "a1", "title": {"vi": "A1"}, "max_points": 10},
                    {"code": "a2", "title": {"vi": "A2"}, "max_points": 10},
                ],
            },
            {
                "code": "b",
                "title": {"vi": "Tiêu chí B"},
                "indicators": [{"code": "b1", "title": {"vi": "B1"}, "max_points": 80}],
            },
        ],
    }
    document.update(changes)
    return document


def _points(a1: str, a2: str, b1: str) -> dict[str, Decimal]:
    return {"a1": D(a1), "a2": D(a2), "b1": D(b1)}


@pytest.fixture(scope="module")
def threshold() -> Definition:
    return validate(_document())


@pytest.fixture(scope="module")
def graded() -> Definition:
    """Out of 100, Good 85, Fair 70, Average 50, no pass rules (a Learning Unit)."""
    grades = [
        {"code": "good", "min": 85, "label": {"vi": "Tốt"}},
        {"code": "fair", "min": 70, "label": {"vi": "Khá"}},
        {"code": "average", "min": 50, "label": {"vi": "Trung bình"}},
    ]
    return validate(_document(model="unit", grades=grades, **{"pass": None}))


@pytest.mark.parametrize(
    ("points", "passed"),
    [
        (_points("5", "5", "69"), False),  # 79
        (_points("5", "5", "69.99"), False),  # 79.99
        (_points("5", "5", "70"), True),  # 80
        (_points("5.00", "5.00", "70.00"), True),  # 80.00
    ],
)
def test_the_total_must_reach_min_total_exactly(threshold, points, passed):
    result = score(threshold, points)
    assert result.passed is passed
    assert result.total_short is not passed
    assert result.below == ()


def test_seventy_nine_point_nine_nine_is_not_eighty(threshold):
    result = score(threshold, _points("5", "5", "69.99"))
    assert result.total == D("79.99")
    assert result.total_short and not result.passed


def test_an_indicator_at_four_point_nine_fails_however_high_the_total(threshold):
    result = score(threshold, _points("4.9", "10", "80"))
    assert result.total == D("94.9")
    assert result.below == ("a1",)
    assert not result.total_short
    assert not result.passed


def test_an_indicator_at_exactly_the_minimum_passes(threshold):
    result = score(threshold, _points("5", "10", "80"))
    assert result.total == D("95")
    assert result.below == () and result.passed


def test_missing_indicators_are_listed_and_the_result_does_not_pass(threshold):
    result = score(threshold, {"a1": D("10"), "a2": None})
    assert result.missing == ("a2", "b1")
    assert not result.complete
    assert not result.passed
    assert result.total == D("10")


def test_a_complete_result_is_complete(threshold):
    assert score(threshold, _points("10", "10", "80")).complete


def test_an_indicator_min_points_overrides_min_each():
    document = _document()
    document["criteria"][0]["indicators"][0]["min_points"] = 8
    document["criteria"][1]["indicators"][0]["min_points"] = 0
    definition = validate(document)
    assert definition.minimum(definition.indicator("a1")) == D("8")
    assert definition.minimum(definition.indicator("a2")) == D("5")
    assert score(definition, _points("7.99", "10", "80")).below == ("a1",)
    # a2 still follows min_each; b1 may be anything, min_total aside
    assert score(definition, _points("8", "4.99", "80")).below == ("a2",)
    assert score(definition, _points("10", "10", "60")).below == ()
    assert score(definition, _points("10", "10", "60")).passed


def test_without_rules_or_grades_a_complete_result_passes():
    definition = validate(_document(**{"pass": None}))
    assert score(definition, _points("0", "0", "0")).passed
    assert score(definition, _points("0", "0", "0")).grade is None


@pytest.mark.parametrize(
    ("total", "grade"),
    [
        ("100", "good"),
        ("85", "good"),
        ("84.99", "fair"),
        ("70", "fair"),
        ("69.99", "average"),
        ("50", "average"),
        ("49.99", NOT_ACHIEVED),
        ("20", NOT_ACHIEVED),
    ],
)
def test_grade_bands_include_their_lower_bound(graded, total, grade):
    result = score(graded, _points("10", "10", str(D(total) - 20)))
    assert result.total == D(total)
    assert result.grade == grade


def test_with_grades_and_no_min_total_only_a_reached_band_passes(graded):
    assert score(graded, _points("10", "10", "30")).passed  # 50: average
    assert not score(graded, _points("10", "10", "29.99")).passed  # 49.99
    assert not score(graded, _points("10", "10", "29.99")).total_short


def test_subtotals_by_criterion_add_up_to_the_total(threshold):
    result = score(threshold, _points("7.5", "6.25", "70"))
    assert result.by_criterion == {"a": D("13.75"), "b": D("70")}
    assert result.total == D("83.75")


# The points an answer gives ------------------------------------------------------------------


def _indicator(**fields: Any) -> Any:
    document = _document()
    document["criteria"][0]["indicators"][0].update(fields)
    return validate(document).indicator("a1")


@pytest.fixture(scope="module")
def half_steps() -> Any:
    return _indicator(step=0.5)


@pytest.mark.parametrize(
    ("answer", "points"),
    [
        ("4.5", D("4.5")),
        (4.5, D("4.5")),
        ("4,5", D("4.5")),
        (" 7 ", D("7")),
        (0, D("0")),
        (10, D("10")),
        ("10.00", D("10")),
    ],
)
def test_a_scale_answer_on_the_step_gives_its_points(half_steps, answer, points):
    assert half_steps.answer_points(answer) == points


@pytest.mark.parametrize(
    "answer",
    [
        "4.25",  # not a multiple of 0.5
        "4.3",
        "10.5",  # above max_points
        "-0.5",  # below 0
        "4.555",  # three decimals
        float("nan"),
        "NaN",
        float("inf"),
        "-inf",
        True,
        False,
        None,
        "",
        "bốn",
        [4],
    ],
)
def test_a_scale_answer_off_the_scale_is_refused(half_steps, answer):
    assert half_steps.answer_points(answer) is None


@pytest.mark.parametrize("answer", ["1e100", 1e100])
def test_a_huge_scale_answer_is_refused_not_an_error(half_steps, answer):
    # Decimal.quantize raises InvalidOperation past 28 digits; to_points must answer None.
    assert half_steps.answer_points(answer) is None


@pytest.fixture(scope="module")
def choice() -> Any:
    options = [
        {"points": 10, "label": {"vi": "Thường xuyên"}},
        {"points": 5, "label": {"vi": "Thỉnh thoảng"}},
        {"points": 0, "label": {"vi": "Không"}},
    ]
    return _indicator(answer="choice", options=options)


@pytest.mark.parametrize(("answer", "points"), [(0, "10"), ("1", "5"), (2, "0")])
def test_a_choice_answer_gives_the_points_of_its_option(choice, answer, points):
    assert choice.answer_points(answer) == D(points)


@pytest.mark.parametrize("answer", [3, -1, "3", "a", "", None, [0], {"index": 0}, "1.5"])
def test_a_choice_answer_out_of_range_or_junk_is_refused(choice, answer):
    assert choice.answer_points(answer) is None


@pytest.mark.parametrize("answer", [float("inf"), float("nan"), True, 1.5])
def test_a_choice_answer_that_is_not_a_whole_index_is_refused_not_an_error(choice, answer):
    # answer_points takes int(answer): int(inf) raises OverflowError, int(True) is 1 and
    # int(1.5) is 1, so a JSON true or 1.5 would pick the second option.
    assert choice.answer_points(answer) is None


@pytest.fixture(scope="module")
def hours() -> Any:
    return _indicator(
        answer="auto",
        auto={"source": "learning_hours", "bands": [[2, 1], [10, 5], [30, 10]]},
    )


@pytest.mark.parametrize(
    ("value", "points"),
    [
        ("0", "0"),  # below the first band
        ("1.99", "0"),
        ("2", "1"),  # exactly at a band
        ("9.99", "1"),  # between
        ("10", "5"),
        ("29", "5"),
        ("30", "10"),
        ("500", "10"),  # above every band
    ],
)
def test_automatic_points_are_those_of_the_highest_band_reached(hours, value, points):
    assert hours.auto_points(D(value)) == D(points)


def test_an_automatic_indicator_takes_no_typed_answer(hours):
    assert hours.answer_points("5") is None


# The shipped Learning Citizen sets ---------------------------------------------------------

CITIZEN_FILES = sorted(DATA.glob("citizen-*.yaml"))


@pytest.fixture(scope="module", params=CITIZEN_FILES, ids=lambda path: path.stem)
def citizen(request) -> Definition:
    return read_file(request.param)


def test_there_are_four_citizen_sets_of_ten_indicators_each():
    assert len(CITIZEN_FILES) == 4
    for path in CITIZEN_FILES:
        definition = read_file(path)
        assert len(definition.criteria) == 3
        assert len(definition.indicators) == 10
        assert all(i.max_points == 10 for i in definition.indicators)
        assert (definition.min_total, definition.min_each) == (D(80), D(5))


def test_a_citizen_with_full_marks_passes(citizen):
    result = score(citizen, {i.code: D(10) for i in citizen.indicators})
    assert result.total == D(100) and result.passed and result.grade is None


def test_a_citizen_with_eight_everywhere_passes_at_eighty(citizen):
    result = score(citizen, {i.code: D(8) for i in citizen.indicators})
    assert result.total == D(80) and result.passed


def test_a_citizen_with_eight_everywhere_but_one_four_fails(citizen):
    points = {i.code: D(8) for i in citizen.indicators}
    first = citizen.indicators[0].code
    points[first] = D(4)
    result = score(citizen, points)
    assert result.total == D(76)
    assert result.below == (first,) and result.total_short and not result.passed


def test_a_citizen_with_nine_everywhere_but_one_four_fails_on_the_indicator_alone(citizen):
    points = {i.code: D(9) for i in citizen.indicators}
    last = citizen.indicators[-1].code
    points[last] = D(4)
    result = score(citizen, points)
    assert result.total == D(85) and not result.total_short
    assert result.below == (last,) and not result.passed
