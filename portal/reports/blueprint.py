"""URL rules of the reports, and ``flask reports rebuild``."""

import click
from flask import Blueprint

from portal.extensions import db
from portal.reports import summaries, views

summaries.listen()

bp = Blueprint(
    "reports", __name__, template_folder="templates", url_prefix="/reports", cli_group="reports"
)

bp.cli.help = "Report summary tables: rebuild them from the source rows."

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
