"""How fast is the portal's xAPI learning record store (``/xapi/``)?

Creates a scratch PostgreSQL database (``--url``, a server; the database ``--database`` is
dropped first and again at the end unless ``--keep``), makes the schema with the migrations,
adds ``--users`` portal users and issues an LRS client with the scope ``all`` and a rate
limit no run reaches (``courses.xapi.clients.issue``, as ``flask xapi add-client`` does).

Statements are generated as a partner's LMS would send them: 70 % by portal users (an
``account`` on ``PORTAL_BASE_URL``, so the progress and hours summaries are updated), 30 % by
outside learners (``mbox``); lessons, questions, quizzes and courses of 20 courses, each with
a definition, its course (and lesson) as context parents, a registration per learner and
course, the course's instructor, and a result with a duration.

1. **The store.** ``--statements`` × ``--scale`` statements (default 200,000), stored as
   ``courses.xapi.statements.store`` stores them — the first batch checked by the LRS's
   checks, every statement normalised and its row made by ``courses.records.operations``,
   its ``StatementLink`` rows written by ``courses.xapi.links.write`` and its activity
   definitions kept by ``courses.xapi.activities.remember_all`` — but 1,000 rows per
   ``INSERT`` and commit (``store`` inserts one at a time: ten times slower); then the
   summaries are rebuilt (``operations.rebuild``) and ``VACUUM ANALYZE`` runs (as
   autovacuum would have by then).
2. **Reads.** The portal runs under gunicorn (gunicorn.conf.py, ``--workers`` sync workers,
   ``PORTAL_ENV=production`` with a throw-away ``PORTAL_CREDENTIAL_KEY``, loopback, as
   bench/common.py serves it). One client sends ``GET /xapi/statements`` with each filter
   (none, agent, verb, activity, registration, related_activities, related_agents,
   since/until, statementId), ``--runs`` times after a warm-up, and follows ``more`` for 5
   pages from the unfiltered first page (each page timed). Baseline in the same run: a bare
   ``SELECT *`` of the same page from ``learning_statements`` by the same condition
   (``verb_iri = …``, ``actor_key = …``, ``course_iri = …`` for the course's related
   activities, the ``xapi_statement_links`` index for the instructor's related agents, a
   ``(stored, id)`` keyset for ``more``; ``ORDER BY stored DESC, id DESC LIMIT`` page size
   + 1, as the LRS asks), run as often from this process; each page is checked to hold the
   same statements as the LRS's.
3. **Writes.** ``--clients`` concurrent loopback clients POST ``--singles`` single statements,
   then ``--batches`` batches of 50, to ``/xapi/statements`` (into the store above); the
   batches once more from one client. Statements/s counts the rows stored: a request that
   fails (a deadlock between concurrent batches answers 503) costs its time, stores
   nothing, and is noted. Baseline in the same run: the same statements (fresh ids)
   recorded by ``courses.records.operations.record`` without HTTP — no LRS checks, no
   activity definitions, but the summaries and the statement links, as for the portal's own
   statements — from as many processes forked from this one, one commit per statement or
   per 50.

It prints, per operation, p50 and p95 latency (ms per request) and the ratio to the
baseline: for reads the LRS's p50 over the bare SELECT's p50, for writes the LRS's time per
statement over the baseline's (its statements/s divided by the LRS's). Both are "how many
times the baseline's cost".

Run from the repository root: ``.venv/bin/python bench/lrs.py`` (a few minutes on 2 cores;
``--quick`` for a smoke run of half a minute). Figures move with the machine's load (the header
shows it); compare ratios taken in the same run.
"""

# The SQL below is built from this file's own conditions; the values are bound.
# ruff: noqa: S608

from __future__ import annotations

import argparse
import base64
import json
import multiprocessing
import os
import random
import statistics
import sys
import tempfile
import time
import urllib.parse
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import scratch  # noqa: E402
from bench.common import get, gunicorn, load, server_env  # noqa: E402
from bench.scratch import samples, step  # noqa: E402

COURSES = 20
LESSONS = 12  # per course
QUESTIONS = 5  # per lesson
OUTSIDERS = 300  # learners of the partner, known by mbox
BATCH = 50  # statements per POST of a batch
STORE_BATCH = 1000  # statements per store() and commit while filling
MORE_PAGES = 5
T0 = datetime(2026, 1, 5, 7, 0, tzinfo=UTC)
ADL_TYPES = "http://adlnet.gov/expapi/activities/"
PASSWORD = "bench password 1"  # noqa: S105  (throw-away learners)


