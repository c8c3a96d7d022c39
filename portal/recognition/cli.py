"""``flask criteria``: load, check, list and export the criteria sets."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import select

from portal.extensions import db
from portal.recognition import sets
from portal.recognition.criteria import DATA, CriteriaError, dump, read_file
from portal.recognition.models import CriteriaSet

criteria_cli = AppGroup("criteria", help="Criteria sets of the learning-society titles.")


def _files(paths: tuple[Path, ...]) -> list[Path]:
    found: list[Path] = []
    for path in paths or (DATA,):
        if path.is_dir():
            found.extend(
                sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml", ".json"))
            )
        else:
            found.append(path)
    return found


@criteria_cli.command("check")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
def check(paths: tuple[Path, ...]) -> None:
    """Validate criteria files without loading them (default: the shipped ones)."""
    failed = 0
    for path in _files(paths):
        try:
            definition = read_file(path)
        except CriteriaError as error:
            failed += 1
            click.echo(f"{path}: {len(error.problems)} problem(s)", err=True)
            for problem in error.problems:
                click.echo(f"  {problem}", err=True)
            continue
        click.echo(
            f"{path}: {definition.code} v{definition.version} ({definition.model}), "
            f"{len(definition.indicators)} indicators, {definition.max_total} points"
        )
    if failed:
        raise SystemExit(1)


@criteria_cli.command("load")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
def load(paths: tuple[Path, ...]) -> None:
    """Load criteria files (default: the shipped ones, in portal/recognition/data/criteria).
    Every file is checked first; nothing is loaded unless all are valid. Re-running is safe."""
    definitions = []
    problems = 0
    for path in _files(paths):
        try:
            definitions.append(read_file(path))
        except CriteriaError as error:
            problems += 1
            click.echo(f"{path}:", err=True)
            for problem in error.problems:
                click.echo(f"  {problem}", err=True)
    if problems:
        raise click.ClickException(f"{problems} file(s) with problems; nothing loaded")
    try:
        for definition in definitions:
            row, outcome = sets.load(definition)
            sample = " (sample)" if row.is_sample else ""
            click.echo(f"{row.code} v{row.version}: {outcome}{sample}")
    except CriteriaError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()


@criteria_cli.command("list")
def list_sets() -> None:
    """The criteria sets in the database."""
    for row in db.session.scalars(
        select(CriteriaSet).order_by(CriteriaSet.model, CriteriaSet.code, CriteriaSet.version)
    ):
        until = row.effective_to.isoformat() if row.effective_to else "…"
        used = "in use" if sets.in_use(row) else "unused"
        sample = "sample" if row.is_sample else "official"
        click.echo(
            f"{row.model:<10} {row.code:<20} v{row.version:<3} "
            f"{row.effective_from.isoformat()}–{until}  {sample}, {used}"
        )


@criteria_cli.command("export")
@click.argument("code")
@click.option("--version", type=int, help="The version (default: the latest).")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file (default: standard output).",
)
def export(code: str, version: int | None, output: Path | None) -> None:
    """Write a stored criteria set as YAML (the same format ``load`` reads)."""
    row = sets.find(code, version)
    if row is None:
        raise click.ClickException(
            f"no criteria set {code!r}" + (f" v{version}" if version else "")
        )
    text = dump(row.definition)
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"{row.code} v{row.version} written to {output}")
