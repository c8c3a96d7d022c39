"""The State, Activity Profile and Agent Profile resources: documents kept as sent, JSON
merge, ETag concurrency (412 and 409), Last-Modified, ``since``, bad parameters, scopes."""

from __future__ import annotations

import json
import threading
import uuid
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlencode

import pytest
import sqlalchemy as sa

from courses.xapi import clients, documents
from courses.xapi.models import LrsDocument
from tests.xapi.conftest import Lrs

ACTIVITY = "http://example.com/activities/lesson-1"
AGENT = {"objectType": "Agent", "account": {"homePage": "http://example.com", "name": "lan"}}
STATE = "activities/state"
ACTIVITY_PROFILE = "activities/profile"
AGENT_PROFILE = "agents/profile"


def query(**values: Any) -> str:
    return urlencode(
        {k: json.dumps(v) if isinstance(v, dict | bool) else v for k, v in values.items()}
    )


def state_args(**changes: Any) -> dict[str, Any]:
    return {"activityId": ACTIVITY, "agent": AGENT, "stateId": "bookmark", **changes}


# Each resource with the parameters of one document and the name of its id parameter.
RESOURCES = [
    pytest.param(STATE, state_args(), "stateId", id="state"),
    pytest.param(
        ACTIVITY_PROFILE, {"activityId": ACTIVITY, "profileId": "p1"}, "profileId", id="activity"
    ),
    pytest.param(AGENT_PROFILE, {"agent": AGENT, "profileId": "p1"}, "profileId", id="agent"),
]


def documents_client() -> clients.Issued:
    return clients.issue("Offline app", scopes=["all"])


def url(path: str, **values: Any) -> str:
    return f"{path}?{query(**values)}"


def post_json(lrs: Lrs, path: str, args: dict[str, Any], body: Any, **headers: str) -> Any:
    return lrs.post(url(path, **args), data=json.dumps(body), headers=headers,
                    content_type="application/json")  # fmt: skip


@pytest.mark.parametrize(("path", "args", "id_name"), RESOURCES)
def test_a_document_is_kept_as_sent_with_etag_and_last_modified(
    lrs: Lrs, path: str, args: dict[str, Any], id_name: str
) -> None:
    body = b"\x00\x01 binary \xff"
    put = lrs.put(url(path, **args), data=body, content_type="application/octet-stream",
                  headers={"If-None-Match": "*"})  # fmt: skip
    assert put.status_code == 204
    got = lrs.get(url(path, **args))
    assert got.status_code == 200
    assert got.data == body
    assert got.headers["Content-Type"] == "application/octet-stream"
    assert got.headers["ETag"] == f'"{documents.etag_of(body)}"'
    assert got.last_modified is not None
    head = lrs.request("HEAD", url(path, **args))
    assert head.status_code == 200 and head.data == b""
    assert head.headers["ETag"] == got.headers["ETag"]


@pytest.mark.parametrize(("path", "args", "id_name"), RESOURCES)
def test_post_merges_json_objects_one_level_deep(
    lrs: Lrs, path: str, args: dict[str, Any], id_name: str
) -> None:
    first = {"car": {"make": "Ford", "model": "Escape"}, "driver": "Dale"}
    assert post_json(lrs, path, args, first).status_code == 204
    assert post_json(lrs, path, args, {"car": {"make": "Dodge"}, "lap": 3}).status_code == 204
    got = lrs.get(url(path, **args))
    assert got.get_json() == {"car": {"make": "Dodge"}, "driver": "Dale", "lap": 3}


@pytest.mark.parametrize(
    ("existing_type", "existing", "posted_type", "posted"),
    [
        ("application/json", b'{"a": 1}', "text/plain", b"abc"),
        ("application/octet-stream", b"raw", "application/json", b'{"a": 2}'),
        ("application/json", b'{"a": 1}', "application/json", b'{"a": 2}{'),
        ("application/json", b'{"a": 1}', "application/json", b"[1, 2]"),
        ("application/json", b"[1]", "application/json", b'{"a": 2}'),
    ],
)
def test_post_refuses_to_merge_what_is_not_two_json_objects(
    lrs: Lrs, existing_type: str, existing: bytes, posted_type: str, posted: bytes
) -> None:
    target = url(STATE, **state_args())
    assert lrs.put(target, data=existing, content_type=existing_type).status_code == 204
    response = lrs.post(target, data=posted, content_type=posted_type)
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    got = lrs.get(target)
    assert (got.data, got.headers["Content-Type"]) == (existing, existing_type)


