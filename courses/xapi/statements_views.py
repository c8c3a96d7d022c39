"""The Statements resource (``/xapi/statements``): PUT one statement, POST one or a batch,
GET one or a page (HEAD too). Requests carry JSON or ``multipart/mixed`` with attachments;
a batch is stored whole or not at all (the request commits once, and rolls back on an
error answer)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, Response, current_app, request

from courses.records.statements import StatementError, format_timestamp
from courses.xapi import attachments, clients, formats, links, statements, validation
from courses.xapi import statement_queries as queries
from courses.xapi.protocol import current_client, error, requires
from courses.xapi.validation import Invalid

CONSISTENT_HEADER = "X-Experience-API-Consistent-Through"


def _body() -> attachments.Body:
    """The statement(s) the request carries and its attachment parts."""
    kind = request.mimetype
    if kind == "application/json":
        raw = request.get_data(cache=False)
        try:
            return attachments.Body(json.loads(raw))
        except (ValueError, UnicodeDecodeError):
            raise Invalid("the body is not valid JSON") from None
    if kind == "multipart/mixed":
        return attachments.parse_multipart(request.content_type or "", request.get_data())
    raise Invalid("statements are sent as application/json or multipart/mixed")


def _refusal(exc: Exception) -> Response:
    if isinstance(exc, StatementError):
        return error(409 if exc.code == "conflict" else 400, exc.message)
    if isinstance(exc, RecursionError):
        return error(400, "the statement is nested too deeply")
    return error(400, str(exc))


@requires("statements/write")
def put_statement() -> Response:
    if set(request.args) != {"statementId"}:
        return error(400, "PUT /statements takes the statementId parameter only")
    try:
        validation.uuid(request.args["statementId"], "statementId")
        body = _body()
        statement = body.document
        if not isinstance(statement, dict):
            raise Invalid("PUT /statements takes one statement (a JSON object)")
        given = statement.get("id")
        wanted = request.args["statementId"].lower()
        if given is not None and (not isinstance(given, str) or given.lower() != wanted):
            raise Invalid("the statement's id differs from the statementId parameter")
        statement = {**statement, "id": wanted}
        statements.check([statement], body.parts)
        statements.store([statement], body.parts, current_client())
    except (Invalid, StatementError, RecursionError) as exc:
        return _refusal(exc)
    return Response(status=204)


@requires("statements/write")
def post_statements() -> Response:
    if request.args:
        return error(400, "POST /statements takes no parameters")
    try:
        body = _body()
        sent = body.document if isinstance(body.document, list) else [body.document]
        if not sent:
            raise Invalid("the batch is empty")
        statements.check(sent, body.parts)
        ids = statements.store(sent, body.parts, current_client())
    except (Invalid, StatementError, RecursionError) as exc:
        return _refusal(exc)
    return _json(ids)


@requires("statements/read/mine")
def get_statements() -> Response:
    try:
        query = queries.parse(request.args.to_dict())
    except Invalid as exc:
        return _with_consistency(error(400, str(exc)))
    client = current_client()
    mine = None
    if not clients.allows(client, "statements/read"):
        mine = links.agent_key(clients.authority(client))
    if query.statement_id or query.voided_statement_id:
        row = queries.single(query)
        if row is None or (mine and links.agent_key(row.data.get("authority")) != mine):
            return _with_consistency(error(404, "no such statement"))
        response = _answer(query, _format(query, [row.data])[0], [row.data])
        response.last_modified = row.stored
        return _with_consistency(response)
    size = current_app.config["PORTAL_XAPI_PAGE_SIZE"]
    rows, more = queries.page(query, authority_key=mine, page_size=size)
    result: dict[str, Any] = {"statements": _format(query, [row.data for row in rows])}
    result["more"] = ""
    if more:
        token = queries.more_token(query, (rows[-1].stored, rows[-1].id))
        result["more"] = f"{request.script_root}/xapi/statements?more={token}"
    return _with_consistency(_answer(query, result, [row.data for row in rows]))


def _format(query: queries.Query, found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The statements in the asked format; ``canonical`` reads the definitions of all their
    activities at once."""
    if query.format == "ids":
        return [formats.ids(data) for data in found]
    if query.format == "canonical":
        return formats.canonical(found, request.accept_languages.best_match)
    return found


def _answer(query: queries.Query, document: Any, carried: list[dict[str, Any]]) -> Response:
    """JSON, or ``multipart/mixed`` with the attachments of the ``carried`` statements."""
    raw = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()
    if not query.attachments:
        return Response(raw, mimetype="application/json")
    body, content_type = attachments.multipart(raw, attachments.contents(carried))
    return Response(body, content_type=content_type)


def _json(document: Any) -> Response:
    return Response(json.dumps(document), mimetype="application/json")


def _with_consistency(response: Response) -> Response:
    response.headers[CONSISTENT_HEADER] = format_timestamp(datetime.now(UTC))
    return response


def register(bp: Blueprint) -> None:
    links.connect()
    bp.add_url_rule("/statements", "put_statement", put_statement, methods=["PUT"])
    bp.add_url_rule("/statements", "post_statements", post_statements, methods=["POST"])
    bp.add_url_rule("/statements", "get_statements", get_statements, methods=["GET", "HEAD"])
