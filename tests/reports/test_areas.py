"""Loading the communes' areas from a CSV file."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.recognition.models import CommuneArea
from portal.reports import areas


def _rows(db):
    return {r.code: (r.is_ethnic_minority_area, r.is_mountainous)
            for r in db.session.scalars(select(CommuneArea))}  # fmt: skip


def test_a_file_loads_then_reloads_unchanged_then_changes(db, small_places):
    text = "\ufeffcode,ethnic_minority_area,mountainous\n24820,yes,có\n"
    assert areas.load(text) == areas.Loaded(added=1)
    assert _rows(db) == {"24820": (True, True)}
    assert areas.load(text) == areas.Loaded(unchanged=1)
    assert areas.load("code,ethnic_minority_area,mountainous\n24820,no,1\n").changed == 1
    assert _rows(db) == {"24820": (False, True)}


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("code,mountainous\n24820,yes\n", "needs the columns"),
        ("", "needs the columns"),
        ("code,ethnic_minority_area,mountainous\n99999,yes,no\n", "line 2: '99999' is not"),
        ("code,ethnic_minority_area,mountainous\n24820,maybe,no\n", "line 2: ethnic_minority"),
        ("code,ethnic_minority_area,mountainous\n24820,yes,no\n24820,no,no\n", "line 3: commune"),
    ],
)
def test_a_wrong_file_loads_nothing_and_says_which_line(db, small_places, text, words):
    with pytest.raises(areas.AreasFileError) as caught:
        areas.load(text)
    assert any(words in problem for problem in caught.value.problems), caught.value.problems
    assert _rows(db) == {}


def test_the_command_loads_a_file_and_refuses_a_bad_one(app, db, small_places, tmp_path):
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_text("code,ethnic_minority_area,mountainous\n24820,yes,no\n", encoding="utf-8")
    bad.write_bytes("code,ethnic_minority_area,mountainous\n24820,có,không\n".encode("cp1258"))
    runner = app.test_cli_runner()
    result = runner.invoke(args=["reports", "areas", str(good)])
    assert result.exit_code == 0 and "1 added" in result.output
    result = runner.invoke(args=["reports", "areas", str(bad)])
    assert result.exit_code == 1 and "not UTF-8" in result.output
