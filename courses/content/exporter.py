"""Write resources and courses as a content package (docs/content-format.md).

The item dictionaries made here are also what the importer compares a package item with to
tell "unchanged" from "updated", so they hold exactly the fields of the normalised format.
"""

from __future__ import annotations

import json
import logging
import shutil
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from courses.content import keys
from courses.content.format import FILES, FORMAT, MANIFEST, VERSION, hours_number
from courses.courseware.models import Course, Lesson, Question, Quiz
from courses.resources.models import Resource
from portal.extensions import db
from portal.storage import get_storage

logger = logging.getLogger(__name__)


def _original_title(item: Resource | Course) -> str:
    translation = item.translation(item.original_language) or (
        item.translations[0] if item.translations else None
    )
    return translation.title if translation else ""


def resource_key(resource: Resource) -> str:
    return keys.ensure_key("resource", resource.id, _original_title(resource))


def course_key(course: Course) -> str:
    return keys.ensure_key("course", course.id, _original_title(course))


def attachment_paths(resource: Resource, key: str) -> list[str]:
    """Where each attachment goes in a package: ``files/<resource key>/<file name>``."""
    paths: list[str] = []
    for n, attachment in enumerate(resource.attachments, start=1):
        path = f"{FILES}/{key}/{attachment.filename}"
        if path in paths:
            path = f"{FILES}/{key}/{n}-{attachment.filename}"
        paths.append(path)
    return paths


def resource_item(resource: Resource) -> dict[str, Any]:
    key = resource_key(resource)
    return {
        "key": key,
        "status": resource.status,
        "original_language": resource.original_language,
        "licence": resource.licence,
        "audience": resource.audience,
        "level": resource.level,
        "subjects": sorted(resource.subject_codes),
        "author": resource.author,
        "source": resource.source,
        "translations": {
            t.language: {"title": t.title, "summary": t.summary, "body": t.body}
            for t in sorted(resource.translations, key=lambda t: t.language)
        },
        "attachments": [
            {"path": path, "filename": attachment.filename}
            for path, attachment in zip(
                attachment_paths(resource, key), resource.attachments, strict=True
            )
        ],
    }


def _question_item(question: Question) -> dict[str, Any]:
    return {
        "kind": question.kind,
        "points": question.points,
        "option_keys": list(question.option_keys or []),
        "answer": dict(question.answer or {}),
        "translations": {
            t.language: {
                "prompt": t.prompt,
                "options": {k: (t.options or {}).get(k, "") for k in question.option_keys or []},
                "accepted": list(t.accepted or []),
                "explanation": t.explanation,
            }
            for t in sorted(question.translations, key=lambda t: t.language)
        },
    }


def _quiz_item(quiz: Quiz | None) -> dict[str, Any] | None:
    if quiz is None:
        return None
    return {
        "pass_mark": quiz.pass_mark,
        "max_attempts": quiz.max_attempts,
        "shuffle_questions": quiz.shuffle_questions,
        "shuffle_options": quiz.shuffle_options,
        "feedback": quiz.feedback,
        "questions": [_question_item(q) for q in quiz.questions],
    }


def _lesson_item(lesson: Lesson) -> dict[str, Any]:
    return {
        "estimated_minutes": lesson.estimated_minutes,
        "translations": {
            t.language: {"title": t.title, "body": t.body}
            for t in sorted(lesson.translations, key=lambda t: t.language)
        },
        "resources": [resource_key(link.resource) for link in lesson.resources],
        "quiz": _quiz_item(lesson.quiz),
    }


def course_item(course: Course) -> dict[str, Any]:
    return {
        "key": course_key(course),
        "status": course.status,
        "kind": course.kind,
        "original_language": course.original_language,
        "subjects": sorted(course.subject_codes),
        "level": course.level,
        "audience": course.audience,
        "licence": course.licence,
        "starts_on": course.starts_on.isoformat() if course.starts_on else None,
        "ends_on": course.ends_on.isoformat() if course.ends_on else None,
        "occupation": course.occupation,
        "qf_level": course.qf_level,
        "nominal_hours": (
            None if course.nominal_hours is None else hours_number(course.nominal_hours)
        ),
        "completion": {
            "require_all_lessons": course.require_all_lessons,
            "require_quizzes_passed": course.require_quizzes_passed,
            "min_score": course.min_score,
        },
        "issues_certificate": course.issues_certificate,
        "translations": {
            t.language: {"title": t.title, "summary": t.summary, "description": t.description}
            for t in sorted(course.translations, key=lambda t: t.language)
        },
        "prerequisites": sorted(course_key(p.required_course) for p in course.prerequisites),
        "modules": [
            {
                "translations": {
                    t.language: {"title": t.title}
                    for t in sorted(module.translations, key=lambda t: t.language)
                },
                "lessons": [_lesson_item(lesson) for lesson in module.lessons],
            }
            for module in course.modules
        ],
    }


