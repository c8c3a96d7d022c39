"""``flask search``: check, reindex, worker, status and prune (real commits, both backends)."""

from __future__ import annotations

import signal
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.searching import PRUNED, cursors_table
from search.schema import to_fields
from tests.search_sync.support import (
    check,
    cursor_of,
    documents,
    found,
    new_course,
    other_host,
    outbox,
    service,
    user,
)


@pytest.fixture
def keep_signals():
    """``flask search worker`` installs SIGTERM/SIGINT handlers: give pytest its own back."""
    saved = {number: signal.getsignal(number) for number in (signal.SIGTERM, signal.SIGINT)}
    yield
    for number, handler in saved.items():
        signal.signal(number, handler)


def _course(app, title, **options):
    with app.app_context():
        course = new_course(user(app.config["SEARCH_TEST_TEACHER"]), title, **options)
        db.session.commit()
        return course.id


def _flask(app, *args):
    return app.test_cli_runner().invoke(args=["search", *args])


def test_check_prints_planted_inconsistencies_and_exits_1_until_reindexed(sync_app):
    _course(sync_app, "Nuôi ong mật", lessons=("Chia đàn ong",))
    second = _course(sync_app, "Trồng lúa nước")
    result = _flask(sync_app, "check")
    assert result.exit_code == 0, result.output
    assert "The index matches the database." in result.output
    index = documents(service(sync_app).store)
    lesson_key = min(key for key in index if key.startswith("lesson:"))
    store = service(sync_app).store
    writer = store.writer(store.open())
    writer.add_document(
        **to_fields({"key": "course:999:vi", "root": "course:999", "kind": "course",
                     "language": "vi", "title": "Khóa học ma", "url": "/courses/999"})
    )  # fmt: skip
    writer.delete_by_term("key", lesson_key)
    writer.update_document(**{**index[f"course:{second}:vi"], "digest": "0" * 32})
    writer.commit()
    result = _flask(sync_app, "check")
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if "\t" in line]
    assert lines == [
        f"missing\t{lesson_key}",
        f"stale\tcourse:{second}:vi",
        "extra\tcourse:999:vi",
    ]
    assert "1 missing, 1 stale, 1 extra." in result.output
    live = store.live_path()
    result = _flask(sync_app, "reindex")
    assert result.exit_code == 0, result.output
    assert f"{len(index)} documents indexed" in result.output
    assert store.live_path() != live
    result = _flask(sync_app, "check")
    assert result.exit_code == 0, result.output
    assert found(sync_app, "khoa hoc ma") == set()


def test_worker_once_applies_the_waiting_rows_and_status_prints_the_cursor(
    sync_app, tmp_path, keep_signals
):
    first = _course(sync_app, "Nuôi ong mật")
    second = _course(sync_app, "Trồng lúa nước")
    last = outbox(sync_app)[-1][0]
    with other_host(sync_app, tmp_path, "worker-host", PORTAL_SEARCH_INDEXING="off") as host:
        result = _flask(host, "status")
        assert result.exit_code == 0, result.output
        assert f"cursor:    0 of {last}" in result.output
        assert "documents: 0" in result.output and "indexing:  off" in result.output
        assert found(host, "nuoi ong") == set()
        result = _flask(host, "worker", "--once")
        assert result.exit_code == 0, result.output
        assert f"Stopped at outbox row {last}." in result.output
        assert found(host, "nuoi ong") == {f"course:{first}:vi"}
        assert found(host, "trong lua") == {f"course:{second}:vi"}
        result = _flask(host, "status")
        assert f"cursor:    {last} of {last}" in result.output
        assert f"documents: {len(documents(service(host).store))}" in result.output
        assert check(host).ok


def test_prune_keeps_rows_a_recent_host_still_needs_and_check_reports_a_host_left_behind(
    sync_app, tmp_path
):
    _course(sync_app, "Nuôi ong mật")
    with other_host(sync_app, tmp_path, "host-b", PORTAL_SEARCH_INDEXING="off") as host_b:
        with host_b.app_context():
            service(host_b).drain()
        behind = cursor_of(service(host_b).store)
        _course(sync_app, "Trồng lúa nước")
        _course(sync_app, "Sửa xe máy")
        ahead = cursor_of(service(sync_app).store)
        assert behind < ahead == outbox(sync_app)[-1][0]
        # Host B, seen recently, still needs the rows after its cursor.
        result = _flask(sync_app, "prune")
        assert result.exit_code == 0, result.output
        assert f"{behind} outbox rows deleted." in result.output
        assert [number for number, _ in outbox(sync_app)] == list(range(behind + 1, ahead + 1))
        assert not check(host_b).behind  # nothing it still needs was pruned
        # Host B not seen for 40 days: it no longer holds rows back.
        with sync_app.app_context():
            db.session.execute(
                sa.update(cursors_table)
                .where(cursors_table.c.name == "host-b")
                .values(updated_at=datetime.now(UTC).replace(tzinfo=None) - timedelta(days=40))
            )
            db.session.commit()
        result = _flask(sync_app, "prune", "--keep-days", "30")
        assert f"{ahead - behind} outbox rows deleted." in result.output
        assert outbox(sync_app) == []
        with sync_app.app_context():
            mark = db.session.scalar(
                sa.select(cursors_table.c.position).where(cursors_table.c.name == PRUNED)
            )
        assert mark == ahead
        assert check(sync_app).ok
        report = check(host_b)
        assert report.behind and not report.ok
        result = _flask(host_b, "check")
        assert result.exit_code == 1
        assert "The outbox was pruned past this index" in result.output
        result = _flask(host_b, "reindex")
        assert result.exit_code == 0, result.output
        assert check(host_b).ok
        assert _flask(host_b, "check").exit_code == 0
