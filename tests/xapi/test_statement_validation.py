"""The xAPI 2.0 rules a statement must follow to be stored (the categories of ADL's LRS
conformance suite, Data 2.4): each refusal is a 400 that stores nothing."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest

from courses.records.models import Statement
from portal.extensions import db
from tests.xapi.conftest import Lrs
from tests.xapi.statement_data import agent, statement

GROUP = {"objectType": "Group", "name": "team", "member": [agent("ana"), agent("bao")]}
STATEMENT_REF = {"objectType": "StatementRef", "id": "9e13cefd-53d3-4eac-b5ed-2cf6693903bb"}
SUB = {
    "objectType": "SubStatement",
    "actor": agent("chi"),
    "verb": {"id": "http://example.com/verbs/will-attend"},
    "object": {"id": "http://example.com/activities/sub"},
}


def change(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    """Set (or, with ``...``, delete) the property at a dotted path of the statement."""

    def apply(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node = data
        for key in parents:
            node = node.setdefault(key, {}) if isinstance(node, dict) else node[int(key)]
        if value is ...:
            del node[last]
        else:
            node[last] = copy.deepcopy(value)

    return apply


def definition(**parts: Any) -> Callable[[dict[str, Any]], None]:
    return change("object.definition", parts)


REFUSED = {
    # statement
    "unknown top-level property": change("colour", "blue"),
    "id with too many digits": change("id", "AA97B177-9383-4934-8543-0F91A7A028368"),
    "id with a non-hex letter": change("id", "MA97B177-9383-4934-8543-0F91A7A02836"),
    "no actor": change("actor", ...),
    "no verb": change("verb", ...),
    "no object": change("object", ...),
    "version 1.1.0": change("version", "1.1.0"),
    "version 0.9.9": change("version", "0.9.9"),
    "stored not a timestamp": change("stored", "yesterday"),
    # actor
    "agent without identifier": change("actor", {"objectType": "Agent", "name": "x"}),
    "agent with two identifiers": change(
        "actor", {"mbox": "mailto:a@example.com", "openid": "http://openid.example.org/1"}
    ),
    "objectType in lower case": change("actor.objectType", "agent"),
    "name not a string": change("actor.name", 123),
    "mbox without mailto": change("actor.mbox", "a@example.com"),
    "mbox not an address": change("actor.mbox", "mailto:should.fail.com"),
    "mbox_sha1sum not hex": (lambda d: d.update(actor={"mbox_sha1sum": "not-a-sha1"})),
    "openid not an IRI": lambda d: d.update(actor={"openid": "ab=c://should.fail.com"}),
    "account without name": lambda d: d.update(
        actor={"account": {"homePage": "http://example.com"}}
    ),
    "account homePage not an IRI": lambda d: d.update(
        actor={"account": {"homePage": "ab=c://x", "name": "n"}}
    ),
    "account with extra property": lambda d: d.update(
        actor={"account": {"homePage": "http://example.com", "name": "n", "x": 1}}
    ),
    "anonymous group without members": change("actor", {"objectType": "Group"}),
    "group member that is a group": change(
        "actor", {"objectType": "Group", "member": [{**GROUP, "mbox": "mailto:g@example.com"}]}
    ),
    # verb
    "verb id not an IRI": change("verb.id", "attended"),
    "verb display a string": change("verb.display", "attended"),
    "verb display with a bad language tag": change("verb.display", {"a12345": "attended"}),
    "verb with extra property": change("verb.colour", "red"),
    # object
    "activity id not an IRI": change("object.id", "meeting"),
    "activity objectType unknown": change("object.objectType", "Thing"),
    "agent object without objectType": change("object", {"mbox": "mailto:a@example.com"}),
    "definition name with a bad language tag": definition(name={"a12345678": "x"}),
    "definition type not an IRI": definition(type="meeting"),
    "definition moreInfo not an IRI": definition(moreInfo="somewhere"),
    "extension key not an IRI": definition(extensions={"should fail": True}),
    "interaction components without interactionType": definition(
        choices=[{"id": "a", "description": {"en": "A"}}]
    ),
    "unknown interactionType": definition(interactionType="essay"),
    "interactionType an object": definition(interactionType={"key": "x"}),
    "components the type does not use": definition(
        interactionType="true-false", choices=[{"id": "a"}]
    ),
    "components with the same id": definition(
        interactionType="choice", choices=[{"id": "a"}, {"id": "a"}]
    ),
    "correctResponsesPattern not strings": definition(
        interactionType="fill-in", correctResponsesPattern=[1]
    ),
    "statementref id not a UUID": change("object", {**STATEMENT_REF, "id": "42"}),
    "statementref without objectType": change("object", {"id": STATEMENT_REF["id"]}),
    "substatement inside a substatement": change("object", {**SUB, "object": SUB}),
    "substatement with an id": change("object", {**SUB, "id": STATEMENT_REF["id"]}),
    "substatement with stored": change("object", {**SUB, "stored": "2024-01-01T00:00:00Z"}),
    "voiding statement whose object is an activity": change(
        "verb", {"id": "http://adlnet.gov/expapi/verbs/voided"}
    ),
    # result
    "scaled above 1": change("result", {"score": {"scaled": 1.5}}),
    "raw below min": change("result", {"score": {"raw": 1, "min": 2, "max": 5}}),
    "min above max": change("result", {"score": {"min": 6, "max": 5}}),
    "min equal to max": change("result", {"score": {"min": 5, "max": 5}}),
    "success not a boolean": change("result", {"success": "yes"}),
    "duration with weeks and days": change("result", {"duration": "P4W1D"}),
    "duration garbled": change("result", {"duration": "PA1H0M0S"}),
    "duration a number": change("result", {"duration": 12345}),
    "result extension key not an IRI": change("result", {"extensions": {"x": 1}}),
    # context
    "registration not a UUID": change("context", {"registration": "nope"}),
    "team an agent": change("context", {"team": agent("bao")}),
    "revision with an agent object": lambda d: d.update(
        object={**agent("bao"), "objectType": "Agent"}, context={"revision": "1"}
    ),
    "platform with a statementref object": lambda d: d.update(
        object=STATEMENT_REF, context={"platform": "web"}
    ),
    "revision with a substatement object": lambda d: d.update(
        object=SUB, context={"revision": "1"}
    ),
    "context language not a tag": change("context", {"language": "a12345"}),
    "contextActivities of an unknown kind": change(
        "context", {"contextActivities": {"sibling": [{"id": "http://example.com/a"}]}}
    ),
    "contextAgents with another objectType": change(
        "context", {"contextAgents": [{"objectType": "Agent", "agent": agent()}]}
    ),
    "contextAgents with empty relevantTypes": change(
        "context",
        {"contextAgents": [{"objectType": "contextAgent", "agent": agent(), "relevantTypes": []}]},
    ),
    "contextGroups with a non-IRI relevant type": change(
        "context",
        {"contextGroups": [{"objectType": "contextGroup", "group": GROUP, "relevantTypes": ["x"]}]},
    ),
    # timestamps
    "timestamp not a date": change("timestamp", "01/011/2015"),
    "timestamp with the -00:00 offset": change("timestamp", "2024-05-04T12:00:00-00:00"),
    "timestamp with the -0000 offset": change("timestamp", "2024-05-04T12:00:00-0000"),
    "timestamp with the -00 offset": change("timestamp", "2024-05-04T12:00:00-00"),
    # authority
    "authority an identified group": change("authority", {**GROUP, "mbox": "mailto:g@example.com"}),
    "authority a group of three": change(
        "authority", {**GROUP, "member": [agent("a"), agent("b"), agent("c")]}
    ),
    # attachments
    "attachments not a list": change("attachments", {"usageType": "http://e.com/u"}),
    "attachment usageType not an IRI": change("attachments", [{"usageType": "x"}]),
    "attachment length a string": lambda d: d.update(
        attachments=[
            {
                "usageType": "http://example.com/u",
                "display": {"en": "x"},
                "contentType": "text/plain",
                "length": "12",
                "sha2": "a" * 64,
                "fileUrl": "http://example.com/x.txt",
            }
        ]
    ),
}

ACCEPTED = {
    "an account agent": change(
        "actor", {"account": {"homePage": "http://www.example.com", "name": "xAPI account"}}
    ),
    "an mbox_sha1sum agent": change(
        "actor", {"mbox_sha1sum": "cd9b00a5611f94eaa7b1661edab976068e364975"}
    ),
    "an identified group with no members": change(
        "actor", {"objectType": "Group", "mbox": "mailto:g@example.com"}
    ),
    "version 1.0.9": change("version", "1.0.9"),
    "an agent object": change("object", {**agent("bao"), "objectType": "Agent"}),
    "a substatement": change("object", SUB),
    "a statementref": change("object", STATEMENT_REF),
    "a likert interaction": definition(
        interactionType="likert", scale=[{"id": "good", "description": {"en": "Good"}}]
    ),
    "extensions with empty and null values": definition(
        extensions={"http://example.com/a": "", "http://example.com/b": None}
    ),
    "a duration in weeks": change("result", {"duration": "P4W"}),
    "a precise duration": change("result", {"duration": "P1DT12H36M0.12567S"}),
    "a full score": change("result", {"score": {"scaled": -1, "raw": 0, "min": 0, "max": 1}}),
    "a single context activity": change(
        "context", {"contextActivities": {"parent": {"id": "http://example.com/course"}}}
    ),
    "contextAgents and contextGroups": change(
        "context",
        {
            "contextAgents": [
                {
                    "objectType": "contextAgent",
                    "agent": agent("bao"),
                    "relevantTypes": ["http://example.com/teacher"],
                }
            ],
            "contextGroups": [{"objectType": "contextGroup", "group": GROUP}],
        },
    ),
    "a timestamp with an offset": change("timestamp", "2008-09-15T15:53:00.601+00:00"),
    "an anonymous group of two as authority": change("authority", GROUP),
    "an attachment by fileUrl": change(
        "attachments",
        [
            {
                "usageType": "http://example.com/u",
                "display": {"en-US": "x"},
                "contentType": "text/plain; charset=ascii",
                "length": 12,
                "sha2": "a" * 64,
                "fileUrl": "http://example.com/x.txt",
            }
        ],
    ),
}


def _count() -> int:
    return db.session.query(Statement).count()


@pytest.mark.parametrize("fault", REFUSED.values(), ids=REFUSED.keys())
def test_a_statement_breaking_a_rule_is_refused(lrs: Lrs, fault: Any) -> None:
    data = statement()
    fault(data)
    before = _count()
    response = lrs.post("statements", json=data)
    assert response.status_code == 400, response.get_json()
    assert response.mimetype == "application/problem+json"
    assert _count() == before


@pytest.mark.parametrize("variant", ACCEPTED.values(), ids=ACCEPTED.keys())
def test_a_statement_within_the_rules_is_stored(lrs: Lrs, variant: Any) -> None:
    data = statement()
    variant(data)
    response = lrs.post("statements", json=data)
    assert response.status_code == 200, response.get_json()
    assert response.get_json() == [data["id"]]


@pytest.mark.parametrize("body", ["{not json", "[]", "42", '"a statement"', "[1]"], ids=str)
def test_a_body_that_is_no_statement_is_refused(lrs: Lrs, body: str) -> None:
    response = lrs.post("statements", data=body, content_type="application/json")
    assert response.status_code == 400


def test_a_deeply_nested_extension_is_refused_not_a_server_error(lrs: Lrs) -> None:
    deep = '{"a":' * 5000 + '"bottom"' + "}" * 5000
    body = json.dumps(statement(result={"extensions": {"http://example.com/deep": 0}}))
    body = body.replace('"http://example.com/deep": 0', f'"http://example.com/deep": {deep}')
    response = lrs.post("statements", data=body, content_type="application/json")
    assert response.status_code == 400
