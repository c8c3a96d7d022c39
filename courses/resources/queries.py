"""Reads: the public list, one resource in the reader's language, the teacher's and the
reviewers' lists, and every storage key the resources use."""

from __future__ import annotations

import difflib
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from markupsafe import Markup
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import selectinload

from courses.markdown import render_markdown
from courses.resources.models import (
    Resource,
    ResourceAttachment,
    ResourceRevision,
    ResourceTranslation,
    Status,
)
from portal.extensions import db

PAGE_SIZE = 20


@dataclass(frozen=True)
class Shown:
    """The text of a published resource in the language chosen for the reader."""

    resource: Resource
    revision: ResourceRevision
    language: str
    title: str
    summary: str
    body: str
    others: tuple[str, ...]  # the other languages it exists in
    metadata: dict[str, Any]

    @property
    def attachments(self) -> list[ResourceAttachment]:
        """The files published with this version (and not deleted since)."""
        return published_attachments(self.resource)

    @property
    def html(self) -> Markup:
        return cached_markdown(self.body)


@functools.lru_cache(maxsize=512)
def cached_markdown(text: str) -> Markup:
    """Sanitised HTML of a published body (published text never changes)."""
    return render_markdown(text)


def pick_language(available: Iterable[str], chain: Sequence[str], original: str) -> str:
    """The first language of ``chain`` that exists, else the original, else any."""
    languages = list(available)
    for code in chain:
        if code in languages:
            return code
    return original if original in languages else sorted(languages)[0]


def show(resource: Resource, chain: Sequence[str]) -> Shown | None:
    """The latest published version in the first language of ``chain`` that it has."""
    revision = resource.latest_revision
    if revision is None:
        return None
    texts = revision.snapshot["translations"]
    meta = revision.snapshot["metadata"]
    language = pick_language(texts, chain, meta["original_language"])
    text = texts[language]
    return Shown(
        resource=resource,
        revision=revision,
        language=language,
        title=text["title"],
        summary=text["summary"],
        body=text["body"],
        others=tuple(sorted(code for code in texts if code != language)),
        metadata=meta,
    )


def published_attachments(resource: Resource) -> list[ResourceAttachment]:
    """Attachments reviewed with the latest published version: files added since wait for
    the next publication."""
    revision = resource.latest_revision
    ids = set(revision.snapshot.get("attachments", [])) if revision else set()
    return [a for a in resource.attachments if a.id in ids]


def get_resource(resource_id: int) -> Resource | None:
    return db.session.get(Resource, resource_id)


def public_page(
    chain: Sequence[str],
    *,
    language: str | None = None,
    subject: str | None = None,
    licence: str | None = None,
    page: int = 1,
) -> tuple[list[Shown], int]:
    """One page of published, not archived resources (newest first) and the total."""
    query = select(Resource).where(
        Resource.published_at.is_not(None), Resource.status != Status.ARCHIVED
    )
    if language:
        query = query.where(Resource.translations.any(ResourceTranslation.language == language))
    if subject:
        query = query.where(Resource.subjects.contains(f",{subject},"))
    if licence:
        query = query.where(Resource.licence == licence)
    total = db.session.scalar(select(db.func.count()).select_from(query.subquery())) or 0
    rows = db.session.scalars(
        query.options(selectinload(Resource.revisions))
        .order_by(Resource.published_at.desc(), Resource.id.desc())
        .limit(PAGE_SIZE)
        .offset((max(page, 1) - 1) * PAGE_SIZE)
    ).all()
    shown = [s for s in (show(r, chain) for r in rows) if s is not None]
    return shown, total


def owned_by(user: Any) -> list[Resource]:
    return list(
        db.session.scalars(
            select(Resource).where(Resource.owner_id == user.id).order_by(Resource.id.desc())
        )
    )


def review_queue() -> list[Resource]:
    return list(
        db.session.scalars(
            select(Resource)
            .where(Resource.status == Status.IN_REVIEW)
            .order_by(Resource.submitted_at, Resource.id)
        )
    )


def working_title(resource: Resource, chain: Sequence[str]) -> str:
    """The working copy's title in the reader's language (for teachers and reviewers)."""
    if not resource.translations:
        return ""
    language = pick_language(
        [t.language for t in resource.translations], chain, resource.original_language
    )
    translation = resource.translation(language)
    return translation.title if translation else ""


def get_revision(resource: Resource, number: int) -> ResourceRevision | None:
    return next((r for r in resource.revisions if r.number == number), None)


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "same", "added", "removed"
    text: str


@dataclass(frozen=True)
class Section:
    """The changes of one field: metadata (``language`` is None) or one translation's
    title, summary or body."""

    field: str
    language: str | None
    lines: list[DiffLine]

    @property
    def key(self) -> str:
        return f"{self.language}: {self.field}" if self.language else self.field


def compare(old: dict[str, Any], new: dict[str, Any]) -> list[Section]:
    """Line differences between two snapshots, per field; fields without a change are
    left out."""
    sections: list[Section] = []

    def lines_of(value: Any) -> list[str]:
        if isinstance(value, list):
            return [", ".join(value)]
        return str(value or "").splitlines()

    for name in sorted(set(old["metadata"]) | set(new["metadata"])):
        a, b = old["metadata"].get(name), new["metadata"].get(name)
        if a != b:
            sections.append(Section(name, None, _diff(lines_of(a), lines_of(b))))
    languages = sorted(set(old["translations"]) | set(new["translations"]))
    for language in languages:
        a_text = old["translations"].get(language, {})
        b_text = new["translations"].get(language, {})
        for field in ("title", "summary", "body"):
            a, b = a_text.get(field, ""), b_text.get(field, "")
            if a != b:
                sections.append(Section(field, language, _diff(lines_of(a), lines_of(b))))
    return sections


def _diff(a: list[str], b: list[str]) -> list[DiffLine]:
    out: list[DiffLine] = []
    for line in difflib.ndiff(a, b):
        code, text = line[:2], line[2:]
        if code == "  ":
            out.append(DiffLine("same", text))
        elif code == "- ":
            out.append(DiffLine("removed", text))
        elif code == "+ ":
            out.append(DiffLine("added", text))
    return out


def attachment_keys() -> Iterable[str]:
    """Every storage key a resource attachment points to (for ``flask storage check``)."""
    return db.session.scalars(select(ResourceAttachment.storage_key))


def get_attachment(resource: Resource, attachment_id: int) -> ResourceAttachment | None:
    attachment = db.session.get(ResourceAttachment, attachment_id)
    if attachment is None or attachment.resource_id != resource.id:
        return None
    return attachment


def public_after(
    *,
    after: tuple[datetime, int] | None = None,
    subject: str | None = None,
    licence: str | None = None,
    limit: int = PAGE_SIZE,
) -> list[Resource]:
    """Published, not archived resources, newest first, that come after ``after``
    (``(published_at, id)`` of the last one seen): a page that stays put when newer
    resources are published in between."""
    query = select(Resource).where(
        Resource.published_at.is_not(None), Resource.status != Status.ARCHIVED
    )
    if subject:
        query = query.where(Resource.subjects.contains(f",{subject},"))
    if licence:
        query = query.where(Resource.licence == licence)
    if after is not None:
        published_at, resource_id = after
        query = query.where(
            or_(
                Resource.published_at < published_at,
                and_(Resource.published_at == published_at, Resource.id < resource_id),
            )
        )
    return list(
        db.session.scalars(
            query.options(selectinload(Resource.revisions), selectinload(Resource.attachments))
            .order_by(Resource.published_at.desc(), Resource.id.desc())
            .limit(limit)
        )
    )
