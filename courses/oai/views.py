"""The ``/oai`` endpoint: GET or POST (form-encoded), one XML answer per request."""

from __future__ import annotations

from flask import Response, abort, request

from courses.oai import provider, records


def endpoint() -> Response:
    arguments = request.form if request.method == "POST" else request.args
    body = provider.respond({name: arguments.getlist(name) for name in arguments})
    return Response(body, content_type="text/xml; charset=utf-8")


def schema(name: str) -> Response:
    """The XML Schema of our own metadata format (named in ListMetadataFormats)."""
    if name != records.SCHEMA_FILE.name:
        abort(404)
    return Response(records.SCHEMA_FILE.read_bytes(), content_type="text/xml; charset=utf-8")
