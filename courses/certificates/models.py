"""Certificates of achievement, verifiable by code."""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from courses.certificates.codes import format_code
from portal.accounts.models import User
from portal.db_types import TwoDecimals
from portal.extensions import db


def utcnow() -> datetime:
    return datetime.now(UTC)


class CertificateKind(enum.StrEnum):
    """What kind of achievement a certificate attests."""

    COURSE = "course"  # a completed course of the portal
    PROGRAMME = "programme"  # a programme completed at a continuing-education centre
    TITLE = "title"  # a recognised learning-society title (e.g. Learning Citizen)


class Certificate(db.Model):
    """One certificate issued to one learner: what was achieved (a course, a programme or a
    title), with snapshots of the learner's name, the achievement and the issuer as printed,
    so it stays verifiable after the account or the course is gone. Revoked certificates are
    kept, with the reason, so their verify page can say so."""

    __tablename__ = "certificates"
    __table_args__ = (
        CheckConstraint("kind IN ('course', 'programme', 'title')", name="kind"),
        CheckConstraint("hours >= 0", name="hours_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)  # Crockford base32, no hyphens
    kind: Mapped[str] = mapped_column(String(16))
    # The course achieved (kind "course"); programmes and titles get their own columns.
    course_id: Mapped[int | None] = mapped_column(
        ForeignKey("courses.id", ondelete="SET NULL"), index=True
    )
    achievement: Mapped[str] = mapped_column(String(300))  # title as printed, learner's language
    hours: Mapped[Decimal] = mapped_column(TwoDecimals())
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    learner_name: Mapped[str] = mapped_column(String(200))  # name as printed
    issuer: Mapped[str] = mapped_column(String(200))  # e.g. the portal, or a centre
    language: Mapped[str] = mapped_column(String(12))  # of the printed texts
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]
    revoked_reason: Mapped[str | None] = mapped_column(String(500))
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
    revoked_by: Mapped[User | None] = relationship(foreign_keys=[revoked_by_id])

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def display_code(self) -> str:
        """The code in groups of four, as printed."""
        return format_code(self.code)

    def __repr__(self) -> str:
        state = " revoked" if self.is_revoked else ""
        return f"<Certificate {self.id} {self.display_code} {self.kind}:{self.course_id}{state}>"
