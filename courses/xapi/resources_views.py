"""The Activities (``/xapi/activities``) and Agents (``/xapi/agents``) resources: the
canonical definition of an activity, and the Person behind an agent. Readable with any of
the scopes that read or define statements' contents (``all/read``, ``statements/read``,
``define``, ``profile``)."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from courses.xapi import activities, agents, clients, params, protocol
from courses.xapi.documents import DocumentError
from courses.xapi.documents_views import error_response

READ_SCOPES = ("all/read", "statements/read", "define", "profile")


def _refused() -> Response | None:
    client = protocol.current_client()
    if any(clients.allows(client, scope) for scope in READ_SCOPES):
        return None
    return protocol.error(403, "reading activities and agents needs the scope all/read")


def activity() -> Response:
    if (refused := _refused()) is not None:
        return refused
    args = params.read(["activityId"], ["activityId"])
    return jsonify(activities.canonical(params.activity_iri(args["activityId"])))


def agent() -> Response:
    if (refused := _refused()) is not None:
        return refused
    args = params.read(["agent"], ["agent"])
    found, key = params.agent(args["agent"], groups=False)
    return jsonify(agents.person(found, key))


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/activities", "activities", activity)
    bp.add_url_rule("/agents", "agents", agent)
    bp.register_error_handler(DocumentError, error_response)
