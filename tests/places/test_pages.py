"""The places administration through the test client."""

from __future__ import annotations

import pytest

from portal.places import operations, queries
from portal.places.models import Household, Village
from tests.places.conftest import BEFORE


@pytest.fixture
def signed_in_admin(admin, sign_in):
    sign_in(admin)
    return admin


@pytest.fixture
def commune(places):
    return places("commune", "05665")  # Xã Văn Lăng


def test_only_administrators_see_the_pages(client, places, make_user, sign_in):
    assert client.get("/admin/places/").status_code == 302  # to sign in
    sign_in(make_user(roles=("learner",)))
    assert client.get("/admin/places/").status_code == 403
    assert client.post("/admin/places/units/1/villages", data={"name": "X"}).status_code == 403


def test_the_list_shows_units_in_force_on_the_chosen_date(client, signed_in_admin, places):
    today = client.get("/admin/places/?level=province").get_data(as_text=True)
    assert "Tỉnh Thái Nguyên" in today and "Tỉnh Bắc Kạn" not in today
    before = client.get("/admin/places/?level=province&on=2025-06-30").get_data(as_text=True)
    assert "Tỉnh Bắc Kạn" in before


def test_searching_without_accents_finds_both_van_lang_communes(client, signed_in_admin, places):
    page = client.get("/admin/places/?q=van+lang").get_data(as_text=True)
    assert "Xã Văn Lang" in page and "Xã Văn Lăng" in page and "02143" in page


def test_a_unit_page_shows_parent_children_and_successions(client, signed_in_admin, places):
    old = places("commune", "05671", BEFORE)
    page = client.get(f"/admin/places/units/{old.id}").get_data(as_text=True)
    assert old.parent.name in page and "Xã Văn Lăng" in page  # became part of
    assert "no longer in force" in page and 'name="name"' not in page
    province = places("province", "19")
    page = client.get(f"/admin/places/units/{province.id}").get_data(as_text=True)
    assert "Xã Văn Lang" in page and "Tỉnh Bắc Kạn" in page  # child, and formed from
    assert client.get("/admin/places/units/999999").status_code == 404


def test_an_administrator_adds_renames_and_retires_a_village(client, signed_in_admin, db, commune):
    response = client.post(
        f"/admin/places/units/{commune.id}/villages", data={"name": "Thôn Nà Hin", "kind": "thon"}
    )
    assert response.status_code == 302
    village = db.session.scalar(db.select(Village).where(Village.commune_id == commune.id))
    assert response.headers["Location"].endswith(f"/admin/places/villages/{village.id}")
    assert "Thôn Nà Hin" in client.get(f"/admin/places/units/{commune.id}").get_data(as_text=True)

    client.post(
        f"/admin/places/villages/{village.id}/rename",
        data={"name": "Tổ dân phố Nà Hin", "kind": "to_dan_pho"},
    )
    db.session.refresh(village)
    assert village.name == "Tổ dân phố Nà Hin"

    response = client.post(f"/admin/places/villages/{village.id}/retire")
    assert response.status_code == 302
    db.session.refresh(village)
    assert not village.is_active


def test_a_refused_or_invalid_village_is_explained(client, signed_in_admin, commune):
    operations.create_village(commune, name="Thôn Nà Hin")
    page = client.post(
        f"/admin/places/units/{commune.id}/villages",
        data={"name": "thôn nà hin", "kind": "thon"},
        follow_redirects=True,
    )
    assert "already has a village with that name" in page.get_data(as_text=True)
    invalid = client.post(
        f"/admin/places/units/{commune.id}/villages", data={"name": "", "kind": "thon"}
    )
    assert invalid.status_code == 422 and 'aria-invalid="true"' in invalid.get_data(as_text=True)


def test_households_and_members_are_added_through_the_pages(
    client, signed_in_admin, db, commune, make_user
):
    village = operations.create_village(commune, name="Thôn Nà Hin")
    response = client.post(
        f"/admin/places/villages/{village.id}/households", data={"name": "Hộ ông Lò Văn Pọm"}
    )
    household = db.session.scalar(db.select(Household).where(Household.village_id == village.id))
    assert response.headers["Location"].endswith(f"/admin/places/households/{household.id}")

    user = make_user(full_name="Lò Văn Pọm", phone="0912345678")
    client.post(
        f"/admin/places/households/{household.id}/members",
        data={"account": "0912 345 678", "relation": "head"},
    )
    client.post(
        f"/admin/places/households/{household.id}/members",
        data={
            "full_name": "Lò Thị Hoa",
            "birth_year": "2016",
            "gender": "female",
            "relation": "child",
        },
    )
    page = client.get(f"/admin/places/households/{household.id}").get_data(as_text=True)
    assert "Lò Văn Pọm" in page and "Lò Thị Hoa" in page and "2016" in page
    db.session.refresh(household)
    assert [(m.user_id, m.relation) for m in household.members] == [
        (user.id, "head"),
        (None, "child"),
    ]

    member = household.members[1]
    client.post(f"/admin/places/households/{household.id}/members/{member.id}/remove")
    db.session.refresh(household)
    assert len(household.members) == 1


def test_a_member_needs_an_existing_account_or_a_name(client, signed_in_admin, commune):
    village = operations.create_village(commune, name="Thôn Nà Hin")
    household = operations.create_household(village, name="Hộ 1")
    unknown = client.post(
        f"/admin/places/households/{household.id}/members",
        data={"account": "0987654321", "relation": "other"},
    )
    assert unknown.status_code == 422
    assert "No account has that number" in unknown.get_data(as_text=True)
    empty = client.post(
        f"/admin/places/households/{household.id}/members", data={"relation": "other"}
    )
    assert empty.status_code == 422
    assert queries.households_of(village)[0].members == []


def test_a_member_of_another_household_cannot_be_removed_here(client, signed_in_admin, commune):
    village = operations.create_village(commune, name="Thôn Nà Hin")
    first = operations.create_household(village, name="Hộ 1")
    second = operations.create_household(village, name="Hộ 2")
    member = operations.add_member(first, full_name="Lò Thị Hoa")
    url = f"/admin/places/households/{second.id}/members/{member.id}/remove"
    assert client.post(url).status_code == 404
