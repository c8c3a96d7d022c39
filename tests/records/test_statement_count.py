"""How many SQL statements one record() sends: a guard against slow regressions. Counted on
the test's connection with a SQLAlchemy event, on both backends; the figures are the same on
SQLite and PostgreSQL (SQLite's write lock comes with the first INSERT, no extra statement)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from courses.records import iri, operations, queries, verbs
from tests.records.conftest import T0, statement

pytestmark = pytest.mark.usefixtures("db")

# Statement row (checks the user too), hours upsert, progress upsert (creates or locks the
# row), progress UPDATE (counts the lesson in), the LRS's links of the statement (one
# INSERT, courses.xapi.links). Before: 8 on SQLite and 7 on PostgreSQL, one
# more when the user was not loaded in the session already (a SELECT to check it exists).
MOST_PER_RECORD = 5


@contextlib.contextmanager
def counted(db) -> Iterator[list[str]]:
    """The SQL sent on the session's connection inside the block."""
    sent: list[str] = []
    connection = db.session.connection()

    def count(_conn, _cursor, sql, *_args) -> None:  # type: ignore[no-untyped-def]
        sent.append(sql)

    sa.event.listen(connection, "before_cursor_execute", count)
    try:
        yield sent
    finally:
        sa.event.remove(connection, "before_cursor_execute", count)


def lesson_completion(user_id: int, n: int, **extra):  # type: ignore[no-untyped-def]
    return statement(
        user_id,
        verbs.COMPLETED,
        iri.activity_iri("lesson", n),
        course=1,
        lesson_count=4,
        duration="PT20M",
        scaled=0.5,
        **extra,
    )


def test_a_lesson_completion_costs_at_most_four_statements(db, learners):
    user = learners[0]
    for n, fresh_progress_row in ((1, True), (2, False), (2, False)):
        with counted(db) as sent:
            operations.record(lesson_completion(user.id, n))
        assert len(sent) <= MOST_PER_RECORD, (fresh_progress_row, sent)
    progress = queries.progress_of(user.id, iri.activity_iri("course", 1))
    assert progress is not None
    assert (progress.lessons_completed, progress.progress) == (2, 0.5)


def test_a_statement_outside_courses_costs_two_statements(db, learners):
    sent_statement = statement(learners[0].id, verbs.EXPERIENCED, iri.activity_iri("page", 3))
    with counted(db) as sent:
        operations.record(sent_statement)
    assert len(sent) == 2, sent  # the statement row and its links (courses.xapi.links)


def test_a_resend_costs_one_more_select_and_changes_nothing(db, learners):
    sent_statement = lesson_completion(learners[0].id, 1, at=T0)
    sent_statement["id"] = "0f0e0d0c-0000-4000-8000-000000000001"
    operations.record(sent_statement)
    with counted(db) as sent:
        operations.record(sent_statement)
    assert len(sent) == 2, sent
