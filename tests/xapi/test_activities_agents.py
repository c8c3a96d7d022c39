"""The canonical activity definitions kept from statements, the Activities resource and the
Agents resource."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

import pytest
import sqlalchemy as sa

from courses.records import iri, operations
from courses.xapi import activities
from courses.xapi.models import LrsActivity
from tests.xapi.conftest import Lrs

ACTIVITY = "http://example.com/activities/quiz-1"
PARENT = "http://example.com/activities/course-1"
ACTOR = {"objectType": "Agent", "mbox": "mailto:lan@example.com"}


def statement(obj: dict[str, Any], **parts: Any) -> dict[str, Any]:
    return {
        "actor": ACTOR,
        "verb": {"id": "http://adlnet.gov/expapi/verbs/answered"},
        "object": obj,
        **parts,
    }


def activity(iri: str = ACTIVITY, **definition: Any) -> dict[str, Any]:
    found: dict[str, Any] = {"objectType": "Activity", "id": iri}
    if definition:
        found["definition"] = definition
    return found


def stored(db: Any) -> dict[str, dict[str, Any]]:
    return {row.iri: row.definition for row in db.session.scalars(sa.select(LrsActivity))}


def test_remember_keeps_the_definitions_of_object_context_and_sub_statement(db: Any) -> None:
    sub = statement(activity("http://example.com/inner", name={"en": "Inner"}))
    data = statement(
        {**sub, "objectType": "SubStatement"},
        context={
            "contextActivities": {
                "parent": [activity(PARENT, name={"en": "Course"})],
                "category": [activity("http://example.com/plain")],
            }
        },
    )
    activities.remember(data)
    assert stored(db) == {
        "http://example.com/inner": {"name": {"en": "Inner"}},
        PARENT: {"name": {"en": "Course"}},
    }


def test_the_newest_definition_wins_and_language_maps_are_merged(db: Any) -> None:
    activities.remember(
        statement(
            activity(
                name={"en": "Quiz"},
                description={"en": "Old"},
                type="http://adlnet.gov/expapi/activities/assessment",
                extensions={"http://example.com/a": 1},
            )
        )
    )
    activities.remember(
        statement(
            activity(
                name={"vi": "Bài kiểm tra"},
                description={"en": "New"},
                moreInfo="http://example.com/more",
                extensions={"http://example.com/b": 2},
            )
        )
    )
    assert stored(db)[ACTIVITY] == {
        "name": {"en": "Quiz", "vi": "Bài kiểm tra"},
        "description": {"en": "New"},
        "type": "http://adlnet.gov/expapi/activities/assessment",
        "moreInfo": "http://example.com/more",
        "extensions": {"http://example.com/a": 1, "http://example.com/b": 2},
    }


def test_interaction_components_merge_their_descriptions_until_the_type_changes(db: Any) -> None:
    choices = [{"id": "a", "description": {"en": "Yes"}}, {"id": "b", "description": {"en": "No"}}]
    activities.remember(statement(activity(interactionType="choice", choices=choices)))
    activities.remember(
        statement(
            activity(interactionType="choice", choices=[{"id": "a", "description": {"vi": "Có"}}])
        )
    )
    merged = [{"id": "a", "description": {"en": "Yes", "vi": "Có"}}]
    assert stored(db)[ACTIVITY]["choices"] == merged
    activities.remember(statement(activity(interactionType="likert", scale=choices)))
    assert stored(db)[ACTIVITY] == {"interactionType": "likert", "scale": choices}


def test_remember_all_does_nothing_without_definitions(db: Any) -> None:
    activities.remember_all([statement(activity()), statement(ACTOR)])
    assert stored(db) == {}


def test_a_batch_merges_in_order_with_one_insert(db: Any) -> None:
    activities.remember_all(
        [
            statement(activity(name={"en": "One"})),
            statement(activity(name={"en": "Two", "fr": "Deux"})),
            statement(activity(PARENT, type="http://example.com/type")),
        ]
    )
    assert stored(db) == {
        ACTIVITY: {"name": {"en": "Two", "fr": "Deux"}},
        PARENT: {"type": "http://example.com/type"},
    }


def test_without_the_define_scope_new_activities_are_kept_but_not_redefined(db: Any) -> None:
    activities.remember(statement(activity(name={"en": "Quiz"})), define=False)
    activities.remember(statement(activity(name={"en": "Changed"})), define=False)
    assert stored(db) == {ACTIVITY: {"name": {"en": "Quiz"}}}


def test_a_definition_inserted_meanwhile_is_merged_into(db: Any, monkeypatch: Any) -> None:
    """The SELECT found no row, but another request inserted it before our INSERT."""
    activities.remember(statement(activity(name={"en": "Quiz"})))
    real_scalars = db.session.scalars
    calls = []

    def first_select_sees_nothing(query: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(query)
        return iter(()) if len(calls) == 1 else real_scalars(query, *args, **kwargs)

    monkeypatch.setattr(db.session, "scalars", first_select_sees_nothing)
    activities.remember(statement(activity(name={"vi": "Bài kiểm tra"})))
    monkeypatch.undo()
    assert stored(db) == {ACTIVITY: {"name": {"en": "Quiz", "vi": "Bài kiểm tra"}}}


# The Activities resource


def test_the_activities_resource_gives_the_canonical_definition(lrs: Lrs) -> None:
    activities.remember(statement(activity(name={"en-US": "Quiz"}, type="http://e.com/t")))
    activities.remember(statement(activity(name={"fr-FR": "Quiz FR"})))
    response = lrs.get(f"activities?{urlencode({'activityId': ACTIVITY})}")
    assert response.status_code == 200
    assert response.get_json() == {
        "objectType": "Activity",
        "id": ACTIVITY,
        "definition": {"name": {"en-US": "Quiz", "fr-FR": "Quiz FR"}, "type": "http://e.com/t"},
    }
    head = lrs.request("HEAD", f"activities?{urlencode({'activityId': ACTIVITY})}")
    assert head.status_code == 200 and head.data == b""


def test_an_activity_never_defined_is_still_an_activity(lrs: Lrs) -> None:
    unknown = "http://example.com/never-seen"
    response = lrs.get(f"activities?{urlencode({'activityId': unknown})}")
    assert response.status_code == 200
    assert response.get_json() == {"objectType": "Activity", "id": unknown}


@pytest.mark.parametrize(
    "query_string",
    ["", "activityId=not%20an%20iri", "activityId=http://e.com/a&activityId=http://e.com/b",
     "activityId=http://e.com/a&since=2020-01-01T00:00:00Z", "ActivityId=http://e.com/a"],
)  # fmt: skip
def test_the_activities_resource_refuses_bad_parameters(lrs: Lrs, query_string: str) -> None:
    response = lrs.get(f"activities?{query_string}")
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"


# The Agents resource


def agents_url(agent: Any) -> str:
    return "agents?" + urlencode({"agent": json.dumps(agent) if isinstance(agent, dict) else agent})


def test_the_agents_resource_combines_the_names_statements_gave(lrs: Lrs) -> None:
    for name in ("Lan", "Nguyễn Thị Lan", "Lan"):
        operations.record(statement(activity(), actor={**ACTOR, "name": name}))
    operations.record(statement(activity(), actor={"mbox": "mailto:other@example.com"}))
    response = lrs.get(agents_url({"mbox": "mailto:LAN@example.com", "name": "Chị Lan"}))
    assert response.status_code == 200
    assert response.get_json() == {
        "objectType": "Person",
        "name": ["Chị Lan", "Lan", "Nguyễn Thị Lan"],
        "mbox": ["mailto:LAN@example.com"],
    }


def test_a_portal_account_is_named_by_its_holder(lrs: Lrs, make_user: Any) -> None:
    user = make_user(full_name="Lò Văn Pọm")
    agent = iri.user_agent(user.id)
    person = lrs.get(agents_url(agent)).get_json()
    assert person == {"objectType": "Person", "name": ["Lò Văn Pọm"], "account": [agent["account"]]}


def test_an_unknown_agent_is_a_person_with_what_was_asked(lrs: Lrs) -> None:
    agent = {"openid": "http://openid.example.com/lan"}
    response = lrs.get(agents_url(agent))
    assert response.get_json() == {"objectType": "Person", "openid": [agent["openid"]]}
    head = lrs.request("HEAD", agents_url(agent))
    assert head.status_code == 200 and head.data == b""


@pytest.mark.parametrize(
    "agent",
    [
        {"objectType": "Agent", "name": "Rick James"},  # no identifier
        {"objectType": "Group", "mbox": "mailto:team@example.com"},  # a Person is an Agent
        {"mbox": "lan@example.com"},  # not a mailto: IRI
        "not JSON",
        "true",
    ],
)
def test_the_agents_resource_refuses_what_is_not_an_agent(lrs: Lrs, agent: Any) -> None:
    assert lrs.get(agents_url(agent)).status_code == 400
    assert lrs.get("agents").status_code == 400


@pytest.mark.parametrize(
    ("scopes", "status"),
    [(["all/read"], 200), (["statements/read"], 200), (["define"], 200),
     (["state"], 403), (["statements/write", "statements/read/mine"], 403)],
)  # fmt: skip
def test_reading_activities_and_agents_needs_a_reading_scope(
    make_lrs: Any, scopes: list[str], status: int
) -> None:
    limited = make_lrs(scopes=scopes)
    assert limited.get(f"activities?{urlencode({'activityId': ACTIVITY})}").status_code == status
    assert limited.get(agents_url(ACTOR)).status_code == status
