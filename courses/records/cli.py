"""``flask records``: rebuild the learning summaries from the statements, and count them."""

from __future__ import annotations

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from courses.records import operations
from courses.records.models import LearnerCourseProgress, LearnerYearHours, Statement
from portal.extensions import db

records_cli = AppGroup("records", help="Learning records: xAPI statements and summaries.")


@records_cli.command("rebuild")
@click.option("--batch", default=1000, show_default=True, help="Statements read per batch.")
def rebuild_command(batch: int) -> None:
    """Empty the summary tables (progress, hours, completions) and replay every statement
    that is not voided, in stored order, in one transaction."""
    total = db.session.scalar(sa.select(sa.func.count(Statement.id))) or 0
    with click.progressbar(length=total, label="Replaying statements") as bar:
        counts = operations.rebuild(batch=batch, progress=bar.update)
    db.session.commit()
    click.echo(
        f"{counts.statements} statements replayed: {counts.progress_rows} progress rows, "
        f"{counts.hours_rows} learner-year rows."
    )


@records_cli.command("stats")
def stats_command() -> None:
    """Count statements (voided ones too) and summary rows."""
    count = sa.func.count

    def scalar(query: sa.Select) -> int:  # type: ignore[type-arg]
        return db.session.scalar(query) or 0

    click.echo(f"statements: {scalar(sa.select(count(Statement.id)))}")
    voided = scalar(sa.select(count(Statement.id)).where(Statement.is_voided.is_(True)))
    click.echo(f"voided: {voided}")
    learners = scalar(sa.select(count(sa.distinct(Statement.user_id))))
    click.echo(f"learners: {learners}")
    click.echo(f"progress rows: {scalar(sa.select(count(LearnerCourseProgress.id)))}")
    completed = scalar(
        sa.select(count(LearnerCourseProgress.id)).where(
            LearnerCourseProgress.completed_at.is_not(None)
        )
    )
    click.echo(f"course completions: {completed}")
    click.echo(f"learner-year rows: {scalar(sa.select(count(LearnerYearHours.id)))}")
