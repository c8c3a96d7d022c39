"""record(), void() and the live summaries, on both backends (rolled back per test)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from courses.records import iri, operations, queries, verbs
from courses.records.models import Statement
from courses.records.operations import StatementError, parse_duration
from tests.records.conftest import T0, statement, summaries

pytestmark = pytest.mark.usefixtures("db")


def lesson(n: int) -> str:
    return iri.activity_iri("lesson", n)


def course(n: int) -> str:
    return iri.activity_iri("course", n)


def test_activity_iris_are_under_the_base_url(app):
    with app.app_context():
        assert iri.activity_iri("course", 12) == "http://127.0.0.1:5000/xapi/activities/course/12"
        assert iri.activity_kind(course(12)) == "course"
        assert iri.activity_kind("https://example.org/xapi/activities/course/12") is None
        assert verbs.earned() == "http://127.0.0.1:5000/xapi/verbs/earned"
        assert verbs.COMPLETED == "http://adlnet.gov/expapi/verbs/completed"


def test_record_stores_the_canonical_statement_with_indexed_columns(learners):
    user = learners[0]
    sent = statement(
        user.id,
        verbs.COMPLETED,
        lesson(1),
        course=7,
        at=datetime(2026, 12, 31, 20, 0, tzinfo=UTC),  # 1 January 2027 in Vietnam
        duration="PT1H30M",
        scaled=0.8,
        id="A1B2C3D4-0000-4000-8000-00000000000A",
    )
    sent["context"]["registration"] = "B1B2C3D4-0000-4000-8000-00000000000B"
    sent["object"]["definition"] = {"name": {"vi": "Bài 1: Học nghề điện"}}
    sent["object"]["definition"]["name"]["vi"] = "Bài 1: Ho\u0323c nghề"  # decomposed ọ
    row = operations.record(sent, authority=user)

    assert row.statement_id == "a1b2c3d4-0000-4000-8000-00000000000a"
    assert row.user_id == user.id
    assert row.verb_iri == verbs.COMPLETED
    assert row.activity_iri == lesson(1)
    assert row.course_iri == course(7)
    assert row.registration == "b1b2c3d4-0000-4000-8000-00000000000b"
    assert row.duration_ms == 5_400_000 and row.score_scaled == 0.8
    assert row.local_year == 2027
    assert row.timestamp == datetime(2026, 12, 31, 20, 0, tzinfo=UTC)
    data = row.data
    assert data["id"] == row.statement_id
    assert data["timestamp"] == "2026-12-31T20:00:00.000Z"
    assert data["stored"].endswith("Z") and data["version"] == "2.0.0"
    assert data["authority"] == iri.user_agent(user.id)
    assert data["object"]["definition"]["name"]["vi"] == "Bài 1: Học nghề"
    assert data["context"]["contextActivities"]["grouping"][0]["objectType"] == "Activity"
    assert queries.hours_of(user.id, 2027) == 1.5
    assert queries.hours_of(user.id, 2026) == 0


def test_record_generates_an_id_and_timestamp_when_missing(learners):
    sent = statement(learners[0].id, verbs.EXPERIENCED, lesson(1))
    del sent["timestamp"]
    row = operations.record(sent)
    assert uuid.UUID(row.statement_id).version == 4
    assert row.data["timestamp"] == row.data["stored"]
    assert row.data["authority"] == iri.portal_agent()


def test_same_statement_twice_is_stored_once(learners):
    sent = statement(learners[0].id, verbs.COMPLETED, lesson(1), course=1, duration="PT10M")
    sent["id"] = str(uuid.uuid4())
    first = operations.record(sent)
    again = operations.record(dict(sent, id=sent["id"].upper()))
    assert again.id == first.id
    assert queries.hours_of(learners[0].id, 2026) == pytest.approx(10 / 60)


def test_same_id_with_other_content_is_a_conflict(learners):
    sent = statement(learners[0].id, verbs.COMPLETED, lesson(1), id=str(uuid.uuid4()))
    operations.record(sent)
    with pytest.raises(StatementError) as error:
        operations.record(dict(sent, object={"id": lesson(2)}))
    assert error.value.code == "conflict"


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"actor": None}, "missing_actor"),
        ({"actor": {"name": "no identifier"}}, "invalid_actor"),
        ({"actor": {"mbox": "lan@example.org"}}, "invalid_actor"),
        ({"verb": {"id": "completed"}}, "invalid_verb"),
        ({"verb": None}, "missing_verb"),
        ({"object": None}, "missing_object"),
        ({"object": {"id": "not an iri"}}, "invalid_object"),
        ({"object": {"id": "https://example.org/" + "a" * 600}}, "invalid_object"),
        ({"result": {"duration": "1 hour"}}, "bad_duration"),
        ({"result": {"duration": "PT"}}, "bad_duration"),
        ({"result": {"score": {"scaled": 1.5}}}, "score_out_of_range"),
        ({"result": {"score": {"raw": 11, "min": 0, "max": 10}}}, "score_out_of_range"),
        ({"result": {"success": "yes"}}, "invalid_result"),
        ({"timestamp": "2026-03-01 08:00"}, "invalid_timestamp"),
        ({"timestamp": "9999-12-31T23:00:00+00:00"}, "invalid_timestamp"),
        ({"result": {"duration": "P999Y"}}, "bad_duration"),
        ({"result": {"score": {"scaled": float("nan")}}}, "score_out_of_range"),
        ({"result": {"score": {"raw": float("inf")}}}, "score_out_of_range"),
        ({"id": "not-a-uuid"}, "invalid_id"),
        ({"context": {"registration": "x"}}, "invalid_context"),
    ],
)
def test_invalid_statements_are_refused_with_a_code(learners, change, code):
    sent = statement(learners[0].id, verbs.COMPLETED, lesson(1))
    for key, value in change.items():
        if value is None:
            del sent[key]
        else:
            sent[key] = value
    with pytest.raises(StatementError) as error:
        operations.record(sent)
    assert error.value.code == code
    assert error.value.message


def test_an_unknown_portal_user_is_refused(app):
    with pytest.raises(StatementError) as error:
        operations.record(statement(987_654, verbs.COMPLETED, lesson(1)))
    assert error.value.code == "unknown_user"


def test_actors_who_are_not_portal_users_are_kept_without_summaries(learners):
    sent = statement(1, verbs.COMPLETED, lesson(1), course=1, duration="PT1H")
    sent["actor"] = {"objectType": "Agent", "mbox": "mailto:Lan@Example.org", "name": "Lan"}
    row = operations.record(sent)
    assert row.user_id is None and row.actor_key == "mbox:mailto:lan@example.org"
    assert summaries() == ({}, {})


def test_durations_are_read_as_iso_8601():
    assert parse_duration("PT1H30M") == 5_400_000
    assert parse_duration("PT0.5S") == 500
    assert parse_duration("P1DT1S") == 86_401_000
    assert parse_duration("P2W") == 14 * 86_400_000
    assert parse_duration("PT1,5S") == 1500


def test_progress_counts_distinct_lessons_against_the_lesson_count(learners):
    user = learners[0]
    record = operations.record
    record(statement(user.id, verbs.EXPERIENCED, lesson(1), course=3, lesson_count=4))
    progress = queries.progress_of(user.id, course(3))
    assert progress.lessons_completed == 0 and progress.progress == 0
    record(statement(user.id, verbs.COMPLETED, lesson(1), course=3, at=T0 + timedelta(hours=1)))
    record(statement(user.id, verbs.COMPLETED, lesson(1), course=3, at=T0 + timedelta(hours=2)))
    record(statement(user.id, verbs.COMPLETED, lesson(2), course=3, at=T0 + timedelta(hours=3)))
    record(
        statement(user.id, verbs.PASSED, iri.activity_iri("quiz", 3), course=3, scaled=0.9, at=T0)
    )
    progress = queries.progress_of(user.id, course(3))
    assert progress.lessons_completed == 2
    assert progress.progress == 0.5
    assert progress.last_activity_iri == lesson(2)  # where to resume
    assert progress.best_score_scaled == 0.9
    assert progress.completed_at is None
    assert queries.progress_of(learners[1].id, course(3)) is None


def test_course_completion_and_certificate_make_progress_whole(learners):
    user = learners[0]
    done = T0 + timedelta(days=3)
    operations.record(statement(user.id, verbs.COMPLETED, lesson(1), course=4, lesson_count=10))
    operations.record(statement(user.id, verbs.COMPLETED, course(4), at=done))
    operations.record(
        statement(user.id, verbs.earned(), iri.activity_iri("certificate", 4), course=4, at=done)
    )
    progress = queries.progress_of(user.id, course(4))
    assert progress.progress == 1.0 and progress.completed_at == done
    assert progress.certificate_earned_at == done
    counts = queries.completions_of(course(4))
    assert (counts.completed, counts.certificates) == (1, 1)
    assert counts.last_completed_at == done


def test_voiding_flags_the_statement_and_updates_the_summaries(learners, make_user):
    user, staff = learners[0], make_user(roles=("staff",), scopes={"staff": ("centre", "C1")})
    kept = operations.record(
        statement(user.id, verbs.COMPLETED, lesson(1), course=5, lesson_count=2, duration="PT1H")
    )
    wrong = operations.record(
        statement(
            user.id,
            verbs.COMPLETED,
            lesson(2),
            course=5,
            duration="PT2H",
            at=T0 + timedelta(hours=1),
        )
    )
    assert queries.progress_of(user.id, course(5)).progress == 1.0
    assert queries.hours_of(user.id, 2026) == 3

    voiding = operations.void(wrong.statement_id.upper(), by=staff)

    assert voiding.verb_iri == verbs.VOIDED and voiding.voids_statement_id == wrong.statement_id
    assert voiding.data["object"] == {"objectType": "StatementRef", "id": wrong.statement_id}
    assert wrong.is_voided and not kept.is_voided
    assert queries.get_statement(wrong.statement_id) is wrong  # flagged, never deleted
    progress = queries.progress_of(user.id, course(5))
    assert progress.lessons_completed == 1 and progress.progress == 0.5
    assert progress.last_activity_iri == lesson(1)
    assert queries.hours_of(user.id, 2026) == 1
    page = queries.statements_of(user.id)
    assert [s.statement_id for s in page.items] == [kept.statement_id]
    assert queries.statements_of(user.id, include_voided=True).total == 2


def test_voiding_refuses_unknown_and_voiding_statements(learners):
    user = learners[0]
    with pytest.raises(StatementError) as error:
        operations.void(str(uuid.uuid4()), by=user)
    assert error.value.code == "unknown_statement"
    row = operations.record(statement(user.id, verbs.EXPERIENCED, lesson(1)))
    voiding = operations.void(row.statement_id, by=user)
    with pytest.raises(StatementError) as error:
        operations.void(voiding.statement_id, by=user)
    assert error.value.code == "invalid_void"


def test_statements_of_a_learner_are_paged_newest_first(learners):
    user = learners[0]
    rows = [operations.record(statement(user.id, verbs.EXPERIENCED, lesson(n))) for n in range(5)]
    page = queries.statements_of(user.id, page=2, per_page=2)
    assert page.total == 5 and page.pages == 3
    assert [r.id for r in page.items] == [rows[2].id, rows[1].id]


def test_deleting_an_account_erases_its_learning_records(learners, db):
    from portal.accounts.operations import delete_account

    user, other = learners[0], learners[1]
    operations.record(statement(user.id, verbs.COMPLETED, lesson(1), course=1, duration="PT1H"))
    operations.record(statement(other.id, verbs.COMPLETED, lesson(1), course=1, duration="PT1H"))
    user_id = user.id
    delete_account(user)
    db.session.expire_all()
    assert (
        db.session.scalar(
            sa.select(sa.func.count(Statement.id)).where(Statement.user_id == user_id)
        )
        == 0
    )
    progress, hours = summaries()
    assert set(progress) == {(other.id, course(1))} and set(hours) == {(other.id, 2026)}


def test_the_base_url_names_activities_without_a_double_slash(tmp_path):
    from tests.conftest import make_app

    app = make_app(
        f"sqlite:///{tmp_path / 'x.sqlite3'}", tmp_path, PORTAL_BASE_URL="https://hoc.gov.vn/"
    )
    with app.app_context():
        assert iri.activity_iri("lesson", 3) == "https://hoc.gov.vn/xapi/activities/lesson/3"
        assert iri.user_agent(5)["account"] == {"homePage": "https://hoc.gov.vn", "name": "5"}
        assert iri.activity_kind("https://hoc.gov.vn/xapi/activities/course/1") == "course"
