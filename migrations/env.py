"""Alembic environment: migrations run on the app's own engine (so SQLite gets its
foreign-key and transaction settings), in batch mode on SQLite."""

from __future__ import annotations

import logging

from alembic import context
from flask import current_app

from portal.db_types import UTCDateTime

logger = logging.getLogger("alembic.env")
config = context.config
target_db = current_app.extensions["migrate"].db


def render_item(type_, obj, autogen_context):  # type: ignore[no-untyped-def]
    """Write portal column types as plain SQLAlchemy types in revision files."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def compare_type(
    context,
    inspected_column,
    metadata_column,
    inspected_type,  # type: ignore[no-untyped-def]
    metadata_type,
):
    if isinstance(metadata_type, UTCDateTime):
        return context.impl.compare_type(
            inspected_column, metadata_column.copy(type_=metadata_type.impl)
        )
    return None  # Alembic's own comparison


def _configure(**kwargs) -> None:  # type: ignore[no-untyped-def]
    options = dict(current_app.extensions["migrate"].configure_args)
    options.update(
        target_metadata=target_db.metadata,
        render_as_batch=True,
        compare_type=compare_type,
        render_item=render_item,
        **kwargs,
    )
    context.configure(**options)


def run_migrations_offline() -> None:
    _configure(url=str(target_db.engine.url), literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    def process_revision_directives(context, revision, directives):  # type: ignore[no-untyped-def]
        if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
            directives[:] = []
            logger.info("No changes in schema detected.")

    with target_db.engine.connect() as connection:
        _configure(connection=connection, process_revision_directives=process_revision_directives)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
