"""Account pages through the test client."""

from __future__ import annotations

import json

from portal.accounts import operations
from portal.accounts.models import User
from tests.conftest import PASSWORD


def test_sign_up_with_a_phone_number_signs_in_and_keeps_the_language(client, db):
    response = client.post(
        "/sign-up?lang=km",
        data={
            "full_name": "Sơn Thị Sa",
            "identifier": "0912 345 678",
            "password": PASSWORD,
            "confirm": PASSWORD,
        },
    )
    assert response.status_code == 302
    user = db.session.query(User).filter_by(phone="+84912345678").one()
    assert user.language == "km"
    assert client.get("/profile").status_code == 200


def test_sign_up_with_a_bad_identifier_explains_in_vietnamese(client):
    response = client.post(
        "/sign-up",
        data={"full_name": "A", "identifier": "12345", "password": PASSWORD, "confirm": PASSWORD},
    )
    assert response.status_code == 200
    assert "Nhập số di động" in response.get_data(as_text=True)


def test_sign_up_twice_with_the_same_address_is_refused(client, make_user):
    make_user(email="lan@example.vn")
    response = client.post(
        "/sign-up",
        data={
            "full_name": "Lan",
            "identifier": "LAN@example.vn",
            "password": PASSWORD,
            "confirm": PASSWORD,
        },
    )
    assert response.status_code == 200
    assert "lan@example.vn" not in response.get_data(as_text=True).split("<main")[0]


def test_sign_in_with_phone_or_email_and_wrong_password(client, make_user):
    make_user(phone="0987654321", email="minh@example.vn")
    for identifier in ("0987 654 321", "+84987654321", "MINH@example.vn"):
        response = client.post("/sign-in", data={"identifier": identifier, "password": PASSWORD})
        assert response.status_code == 302, identifier
        client.post("/sign-out")
    response = client.post("/sign-in", data={"identifier": "0987654321", "password": "wrong!!"})
    assert response.status_code == 200
    assert client.get("/profile").status_code == 302


def test_sign_in_redirects_only_to_this_site(client, make_user):
    user = make_user()
    response = client.post(
        "/sign-in?next=https://evil.example/x",
        data={"identifier": user.sign_in_name, "password": PASSWORD},
    )
    assert response.headers["Location"] == "/"
    client.post("/sign-out")
    response = client.post(
        "/sign-in?next=/profile", data={"identifier": user.sign_in_name, "password": PASSWORD}
    )
    assert response.headers["Location"] == "/profile"


def test_a_suspended_account_cannot_sign_in(client, db, make_user):
    user = make_user()
    user.is_active_account = False
    db.session.flush()
    response = client.post("/sign-in", data={"identifier": user.sign_in_name, "password": PASSWORD})
    assert response.status_code == 200


def test_profile_saves_optional_fields_and_home_commune(
    client, db, make_user, sign_in, small_places
):
    user = make_user()
    sign_in(user)
    province, commune = small_places
    page = client.get("/profile").get_data(as_text=True)
    # Each optional field says why it is asked, linked to the field for screen readers.
    assert 'aria-describedby="birth_year-desc"' in page
    # Choosing the province first shows its communes (no JavaScript needed).
    page = client.post(
        "/profile",
        data={
            "full_name": user.full_name,
            "phone": user.phone,
            "home_province": province.code,
            "show_communes": "1",
        },
    ).get_data(as_text=True)
    assert commune.name in page
    response = client.post(
        "/profile",
        data={
            "full_name": "Nguyễn Thị Lan",
            "phone": user.phone,
            "birth_year": "1990",
            "gender": "female",
            "ethnicity_code": "12",
            "disability": "none",
            "occupation_group": "rural_workers",
            "home_province": province.code,
            "home_commune": commune.code,
        },
    )
    assert response.status_code == 302
    db.session.refresh(user)
    assert (user.birth_year, user.gender, user.ethnicity_code) == (1990, "female", "12")
    assert user.home_commune_id == commune.id


