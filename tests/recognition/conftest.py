"""Fixtures for recognition: the shipped criteria sets loaded, a commune with villages and
households, and a factory of assessments."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from portal.recognition import sets
from portal.recognition.criteria import DATA, read_file


@pytest.fixture
def criteria(db: Any) -> dict[str, Any]:
    """Every shipped criteria set, loaded: code → CriteriaSet row."""
    rows = {}
    for path in sorted(DATA.glob("*.yaml")):
        row, _outcome = sets.load(read_file(path))
        rows[row.code] = row
    return rows


@pytest.fixture
def places(db: Any, small_places: tuple[Any, Any]) -> dict[str, Any]:
    """The province and commune of ``small_places``, a second commune of the same province,
    two villages in the first commune and one in the second, and three households (two in
    village A, one in B) without members (``add_member`` adds them)."""
    from portal.places.models import AdminUnit, Household, Village
    from portal.text import fold

    province, commune = small_places
    other = AdminUnit(level="commune", code="24823", kind="commune", name="Xã Đam Rông 2",
                      search_name=fold("Xã Đam Rông 2"), parent_id=province.id,
                      valid_from=date(2025, 7, 1))  # fmt: skip
    db.session.add(other)
    db.session.flush()
    village_a = Village(commune_id=commune.id, name="Thôn Đạ Nhar", kind="thon")
    village_b = Village(commune_id=commune.id, name="Buôn Liêng Trang", kind="other")
    village_c = Village(commune_id=other.id, name="Thôn Một", kind="thon")
    db.session.add_all([village_a, village_b, village_c])
    db.session.flush()
    households = []
    for village, name in ((village_a, "Hộ ông K'Brơi"), (village_a, "Hộ bà Ka Hoa"),
                          (village_b, "Hộ ông Y Hin")):  # fmt: skip
        household = Household(village_id=village.id, name=name)
        db.session.add(household)
        db.session.flush()
        households.append(household)
    return {"province": province, "commune": commune, "other_commune": other,
            "village_a": village_a, "village_b": village_b, "village_c": village_c,
            "households": households}  # fmt: skip


@pytest.fixture
def add_member(db: Any) -> Callable[..., Any]:
    """``add_member(household, user=None, full_name=..., relation="other", **fields)``."""
    from portal.places.models import HouseholdMember

    def add(household: Any, user: Any = None, *, full_name: str | None = None,
            relation: str = "other", **fields: Any) -> Any:  # fmt: skip
        member = HouseholdMember(household_id=household.id, user_id=user.id if user else None,
                                 full_name=full_name or (user.full_name if user else "Người"),
                                 relation=relation, **fields)  # fmt: skip
        db.session.add(member)
        db.session.flush()
        return member

    return add
