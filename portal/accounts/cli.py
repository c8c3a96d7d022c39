"""``flask accounts``: create administrators and issue reset links from the command line,
so nobody is locked out for good, even the last administrator."""

from __future__ import annotations

import click
from flask import current_app, url_for
from flask.cli import AppGroup

from portal.accounts import operations, queries
from portal.accounts.identifiers import IdentifierError, parse_identifier
from portal.accounts.models import Role
from portal.extensions import db

accounts_cli = AppGroup("accounts", help="Manage accounts from the command line.")


@accounts_cli.command("create-admin")
@click.argument("identifier")
@click.option("--name", required=True, help="Full name.")
@click.password_option(help="Password (asked for when not given).")
def create_admin(identifier: str, name: str, password: str) -> None:
    """Create an administrator who signs in with IDENTIFIER (mobile number or e-mail)."""
    try:
        kind, value = parse_identifier(identifier)
    except IdentifierError as exc:
        raise click.BadParameter(str(exc), param_hint="IDENTIFIER") from None
    try:
        user = operations.create_user(
            full_name=name, password=password, roles=(Role.LEARNER, Role.ADMIN), **{kind: value}
        )
    except operations.AccountError as exc:
        raise click.ClickException(exc.code) from None
    db.session.commit()
    click.echo(f"administrator {user.id} created")


@accounts_cli.command("reset-link")
@click.argument("identifier")
@click.option("--base-url", default="http://127.0.0.1:5000", show_default=True)
def reset_link(identifier: str, base_url: str) -> None:
    """Print a one-time password-reset link for the account IDENTIFIER."""
    user = queries.user_by_identifier(identifier)
    if user is None:
        raise click.ClickException("no account with that mobile number or e-mail address")
    token = operations.issue_reset_token(user, hours=current_app.config["PORTAL_RESET_TOKEN_HOURS"])
    db.session.commit()
    with current_app.test_request_context(base_url=base_url):
        click.echo(url_for("accounts.reset_password", token=token, _external=True))