def test_profile_refuses_an_impossible_birth_year_and_keeps_the_saved_one(
    client, db, make_user, sign_in
):
    user = make_user(birth_year=1980)
    sign_in(user)
    response = client.post(
        "/profile", data={"full_name": user.full_name, "phone": user.phone, "birth_year": "3000"}
    )
    assert response.status_code == 200
    db.session.refresh(user)
    assert user.birth_year == 1980


def test_profile_needs_a_way_to_sign_in(client, make_user, sign_in):
    sign_in(user := make_user())
    response = client.post("/profile", data={"full_name": user.full_name, "phone": "", "email": ""})
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.get_data(as_text=True)


def test_password_change_needs_the_current_password(client, make_user, sign_in):
    user = make_user()
    sign_in(user)
    response = client.post(
        "/profile/password",
        data={
            "current": "wrong-password",
            "password": "new password 1",
            "confirm": "new password 1",
        },
    )
    assert response.status_code == 200
    response = client.post(
        "/profile/password",
        data={"current": PASSWORD, "password": "new password 1", "confirm": "new password 1"},
    )
    assert response.status_code == 302
    assert client.get("/profile").status_code == 200  # this session goes on
    client.post("/sign-out")
    assert (
        client.post(
            "/sign-in", data={"identifier": user.sign_in_name, "password": "new password 1"}
        ).status_code
        == 302
    )


def test_personal_data_download_is_json_with_the_profile(client, make_user, sign_in):
    user = make_user(full_name="Hà Thị Huệ", birth_year=1975, ethnicity_code="02")
    sign_in(user)
    response = client.get("/profile/data.json")
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))
    assert data["account"]["full_name"] == "Hà Thị Huệ"
    assert data["profile"]["ethnicity"] == {"code": "02", "name": "Tày"}
    assert data["roles"][0]["role"] == "learner"


def test_deleting_the_account_needs_the_password(client, db, make_user, sign_in):
    user = make_user()
    user_id = user.id
    sign_in(user)
    response = client.post("/profile/delete", data={"password": "wrong", "confirm": "y"})
    assert response.status_code == 200
    response = client.post("/profile/delete", data={"password": PASSWORD, "confirm": "y"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user_id) is None
    assert client.get("/profile").status_code == 302


def test_administrator_grants_a_scoped_role_and_issues_a_reset_link(client, db, make_user, sign_in):
    admin = make_user(roles=("admin",), email="admin@example.vn")
    learner = make_user()
    sign_in(admin)
    response = client.post(
        f"/admin/users/{learner.id}/roles",
        data={"role": "reviewer", "scope_kind": "", "scope_code": ""},
    )
    assert response.status_code == 422  # reviewer needs a scope
    response = client.post(
        f"/admin/users/{learner.id}/roles",
        data={"role": "reviewer", "scope_kind": "commune", "scope_code": "00004"},
    )
    assert response.status_code == 302
    db.session.refresh(learner)
    assert learner.has_role("reviewer", "commune", "00004")

    page = client.post(f"/admin/users/{learner.id}/reset-link").get_data(as_text=True)
    link = page.split('id="reset-link" type="text" readonly value="')[1].split('"')[0]
    path = "/reset/" + link.rsplit("/reset/", 1)[1]
    client.post("/sign-out")
    assert client.get(path).status_code == 200
    response = client.post(
        path, data={"password": "fresh password 9", "confirm": "fresh password 9"}
    )
    assert response.status_code == 302
    assert client.get(path).status_code == 404  # used once
    assert (
        client.post(
            "/sign-in", data={"identifier": learner.sign_in_name, "password": "fresh password 9"}
        ).status_code
        == 302
    )


def test_admin_user_list_searches(client, make_user, sign_in):
    sign_in(make_user(roles=("admin",)))
    make_user(full_name="Y Khoa Niê")
    page = client.get("/admin/users/?q=Khoa").get_data(as_text=True)
    assert "Y Khoa Niê" in page
    assert client.get("/admin/users/?page=999").status_code == 200


def test_reset_link_from_the_command_line(app, db, make_user):
    user = make_user(email="locked@example.vn")
    result = app.test_cli_runner().invoke(args=["accounts", "reset-link", "locked@example.vn"])
    assert result.exit_code == 0, result.output
    token = result.output.strip().rsplit("/", 1)[1]
    assert operations.find_reset_token(token).user_id == user.id
