"""Concurrent writers of the same statement id, really committed, and the links of the
statements stored before the LRS (the data step of migration 0012)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from typing import Any

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from courses.records.models import Statement
from courses.xapi import clients
from courses.xapi.models import StatementLink
from portal.extensions import db
from tests.conftest import BACKENDS, make_app, scratch_database
from tests.xapi.conftest import basic
from tests.xapi.statement_data import statement


def _credentials(app: Any) -> dict[str, str]:
    with app.app_context():
        issued = clients.issue("Writer", scopes=["all"], rate_limit="1000 per minute")
        db.session.commit()
        return {
            "Authorization": basic(issued.client.key, issued.secret),
            "X-Experience-API-Version": "2.0.0",
        }


def _race(app: Any, bodies: list[dict[str, Any]], headers: dict[str, str]) -> list[int]:
    statuses: list[int] = []
    lock = threading.Lock()
    start = threading.Barrier(len(bodies))

    def write(body: dict[str, Any]) -> None:
        client = app.test_client()
        start.wait()
        response = client.put(
            "/xapi/statements",
            query_string={"statementId": body["id"]},
            json=body,
            headers=headers,
        )
        with lock:
            statuses.append(response.status_code)

    threads = [threading.Thread(target=write, args=(body,)) for body in bodies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(statuses)


def _stored(app: Any, statement_id: str) -> list[Statement]:
    with app.app_context():
        return list(
            db.session.scalars(sa.select(Statement).where(Statement.statement_id == statement_id))
        )


def test_two_writers_of_the_same_statement_store_it_once(committed_app: Any) -> None:
    headers = _credentials(committed_app)
    data = statement()
    assert _race(committed_app, [data, dict(data)], headers) == [204, 204]
    assert len(_stored(committed_app, data["id"])) == 1


def test_two_writers_of_different_statements_under_one_id_conflict(committed_app: Any) -> None:
    headers = _credentials(committed_app)
    data = statement()
    other = {**data, "verb": {"id": "http://example.com/verbs/other"}}
    assert _race(committed_app, [data, other], headers) == [204, 409]
    rows = _stored(committed_app, data["id"])
    assert len(rows) == 1 and rows[0].verb_iri in (data["verb"]["id"], other["verb"]["id"])


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_migration_links_statements_stored_before(backend: str, tmp_path_factory: Any) -> None:
    with scratch_database(backend, tmp_path_factory) as url:
        app = make_app(url, tmp_path_factory.mktemp("instance"))
        with app.app_context():
            upgrade(revision="0011")
            moment = datetime(2026, 1, 2, tzinfo=UTC)
            table = sa.table(
                "learning_statements",
                *(sa.column(name) for name in ("statement_id", "actor_key", "verb_iri")),
                *(sa.column(name) for name in ("is_voided", "local_year", "timestamp")),
                sa.column("stored"),
                sa.column("data", sa.JSON()),
            )
            data = statement(
                context={"contextActivities": {"parent": [{"id": "http://example.com/c"}]}}
            )
            db.session.execute(
                table.insert(),
                {
                    "statement_id": data["id"],
                    "actor_key": "mbox:mailto:ana@example.com",
                    "verb_iri": data["verb"]["id"],
                    "is_voided": False,
                    "local_year": 2026,
                    "timestamp": moment,
                    "stored": moment,
                    "data": data,
                },
            )
            db.session.commit()
            upgrade()
            found = {
                (link.kind, link.value, link.related)
                for link in db.session.scalars(sa.select(StatementLink))
            }
            db.session.remove()
            db.engine.dispose()
    assert found == {
        ("agent", "mbox:mailto:ana@example.com", False),
        ("activity", data["object"]["id"], False),
        ("activity", "http://example.com/c", True),
    }


def test_batches_about_the_same_learners_in_other_orders_do_not_deadlock(
    committed_app: Any,
) -> None:
    """Each batch changes the summaries of six portal users; two writers send them in
    opposite orders. Without the learner locks (records.operations.lock_learners) PostgreSQL
    finds a deadlock and one batch fails; with them, the second waits for the first."""
    from courses.records import iri
    from portal.accounts import operations as accounts

    headers = _credentials(committed_app)
    with committed_app.app_context():
        users = [
            accounts.create_user(
                full_name=f"Learner {n}", password="x" * 12, phone=f"09120099{n:02d}"
            )
            for n in range(6)
        ]
        db.session.commit()
        ids = [user.id for user in users]
        base = iri.base_url()
        course = iri.activity_iri("course", 1)
        lesson = iri.activity_iri("lesson", 1)

    def batch(order: list[int]) -> list[dict[str, Any]]:
        return [
            statement(
                actor={"objectType": "Agent", "account": {"homePage": base, "name": str(uid)}},
                object={"objectType": "Activity", "id": lesson},
                result={"duration": "PT10M"},
                context={"contextActivities": {"parent": [{"id": course}]}},
            )
            for uid in order
        ]

    statuses: list[int] = []
    lock = threading.Lock()
    start = threading.Barrier(2)

    def write(order: list[int]) -> None:
        client = committed_app.test_client()
        start.wait()
        for _ in range(8):
            response = client.post("/xapi/statements", json=batch(order), headers=headers)
            with lock:
                statuses.append(response.status_code)

    threads = [
        threading.Thread(target=write, args=(ids,)),
        threading.Thread(target=write, args=(ids[::-1],)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * 16
    with committed_app.app_context():
        stored = db.session.scalar(
            sa.select(sa.func.count()).select_from(Statement).where(Statement.user_id.in_(ids))
        )
    assert stored == 16 * 6
