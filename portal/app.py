"""The application factory: a list of small configure_*/register_* steps."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask, Response, has_request_context, request
from sqlalchemy import event
from werkzeug.middleware.proxy_fix import ProxyFix

from portal import config as portal_config
from portal.extensions import csrf, db, limiter, login_manager, migrate

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def create_app(overrides: Mapping[str, Any] | None = None) -> Flask:
    """Build the portal. ``overrides`` are Flask config keys (or ``PORTAL_*`` settings)
    applied over the environment; tests use them."""
    settings = portal_config.load(overrides)
    app = Flask(
        __name__, instance_path=settings["PORTAL_INSTANCE_PATH"], instance_relative_config=False
    )
    app.config.update(settings)
    for step in (
        configure_logging,
        configure_folders,
        configure_storage,
        configure_proxy,
        configure_database,
        configure_i18n,
        configure_security,
        configure_login,
        register_blueprints,
        configure_search,
        register_cli,
        register_error_handlers,
        configure_templates,
    ):
        step(app)
    return app


def configure_logging(app: Flask) -> None:
    level = app.config["PORTAL_LOG_LEVEL"]
    if logging.getLevelName(level) == f"Level {level}":
        raise portal_config.ConfigError(f"PORTAL_LOG_LEVEL={level!r} is not a logging level")
    logging.getLogger("portal").setLevel(level)


def configure_folders(app: Flask) -> None:
    for key in ("PORTAL_INSTANCE_PATH", "PORTAL_UPLOAD_DIR", "PORTAL_SEARCH_DIR"):
        Path(app.config[key]).mkdir(parents=True, exist_ok=True)


def configure_storage(app: Flask) -> None:
    from portal import storage

    storage.init_app(app)


def configure_proxy(app: Flask) -> None:
    if app.config.get("PORTAL_PROXY_COUNT"):
        count = app.config["PORTAL_PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)


def configure_database(app: Flask) -> None:
    """SQLAlchemy and Alembic; SQLite gets foreign keys, WAL and real transactions."""
    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR))
    import portal.models  # noqa: F401  (every model, for Alembic and relationships)

    with app.app_context():
        engine = db.engine
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine)

    @app.after_request
    def commit_request(response: Response) -> Response:
        """The one commit of a request: changes are kept only when the request succeeded."""
        if not db.session.registry.has():
            return response  # the request never touched the database
        if response.status_code < 400:
            db.session.commit()
        else:
            db.session.rollback()
        return response


def _configure_sqlite(engine) -> None:  # type: ignore[no-untyped-def]
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        # Let SQLAlchemy emit BEGIN itself so SAVEPOINT and rollback behave (pysqlite's
        # own transaction handling gets them wrong).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA busy_timeout = 10000")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection) -> None:  # type: ignore[no-untyped-def]
        # A request that may write takes SQLite's write lock at BEGIN, so it waits for
        # other writers (busy_timeout) instead of failing with "database is locked" when
        # its read snapshot went stale before its first write.
        writes = has_request_context() and request.method not in SAFE_METHODS
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")


def configure_i18n(app: Flask) -> None:
    from portal import i18n
    from portal.extensions import babel

    i18n.init_app(app, babel)


def configure_security(app: Flask) -> None:
    from portal import security

    csrf.init_app(app)
    limiter.init_app(app)
    security.init_app(app)


def configure_login(app: Flask) -> None:
    from portal.accounts import auth

    auth.init_app(app, login_manager)


def register_blueprints(app: Flask) -> None:
    from portal.accounts.blueprint import admin_bp as accounts_admin_bp
    from portal.accounts.blueprint import bp as accounts_bp
    from portal.discover.blueprint import bp as discover_bp
    from portal.i18n.blueprint import bp as language_bp
    from portal.pages.blueprint import bp as pages_bp
    from portal.places.blueprint import bp as places_bp
    from portal.reports.blueprint import bp as reports_bp

    for blueprint in (pages_bp, language_bp, accounts_bp, accounts_admin_bp, places_bp):
        app.register_blueprint(blueprint)
    app.register_blueprint(discover_bp)
    app.register_blueprint(reports_bp)

    from courses.certificates.blueprint import admin_bp as certificates_admin_bp
    from courses.certificates.blueprint import bp as certificates_bp

    app.register_blueprint(certificates_bp)
    app.register_blueprint(certificates_admin_bp)

    from courses.oai.blueprint import init_app as init_oai
    from courses.resources.blueprint import bp as resources_bp

    app.register_blueprint(resources_bp)
    init_oai(app)

    from courses.xapi.blueprint import init_app as init_xapi

    init_xapi(app)

    from courses.api.blueprint import bp as api_bp
    from courses.courseware.blueprint import bp as courseware_bp
    from courses.dashboards.blueprint import bp as dashboards_bp
    from courses.learning.blueprint import bp as learning_bp

    app.register_blueprint(api_bp)
    for blueprint in (courseware_bp, learning_bp, dashboards_bp):
        app.register_blueprint(blueprint)

    from portal.centres.blueprint import bp as centres_bp

    app.register_blueprint(centres_bp)

    from portal.recognition.blueprint import admin_bp as titles_admin_bp
    from portal.recognition.blueprint import bp as titles_bp

    app.register_blueprint(titles_bp)
    app.register_blueprint(titles_admin_bp)


def configure_search(app: Flask) -> None:
    from portal import searching

    searching.init_app(app)


def register_cli(app: Flask) -> None:
    from courses.content.cli import content_cli
    from courses.oai.cli import oai_cli
    from courses.records.cli import records_cli
    from courses.xapi.cli import xapi_cli
    from portal.accounts.cli import accounts_cli
    from portal.demo import demo_cli
    from portal.i18n.cli import translate_cli
    from portal.places.cli import places_cli
    from portal.recognition.cli import criteria_cli
    from portal.storage import storage_cli
    from search.cli import search_cli

    app.cli.add_command(records_cli)
    app.cli.add_command(content_cli)

    for group in (
        accounts_cli,
        demo_cli,
        translate_cli,
        places_cli,
        criteria_cli,
        storage_cli,
        search_cli,
        oai_cli,
        xapi_cli,
    ):
        app.cli.add_command(group)


def register_error_handlers(app: Flask) -> None:
    from portal import errors

    errors.init_app(app)


def configure_templates(app: Flask) -> None:
    from portal import templating

    templating.init_app(app)
