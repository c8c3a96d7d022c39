"""Fixtures of the places tests: a small but real slice of the data files (Bắc Kạn and Thái
Nguyên before 1 July 2025, Thái Nguyên since), loaded per test, and an administrator."""

from __future__ import annotations

import csv
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from portal.places import operations

BEFORE = date(2025, 6, 30)
AFTER = date(2025, 7, 1)
OLD_PROVINCES = {"06", "19"}  # Bắc Kạn, Thái Nguyên
NEW_PROVINCES = {"19"}  # Thái Nguyên, which took in Bắc Kạn


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def write_csv(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def slice_of_data(target: Path) -> Path:
    """Copy the units of OLD_PROVINCES (before) and NEW_PROVINCES (after), and the
    successions between them, from the real data files into ``target``."""
    units = read_csv(operations.DATA_DIR / "units.csv")
    old = [u for u in units if not u["valid_from"]]
    new = [u for u in units if u["valid_from"]]
    districts = {
        u["code"] for u in old if u["level"] == "district" and u["parent_code"] in OLD_PROVINCES
    }
    keep = [
        u
        for u in old
        if (u["level"] == "province" and u["code"] in OLD_PROVINCES)
        or (u["level"] == "district" and u["code"] in districts)
        or (u["level"] == "commune" and u["parent_code"] in districts)
    ]
    keep += [
        u
        for u in new
        if (u["level"] == "province" and u["code"] in NEW_PROVINCES)
        or (u["level"] == "commune" and u["parent_code"] in NEW_PROVINCES)
    ]
    codes = {(u["level"], u["code"], bool(u["valid_from"])) for u in keep}
    successions = [
        s
        for s in read_csv(operations.DATA_DIR / "successions.csv")
        if (s["old_level"], s["old_code"], False) in codes
        and (s["new_level"], s["new_code"], True) in codes
    ]
    target.mkdir(parents=True, exist_ok=True)
    write_csv(target / "units.csv", keep)
    write_csv(target / "successions.csv", successions)
    return target


@pytest.fixture(scope="session")
def slice_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return slice_of_data(tmp_path_factory.mktemp("places") / "data")


@pytest.fixture
def places(db: Any, slice_dir: Path) -> Callable[..., Any]:
    """The slice loaded; call it as ``places("commune", "05665", AFTER)`` to get a unit."""
    from portal.places import queries

    operations.load_units(slice_dir)

    def unit(level: str, code: str, day: date = AFTER) -> Any:
        found = queries.unit_by_code(level, code, day)
        assert found is not None, (level, code, day)
        return found

    return unit


@pytest.fixture
def admin(make_user: Callable[..., Any]) -> Any:
    """An administrator who reads the interface in English, so tests can quote it."""
    return make_user(full_name="Quản trị viên", roles=("admin",), language="en")
