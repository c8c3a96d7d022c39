"""GET /xapi/statements with filters: agents and activities (directly or related), verb,
registration, time, order, limit and ``more`` paging, formats, and statements that target
a matching statement."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from courses.xapi import statement_queries
from tests.xapi.conftest import Lrs
from tests.xapi.statement_data import agent, new_id, statement

COURSE = "http://example.com/course/1"
OTHER = "http://example.com/activities/other"
REGISTRATION = "ec531277-b57b-4c15-8d91-d292c5b2b8f7"


def ids(lrs: Lrs, **params: Any) -> list[str]:
    response = lrs.get("statements", query_string=params)
    assert response.status_code == 200, response.get_json()
    return [s["id"] for s in response.get_json()["statements"]]


@pytest.fixture
def stored(lrs: Lrs) -> dict[str, dict[str, Any]]:
    """Four statements, stored one after the other."""
    made = {
        "ana_meeting": statement(actor=agent("ana")),
        "bao_other": statement(
            actor=agent("bao"),
            object={"id": OTHER},
            context={
                "registration": REGISTRATION,
                "instructor": agent("ana"),
                "contextActivities": {"parent": [{"id": COURSE}]},
            },
        ),
        "chi_about_ana": statement(
            actor=agent("chi"),
            verb={"id": "http://example.com/verbs/mentored"},
            object={**agent("ana"), "objectType": "Agent"},
        ),
        "group_sub": statement(
            actor={"objectType": "Group", "member": [agent("dung"), agent("bao")]},
            object={
                "objectType": "SubStatement",
                "actor": agent("em"),
                "verb": {"id": "http://example.com/verbs/will"},
                "object": {"id": COURSE},
            },
        ),
    }
    for data in made.values():
        assert lrs.post("statements", json=data).status_code == 200
    return made


def who(name: str) -> str:
    return json.dumps({"mbox": f"mailto:{name}@example.com"})


def test_newest_first_unless_ascending(lrs: Lrs, stored: Any) -> None:
    order = [s["id"] for s in stored.values()]
    assert ids(lrs) == order[::-1]
    assert ids(lrs, ascending="true") == order


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"agent": who("ana")}, ["chi_about_ana", "ana_meeting"]),
        (
            {"agent": who("ana"), "related_agents": "true"},
            ["chi_about_ana", "bao_other", "ana_meeting"],
        ),
        ({"agent": who("bao")}, ["bao_other"]),
        ({"agent": who("bao"), "related_agents": "true"}, ["group_sub", "bao_other"]),
        ({"agent": who("em"), "related_agents": "true"}, ["group_sub"]),
        ({"verb": "http://example.com/verbs/mentored"}, ["chi_about_ana"]),
        ({"activity": OTHER}, ["bao_other"]),
        ({"activity": COURSE}, []),
        ({"activity": COURSE, "related_activities": "true"}, ["group_sub", "bao_other"]),
        ({"registration": REGISTRATION}, ["bao_other"]),
        ({"agent": who("nobody")}, []),
    ],
    ids=lambda value: "" if isinstance(value, list) else "&".join(value),
)
def test_filters(lrs: Lrs, stored: Any, params: Any, expected: list[str]) -> None:
    assert ids(lrs, **params) == [stored[name]["id"] for name in expected]


def test_since_and_until_use_the_stored_time(lrs: Lrs, stored: Any) -> None:
    first = lrs.get("statements", query_string={"ascending": "true"}).get_json()["statements"]
    moment = first[1]["stored"]
    later = ids(lrs, since=moment)
    earlier = ids(lrs, until=moment)
    assert set(later) | set(earlier) == {s["id"] for s in first}
    assert first[1]["id"] in earlier and first[1]["id"] not in later


def test_statements_targeting_a_match_are_returned_with_it(lrs: Lrs, stored: Any) -> None:
    target = stored["bao_other"]["id"]
    pointer = statement(
        actor=agent("zed"),
        verb={"id": "http://example.com/verbs/liked"},
        object={"objectType": "StatementRef", "id": target},
    )
    lrs.post("statements", json=pointer)
    assert ids(lrs, activity=OTHER) == [pointer["id"], target]
    assert ids(lrs, registration=REGISTRATION) == [pointer["id"], target]


@pytest.mark.parametrize("most", [1000, 0], ids=["targets listed", "targets in SQL"])
def test_targeting_statements_are_found_however_many_there_are(
    lrs: Lrs, stored: Any, monkeypatch: Any, most: int
) -> None:
    monkeypatch.setattr(statement_queries, "_MOST_REFERRING", most)
    target = stored["ana_meeting"]["id"]
    pointer = statement(actor=agent("zed"), object={"objectType": "StatementRef", "id": target})
    lrs.post("statements", json=pointer)
    assert ids(lrs, agent=who("ana"), verb=stored["ana_meeting"]["verb"]["id"]) == [
        pointer["id"],
        target,
    ]


def test_more_pages_through_everything_once(lrs: Lrs, stored: Any) -> None:
    seen: list[str] = []
    response = lrs.get("statements", query_string={"limit": 1})
    pages = 0
    while True:
        body = response.get_json()
        seen += [s["id"] for s in body["statements"]]
        pages += 1
        if not body["more"]:
            break
        assert body["more"].startswith("/xapi/statements?more=")
        response = lrs.get(body["more"].removeprefix("/xapi/"))
        assert response.status_code == 200
    assert seen == ids(lrs) and pages == 4


def test_a_page_never_exceeds_the_configured_size(app: Any, lrs: Lrs, stored: Any) -> None:
    app.config["PORTAL_XAPI_PAGE_SIZE"] = 3
    try:
        body = lrs.get("statements", query_string={"limit": 10}).get_json()
    finally:
        app.config["PORTAL_XAPI_PAGE_SIZE"] = 100
    assert len(body["statements"]) == 3 and body["more"]


def test_more_keeps_the_filters_and_cannot_be_forged(lrs: Lrs, stored: Any) -> None:
    first = lrs.get("statements", query_string={"agent": who("ana"), "limit": 1}).get_json()
    second = lrs.get(first["more"].removeprefix("/xapi/")).get_json()
    assert [s["id"] for s in first["statements"] + second["statements"]] == [
        stored["chi_about_ana"]["id"],
        stored["ana_meeting"]["id"],
    ]
    assert second["more"] == ""
    token = parse_qs(urlsplit(first["more"]).query)["more"][0]
    forged = lrs.get("statements", query_string={"more": token[:-2] + "xx"})
    assert forged.status_code == 400


@pytest.mark.parametrize(
    "params",
    [
        {"colour": "blue"},
        {"statementId": new_id(), "verb": "http://example.com/v"},
        {"voidedStatementId": new_id(), "limit": "1"},
        {"statementId": "42"},
        {"agent": "not json"},
        {"agent": json.dumps({"name": "no identifier"})},
        {"verb": "not an iri"},
        {"registration": "nope"},
        {"since": "yesterday"},
        {"limit": "-1"},
        {"ascending": "perhaps"},
        {"format": "pretty"},
        {"attachments": "maybe"},
        {"more": "garbage"},
    ],
    ids=lambda params: "&".join(params),
)
def test_bad_parameters_are_refused(lrs: Lrs, params: Any) -> None:
    response = lrs.get("statements", query_string=params)
    assert response.status_code == 400
    assert "X-Experience-API-Consistent-Through" in response.headers


def test_format_ids_keeps_only_identifiers(lrs: Lrs, stored: Any) -> None:
    body = lrs.get(
        "statements", query_string={"statementId": stored["group_sub"]["id"], "format": "ids"}
    ).get_json()
    assert body["verb"] == {"id": stored["group_sub"]["verb"]["id"]}
    assert body["actor"] == {
        "objectType": "Group",
        "member": [
            {"objectType": "Agent", "mbox": "mailto:dung@example.com"},
            {"objectType": "Agent", "mbox": "mailto:bao@example.com"},
        ],
    }
    assert body["object"]["object"] == {"id": COURSE}
    listed = lrs.get("statements", query_string={"format": "ids"}).get_json()["statements"]
    meeting = next(s for s in listed if s["id"] == stored["ana_meeting"]["id"])
    assert meeting["object"] == {"id": stored["ana_meeting"]["object"]["id"]}
    assert "name" not in meeting["actor"]


def test_format_canonical_keeps_the_language_asked_for(lrs: Lrs, stored: Any) -> None:
    query = {"statementId": stored["ana_meeting"]["id"], "format": "canonical"}
    body = lrs.get("statements", query_string=query, headers={"Accept-Language": "en-GB"})
    data = body.get_json()
    assert data["verb"]["display"] == {"en-GB": "attended"}
    assert data["object"]["definition"]["name"] == {"en-GB": "example meeting"}
    exact = lrs.get("statements", query_string={"statementId": stored["ana_meeting"]["id"]})
    assert set(exact.get_json()["verb"]["display"]) == {"en-GB", "en-US"}
