"""How many learning statements per second does the portal record?

There is no HTTP endpoint for statements yet (the xAPI LRS comes with issue 7), so "the
public path" is the operation the views and the LRS will call: ``courses.records.operations
.record(statement)`` followed by ``db.session.commit()`` — validation, normalisation, the
statement row and the summary updates (progress, hours) in one transaction per statement.

For each backend (SQLite in a temporary file; PostgreSQL in a scratch database created on
``--pg-url`` and dropped afterwards) and each writer count (1 and 8 threads, each with its own
app context and session), on a fresh migrated database with ``--learners`` users, it records
``--statements`` statements (default 2,000, spread over the writers) and prints statements per
second. In the same run it measures a baseline: a bare ``INSERT`` of the same statement JSON
into a one-table database (same driver, same WAL/synchronous settings on SQLite, one commit per
statement), and prints the ratio portal/bare.

Run from the repository root: ``.venv/bin/python bench/records.py`` (``--help`` for knobs).
Every run is bounded by ``--statements``; figures move with the machine, compare ratios.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import random
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402

from courses.records import iri, operations, verbs  # noqa: E402
from portal import create_app  # noqa: E402
from portal.extensions import db  # noqa: E402

T0 = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


def make_statements(count: int, user_ids: list[int], seed: int = 1) -> list[dict[str, Any]]:
    """A realistic mix: lessons experienced and completed, quizzes, course completions."""
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        course = rng.randint(1, 20)
        lesson = iri.activity_iri("lesson", course * 100 + rng.randint(1, 12))
        verb, activity = rng.choice(
            [
                (verbs.EXPERIENCED, lesson),
                (verbs.COMPLETED, lesson),
                (verbs.ANSWERED, iri.activity_iri("question", rng.randint(1, 500))),
                (verbs.PASSED, iri.activity_iri("quiz", course)),
                (verbs.COMPLETED, iri.activity_iri("course", course)),
            ]
        )
        out.append(
            {
                "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                "actor": iri.user_agent(rng.choice(user_ids)),
                "verb": {"id": verb, "display": verbs.display(verb)},
                "object": {"objectType": "Activity", "id": activity},
                "result": {
                    "duration": f"PT{rng.randint(1, 40)}M",
                    "score": {"scaled": round(rng.random(), 2)},
                    "completion": verb == verbs.COMPLETED,
                },
                "context": {
                    "language": "vi",
                    "contextActivities": {"grouping": [{"id": iri.activity_iri("course", course)}]},
                    "extensions": {iri.lesson_count_extension(): 12},
                },
                "timestamp": (T0 + timedelta(minutes=rng.randint(0, 500_000))).isoformat(),
            }
        )
    return out


def run_threads(writers: int, batches: list[list[Any]], work: Callable[[list[Any]], None]) -> float:
    """Run ``work(batch)`` in ``writers`` threads started together; seconds taken."""
    barrier = threading.Barrier(writers + 1)
    errors: list[BaseException] = []

    def target(batch: list[Any]) -> None:
        barrier.wait()
        try:
            work(batch)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=target, args=(b,)) for b in batches]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise errors[0]
    return elapsed


def split(items: list[Any], parts: int) -> list[list[Any]]:
    return [items[i::parts] for i in range(parts)]


@contextlib.contextmanager
def database(backend: str, folder: Path, pg_url: str, name: str) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{folder / (name + '.sqlite3')}"
        return
    server = sa.engine.make_url(pg_url).set(drivername="postgresql+psycopg")
    scratch = f"bench_{name}_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE DATABASE \"{scratch}\" ENCODING 'UTF8' TEMPLATE template0")
    try:
        yield server.set(database=scratch).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
        admin.dispose()


def portal_rate(url: str, folder: Path, writers: int, args: argparse.Namespace) -> float:
    app = create_app(
        {
            "PORTAL_DATABASE_URL": url,
            "PORTAL_INSTANCE_PATH": str(folder / "instance"),
            "PORTAL_SECRET_KEY": "bench-secret-key-0123456789",
            "PORTAL_LOG_LEVEL": "WARNING",
        }
    )
    from portal.accounts import operations as accounts

    with app.app_context():
        upgrade()
        users = [
            accounts.create_user(full_name=f"Học viên {n}", password="x" * 12, email=f"{n}@b.vn")
            for n in range(args.learners)
        ]
        db.session.commit()
        statements = make_statements(args.statements, [u.id for u in users])
        db.session.remove()

    def work(batch: list[dict[str, Any]]) -> None:
        with app.app_context():
            for statement in batch:
                operations.record(statement)
                db.session.commit()
            db.session.remove()

    elapsed = run_threads(writers, split(statements, writers), work)
    with app.app_context():
        stored = db.session.scalar(sa.text("SELECT count(*) FROM learning_statements"))
        db.engine.dispose()
    assert stored == args.statements, (stored, args.statements)
    return args.statements / elapsed


def bare_rate(url: str, writers: int, args: argparse.Namespace) -> float:
    engine = sa.create_engine(url, pool_size=writers, max_overflow=0)
    if engine.dialect.name == "sqlite":

        @sa.event.listens_for(engine, "connect")
        def on_connect(dbapi_connection, _record):  # type: ignore[no-untyped-def]
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA busy_timeout = 10000")
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
            cursor.close()

    json_type = "JSONB" if engine.dialect.name == "postgresql" else "JSON"
    with engine.begin() as conn:
        conn.exec_driver_sql(
            f"CREATE TABLE statements (id {'BIGSERIAL' if json_type == 'JSONB' else 'INTEGER'}"
            f" PRIMARY KEY, statement_id VARCHAR(36) UNIQUE NOT NULL, data {json_type} NOT NULL)"
        )
    with create_app(
        {"PORTAL_SECRET_KEY": "bench-secret-key-0123456789", "PORTAL_LOG_LEVEL": "WARNING"}
    ).app_context():
        statements = make_statements(args.statements, list(range(1, args.learners + 1)))
    insert = sa.text("INSERT INTO statements (statement_id, data) VALUES (:id, :data)")

    def work(batch: list[dict[str, Any]]) -> None:
        with engine.connect() as conn:
            for statement in batch:
                conn.execute(insert, {"id": statement["id"], "data": json.dumps(statement)})
                conn.commit()

    elapsed = run_threads(writers, split(statements, writers), work)
    engine.dispose()
    return args.statements / elapsed


def pg_available(pg_url: str) -> bool:
    engine = sa.create_engine(sa.engine.make_url(pg_url).set(drivername="postgresql+psycopg"))
    try:
        with engine.connect():
            return True
    except sa.exc.OperationalError:
        return False
    finally:
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--statements", type=int, default=2000, help="statements per row")
    parser.add_argument("--learners", type=int, default=50, help="portal users")
    parser.add_argument("--writers", default="1,8", help="comma-separated thread counts")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--pg-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)

    print(
        "Learning statements recorded per second. No HTTP endpoint exists yet: the public "
        "path is\ncourses.records.operations.record() + commit, one transaction per statement "
        "(as a view or the LRS will call it).\nBaseline: a bare INSERT of the same JSON into a "
        "one-table database, one commit per statement.\n"
    )
    header = f"{'backend':<11}{'writers':>8}{'portal/s':>11}{'bare/s':>10}{'ratio':>8}"
    print(header)
    print("-" * len(header))
    with tempfile.TemporaryDirectory(prefix="records-bench-") as tmp:
        folder = Path(tmp)
        for backend in args.backends.split(","):
            if backend == "postgresql" and not pg_available(args.pg_url):
                print(f"{backend:<11}  skipped: no server at {args.pg_url}")
                continue
            for writers in (int(w) for w in args.writers.split(",")):
                with database(backend, folder, args.pg_url, f"portal{writers}") as url:
                    portal = portal_rate(url, folder, writers, args)
                with database(backend, folder, args.pg_url, f"bare{writers}") as url:
                    bare = bare_rate(url, writers, args)
                print(f"{backend:<11}{writers:>8}{portal:>11.0f}{bare:>10.0f}{portal / bare:>8.2f}")
    print(f"\n{args.statements} statements per row, {args.learners} learners, 20 courses.")


if __name__ == "__main__":
    main()
