"""URL rules of the reports, and ``flask reports rebuild``."""

import click
from flask import Blueprint

from portal.extensions import db
from portal.reports import areas, summaries, views

summaries.listen()

bp = Blueprint(
    "reports", __name__, template_folder="templates", url_prefix="/reports", cli_group="reports"
)

bp.cli.help = "Report summary tables and the communes' areas."

bp.add_url_rule("", "country", views.country)
bp.add_url_rule("/provinces/<code>", "province", views.province)
bp.add_url_rule("/communes/<code>", "commune", views.commune)


@bp.cli.command("rebuild")
def rebuild() -> None:
    """Recompute the report summary tables from the assessments, places and users."""
    counts = summaries.rebuild(db.session.connection())
    db.session.commit()
    for table, count in counts.items():
        click.echo(f"{table}: {count} rows")


@bp.cli.command("areas")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def load_areas(path: str) -> None:
    """Load which communes are in ethnic-minority areas and mountainous (a CSV file with the
    columns code, ethnic_minority_area, mountainous; see portal/reports/areas.py)."""
    try:
        with open(path, encoding="utf-8-sig") as handle:
            result = areas.load(handle.read())
    except UnicodeDecodeError:
        raise click.ClickException(f"{path}: not UTF-8 text") from None
    except areas.AreasFileError as error:
        db.session.rollback()
        raise click.ClickException(f"{path}: " + "; ".join(error.problems)) from None
    db.session.commit()
    click.echo(f"{result.added} added, {result.changed} changed, {result.unchanged} unchanged")
