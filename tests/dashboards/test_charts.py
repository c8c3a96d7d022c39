"""The SVG charts: well-formed, labelled for screen readers, every value printed as text,
no NaN, no inline style, sane with zero and huge values."""

from __future__ import annotations

import math

import pytest
from lxml import etree

from courses.dashboards import charts

SVG = "{http://www.w3.org/2000/svg}"


def number(value: float) -> str:
    return f"{value:,.1f}"


def parse(chart: charts.Chart):
    return etree.fromstring(str(chart.svg).encode())


def texts(root) -> list[str]:
    return [t.text for t in root.iter(f"{SVG}text")]


def build(kind: str, data, **kw):
    make = charts.bar_chart if kind == "bar" else charts.column_chart
    return make(
        "Test chart",
        "Hours <per> month & more",
        "What it shows",
        data,
        format_value=number,
        label_heading="Month",
        value_heading="Hours",
        **kw,
    )


@pytest.mark.parametrize("kind", ["bar", "column"])
def test_a_chart_is_an_accessible_svg_image_with_its_values_as_text(kind):
    chart = build(kind, [("Tháng 1", 3), ("Tháng 2", 0), ("Tháng <3>", 12.5)])
    root = parse(chart)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "test-chart-title test-chart-desc"
    assert root.find(f"{SVG}title").text == "Hours <per> month & more"
    assert root.find(f"{SVG}title").get("id") == "test-chart-title"
    assert root.find(f"{SVG}desc").text == "What it shows"
    shown = texts(root)
    for label, value in (("Tháng 1", "3.0"), ("Tháng 2", "0.0"), ("Tháng <3>", "12.5")):
        assert label in shown and value in shown
    assert chart.rows == [("Tháng 1", "3.0"), ("Tháng 2", "0.0"), ("Tháng <3>", "12.5")]
    assert "style" not in str(chart.svg)
    assert "nan" not in str(chart.svg).lower()
    bars = [float(r.get("width" if kind == "bar" else "height")) for r in root.iter(f"{SVG}rect")]
    assert len(bars) == 2  # the zero value draws no bar, but its value is printed
    assert bars[1] == pytest.approx(bars[0] * 12.5 / 3, rel=0.02)


@pytest.mark.parametrize("kind", ["bar", "column"])
def test_zero_and_empty_data_draw_without_dividing_by_zero(kind):
    root = parse(build(kind, [("a", 0), ("b", 0)]))
    assert list(root.iter(f"{SVG}rect")) == []
    assert texts(root).count("0.0") == 2
    empty = build(kind, [])
    assert empty.is_empty and parse(empty).find(f"{SVG}title") is not None


@pytest.mark.parametrize("kind", ["bar", "column"])
def test_nan_negative_and_none_are_drawn_as_zero(kind):
    chart = build(kind, [("a", math.nan), ("b", -5), ("c", None), ("d", math.inf), ("e", 2)])
    svg = str(chart.svg).lower()
    assert "nan" not in svg and "inf" not in svg
    assert [value for _, value in chart.rows] == ["0.0", "0.0", "0.0", "0.0", "2.0"]


@pytest.mark.parametrize("kind", ["bar", "column"])
def test_huge_values_stay_inside_the_drawing(kind):
    root = parse(build(kind, [("a", 1), ("b", 9.9e12)]))
    view_width = float(root.get("viewBox").split()[2])
    for rect in root.iter(f"{SVG}rect"):
        right = float(rect.get("x")) + float(rect.get("width"))
        assert 0 <= right <= view_width
        assert float(rect.get("y")) >= 0
    assert "9,900,000,000,000.0" in texts(root)


def test_a_fixed_maximum_sets_the_scale_of_rates():
    root = parse(build("bar", [("a", 0.5), ("b", 1.0)], maximum=1.0))
    widths = [float(r.get("width")) for r in root.iter(f"{SVG}rect")]
    assert widths[1] == pytest.approx(2 * widths[0], rel=0.01)


@pytest.mark.parametrize(
    ("value", "ceiling"), [(0, 1), (0.3, 0.5), (1, 1), (7, 10), (12, 20), (2400, 2500)]
)
def test_the_scale_ends_on_a_round_number(value, ceiling):
    assert charts.nice_ceiling(value) == pytest.approx(ceiling)


def test_long_labels_are_shortened_in_the_drawing_but_whole_in_the_table():
    label = "Kỹ năng số cơ bản cho người cao tuổi ở vùng nông thôn miền núi phía Bắc"
    chart = build("bar", [(label, 1)])
    assert chart.rows[0][0] == label
    drawn = texts(parse(chart))[0]
    assert drawn.endswith("…") and len(drawn) == charts.LABEL_LIMIT
