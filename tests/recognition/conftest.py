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


# Pages and the round (appended for the recognition pages) -------------------------------------


SMALL_SET: dict[str, Any] = {
    "code": "test-small",
    "version": 1,
    "model": "citizen",
    "title": {"vi": "Bộ tiêu chí thử", "en": "Test criteria"},
    "issuing_body": {"vi": "Hội Khuyến học"},
    "legal_reference": "Văn bản thử số 1",
    "period": {"from_year": 2021, "to_year": 2030},
    "effective": {"from": "2021-01-01"},
    "pass": {"min_total": 80, "min_each": 5},
    "evidence_types": [{"code": "photo", "label": {"vi": "Ảnh"}},
                       {"code": "note", "label": {"vi": "Ghi chú"}}],
    "criteria": [
        {"code": "a", "title": {"vi": "Tự học", "en": "Self-learning"}, "indicators": [
            {"code": "a1", "title": {"vi": "Có kế hoạch học tập", "en": "Has a learning plan"},
             "help": {"vi": "Kế hoạch viết ra giấy", "en": "A written plan"},
             "max_points": 10, "answer": "scale", "evidence_types": ["photo"]},
            {"code": "a2", "title": {"vi": "Đọc sách", "en": "Reads books"}, "max_points": 10,
             "answer": "choice", "options": [
                 {"points": 0, "label": {"vi": "Không", "en": "Never"}},
                 {"points": 5, "label": {"vi": "Thỉnh thoảng", "en": "Sometimes"}},
                 {"points": 10, "label": {"vi": "Hằng tuần", "en": "Every week"}}]},
        ]},
        {"code": "b", "title": {"vi": "Vận dụng", "en": "Applying"}, "indicators": [
            {"code": "b1", "title": {"vi": "Áp dụng vào công việc", "en": "Applies it at work"},
             "max_points": 80, "answer": "scale", "step": 5},
        ]},
    ],
}  # fmt: skip


@pytest.fixture
def small_set(db: Any) -> Any:
    """A citizen set without automatic indicators, so totals are the answers: a1 (scale
    0–10 by 1) and a2 (choice: 0, 5 or 10 points) under criterion "a", b1 (scale 0–80 by 5)
    under "b"; the title needs 80 points and no indicator below 5. Open to every
    occupation group."""
    from portal.recognition.criteria import validate

    row, _outcome = sets.load(validate(SMALL_SET))
    return row


@pytest.fixture
def open_round(db: Any) -> int:
    """This year's round with registration and submission open for every title (their
    deadlines a month away); returns the year."""
    from datetime import timedelta

    from portal.places.queries import today
    from portal.recognition.calendar import STEPS
    from portal.recognition.models import Model, RecognitionDeadline

    day = today()
    for model in Model:
        for step in STEPS:
            db.session.add(RecognitionDeadline(year=day.year, model=model.value, step=step,
                                               due_on=day + timedelta(days=30)))  # fmt: skip
    db.session.flush()
    return day.year


class _People(dict):  # type: ignore[type-arg]
    """Users made on first use (hashing passwords is what makes tests slow)."""

    def __init__(self, make: Callable[[str], Any]) -> None:
        super().__init__()
        self._make = make

    def __missing__(self, key: str) -> Any:
        self[key] = user = self._make(key)
        return user


@pytest.fixture
def people(make_user: Callable[..., Any], places: dict[str, Any]) -> dict[str, Any]:
    """Users by what they are, made when first asked for: "learner" (of the first commune,
    workers' occupation group), "reviewer" and "approver" of the first commune,
    "other_reviewer" and "other_approver" of the second, "stranger" (no commune) and
    "admin"; all read the pages in English."""
    commune, other = places["commune"].code, places["other_commune"].code
    kinds: dict[str, dict[str, Any]] = {
        "learner": {"full_name": "Ka Nhi", "home_commune_id": places["commune"].id,
                    "occupation_group": "enterprise_workers", "gender": "female",
                    "birth_year": 1990},
        "reviewer": {"full_name": "Cán bộ Hội xã A", "roles": ("reviewer",),
                     "scopes": {"reviewer": ("commune", commune)}},
        "other_reviewer": {"full_name": "Cán bộ Hội xã B", "roles": ("reviewer",),
                           "scopes": {"reviewer": ("commune", other)}},
        "approver": {"full_name": "Chủ tịch UBND xã A", "roles": ("approver",),
                     "scopes": {"approver": ("commune", commune)}},
        "other_approver": {"full_name": "Chủ tịch UBND xã B", "roles": ("approver",),
                           "scopes": {"approver": ("commune", other)}},
        "stranger": {"full_name": "Người lạ"},
        "admin": {"full_name": "Quản trị", "roles": ("admin",)},
    }  # fmt: skip
    return _People(lambda key: make_user(language="en", **kinds[key]))
