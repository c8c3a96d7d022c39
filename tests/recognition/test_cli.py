"""``flask criteria check|load|list|export``. The commands run in the test's app context, so
their commits go to savepoints of the ``db`` fixture's transaction and are rolled back after
each test, like the rest of the test's rows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import func, select

from portal.recognition.criteria import DATA, read_file
from portal.recognition.models import Assessment, CriteriaSet

SHIPPED = sorted(DATA.glob("*.yaml"))


@pytest.fixture
def flask_criteria(app, db):
    runner = app.test_cli_runner()

    def run(*args: Any) -> Any:
        return runner.invoke(args=["criteria", *map(str, args)])

    return run


def _write(path: Path, **changes: Any) -> Path:
    """A copy of the shipped citizen-workers set with ``changes`` at the top level."""
    document = yaml.safe_load((DATA / "citizen-workers.yaml").read_text(encoding="utf-8"))
    document.update(changes)
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return path


def _count(db) -> int:
    return db.session.scalar(select(func.count()).select_from(CriteriaSet))


def test_check_without_paths_validates_every_shipped_file(flask_criteria):
    result = flask_criteria("check")
    assert result.exit_code == 0, result.output
    assert len(result.output.splitlines()) == len(SHIPPED)
    assert "citizen-workers v1 (citizen), 10 indicators, 100.00 points" in result.output


def test_check_of_a_bad_file_lists_every_problem_and_exits_1(flask_criteria, tmp_path):
    bad = _write(tmp_path / "bad.yaml", model="town", version=0, colour="blue")
    good = _write(tmp_path / "good.yaml", code="good-set")
    result = flask_criteria("check", bad, good)
    assert result.exit_code == 1
    assert f"{bad}: 3 problem(s)" in result.stderr
    assert "  model: must be one of" in result.stderr
    assert "  version: must be a whole number from 1" in result.stderr
    assert "  colour: unknown key" in result.stderr
    assert f"{good}: good-set v1" in result.stdout  # the other files are still checked


def test_check_of_a_file_that_is_not_yaml_exits_1(flask_criteria, tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("code: [\n", encoding="utf-8")
    result = flask_criteria("check", path)
    assert result.exit_code == 1
    assert "is not valid YAML" in result.stderr
    assert "Traceback" not in result.output


def test_check_of_a_missing_path_is_a_usage_error(flask_criteria, tmp_path):
    assert flask_criteria("check", tmp_path / "nowhere.yaml").exit_code == 2


def test_load_loads_a_folder_then_says_unchanged(flask_criteria, db, tmp_path):
    _write(tmp_path / "a.yaml", code="first-set", sample=False)
    _write(tmp_path / "b.yaml", code="second-set")
    (tmp_path / "notes.txt").write_text("not a criteria file", encoding="utf-8")
    result = flask_criteria("load", tmp_path)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["first-set v1: added", "second-set v1: added (sample)"]
    assert _count(db) == 2
    again = flask_criteria("load", tmp_path)
    assert again.exit_code == 0, again.output
    assert again.stdout.splitlines() == [
        "first-set v1: unchanged",
        "second-set v1: unchanged (sample)",
    ]
    assert _count(db) == 2


def test_load_without_paths_loads_the_shipped_sets(flask_criteria, db):
    result = flask_criteria("load")
    assert result.exit_code == 0, result.output
    assert result.output.count(": added (sample)") == len(SHIPPED)
    assert _count(db) == len(SHIPPED)


def test_load_loads_nothing_when_one_file_of_several_is_bad(flask_criteria, db, tmp_path):
    good = _write(tmp_path / "good.yaml", code="good-set")
    bad = _write(tmp_path / "bad.yaml", code="bad-set", effective={"from": "someday"})
    result = flask_criteria("load", good, bad)
    assert result.exit_code == 1
    assert f"{bad}:" in result.stderr and "effective.from: must be a date" in result.stderr
    assert "1 file(s) with problems; nothing loaded" in result.stderr
    assert _count(db) == 0


def test_load_refuses_to_change_a_version_in_use_and_keeps_every_file_out(
    flask_criteria, db, make_user, tmp_path
):
    path = _write(tmp_path / "set.yaml", code="used-set")
    assert flask_criteria("load", path).exit_code == 0
    row = db.session.scalar(select(CriteriaSet).where(CriteriaSet.code == "used-set"))
    user = make_user()
    db.session.add(
        Assessment(
            year=2025,
            model="citizen",
            criteria_set_id=row.id,
            status="draft",
            subject_key=f"user:{user.id}",
            subject_name=user.full_name,
            commune_code="24820",
            province_code="68",
            user_id=user.id,
        )
    )
    db.session.flush()
    other = _write(tmp_path / "a-other.yaml", code="a-other-set")
    _write(path, code="used-set", title={"vi": "Văn bản khác"})
    result = flask_criteria("load", other, path)
    assert result.exit_code == 1
    assert "give the new text version 2" in result.stderr
    assert db.session.scalar(select(CriteriaSet).where(CriteriaSet.code == "a-other-set")) is None


def test_list_shows_each_set_with_its_dates_and_use(flask_criteria, db, tmp_path):
    _write(
        tmp_path / "a.yaml",
        code="official-set",
        sample=False,
        effective={"from": "2024-01-01", "to": "2026-01-01"},
    )
    _write(tmp_path / "b.yaml", code="sample-set")
    assert flask_criteria("load", tmp_path).exit_code == 0
    result = flask_criteria("list")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) == 2
    assert lines[0].split() == [
        "citizen",
        "official-set",
        "v1",
        "2024-01-01–2026-01-01",
        "official,",
        "unused",
    ]
    assert lines[1].split() == ["citizen", "sample-set", "v1", "2022-03-25–…", "sample,", "unused"]


def test_list_of_an_empty_database_prints_nothing(flask_criteria):
    result = flask_criteria("list")
    assert (result.exit_code, result.output) == (0, "")


def test_export_writes_the_stored_set_as_yaml_to_stdout(flask_criteria, criteria):
    result = flask_criteria("export", "unit")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("code: unit\nversion: 1\nmodel: unit\n")
    assert yaml.safe_load(result.output) == criteria["unit"].definition


def test_export_to_a_file_loads_back_unchanged(flask_criteria, criteria, tmp_path):
    target = tmp_path / "exported.yaml"
    result = flask_criteria("export", "citizen-rural", "--version", 1, "-o", target)
    assert result.exit_code == 0, result.output
    assert f"citizen-rural v1 written to {target}" in result.output
    assert read_file(target) == read_file(DATA / "citizen-rural.yaml")
    again = flask_criteria("load", target)
    assert again.exit_code == 0, again.output
    assert again.output == "citizen-rural v1: unchanged (sample)\n"


def test_export_picks_the_latest_version_unless_told(flask_criteria, db, tmp_path):
    _write(tmp_path / "v1.yaml", code="two-versions")
    _write(tmp_path / "v2.yaml", code="two-versions", version=2)
    assert flask_criteria("load", tmp_path).exit_code == 0
    assert "version: 2\n" in flask_criteria("export", "two-versions").output
    assert "version: 1\n" in flask_criteria("export", "two-versions", "--version", 1).output


def test_export_of_an_unknown_set_exits_1(flask_criteria, db):
    result = flask_criteria("export", "nothing", "--version", 3)
    assert result.exit_code == 1
    assert "no criteria set 'nothing' v3" in result.output
