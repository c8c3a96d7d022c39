"""The credentials page: administrators list the LRS's clients, issue credentials (the
secret shown once) and revoke them; nobody else gets in."""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa

from courses.xapi import clients
from courses.xapi.models import LrsClient
from tests.xapi.conftest import basic

PAGE = "/admin/lrs-clients/"
FORM = {
    "name": "  Tân Lập   offline app ",
    "scopes": ["statements/write", "state"],
    "rate_limit": "600 per minute",
    "centre_id": "",
}


def about_with(client: Any, key: str, secret: str) -> int:
    headers = {"Authorization": basic(key, secret), "X-Experience-API-Version": "2.0.0"}
    return client.get("/xapi/activities?activityId=http://example.com/a", headers=headers)


def test_an_administrator_issues_credentials_and_sees_the_secret_once(
    client: Any, db: Any, make_user: Any, sign_in: Any
) -> None:
    sign_in(make_user(roles=("admin",)))
    page = client.get(PAGE + "?lang=en")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "No client has credentials yet." in html
    assert re.search(
        r'<input checked id="scopes-\d" name="scopes" type="checkbox" value="state">', html
    )

    issued = client.post(PAGE + "new?lang=en", data=FORM)
    assert issued.status_code == 200
    assert issued.headers["Cache-Control"] == "no-store"
    html = issued.get_data(as_text=True)
    row = db.session.scalar(sa.select(LrsClient))
    assert row.name == "Tân Lập offline app"
    assert row.scopes == ["statements/write", "state"]
    assert row.rate_limit == "600 per minute"
    secret = re.search(r'id="lrs-secret" type="text" readonly value="([^"]+)"', html).group(1)
    assert row.key in html and secret not in row.secret_sha256
    assert clients.authenticate(row.key, secret) == row

    listing = client.get(PAGE + "?lang=en").get_data(as_text=True)
    assert row.key in listing and "Tân Lập offline app" in listing
    assert secret not in listing
    assert "Record statements; Keep learners" in listing


def test_credentials_may_belong_to_a_centre(
    client: Any, db: Any, make_user: Any, sign_in: Any, small_places: Any
) -> None:
    from portal.centres.models import Centre

    centre = Centre(code="clc-tan-lap", name="Trung tâm học tập cộng đồng xã Tân Lập",
                    kind="clc", commune_id=small_places[1].id)  # fmt: skip
    db.session.add(centre)
    db.session.flush()
    sign_in(make_user(roles=("admin",)))
    assert centre.name in client.get(PAGE).get_data(as_text=True)
    assert client.post(PAGE + "new", data={**FORM, "centre_id": str(centre.id)}).status_code == 200
    assert db.session.scalar(sa.select(LrsClient.centre_id)) == centre.id


def test_a_form_with_mistakes_is_shown_again_and_nothing_is_issued(
    client: Any, db: Any, make_user: Any, sign_in: Any
) -> None:
    sign_in(make_user(roles=("admin",)))
    for changes in (
        {"name": "   "},
        {"scopes": []},
        {"scopes": ["statements/write", "everything"]},
        {"rate_limit": "fast"},
        {"centre_id": "999999"},
    ):
        response = client.post(PAGE + "new?lang=en", data={**FORM, **changes})
        assert response.status_code == 422, changes
        assert 'class="error"' in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LrsClient)) == 0


def test_revoked_credentials_stop_working(
    client: Any, db: Any, make_user: Any, sign_in: Any
) -> None:
    issued = clients.issue("Partner LMS", scopes=["all"])
    assert about_with(client, issued.client.key, issued.secret).status_code == 200
    sign_in(make_user(roles=("admin",)))
    response = client.post(f"{PAGE}{issued.client.id}/revoke?lang=en", follow_redirects=True)
    assert response.status_code == 200
    assert "The credentials of Partner LMS are revoked." in response.get_data(as_text=True)
    db.session.refresh(issued.client)
    assert issued.client.is_revoked
    assert "Revoked on" in response.get_data(as_text=True)
    assert about_with(client, issued.client.key, issued.secret).status_code == 401
    assert client.post(f"{PAGE}999999/revoke").status_code == 404


def test_only_administrators_open_the_credentials_page(
    client: Any, db: Any, make_user: Any, sign_in: Any
) -> None:
    issued = clients.issue("Partner LMS")
    assert client.get(PAGE).status_code == 302
    assert client.post(PAGE + "new", data=FORM).status_code == 302
    scopes = {"staff": ("centre", "c1"), "reviewer": ("commune", "00004")}
    for role in ("learner", "teacher", "staff", "reviewer"):
        client.post("/sign-out")
        sign_in(make_user(roles=(role,), scopes=scopes))
        assert client.get(PAGE).status_code == 403
        assert client.post(PAGE + "new", data=FORM).status_code == 403
        assert client.post(f"{PAGE}{issued.client.id}/revoke").status_code == 403
    db.session.refresh(issued.client)
    assert not issued.client.is_revoked
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LrsClient)) == 1
