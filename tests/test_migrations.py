"""The migrations are the only way the schema is made: they go up from empty, down to
nothing and up again, and match the models exactly, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from portal.extensions import db
from tests.conftest import BACKENDS, make_app, scratch_database


@pytest.fixture(params=BACKENDS)
def empty_app(request, tmp_path_factory):
    with scratch_database(request.param, tmp_path_factory) as url:
        application = make_app(url, tmp_path_factory.mktemp("instance"))
        yield application
        with application.app_context():
            db.engine.dispose()


def _tables(application) -> set[str]:
    return set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}


def test_upgrade_downgrade_upgrade(empty_app):
    with empty_app.app_context():
        upgrade()
        tables = _tables(empty_app)
        assert {
            "users",
            "role_assignments",
            "admin_units",
            "villages",
            "households",
            "household_members",
        } <= tables
        downgrade(revision="base")
        assert _tables(empty_app) == set()
        upgrade()
        assert _tables(empty_app) == tables


def test_models_and_migrations_agree(empty_app):
    with empty_app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "render_as_batch": True}
            )
            diff = compare_metadata(context, db.metadata)
    assert diff == []
