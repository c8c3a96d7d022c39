"""The programme's targets (Decision 387/QĐ-TTg, 25 March 2022) as data: the share of each
model's subjects in a commune recognised by 2025, and of workers and unit staff recognised
as Learning Citizens. The decision's 2030 figures are not held here yet: ``TARGETS[2030]``
repeats the 2025 ones and ``OFFICIAL[2030]`` is False, so pages mark them as provisional."""

from __future__ import annotations

from decimal import Decimal

__all__ = ["CITIZEN_GROUPS", "OFFICIAL", "TARGETS", "TARGET_YEARS", "target"]

TARGET_YEARS = (2025, 2030)

# measure → share: "family" of households, "clan" of clans, "community" of villages,
# "unit" of organisations; "workers" and "unit_staff" are Learning Citizens among workers
# and among the staff of units.
_2025 = {
    "family": Decimal("0.70"),
    "clan": Decimal("0.65"),
    "community": Decimal("0.65"),
    "unit": Decimal("0.80"),
    "workers": Decimal("0.40"),
    "unit_staff": Decimal("0.60"),
}
TARGETS: dict[int, dict[str, Decimal]] = {2025: _2025, 2030: dict(_2025)}
OFFICIAL: dict[int, bool] = {2025: True, 2030: False}

# The occupation groups (portal.accounts.reference.OCCUPATION_GROUPS) whose Learning
# Citizens count towards each citizen target.
CITIZEN_GROUPS: dict[str, tuple[str, ...]] = {
    "workers": ("enterprise_workers", "rural_workers"),
    "unit_staff": ("officials",),
}


def target(year: int, measure: str) -> Decimal | None:
    """The share ``measure`` should reach by ``year`` (2025 or 2030), if there is one."""
    return TARGETS.get(year, {}).get(measure)
