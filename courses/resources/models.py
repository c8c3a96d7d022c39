"""Resources, their translations, published versions and attached files."""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db

__all__ = [
    "Resource",
    "ResourceAttachment",
    "ResourceRevision",
    "ResourceTranslation",
    "Status",
]


def utcnow() -> datetime:
    return datetime.now(UTC)


class Status(enum.StrEnum):
    """Where the working copy of a resource stands in moderation."""

    DRAFT = "draft"
    IN_REVIEW = "in_review"
    PUBLISHED = "published"
    ARCHIVED = "archived"


class Resource(db.Model):
    """One open educational resource: the working copy of its metadata, owned by a teacher.
    The public sees its latest published version (a :class:`ResourceRevision`)."""

    __tablename__ = "resources"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[str] = mapped_column(String(16), default=Status.DRAFT, index=True)
    licence: Mapped[str] = mapped_column(String(16))
    audience: Mapped[str] = mapped_column(String(16))
    level: Mapped[str] = mapped_column(String(16))
    # Subject codes joined by commas and wrapped in commas (",health,law,"), for LIKE filters.
    subjects: Mapped[str] = mapped_column(String(300), default=",")
    author: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(500), default="")
    original_language: Mapped[str] = mapped_column(String(12))
    review_note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime | None]
    published_at: Mapped[datetime | None]  # first publication: the resource is public since
    archived_at: Mapped[datetime | None]

    owner = relationship("User")
    translations: Mapped[list[ResourceTranslation]] = relationship(
        back_populates="resource",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="ResourceTranslation.language",
    )
    revisions: Mapped[list[ResourceRevision]] = relationship(
        back_populates="resource",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="ResourceRevision.number",
    )
    attachments: Mapped[list[ResourceAttachment]] = relationship(
        back_populates="resource", order_by="ResourceAttachment.id"
    )

    def __repr__(self) -> str:
        return f"<Resource {self.id} {self.status}>"

    @property
    def subject_codes(self) -> list[str]:
        return [code for code in self.subjects.split(",") if code]

    @property
    def is_public(self) -> bool:
        """Whether visitors may open it: published once (archived ones say so)."""
        return self.published_at is not None

    @property
    def latest_revision(self) -> ResourceRevision | None:
        return self.revisions[-1] if self.revisions else None

    def translation(self, language: str) -> ResourceTranslation | None:
        return next((t for t in self.translations if t.language == language), None)


class ResourceTranslation(db.Model):
    """The text of a resource in one language (title, summary, Markdown body)."""

    __tablename__ = "resource_translations"
    __table_args__ = (UniqueConstraint("resource_id", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    resource_id: Mapped[int] = mapped_column(
        ForeignKey("resources.id", ondelete="CASCADE"), index=True
    )
    language: Mapped[str] = mapped_column(String(12))
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(String(1000), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    resource: Mapped[Resource] = relationship(back_populates="translations")

    def __repr__(self) -> str:
        return f"<ResourceTranslation {self.resource_id} {self.language}>"


class ResourceRevision(db.Model):
    """A published version: a snapshot of the metadata and every translation at the time of
    publication. Kept for history, comparison and restoring."""

    __tablename__ = "resource_revisions"
    __table_args__ = (UniqueConstraint("resource_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    resource_id: Mapped[int] = mapped_column(
        ForeignKey("resources.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int]
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    published_at: Mapped[datetime] = mapped_column(default=utcnow)

    resource: Mapped[Resource] = relationship(back_populates="revisions")
    published_by = relationship("User")

    def __repr__(self) -> str:
        return f"<ResourceRevision {self.resource_id} #{self.number}>"


class ResourceAttachment(db.Model):
    """A file attached to a resource, kept in the storage under ``storage_key``."""

    __tablename__ = "resource_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    resource_id: Mapped[int] = mapped_column(
        ForeignKey("resources.id", ondelete="RESTRICT"), index=True
    )
    storage_key: Mapped[str] = mapped_column(String(512), unique=True)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    resource: Mapped[Resource] = relationship(back_populates="attachments")

    def __repr__(self) -> str:
        return f"<ResourceAttachment {self.id} {self.storage_key}>"