# --- statements --------------------------------------------------------------------------


def instructor(course: int) -> dict[str, Any]:
    n = course % 10
    return {"objectType": "Agent", "name": f"Giảng viên {n}", "mbox": f"mailto:gv{n}@partner.vn"}


@dataclass
class Statements:
    """Makes statements of the portal users ``users`` and :data:`OUTSIDERS` outside
    learners (call in an app context: activity IRIs are under ``PORTAL_BASE_URL``)."""

    users: list[int]
    seed: int

    def __post_init__(self) -> None:
        from courses.records import iri, verbs

        self.rng = random.Random(self.seed)
        self.iri, self.verbs, self.base = iri, verbs, iri.base_url()
        self.lesson_count = {iri.lesson_count_extension(): LESSONS}

    def activity(self, kind: str, key: int, name: str, type_: str) -> dict[str, Any]:
        return {
            "objectType": "Activity",
            "id": self.iri.activity_iri(kind, key),
            "definition": {"name": {"vi": name, "en": name}, "type": ADL_TYPES + type_},
        }

    def actor(self) -> dict[str, Any]:
        rng = self.rng
        if rng.random() < 0.7:
            user = rng.choice(self.users)
            account = {"homePage": self.base, "name": str(user)}
            return {"objectType": "Agent", "name": f"Học viên {user}", "account": account}
        n = rng.randrange(OUTSIDERS)
        return {"objectType": "Agent", "name": f"Learner {n}", "mbox": f"mailto:l{n}@lms.example"}

    def make(self) -> dict[str, Any]:
        rng, verbs = self.rng, self.verbs
        actor = self.actor()
        course_n = rng.randint(1, COURSES)
        lesson_n = course_n * 100 + rng.randint(1, LESSONS)
        course = self.activity("course", course_n, f"Khoá học {course_n}", "course")
        lesson = self.activity("lesson", lesson_n, f"Bài {lesson_n}", "lesson")
        parents: dict[str, Any] = {"parent": [{"id": course["id"]}]}
        result: dict[str, Any] = {"duration": f"PT{rng.randint(1, 40)}M{rng.randint(0, 59)}S"}
        roll = rng.random()
        if roll < 0.45:
            verb, obj = verbs.EXPERIENCED, lesson
        elif roll < 0.75:
            verb, obj = verbs.COMPLETED, lesson
            result["completion"] = True
        elif roll < 0.93:
            question = lesson_n * 10 + rng.randint(1, QUESTIONS)
            verb = verbs.ANSWERED
            obj = self.activity("question", question, f"Câu {question}", "cmi.interaction")
            obj["definition"].update(interactionType="true-false", correctResponsesPattern=["true"])
            parents = {"parent": [{"id": lesson["id"]}], "grouping": [{"id": course["id"]}]}
            answer = rng.random() < 0.7
            result.update(response=str(answer).lower(), success=answer)
        elif roll < 0.98:
            scaled = round(rng.random(), 2)
            verb = verbs.PASSED if scaled >= 0.5 else verbs.FAILED
            obj = self.activity("quiz", course_n, f"Kiểm tra {course_n}", "assessment")
            result.update(score={"scaled": scaled}, success=scaled >= 0.5)
        else:
            verb, obj, parents = verbs.COMPLETED, course, {}
            result["completion"] = True
        key = json.dumps(actor.get("account") or actor["mbox"], sort_keys=True)
        context: dict[str, Any] = {
            "registration": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{key}|{course_n}")),
            "instructor": instructor(course_n),
            "platform": "Partner LMS",
            "language": "vi",
            "extensions": self.lesson_count,
        }
        if parents:
            context["contextActivities"] = parents
        return {
            "id": str(uuid.uuid4()),
            "actor": actor,
            "verb": {"id": verb, "display": verbs.display(verb)},
            "object": obj,
            "result": result,
            "context": context,
            "timestamp": (T0 + timedelta(seconds=rng.randint(0, 300 * 86400))).isoformat(),
        }

    def batches(self, count: int, size: int) -> Iterator[list[dict[str, Any]]]:
        for start in range(0, count, size):
            yield [self.make() for _ in range(min(size, count - start))]


# --- the database ------------------------------------------------------------------------


