"""What the benchmarks on a generated PostgreSQL register share (bench/reports.py,
bench/centres_reports.py): the scratch database and the portal app on it, a timed step, a
timed page and a client signed in as an administrator. It measures nothing itself."""

# The password is the scratch database's throw-away administrator's.
# ruff: noqa: S105

from __future__ import annotations

import argparse
import contextlib
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import make_url

ADMIN_EMAIL = "bench@example.org"
ADMIN_PASSWORD = "bench password 1"


def add_arguments(parser: argparse.ArgumentParser, database: str) -> None:
    """The options every such benchmark takes."""
    parser.add_argument("--url", default="postgresql://postgres@127.0.0.1:5432/")
    parser.add_argument("--database", default=database)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--reuse", action="store_true", help="use a kept database as it is (no generation)"
    )


@contextlib.contextmanager
def scratch_app(args: argparse.Namespace) -> Iterator[Any]:
    """The portal app on the database ``args.database``, made anew (dropped first) unless
    ``args.reuse``, and dropped at the end unless ``args.keep``."""
    from portal import create_app
    from portal.extensions import db

    server = make_url(args.url).set(drivername="postgresql+psycopg")
    admin = sa.create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    url = server.set(database=args.database).render_as_string(hide_password=False)

    def drop(conn: sa.Connection) -> None:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')

    if not args.reuse:
        with admin.connect() as conn:
            drop(conn)
            conn.exec_driver_sql(
                f"CREATE DATABASE \"{args.database}\" ENCODING 'UTF8' TEMPLATE template0"
            )
    instance = Path(tempfile.mkdtemp(prefix=f"bench-{args.database}-"))
    app = create_app({
        "TESTING": True, "PORTAL_DATABASE_URL": url, "PORTAL_INSTANCE_PATH": str(instance),
        "PORTAL_SECRET_KEY": "bench-secret-key-0123456789abcdef",
        "PORTAL_LOGIN_RATE_LIMIT": "1000 per minute", "WTF_CSRF_ENABLED": False,
        "PORTAL_SEARCH_INDEXING": "inline", "PORTAL_LOG_LEVEL": "WARNING",
    })  # fmt: skip
    print(f"Database {args.database} on {server.host}, scale {args.scale}")
    try:
        yield app
    finally:
        with app.app_context():
            db.engine.dispose()
        if not args.keep:
            with admin.connect() as conn:
                drop(conn)
        admin.dispose()


def migrate_and_load_places() -> None:
    """The schema by the migrations, and the real administrative units (in an app context)."""
    from flask_migrate import upgrade

    from portal.extensions import db
    from portal.places.operations import load_units

    step("migrations", upgrade)
    step("administrative units", load_units)
    db.session.commit()


def add_admin() -> None:
    """The administrator :func:`signed_in` signs in as (in an app context)."""
    from portal.accounts import operations as accounts
    from portal.accounts.models import Role
    from portal.extensions import db

    user = accounts.create_user(
        full_name="Bench admin", password=ADMIN_PASSWORD, email=ADMIN_EMAIL, roles=()
    )
    accounts.grant_role(user, Role.ADMIN)
    db.session.commit()


def signed_in(app: Any) -> Any:
    """A test client signed in as the administrator of :func:`add_admin`."""
    client = app.test_client()
    response = client.post("/sign-in", data={"identifier": ADMIN_EMAIL, "password": ADMIN_PASSWORD})
    assert response.status_code == 302, response.status_code
    return client


def step(label: str, work: Callable[[], Any]) -> Any:
    start = time.perf_counter()
    result = work()
    print(f"  {label:<48} {time.perf_counter() - start:8.1f} s", flush=True)
    return result


def samples(call: Callable[[], Any], runs: int) -> list[float]:
    """Seconds of each of ``runs`` calls after one warm-up."""
    call()
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        seconds.append(time.perf_counter() - start)
    return seconds


def timed(call: Callable[[], Any], runs: int) -> tuple[float, float]:
    """Median and slowest seconds of ``runs`` calls after one warm-up."""
    seconds = samples(call, runs)
    return statistics.median(seconds), max(seconds)


def page(client: Any, path: str) -> Callable[[], None]:
    """A call that gets ``path`` and reads the whole answer, which must be a 200."""

    def get() -> None:
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        response.get_data()

    return get
