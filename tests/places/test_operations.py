"""Villages and households: what administrators may record, and what is refused."""

from __future__ import annotations

import pytest

from portal.places import operations, queries
from portal.places.models import Relation, VillageKind
from tests.places.conftest import BEFORE

PlacesError = operations.PlacesError


@pytest.fixture
def commune(places):
    return places("commune", "05665")  # Xã Văn Lăng, Thái Nguyên


@pytest.fixture
def village(commune, admin):
    return operations.create_village(
        commune, name="Thôn Nà Hin", kind=VillageKind.THON, created_by=admin
    )


def test_an_administrator_creates_a_village_under_a_commune(village, commune, admin):
    assert village.commune == commune and village.kind == "thon"
    assert village.created_by_id == admin.id and village.is_active
    assert queries.villages_of(commune) == [village]


def test_village_names_are_nfc_and_single_spaced(commune):
    decomposed = "Ba\u0309n  Pa\u0301c Ngo\u0300i"
    village = operations.create_village(commune, name=decomposed, kind=VillageKind.BAN)
    assert village.name == "Bản Pác Ngòi"


def test_a_second_active_village_with_the_same_name_is_refused(village, commune):
    with pytest.raises(PlacesError, match="village_exists"):
        operations.create_village(commune, name="thôn nà hin")


def test_names_that_differ_only_by_accents_are_different_villages(commune):
    operations.create_village(commune, name="Thôn Văn Lang")
    operations.create_village(commune, name="Thôn Văn Lăng")
    assert len(queries.villages_of(commune)) == 2


@pytest.mark.parametrize(
    ("unit", "code"),
    [
        (("province", "19", None), "not_a_commune"),
        (("commune", "05671", BEFORE), "unit_not_in_force"),
    ],
)
def test_villages_go_only_under_a_commune_in_force(places, unit, code):
    level, unit_code, day = unit
    target = places(level, unit_code, day) if day else places(level, unit_code)
    with pytest.raises(PlacesError, match=code):
        operations.create_village(target, name="Thôn Mới")


def test_an_empty_name_or_unknown_kind_is_refused(commune):
    with pytest.raises(PlacesError, match="name_required"):
        operations.create_village(commune, name="   ")
    with pytest.raises(PlacesError, match="invalid_kind"):
        operations.create_village(commune, name="Xóm 1", kind="hamlet")


def test_renaming_a_village_keeps_its_households(village, commune):
    household = operations.create_household(village, name="Hộ ông Lò Văn Pọm")
    operations.rename_village(village, name="Tổ dân phố Nà Hin", kind=VillageKind.TO_DAN_PHO)
    assert village.name == "Tổ dân phố Nà Hin" and village.kind == "to_dan_pho"
    assert queries.households_of(village) == [household]
    other = operations.create_village(commune, name="Thôn Khuổi Ún")
    with pytest.raises(PlacesError, match="village_exists"):
        operations.rename_village(other, name="tổ dân phố nà hin")


def test_a_retired_village_is_kept_but_takes_no_change(village, commune):
    operations.retire_village(village)
    assert not village.is_active
    assert queries.villages_of(commune) == []
    assert queries.villages_of(commune, include_retired=True) == [village]
    with pytest.raises(PlacesError, match="village_retired"):
        operations.create_household(village, name="Hộ bà Hoàng Thị Mai")
    with pytest.raises(PlacesError, match="village_retired"):
        operations.rename_village(village, name="Thôn Mới")
    operations.create_village(commune, name="Thôn Nà Hin")  # the name is free again


def test_a_household_has_members_with_and_without_accounts(village, make_user):
    household = operations.create_household(village, name="Hộ ông Lò Văn Pọm")
    user = make_user(full_name="Lò Văn Pọm", birth_year=1968, gender="male")
    head = operations.add_member(household, user=user, relation=Relation.HEAD)
    child = operations.add_member(
        household, full_name="Lò Thị Hoa", birth_year=2016, gender="female", relation=Relation.CHILD
    )
    grandmother = operations.add_member(
        household, full_name="Lường Thị Ún", relation=Relation.GRANDPARENT
    )
    assert (head.user_id, head.full_name, head.birth_year, head.gender) == (
        user.id,
        "Lò Văn Pọm",
        1968,
        "male",
    )
    assert child.user_id is None and child.birth_year == 2016
    assert grandmother.birth_year is None
    assert household.members == [head, child, grandmother]
    assert queries.household_of_user(user.id) == household
    assert queries.household_memberships_of_user(user.id) == [
        {
            "household": "Hộ ông Lò Văn Pọm",
            "village": "Thôn Nà Hin",
            "commune": {"code": "05665", "name": "Xã Văn Lăng"},
            "relation": "head",
            "full_name": "Lò Văn Pọm",
            "birth_year": 1968,
            "gender": "male",
        }
    ]


def test_a_household_has_one_head_and_a_user_one_household(village, make_user):
    first = operations.create_household(village, name="Hộ 1")
    second = operations.create_household(village, name="Hộ 2")
    user = make_user()
    operations.add_member(first, user=user, relation=Relation.HEAD)
    with pytest.raises(PlacesError, match="head_exists"):
        operations.add_member(first, full_name="Người khác", relation=Relation.HEAD)
    with pytest.raises(PlacesError, match="user_in_household"):
        operations.add_member(second, user=user, relation=Relation.HEAD)


@pytest.mark.parametrize(
    ("values", "code"),
    [
        ({"full_name": ""}, "name_required"),
        ({"full_name": "Lò Thị Hoa", "birth_year": 1850}, "invalid_birth_year"),
        ({"full_name": "Lò Thị Hoa", "gender": "f"}, "invalid_gender"),
        ({"full_name": "Lò Thị Hoa", "relation": "cousin"}, "invalid_relation"),
    ],
)
def test_invalid_members_are_refused(village, values, code):
    household = operations.create_household(village, name="Hộ 1")
    with pytest.raises(PlacesError, match=code):
        operations.add_member(household, **values)


def test_removing_a_member_and_deleting_an_account_keep_the_others(village, make_user, db):
    household = operations.create_household(village, name="Hộ 1")
    user = make_user(full_name="Lò Văn Pọm")
    kept = operations.add_member(household, user=user, relation=Relation.HEAD)
    gone = operations.add_member(household, full_name="Lò Thị Hoa", relation=Relation.CHILD)
    operations.remove_member(gone)
    assert household.members == [kept]
    db.session.delete(user)
    db.session.flush()
    db.session.refresh(kept)
    assert kept.user_id is None and kept.full_name == "Lò Văn Pọm"
