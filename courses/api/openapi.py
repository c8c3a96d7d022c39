"""The OpenAPI 3.1 document of the API, written by hand (a test validates it)."""

from __future__ import annotations

from typing import Any

_problem = {"$ref": "#/components/responses/Problem"}
_lang = {
    "name": "lang",
    "in": "query",
    "required": False,
    "description": "Language chain to show texts in (e.g. `vi`, `en`); unknown codes fall "
    "back to the default language.",
    "schema": {"type": "string"},
}

DOCUMENT: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {
        "title": "Lifelong Learning Portal API",
        "version": "1.0.0",
        "description": "Read-only access to published open educational resources.",
    },
    "servers": [{"url": "/api/v1"}],
    "paths": {
        "/resources": {
            "get": {
                "operationId": "listResources",
                "summary": "Published resources, newest first, with cursor pagination.",
                "parameters": [
                    _lang,
                    {"name": "subject", "in": "query", "schema": {"type": "string"}},
                    {"name": "licence", "in": "query", "schema": {"type": "string"}},
                    {
                        "name": "limit",
                        "in": "query",
                        "schema": {
                            "type": "integer",
                            "minimum": 1,
                            "maximum": 100,
                            "default": 20,
                        },
                    },
                    {
                        "name": "cursor",
                        "in": "query",
                        "description": "Opaque: copy it from the `next` link.",
                        "schema": {"type": "string"},
                    },
                ],
                "responses": {
                    "200": {
                        "description": "One page of resources.",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/ResourcePage"}
                            }
                        },
                    },
                    "400": _problem,
                },
            }
        },
        "/resources/{id}": {
            "get": {
                "operationId": "getResource",
                "summary": "One published resource with its body and attachments.",
                "parameters": [
                    {
                        "name": "id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "integer"},
                    },
                    _lang,
                ],
                "responses": {
                    "200": {
                        "description": "The resource.",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/ResourceDetail"}
                            }
                        },
                    },
                    "404": _problem,
                },
            }
        },
        "/openapi.json": {
            "get": {
                "operationId": "getOpenApi",
                "summary": "This document.",
                "responses": {
                    "200": {
                        "description": "OpenAPI 3.1 document.",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    }
                },
            }
        },
    },
    "components": {
        "responses": {
            "Problem": {
                "description": "An error (RFC 9457).",
                "content": {
                    "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
                },
            }
        },
        "schemas": {
            "Problem": {
                "type": "object",
                "required": ["type", "title", "status"],
                "properties": {
                    "type": {"type": "string"},
                    "title": {"type": "string"},
                    "status": {"type": "integer"},
                    "detail": {"type": "string"},
                },
            },
            "Licence": {
                "type": "object",
                "required": ["code", "label", "url"],
                "properties": {
                    "code": {"type": "string"},
                    "label": {"type": "string"},
                    "url": {"type": ["string", "null"], "format": "uri"},
                },
            },
            "ResourceSummary": {
                "type": "object",
                "required": [
                    "id",
                    "url",
                    "title",
                    "summary",
                    "language",
                    "languages",
                    "subjects",
                    "licence",
                    "author",
                    "published_at",
                ],
                "properties": {
                    "id": {"type": "integer"},
                    "url": {"type": "string", "format": "uri"},
                    "title": {"type": "string"},
                    "summary": {"type": "string"},
                    "language": {"type": "string", "description": "Language shown."},
                    "languages": {"type": "array", "items": {"type": "string"}},
                    "subjects": {"type": "array", "items": {"type": "string"}},
                    "licence": {"$ref": "#/components/schemas/Licence"},
                    "author": {"type": "string"},
                    "published_at": {"type": "string", "format": "date-time"},
                },
            },
            "Attachment": {
                "type": "object",
                "required": ["name", "type", "size", "url"],
                "properties": {
                    "name": {"type": "string"},
                    "type": {"type": "string"},
                    "size": {"type": "integer"},
                    "url": {"type": "string", "format": "uri"},
                },
            },
            "ResourceDetail": {
                "allOf": [
                    {"$ref": "#/components/schemas/ResourceSummary"},
                    {
                        "type": "object",
                        "required": ["body_html", "attachments"],
                        "properties": {
                            "body_html": {"type": "string", "description": "Sanitised HTML."},
                            "attachments": {
                                "type": "array",
                                "items": {"$ref": "#/components/schemas/Attachment"},
                            },
                        },
                    },
                ],
            },
            "ResourcePage": {
                "type": "object",
                "required": ["items", "next"],
                "properties": {
                    "items": {
                        "type": "array",
                        "items": {"$ref": "#/components/schemas/ResourceSummary"},
                    },
                    "next": {"type": ["string", "null"], "format": "uri"},
                },
            },
        },
    },
}
