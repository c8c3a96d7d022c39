"""The OpenAPI 3.1 document of the API, written by hand (a test validates it) with a few
small builders for the fragments every path and schema repeats."""

from __future__ import annotations

from typing import Any

from courses.discovery import SEARCH_KINDS
from courses.resources.vocabulary import LEVELS, LICENCES, SUBJECTS
from portal.i18n.languages import LANGUAGES
from search.query import MAX_PAGE, PER_PAGE

_COURSE_KINDS = ("self_paced", "cohort", "vocational")


def _ref(schema: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{schema}"}


def _string(**extra: Any) -> dict[str, Any]:
    return {"type": "string", **extra}


def _integer(**extra: Any) -> dict[str, Any]:
    return {"type": "integer", **extra}


def _uri() -> dict[str, Any]:
    return _string(format="uri")


def _timestamp() -> dict[str, Any]:
    return _string(format="date-time")


def _array(items: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "items": items}


def _object(properties: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    """An object schema; every property is required unless ``required`` says otherwise."""
    return {
        "type": "object",
        "required": list(properties) if required is None else required,
        "properties": properties,
    }


def _extends(schema: str, properties: dict[str, Any]) -> dict[str, Any]:
    """``schema`` with more (required) properties."""
    return {"allOf": [_ref(schema), _object(properties)]}


def _page(item_schema: str) -> dict[str, Any]:
    """One page of a list with cursor pagination."""
    return _object(
        {"items": _array(_ref(item_schema)), "next": {"type": ["string", "null"], "format": "uri"}}
    )


def _listed(**properties: Any) -> dict[str, Any]:
    """The properties of an item in a list, then ``properties``."""
    return {
        "id": _integer(),
        "url": _uri(),
        "title": _string(),
        "summary": _string(),
        "language": _shown,
        "languages": _languages,
        **properties,
    }


def _query(name: str, schema: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    return {"name": name, "in": "query", **extra, "schema": schema or _string()}


def _get(
    operation_id: str,
    summary: str,
    parameters: list[dict[str, Any]],
    described: str,
    schema: str,
    refusal: str,
    **extra: Any,
) -> dict[str, Any]:
    """A GET answering 200 with ``schema`` as JSON (``described``) or a problem."""
    return {
        "get": {
            "operationId": operation_id,
            "summary": summary,
            **extra,
            "parameters": parameters,
            "responses": {
                "200": {
                    "description": described,
                    "content": {"application/json": {"schema": _ref(schema)}},
                },
                refusal: _problem,
            },
        }
    }


_problem = {"$ref": "#/components/responses/Problem"}
_lang = _query(
    "lang",
    required=False,
    description="Language chain to show texts in (e.g. `vi`, `en`); unknown codes fall "
    "back to the default language.",
)
_search_parameters = [
    _query(
        "q",
        description="What to search for: every word must match (accents optional), "
        '`"a phrase"`, `-word` to leave a word out, `OR` for either word. Empty: no results.',
    ),
    _query(
        "lang",
        _string(enum=list(LANGUAGES)),
        description="Only documents in this language. Unlike the other paths, `lang` here "
        "filters the content; it also chooses the language of problem details.",
    ),
    _query("kind", _string(enum=list(SEARCH_KINDS))),
    _query("subject", _string(enum=list(SUBJECTS))),
    _query("level", _string(enum=list(LEVELS))),
    _query("licence", _string(enum=list(LICENCES))),
    _query("page", _integer(minimum=1, maximum=MAX_PAGE, default=1)),
]
_facet = _array(_object({"value": _string(), "count": _integer(minimum=1)}))
_id = {"name": "id", "in": "path", "required": True, "schema": _integer()}
_limit = _query("limit", _integer(minimum=1, maximum=100, default=20))
_cursor = _query("cursor", description="Opaque: copy it from the `next` link.")
_date_or_null = {"type": ["string", "null"], "format": "date"}
_timestamp_or_null = {"type": ["string", "null"], "format": "date-time"}
_count = _integer(minimum=0)
_shown = _string(description="Language shown.")
_languages = _array(_string())

DOCUMENT: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {
        "title": "Lifelong Learning Portal API",
        "version": "1.0.0",
        "description": "Read-only access to published open educational resources and "
        "courses, search across them and their lessons, and the signed-in learner's "
        "enrolments.",
    },
    "servers": [{"url": "/api/v1"}],
    "paths": {
        "/resources": _get(
            "listResources",
            "Published resources, newest first, with cursor pagination.",
            [_lang, _query("subject"), _query("licence"), _limit, _cursor],
            "One page of resources.",
            "ResourcePage",
            "400",
        ),
        "/resources/{id}": _get(
            "getResource",
            "One published resource with its body and attachments.",
            [_id, _lang],
            "The resource.",
            "ResourceDetail",
            "404",
        ),
        "/courses": _get(
            "listCourses",
            "Published courses, newest first, with cursor pagination.",
            [
                _lang,
                _query("subject"),
                _query("level", _string(examples=["beginner"])),
                _query("kind", _string(enum=list(_COURSE_KINDS))),
                _query("language", description="Only courses with texts in this language."),
                _limit,
                _cursor,
            ],
            "One page of courses.",
            "CoursePage",
            "400",
        ),
        "/courses/{id}": _get(
            "getCourse",
            "One published course with its description and outline.",
            [_id, _lang],
            "The course.",
            "CourseDetail",
            "404",
        ),
        "/search": _get(
            "search",
            "Published resources, courses and lessons matching a query, best first, "
            f"{PER_PAGE} a page, with facet counts, highlights and a spelling suggestion.",
            _search_parameters,
            "One page of results.",
            "SearchResults",
            "400",
            description="An unknown filter value or a page outside 1-"
            f"{MAX_PAGE} is a 400 problem. Each translation is a document of its own.",
        ),
        "/me/enrolments": _get(
            "listMyEnrolments",
            "The signed-in learner's enrolments, progress and hours this year.",
            [_lang],
            "The enrolments, latest first.",
            "MyEnrolments",
            "401",
            description="Uses the portal's session cookie (sign in on the portal).",
            security=[{"session": []}],
        ),
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
        "securitySchemes": {
            "session": {"type": "apiKey", "in": "cookie", "name": "session"},
        },
        "responses": {
            "Problem": {
                "description": "An error (RFC 9457).",
                "content": {"application/problem+json": {"schema": _ref("Problem")}},
            }
        },
        "schemas": {
            "Problem": _object(
                {
                    "type": _string(),
                    "title": _string(),
                    "status": _integer(),
                    "detail": _string(),
                },
                required=["type", "title", "status"],
            ),
            "Licence": _object(
                {
                    "code": _string(),
                    "label": _string(),
                    "url": {"type": ["string", "null"], "format": "uri"},
                }
            ),
            "ResourceSummary": _object(
                _listed(
                    subjects=_array(_string()),
                    licence=_ref("Licence"),
                    author=_string(),
                    published_at=_timestamp(),
                )
            ),
            "Attachment": _object(
                {"name": _string(), "type": _string(), "size": _integer(), "url": _uri()}
            ),
            "ResourceDetail": _extends(
                "ResourceSummary",
                {
                    "body_html": _string(description="Sanitised HTML."),
                    "attachments": _array(_ref("Attachment")),
                },
            ),
            "CourseSummary": _object(
                _listed(
                    kind=_string(enum=list(_COURSE_KINDS)),
                    subjects=_array(_string()),
                    level=_string(),
                    audience=_string(),
                    licence=_ref("Licence"),
                    lesson_count=_count,
                    estimated_minutes=_count,
                    starts_on={**_date_or_null, "description": "Cohort courses."},
                    ends_on={**_date_or_null, "description": "Cohort courses."},
                    occupation={"type": ["string", "null"], "description": "Vocational."},
                    qf_level={
                        "type": ["integer", "null"],
                        "minimum": 1,
                        "maximum": 8,
                        "description": "Vietnamese Qualifications Framework level (vocational).",
                    },
                    nominal_hours={"type": ["number", "null"], "description": "Vocational."},
                    issues_certificate={"type": "boolean"},
                    published_at=_timestamp(),
                )
            ),
            "Lesson": _object(
                {
                    "id": _integer(),
                    "title": _string(),
                    "language": _string(),
                    "estimated_minutes": _integer(),
                    "has_quiz": {"type": "boolean"},
                }
            ),
            "Module": _object(
                {
                    "id": _integer(),
                    "title": _string(),
                    "language": _string(),
                    "lessons": _array(_ref("Lesson")),
                }
            ),
            "CourseDetail": _extends(
                "CourseSummary",
                {
                    "description_html": _string(description="Sanitised HTML."),
                    "modules": _array(_ref("Module")),
                },
            ),
            "CoursePage": _page("CourseSummary"),
            "Enrolment": _object(
                {
                    "id": _integer(),
                    "course": _object(
                        {
                            "id": _integer(),
                            "title": _string(),
                            "language": _string(),
                            "url": _uri(),
                        }
                    ),
                    "status": _string(enum=["active", "completed", "withdrawn"]),
                    "enrolled_at": _timestamp(),
                    "progress": {"type": "number", "minimum": 0, "maximum": 1},
                    "lessons_completed": _count,
                    "lesson_count": _count,
                    "completed_at": _timestamp_or_null,
                    "certificate": {
                        "oneOf": [
                            {"type": "null"},
                            _object(
                                {"code": _string(), "revoked": {"type": "boolean"}, "url": _uri()}
                            ),
                        ]
                    },
                }
            ),
            "MyEnrolments": _object(
                {
                    "year": _integer(description="Calendar year, Vietnam time."),
                    "hours_this_year": {"type": "number", "minimum": 0},
                    "items": _array(_ref("Enrolment")),
                }
            ),
            "ResourcePage": _page("ResourceSummary"),
            "SearchHit": _object(
                {
                    "key": _string(description="`kind:id:language`."),
                    "kind": _string(enum=list(SEARCH_KINDS)),
                    "language": _string(),
                    "url": _uri(),
                    "title": _string(),
                    "title_html": _string(description="Escaped text, matches in `<mark>`."),
                    "snippet_html": _string(
                        description="Escaped text, matches in `<mark>`; empty when the body "
                        "has no match."
                    ),
                    "context": _string(
                        description="The course of a lesson, the occupation of a course, the "
                        "author of a resource."
                    ),
                    "subjects": _array(_string()),
                    "level": _string(),
                    "licence": _string(),
                    "score": {"type": "number"},
                }
            ),
            "SearchResults": _object(
                {
                    "query": _string(),
                    "total": _count,
                    "page": _integer(minimum=1, maximum=MAX_PAGE),
                    "per_page": _integer(minimum=1),
                    "pages": _integer(minimum=1, maximum=MAX_PAGE),
                    "results": _array(_ref("SearchHit")),
                    "facets": _object(
                        {
                            name: _facet
                            for name in ("language", "kind", "subject", "level", "licence")
                        }
                    ),
                    "suggestion": {
                        "type": ["string", "null"],
                        "description": "A query with known words, when few documents matched.",
                    },
                    "links": _object(
                        {
                            "self": _uri(),
                            "next": {"type": ["string", "null"], "format": "uri"},
                            "prev": {"type": ["string", "null"], "format": "uri"},
                        }
                    ),
                }
            ),
        },
    },
}
