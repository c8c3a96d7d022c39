"""``flask storage check``: probe the backend, then compare the keys the database references
with the stored files (missing files, orphans)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import click
from flask import current_app
from flask.cli import AppGroup

from portal.storage.app import get_storage
from portal.storage.base import Storage, StorageError


@dataclass
class Consistency:
    """What ``flask storage check`` found: referenced keys without a file, and files under a
    declared folder that nothing references (orphans)."""

    missing: list[str]
    orphans: list[str]


def check_consistency(storage: Storage, *, min_age: timedelta = timedelta(hours=1)) -> Consistency:
    """Compare the keys every registered source references with the stored files. Files
    younger than ``min_age`` are not orphans yet (an upload may be committing)."""
    result = Consistency([], [])
    newest = datetime.now(UTC) - min_age
    for prefix, keys in current_app.extensions.get("storage_key_sources", []):
        referenced = set(keys())
        stored = dict(storage.iter_files(prefix))
        result.missing += sorted(k for k in referenced if k not in stored)
        result.orphans += sorted(
            k for k, modified in stored.items() if k not in referenced and modified <= newest
        )
    return result


storage_cli = AppGroup("storage", help="Check where uploaded files are kept.")


@storage_cli.command("check")
@click.option(
    "--delete-orphans", is_flag=True, help="Delete stored files that no database row references."
)
@click.option(
    "--min-age",
    type=click.IntRange(min=0),
    default=60,
    show_default=True,
    help="Minutes a file must have existed before it counts as an orphan.",
)
def check_command(delete_orphans: bool, min_age: int) -> None:
    """Write, read back and delete a probe file; then report database rows whose file is
    missing and files no row references. Exit 1 when the storage cannot be used, a file is
    missing, or orphans are left."""
    from sqlalchemy.exc import SQLAlchemyError

    storage = get_storage()
    try:
        storage.check()
    except StorageError as exc:
        raise click.ClickException(f"{storage.describe()}: {exc}") from None
    click.echo(f"ok: {storage.describe()}")
    try:
        found = check_consistency(storage, min_age=timedelta(minutes=min_age))
    except SQLAlchemyError as exc:
        click.echo(f"files not compared: the database cannot be read ({type(exc).__name__})")
        return
    for key in found.missing:
        click.echo(f"missing: {key}")
    for key in found.orphans:
        if delete_orphans:
            storage.delete(key)
            click.echo(f"deleted orphan: {key}")
        else:
            click.echo(f"orphan: {key}")
    if found.missing or (found.orphans and not delete_orphans):
        raise SystemExit(1)
