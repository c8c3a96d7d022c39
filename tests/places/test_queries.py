"""Reads: units by date, search, parents and children, successions."""

from __future__ import annotations

from datetime import date

from portal.extensions import db as _db
from portal.places import queries
from tests.places.conftest import AFTER, BEFORE


def codes(query) -> list[str]:
    return [u.code for u in _db.session.scalars(query)]


def test_units_in_force_depend_on_the_date(places):
    assert codes(queries.units_in_force(BEFORE, level="province")) == ["06", "19"]
    assert codes(queries.units_in_force(AFTER, level="province")) == ["19"]
    assert codes(queries.units_in_force(date(2030, 1, 1), level="district")) == []
    assert len(codes(queries.units_in_force(AFTER, level="commune"))) == 92


def test_a_code_finds_a_different_unit_on_each_side_of_the_reform(places):
    old, new = places("commune", "02143", BEFORE), places("commune", "02143", AFTER)
    assert old.name == "Xã Lương Thượng" and old.parent.level == "district"
    assert new.name == "Xã Văn Lang" and new.parent.code == "19"
    assert [u.id for u in queries.units_with_code("02143")] == [old.id, new.id]


def test_search_ignores_accents_and_matches_codes_exactly(places):
    found = _db.session.scalars(queries.units_in_force(AFTER, text="van lang")).all()
    assert [(u.code, u.name) for u in found] == [("02143", "Xã Văn Lang"), ("05665", "Xã Văn Lăng")]
    assert codes(queries.units_in_force(AFTER, text="05665")) == ["05665"]
    assert codes(queries.units_in_force(AFTER, text="100%_")) == []


def test_children_of_a_province_are_its_communes(places):
    province = places("province", "19")
    children = queries.children(province)
    assert len(children) == 92 and {c.level for c in children} == {"commune"}
    assert queries.parent_of(children[0]) == province


def test_an_old_commune_is_succeeded_by_the_new_commune_it_merged_into(places):
    old = places("commune", "05671", BEFORE)
    [succession] = queries.successors(old)
    assert succession.new_unit.code == "05665" and not succession.is_partial
    assert succession.effective_on == AFTER
    new = places("commune", "05665")
    assert {s.old_unit.code for s in queries.predecessors(new)} == {"05665", "05671"}


def test_a_split_commune_has_partial_successors(places):
    old = places("commune", "05461", BEFORE)
    parts = queries.successors(old)
    assert [(s.new_unit.code, s.is_partial) for s in parts] == [("05443", True), ("05467", True)]
    assert [u.code for u in queries.units_now(old, AFTER)] == ["05443", "05467"]


def test_units_now_of_a_unit_in_force_is_itself_and_of_a_district_is_empty(places):
    commune = places("commune", "05665")
    assert queries.units_now(commune, AFTER) == [commune]
    district = places("district", "169", BEFORE)
    assert queries.units_now(district, AFTER) == []
    assert queries.units_now(commune, BEFORE) == []


def test_old_provinces_map_to_the_province_that_took_them_in(places):
    bac_kan = places("province", "06", BEFORE)
    assert [s.new_unit.code for s in queries.successors(bac_kan)] == ["19"]


def test_current_lists_for_the_profile_form(places):
    assert [p.code for p in queries.current_provinces(AFTER)] == ["19"]
    communes = queries.current_communes("19", AFTER)
    assert len(communes) == 92
    names = [c.name for c in communes]
    assert names.index("Xã Văn Lang") < names.index("Xã Văn Lăng")
    assert queries.current_communes("06", AFTER) == []
    assert queries.current_commune("05665", AFTER).name == "Xã Văn Lăng"
    assert queries.current_commune("05671", AFTER) is None


def test_counts_in_force_group_by_level_and_kind(places):
    counts = queries.counts_in_force(AFTER)
    assert counts[("province", "province")] == 1
    assert sum(n for (level, _), n in counts.items() if level == "commune") == 92
