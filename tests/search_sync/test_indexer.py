"""The indexer keeps the index true to the database: several hosts following one outbox,
crashes mid-write, reindex while searches go on, ``check`` finding what was planted, and the
indexing thread (real commits on a scratch database per test, both backends)."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from courses.courseware import models as cw
from courses.courseware import operations as co
from portal.extensions import db
from portal.searching import cursors_table
from search import indexer
from search.query import search as run_search
from search.schema import to_fields
from search.store import IndexStore
from tests.conftest import PASSWORD
from tests.search_sync.support import (
    app_teacher,
    check,
    committed_course,
    cursor_of,
    documents,
    found,
    keys,
    new_course,
    other_host,
    outbox,
    service,
)

ROOT = Path(__file__).resolve().parents[2]


def _course(app, title, **options):
    return committed_course(app, title, **options)[0]


def _rename(app, course_id, title):
    with app.app_context():
        co.save_course_text(
            db.session.get(cw.Course, course_id), app_teacher(app), language="vi", title=title,
            summary="", description="",
        )  # fmt: skip
        db.session.commit()


def _pending(app):
    """Commit the changes made inside the block without indexing them (as if no indexer
    were running), leaving their rows waiting in the outbox."""

    class Paused:
        def __enter__(self):
            service(app).mode = "off"

        def __exit__(self, *_):
            service(app).mode = "inline"

    return Paused()


def _document(key: str, title: str) -> dict:
    root = key.rsplit(":", 1)[0]
    return {"key": key, "root": root, "kind": "course", "language": "vi", "title": title,
            "url": f"/{root}"}  # fmt: skip


# --- several hosts, one outbox -------------------------------------------------------------


def test_two_hosts_follow_one_outbox_each_with_its_own_cursor(sync_app, tmp_path):
    first = _course(sync_app, "Nuôi ong mật")
    with other_host(sync_app, tmp_path, "host-b", PORTAL_SEARCH_INDEXING="off") as host_b:
        store_a, store_b = service(sync_app).store, service(host_b).store
        assert store_a.base != store_b.base
        with host_b.app_context():
            assert service(host_b).drain() == len(outbox(sync_app))
        mark = outbox(sync_app)[-1][0]
        second = _course(sync_app, "Trồng lúa nước")
        _rename(sync_app, first, "Nuôi ong lấy mật")
        # Host A indexed each change at once; host B has not looked since.
        assert cursor_of(store_a) == outbox(sync_app)[-1][0] > mark == cursor_of(store_b)
        assert documents(store_b)[f"course:{first}:vi"]["title"] == "Nuôi ong mật"
        assert f"course:{second}:vi" not in documents(store_b)
        with host_b.app_context():
            assert service(host_b).drain() == len(outbox(sync_app)) - mark
        assert cursor_of(store_b) == cursor_of(store_a) == outbox(sync_app)[-1][0]
        assert documents(store_a) == documents(store_b)
        assert found(host_b, "lay mat") == {f"course:{first}:vi"}
        assert check(host_b).ok and check(sync_app).ok
        with sync_app.app_context():
            query = sa.select(cursors_table.c.name, cursors_table.c.position)
            recorded = dict(db.session.execute(query).all())
        assert recorded["host-b"] == cursor_of(store_b)
        assert recorded[service(sync_app).host] == cursor_of(store_a)


# --- crashes -------------------------------------------------------------------------------


def test_a_writer_killed_before_its_commit_leaves_an_index_that_recovers(sync_app):
    course_id = _course(sync_app, "Nuôi ong mật")
    with sync_app.app_context(), _pending(sync_app):
        waiting = new_course(app_teacher(sync_app), "Trồng lúa nước")
        db.session.commit()
        waiting_id = waiting.id
    search_dir = sync_app.config["PORTAL_SEARCH_DIR"]
    before = cursor_of(service(sync_app).store)
    crashed = subprocess.run(
        [sys.executable, "-m", "tests.search_sync.crash", "writer", search_dir],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert crashed.returncode == -signal.SIGKILL and "added" in crashed.stdout, crashed.stderr
    fresh = IndexStore(search_dir, lock_timeout=0.5)  # a process that starts afterwards
    try:
        assert cursor_of(fresh) == before
        assert {hit.key for hit in run_search(fresh, "nuoi ong").hits} == {f"course:{course_id}:vi"}
        assert run_search(fresh, "zzjunk").hits == []
        writer = fresh.writer(fresh.open())  # the lock died with its process
        writer.cancel()
    finally:
        fresh.close()
    with sync_app.app_context():
        assert service(sync_app).drain() == 1
    assert found(sync_app, "trong lua") == {f"course:{waiting_id}:vi"}
    assert check(sync_app).ok


def test_a_drain_killed_between_reading_the_outbox_and_committing_is_replayed(sync_app, tmp_path):
    course_id = _course(sync_app, "Nuôi ong mật")
    before = documents(service(sync_app).store)
    cursor = cursor_of(service(sync_app).store)
    with _pending(sync_app):
        _rename(sync_app, course_id, "Nuôi ong lấy mật")
        other_id = _course(sync_app, "Trồng lúa nước")
    assert len(outbox(sync_app)) == cursor + 2
    crashed = subprocess.run(
        [
            sys.executable, "-m", "tests.search_sync.crash", "drain",
            sync_app.config["SQLALCHEMY_DATABASE_URI"], str(tmp_path / "instance"),
            sync_app.config["PORTAL_SEARCH_DIR"],
        ],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert crashed.returncode == -signal.SIGKILL, crashed.stderr
    assert f"replaced documents up to outbox row {cursor + 2}" in crashed.stdout
    # Nothing of the dead drain is in the index, and the cursor did not move.
    assert cursor_of(service(sync_app).store) == cursor
    assert documents(service(sync_app).store) == before
    with sync_app.app_context():
        assert service(sync_app).drain() == 2
    assert found(sync_app, "lay mat") == {f"course:{course_id}:vi"}
    assert found(sync_app, "trong lua") == {f"course:{other_id}:vi"}
    assert check(sync_app).ok


def test_a_drain_that_fails_before_committing_leaves_its_rows_for_the_next(sync_app):
    course_id = _course(sync_app, "Nuôi ong mật")
    cursor = cursor_of(service(sync_app).store)
    with _pending(sync_app):
        _rename(sync_app, course_id, "Nuôi ong lấy mật")
    source = service(sync_app).backend.source()

    class Failing:
        def changes_after(self, after, limit):
            return source.changes_after(after, limit)

        def documents(self, roots):
            raise ConnectionError("the database went away")

    with sync_app.app_context(), pytest.raises(ConnectionError):
        indexer.drain(service(sync_app).store, Failing())
    assert cursor_of(service(sync_app).store) == cursor
    with sync_app.app_context():
        assert service(sync_app).drain() == 1  # the lock was released, the row replayed
    assert found(sync_app, "lay mat") == {f"course:{course_id}:vi"}


# --- reindex while serving -----------------------------------------------------------------


def test_reindex_swaps_in_new_builds_while_searches_go_on(sync_app):
    known = _course(sync_app, "Nuôi ong mật")
    for title in ("Trồng lúa nước", "Sửa xe máy"):
        _course(sync_app, title)
    store = service(sync_app).store
    expected = keys(sync_app)
    lives = [store.live_path()]
    stop = threading.Event()
    results: list[bool] = []
    errors: list[BaseException] = []

    def keep_searching():
        while not stop.is_set():
            try:
                results.append(found(sync_app, "nuoi ong") == {f"course:{known}:vi"})
            except BaseException as exc:  # reported below
                errors.append(exc)
                return

    searcher = threading.Thread(target=keep_searching)
    searcher.start()
    try:
        for _ in range(3):
            searched = len(results)
            with sync_app.app_context():
                assert service(sync_app).reindex() == len(expected)
            lives.append(store.live_path())
            deadline = time.monotonic() + 5
            while len(results) == searched and time.monotonic() < deadline:
                time.sleep(0.01)  # at least one search between two reindexes
    finally:
        stop.set()
        searcher.join(10)
    assert errors == []
    assert len(results) >= 3 and all(results)
    assert len(set(lives)) == 4  # each reindex made a new live folder
    # The live build and the previous one (searchers may still use it) remain; older ones go.
    assert sorted(p.name for p in store.base.glob("index-*")) == sorted(p.name for p in lives[-2:])
    assert keys(sync_app) == expected
    assert check(sync_app).ok


def test_a_change_committed_while_reindexing_is_in_the_index_afterwards(sync_app):
    course_id = _course(sync_app, "Nuôi ong mật")
    _course(sync_app, "Trồng lúa nước")
    changed = threading.Event()

    def change_once(_count):
        if not changed.is_set():
            changed.set()
            writer = threading.Thread(target=_rename, args=(sync_app, course_id, "Ong lấy mật"))
            writer.start()
            writer.join(30)

    with sync_app.app_context():
        service(sync_app).reindex(progress=change_once)
    assert changed.is_set()
    assert found(sync_app, "lay mat") == {f"course:{course_id}:vi"}
    assert check(sync_app).ok


def test_a_searcher_kept_open_follows_replacements_and_merges(tmp_path):
    """One process's searcher lives across commits: a replaced document must not be found by
    its old words, nor twice after segments are merged."""
    store = IndexStore(tmp_path)
    ix = store.open()
    for title in ("Nuôi ong mật", "Trồng lúa nước"):
        writer = store.writer(ix)
        writer.add_document(**to_fields(_document(f"course:{len(title)}:vi", title)))
        writer.commit()
    assert [hit.key for hit in run_search(store, "nuoi ong").hits] == ["course:12:vi"]
    writer = store.writer(ix)
    writer.update_document(**to_fields(_document("course:12:vi", "Nuôi gà thả vườn")))
    writer.commit()
    assert run_search(store, "nuoi ong").hits == []
    assert [hit.key for hit in run_search(store, "nuoi ga").hits] == ["course:12:vi"]
    writer = store.writer(ix)
    writer.add_document(**to_fields(_document("course:3:vi", "Sửa xe máy")))
    writer.commit(optimize=True)  # the segments merge into one
    assert [hit.key for hit in run_search(store, "nuoi ga").hits] == ["course:12:vi"]
    with store.searcher() as searcher:
        assert searcher.doc_count() == 3
    store.close()


# --- check ---------------------------------------------------------------------------------


def test_check_reports_exactly_the_planted_inconsistencies(sync_app):
    first = _course(sync_app, "Nuôi ong mật", lessons=("Chia đàn ong",))
    second = _course(sync_app, "Trồng lúa nước")
    assert check(sync_app).ok
    index = documents(service(sync_app).store)
    lesson_key = min(key for key in index if key.startswith("lesson:"))
    store = service(sync_app).store
    writer = store.writer(store.open())
    writer.add_document(**to_fields(_document("course:999:vi", "Khóa học ma")))
    writer.delete_by_term("key", lesson_key)
    writer.update_document(**{**index[f"course:{second}:vi"], "digest": "0" * 32})
    writer.commit()
    report = check(sync_app)
    assert (report.missing, report.stale, report.extra) == (
        [lesson_key],
        [f"course:{second}:vi"],
        ["course:999:vi"],
    )
    assert not report.ok and not report.behind and not report.outdated_schema
    assert f"course:{first}:vi" in index


# --- the indexing thread -------------------------------------------------------------------


def test_the_indexing_thread_makes_a_request_s_change_searchable_within_a_second(
    sync_app, tmp_path
):
    course_id = _course(sync_app, "Nuôi ong mật")
    with other_host(
        sync_app, tmp_path, "web-1", PORTAL_SEARCH_INDEXING="thread", PORTAL_SEARCH_POLL_SECONDS=60
    ) as web:
        client = web.test_client()
        signed_in = client.post("/sign-in", data={"identifier": "hoa@ex.vn", "password": PASSWORD})
        assert signed_in.status_code == 302
        response = client.post(
            f"/teach/courses/{course_id}/text?language=vi",
            data={"title": "Nuôi cá rô đồng", "summary": "", "description": ""},
        )
        assert response.status_code == 302
        # The request did not index (the thread does) and the poll is a minute away: only
        # the wake-up after the commit can make it searchable this soon.
        deadline = time.monotonic() + 1.0
        while found(web, "ca ro dong") != {f"course:{course_id}:vi"}:
            assert time.monotonic() < deadline, "not searchable within a second"
            time.sleep(0.02)
        assert service(web)._thread is not None and service(web)._thread.is_alive()
    assert not service(web)._thread.is_alive()


def test_the_worker_loop_sees_changes_committed_after_it_started(sync_app, tmp_path):
    """``flask search worker`` drains every ``poll`` seconds in one long command: each look
    must read the outbox afresh (a read transaction kept open would never see new rows)."""
    first = _course(sync_app, "Nuôi ong mật")
    with other_host(sync_app, tmp_path, "worker", PORTAL_SEARCH_INDEXING="off") as host:
        service(host).poll = 0.05
        errors: list[BaseException] = []

        def follow():
            try:
                with host.app_context():
                    service(host).follow()
            except BaseException as exc:  # reported below
                errors.append(exc)

        worker = threading.Thread(target=follow)
        worker.start()
        try:
            deadline = time.monotonic() + 5
            while found(host, "nuoi ong") != {f"course:{first}:vi"}:
                assert time.monotonic() < deadline
                time.sleep(0.02)
            time.sleep(0.25)  # a few looks that find nothing new
            second = _course(sync_app, "Trồng lúa nước")
            deadline = time.monotonic() + 2
            while found(host, "trong lua") != {f"course:{second}:vi"}:
                assert time.monotonic() < deadline, "the worker never saw the new row"
                time.sleep(0.02)
        finally:
            service(host).stop()
            worker.join(10)
        assert errors == []


def test_an_index_built_for_an_older_schema_is_rebuilt_by_the_next_drain(sync_app):
    from whoosh import fields, index

    course = _course(sync_app, "Làm mắm truyền thống")
    store = service(sync_app).store
    old = store.new_build()
    index.create_in(str(old), fields.Schema(key=fields.ID(stored=True, unique=True)))
    store.swap(old)
    with sync_app.app_context():
        assert check(sync_app).outdated_schema
        service(sync_app).drain()
        assert store.live_path() != old
    assert f"course:{course}:vi" in documents(store)
    assert check(sync_app).ok
