"""Criteria files: validation that reports every problem with its path, reading files, the
canonical dump, and loading sets into the database (``portal.recognition.sets``)."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from portal.recognition import sets
from portal.recognition.criteria import (
    DATA,
    INDICATOR_KEYS,
    KEYS,
    SOURCES,
    CriteriaError,
    digest,
    dump,
    read_file,
    validate,
)
from portal.recognition.models import Assessment, CriteriaSet

SHIPPED = sorted(DATA.glob("*.yaml"))
DOC = Path(__file__).parents[2] / "docs" / "criteria.md"


def _document(**changes: Any) -> dict[str, Any]:
    """A small valid citizen set: one criterion, two indicators of 10 points."""
    document: dict[str, Any] = {
        "code": "test-set",
        "version": 1,
        "model": "citizen",
        "sample": False,
        "title": {"vi": "Bộ thử", "en": "Test set"},
        "issuing_body": {"vi": "Cơ quan"},
        "legal_reference": "Văn bản số 1",
        "period": {"from_year": 2021, "to_year": 2030},
        "effective": {"from": "2021-01-01", "to": None},
        "pass": {"min_total": 15, "min_each": 5},
        "evidence_types": [{"code": "photo", "label": {"vi": "Ảnh"}}],
        "criteria": [
            {
                "code": "1",
                "title": {"vi": "Tiêu chí 1"},
                "indicators": [
                    {
                        "code": "1.1",
                        "title": {"vi": "Chỉ số 1.1"},
                        "max_points": 10,
                        "evidence_types": ["photo"],
                    },
                    {
                        "code": "1.2",
                        "title": {"vi": "Chỉ số 1.2"},
                        "max_points": 10,
                        "answer": "auto",
                        "auto": {"source": "learning_hours", "bands": [[0, 0], [10, 10]]},
                    },
                ],
            }
        ],
    }
    document.update(changes)
    return document


def _problems(document: Any) -> list[str]:
    with pytest.raises(CriteriaError) as caught:
        validate(document)
    return caught.value.problems


def _has(problems: list[str], path: str, words: str = "") -> bool:
    return any(p.startswith(f"{path}: ") and words in p for p in problems)


# Validation -----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", SHIPPED, ids=lambda path: path.stem)
def test_every_shipped_file_is_valid(path):
    definition = read_file(path)
    assert definition.code == path.stem
    assert definition.sample is True
    assert definition.indicators


def test_the_shipped_files_cover_every_model():
    assert {read_file(path).model for path in SHIPPED} == {
        "citizen",
        "family",
        "clan",
        "community",
        "unit",
    }


def test_the_small_document_is_valid():
    definition = validate(_document())
    assert definition.max_total == 20
    assert definition.indicator("1.2").source == "learning_hours"
    assert definition.title == {"vi": "Bộ thử", "en": "Test set"}


def test_a_broken_document_reports_every_problem_at_once_with_its_path():
    document = _document(
        colour="blue",
        period={"from_year": 2030, "to_year": 2021},
        effective={"from": "2021-13-01", "to": None},
        grades=[
            {"code": "fair", "min": 10, "label": {"vi": "Khá"}},
            {"code": "good", "min": 15, "label": {"vi": "Tốt"}},
            {"code": "best", "min": 500, "label": {"vi": "Nhất"}},
        ],
        **{"pass": {"min_total": 999, "min_each": 12, "max": 3}},
    )
    one, two = document["criteria"][0]["indicators"]
    one.update(
        title={"en": "No Vietnamese"},
        max_points=-1,
        weight=2,
        options=[{"points": 1, "label": {"vi": "x"}}],
        evidence_types=["video"],
    )
    two.update(code="1.1", auto={"source": "staff_citizens_share", "bands": [[10, 5], [5, 20]]})
    document["criteria"].append(
        {
            "code": "2",
            "title": {"vi": "Tiêu chí 2"},
            "indicators": [
                {"code": "2.1", "title": {"vi": "2.1"}, "max_points": 10, "step": 3},
                {"code": "2.2", "title": {"vi": "2.2"}, "max_points": "1.234"},
                {
                    "code": "2.3",
                    "title": {"vi": "2.3"},
                    "max_points": 10,
                    "answer": "auto",
                    "auto": {"source": "stars", "bands": [[0, 0]]},
                },
            ],
        }
    )
    problems = _problems(document)
    expected = [
        ("colour", "unknown key"),
        ("period.to_year", "before"),
        ("effective.from", "YYYY-MM-DD"),
        ("criteria[0].indicators[0].title", "Vietnamese"),
        ("criteria[0].indicators[0].max_points", "two decimals"),
        ("criteria[0].indicators[0].weight", "unknown key"),
        ("criteria[0].indicators[0].options", "only a choice"),
        ("criteria[0].indicators[0].evidence_types", "'video'"),
        ("criteria[0].indicators[1].code", "'1.1' is used twice"),
        ("criteria[0].indicators[1].auto.source", "does not apply to the citizen model"),
        ("criteria[0].indicators[1].auto.bands[1]", "bands go up"),
        ("criteria[0].indicators[1].auto.bands[1]", "more than max_points"),
        ("criteria[1].indicators[0].step", "whole steps"),
        ("criteria[1].indicators[1].max_points", "two decimals"),
        ("criteria[1].indicators[2].auto.source", "must be one of"),
        ("pass.max", "unknown rule"),
        ("pass.min_total", "more than"),
        ("pass.min_each", "indicator 1.1"),
        ("grades[1].min", "from the highest band down"),
        ("grades[2].min", "more than"),
    ]
    missing = [(path, words) for path, words in expected if not _has(problems, path, words)]
    assert missing == [], "\n".join(problems)


@pytest.mark.parametrize(
    ("change", "path", "words"),
    [
        ({"effective": {"from": "2024-01-01", "to": "2023-12-31"}}, "effective.to", "after"),
        ({"effective": {"from": "2024-01-01", "to": "2024-01-01"}}, "effective.to", "after"),
        ({"effective": {"from": "1/1/2024"}}, "effective.from", "YYYY-MM-DD"),
        ({"effective": {"from": "2024-01-01", "to": "soon"}}, "effective.to", "YYYY-MM-DD"),
        ({"period": {"from_year": 2021, "to_year": 2020}}, "period.to_year", "before"),
        ({"period": {"from_year": 1999, "to_year": 2030}}, "period.from_year", "2000"),
        ({"code": "Citizen Set"}, "code", "lower-case"),
        ({"version": 0}, "version", "from 1"),
        ({"version": True}, "version", "from 1"),
        ({"model": "village"}, "model", "one of"),
        ({"sample": "yes please"}, "sample", "true or false"),
        ({"legal_reference": " "}, "legal_reference", "name the text"),
        ({"criteria": []}, "criteria", "non-empty list"),
        ({"title": {"vi": "Bộ", "en": ""}}, "title.en", "non-empty"),
        (
            {
                "evidence_types": [
                    {"code": "photo", "label": {"vi": "Ảnh"}},
                    {"code": "photo", "label": {"vi": "Ảnh 2"}},
                ]
            },
            "evidence_types[1].code",
            "twice",
        ),
    ],
)
def test_each_document_problem_names_its_key(change, path, words):
    problems = _problems(_document(**change))
    assert _has(problems, path, words), problems


def _indicator_problems(**fields: Any) -> list[str]:
    document = _document()
    document["criteria"][0]["indicators"][0].update(fields)
    return _problems(document)


@pytest.mark.parametrize(
    ("fields", "path", "words"),
    [
        ({"max_points": -5}, "max_points", "two decimals"),
        ({"max_points": 0}, "max_points", "two decimals"),
        ({"max_points": 10.125}, "max_points", "two decimals"),
        ({"min_points": 11}, "min_points", "more than max_points"),
        ({"step": 4}, "step", "whole steps"),
        ({"step": 0}, "step", "from 0.01"),
        ({"answer": "essay"}, "answer", "one of"),
        ({"answer": "choice"}, "options", "non-empty list"),
        (
            {"answer": "choice", "options": [{"points": 11, "label": {"vi": "x"}}]},
            "options[0].points",
            "more than max_points",
        ),
        ({"answer": "auto"}, "auto", "needs auto.source"),
        (
            {"auto": {"source": "learning_hours", "bands": [[0, 0], [0, 5]]}},
            "auto.bands[1]",
            "bands go up",
        ),
        (
            {"auto": {"source": "learning_hours", "bands": [[0, 0, 1]]}},
            "auto.bands[0]",
            "[value at least, points]",
        ),
        (
            {"auto": {"source": "learning_hours", "bands": [[0, 11]]}},
            "auto.bands[0]",
            "more than max_points",
        ),
        (
            {"auto": {"source": "households_families_share", "bands": [[0, 1]]}},
            "auto.source",
            "does not apply to the citizen model",
        ),
        ({"title": None}, "title", "Vietnamese"),
    ],
)
def test_each_indicator_problem_names_its_key(fields, path, words):
    problems = _indicator_problems(**fields)
    assert _has(problems, f"criteria[0].indicators[0].{path}", words), problems


def test_a_criterion_code_used_twice_is_reported():
    document = _document()
    document["criteria"].append(
        dict(
            document["criteria"][0],
            indicators=[{"code": "9.1", "title": {"vi": "9.1"}, "max_points": 10}],
        )
    )
    assert _has(_problems(document), "criteria[1].code", "'1' is used twice")


def test_min_each_above_an_indicator_max_is_reported_unless_it_has_its_own_minimum():
    document = _document(**{"pass": {"min_each": 6}})
    document["criteria"][0]["indicators"][0]["max_points"] = 5
    assert _has(_problems(document), "pass.min_each", "indicator 1.1's 5.00 points")
    document["criteria"][0]["indicators"][0]["min_points"] = 2
    assert validate(document).minimum(validate(document).indicator("1.1")) == 2


def test_every_automatic_source_names_the_models_it_applies_to():
    assert set(SOURCES) >= {"learning_hours", "staff_citizens_share"}
    for models in SOURCES.values():
        assert models and set(models) <= {"citizen", "family", "clan", "community", "unit"}


@pytest.mark.parametrize("source", [["learning_hours"], {"a": 1}])
def test_an_unhashable_auto_source_is_a_problem_not_an_error(source):
    # ``source not in SOURCES`` raises TypeError for a list or a mapping.
    problems = _indicator_problems(auto={"source": source, "bands": [[0, 0]]})
    assert _has(problems, "criteria[0].indicators[0].auto.source", "one of"), problems


def test_an_unhashable_evidence_type_is_a_problem_not_an_error():
    # ``name not in evidence`` raises TypeError for a list in evidence_types.
    problems = _indicator_problems(evidence_types=[["photo"]])
    assert _has(problems, "criteria[0].indicators[0].evidence_types"), problems


@pytest.mark.parametrize("value", [1e100, "1e100"])
def test_a_huge_number_of_points_is_a_problem_not_an_error(value):
    # Decimal.quantize raises InvalidOperation past 28 digits (see to_points).
    problems = _indicator_problems(max_points=value)
    assert _has(problems, "criteria[0].indicators[0].max_points", "two decimals"), problems


@pytest.mark.parametrize("to", [None, "2022-01-01"])
def test_a_date_with_a_time_is_a_problem_not_an_error(to):
    # YAML reads 2021-01-01 10:00:00 as a datetime, which _Check.day lets through as a date:
    # compared with effective.to it raises TypeError; alone it would go into a Date column.
    moment = yaml.safe_load("2021-01-01 10:00:00")
    problems = _problems(_document(effective={"from": moment, "to": to}))
    assert _has(problems, "effective.from", "YYYY-MM-DD"), problems


@pytest.mark.parametrize("document", [None, [], "text", 42])
def test_a_document_that_is_not_a_mapping_says_so(document):
    problems = _problems(document)
    assert problems[0] == "(file): must be a mapping of keys to values"


def test_a_criteria_error_message_joins_the_problems_after_the_file_name():
    error = CriteriaError(["code: bad", "model: bad"], "x.yaml")
    assert str(error) == "x.yaml: code: bad; model: bad"
    assert error.problems == ["code: bad", "model: bad"] and error.source == "x.yaml"


# Files ----------------------------------------------------------------------------------------


def test_a_json_file_reads_like_a_yaml_file(tmp_path):
    path = tmp_path / "set.json"
    path.write_text(json.dumps(_document(), ensure_ascii=False), encoding="utf-8")
    assert digest(read_file(path)) == digest(validate(_document()))


@pytest.mark.parametrize(
    ("name", "text", "words"),
    [
        ("bad.yaml", "code: [unclosed\n", "is not valid YAML"),
        ("bad.json", '{"code": ', "is not valid JSON"),
    ],
)
def test_a_file_that_does_not_parse_is_a_criteria_error_naming_it(tmp_path, name, text, words):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CriteriaError) as caught:
        read_file(path)
    assert caught.value.source == str(path)
    assert str(caught.value).startswith(f"{path}: ")
    assert words in caught.value.problems[0]
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


def test_a_file_with_a_byte_order_mark_is_read(tmp_path):
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + yaml.safe_dump(_document(), allow_unicode=True).encode())
    assert read_file(path).code == "test-set"


def test_a_file_that_is_not_utf8_is_a_criteria_error_naming_it(tmp_path):
    path = tmp_path / "latin.yaml"
    path.write_bytes(yaml.safe_dump(_document(), allow_unicode=True).encode("utf-16"))
    with pytest.raises(CriteriaError) as caught:
        read_file(path)
    assert caught.value.source == str(path)
    assert "cannot be read" in caught.value.problems[0]
    assert caught.value.__suppress_context__


def test_problems_in_a_file_carry_its_name(tmp_path):
    path = tmp_path / "set.yaml"
    path.write_text(yaml.safe_dump(_document(model="town")), encoding="utf-8")
    with pytest.raises(CriteriaError) as caught:
        read_file(path)
    assert caught.value.source == str(path)
    assert caught.value.problems == ["model: must be one of citizen, family, clan, community, unit"]


@pytest.mark.parametrize("path", SHIPPED, ids=lambda path: path.stem)
def test_dump_then_validate_gives_the_same_digest(path):
    definition = read_file(path)
    again = validate(yaml.safe_load(dump(definition.document)))
    assert digest(again) == digest(definition)
    assert again == definition


def test_dump_puts_the_keys_in_the_order_of_the_format():
    text = dump(validate(_document()).document)
    keys = [line.split(":")[0] for line in text.splitlines() if line[:1].isalpha()]
    assert keys[:4] == ["code", "version", "model", "sample"]
    assert keys[-2:] == ["evidence_types", "criteria"]


def test_the_digest_ignores_key_order_and_date_spelling():
    document = _document(effective={"to": None, "from": date(2021, 1, 1)})
    assert digest(validate(document)) == digest(validate(_document()))
    assert digest(validate(_document(version=2))) != digest(validate(_document()))


# Loading into the database ----------------------------------------------------------------


def _assessment(db, row, user, year=2025):
    assessment = Assessment(
        year=year,
        model=row.model,
        criteria_set_id=row.id,
        status="draft",
        subject_key=f"user:{user.id}",
        subject_name=user.full_name,
        commune_code="24820",
        province_code="68",
        user_id=user.id,
    )
    db.session.add(assessment)
    db.session.flush()
    return assessment


def test_loading_adds_then_leaves_unchanged_then_updates_an_unused_version(db):
    row, outcome = sets.load(validate(_document()))
    assert outcome == "added"
    assert (row.code, row.version, row.model, row.is_sample) == ("test-set", 1, "citizen", False)
    again, outcome = sets.load(validate(_document()))
    assert (again.id, outcome) == (row.id, "unchanged")
    changed = _document(title={"vi": "Bộ thử, sửa"}, effective={"from": "2022-01-01"})
    updated, outcome = sets.load(validate(changed))
    assert (updated.id, outcome) == (row.id, "updated")
    assert updated.effective_from == date(2022, 1, 1)
    assert updated.definition["title"] == {"vi": "Bộ thử, sửa"}
    assert updated.digest == digest(validate(changed))


def test_a_version_an_assessment_uses_cannot_change(db, make_user):
    row, _ = sets.load(validate(_document()))
    _assessment(db, row, make_user())
    before = (row.digest, dict(row.definition))
    with pytest.raises(CriteriaError) as caught:
        sets.load(validate(_document(title={"vi": "Bộ thử, sửa"})))
    assert "give the new text version 2" in str(caught.value)
    assert "used by assessments" in str(caught.value)
    db.session.expire_all()
    assert (row.digest, row.definition) == before
    assert sets.load(validate(_document()))[1] == "unchanged"


def test_the_refusal_names_the_version_after_the_latest(db, make_user):
    row, _ = sets.load(validate(_document()))
    sets.load(validate(_document(version=4)))
    _assessment(db, row, make_user())
    with pytest.raises(CriteriaError, match="version 5"):
        sets.load(validate(_document(title={"vi": "Khác"})))


def test_a_new_version_loads_beside_the_one_in_use(db, make_user):
    first, _ = sets.load(validate(_document()))
    _assessment(db, first, make_user())
    second, outcome = sets.load(validate(_document(version=2, title={"vi": "Bộ thử, bản 2"})))
    assert outcome == "added" and second.id != first.id
    assert sets.in_use(first) and not sets.in_use(second)
    assert sets.latest_version("test-set") == 2
    assert sets.find("test-set") == second
    assert sets.find("test-set", 1) == first
    assert sets.find("nothing") is None


def test_sets_in_force_pick_the_latest_version_in_force_on_the_day(db):
    sets.load(validate(_document(effective={"from": "2021-01-01", "to": "2026-01-01"})))
    sets.load(validate(_document(version=2, effective={"from": "2026-01-01"})))
    sets.load(validate(_document(version=3, effective={"from": "2027-01-01"})))
    sets.load(
        validate(_document(code="ended", effective={"from": "2021-01-01", "to": "2024-01-01"}))
    )
    sets.load(
        validate(
            _document(
                code="unit-like",
                model="unit",
                **{"pass": None},
                criteria=[
                    {
                        "code": "1",
                        "title": {"vi": "1"},
                        "indicators": [{"code": "1.1", "title": {"vi": "1"}, "max_points": 10}],
                    }
                ],
            )
        )
    )

    def in_force(day):
        return sorted((r.code, r.version) for r in sets.sets_in_force("citizen", day))

    assert in_force(date(2020, 12, 31)) == []
    assert in_force(date(2023, 12, 31)) == [("ended", 1), ("test-set", 1)]
    assert in_force(date(2024, 1, 1)) == [("test-set", 1)]  # "to" is exclusive
    assert in_force(date(2025, 12, 31)) == [("test-set", 1)]
    assert in_force(date(2026, 1, 1)) == [("test-set", 2)]
    assert in_force(date(2027, 6, 1)) == [("test-set", 3)]
    assert [r.code for r in sets.sets_in_force("unit", date(2025, 1, 1))] == ["unit-like"]


def test_the_shipped_sets_load_and_the_citizen_sets_are_in_force(criteria):
    assert set(criteria) == {path.stem for path in SHIPPED}
    codes = {row.code for row in sets.sets_in_force("citizen", date(2025, 6, 1))}
    assert codes == {"citizen-officials", "citizen-others", "citizen-rural", "citizen-workers"}


def test_definition_of_parses_a_stored_text_once(db, monkeypatch):
    row, _ = sets.load(validate(_document(code="parsed-once")))
    monkeypatch.setattr(sets, "_PARSED", {})
    calls = []
    real = sets.validate

    def counting(document):
        calls.append(document)
        return real(document)

    monkeypatch.setattr(sets, "validate", counting)
    first = sets.definition_of(row)
    assert sets.definition_of(row) is first
    assert len(calls) == 1
    assert first.code == "parsed-once" and digest(first) == row.digest
    same_text = CriteriaSet(
        code="other-row", version=1, digest=row.digest, definition=row.definition
    )
    assert sets.definition_of(same_text) is first and len(calls) == 1


# The documentation -------------------------------------------------------------------------


def test_the_example_in_the_documentation_is_a_valid_set():
    example = re.search(r"```yaml\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert example is not None
    definition = validate(yaml.safe_load(example.group(1)))
    assert definition.code == "citizen-workers" and definition.sample is False


def test_the_documentation_names_every_key_and_every_automatic_source():
    text = DOC.read_text(encoding="utf-8")
    for name in sorted(set(KEYS) | INDICATOR_KEYS | set(SOURCES)):
        assert f"`{name}`" in text, name


@pytest.mark.parametrize(
    "grades",
    [
        [{"code": "not_achieved", "min": 10, "label": "Chưa đạt"}],
        [{"code": "good", "min": 15, "label": "Tốt"}, {"code": "good", "min": 10, "label": "Khá"}],
    ],
)
def test_a_grade_code_used_twice_or_reserved_is_reported(grades):
    assert _has(_problems(_document(grades=grades)), "grades[0].code" if len(grades) == 1
                else "grades[1].code", "used twice or reserved")  # fmt: skip
