"""The Statements resource: PUT, POST, GET of one statement, resends and conflicts, voiding,
scopes, and outside statements that feed a portal user's progress and hours."""

from __future__ import annotations

from email.utils import parsedate_to_datetime
from typing import Any

import pytest
import sqlalchemy as sa

from courses.records import iri, operations, queries, verbs
from courses.records.models import Statement
from courses.xapi import clients
from courses.xapi.models import LrsActivity, StatementLink
from portal.extensions import db
from tests.xapi.conftest import Lrs
from tests.xapi.statement_data import ACTIVITY, new_id, statement

VOIDED = "http://adlnet.gov/expapi/verbs/voided"


def voiding(target: str) -> dict[str, Any]:
    return statement(
        verb={"id": VOIDED, "display": {"en-US": "voided"}},
        object={"objectType": "StatementRef", "id": target},
    )


def get_one(lrs: Lrs, statement_id: str, **params: str) -> Any:
    return lrs.get("statements", query_string={"statementId": statement_id, **params})


def test_put_stores_the_statement_under_the_statement_id(lrs: Lrs) -> None:
    data = statement()
    del data["id"]
    target = new_id()
    response = lrs.put("statements", query_string={"statementId": target}, json=data)
    assert response.status_code == 204
    stored = get_one(lrs, target)
    assert stored.status_code == 200
    body = stored.get_json()
    assert body["id"] == target and body["verb"] == data["verb"]
    assert body["authority"] == clients.authority(lrs.issued.client)
    assert body["version"] == "2.0.0"
    assert body["stored"].endswith("Z") and body["timestamp"] == body["stored"]


@pytest.mark.parametrize(
    ("params", "body_id"),
    [({}, None), ({"statementId": "42"}, None), ({"statementId": new_id()}, new_id())],
    ids=["no statementId", "statementId not a UUID", "id differs from statementId"],
)
def test_put_needs_a_statement_id_that_matches(lrs: Lrs, params: Any, body_id: Any) -> None:
    data = statement(id=body_id) if body_id else statement()
    response = lrs.put("statements", query_string=params, json=data)
    assert response.status_code == 400


def test_post_stores_a_batch_and_answers_the_ids_in_order(lrs: Lrs) -> None:
    first, second = statement(), statement()
    del second["id"]
    response = lrs.post("statements", json=[first, second])
    assert response.status_code == 200
    ids = response.get_json()
    assert ids[0] == first["id"] and len(ids) == 2
    assert get_one(lrs, ids[1]).get_json()["actor"] == second["actor"]


def test_a_batch_with_one_bad_statement_stores_nothing(lrs: Lrs) -> None:
    good, bad = statement(), statement(verb={"id": "not an iri"})
    assert lrs.post("statements", json=[good, bad]).status_code == 400
    assert get_one(lrs, good["id"]).status_code == 404


def test_a_batch_using_an_id_twice_is_refused(lrs: Lrs) -> None:
    data = statement()
    assert lrs.post("statements", json=[data, dict(data)]).status_code == 400


@pytest.mark.parametrize(
    ("method", "query"), [("post", {"method": "PUT"}), ("put", {"method": "POST"})]
)
def test_the_alternate_request_syntax_is_refused(lrs: Lrs, method: str, query: Any) -> None:
    response = getattr(lrs, method)("statements", query_string=query, json=statement())
    assert response.status_code == 400


def test_statements_come_only_as_json_or_multipart_mixed(lrs: Lrs) -> None:
    response = lrs.post("statements", data={"content": "{}"})  # a form
    assert response.status_code == 400


def test_a_resend_changes_nothing_and_a_different_statement_conflicts(lrs: Lrs) -> None:
    data = statement()
    assert lrs.post("statements", json=data).status_code == 200
    stored = get_one(lrs, data["id"]).get_json()
    assert (
        lrs.put("statements", query_string={"statementId": data["id"]}, json=data).status_code
        == 204
    )
    changed = {**data, "verb": {"id": "http://example.com/verbs/other"}}
    assert lrs.post("statements", json=changed).status_code == 409
    assert (
        lrs.put("statements", query_string={"statementId": data["id"]}, json=changed).status_code
        == 409
    )
    assert get_one(lrs, data["id"]).get_json() == stored


def test_the_sent_version_and_a_converted_timestamp_are_kept(lrs: Lrs) -> None:
    data = statement(version="1.0.3", timestamp="2023-05-04T12:00:00-05:00")
    lrs.post("statements", json=data)
    body = get_one(lrs, data["id"]).get_json()
    assert body["version"] == "1.0.3"
    assert body["timestamp"] == "2023-05-04T17:00:00.000Z"


def test_the_authority_is_the_client_whatever_the_statement_claims(lrs: Lrs) -> None:
    data = statement(authority={"mbox": "mailto:boss@example.com"})
    lrs.post("statements", json=data)
    body = get_one(lrs, data["id"]).get_json()
    assert body["authority"] == clients.authority(lrs.issued.client)


