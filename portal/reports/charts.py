"""Server-side SVG for the reports: a bar chart of rates with the target as a line, and a
tile grid of the 34 provinces (one square each, placed roughly as on the map, from
``data/tiles.csv``) coloured by rate. No script, no external service; each chart has a
``<title>``, a ``<desc>``, ``role="img"`` and text labels, and the page repeats its figures
in a table."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

from markupsafe import Markup, escape

__all__ = ["BINS", "Tile", "bar_chart", "colour", "tile_grid", "tiles"]

TILES_FILE = Path(__file__).parent / "data" / "tiles.csv"
# Rate bins (lower bound) → (fill, text colour); dark fills take white text (contrast ≥ 4.5).
BINS = (
    (Decimal("0.8"), "#08519c", "#ffffff"),
    (Decimal("0.6"), "#2171b5", "#ffffff"),
    (Decimal("0.4"), "#6baed6", "#000000"),
    (Decimal("0.2"), "#c6dbef", "#000000"),
    (Decimal("0"), "#eff3ff", "#000000"),
)
NO_DATA = ("#d9d9d9", "#000000")


@dataclass(frozen=True)
class Tile:
    code: str
    column: int
    row: int
    short: str


@cache
def tiles() -> tuple[Tile, ...]:
    """The tile layout: one per province in force since 1 July 2025."""
    with TILES_FILE.open(encoding="utf-8") as f:
        return tuple(
            Tile(r["code"], int(r["column"]), int(r["row"]), r["short"]) for r in csv.DictReader(f)
        )


def colour(rate: Decimal | None) -> tuple[str, str]:
    """(fill, text colour) for a rate."""
    if rate is None:
        return NO_DATA
    for bound, fill, text in BINS:
        if rate >= bound:
            return fill, text
    return BINS[-1][1], BINS[-1][2]


def _percent(rate: Decimal | None) -> str:
    return "–" if rate is None else f"{rate * 100:.0f}%"


def _open(
    ident: str, width: int, height: int, title: str, desc: str, role: str = "img"
) -> list[str]:
    """The opening of a chart: ``role`` "img", or "group" when it holds links (an image
    must not hold interactive parts)."""
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}"'
        f' width="100%" style="max-width:{width}px" role="{role}"'
        f' aria-labelledby="{ident}-title {ident}-desc" class="chart">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(desc)}</desc>',
    ]


def tile_grid(
    ident: str,
    title: str,
    desc: str,
    rates: dict[str, Decimal | None],
    names: dict[str, str],
    links: dict[str, str] | None = None,
    legend: tuple[str, str] = ("no data", "rate"),
) -> Markup:
    """The 34 provinces as squares coloured by ``rates`` (code → rate), each labelled with
    its short name and rate, named in full in its ``<title>``, and linked when ``links``
    has its code."""
    size, gap, top = 64, 4, 4
    layout = tiles()
    columns = max(t.column for t in layout) + 1
    rows = max(t.row for t in layout) + 1
    width = columns * (size + gap) + 150
    height = max(rows * (size + gap) + top, 6 * 22 + top)
    parts = _open(ident, width, height, title, desc, role="group")
    for tile in layout:
        rate = rates.get(tile.code)
        fill, text = colour(rate)
        x, y = tile.column * (size + gap), top + tile.row * (size + gap)
        label = f"{names.get(tile.code, tile.short)}: {_percent(rate)}"
        cell = (
            f"<g><title>{escape(label)}</title>"
            f'<rect x="{x}" y="{y}" width="{size}" height="{size}" rx="4" fill="{fill}"'
            f' stroke="#555" stroke-width="0.5"/>'
            f'<text x="{x + size / 2}" y="{y + 26}" font-size="9" text-anchor="middle"'
            f' fill="{text}">{escape(tile.short)}</text>'
            f'<text x="{x + size / 2}" y="{y + 44}" font-size="14" font-weight="bold"'
            f' text-anchor="middle" fill="{text}">{escape(_percent(rate))}</text></g>'
        )
        href = (links or {}).get(tile.code)
        parts.append(f'<a href="{escape(href)}">{cell}</a>' if href else cell)
    x0 = columns * (size + gap) + 12
    entries = [(fill, f"≥ {bound * 100:.0f}%") for bound, fill, _ in BINS]
    entries.append((NO_DATA[0], legend[0]))
    parts.append(f'<text x="{x0}" y="{top + 12}" font-size="12">{escape(legend[1])}</text>')
    for i, (fill, text) in enumerate(entries):
        y = top + 22 + i * 22
        parts.append(
            f'<rect x="{x0}" y="{y}" width="16" height="16" fill="{fill}" stroke="#555"'
            f' stroke-width="0.5"/><text x="{x0 + 22}" y="{y + 12}" font-size="12">'
            f"{escape(text)}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 (every text and attribute above is escaped)


def bar_chart(
    ident: str,
    title: str,
    desc: str,
    bars: list[tuple[str, Decimal | None]],
    goal: Decimal | None = None,
    goal_label: str = "",
) -> Markup:
    """Horizontal bars of rates (0–100 %), one per (label, rate), with a dashed line at
    ``goal``."""
    label_width, plot, row = 160, 300, 20
    height = max(len(bars), 1) * row + 30
    width = label_width + plot + 50
    parts = _open(ident, width, height, title, desc)
    for i, (label, rate) in enumerate(bars):
        y = 4 + i * row
        short = label if len(label) <= 24 else label[:23] + "…"
        length = 0 if rate is None else min(float(rate), 1.0) * plot
        parts.append(
            f'<text x="{label_width - 6}" y="{y + 13}" font-size="12" text-anchor="end">'
            f"{escape(short)}</text>"
            f'<rect x="{label_width}" y="{y + 2}" width="{length:.1f}" height="{row - 6}"'
            f' fill="#2171b5"/>'
            f'<text x="{label_width + length + 4:.1f}" y="{y + 13}" font-size="12">'
            f"{escape(_percent(rate))}</text>"
        )
    axis_y = 4 + len(bars) * row
    parts.append(
        f'<line x1="{label_width}" y1="{axis_y}" x2="{label_width + plot}" y2="{axis_y}"'
        f' stroke="#555"/>'
    )
    for tick in (0, 50, 100):
        x = label_width + plot * tick / 100
        parts.append(
            f'<text x="{x}" y="{axis_y + 14}" font-size="10" text-anchor="middle">{tick}%</text>'
        )
    if goal is not None:
        x = label_width + float(goal) * plot
        parts.append(
            f'<line x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{axis_y}" stroke="#b30000"'
            f' stroke-width="2" stroke-dasharray="4 3"/>'
            f'<text x="{x + 3:.1f}" y="{axis_y + 26}" font-size="11" fill="#b30000">'
            f"{escape(goal_label)}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 (every text and attribute above is escaped)