def test_post_of_a_new_document_stores_it_but_json_must_be_an_object(lrs: Lrs) -> None:
    target = url(STATE, **state_args())
    assert lrs.post(target, data=b"[1]", content_type="application/json").status_code == 400
    assert lrs.post(target, data=b"plain", content_type="text/plain").status_code == 204
    assert lrs.get(target).data == b"plain"


@pytest.mark.parametrize(("path", "args", "id_name"), RESOURCES)
def test_if_match_guards_put_post_and_delete(
    lrs: Lrs, path: str, args: dict[str, Any], id_name: str
) -> None:
    assert post_json(lrs, path, args, {"name": "first"}).status_code == 204
    etag = lrs.get(url(path, **args)).headers["ETag"]
    wrong = {"If-Match": '"1234"'}
    target = url(path, **args)
    assert lrs.put(target, json={"name": "x"}, headers=wrong).status_code == 412
    assert post_json(lrs, path, args, {"name": "x"}, **wrong).status_code == 412
    assert lrs.delete(target, headers=wrong).status_code == 412
    assert lrs.put(target, json={"name": "x"}, headers={"If-Match": f"W/{etag}"}).status_code == 412
    assert lrs.get(target).get_json() == {"name": "first"}

    assert lrs.put(target, json={"name": "second"}, headers={"If-Match": etag}).status_code == 204
    assert lrs.put(target, json={"name": "x"}, headers={"If-Match": etag}).status_code == 412
    etag = lrs.get(target).headers["ETag"]
    assert post_json(lrs, path, args, {"n": 3}, **{"If-Match": etag}).status_code == 204
    assert lrs.get(target).get_json() == {"name": "second", "n": 3}
    assert lrs.delete(target, headers={"If-Match": "*"}).status_code == 204
    assert lrs.get(target).status_code == 404
    assert lrs.delete(target, headers={"If-Match": "*"}).status_code == 412


@pytest.mark.parametrize(("path", "args", "id_name"), RESOURCES)
def test_put_over_an_existing_document_needs_a_precondition(
    lrs: Lrs, path: str, args: dict[str, Any], id_name: str
) -> None:
    target = url(path, **args)
    assert lrs.put(target, json={"v": 1}).status_code == 204  # new: no header needed
    conflict = lrs.put(target, json={"v": 2})
    assert conflict.status_code == 409
    assert "If-Match" in conflict.get_json()["detail"]
    assert lrs.put(target, json={"v": 2}, headers={"If-None-Match": "*"}).status_code == 412
    assert lrs.get(target).get_json() == {"v": 1}
    assert lrs.put(target, json={"v": 3}, headers={"If-Match": "*"}).status_code == 204
    assert lrs.get(target).get_json() == {"v": 3}


