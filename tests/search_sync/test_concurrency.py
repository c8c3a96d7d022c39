"""Several web worker processes writing at once, each indexing inline after its own commits:
no update is lost and nobody fails on Whoosh's write lock (both backends)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import sqlalchemy as sa

from courses.courseware import models as cw
from portal.extensions import db
from tests.search_sync.support import check, documents, found, new_course, outbox, service, user
from tests.search_sync.support import teacher as make_teacher

ROOT = Path(__file__).resolve().parents[2]
PROCESSES, ROUNDS, COURSES = 4, 10, 3


def _start(app, instance, number, ids, go):
    """A writer process (``tests/search_sync/writer.py``) on ``app``'s database and index."""
    arguments = [
        app.config["SQLALCHEMY_DATABASE_URI"], str(instance), app.config["PORTAL_SEARCH_DIR"],
        str(number), str(ROUNDS), ",".join(map(str, ids)), str(go),
    ]  # fmt: skip
    return subprocess.Popen(
        [sys.executable, "-W", "error", "-m", "tests.search_sync.writer", *arguments],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_writer_processes_lose_no_update_and_never_fail_on_the_write_lock(committed_app, tmp_path):
    app = committed_app
    owner_id = make_teacher(app)
    with app.app_context():
        owner = user(owner_id)
        ids = [new_course(owner, f"Khóa gốc số {n}").id for n in range(COURSES)]
        db.session.commit()
    rows_before = len(outbox(app))
    go = tmp_path / "go"
    workers = [_start(app, tmp_path / f"instance-{n}", n, ids, go) for n in range(PROCESSES)]
    deadline = time.monotonic() + 60
    while len(list(tmp_path.glob("ready-*"))) < PROCESSES and time.monotonic() < deadline:
        if any(worker.poll() is not None for worker in workers):
            break  # a worker failed to start: its output says why
        time.sleep(0.02)
    go.touch()
    outputs = [worker.communicate(timeout=120) for worker in workers]
    for worker, (out, err) in zip(workers, outputs, strict=True):
        assert worker.returncode == 0, err
        assert "LockError" not in err and "Traceback" not in err, err
        report = json.loads(out.strip().splitlines()[-1])
        assert report["signed_in"] == 302
        assert report["statuses"] == [302] * ROUNDS, err
    # Every commit wrote exactly one row (its course's).
    assert len(outbox(app)) == rows_before + PROCESSES * ROUNDS
    with app.app_context():
        final = {
            text.course_id: text.title
            for text in db.session.scalars(
                sa.select(cw.CourseTranslation).where(cw.CourseTranslation.course_id.in_(ids))
            )
        }
    written = {
        title for out, _ in outputs for _, title in json.loads(out.splitlines()[-1])["wrote"]
    }
    index = documents(service(app).store)
    for course_id, title in final.items():
        # What the last commit wrote is what the index holds and what a search finds.
        assert title in written
        assert index[f"course:{course_id}:vi"]["title"] == title
        assert found(app, title.rsplit(" ", 1)[1]) == {f"course:{course_id}:vi"}
    for title in written - set(final.values()):
        assert found(app, title.rsplit(" ", 1)[1]) == set(), title  # overwritten: gone
    report = check(app)
    assert (report.missing, report.stale, report.extra) == ([], [], [])
    assert report.ok
