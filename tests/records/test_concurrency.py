"""N concurrent writers × M events give exactly N×M statements, and summaries equal a
rebuild — with real threads, each with its own app context and session, committing to a real
database file (SQLite) or server (PostgreSQL)."""

from __future__ import annotations

import random
import threading

import pytest
import sqlalchemy as sa

from courses.records import operations
from courses.records.models import Statement
from portal.extensions import db
from tests.records.conftest import random_statement, summaries

WRITERS = 8
EVENTS = 25


@pytest.mark.parametrize("learners", [3, 1])
def test_concurrent_writers_store_every_statement_and_lose_no_update(committed_app, learners):
    """With one learner every writer updates the same summary rows."""
    from portal.accounts import operations as accounts

    with committed_app.app_context():
        users = [
            accounts.create_user(full_name=f"Học viên {n}", password="x" * 12, email=f"{n}@ex.vn")
            for n in range(learners)
        ]
        db.session.commit()
        ids = [u.id for u in users]
        db.session.remove()
        rng = random.Random(42)
        batches = [[random_statement(rng, ids) for _ in range(EVENTS)] for _ in range(WRITERS)]

    start = threading.Barrier(WRITERS)
    errors: list[BaseException] = []

    def write(batch):
        try:
            with committed_app.app_context():
                start.wait()
                for sent in batch:
                    operations.record(sent)
                    db.session.commit()
                db.session.remove()
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(batch,)) for batch in batches]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []

    with committed_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Statement.id))) == WRITERS * EVENTS
        live = summaries()
        db.session.remove()

    runner = committed_app.test_cli_runner()
    result = runner.invoke(args=["records", "rebuild", "--batch", "50"])
    assert result.exit_code == 0, result.output
    assert f"{WRITERS * EVENTS} statements replayed" in result.output
    with committed_app.app_context():
        assert summaries() == live
        db.session.remove()

    result = runner.invoke(args=["records", "stats"])
    assert result.exit_code == 0 and f"statements: {WRITERS * EVENTS}" in result.output


def test_the_same_statement_sent_by_concurrent_writers_is_stored_once(committed_app):
    from portal.accounts import operations as accounts

    with committed_app.app_context():
        user = accounts.create_user(full_name="Lan", password="x" * 12, email="lan@ex.vn")
        db.session.commit()
        sent = random_statement(random.Random(5), [user.id])
        db.session.remove()
    start = threading.Barrier(WRITERS)
    stored: list[str] = []
    errors: list[BaseException] = []

    def write():
        try:
            with committed_app.app_context():
                start.wait()
                stored.append(operations.record(sent).statement_id)
                db.session.commit()
                db.session.remove()
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=write) for _ in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert stored == [sent["id"]] * WRITERS
    with committed_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Statement.id))) == 1
        live = summaries()
        operations.rebuild()
        assert summaries() == live
        db.session.rollback()
        db.session.remove()
