"""The State (``/xapi/activities/state``), Activity Profile (``/xapi/activities/profile``)
and Agent Profile (``/xapi/agents/profile``) resources. One view per resource answers GET
(one document, or the ids of all when the id is left out), HEAD, PUT, POST and DELETE; the
operations are in :mod:`courses.xapi.documents`. Scopes: ``state`` for the State resource,
``profile`` for the profiles; ``all/read`` may read both."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Blueprint, Response, jsonify, request

from courses.xapi import clients, documents, params, protocol
from courses.xapi.documents import DocumentError, Key, Preconditions

READS = frozenset({"GET", "HEAD"})
DEFAULT_TYPE = "application/octet-stream"


@dataclass(frozen=True)
class Resource:
    kind: str
    scope: str
    id_name: str  # stateId or profileId
    key_names: tuple[str, ...]  # the parameters naming whose documents
    optional: tuple[str, ...] = ()

    def key(self, args: dict[str, str]) -> Key:
        activity = params.activity_iri(args["activityId"]) if "activityId" in args else ""
        agent = params.agent(args["agent"])[1] if "agent" in args else ""
        registration = params.registration(args["registration"]) if "registration" in args else ""
        return Key(self.kind, activity, agent, registration)


STATE = Resource("state", "state", "stateId", ("activityId", "agent"), ("registration",))
ACTIVITY_PROFILE = Resource("activity_profile", "profile", "profileId", ("activityId",))
AGENT_PROFILE = Resource("agent_profile", "profile", "profileId", ("agent",))


def error_response(exc: DocumentError) -> Response:
    return protocol.error(exc.status, exc.message)


def preconditions() -> Preconditions:
    return Preconditions(if_match=request.if_match, if_none_match=request.if_none_match)


def _document(resource: Resource, key: Key, document_id: str) -> Response:
    found = documents.get(key, document_id)
    if found is None:
        return protocol.error(404, f"no document with the {resource.id_name} {document_id!r}")
    response = Response(found.content, content_type=found.content_type)
    response.set_etag(found.etag)
    response.last_modified = found.updated
    return response


def _ids(key: Key, args: dict[str, str]) -> Response:
    since = params.since(args["since"]) if "since" in args else None
    found, latest = documents.ids(key, since)
    response = jsonify(found)
    response.set_etag(documents.etag_of(response.get_data()))
    if latest is not None:
        response.last_modified = latest
    return response


def _answer(resource: Resource) -> Response:
    client = protocol.current_client()
    reading = request.method in READS
    if not clients.allows(client, resource.scope) and not (
        reading and clients.allows(client, "all/read")
    ):
        return protocol.error(403, f"these credentials do not have the scope {resource.scope}")
    names = (*resource.key_names, *resource.optional, resource.id_name)
    listing = request.method in READS or (resource.kind == "state" and request.method == "DELETE")
    args = params.read(
        (*names, "since") if reading else names,
        resource.key_names if listing else (*resource.key_names, resource.id_name),
    )
    key = resource.key(args)
    if resource.id_name in args:
        document_id = params.document_id(resource.id_name, args[resource.id_name])
    elif reading:
        return _ids(key, args)
    else:
        documents.delete_all(key)
        return Response(status=204)
    if reading:
        return _document(resource, key, document_id)
    if request.method == "DELETE":
        documents.delete(key, document_id, preconditions())
    else:
        content_type = request.headers.get("Content-Type") or DEFAULT_TYPE
        if len(content_type) > 255:
            raise params.bad("Content-Type is too long")
        write = documents.put if request.method == "PUT" else documents.post
        write(key, document_id, request.get_data(), content_type, preconditions())
    return Response(status=204)


def _view(resource: Resource) -> Callable[[], Response]:
    def view() -> Response:
        return _answer(resource)

    view.__doc__ = f"The {resource.kind.replace('_', ' ')} resource."
    return view


def register(bp: Blueprint) -> None:
    methods = ["GET", "PUT", "POST", "DELETE"]  # HEAD and OPTIONS come with them
    bp.add_url_rule("/activities/state", "state", _view(STATE), methods=methods)
    bp.add_url_rule(
        "/activities/profile", "activity_profile", _view(ACTIVITY_PROFILE), methods=methods
    )
    bp.add_url_rule("/agents/profile", "agent_profile", _view(AGENT_PROFILE), methods=methods)
    bp.register_error_handler(DocumentError, error_response)
