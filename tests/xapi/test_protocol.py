"""What every LRS request goes through: credentials, scopes, rate limits, the version
header, and the About resource."""

from __future__ import annotations

from typing import Any

import pytest

from courses.xapi import clients
from tests.xapi.conftest import Lrs, basic


def test_about_is_open_and_names_the_version(client: Any) -> None:
    response = client.get("/xapi/about")
    assert response.status_code == 200
    assert response.get_json() == {"version": ["2.0.0"]}
    assert response.headers["X-Experience-API-Version"] == "2.0.0"


@pytest.mark.parametrize(
    "authorization",
    [None, "Basic " + "bm9ib2R5Om5vdGhpbmc=", "Bearer abc", "Basic !!!"],
)
def test_requests_without_valid_credentials_are_refused(
    client: Any, db: Any, authorization: str | None
) -> None:
    headers = {"X-Experience-API-Version": "2.0.0"}
    if authorization:
        headers["Authorization"] = authorization
    response = client.get("/xapi/statements", headers=headers)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Basic")
    assert response.mimetype == "application/problem+json"
    assert response.headers["X-Experience-API-Version"] == "2.0.0"


def test_a_wrong_secret_and_a_revoked_client_are_refused(lrs: Lrs, client: Any) -> None:
    key = lrs.issued.client.key
    wrong = {"Authorization": basic(key, "not-the-secret"), "X-Experience-API-Version": "2.0.0"}
    assert client.get("/xapi/statements", headers=wrong).status_code == 401
    clients.revoke(lrs.issued.client)
    assert lrs.get("statements").status_code == 401


@pytest.mark.parametrize("version", [None, "1.0.3", "0.95", "3.0.0", "two"])
def test_other_versions_are_refused(lrs: Lrs, version: str | None) -> None:
    headers = {"X-Experience-API-Version": version} if version else {}
    lrs.headers.pop("X-Experience-API-Version")
    response = lrs.get("statements", headers=headers)
    assert response.status_code == 400
    detail = response.get_json()["detail"]
    assert ("2.0" in detail) if version else ("X-Experience-API-Version" in detail)


@pytest.mark.parametrize("version", ["2.0", "2.0.0", "2.0.1"])
def test_every_2_0_version_is_accepted(lrs: Lrs, version: str) -> None:
    response = lrs.get("about", headers={"X-Experience-API-Version": version})
    assert response.status_code == 200


def test_unknown_paths_answer_json_with_the_version(lrs: Lrs) -> None:
    response = lrs.get("no-such-resource")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    assert response.headers["X-Experience-API-Version"] == "2.0.0"


def test_the_rate_limit_is_per_client(make_lrs: Any) -> None:
    slow = make_lrs(rate_limit="2 per minute")
    other = make_lrs()
    assert slow.get("about").status_code == 200  # About is open: not counted
    codes = [slow.get("statements").status_code for _ in range(3)]
    assert codes[:2] != [429, 429] and codes[2] == 429
    assert int(slow.get("statements").headers["Retry-After"]) >= 1
    assert other.get("statements").status_code != 429


def test_scopes_are_checked() -> None:
    client = clients.LrsClient(scopes=["statements/read"])
    assert clients.allows(client, "statements/read")
    assert clients.allows(client, "statements/read/mine")
    assert not clients.allows(client, "statements/write")
    reader = clients.LrsClient(scopes=["all/read"])
    assert clients.allows(reader, "statements/read") and not clients.allows(reader, "state")
    assert clients.allows(clients.LrsClient(scopes=["all"]), "statements/write")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"scopes": ["everything"]}, "unknown scopes"),
        ({"scopes": []}, "unknown scopes"),
        ({"rate_limit": "lots"}, "not a rate limit"),
        ({"name": "  "}, "name"),
    ],
)
def test_credentials_are_issued_only_as_they_can_work(
    db: Any, kwargs: dict[str, Any], message: str
) -> None:
    kwargs.setdefault("name", "App")
    with pytest.raises(clients.ClientError, match=message):
        clients.issue(**kwargs)


def test_the_secret_is_kept_only_as_a_hash(db: Any) -> None:
    issued = clients.issue("App")
    assert issued.secret not in (issued.client.secret_sha256, issued.client.key)
    assert len(issued.client.secret_sha256) == 64
    assert clients.authenticate(issued.client.key, issued.secret) is issued.client
    assert clients.authenticate(issued.client.key, issued.secret + "x") is None
    assert clients.authenticate("unknown", issued.secret) is None


def test_the_cli_issues_lists_and_revokes(app: Any, db: Any) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(args=["xapi", "add-client", "Partner LMS", "--scope", "all"])
    assert result.exit_code == 0, result.output
    key = result.output.split("key:")[1].split()[0]
    assert "Partner LMS" in runner.invoke(args=["xapi", "clients"]).output
    assert runner.invoke(args=["xapi", "revoke-client", key]).exit_code == 0
    assert "revoked" in runner.invoke(args=["xapi", "clients"]).output
    assert runner.invoke(args=["xapi", "revoke-client", "nope"]).exit_code != 0
    bad = runner.invoke(args=["xapi", "add-client", "X", "--rate-limit", "lots"])
    assert bad.exit_code != 0 and "rate limit" in bad.output


def test_last_use_is_recorded_after_the_request_at_most_once_a_minute(lrs: Lrs, db: Any) -> None:
    client = lrs.issued.client
    assert client.last_used_at is None
    assert lrs.get("statements").status_code == 200
    db.session.refresh(client)
    first = client.last_used_at
    assert first is not None
    assert lrs.get("statements").status_code == 200
    db.session.refresh(client)
    assert client.last_used_at == first  # within the minute: not written again


def test_an_unreachable_rate_limit_store_does_not_stop_the_lrs(
    committed_app: Any, tmp_path: Any, caplog: pytest.LogCaptureFixture
) -> None:
    """Redis down (nothing listens on port 1): requests are served, with a warning."""
    from portal.extensions import db as _db
    from tests.conftest import make_app

    app = make_app(
        committed_app.config["SQLALCHEMY_DATABASE_URI"],
        tmp_path,
        PORTAL_REDIS_URL="redis://127.0.0.1:1/0",
    )
    with app.app_context():
        issued = clients.issue("App", scopes=["all"], rate_limit="2 per minute")
        _db.session.commit()
        headers = {
            "Authorization": basic(issued.client.key, issued.secret),
            "X-Experience-API-Version": "2.0.0",
        }
    client = app.test_client()
    codes = [client.get("/xapi/statements", headers=headers).status_code for _ in range(3)]
    assert codes == [200, 200, 200]
    assert "rate limit of client" in caplog.text
    with app.app_context():
        _db.engine.dispose()
