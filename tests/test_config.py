"""Configuration is checked at start; a bad or missing value names the variable."""

from __future__ import annotations

from pathlib import Path

import pytest

from portal import create_app
from portal.config import SETTINGS, ConfigError, load

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("PORTAL_ENV", "staging"),
        ("PORTAL_DATABASE_URL", "mysql://root@localhost/portal"),
        ("PORTAL_MAX_UPLOAD_MB", "-3"),
        ("PORTAL_MAX_UPLOAD_MB", "lots"),
        ("PORTAL_HTTPS", "maybe"),
        ("PORTAL_DEFAULT_LANGUAGE", "zz"),
        ("PORTAL_REDIS_URL", "http://127.0.0.1:6379"),
        ("PORTAL_SECRET_KEY", "short"),
        ("PORTAL_PROXY_COUNT", "one"),
    ],
)
def test_a_bad_value_stops_the_app_naming_the_variable(tmp_path, variable, value):
    environ = {"PORTAL_INSTANCE_PATH": str(tmp_path), variable: value}
    with pytest.raises(ConfigError, match=variable):
        load(environ=environ)


def test_production_requires_a_secret_key(tmp_path):
    with pytest.raises(ConfigError, match="PORTAL_SECRET_KEY"):
        load(environ={"PORTAL_ENV": "production", "PORTAL_INSTANCE_PATH": str(tmp_path)})


def test_production_turns_on_secure_cookies_and_https(tmp_path):
    config = load(
        environ={
            "PORTAL_ENV": "production",
            "PORTAL_INSTANCE_PATH": str(tmp_path),
            "PORTAL_SECRET_KEY": "x" * 32,
            "PORTAL_CREDENTIAL_KEY": "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq",
        }
    )
    assert config["SESSION_COOKIE_SECURE"] and config["REMEMBER_COOKIE_SECURE"]
    assert config["SESSION_COOKIE_HTTPONLY"] and config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_embedded_defaults_live_in_the_instance_folder(tmp_path):
    config = load(environ={"PORTAL_INSTANCE_PATH": str(tmp_path)})
    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'portal.sqlite3'}"
    assert config["PORTAL_UPLOAD_DIR"] == str(tmp_path / "uploads")
    assert config["PORTAL_SEARCH_DIR"] == str(tmp_path / "search")
    assert config["RATELIMIT_STORAGE_URI"] == "memory://"
    # A development secret is made once and kept.
    assert (
        load(environ={"PORTAL_INSTANCE_PATH": str(tmp_path)})["SECRET_KEY"] == config["SECRET_KEY"]
    )


def test_redis_url_moves_rate_limits_to_redis(tmp_path):
    config = load(
        environ={
            "PORTAL_INSTANCE_PATH": str(tmp_path),
            "PORTAL_REDIS_URL": "redis://127.0.0.1:6379/3",
        }
    )
    assert config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/3"


def test_sqlite_runs_with_wal_and_foreign_keys(tmp_path):
    from sqlalchemy import text

    from portal.extensions import db

    app = create_app({"PORTAL_INSTANCE_PATH": str(tmp_path)})
    with app.app_context():
        assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        db.engine.dispose()
    assert (tmp_path / "uploads").is_dir() and (tmp_path / "search").is_dir()


def test_every_setting_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    for setting in SETTINGS:
        assert f"`{setting.env}`" in readme, setting.env


def test_postgresql_plans_every_query_for_its_values(db) -> None:
    """psycopg prepares repeated queries on the server; PostgreSQL must not switch them to
    a generic plan (see ``portal.config._engine_options``)."""
    import sqlalchemy as sa
    from flask import current_app

    if db.engine.dialect.name != "postgresql":  # SQLite has no such option
        assert "connect_args" not in current_app.config["SQLALCHEMY_ENGINE_OPTIONS"]
        return
    assert db.session.execute(sa.text("SHOW plan_cache_mode")).scalar() == "force_custom_plan"
