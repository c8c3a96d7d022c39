"""Scoring an assessment against its criteria set: totals, threshold rules and grade bands.
Pure functions over a ``Definition`` and points by indicator code, in ``Decimal`` (79.99 is
not 80, 4.9 is below 5)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from portal.recognition.criteria import Definition

NOT_ACHIEVED = "not_achieved"


@dataclass(frozen=True)
class Result:
    """What a set of points comes to."""

    total: Decimal
    by_criterion: Mapping[str, Decimal]
    missing: tuple[str, ...]  # indicators without points yet
    below: tuple[str, ...]  # indicators under their minimum
    total_short: bool  # the total is under pass.min_total
    grade: str | None  # the band reached, NOT_ACHIEVED under every band, None: no bands
    passed: bool  # every rule met (and a band reached, where the set has bands)

    @property
    def complete(self) -> bool:
        return not self.missing


def score(definition: Definition, points: Mapping[str, Decimal | None]) -> Result:
    """The result of ``points`` (indicator code → points, None or absent: not answered)."""
    by_criterion: dict[str, Decimal] = {}
    missing: list[str] = []
    below: list[str] = []
    for criterion in definition.criteria:
        subtotal = Decimal(0)
        for indicator in criterion.indicators:
            value = points.get(indicator.code)
            if value is None:
                missing.append(indicator.code)
                continue
            subtotal += value
            minimum = definition.minimum(indicator)
            if minimum is not None and value < minimum:
                below.append(indicator.code)
        by_criterion[criterion.code] = subtotal
    total = sum(by_criterion.values(), Decimal(0))
    total_short = definition.min_total is not None and total < definition.min_total
    grade: str | None = None
    if definition.grades:
        grade = next((g.code for g in definition.grades if total >= g.min), NOT_ACHIEVED)
    passed = not missing and not below and not total_short and grade != NOT_ACHIEVED
    return Result(
        total=total,
        by_criterion=by_criterion,
        missing=tuple(missing),
        below=tuple(below),
        total_short=total_short,
        grade=grade,
        passed=passed,
    )
