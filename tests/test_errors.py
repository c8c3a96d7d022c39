"""Error pages in the visitor's language; a database outage is a 503, never a raw 500."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import OperationalError


@pytest.mark.parametrize(
    ("path", "method", "code"),
    [
        ("/no-such-page", "GET", 404),
        ("/sign-out", "GET", 405),
        ("/api/v1/nothing", "GET", 404),
    ],
)
def test_error_pages_answer_with_their_status(client, path, method, code):
    response = client.open(path, method=method)
    assert response.status_code == code
    assert response.headers["Content-Security-Policy"]


def test_404_speaks_the_visitors_language(client):
    vi = client.get("/no-such-page").get_data(as_text=True)
    en = client.get("/no-such-page?lang=en").get_data(as_text=True)
    assert "Page not found" in en
    assert "Page not found" not in vi
    assert '<html lang="vi"' in vi


def test_api_errors_are_problem_json(client):
    response = client.get("/api/v1/nothing")
    assert response.mimetype == "application/problem+json"
    problem = response.get_json()
    assert problem["status"] == 404
    assert problem["title"] == "Page not found"
    assert {"type", "detail"} <= set(problem)


def test_an_oversized_request_gets_413(client, app):
    limit = app.config["MAX_CONTENT_LENGTH"]
    response = client.post(
        "/sign-in", data=b"x" * (limit + 1), content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 413


def test_a_database_outage_shows_a_503_page(client, app, monkeypatch):
    from portal.pages import views

    def broken(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(views.db.session, "execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert "<h1>" in response.get_data(as_text=True)


def test_an_unexpected_error_is_a_500_page_in_the_visitors_language(app, tmp_path):
    from tests.conftest import make_app

    application = make_app(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path, TESTING=False)

    @application.get("/__boom")
    def boom():
        raise RuntimeError("boom")

    response = application.test_client().get("/__boom?lang=en")
    assert response.status_code == 500
    assert "Something went wrong" in response.get_data(as_text=True)
    from portal.extensions import db

    with application.app_context():
        db.engine.dispose()
