"""Accessible SVG charts rendered on the server: no JavaScript, no inline styles (the CSP
forbids them), every value printed as text beside its bar, a ``<title>`` and ``<desc>`` for
screen readers, and the same figures as a data table (the template puts it in a
``<details>`` under the chart).

Values are counts, hours or rates: negative and non-finite values are drawn as zero (a
chart never prints "nan"), all-zero data draws empty bars on a 0–1 scale, and huge values
scale like any other.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

WIDTH = 600
LABEL_LIMIT = 48  # characters of a label drawn in the SVG (the table has it whole)
BAR_FILL = "#0b5d3b"
AXIS = "#4a4a4a"
TEXT = "#1b1b1b"


@dataclass(frozen=True)
class Chart:
    """A chart and its data: ``svg`` for the eyes, ``rows`` (label, value text) for the
    table alternative."""

    id: str
    title: str
    description: str
    label_heading: str
    value_heading: str
    rows: list[tuple[str, str]]
    svg: Markup

    @property
    def is_empty(self) -> bool:
        return not self.rows


def clean(value: float | int | None) -> float:
    """A value fit to draw: None, NaN, infinities and negatives become 0."""
    if value is None:
        return 0.0
    number = float(value)
    if not math.isfinite(number) or number < 0:
        return 0.0
    return number


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 × 10ⁿ at least ``value`` (1 for zero): the scale's end."""
    if value <= 0:
        return 1.0
    exponent = math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        candidate = step * 10.0**exponent
        if candidate >= value * (1 - 1e-12):
            return candidate
    return 10.0 ** (exponent + 1)  # pragma: no cover - the loop ends at 10


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9-]+", "-", text.lower()).strip("-") or "chart"


def _short(label: str) -> str:
    return label if len(label) <= LABEL_LIMIT else label[: LABEL_LIMIT - 1] + "…"


def _n(number: float) -> str:
    """A coordinate: one decimal, never "nan" or "-0.0"."""
    text = f"{number:.1f}"
    return "0.0" if text == "-0.0" else text


def element(name: str, text: str | None = None, **attributes: Any) -> Markup:
    """An SVG element with escaped attributes and text; ``class_`` gives ``class`` and
    underscores become hyphens (``font_size`` → ``font-size``)."""
    attrs = Markup("").join(
        Markup(' {}="{}"').format(key.rstrip("_").replace("_", "-"), value)
        for key, value in attributes.items()
    )
    if text is None:
        return Markup("<{}{}/>").format(name, attrs)
    return Markup("<{}{}>{}</{}>").format(name, attrs, text, name)


def _frame(
    chart_id: str, title: str, description: str, height: float, body: list[Markup]
) -> Markup:
    head = Markup(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {} {}" '
        'width="{}" height="{}" role="img" aria-labelledby="{}-title {}-desc">'
    ).format(WIDTH, _n(height), WIDTH, _n(height), chart_id, chart_id)
    title_element = element("title", title, id=f"{chart_id}-title")
    desc_element = element("desc", description, id=f"{chart_id}-desc")
    return head + title_element + desc_element + Markup("").join(body) + Markup("</svg>")


def bar_chart(
    chart_id: str,
    title: str,
    description: str,
    data: Sequence[tuple[str, float | int | None]],
    *,
    format_value: Callable[[float], str],
    label_heading: str,
    value_heading: str,
    maximum: float | None = None,
) -> Chart:
    """Horizontal bars, one per ``(label, value)``: the label above its bar, the value
    printed after it. ``maximum`` fixes the scale's end (e.g. 1 for rates)."""
    chart_id = _slug(chart_id)
    values = [clean(value) for _, value in data]
    top = maximum if maximum and maximum > 0 else nice_ceiling(max(values, default=0.0))
    top = max(top, max(values, default=0.0))
    bar_room = WIDTH - 140  # the rest holds the value text
    row_height, bar_height = 46, 18
    body: list[Markup] = []
    rows: list[tuple[str, str]] = []
    for index, ((label, _), value) in enumerate(zip(data, values, strict=True)):
        y = 8 + index * row_height
        width = bar_room * value / top
        text = format_value(value)
        rows.append((label, text))
        body.append(element("text", _short(label), x=0, y=_n(y + 12), font_size=14, fill=TEXT))
        if width > 0:
            body.append(
                element(
                    "rect",
                    class_="chart-bar",
                    x=0,
                    y=_n(y + 18),
                    width=_n(width),
                    height=bar_height,
                    fill=BAR_FILL,
                )
            )
        # A baseline tick, so a zero bar is still visibly there.
        body.append(
            element("line", x1=0, y1=_n(y + 16), x2=0, y2=_n(y + 38), stroke=AXIS, stroke_width=2)
        )
        body.append(
            element(
                "text",
                text,
                class_="chart-value",
                x=_n(width + 6),
                y=_n(y + 32),
                font_size=14,
                fill=TEXT,
            )
        )
    height = 16 + max(len(data), 1) * row_height
    svg = _frame(chart_id, title, description, height, body)
    return Chart(chart_id, title, description, label_heading, value_heading, rows, svg)


def column_chart(
    chart_id: str,
    title: str,
    description: str,
    data: Sequence[tuple[str, float | int | None]],
    *,
    format_value: Callable[[float], str],
    label_heading: str,
    value_heading: str,
    table_labels: Sequence[str] | None = None,
) -> Chart:
    """Vertical columns over time (e.g. one per month): the label under each column, the
    value printed above it, a baseline along the bottom. ``table_labels`` name the rows of
    the data table when the short labels under the columns say too little (e.g. no year)."""
    chart_id = _slug(chart_id)
    values = [clean(value) for _, value in data]
    top = max(nice_ceiling(max(values, default=0.0)), max(values, default=0.0))
    count = max(len(data), 1)
    slot = WIDTH / count
    column_width = slot * 0.6
    plot_top, plot_height = 24, 160
    baseline = plot_top + plot_height
    body = [element("line", x1=0, y1=baseline, x2=WIDTH, y2=baseline, stroke=AXIS, stroke_width=1)]
    rows: list[tuple[str, str]] = []
    font = 12 if count > 8 else 14
    for index, ((label, _), value) in enumerate(zip(data, values, strict=True)):
        centre = slot * index + slot / 2
        height = plot_height * value / top
        text = format_value(value)
        rows.append((table_labels[index] if table_labels else label, text))
        if height > 0:
            body.append(
                element(
                    "rect",
                    class_="chart-bar",
                    x=_n(centre - column_width / 2),
                    y=_n(baseline - height),
                    width=_n(column_width),
                    height=_n(height),
                    fill=BAR_FILL,
                )
            )
        body.append(
            element(
                "text",
                text,
                class_="chart-value",
                x=_n(centre),
                y=_n(baseline - height - 5),
                font_size=font,
                text_anchor="middle",
                fill=TEXT,
            )
        )
        body.append(
            element(
                "text",
                _short(label),
                x=_n(centre),
                y=_n(baseline + 18),
                font_size=font,
                text_anchor="middle",
                fill=TEXT,
            )
        )
    svg = _frame(chart_id, title, description, baseline + 28, body)
    return Chart(chart_id, title, description, label_heading, value_heading, rows, svg)
