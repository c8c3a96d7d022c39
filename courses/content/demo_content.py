"""The demo package (``courses/content/demo/``) for ``flask demo load``: resources and
courses in Vietnamese, English, Khmer and Ede, imported like any content package, so loading
it twice changes nothing.

Minority-language texts in it are demo translations awaiting review by native speakers; the
items that hold them say so in their summaries.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import select

from courses.content import keys
from courses.content.format import FolderPackage, validate
from courses.content.importer import ImportResult, import_package
from courses.courseware.models import Course
from courses.resources.models import Resource
from portal.extensions import db

logger = logging.getLogger(__name__)

DEMO_PACKAGE = Path(__file__).resolve().parent / "demo"
#: The demo course a demo learner is enrolled in, with its first lesson done.
DEMO_ENROLMENT_COURSE = "ky-nang-so-co-ban"


def _max_file_bytes() -> int:
    return int(current_app.config["PORTAL_MAX_ATTACHMENT_MB"]) * 1024 * 1024


def _adopt_earlier_demo_resources(package: FolderPackage) -> None:
    """Demo resources made before the package existed (same ``source``, no key) get the
    package's key, so they are updated rather than copied."""
    checked = validate(package, max_file_bytes=_max_file_bytes(), known_keys=keys.known_keys)
    for item in checked.resources:
        if not item["source"].startswith("Demo:") or keys.find("resource", item["key"]):
            continue
        resource = db.session.scalars(
            select(Resource).where(Resource.source == item["source"]).order_by(Resource.id)
        ).first()
        if resource is not None and keys.key_of("resource", resource.id) is None:
            keys.assign("resource", item["key"], resource.id)


def load_demo_content(teacher: Any, reviewer: Any) -> tuple[list[Resource], list[Course]]:
    """Import the demo package: new items owned by ``teacher``, resources published by
    ``reviewer``. Returns the demo resources and courses. Flushes; the caller commits (or
    rolls back and deletes ``result.stored_files``)."""
    package = FolderPackage(DEMO_PACKAGE)
    _adopt_earlier_demo_resources(package)
    result = ImportResult()
    try:
        import_package(
            package, teacher, reviewer=reviewer, max_file_bytes=_max_file_bytes(), result=result
        )
    except Exception:
        result.discard_files()
        raise
    resources = [db.session.get(Resource, i) for i in result.ids["resource"].values()]
    courses = [db.session.get(Course, i) for i in result.ids["course"].values()]
    return resources, courses


def enrol_demo_learner(learner: Any) -> bool:
    """Enrol ``learner`` in the digital-skills course with its first lesson done, once.
    True when this call enrolled them."""
    from courses.learning import operations as learning
    from courses.learning import queries as learning_queries

    course_id = keys.find("course", DEMO_ENROLMENT_COURSE)
    course = db.session.get(Course, course_id) if course_id is not None else None
    if course is None or learning_queries.enrolment_of(learner, course) is not None:
        return False
    enrolment = learning.enrol(learner, course)
    learning.complete_lesson(enrolment, course.lessons[0])
    return True
