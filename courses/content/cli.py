"""``flask content``: import and export resources and courses.

A package is a folder or a ``.zip`` holding ``content.json`` and ``files/…``; see
docs/content-format.md.
"""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from courses.content import exporter
from courses.content.format import PackageError, open_package
from courses.content.importer import ImportResult, default_owner, import_package
from portal.accounts import queries as accounts
from portal.extensions import db

content_cli = AppGroup("content", help="Import and export resources and courses.")


def max_file_bytes() -> int:
    return int(current_app.config["PORTAL_MAX_ATTACHMENT_MB"]) * 1024 * 1024


@content_cli.command("import")
@click.argument("path", type=click.Path(exists=True))
@click.option(
    "--owner",
    metavar="PHONE_OR_EMAIL",
    help="Account that owns new items and publishes resources (default: the first admin).",
)
@click.option("--dry-run", is_flag=True, help="Check and count, then save nothing.")
def import_command(path: str, owner: str | None, dry_run: bool) -> None:
    """Import the package at PATH (folder or .zip). The whole package is checked first;
    nothing is saved when anything is wrong. Importing it again changes nothing."""
    user = accounts.user_by_identifier(owner) if owner else default_owner()
    if user is None:
        raise click.ClickException(
            f"no account {owner!r}" if owner else "no administrator: pass --owner PHONE_OR_EMAIL"
        )
    result = ImportResult()
    try:
        package = open_package(path)
        try:
            import_package(package, user, max_file_bytes=max_file_bytes(), result=result)
        finally:
            package.close()
    except PackageError as exc:
        db.session.rollback()
        result.discard_files()
        for problem in exc.problems:
            click.echo(f"error: {problem}", err=True)
        raise click.ClickException(
            f"{path}: {len(exc.problems)} problem(s), nothing imported"
        ) from exc
    except Exception:
        db.session.rollback()
        result.discard_files()
        raise
    if dry_run:
        db.session.rollback()
        result.discard_files()
    else:
        db.session.commit()
    click.echo(summary(result, dry_run=dry_run))


def summary(result: ImportResult, *, dry_run: bool = False) -> str:
    lines = []
    for kind, label in (("resource", "resources"), ("course", "courses")):
        counts = result.counts[kind]
        lines.append(
            f"{label}: {counts['created']} created, {counts['updated']} updated, "
            f"{counts['unchanged']} unchanged"
        )
    if dry_run:
        lines.append("dry run: nothing saved")
    return "\n".join(lines)


@content_cli.command("export")
@click.option(
    "--out",
    default="content-export.zip",
    show_default=True,
    help="A .zip file, or a folder for anything else.",
)
@click.option("--course", "courses", multiple=True, metavar="KEY_OR_ID", help="Export this course.")
@click.option(
    "--resource", "resources", multiple=True, metavar="KEY_OR_ID", help="Export this resource."
)
def export_command(out: str, courses: tuple[str, ...], resources: tuple[str, ...]) -> None:
    """Export every resource and course, or the named ones (with the resources their
    lessons attach and the courses they require), with every translation and file."""
    try:
        done = exporter.export_package(out, courses, resources)
    except exporter.NotFoundError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    db.session.commit()  # keys made for items that had none
    click.echo(
        f"exported {done.resources} resources, {done.courses} courses, {done.files} files to {out}"
    )
