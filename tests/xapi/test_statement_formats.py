"""GET /xapi/statements?format=canonical: every Activity carries the LRS's canonical
definition (merged from every statement that defined it), read in one query for the page,
then filtered to the language the client asks for; ``exact`` keeps what was sent."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa

from courses.xapi import formats
from tests.xapi.conftest import Lrs
from tests.xapi.statement_data import agent, new_id

QUIZ = "http://example.com/activities/quiz-7"
COURSE = "http://example.com/activities/course-7"
TYPE = "http://adlnet.gov/expapi/activities/assessment"
ANSWERED = {
    "id": "http://adlnet.gov/expapi/verbs/answered",
    "display": {"en-US": "answered", "vi": "đã trả lời"},
}


def quiz(**definition: Any) -> dict[str, Any]:
    return {"objectType": "Activity", "id": QUIZ, "definition": definition}


def sent(obj: dict[str, Any], **parts: Any) -> dict[str, Any]:
    return {"id": new_id(), "actor": agent(), "verb": ANSWERED, "object": obj, **parts}


@pytest.fixture
def first(lrs: Lrs) -> dict[str, Any]:
    """A statement defining the quiz (English name) and its course, then one that extends
    the quiz's definition: a Vietnamese name and a description. Returns the first."""
    statement = sent(
        quiz(name={"en-US": "Quiz 7"}, type=TYPE),
        context={
            "contextActivities": {
                "parent": [
                    {
                        "objectType": "Activity",
                        "id": COURSE,
                        "definition": {"name": {"en-US": "Course 7"}},
                    }
                ]
            }
        },
    )
    later = sent(
        quiz(
            name={"vi": "Bài kiểm tra 7"},
            description={"en-US": "Ten questions", "vi": "Mười câu hỏi"},
        )
    )
    for data in (statement, later):
        assert lrs.post("statements", json=data).status_code == 200
    return statement


def fetch(lrs: Lrs, language: str | None = None, **params: Any) -> Any:
    headers = {"Accept-Language": language} if language else {}
    response = lrs.get("statements", query_string=params, headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


@pytest.mark.parametrize(
    ("language", "kept"),
    [("vi", "vi"), ("en-US,vi;q=0.5", "en-US"), ("fr, en-US;q=0.8", "en-US")],
)
def test_canonical_gives_the_merged_definition_in_the_language_asked_for(
    lrs: Lrs, first: dict[str, Any], language: str, kept: str
) -> None:
    names = {"vi": "Bài kiểm tra 7", "en-US": "Quiz 7"}
    descriptions = {"vi": "Mười câu hỏi", "en-US": "Ten questions"}
    data = fetch(lrs, language, statementId=first["id"], format="canonical")
    assert data["object"]["definition"] == {
        "name": {kept: names[kept]},
        "description": {kept: descriptions[kept]},
        "type": TYPE,
    }
    course = data["context"]["contextActivities"]["parent"][0]
    assert course["definition"] == {"name": {"en-US": "Course 7"}}
    # Verbs keep the statement's display (the LRS keeps none), filtered all the same.
    assert data["verb"]["display"] == {kept: ANSWERED["display"][kept]}


def test_exact_still_gives_what_was_sent(lrs: Lrs, first: dict[str, Any]) -> None:
    for params in ({}, {"format": "exact"}):
        data = fetch(lrs, "vi", statementId=first["id"], **params)
        assert data["object"] == first["object"]
        assert data["context"] == first["context"]
        assert data["verb"] == ANSWERED


def test_canonical_fills_context_and_sub_statement_activities(
    lrs: Lrs, first: dict[str, Any]
) -> None:
    """Activities named by id only get their definition too, wherever they stand."""
    bare = {"objectType": "Activity", "id": QUIZ}
    sub = {
        "objectType": "SubStatement",
        "actor": agent("bao"),
        "verb": {"id": ANSWERED["id"]},
        "object": bare,
        "context": {"contextActivities": {"parent": [{"id": COURSE}]}},
    }
    statement = sent(sub, context={"contextActivities": {"grouping": [bare]}})
    assert lrs.post("statements", json=statement).status_code == 200
    data = fetch(lrs, "vi", statementId=statement["id"], format="canonical")
    expected = {"name": {"vi": "Bài kiểm tra 7"}, "description": {"vi": "Mười câu hỏi"}}
    assert data["context"]["contextActivities"]["grouping"][0]["definition"] == {
        **expected,
        "type": TYPE,
    }
    assert data["object"]["object"]["definition"] == {**expected, "type": TYPE}
    inner = data["object"]["context"]["contextActivities"]["parent"][0]
    assert inner["definition"] == {"name": {"en-US": "Course 7"}}
    assert "definition" not in fetch(lrs, statementId=statement["id"])["object"]["object"]


@contextlib.contextmanager
def counted(db: Any) -> Iterator[list[str]]:
    """The SQL sent on the test's connection inside the block (the requests use it too)."""
    sent_sql: list[str] = []
    connection = db.session.connection()

    def count(_conn: Any, _cursor: Any, sql: str, *_args: Any) -> None:
        sent_sql.append(sql)

    sa.event.listen(connection, "before_cursor_execute", count)
    try:
        yield sent_sql
    finally:
        sa.event.remove(connection, "before_cursor_execute", count)


def test_a_canonical_page_reads_its_activities_in_one_query(
    lrs: Lrs, first: dict[str, Any], db: Any
) -> None:
    for n in range(3):
        other = f"http://example.com/activities/page-{n}"
        extra = sent(
            {"id": other, "definition": {"name": {"en-US": f"Page {n}"}}},
            context={"contextActivities": {"parent": [{"id": QUIZ}]}},
        )
        assert lrs.post("statements", json=extra).status_code == 200
    with counted(db) as sql:
        page = fetch(lrs, "en-US", format="canonical")["statements"]
    assert len(page) == 5
    assert [s["object"]["definition"]["name"] for s in page[:3]] == [
        {"en-US": f"Page {n}"} for n in (2, 1, 0)
    ]
    parent = page[0]["context"]["contextActivities"]["parent"][0]
    assert parent["definition"]["description"] == {"en-US": "Ten questions"}
    assert len([q for q in sql if "xapi_activities" in q]) == 1, sql
    with counted(db) as sql:
        fetch(lrs, "en-US")
    assert not [q for q in sql if "xapi_activities" in q], sql


def test_an_activity_the_lrs_keeps_no_definition_for_keeps_the_statements(db: Any) -> None:
    """Say one only the portal's own statements define (they do not go through the LRS)."""
    own = sent(
        {"id": "http://example.com/activities/portal-only", "definition": {"name": {"vi": "A"}}}
    )
    (shown,) = formats.canonical([own], lambda _languages: None)
    assert shown["object"] == own["object"]
    assert shown is not own
