"""``load_units`` and ``flask places load``: complete, idempotent, and able to take a later
version of the list."""

from __future__ import annotations

import shutil
from datetime import date

import pytest
from sqlalchemy import func, select

from portal.places import operations, queries
from portal.places.models import AdminUnit, AdminUnitSuccession
from tests.places.conftest import AFTER, BEFORE, read_csv, write_csv


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_loading_the_full_data_twice_creates_every_unit_once(db):
    first = operations.load_units()
    assert first.units["created"] == 14149 and first.successions["created"] == 10635
    assert queries.counts_in_force(AFTER) == {
        ("province", "province"): 28,
        ("province", "city"): 6,
        ("commune", "commune"): 2621,
        ("commune", "ward"): 687,
        ("commune", "special_zone"): 13,
    }
    before = queries.counts_in_force(BEFORE)
    assert sum(n for (level, _kind), n in before.items() if level == "district") == 696
    assert sum(n for (level, _kind), n in before.items() if level == "commune") == 10035

    again = operations.load_units()
    assert again.units == {"unchanged": 14149, "not in data": 0}
    assert again.successions == {"unchanged": 10635}
    assert count(db, AdminUnit) == 14149 and count(db, AdminUnitSuccession) == 10635


def test_reloading_after_a_name_is_corrected_updates_that_unit(db, slice_dir, tmp_path):
    operations.load_units(slice_dir)
    units = read_csv(slice_dir / "units.csv")
    for row in units:
        if row["code"] == "05665" and row["valid_from"]:
            row["name"] = "Xã Văn Lăng Mới"
    shutil.copy(slice_dir / "successions.csv", tmp_path / "successions.csv")
    write_csv(tmp_path / "units.csv", units)

    result = operations.load_units(tmp_path)

    assert result.units["updated"] == 1 and result.units["created"] == 0
    unit = queries.unit_by_code("commune", "05665", AFTER)
    assert unit.name == "Xã Văn Lăng Mới" and unit.search_name == "xa van lang moi"
    assert count(db, AdminUnit) == len(units)


def test_a_later_version_closes_the_old_row_and_records_the_succession(db, slice_dir, tmp_path):
    operations.load_units(slice_dir)
    units = read_csv(slice_dir / "units.csv")
    for row in units:
        if row["code"] == "05665" and row["valid_from"]:
            row["valid_to"] = "2026-01-01"
            later = {
                **row,
                "kind": "ward",
                "name": "Phường Văn Lăng",
                "valid_from": "2026-01-01",
                "valid_to": "",
            }
    units.append(later)
    successions = read_csv(slice_dir / "successions.csv")
    successions.append(
        {
            "effective_on": "2026-01-01",
            "old_level": "commune",
            "old_code": "05665",
            "new_level": "commune",
            "new_code": "05665",
            "is_partial": "0",
        }
    )
    write_csv(tmp_path / "units.csv", units)
    write_csv(tmp_path / "successions.csv", successions)

    result = operations.load_units(tmp_path)

    assert (result.units["created"], result.units["updated"]) == (1, 1)
    assert result.successions["created"] == 1
    in_2025 = queries.unit_by_code("commune", "05665", date(2025, 12, 31))
    in_2026 = queries.unit_by_code("commune", "05665", date(2026, 1, 1))
    assert in_2025.name == "Xã Văn Lăng" and in_2026.name == "Phường Văn Lăng"
    assert [s.new_unit for s in queries.successors(in_2025)] == [in_2026]
    old = queries.unit_by_code("commune", "05665", BEFORE)
    assert queries.units_now(old, date(2026, 3, 1)) == [in_2026]


def test_a_succession_to_a_unit_not_in_the_files_is_refused(db, slice_dir, tmp_path):
    shutil.copy(slice_dir / "units.csv", tmp_path / "units.csv")
    write_csv(
        tmp_path / "successions.csv",
        [
            {
                "effective_on": "2025-07-01",
                "old_level": "commune",
                "old_code": "05665",
                "new_level": "commune",
                "new_code": "99999",
                "is_partial": "0",
            }
        ],
    )
    with pytest.raises(operations.DataFileError, match="line 2"):
        operations.load_units(tmp_path)


def test_flask_places_load_prints_counts_and_is_idempotent(app, db, slice_dir):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["places", "load", "--data-dir", str(slice_dir)])
    assert first.exit_code == 0, first.output
    assert "units: " in first.output and "created" in first.output
    second = runner.invoke(args=["places", "load", "--data-dir", str(slice_dir)])
    assert second.exit_code == 0, second.output
    assert "created" not in second.output.split("in force on")[0]
    assert "unchanged" in second.output


def test_flask_places_show_tells_every_unit_that_carried_a_code(app, db, places):
    result = app.test_cli_runner().invoke(args=["places", "show", "02143"])
    assert result.exit_code == 0, result.output
    assert "Xã Lương Thượng" in result.output and "Xã Văn Lang" in result.output
    assert "into commune 02143 Xã Văn Lang" in result.output
    dated = app.test_cli_runner().invoke(args=["places", "show", "02143", "--on", "2025-06-30"])
    assert "Xã Văn Lang (" not in dated.output