def add_users(count: int) -> list[int]:
    """``count`` portal learners (one password hash, shared: no one signs in)."""
    from portal.accounts import operations as accounts
    from portal.accounts.models import User
    from portal.extensions import db

    first = accounts.create_user(full_name="Học viên 0", password=PASSWORD, email="lrs0@b.vn")
    db.session.add_all(
        User(
            full_name=f"Học viên {n}",
            email=f"lrs{n}@b.vn",
            password_hash=first.password_hash,
            session_token=uuid.uuid4().hex,
        )
        for n in range(1, count)
    )
    db.session.commit()
    return portal_users()


def portal_users() -> list[int]:
    from portal.extensions import db

    query = "SELECT id FROM users WHERE email LIKE 'lrs%@b.vn' ORDER BY id"
    return list(db.session.scalars(sa.text(query)))


def issue_client() -> tuple[Any, str]:
    """A client that may do everything, as often as it likes; (client, Basic auth header)."""
    from courses.xapi import clients
    from portal.extensions import db

    issued = clients.issue("Bench LMS", scopes=["all"], rate_limit="100000000 per hour")
    db.session.commit()
    token = base64.b64encode(f"{issued.client.key}:{issued.secret}".encode()).decode()
    return issued.client, f"Basic {token}"


def fill(client: Any, users: list[int], count: int) -> None:
    """Store ``count`` statements as the LRS's store would, in bulk: each statement checked
    (the first batch) and normalised, and its row made, by the LRS's and the records' own
    functions, but inserted :data:`STORE_BATCH` at a time, with the batch's statement links
    and activity definitions, one commit per batch; the summaries are rebuilt at the end
    (``courses.records.operations.rebuild``). ``statements.store`` does the same one
    statement at a time, about ten times slower."""
    from courses.records import operations
    from courses.records.models import Statement
    from courses.xapi import activities, clients, links, statements
    from portal.extensions import db

    authority = operations._authority(clients.authority(client))
    maker = Statements(users, seed=1)
    table = Statement.__table__
    insert = sa.insert(table).returning(table.c.statement_id, table.c.id)
    done, started = 0, time.perf_counter()
    for n, batch in enumerate(maker.batches(count, STORE_BATCH)):
        if n == 0:
            statements.check(batch, {})  # what the LRS would refuse must not be generated
        moment = operations.now()
        values = []
        for statement in batch:
            parsed = operations.normalise(statement, stored=moment)
            data = {
                **parsed.data,
                "stored": operations.format_timestamp(moment),
                "authority": authority,
                "version": operations.XAPI_VERSION,
            }
            values.append(operations._values(parsed, data))
        pks = dict(db.session.execute(insert, values).all())
        links.write([Statement(id=pks[row["statement_id"]], data=row["data"]) for row in values])
        activities.remember_all(row["data"] for row in values)
        db.session.commit()
        done += len(batch)
        if n % 50 == 49:
            rate = done / (time.perf_counter() - started)
            print(f"    {done:>9,} stored, {rate:,.0f}/s", flush=True)
    step("summaries rebuilt", operations.rebuild)
    db.session.commit()


# --- reads -------------------------------------------------------------------------------


@dataclass
class Read:
    """One GET of the LRS and the bare SELECT of the same page."""

    label: str
    params: dict[str, str]
    condition: str  # on learning_statements, with :value / :since / :until
    values: dict[str, Any]


