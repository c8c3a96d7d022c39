"""``flask oai``: harvesting other repositories."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _

from courses.oai.harvester import HarvestError, harvest
from portal.extensions import db


@click.group("oai")
def oai_cli() -> None:
    """OAI-PMH: harvest other repositories' records into search."""


@oai_cli.command("harvest")
@click.argument("url")
@click.option("--set", "set_spec", default=None, help="Harvest only this set (setSpec).")
@with_appcontext
def harvest_command(url: str, set_spec: str | None) -> None:
    """Import the oai_dc records of the repository at URL changed since the last harvest."""
    try:
        result = harvest(url, set_spec)
    except HarvestError as error:
        db.session.rollback()
        raise click.ClickException(
            _("Nothing was harvested. %(reason)s", reason=str(error))
        ) from error
    db.session.commit()
    click.echo(
        _(
            "%(added)d added, %(updated)d updated, %(deleted)d deleted (%(seen)d records read).",
            added=result.added,
            updated=result.updated,
            deleted=result.deleted,
            seen=result.seen,
        )
    )