def test_a_document_is_written_once_by_a_racing_insert(lrs: Lrs, db: Any, monkeypatch) -> None:
    """The read found nothing, but the row is there when the INSERT runs: the write runs
    again against it (here a PUT without precondition, so 409)."""
    key = documents.Key("state", ACTIVITY, "account:http://example.com|lan")
    documents.put(key, "bookmark", b"{}", "application/json", documents.Preconditions())
    real_get = documents.get
    calls = []

    def stale_get(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return None if len(calls) == 1 else real_get(*args, **kwargs)

    monkeypatch.setattr(documents, "get", stale_get)
    with pytest.raises(documents.DocumentError) as raised:
        documents.put(key, "bookmark", b"[]", "application/json", documents.Preconditions())
    assert raised.value.status == 409 and len(calls) == 2
    monkeypatch.setattr(documents, "get", real_get)
    assert documents.get(key, "bookmark").content == b"{}"


def test_last_modified_moves_with_an_update(lrs: Lrs, db: Any) -> None:
    target = url(STATE, **state_args())
    assert lrs.post(target, json={"a": 1}).status_code == 204
    row = db.session.scalar(sa.select(LrsDocument))
    row.updated = datetime.now(UTC) - timedelta(hours=1)
    db.session.flush()
    before = lrs.get(target).last_modified
    assert lrs.post(target, json={"b": 2}).status_code == 204
    assert lrs.get(target).last_modified > before


@pytest.mark.parametrize(("path", "args", "id_name"), RESOURCES)
def test_get_without_an_id_lists_the_ids_changed_since(
    lrs: Lrs, db: Any, path: str, args: dict[str, Any], id_name: str
) -> None:
    for name in ("old", "new"):
        assert post_json(lrs, path, {**args, id_name: name}, {"n": name}).status_code == 204
    old = db.session.scalar(sa.select(LrsDocument).where(LrsDocument.document_id == "old"))
    old.updated = datetime(2020, 1, 1, tzinfo=UTC)
    db.session.flush()
    listing = {k: v for k, v in args.items() if k != id_name}
    every = lrs.get(url(path, **listing))
    assert every.status_code == 200 and every.get_json() == ["old", "new"]
    assert every.headers["ETag"].startswith('"')
    recent = lrs.get(url(path, **listing, since="2021-01-01T00:00:00+07:00"))
    assert recent.get_json() == ["new"]
    assert lrs.get(url(path, **listing, since="2099-01-01T00:00:00Z")).get_json() == []
    assert lrs.get(url(path, **listing, since="yesterday")).status_code == 400


def test_states_are_kept_per_registration_and_deleted_together(lrs: Lrs) -> None:
    registration = str(uuid.uuid4())
    for args in (
        state_args(stateId="a"),
        state_args(stateId="b"),
        state_args(stateId="a", registration=registration.upper()),
        state_args(stateId="a", activityId=ACTIVITY + "/other"),
    ):
        assert lrs.post(url(STATE, **args), json={"x": 1}).status_code == 204
    listing = {"activityId": ACTIVITY, "agent": AGENT}
    assert lrs.get(url(STATE, **listing, registration=registration)).get_json() == ["a"]
    assert lrs.delete(url(STATE, **listing)).status_code == 204
    assert lrs.get(url(STATE, **listing)).get_json() == []
    assert lrs.get(url(STATE, **listing, registration=registration)).get_json() == ["a"]
    other = {"activityId": ACTIVITY + "/other", "agent": AGENT}
    assert lrs.get(url(STATE, **other)).get_json() == ["a"]


def test_the_same_agent_written_differently_names_the_same_documents(lrs: Lrs) -> None:
    mbox = {"mbox": "mailto:Lan@Example.com"}
    assert lrs.post(url(AGENT_PROFILE, agent=mbox, profileId="p"), json={"a": 1}).status_code == 204
    again = {"objectType": "Agent", "name": "Lan", "mbox": "mailto:lan@example.com"}
    assert lrs.get(url(AGENT_PROFILE, agent=again, profileId="p")).get_json() == {"a": 1}


@pytest.mark.parametrize(
    ("path", "args"),
    [
        (STATE, {"agent": AGENT, "stateId": "s"}),  # no activityId
        (STATE, {"activityId": ACTIVITY, "stateId": "s"}),  # no agent
        (STATE, {"activityId": ACTIVITY, "agent": AGENT}),  # no stateId (PUT)
        (STATE, state_args(activityId="not an iri")),
        (STATE, state_args(agent="not JSON")),
        (STATE, state_args(agent=True)),
        (STATE, state_args(agent={"objectType": "Agent", "name": "no identifier"})),
        (STATE, state_args(agent={"objectType": "Group", "member": [AGENT]})),
        (STATE, state_args(registration="not-a-uuid")),
        (STATE, state_args(registration=True)),
        (STATE, state_args(since="2020-01-01T00:00:00Z")),  # since is for GET only
        (STATE, state_args(StateId="s")),  # names are case-sensitive
        (STATE, state_args(method="PUT")),  # no alternate request syntax in 2.0
        (ACTIVITY_PROFILE, {"profileId": "p"}),
        (ACTIVITY_PROFILE, {"activityId": ACTIVITY}),
        (ACTIVITY_PROFILE, {"activityId": ACTIVITY, "profileId": "p", "agent": AGENT}),
        (AGENT_PROFILE, {"profileId": "p"}),
        (AGENT_PROFILE, {"agent": "{broken", "profileId": "p"}),
        (AGENT_PROFILE, {"agent": AGENT, "profileId": ""}),
    ],
)
def test_bad_parameters_are_refused_and_nothing_is_stored(
    lrs: Lrs, db: Any, path: str, args: dict[str, Any]
) -> None:
    for method in ("PUT", "POST"):
        response = lrs.request(method, url(path, **args), json={"a": 1})
        assert response.status_code == 400, (method, response.get_json())
        assert response.mimetype == "application/problem+json"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LrsDocument)) == 0