def reads(base: str, page_size: int) -> list[Read]:
    """The queries, with values picked from the stored statements (so a kept database can
    be measured again with ``--reuse``)."""
    from courses.records import iri, verbs
    from courses.xapi import links
    from portal.extensions import db

    total = db.session.scalar(sa.text("SELECT count(*) FROM learning_statements"))
    user, registration, statement_id = db.session.execute(
        sa.text(
            "SELECT user_id, registration, statement_id FROM learning_statements"
            " WHERE user_id IS NOT NULL AND registration IS NOT NULL"
            " ORDER BY id OFFSET :n LIMIT 1"
        ),
        {"n": total // 2},
    ).one()
    since, until = db.session.execute(
        sa.text(
            "SELECT percentile_disc(0.4) WITHIN GROUP (ORDER BY stored),"
            " percentile_disc(0.6) WITHIN GROUP (ORDER BY stored) FROM learning_statements"
        )
    ).one()
    agent = {"objectType": "Agent", "account": {"homePage": base, "name": str(user)}}
    teacher = instructor(1)
    lesson, course = iri.activity_iri("lesson", 101), iri.activity_iri("course", 1)
    stamp = "%Y-%m-%dT%H:%M:%S.%fZ"
    links_of = (
        "id IN (SELECT statement_pk FROM xapi_statement_links"
        " WHERE kind = 'agent' AND value = :value)"
    )
    return [
        Read("none", {}, "true", {}),
        Read("agent", {"agent": json.dumps(agent)}, "actor_key = :value",
             {"value": links.agent_key(agent)}),
        Read("verb", {"verb": verbs.COMPLETED}, "verb_iri = :value",
             {"value": verbs.COMPLETED}),
        Read("activity", {"activity": lesson}, "activity_iri = :value", {"value": lesson}),
        Read("registration", {"registration": registration}, "registration = :value",
             {"value": registration}),
        Read("related_activities (course)", {"activity": course, "related_activities": "true"},
             "course_iri = :value", {"value": course}),
        Read("related_agents (instructor)",
             {"agent": json.dumps(teacher), "related_agents": "true"}, links_of,
             {"value": links.agent_key(teacher)}),
        Read("since/until",
             {"since": since.strftime(stamp), "until": until.strftime(stamp)},
             "stored > :since AND stored <= :until", {"since": since, "until": until}),
        Read("statementId", {"statementId": statement_id}, "statement_id = :value",
             {"value": statement_id}),
    ]  # fmt: skip


def bare_page(conn: sa.Connection, read: Read, size: int, after: Any = None) -> list[Any]:
    """The page the bare SELECT returns (page size + 1 rows, as the LRS asks)."""
    condition, values = read.condition, dict(read.values)
    if after is not None:
        condition += " AND (stored, id) < (:after_stored, :after_id)"
        values.update(after_stored=after[0], after_id=after[1])
    sql = (
        f"SELECT * FROM learning_statements WHERE NOT is_voided AND {condition}"
        " ORDER BY stored DESC, id DESC LIMIT :limit"
    )
    return conn.execute(sa.text(sql), {**values, "limit": size + 1}).all()


@dataclass
class Row:
    label: str
    latencies: list[float]  # ms per request
    baseline: list[float]  # ms per SELECT, or per commit of a request's statements
    note: str = ""
    ratio: float | None = None  # default: p50 / baseline p50


def p50_p95(values: list[float]) -> tuple[float, float]:
    if len(values) < 2:
        return values[0], values[0]
    return statistics.median(values), statistics.quantiles(values, n=20, method="inclusive")[18]


class Lrs:
    """HTTP to the LRS under gunicorn."""

    def __init__(self, port: int, authorization: str, log: Path) -> None:
        self.port, self.log = port, log
        self.headers = {
            "Authorization": authorization,
            "X-Experience-API-Version": "2.0.0",
            "Content-Type": "application/json",
            "User-Agent": "lrs-bench/1",
        }

    def fail(self, message: str) -> SystemExit:
        """The run's end, with what the server logged last."""
        tail = self.log.read_text(errors="replace")[-3000:]
        return SystemExit(f"{message}\n--- gunicorn's log, the end ---\n{tail}")

    def deadlocks(self) -> int:
        return self.log.read_text(errors="replace").count("deadlock detected")

    def get(self, path: str) -> Any:
        status, body = get(self.port, path, timeout=60, headers=self.headers)
        if status != 200:
            raise self.fail(f"GET {path} answered {status}: {body[:300]!r}")
        return json.loads(body)

    def times(self, path: str, runs: int) -> list[float]:
        done, errors, _, latencies = load(
            self.port, path, requests=runs, concurrency=1, time_limit=600, headers=self.headers
        )
        if errors:
            raise self.fail(f"GET {path}: {errors} of {done} requests failed")
        return latencies


def ids(document: Any) -> list[str]:
    if "statements" in document:
        return [statement["id"] for statement in document["statements"]]
    return [document["id"]]


def measure_reads(
    lrs: Lrs, engine: sa.Engine, queries: list[Read], size: int, runs: int
) -> list[Row]:
    rows: list[Row] = []
    with engine.connect() as conn:
        for read in queries:
            path = "/xapi/statements?" + urllib.parse.urlencode(read.params)
            bare = bare_page(conn, read, size)[:size]
            same = ids(lrs.get(path)) == [row.statement_id for row in bare]
            matching = conn.scalar(
                sa.text(f"SELECT count(*) FROM learning_statements WHERE {read.condition}"),
                read.values,
            )
            note = f"{len(bare)} of {matching:,} rows" + ("" if same else ", PAGES DIFFER")
            http = lrs.times(path, runs)
            sql = [s * 1000 for s in samples(lambda r=read: bare_page(conn, r, size), runs)]
            rows.append(Row(read.label, http, sql, note))
        rows.append(follow_more(lrs, conn, queries[0], size, runs))
    return rows


def follow_more(lrs: Lrs, conn: sa.Connection, first: Read, size: int, runs: int) -> Row:
    """``more`` followed for :data:`MORE_PAGES` pages after the unfiltered first page."""
    http: list[float] = []
    sql: list[float] = []
    same = True
    for run in range(runs + 1):  # the first is the warm-up
        document = lrs.get("/xapi/statements")
        page = bare_page(conn, first, size)
        for _ in range(MORE_PAGES):
            start = time.perf_counter()
            document = lrs.get(document["more"])
            lap = time.perf_counter() - start
            after = (page[size - 1].stored, page[size - 1].id)
            start = time.perf_counter()
            page = bare_page(conn, first, size, after)
            if run:
                http.append(lap * 1000)
                sql.append((time.perf_counter() - start) * 1000)
            same = same and ids(document) == [row.statement_id for row in page[:size]]
    note = f"{MORE_PAGES} pages a run" + ("" if same else ", PAGES DIFFER")
    return Row(f"more, pages 2 to {MORE_PAGES + 1}", http, sql, note)


# --- writes ------------------------------------------------------------------------------


def measure_writes(lrs: Lrs, app: Any, users: list[int], args: argparse.Namespace) -> list[Row]:
    """Statements/s counts the rows stored, so a failed request (a deadlock between
    concurrent batches, say) costs its time and adds nothing; failures are noted."""
    rows = []
    for label, count, size, clients in (
        (f"POST 1 statement, {args.clients} clients", args.singles, 1, args.clients),
        (f"POST {BATCH}, {args.clients} clients", args.batches * BATCH, BATCH, args.clients),
        (f"POST {BATCH}, 1 client", args.batches * BATCH, BATCH, 1),
    ):
        with app.app_context():
            groups = list(Statements(users, seed=size + clients).batches(count, size))
        bodies = [json.dumps(group).encode() for group in groups]
        before, deadlocks = stored(app), lrs.deadlocks()
        done, errors, seconds, latencies = load(
            lrs.port, "/xapi/statements", requests=len(bodies), concurrency=clients,
            time_limit=600, headers=lrs.headers, bodies=bodies,
        )  # fmt: skip
        lrs_rate = (stored(app) - before) / seconds
        note = f"{lrs_rate:,.0f} vs {{:,.0f}} statements/s"
        if errors:
            deadlocks = lrs.deadlocks() - deadlocks
            note += f"; {errors} of {done} requests failed ({deadlocks} deadlocks logged)"
        for group in groups:  # the same statements again, as new ones
            for statement in group:
                statement["id"] = str(uuid.uuid4())
        before = stored(app)
        base_seconds, baseline, failed = recorded_directly(app, groups, clients)
        base_rate = (stored(app) - before) / base_seconds
        note = note.format(base_rate)
        if failed:
            note += f"; baseline: {len(failed)} of {len(groups)} commits failed ({failed[0]})"
        rows.append(Row(label, latencies, baseline, note, ratio=base_rate / lrs_rate))
    return rows


def stored(app: Any) -> int:
    from portal.extensions import db

    with app.app_context():
        count = db.session.scalar(sa.text("SELECT count(*) FROM learning_statements"))
        db.session.remove()
    return count


# The app the forked processes of :func:`recorded_directly` record with.
_FORKED: dict[str, Any] = {}


def recorded_directly(
    app: Any, groups: list[list[dict[str, Any]]], processes: int
) -> tuple[float, list[float], list[str]]:
    """Seconds to record ``groups`` by ``operations.record`` in ``processes`` processes
    forked from this one (as many as the server's clients: threads would share one GIL),
    one commit per group; the milliseconds each group took; why groups failed."""
    _FORKED["app"] = app
    parts = [groups[n::processes] for n in range(processes)]
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        start = time.perf_counter()
        results = pool.map(_record, parts)
        seconds = time.perf_counter() - start
    latencies = [ms for part, _ in results for ms in part]
    return seconds, latencies, [why for _, failed in results for why in failed]


def _record(part: list[list[dict[str, Any]]]) -> tuple[list[float], list[str]]:
    from courses.records import operations
    from portal.extensions import db

    latencies: list[float] = []
    failed: list[str] = []
    with _FORKED["app"].app_context():
        db.engine.dispose(close=False)  # the parent's connections stay the parent's
        for group in part:
            start = time.perf_counter()
            try:
                for statement in group:
                    operations.record(statement)
                db.session.commit()
            except sa.exc.OperationalError as exc:  # a deadlock: the group is lost
                db.session.rollback()
                failed.append(type(exc.orig).__name__)
            latencies.append((time.perf_counter() - start) * 1000)
        db.session.remove()
        db.engine.dispose()
    return latencies, failed


# --- the run -----------------------------------------------------------------------------


def table(title: str, rows: list[Row]) -> None:
    print(f"\n{title}")
    header = (
        f"  {'operation':<32}{'p50 ms':>8}{'p95 ms':>8}{'base p50':>10}{'base p95':>10}"
        f"{'ratio':>7}  notes"
    )
    print(header)
    print("  " + "-" * (len(header) - 2))
    for row in rows:
        p50, p95 = p50_p95(row.latencies)
        b50, b95 = p50_p95(row.baseline)
        ratio = row.ratio if row.ratio is not None else p50 / b50
        print(
            f"  {row.label:<32}{p50:>8.1f}{p95:>8.1f}{b50:>10.2f}{b95:>10.2f}{ratio:>7.1f}"
            f"  {row.note}"
        )


def credential_key() -> str:
    from courses.credentials.keys import encode_secret_key

    return encode_secret_key(os.urandom(32))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    scratch.add_arguments(parser, "portal_bench_lrs")
    parser.add_argument("--statements", type=int, default=200_000, help="in the store (× scale)")
    parser.add_argument("--users", type=int, default=500, help="portal users among the actors")
    parser.add_argument("--clients", type=int, default=4, help="concurrent writers")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--singles", type=int, default=1000, help="POSTs of one statement")
    parser.add_argument("--batches", type=int, default=60, help=f"POSTs of {BATCH} statements")
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    parser.set_defaults(runs=30)
    args = parser.parse_args()
    if args.quick:
        args.statements, args.singles, args.batches, args.runs = 5000, 100, 10, 10
    count = int(args.statements * args.scale)
    load_average = ", ".join(f"{n:.2f}" for n in os.getloadavg())
    print(f"lrs bench: {os.cpu_count()} CPUs, load average {load_average}")

    from portal.extensions import db

    with scratch.scratch_app(args) as app, tempfile.TemporaryDirectory() as folder:
        with app.app_context():
            if not args.reuse:
                from flask_migrate import upgrade

                step("migrations", upgrade)
                step(f"{args.users:,} portal users", lambda: add_users(args.users))
            users = portal_users()
            client, authorization = issue_client()
            if not args.reuse:
                step(
                    f"{count:,} statements stored as the LRS stores them",
                    lambda: fill(client, users, count),
                )
                with db.engine.connect() as conn:
                    conn.execution_options(isolation_level="AUTOCOMMIT")
                    # As autovacuum would have left an insert-only table of this size.
                    step("VACUUM ANALYZE", lambda: conn.exec_driver_sql("VACUUM ANALYZE"))
            base, size = app.config["PORTAL_BASE_URL"], app.config["PORTAL_XAPI_PAGE_SIZE"]
            queries = reads(base, size)
            url = db.engine.url.render_as_string(hide_password=False)
            total = db.session.scalar(sa.text("SELECT count(*) FROM learning_statements"))
            db.session.remove()
        env = server_env(
            Path(folder),
            PORTAL_DATABASE_URL=url,
            PORTAL_BASE_URL=base,
            PORTAL_CREDENTIAL_KEY=credential_key(),
        )
        log = Path(folder) / "gunicorn.log"
        with gunicorn("wsgi:app", env, log, args.workers) as port:
            lrs = Lrs(port, authorization, log)
            with app.app_context():
                read_rows = step("reads", lambda: measure_reads(lrs, db.engine, queries, size,
                                                               args.runs))  # fmt: skip
            write_rows = step("writes", lambda: measure_writes(lrs, app, users, args))
        table(
            f"Reads: GET /xapi/statements on {total:,} statements, pages of {size}, one "
            f"client, {args.runs} runs after a warm-up ({args.workers} gunicorn workers).\n"
            "Baseline (base): the same page by a bare SELECT from learning_statements; "
            "ratio: p50 / base p50.",
            read_rows,
        )
        table(
            f"Writes: POST /xapi/statements ({args.workers} gunicorn workers); p50/p95 per "
            "request.\nBaseline (base): the same statements by records.operations.record() "
            "without HTTP, from as many processes, one commit per request's worth;\n"
            "ratio: baseline statements/s / LRS statements/s.",
            write_rows,
        )


if __name__ == "__main__":
    main()
