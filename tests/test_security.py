"""Security headers, CSRF, cookies and rate limits."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD, make_app


def test_every_page_sends_the_security_headers(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "Strict-Transport-Security" not in response.headers  # plain HTTP here


def test_hsts_is_sent_over_https(client):
    response = client.get("/", base_url="https://portal.example")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_pages_have_no_inline_script_or_style(client):
    for path in ("/", "/sign-in", "/sign-up", "/language", "/forgot-password"):
        html = client.get(path).get_data(as_text=True)
        assert "<script>" not in html and "<script " not in html, path
        assert "style=" not in html and "<style" not in html, path


@pytest.fixture
def csrf_app(tmp_path, app):
    application = make_app(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path, WTF_CSRF_ENABLED=True)
    yield application
    from portal.extensions import db

    with application.app_context():
        db.engine.dispose()


def test_forms_without_the_csrf_token_are_refused_with_a_clear_page(csrf_app):
    client = csrf_app.test_client()
    response = client.post("/sign-in", data={"identifier": "0912345678", "password": "x"})
    assert response.status_code == 400
    assert "<h1>" in response.get_data(as_text=True)
    page = client.get("/sign-in").get_data(as_text=True)
    assert 'name="csrf_token"' in page


def test_sign_in_is_rate_limited(tmp_path, app):
    application = make_app(
        app.config["SQLALCHEMY_DATABASE_URI"], tmp_path, PORTAL_LOGIN_RATE_LIMIT="3 per minute"
    )
    client = application.test_client()
    codes = [
        client.post("/sign-in", data={"identifier": "0912345678", "password": PASSWORD}).status_code
        for _ in range(5)
    ]
    assert codes[:3] == [200, 200, 200]
    assert codes[3:] == [429, 429]
    response = client.post("/sign-in", data={"identifier": "0912345678", "password": "x"})
    assert "Retry-After" in response.headers
    assert client.get("/sign-in").status_code == 200  # reading the page is not limited
    from portal.extensions import db

    with application.app_context():
        db.engine.dispose()


def test_session_cookie_is_httponly_and_lax(client, make_user):
    user = make_user()
    response = client.post("/sign-in", data={"identifier": user.sign_in_name, "password": PASSWORD})
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


# The machine's Redis (database 15 by default; set PORTAL_TEST_REDIS_URL to use another).
REDIS_URL = __import__("os").environ.get("PORTAL_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def test_rate_limits_are_shared_by_workers_through_redis(tmp_path, app):
    """Two app instances (two gunicorn workers) count sign-in attempts together."""
    import uuid

    prefix = f"portal-test-{uuid.uuid4().hex}"
    workers = [
        make_app(
            app.config["SQLALCHEMY_DATABASE_URI"],
            tmp_path / str(i),
            PORTAL_REDIS_URL=REDIS_URL,
            PORTAL_LOGIN_RATE_LIMIT="4 per minute",
            RATELIMIT_KEY_PREFIX=prefix,
        )
        for i in range(2)
    ]
    assert workers[0].config["RATELIMIT_STORAGE_URI"] == REDIS_URL
    # A client address of its own, so earlier runs within the minute are not counted.
    address = f"127.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"
    codes = [
        workers[i % 2]
        .test_client()
        .post(
            "/sign-in",
            data={"identifier": "0912345678", "password": "x"},
            environ_base={"REMOTE_ADDR": address},
        )
        .status_code
        for i in range(6)
    ]
    assert codes == [200, 200, 200, 200, 429, 429]
    from portal.extensions import db

    for worker in workers:
        with worker.app_context():
            db.engine.dispose()
