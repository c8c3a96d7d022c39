"""The generated data files: counts, parents, codes, successions, text."""

from __future__ import annotations

import unicodedata
from collections import Counter, defaultdict
from datetime import date, timedelta

import pytest

from portal.places.operations import DATA_DIR
from portal.text import fold
from tests.places.conftest import AFTER, BEFORE, read_csv

CODE_WIDTH = {"province": 2, "district": 3, "commune": 5}


@pytest.fixture(scope="module")
def units() -> list[dict[str, str]]:
    return read_csv(DATA_DIR / "units.csv")


@pytest.fixture(scope="module")
def successions() -> list[dict[str, str]]:
    return read_csv(DATA_DIR / "successions.csv")


def in_force(unit: dict[str, str], day: date) -> bool:
    return (not unit["valid_from"] or date.fromisoformat(unit["valid_from"]) <= day) and (
        not unit["valid_to"] or day < date.fromisoformat(unit["valid_to"])
    )


def version(units: list[dict[str, str]], day: date) -> list[dict[str, str]]:
    return [u for u in units if in_force(u, day)]


def test_since_july_2025_there_are_34_provinces_and_3321_communes_with_their_kinds(units):
    kinds = Counter((u["level"], u["kind"]) for u in version(units, AFTER))
    assert kinds == {
        ("province", "province"): 28,
        ("province", "city"): 6,
        ("commune", "commune"): 2621,
        ("commune", "ward"): 687,
        ("commune", "special_zone"): 13,
    }


def test_before_july_2025_there_were_63_provinces_696_districts_10035_communes(units):
    levels = Counter(u["level"] for u in version(units, BEFORE))
    assert levels == {"province": 63, "district": 696, "commune": 10035}


def test_every_new_commune_belongs_to_a_new_province(units):
    provinces = {u["code"] for u in version(units, AFTER) if u["level"] == "province"}
    for u in version(units, AFTER):
        if u["level"] == "commune":
            assert (u["parent_level"], u["parent_code"]) == ("province", u["parent_code"])
            assert u["parent_code"] in provinces, u


def test_every_old_unit_belongs_to_an_old_unit_one_level_up(units):
    old = version(units, BEFORE)
    provinces = {u["code"] for u in old if u["level"] == "province"}
    districts = {u["code"] for u in old if u["level"] == "district"}
    for u in old:
        if u["level"] == "district":
            assert u["parent_level"] == "province" and u["parent_code"] in provinces, u
        elif u["level"] == "commune":
            assert u["parent_level"] == "district" and u["parent_code"] in districts, u
        else:
            assert not u["parent_level"] and not u["parent_code"]


@pytest.mark.parametrize("day", [BEFORE, AFTER])
def test_codes_are_unique_and_zero_padded_within_a_version(units, day):
    keys = Counter((u["level"], u["code"]) for u in version(units, day))
    assert max(keys.values()) == 1
    for level, code in keys:
        assert code.isdigit() and len(code) == CODE_WIDTH[level]


def test_successions_join_units_in_force_the_day_before_and_the_day_of(units, successions):
    by_code = defaultdict(list)
    for u in units:
        by_code[(u["level"], u["code"])].append(u)
    for s in successions:
        day = date.fromisoformat(s["effective_on"])
        olds = [
            u
            for u in by_code[(s["old_level"], s["old_code"])]
            if in_force(u, day - timedelta(days=1))
        ]
        news = [u for u in by_code[(s["new_level"], s["new_code"])] if in_force(u, day)]
        assert len(olds) == 1 and len(news) == 1, s
        assert s["is_partial"] in {"0", "1"}


def test_every_old_commune_has_a_successor_and_every_new_unit_a_predecessor(units, successions):
    old_with = {(s["old_level"], s["old_code"]) for s in successions}
    new_with = {(s["new_level"], s["new_code"]) for s in successions}
    for u in version(units, BEFORE):
        if u["level"] != "district":
            assert (u["level"], u["code"]) in old_with, u
    for u in version(units, AFTER):
        assert (u["level"], u["code"]) in new_with, u


def test_a_split_commune_has_several_partial_successions(successions):
    parts = [s for s in successions if s["old_level"] == "commune" and s["old_code"] == "05461"]
    assert {s["new_code"] for s in parts} == {"05443", "05467"}
    assert all(s["is_partial"] == "1" for s in parts)


def test_names_are_nfc_trimmed_and_start_with_their_kind(units):
    for u in units:
        name = u["name"]
        assert unicodedata.normalize("NFC", name) == name
        assert name == " ".join(name.split())
        assert "\u2019" not in name


def test_van_lang_and_van_lang_fold_alike_but_are_two_communes(units):
    new = {u["code"]: u["name"] for u in version(units, AFTER) if u["level"] == "commune"}
    assert new["02143"] == "Xã Văn Lang" and new["05665"] == "Xã Văn Lăng"
    assert fold(new["02143"]) == fold(new["05665"])


def test_a_code_can_name_different_units_before_and_after_the_reform(units):
    names = {
        (u["code"], bool(u["valid_from"])): u["name"]
        for u in units
        if u["level"] == "commune" and u["code"] == "00004"
    }
    assert names == {("00004", False): "Phường Trúc Bạch", ("00004", True): "Phường Ba Đình"}


def test_files_are_sorted_utf8_and_small():
    for name, key in (
        ("units.csv", lambda r: (r["valid_from"], "pdc".index(r["level"][0]), r["code"])),
        (
            "successions.csv",
            lambda r: (
                r["effective_on"],
                "pdc".index(r["old_level"][0]),
                r["old_code"],
                "pdc".index(r["new_level"][0]),
                r["new_code"],
            ),
        ),
    ):
        path = DATA_DIR / name
        rows = read_csv(path)
        assert rows == sorted(rows, key=key)
        assert path.stat().st_size < 2_000_000
        assert path.read_bytes().decode("utf-8")
