"""Import a content package (docs/content-format.md) into the database.

The whole package is validated first (:func:`courses.content.format.validate`); nothing is
written when anything is wrong. Resources go through :mod:`courses.resources.operations`
(files through :mod:`portal.storage`, published with a new version); courses are written as
courseware rows. Every item has a key (:mod:`courses.content.keys`): importing the same
package again changes nothing, a changed package updates the items in place (modules,
lessons and questions matched by position, so learners' records stay attached).

Like every operation this flushes and never commits: the caller commits, or rolls back and
calls :meth:`ImportResult.discard_files` to delete the files this import stored.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from courses.content import exporter, keys
from courses.content.format import Checked, Package, validate
from courses.courseware.models import (
    Course,
    CoursePrerequisite,
    CourseStatus,
    CourseTranslation,
    Lesson,
    LessonResource,
    LessonTranslation,
    Module,
    ModuleTranslation,
    Question,
    QuestionTranslation,
    Quiz,
)
from courses.resources import operations as resource_ops
from courses.resources.models import Resource, ResourceAttachment, Status
from portal.accounts.models import RoleAssignment, User
from portal.extensions import db
from portal.storage import get_storage

logger = logging.getLogger(__name__)

METADATA = ("licence", "audience", "level", "subjects", "author", "source")


@dataclass
class ImportResult:
    """What an import did: per kind ("resource", "course") how many items were created,
    updated or left unchanged; the ids by key; the storage keys of the files it stored."""

    counts: dict[str, Counter[str]] = field(
        default_factory=lambda: {"resource": Counter(), "course": Counter()}
    )
    ids: dict[str, dict[str, int]] = field(default_factory=lambda: {"resource": {}, "course": {}})
    stored_files: list[str] = field(default_factory=list)

    def discard_files(self) -> None:
        """Delete the files stored by an import that is being rolled back."""
        storage = get_storage()
        for key in self.stored_files:
            storage.delete(key)
        self.stored_files.clear()


def default_owner() -> User | None:
    """The first administrator: owner and publisher of imported items when none is named."""
    return db.session.scalar(
        select(User)
        .join(RoleAssignment, RoleAssignment.user_id == User.id)
        .where(RoleAssignment.role == "admin")
        .order_by(User.id)
        .limit(1)
    )


def _now() -> datetime:
    return datetime.now(UTC)


def _subjects(codes: list[str]) -> str:
    return "," + ",".join(sorted(set(codes))) + ("," if codes else "")


def import_package(
    package: Package,
    owner: User,
    *,
    reviewer: User | None = None,
    max_file_bytes: int,
    result: ImportResult | None = None,
) -> ImportResult:
    """Validate then import ``package``: new items are owned by ``owner``; resources are
    published by ``reviewer`` (default: ``owner``). Raises
    :class:`courses.content.format.PackageError` before writing anything when the package
    is invalid. Pass ``result`` to learn which files were stored even if the import fails."""
    checked = validate(package, max_file_bytes=max_file_bytes, known_keys=keys.known_keys)
    result = result if result is not None else ImportResult()
    _Importer(package, checked, owner, reviewer or owner, max_file_bytes, result).run()
    logger.info(
        "user %s imported a package: resources %s, courses %s",
        owner.id,
        dict(result.counts["resource"]),
        dict(result.counts["course"]),
    )
    return result


class _Importer:
    def __init__(
        self,
        package: Package,
        checked: Checked,
        owner: User,
        reviewer: User,
        max_file_bytes: int,
        result: ImportResult,
    ) -> None:
        self.package = package
        self.checked = checked
        self.owner = owner
        self.reviewer = reviewer
        self.max_file_bytes = max_file_bytes
        self.result = result

    def run(self) -> None:
        for item in self.checked.resources:
            self.import_resource(item)
        courses = [(item, self.import_course(item)) for item in self.checked.courses]
        for item, course in courses:
            self.sync_prerequisites(course, item["prerequisites"])
        db.session.flush()

    def count(self, kind: str, key: str, object_id: int, outcome: str) -> None:
        self.result.counts[kind][outcome] += 1
        self.result.ids[kind][key] = object_id

    # --- resources --------------------------------------------------------------------

    def import_resource(self, item: dict[str, Any]) -> None:
        object_id = keys.find("resource", item["key"])
        resource = db.session.get(Resource, object_id) if object_id is not None else None
        if resource is None:
            resource = self.create_resource(item)
            outcome = "created"
        else:
            outcome = "updated" if self.update_resource(resource, item) else "unchanged"
        self.count("resource", item["key"], resource.id, outcome)

    def create_resource(self, item: dict[str, Any]) -> Resource:
        language = item["original_language"]
        first = item["translations"][language]
        resource = resource_ops.create_resource(
            self.owner,
            language=language,
            title=first["title"],
            summary=first["summary"],
            body=first["body"],
            licence=item["licence"],
            audience=item["audience"],
            level=item["level"],
            subjects=item["subjects"],
            author=item["author"],
            source=item["source"],
        )
        for code, text in item["translations"].items():
            if code != language:
                resource_ops.save_translation(resource, self.owner, language=code, **text)
        for attachment in item["attachments"]:
            self.attach(resource, attachment)
        keys.assign("resource", item["key"], resource.id)
        self.move_resource(resource, item["status"])
        return resource

    def update_resource(self, resource: Resource, item: dict[str, Any]) -> bool:
        """Bring ``resource`` in line with ``item``; False when it already was."""
        current = exporter.resource_item(resource)
        changed = False
        metadata = {name: item[name] for name in METADATA if current[name] != item[name]}
        if metadata:
            resource_ops.update_metadata(resource, self.owner, **metadata)
            changed = True
        if resource.original_language != item["original_language"]:
            resource.original_language = item["original_language"]
            changed = True
        for translation in list(resource.translations):
            if translation.language not in item["translations"]:
                resource.translations.remove(translation)
                changed = True
        for code, text in item["translations"].items():
            if current["translations"].get(code) != text:
                resource_ops.save_translation(resource, self.owner, language=code, **text)
                changed = True
        if self.sync_attachments(resource, item["attachments"]):
            changed = True
        if changed and resource.status in (Status.IN_REVIEW, Status.PUBLISHED):
            resource.status = Status.DRAFT
            resource.updated_at = _now()
        if changed or resource.status != item["status"]:
            self.move_resource(resource, item["status"])
            return True
        return False

    def sync_attachments(self, resource: Resource, wanted: list[dict[str, Any]]) -> bool:
        """Store the package's files the resource lacks (same SHA-256: not stored again)
        and rename those whose name changed. Files absent from the package are kept."""
        changed = False
        unmatched = list(resource.attachments)
        for entry in wanted:
            same = [a for a in unmatched if a.sha256 == entry["sha256"]]
            match = next((a for a in same if a.filename == entry["filename"]), None) or (
                same[0] if same else None
            )
            if match is None:
                self.attach(resource, entry)
                changed = True
                continue
            unmatched.remove(match)
            if match.filename != entry["filename"]:
                match.filename = entry["filename"]
                changed = True
        return changed

    def attach(self, resource: Resource, entry: dict[str, Any]) -> ResourceAttachment:
        with self.package.open(entry["path"]) as stream:
            attachment = resource_ops.add_attachment(
                resource, self.owner, stream, entry["filename"], max_bytes=self.max_file_bytes
            )
        self.result.stored_files.append(attachment.storage_key)
        db.session.refresh(resource, ["attachments"])
        return attachment

    def move_resource(self, resource: Resource, target: str) -> None:
        """Take the working copy to ``target`` through the moderation steps."""
        if resource.status == target:
            return
        if resource.status == Status.ARCHIVED:
            resource.status = Status.DRAFT
            resource.archived_at = None
        if target == Status.ARCHIVED:
            resource_ops.archive(resource, self.owner)
            return
        if resource.status == Status.PUBLISHED or target == Status.DRAFT:
            resource.status = Status.DRAFT
            db.session.flush()
        if target in (Status.IN_REVIEW, Status.PUBLISHED) and resource.status == Status.DRAFT:
            resource_ops.submit(resource, self.owner)
        if target == Status.PUBLISHED:
            resource_ops.publish(resource, self.reviewer)

    # --- courses ----------------------------------------------------------------------

    def resource_id(self, key: str) -> int:
        if key in self.result.ids["resource"]:
            return self.result.ids["resource"][key]
        object_id = keys.find("resource", key)
        if object_id is None or db.session.get(Resource, object_id) is None:
            raise LookupError(f"no resource with key {key!r}")
        return object_id

    def import_course(self, item: dict[str, Any]) -> Course:
        object_id = keys.find("course", item["key"])
        course = db.session.get(Course, object_id) if object_id is not None else None
        if course is None:
            course = Course(owner_id=self.owner.id, created_at=_now())
            db.session.add(course)
            self.apply_course(course, item)
            db.session.flush()
            keys.assign("course", item["key"], course.id)
            outcome = "created"
        elif exporter.course_item(course) == item:
            outcome = "unchanged"
        else:
            self.apply_course(course, item)
            outcome = "updated"
        db.session.flush()
        logger.info("user %s imported course %s (%s)", self.owner.id, course.id, outcome)
        self.count("course", item["key"], course.id, outcome)
        return course

    def apply_course(self, course: Course, item: dict[str, Any]) -> None:
        now = _now()
        status = item["status"]
        course.status = status
        if status in (CourseStatus.PUBLISHED, CourseStatus.ARCHIVED):
            course.published_at = course.published_at or now
        if status == CourseStatus.ARCHIVED:
            course.archived_at = course.archived_at or now
        if status == CourseStatus.IN_REVIEW:
            course.submitted_at = course.submitted_at or now
        course.kind = item["kind"]
        course.original_language = item["original_language"]
        course.subjects = _subjects(item["subjects"])
        for name in ("level", "audience", "licence", "occupation", "qf_level"):
            setattr(course, name, item[name])
        course.starts_on = date.fromisoformat(item["starts_on"]) if item["starts_on"] else None
        course.ends_on = date.fromisoformat(item["ends_on"]) if item["ends_on"] else None
        hours = item["nominal_hours"]
        course.nominal_hours = None if hours is None else Decimal(str(hours))
        for name, value in item["completion"].items():
            setattr(course, name, value)
        course.issues_certificate = item["issues_certificate"]
        course.updated_at = now
        _sync_texts(course.translations, CourseTranslation, item["translations"], touch=True)
        course.modules = _by_position(course.modules, item["modules"], Module, self.apply_module)

    def apply_module(self, module: Module, item: dict[str, Any]) -> None:
        _sync_texts(module.translations, ModuleTranslation, item["translations"])
        module.lessons = _by_position(module.lessons, item["lessons"], Lesson, self.apply_lesson)

    def apply_lesson(self, lesson: Lesson, item: dict[str, Any]) -> None:
        lesson.estimated_minutes = item["estimated_minutes"]
        _sync_texts(lesson.translations, LessonTranslation, item["translations"], touch=True)
        existing = {link.resource_id: link for link in lesson.resources}
        links = []
        for position, key in enumerate(item["resources"]):
            resource_id = self.resource_id(key)
            link = existing.get(resource_id) or LessonResource(resource_id=resource_id)
            link.position = position
            links.append(link)
        lesson.resources = links
        if item["quiz"] is None:
            lesson.quiz = None
            return
        quiz = lesson.quiz or Quiz()
        for name in ("pass_mark", "max_attempts", "shuffle_questions", "shuffle_options"):
            setattr(quiz, name, item["quiz"][name])
        quiz.feedback = item["quiz"]["feedback"]
        quiz.questions = _by_position(
            quiz.questions, item["quiz"]["questions"], Question, _apply_question
        )
        lesson.quiz = quiz

    def sync_prerequisites(self, course: Course, wanted: list[str]) -> None:
        ids = []
        for key in wanted:
            object_id = self.result.ids["course"].get(key) or keys.find("course", key)
            if object_id is None:
                raise LookupError(f"no course with key {key!r}")
            ids.append(object_id)
        existing = {p.required_course_id: p for p in course.prerequisites}
        course.prerequisites = [
            existing.get(i) or CoursePrerequisite(required_course_id=i) for i in ids
        ]
        db.session.flush()
        db.session.refresh(course, ["prerequisites"])


def _apply_question(question: Question, item: dict[str, Any]) -> None:
    question.kind = item["kind"]
    question.points = item["points"]
    question.option_keys = list(item["option_keys"])
    question.answer = dict(item["answer"])
    _sync_texts(question.translations, QuestionTranslation, item["translations"])


def _by_position(
    rows: list[Any],
    items: list[dict[str, Any]],
    model: type[Any],
    apply: Callable[[Any, dict[str, Any]], None],
) -> list[Any]:
    """The rows for ``items``: the row at the same position reused, new ones made; rows
    beyond the items are left out (and so deleted with their children)."""
    result = []
    for position, item in enumerate(items):
        row = rows[position] if position < len(rows) else model()
        row.position = position
        apply(row, item)
        result.append(row)
    return result


def _sync_texts(
    rows: list[Any], model: type[Any], wanted: dict[str, dict[str, Any]], *, touch: bool = False
) -> None:
    """Make the translation rows hold exactly ``wanted`` (language → field values)."""
    by_language = {row.language: row for row in rows}
    for row in list(rows):
        if row.language not in wanted:
            rows.remove(row)
    for language in sorted(wanted):
        row = by_language.get(language)
        if row is None:
            row = model(language=language)
            rows.append(row)
        values = wanted[language]
        if any(getattr(row, name, None) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(row, name, value)
            if touch:
                row.updated_at = _now()