def test_one_statement_answers_headers_of_consistency_and_last_modified(lrs: Lrs) -> None:
    data = statement()
    lrs.post("statements", json=data)
    response = get_one(lrs, data["id"])
    stored = response.get_json()["stored"]
    assert parsedate_to_datetime(response.headers["Last-Modified"]).isoformat()[:19] == stored[:19]
    assert response.headers["X-Experience-API-Consistent-Through"] >= stored
    assert lrs.get("statements").headers["X-Experience-API-Consistent-Through"]
    head = lrs.request("HEAD", "statements", query_string={"statementId": data["id"]})
    assert head.status_code == 200 and head.data == b""


def test_an_unknown_statement_is_not_found(lrs: Lrs) -> None:
    assert get_one(lrs, new_id()).status_code == 404


def test_voiding_hides_the_target_and_keeps_it_for_voided_statement_id(lrs: Lrs) -> None:
    target = statement()
    lrs.post("statements", json=target)
    void = voiding(target["id"])
    assert lrs.post("statements", json=void).status_code == 200
    assert get_one(lrs, target["id"]).status_code == 404
    voided = lrs.get("statements", query_string={"voidedStatementId": target["id"]})
    assert voided.status_code == 200 and voided.get_json()["id"] == target["id"]
    listed = [s["id"] for s in lrs.get("statements").get_json()["statements"]]
    assert void["id"] in listed and target["id"] not in listed
    # A statement not voided is not found by voidedStatementId.
    assert lrs.get("statements", query_string={"voidedStatementId": void["id"]}).status_code == 404


def test_voiding_an_unknown_statement_is_accepted(lrs: Lrs) -> None:
    assert lrs.post("statements", json=voiding(new_id())).status_code == 200


def test_a_voiding_statement_cannot_be_voided(lrs: Lrs) -> None:
    target = statement()
    void = voiding(target["id"])
    lrs.post("statements", json=[target, void])
    assert lrs.post("statements", json=voiding(void["id"])).status_code == 400
    assert get_one(lrs, void["id"]).status_code == 200


def test_writing_needs_the_write_scope(make_lrs: Any) -> None:
    reader = make_lrs(scopes=["statements/read"])
    assert reader.post("statements", json=statement()).status_code == 403
    assert reader.get("statements").status_code == 200


def test_read_mine_sees_only_what_the_client_stored(make_lrs: Any) -> None:
    mine = make_lrs(scopes=["statements/write", "statements/read/mine"])
    other = make_lrs(scopes=["all"])
    own, foreign = statement(), statement()
    mine.post("statements", json=own)
    other.post("statements", json=foreign)
    listed = [s["id"] for s in mine.get("statements").get_json()["statements"]]
    assert listed == [own["id"]]
    assert get_one(mine, foreign["id"]).status_code == 404
    assert get_one(mine, own["id"]).status_code == 200
    assert len(other.get("statements").get_json()["statements"]) == 2


def test_links_and_activity_definitions_are_kept(lrs: Lrs) -> None:
    data = statement(
        context={
            "instructor": {"mbox": "mailto:teacher@example.com"},
            "contextActivities": {"parent": [{"id": "http://example.com/course"}]},
        }
    )
    lrs.post("statements", json=data)
    row = db.session.scalar(sa.select(Statement).where(Statement.statement_id == data["id"]))
    found = {
        (link.kind, link.value, link.related)
        for link in db.session.scalars(
            sa.select(StatementLink).where(StatementLink.statement_pk == row.id)
        )
    }
    assert ("agent", "mbox:mailto:ana@example.com", False) in found
    assert ("agent", "mbox:mailto:teacher@example.com", True) in found
    assert ("activity", ACTIVITY, False) in found
    assert ("activity", "http://example.com/course", True) in found
    definition = db.session.scalar(
        sa.select(LrsActivity.definition).where(LrsActivity.iri == ACTIVITY)
    )
    assert definition["name"]["en-GB"] == "example meeting"


def test_an_outside_statement_about_a_portal_user_feeds_their_hours(
    lrs: Lrs, make_user: Any
) -> None:
    user = make_user()
    data = statement(
        actor=iri.user_agent(user.id),
        verb={"id": verbs.COMPLETED},
        object={"id": "http://partner.example.com/course/7"},
        result={"duration": "PT2H"},
        timestamp="2026-03-01T08:00:00Z",
    )
    assert lrs.post("statements", json=data).status_code == 200
    row = db.session.scalar(sa.select(Statement).where(Statement.statement_id == data["id"]))
    assert row.user_id == user.id
    assert queries.hours_of(user.id, 2026) == pytest.approx(2.0)
    lrs.post("statements", json=voiding(data["id"]))
    assert queries.hours_of(user.id, 2026) == pytest.approx(0.0)


def test_an_actor_on_the_portal_home_page_that_is_no_user_is_refused(lrs: Lrs) -> None:
    data = statement(actor=iri.user_agent(987654))
    assert lrs.post("statements", json=data).status_code == 400


def test_the_portals_own_statements_are_linked_and_listed(lrs: Lrs, make_user: Any) -> None:
    user = make_user()
    operations.record(
        {
            "actor": iri.user_agent(user.id),
            "verb": {"id": verbs.EXPERIENCED},
            "object": {"id": iri.activity_iri("page", 3)},
        }
    )
    agent = f'{{"account": {{"homePage": "{iri.base_url()}", "name": "{user.id}"}}}}'
    found = lrs.get("statements", query_string={"agent": agent}).get_json()["statements"]
    assert [s["object"]["id"] for s in found] == [iri.activity_iri("page", 3)]
