"""Stable keys of imported and exported content, so a package imported twice updates the
same rows instead of making copies."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db

__all__ = ["ContentKey"]


class ContentKey(db.Model):
    """The package key (a slug) of one resource or course: ``kind`` names the table,
    ``object_id`` the row. No foreign key (two tables); a key whose row is gone is reused
    by the next import of that key."""

    __tablename__ = "content_keys"
    __table_args__ = (
        UniqueConstraint("kind", "key"),
        UniqueConstraint("kind", "object_id"),
        CheckConstraint("kind IN ('resource', 'course')", name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    key: Mapped[str] = mapped_column(String(100))
    object_id: Mapped[int]

    def __repr__(self) -> str:
        return f"<ContentKey {self.kind} {self.key} → {self.object_id}>"
