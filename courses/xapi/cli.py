"""``flask xapi``: issue, list and revoke the credentials of LRS clients."""

from __future__ import annotations

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from courses.xapi import clients
from courses.xapi.models import LrsClient
from portal.extensions import db


@click.group("xapi")
def xapi_cli() -> None:
    """The xAPI learning record store: credentials of its clients."""


@xapi_cli.command("add-client")
@click.argument("name")
@click.option(
    "--scope",
    "scopes",
    multiple=True,
    type=click.Choice(clients.SCOPES),
    help="A scope to grant (repeat the option); default: "
    + ", ".join(clients.DEFAULT_SCOPES)
    + ".",
)
@click.option(
    "--rate-limit", default=clients.DEFAULT_RATE_LIMIT, show_default=True, help="Requests allowed."
)
@with_appcontext
def add_client(name: str, scopes: tuple[str, ...], rate_limit: str) -> None:
    """Issue credentials to the client NAME and print its key and secret (shown once)."""
    try:
        issued = clients.issue(name, scopes=scopes or clients.DEFAULT_SCOPES, rate_limit=rate_limit)
    except clients.ClientError as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"key:    {issued.client.key}")
    click.echo(f"secret: {issued.secret}")
    click.echo(f"scopes: {' '.join(issued.client.scopes)}")


@xapi_cli.command("clients")
@with_appcontext
def list_clients() -> None:
    """List the clients, revoked ones too."""
    for client in db.session.scalars(sa.select(LrsClient).order_by(LrsClient.id)):
        state = "revoked" if client.is_revoked else "active"
        click.echo(f"{client.key}  {state:7}  {' '.join(client.scopes)}  {client.name}")


@xapi_cli.command("revoke-client")
@click.argument("key")
@with_appcontext
def revoke_client(key: str) -> None:
    """Revoke the credentials whose key is KEY."""
    client = db.session.scalar(sa.select(LrsClient).where(LrsClient.key == key))
    if client is None:
        raise click.ClickException(f"no client with the key {key}")
    clients.revoke(client)
    db.session.commit()
    click.echo(f"{key} revoked")