# --- choosing and writing ---------------------------------------------------------------


class NotFoundError(LookupError):
    """A --course or --resource that names nothing."""


def _find(kind: str, model: type[Any], ref: str) -> Any:
    found = None
    if ref.isdigit():
        found = db.session.get(model, int(ref))
    if found is None:
        object_id = keys.find(kind, ref)
        found = db.session.get(model, object_id) if object_id is not None else None
    if found is None:
        raise NotFoundError(f"no {kind} with key or id {ref!r}")
    return found


def select_items(
    course_refs: Iterable[str] = (), resource_refs: Iterable[str] = ()
) -> tuple[list[Resource], list[Course]]:
    """Everything when nothing is named; else the named items, the resources their lessons
    attach and the courses they require (so the package imports on its own)."""
    course_refs, resource_refs = list(course_refs), list(resource_refs)
    if not course_refs and not resource_refs:
        return (
            list(db.session.scalars(select(Resource).order_by(Resource.id))),
            list(db.session.scalars(select(Course).order_by(Course.id))),
        )
    courses: dict[int, Course] = {}
    pending = [_find("course", Course, ref) for ref in course_refs]
    while pending:
        course = pending.pop()
        if course.id not in courses:
            courses[course.id] = course
            pending.extend(p.required_course for p in course.prerequisites)
    resources = {r.id: r for r in (_find("resource", Resource, ref) for ref in resource_refs)}
    for course in courses.values():
        for lesson in course.lessons:
            for link in lesson.resources:
                resources[link.resource_id] = link.resource
    return list(resources.values()), list(courses.values())


@dataclass
class Exported:
    resources: int
    courses: int
    files: int


def build(resources: list[Resource], courses: list[Course]) -> tuple[dict[str, Any], list]:
    """The content.json document and the files to write: [(package path, attachment)]."""
    resource_items = []
    files = []
    for resource in resources:
        item = resource_item(resource)
        resource_items.append(item)
        for entry, attachment in zip(item["attachments"], resource.attachments, strict=True):
            files.append((entry["path"], attachment))
    document = {
        "format": FORMAT,
        "version": VERSION,
        "resources": sorted(resource_items, key=lambda i: i["key"]),
        "courses": sorted((course_item(c) for c in courses), key=lambda i: i["key"]),
    }
    return document, files


def dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def export_package(
    out: str | Path, course_refs: Iterable[str] = (), resource_refs: Iterable[str] = ()
) -> Exported:
    """Write the package to ``out``: a ``.zip`` file, or else a folder (made if missing;
    its content.json and files/ are replaced). Keys made for unkeyed items are flushed:
    the caller commits them so the next export names the items alike."""
    resources, courses = select_items(course_refs, resource_refs)
    document, files = build(resources, courses)
    storage = get_storage()
    out = Path(out)
    if out.suffix.lower() == ".zip":
        out.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(MANIFEST, dumps(document))
            for path, attachment in files:
                with (
                    storage.open(attachment.storage_key) as source,
                    archive.open(path, "w") as target,
                ):
                    shutil.copyfileobj(source, target)
    else:
        out.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(out / FILES, ignore_errors=True)
        (out / MANIFEST).write_text(dumps(document), encoding="utf-8")
        for path, attachment in files:
            target = out / path
            target.parent.mkdir(parents=True, exist_ok=True)
            with storage.open(attachment.storage_key) as source, target.open("wb") as sink:
                shutil.copyfileobj(source, sink)
    logger.info(
        "exported %d resources, %d courses, %d files to %s",
        len(resources),
        len(courses),
        len(files),
        out,
    )
    return Exported(len(resources), len(courses), len(files))
