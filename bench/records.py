"""How many learning statements per second does the portal record?

Two paths, each on SQLite (a temporary file) and PostgreSQL (a scratch database created on
``--pg-url`` and dropped afterwards), each on a fresh migrated database per row:

Direct: ``courses.records.operations.record(statement)`` followed by ``db.session.commit()`` —
validation, normalisation, the statement row and the summary updates (progress, hours) in one
transaction per statement — from 1 and 8 writer threads (``--writers``), each with its own
app context and session, ``--statements`` statements per row (default 2,000) for
``--learners`` users. In the same run it measures a baseline: a bare ``INSERT`` of the same
statement JSON into a one-table database (same driver, same WAL/synchronous settings on
SQLite, one commit per statement), and prints the ratio portal/bare.

HTTP: the public path a learner's browser takes. The portal runs under gunicorn
(gunicorn.conf.py, ``--workers`` sync workers, ``PORTAL_ENV=production``, loopback, as
bench/pages.py runs it) on a database holding one published course of ``--lessons`` lessons
and ``--http-learners`` learners enrolled in it (``courses.learning.operations.enrol``).
``--clients`` client threads (1 and 8) share the learners; each signs its learners in
(``/sign-in`` with the CSRF token) and then:

1. GETs every lesson page, ``/courses/<course>/lessons/<lesson>``, keeping the fields of its
   completion form (``csrf_token``, ``served``) — timed: lesson pages per second;
2. POSTs every completion, ``/courses/<course>/lessons/<lesson>/complete`` with
   ``csrf_token``, ``served`` and an empty ``active_seconds`` (a browser without JavaScript)
   — timed: completions per second, and statements per second from the rows the database
   gained (a completion may record more than one statement: the course's own completion).

Then the lesson page's HTML (as the last learner saw it) is served by bench/bare_app.py — the
bare Flask baseline of bench/pages.py, which renders it as its home page — under the same
gunicorn settings, loaded with the same number of requests and clients, and the ratio portal/
bare of lesson pages per second is printed.

Run from the repository root: ``.venv/bin/python bench/records.py`` (``--help`` for knobs;
``--paths direct`` or ``--paths http`` runs one of them). Every run is bounded by its
counts; figures move with the machine, compare ratios taken in the same run.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import logging
import os
import random
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402

from bench.common import HOST, gunicorn, load, server_env, static_template  # noqa: E402
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


def portal_app(url: str, folder: Path) -> Any:
    """The portal on the database at ``url``, its instance folder in ``folder``."""
    return create_app(
        {
            "PORTAL_DATABASE_URL": url,
            "PORTAL_INSTANCE_PATH": str(folder / "instance"),
            "PORTAL_SECRET_KEY": "bench-secret-key-0123456789",
            "PORTAL_LOG_LEVEL": "WARNING",
        }
    )


def portal_rate(url: str, folder: Path, writers: int, args: argparse.Namespace) -> float:
    app = portal_app(url, folder)
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


# --- the HTTP path -------------------------------------------------------------------------

PASSWORD = "bench-password-0123"  # noqa: S105  (throw-away learners)


class _Forms(HTMLParser):
    """The forms of a page: action → {input name: value}."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: dict[str, dict[str, str]] = {}
        self._current: dict[str, str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        if tag == "form":
            self._current = self.forms.setdefault(found.get("action", ""), {})
        elif tag == "input" and self._current is not None and found.get("name"):
            self._current[found["name"]] = found.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._current = None


def forms_of(html: str) -> dict[str, dict[str, str]]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


class Browser:
    """One learner's browser: a cookie jar and one connection per request (gunicorn's sync
    workers close after each response)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, form: dict[str, str] | None = None
    ) -> tuple[int, str, str]:
        """(status, body, Location) of one request."""
        headers = {"Accept-Language": "vi-VN,vi;q=0.9", "User-Agent": "records-bench/1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn = http.client.HTTPConnection(HOST, self.port, timeout=30)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
            for header in response.msg.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                value = rest.split(";", 1)[0]
                if value and "max-age=0" not in header.lower():
                    self.cookies[name.strip()] = value
                else:
                    self.cookies.pop(name.strip(), None)
            return response.status, text, response.getheader("Location") or ""
        finally:
            conn.close()

    def sign_in(self, identifier: str) -> None:
        status, page, _ = self.request("GET", "/sign-in")
        token = next((f["csrf_token"] for f in forms_of(page).values() if "csrf_token" in f), "")
        status, _, _ = self.request(
            "POST",
            "/sign-in",
            {"csrf_token": token, "identifier": identifier, "password": PASSWORD},
        )
        if status != 302:
            raise SystemExit(f"signing {identifier} in answered {status}")


def seed_course(url: str, folder: Path, learners: int, lessons: int) -> tuple[int, list[int]]:
    """Migrate the database, then add one published course of ``lessons`` lessons and
    ``learners`` learners enrolled in it; return the course id and the lesson ids."""
    app = portal_app(url, folder)
    from courses.courseware import models as cw
    from courses.learning import operations as learning
    from portal.accounts import operations as accounts
    from portal.accounts.models import Role

    with app.app_context():
        upgrade()
        teacher = accounts.create_user(
            full_name="Giáo viên", password=PASSWORD, email="gv@b.vn", roles=(Role.TEACHER,)
        )
        course = cw.Course(
            owner_id=teacher.id,
            status="published",
            original_language="vi",
            published_at=datetime.now(UTC),
        )
        course.translations.append(
            cw.CourseTranslation(language="vi", title="Kỹ năng số", summary="Tóm tắt")
        )
        module = cw.Module(position=0)
        module.translations.append(cw.ModuleTranslation(language="vi", title="Phần 1"))
        for n in range(lessons):
            lesson = cw.Lesson(position=n, estimated_minutes=10)
            lesson.translations.append(
                cw.LessonTranslation(
                    language="vi", title=f"Bài {n + 1}", body=f"Nội dung **bài {n + 1}**."
                )
            )
            module.lessons.append(lesson)
        course.modules.append(module)
        db.session.add(course)
        db.session.flush()
        for n in range(learners):
            user = accounts.create_user(
                full_name=f"Học viên {n}", password=PASSWORD, email=f"hv{n}@b.vn"
            )
            learning.enrol(user, course)
        db.session.commit()
        ids = course.id, [lesson.id for lesson in module.lessons]
        db.session.remove()
        db.engine.dispose()
    return ids


def count_statements(url: str) -> int:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.scalar(sa.text("SELECT count(*) FROM learning_statements")) or 0
    finally:
        engine.dispose()


@dataclass
class HttpFigures:
    gets: float  # lesson pages per second
    posts: float  # completions per second
    statements: float  # statements per second during the completions
    recorded: int  # statements the completions added
    expected: int  # completions sent
    bare_gets: float
    page_bytes: int


def http_figures(
    url: str, folder: Path, env: dict[str, str], clients: int, args: argparse.Namespace
) -> HttpFigures:
    course_id, lesson_ids = seed_course(url, folder, args.http_learners, args.lessons)
    env = {**env, "PORTAL_DATABASE_URL": url}
    log = folder / f"portal-{clients}.log"
    with gunicorn("wsgi:app", env, log, args.workers, args.start_timeout) as port:
        browsers = [Browser(port) for _ in range(args.http_learners)]
        for n, browser in enumerate(browsers):
            browser.sign_in(f"hv{n}@b.vn")
        groups = split(browsers, clients)
        forms: dict[tuple[int, int], dict[str, str]] = {}
        pages: list[str] = []

        def read_lessons(group: list[Browser]) -> None:
            for browser in group:
                for lesson_id in lesson_ids:
                    path = f"/courses/{course_id}/lessons/{lesson_id}"
                    status, page, _ = browser.request("GET", path)
                    if status != 200:
                        raise RuntimeError(f"GET {path} answered {status}")
                    action = f"{path}/complete"
                    found = forms_of(page)
                    form = next((f for a, f in found.items() if a.endswith(action)), None)
                    if form is None:
                        raise RuntimeError(f"{path} has no form posting to {action}")
                    forms[(id(browser), lesson_id)] = form
                    pages.append(page)

        def complete_lessons(group: list[Browser]) -> None:
            for browser in group:
                for lesson_id in lesson_ids:
                    path = f"/courses/{course_id}/lessons/{lesson_id}/complete"
                    form = dict(forms[(id(browser), lesson_id)])
                    form["active_seconds"] = ""
                    status, _, _ = browser.request("POST", path, form)
                    if status not in (302, 303):
                        raise RuntimeError(f"POST {path} answered {status}")

        requests = len(browsers) * len(lesson_ids)
        try:
            read_seconds = run_threads(clients, groups, read_lessons)
            before = count_statements(url)
            post_seconds = run_threads(clients, groups, complete_lessons)
        except RuntimeError as exc:
            tail = log.read_text(errors="replace")[-3000:]
            raise SystemExit(
                f"{exc}\n--- end of the portal's log ({log.name}) ---\n{tail}"
            ) from exc
        recorded = count_statements(url) - before
    page = pages[-1]
    templates = folder / f"bare-templates-{clients}"
    templates.mkdir(exist_ok=True)
    (templates / "home.html").write_text(static_template(page), encoding="utf-8")
    (templates / "sign-in.html").write_text("", encoding="utf-8")
    bare_env = {**env, "BENCH_TEMPLATE_DIR": str(templates)}
    bare_log = folder / "bare.log"
    with gunicorn(
        "bench.bare_app:app", bare_env, bare_log, args.workers, args.start_timeout
    ) as port:
        done, errors, seconds, _ = load(
            port, "/", requests=requests, concurrency=clients, time_limit=120
        )
    if errors:
        raise RuntimeError(f"the bare app failed {errors} requests")
    return HttpFigures(
        gets=requests / read_seconds,
        posts=requests / post_seconds,
        statements=recorded / post_seconds,
        recorded=recorded,
        expected=requests,
        bare_gets=done / seconds,
        page_bytes=len(page.encode()),
    )


def http_env(folder: Path) -> dict[str, str]:
    # Every learner signs in from 127.0.0.1: lift the per-address sign-in limit.
    return server_env(folder / "instance", PORTAL_LOGIN_RATE_LIMIT="100000 per minute")


def learning_routes_missing(folder: Path) -> str | None:
    """What the HTTP path needs and does not find yet, or None."""
    app = create_app(
        {
            "PORTAL_SECRET_KEY": "bench-secret-key-0123456789",
            "PORTAL_INSTANCE_PATH": str(folder / "probe"),
            "PORTAL_LOG_LEVEL": "WARNING",
        }
    )
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    missing = {"learning.lesson", "learning.complete_lesson"} - endpoints
    try:
        from courses.learning import operations as learning
    except ImportError:
        learning = None
    if not hasattr(learning, "enrol"):
        missing.add("courses.learning.operations.enrol")
    return ", ".join(sorted(missing)) or None


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
    parser.add_argument("--paths", default="direct,http", help="direct, http or both")
    parser.add_argument("--statements", type=int, default=2000, help="statements per row")
    parser.add_argument("--learners", type=int, default=50, help="portal users")
    parser.add_argument("--writers", default="1,8", help="comma-separated thread counts")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--pg-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--clients", default="1,8", help="HTTP: comma-separated client counts")
    parser.add_argument("--http-learners", type=int, default=8, help="HTTP: learners enrolled")
    parser.add_argument("--lessons", type=int, default=25, help="HTTP: lessons in the course")
    parser.add_argument("--workers", type=int, default=4, help="HTTP: gunicorn workers")
    parser.add_argument(
        "--start-timeout", type=float, default=120, help="HTTP: seconds to wait for gunicorn"
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    paths = set(args.paths.split(","))
    backends = [
        backend
        for backend in args.backends.split(",")
        if backend != "postgresql" or pg_available(args.pg_url)
    ]
    if "postgresql" in args.backends.split(",") and "postgresql" not in backends:
        print(f"postgresql skipped: no server at {args.pg_url}\n")
    with tempfile.TemporaryDirectory(prefix="records-bench-") as tmp:
        folder = Path(tmp)
        if "direct" in paths:
            direct(folder, backends, args)
        if "http" in paths:
            missing = learning_routes_missing(folder)
            if missing:
                print(f"HTTP path skipped: the portal has no {missing} yet.")
            else:
                over_http(folder, backends, args)


def direct(folder: Path, backends: list[str], args: argparse.Namespace) -> None:
    print(
        "Direct: learning statements recorded per second through\n"
        "courses.records.operations.record() + commit, one transaction per statement.\n"
        "Baseline: a bare INSERT of the same JSON into a one-table database, one commit per "
        "statement.\n"
    )
    header = f"{'backend':<11}{'writers':>8}{'portal/s':>11}{'bare/s':>10}{'ratio':>8}"
    print(header)
    print("-" * len(header))
    for backend in backends:
        for writers in (int(w) for w in args.writers.split(",")):
            with database(backend, folder, args.pg_url, f"portal{writers}") as url:
                portal = portal_rate(url, folder, writers, args)
            with database(backend, folder, args.pg_url, f"bare{writers}") as url:
                bare = bare_rate(url, writers, args)
            print(f"{backend:<11}{writers:>8}{portal:>11.0f}{bare:>10.0f}{portal / bare:>8.2f}")
    print(f"\n{args.statements} statements per row, {args.learners} learners, 20 courses.\n")


def over_http(folder: Path, backends: list[str], args: argparse.Namespace) -> None:
    print(
        f"HTTP: gunicorn.conf.py, {args.workers} sync workers, PORTAL_ENV=production, "
        f"loopback; {os.cpu_count()} CPUs.\n{args.http_learners} learners signed in, each "
        f"reads then completes {args.lessons} lessons of one course "
        f"({args.http_learners * args.lessons} of each per row).\n"
        "GET: lesson pages/s; bare: the same HTML from bench/bare_app.py; POST: completions/s; "
        "stmt/s: statements stored/s during the POSTs.\n"
    )
    header = (
        f"{'backend':<11}{'clients':>8}{'GET/s':>8}{'bare/s':>8}{'ratio':>7}"
        f"{'POST/s':>8}{'stmt/s':>8}{'stored':>8}{'bytes':>7}"
    )
    print(header)
    print("-" * len(header))
    env = http_env(folder)
    failures: list[str] = []
    for backend in backends:
        for clients in (int(c) for c in args.clients.split(",")):
            with database(backend, folder, args.pg_url, f"http{clients}") as url:
                try:
                    f = http_figures(url, folder / f"{backend}-{clients}", env, clients, args)
                except SystemExit as exc:  # a request failed: say why, go on with the next row
                    failures.append(f"{backend}, {clients} clients: {exc}")
                    print(f"{backend:<11}{clients:>8}  failed (see below)")
                    continue
            stored = f"{f.recorded}/{f.expected}"
            print(
                f"{backend:<11}{clients:>8}{f.gets:>8.0f}{f.bare_gets:>8.0f}"
                f"{f.gets / f.bare_gets:>7.2f}{f.posts:>8.0f}{f.statements:>8.0f}"
                f"{stored:>8}{f.page_bytes:>7}"
            )
    print(
        "\nstored: statements the completions added / completions sent (more when a "
        "completion also completes the course)."
    )
    for failure in failures:
        print(f"\nFAILED {failure}")


if __name__ == "__main__":
    main()
