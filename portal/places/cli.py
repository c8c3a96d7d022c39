"""``flask places``: load the administrative units and look them up."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import click
from flask.cli import AppGroup

from portal.extensions import db
from portal.places import operations, queries

places_cli = AppGroup("places", help="Vietnam's administrative units, versioned by date.")


@places_cli.command("load")
@click.option(
    "--data-dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=operations.DATA_DIR,
    show_default=True,
    help="Folder holding units.csv and successions.csv.",
)
def load(data_dir: Path) -> None:
    """Load or update the units and their successions from the data files. Safe to re-run:
    it only changes what differs."""
    with click.progressbar(
        length=operations.load_size(data_dir), label="Loading administrative units"
    ) as bar:
        try:
            result = operations.load_units(data_dir, on_progress=bar.update)
        except operations.DataFileError as exc:
            db.session.rollback()
            raise click.ClickException(str(exc)) from None
    db.session.commit()
    for label, counts in (("units", result.units), ("successions", result.successions)):
        click.echo(f"{label}: " + ", ".join(f"{n} {what}" for what, n in sorted(counts.items())))
    day = queries.today()
    counts = queries.counts_in_force(day)
    click.echo(f"in force on {day.isoformat()}:")
    for (level, kind), n in sorted(counts.items()):
        click.echo(f"  {level:<9} {kind:<15} {n:>6}")


@places_cli.command("show")
@click.argument("code")
@click.option(
    "--on",
    "day",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Only the unit in force on this day (YYYY-MM-DD).",
)
def show(code: str, day: datetime | None) -> None:
    """Show every unit that has carried CODE: period, parent, children, successions."""
    units = queries.units_with_code(code)
    if day is not None:
        units = [u for u in units if u.in_force_on(day.date())]
    if not units:
        raise click.ClickException(f"no unit has code {code}")
    for unit in units:
        click.echo(f"{unit.level} {unit.code} {unit.name} ({unit.kind})")
        click.echo(f"  in force: {_day(unit.valid_from) or '…'} – {_day(unit.last_day) or '…'}")
        if unit.parent is not None:
            click.echo(f"  parent: {unit.parent.level} {unit.parent.code} {unit.parent.name}")
        click.echo(f"  children: {len(queries.children(unit))}")
        for s in queries.predecessors(unit):
            click.echo(
                f"  from {s.old_unit.level} {s.old_unit.code} {s.old_unit.name}"
                f"{' (part)' if s.is_partial else ''} on {_day(s.effective_on)}"
            )
        for s in queries.successors(unit):
            click.echo(
                f"  into {s.new_unit.level} {s.new_unit.code} {s.new_unit.name}"
                f"{' (part)' if s.is_partial else ''} on {_day(s.effective_on)}"
            )


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""
