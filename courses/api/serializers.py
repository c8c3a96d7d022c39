"""Resources, courses and search results as JSON, and the opaque cursors that page through
them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

from flask import current_app, request, url_for
from itsdangerous import BadData, URLSafeSerializer

from courses.courseware.models import Course
from courses.dashboards.queries import LearnerCourse, learning_url
from courses.resources.queries import Shown, cached_markdown, pick_language
from courses.resources.vocabulary import licence_label, licence_url
from search.query import Hit, Results
from search.schema import FACETS

CURSOR_SALT = "api.v1.resources.cursor"
COURSE_CURSOR_SALT = "api.v1.courses.cursor"  # a resource cursor is no course cursor


class BadCursor(ValueError):
    """A cursor this API did not write (malformed or tampered with)."""


def _serializer(salt: str = CURSOR_SALT) -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=salt)


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def encode_cursor(published_at: datetime, resource_id: int, *, salt: str = CURSOR_SALT) -> str:
    """Base64url JSON of ``(published_at, id)`` of the last item, signed."""
    return _serializer(salt).dumps([_utc(published_at).isoformat(), resource_id])


def decode_cursor(cursor: str, *, salt: str = CURSOR_SALT) -> tuple[datetime, int]:
    try:
        moment, resource_id = _serializer(salt).loads(cursor)
        if not isinstance(resource_id, int) or isinstance(resource_id, bool):
            raise BadCursor(cursor)
        return _utc(datetime.fromisoformat(moment)), resource_id
    except (BadData, TypeError, ValueError) as exc:
        raise BadCursor(cursor) from exc


def iso_utc(moment: datetime | None) -> str | None:
    """UTC ISO 8601 with a ``Z``; stored datetimes are UTC, with or without tzinfo."""
    if moment is None:
        return None
    return _utc(moment).replace(tzinfo=None).isoformat(timespec="seconds") + "Z"


def summary(shown: Shown) -> dict[str, Any]:
    """One resource in the list: text in the first language of the chain it has."""
    resource = shown.resource
    code = resource.licence
    return {
        "id": resource.id,
        "url": url_for("resources.detail", resource_id=resource.id, _external=True),
        "title": shown.title,
        "summary": shown.summary,
        "language": shown.language,
        "languages": sorted((shown.language, *shown.others)),
        "subjects": resource.subject_codes,
        "licence": {"code": code, "label": licence_label(code), "url": licence_url(code) or None},
        "author": resource.author,
        "published_at": iso_utc(resource.published_at),
    }


def detail(shown: Shown) -> dict[str, Any]:
    """One resource with its sanitised body HTML and its published attachments."""
    resource = shown.resource
    return summary(shown) | {
        "body_html": str(shown.html),
        "attachments": [
            {
                "name": attachment.filename,
                "type": attachment.content_type,
                "size": attachment.size,
                "url": url_for(
                    "resources.download",
                    resource_id=resource.id,
                    attachment_id=attachment.id,
                    _external=True,
                ),
            }
            for attachment in shown.attachments
        ],
    }


# --- courses ------------------------------------------------------------------------------


def _texts(item: Any, chain: Sequence[str], original: str) -> tuple[Any, str]:
    """The translation of ``item`` in the first language of ``chain`` it has, and its code."""
    languages = [t.language for t in item.translations]
    if not languages:
        return None, original
    language = pick_language(languages, chain, original)
    return item.translation(language), language


def course_summary(course: Course, chain: Sequence[str]) -> dict[str, Any]:
    """One course in the list: texts in the first language of the chain it has, and the
    facts of its kind (cohort dates, vocational occupation, level and hours; else null)."""
    text, language = _texts(course, chain, course.original_language)
    lessons = course.lessons
    return {
        "id": course.id,
        "url": learning_url(
            "learning.course", f"/courses/{course.id}", course_id=course.id, _external=True
        ),
        "title": text.title if text else "",
        "summary": text.summary if text else "",
        "language": language,
        "languages": sorted(t.language for t in course.translations),
        "kind": course.kind,
        "subjects": course.subject_codes,
        "level": course.level,
        "audience": course.audience,
        "licence": {
            "code": course.licence,
            "label": licence_label(course.licence),
            "url": licence_url(course.licence) or None,
        },
        "lesson_count": len(lessons),
        "estimated_minutes": sum(lesson.estimated_minutes for lesson in lessons),
        "starts_on": course.starts_on.isoformat() if course.starts_on else None,
        "ends_on": course.ends_on.isoformat() if course.ends_on else None,
        "occupation": course.occupation,
        "qf_level": course.qf_level,
        "nominal_hours": float(course.nominal_hours) if course.nominal_hours is not None else None,
        "issues_certificate": course.issues_certificate,
        "published_at": iso_utc(course.published_at),
    }


def course_detail(course: Course, chain: Sequence[str]) -> dict[str, Any]:
    """One course with its sanitised description and its outline: modules and lessons,
    each titled in the first language of the chain it has."""
    text, _ = _texts(course, chain, course.original_language)
    original = course.original_language
    modules = []
    for module in course.modules:
        module_text, module_language = _texts(module, chain, original)
        lessons = []
        for lesson in module.lessons:
            lesson_text, lesson_language = _texts(lesson, chain, original)
            lessons.append(
                {
                    "id": lesson.id,
                    "title": lesson_text.title if lesson_text else "",
                    "language": lesson_language,
                    "estimated_minutes": lesson.estimated_minutes,
                    "has_quiz": lesson.quiz is not None,
                }
            )
        modules.append(
            {
                "id": module.id,
                "title": module_text.title if module_text else "",
                "language": module_language,
                "lessons": lessons,
            }
        )
    return course_summary(course, chain) | {
        "description_html": str(cached_markdown(text.description)) if text else "",
        "modules": modules,
    }


def enrolment(item: LearnerCourse) -> dict[str, Any]:
    """One of the signed-in learner's enrolments."""
    certificate = item.certificate
    return {
        "id": item.enrolment.id,
        "course": {
            "id": item.course.id,
            "title": item.title,
            "language": item.language,
            "url": learning_url(
                "learning.course",
                f"/courses/{item.course.id}",
                course_id=item.course.id,
                _external=True,
            ),
        },
        "status": item.enrolment.status,
        "enrolled_at": iso_utc(item.enrolment.enrolled_at),
        "progress": round(item.progress, 4),
        "lessons_completed": item.lessons_completed,
        "lesson_count": item.lesson_count,
        "completed_at": iso_utc(item.enrolment.completed_at),
        "certificate": None
        if certificate is None
        else {
            "code": certificate.display_code,
            "revoked": certificate.is_revoked,
            "url": url_for("certificates.verify", code=certificate.display_code, _external=True),
        },
    }


# --- search -------------------------------------------------------------------------------


def search_hit(hit: Hit) -> dict[str, Any]:
    """One search result; ``title_html`` and ``snippet_html`` are escaped text with the
    matched words in ``<mark>``."""
    return {
        "key": hit.key,
        "kind": hit.kind,
        "language": hit.language,
        "url": urljoin(request.url_root, hit.url.lstrip("/")),
        "title": hit.title,
        "title_html": hit.title_html,
        "snippet_html": hit.snippet_html,
        "context": hit.context,
        "subjects": hit.subjects,
        "level": hit.level,
        "licence": hit.licence,
        "score": round(hit.score, 4),
    }


def search_results(results: Results, *, pages: int, links: dict[str, str | None]) -> dict[str, Any]:
    """A page of search results with every facet's counts (empty lists without a query)."""
    return {
        "query": results.query,
        "total": results.total,
        "page": results.page,
        "per_page": results.per_page,
        "pages": pages,
        "results": [search_hit(hit) for hit in results.hits],
        "facets": {
            name: [
                {"value": value, "count": count} for value, count in results.facets.get(name, [])
            ]
            for name in FACETS
        },
        "suggestion": results.suggestion,
        "links": links,
    }
