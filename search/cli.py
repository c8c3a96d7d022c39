"""``flask search``: follow the outbox, rebuild, compare, prune, show status."""

from __future__ import annotations

import signal
import sys
from typing import Any

import click
from flask import current_app
from flask.cli import AppGroup

from search.service import SearchService

search_cli = AppGroup("search", help="The full-text index: indexing, rebuilding, checking.")


def _service() -> SearchService:
    return current_app.extensions["search"]  # type: ignore[no-any-return]


@search_cli.command("worker")
@click.option("--once", is_flag=True, help="Apply what is waiting and exit.")
@click.option("--poll", type=float, default=None, help="Seconds between looks at the outbox.")
def worker(once: bool, poll: float | None) -> None:
    """Follow the outbox into this host's index (run one per host with SEARCH_INDEXING=off)."""
    service = _service()
    if poll is not None:
        service.poll = poll

    def stop(*_: Any) -> None:
        service.stop()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    click.echo(f"Following the outbox into {service.store.live_path()} every {service.poll:g} s")
    service.follow(once=once)
    click.echo(f"Stopped at outbox row {service.cursor()}.")


@search_cli.command("reindex")
def reindex() -> None:
    """Build a new index beside the live one and swap it in; searches go on meanwhile."""
    service = _service()
    roots = list(service.backend.source().all_roots())
    with click.progressbar(length=len(roots), label="Indexing") as bar:
        count = service.reindex(progress=bar.update)
    click.echo(f"{count} documents indexed; live index: {service.store.live_path().name}")


@search_cli.command("check")
@click.option("--no-drain", is_flag=True, help="Compare as is, without applying the outbox.")
def check(no_drain: bool) -> None:
    """List documents missing from, stale in or extra in the index; exit 1 if any."""
    service = _service()
    if not no_drain:
        service.drain()
    report = service.check()
    for label, keys in (("missing", report.missing), ("stale", report.stale),
                        ("extra", report.extra)):  # fmt: skip
        for key in keys:
            click.echo(f"{label}\t{key}")
    if report.outdated_schema:
        click.echo("The index was built with another schema version: run `flask search reindex`.")
    if report.behind:
        click.echo("The outbox was pruned past this index: run `flask search reindex`.")
    if not report.ok:
        click.echo(
            f"{len(report.missing)} missing, {len(report.stale)} stale, {len(report.extra)} extra.",
            err=True,
        )
        sys.exit(1)
    click.echo("The index matches the database.")


@search_cli.command("prune")
@click.option("--keep-days", type=int, default=30, show_default=True,
              help="Hosts not seen for this long no longer hold rows back.")  # fmt: skip
def prune(keep_days: int) -> None:
    """Delete outbox rows that every host's index has applied."""
    deleted = _service().backend.prune(keep_days)
    click.echo(f"{deleted} outbox rows deleted.")


@search_cli.command("status")
def status() -> None:
    """Where the live index is, how many documents it has, and how far it follows."""
    service = _service()
    source = service.backend.source()
    with service.store.searcher() as searcher:
        documents = searcher.doc_count() - (1 if searcher.document(key="~state") else 0)
    click.echo(f"index:     {service.store.live_path()}")
    click.echo(f"documents: {documents}")
    click.echo(f"cursor:    {service.cursor()} of {source.last_change()}")
    click.echo(f"indexing:  {service.mode}")