def test_a_parameter_sent_twice_is_refused(lrs: Lrs) -> None:
    target = url(STATE, **state_args()) + "&stateId=other"
    assert lrs.put(target, json={}).status_code == 400
    assert lrs.get(target).status_code == 400


@pytest.mark.parametrize(
    ("path", "args"),
    [
        (STATE, {"agent": AGENT}),
        (STATE, {"activityId": ACTIVITY}),
        (STATE, {"activityId": ACTIVITY, "agent": AGENT, "registration": "x"}),
        (ACTIVITY_PROFILE, {}),
        (AGENT_PROFILE, {"agent": {"name": "nobody"}}),
        (AGENT_PROFILE, {"agent": AGENT, "since": True}),
    ],
)
def test_bad_reads_and_deletes_are_refused(lrs: Lrs, path: str, args: dict[str, Any]) -> None:
    assert lrs.get(url(path, **args)).status_code == 400
    assert lrs.delete(url(path, **args)).status_code == 400


def test_deleting_a_missing_document_is_fine_and_a_missing_one_is_not_found(lrs: Lrs) -> None:
    args = {"activityId": ACTIVITY, "profileId": "never"}
    assert lrs.delete(url(ACTIVITY_PROFILE, **args)).status_code == 204
    missing = lrs.get(url(ACTIVITY_PROFILE, **args))
    assert missing.status_code == 404
    assert missing.mimetype == "application/problem+json"


def test_other_methods_are_not_allowed(lrs: Lrs) -> None:
    response = lrs.request("PATCH", url(STATE, **state_args()), json={})
    assert response.status_code == 405
    assert response.headers["X-Experience-API-Version"] == "2.0.0"


@pytest.mark.parametrize(
    ("scopes", "path", "args", "read", "write"),
    [
        (["state"], STATE, state_args(), 200, 204),
        (["profile"], STATE, state_args(), 403, 403),
        (["all/read"], STATE, state_args(), 200, 403),
        (["profile"], AGENT_PROFILE, {"agent": AGENT, "profileId": "p"}, 200, 204),
        (["state"], ACTIVITY_PROFILE, {"activityId": ACTIVITY, "profileId": "p"}, 403, 403),
        (["all/read"], ACTIVITY_PROFILE, {"activityId": ACTIVITY, "profileId": "p"}, 200, 403),
        (["statements/write"], AGENT_PROFILE, {"agent": AGENT, "profileId": "p"}, 403, 403),
    ],
)
def test_scopes_decide_who_reads_and_writes(
    lrs: Lrs, make_lrs, scopes: list[str], path: str, args: dict[str, Any], read: int, write: int
) -> None:
    assert lrs.post(url(path, **args), json={"a": 1}).status_code == 204
    limited = make_lrs(scopes=scopes)
    assert limited.get(url(path, **args)).status_code == read
    assert limited.put(url(path, **args), json={}, headers={"If-Match": "*"}).status_code == write
    assert limited.delete(url(path, **args)).status_code == write


def test_concurrent_writers_of_one_document_lose_no_merge(committed_app: Any) -> None:
    """Real threads, each a request committing to a real database: eight merges into one
    document keep every key; of eight creations (If-None-Match: *) exactly one succeeds."""
    from portal.extensions import db as database

    with committed_app.app_context():
        made = documents_client()
        issued = clients.Issued(SimpleNamespace(key=made.client.key), made.secret)  # type: ignore[arg-type]
        database.session.commit()
        database.session.remove()
    writers = 8
    start = threading.Barrier(writers)
    answers: list[tuple[str, int]] = []

    def write(n: int) -> None:
        lrs = Lrs(committed_app.test_client(), issued)
        start.wait()
        merged = post_json(lrs, STATE, state_args(stateId="merged"), {f"k{n}": n})
        created = lrs.put(url(STATE, **state_args(stateId="created")), json={"n": n},
                          headers={"If-None-Match": "*"})  # fmt: skip
        answers.extend([("merge", merged.status_code), ("create", created.status_code)])

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(answers) == sorted(
        [("merge", 204)] * writers + [("create", 204)] + [("create", 412)] * (writers - 1)
    )
    lrs = Lrs(committed_app.test_client(), issued)
    assert lrs.get(url(STATE, **state_args(stateId="merged"))).get_json() == {
        f"k{n}": n for n in range(writers)
    }
