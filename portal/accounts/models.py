"""Users, their roles with scopes, and password-reset tokens."""

from __future__ import annotations

import enum
from datetime import UTC, datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db


def utcnow() -> datetime:
    return datetime.now(UTC)


class Role(enum.StrEnum):
    """What a user may do. Staff, reviewer and approver act within a scope."""

    LEARNER = "learner"
    TEACHER = "teacher"
    STAFF = "staff"  # centre staff, scoped to a centre
    REVIEWER = "reviewer"  # association officer, scoped to a commune or province
    APPROVER = "approver"  # People's Committee officer, scoped to a commune or province
    ADMIN = "admin"


class ScopeKind(enum.StrEnum):
    CENTRE = "centre"
    COMMUNE = "commune"
    PROVINCE = "province"


# Which scopes each role takes; an empty tuple means the role is held without a scope.
ROLE_SCOPES: dict[Role, tuple[ScopeKind, ...]] = {
    Role.LEARNER: (),
    Role.TEACHER: (),
    Role.STAFF: (ScopeKind.CENTRE,),
    Role.REVIEWER: (ScopeKind.COMMUNE, ScopeKind.PROVINCE),
    Role.APPROVER: (ScopeKind.COMMUNE, ScopeKind.PROVINCE),
    Role.ADMIN: (),
}


class User(UserMixin, db.Model):
    """A person with an account, who signs in with a mobile number or an e-mail address."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    phone: Mapped[str | None] = mapped_column(String(16), unique=True)  # E.164, +84...
    email: Mapped[str | None] = mapped_column(String(254), unique=True)  # lower-cased
    password_hash: Mapped[str] = mapped_column(String(255))
    # Changes whenever the password does, so every other session is signed out.
    session_token: Mapped[str] = mapped_column(String(32))
    full_name: Mapped[str] = mapped_column(String(200))
    language: Mapped[str | None] = mapped_column(String(12))
    is_active_account: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_sign_in_at: Mapped[datetime | None]

    # Optional profile fields; each form field explains why it is asked and who sees it.
    birth_year: Mapped[int | None]
    gender: Mapped[str | None] = mapped_column(String(16))
    ethnicity_code: Mapped[str | None] = mapped_column(String(2))
    disability: Mapped[str | None] = mapped_column(String(24))
    occupation_group: Mapped[str | None] = mapped_column(String(32))
    home_commune_id: Mapped[int | None] = mapped_column(
        ForeignKey("admin_units.id", ondelete="SET NULL"), index=True
    )

    roles: Mapped[list[RoleAssignment]] = relationship(
        back_populates="user",
        cascade="all, delete-orphan",
        passive_deletes=True,
        foreign_keys="RoleAssignment.user_id",
        order_by="RoleAssignment.id",
    )
    home_commune = relationship("AdminUnit", lazy="joined")

    def __repr__(self) -> str:
        return f"<User {self.id} {self.phone or self.email}>"

    # Flask-Login: the session holds id and session token, so a password change ends
    # every other session.
    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    @property
    def is_active(self) -> bool:  # type: ignore[override]
        return self.is_active_account

    @property
    def sign_in_name(self) -> str:
        return self.phone or self.email or ""

    def has_role(
        self, role: Role | str, scope_kind: str | None = None, scope_code: str | None = None
    ) -> bool:
        """Whether the user holds ``role`` (within the given scope when one is given)."""
        for assignment in self.roles:
            if assignment.role != role:
                continue
            if scope_kind is None or (
                assignment.scope_kind == scope_kind and assignment.scope_code == scope_code
            ):
                return True
        return False

    def scopes(self, role: Role | str) -> list[tuple[str, str]]:
        """The (kind, code) scopes in which the user holds ``role``."""
        return [
            (a.scope_kind, a.scope_code)
            for a in self.roles
            if a.role == role and a.scope_kind and a.scope_code
        ]


class RoleAssignment(db.Model):
    """One role held by one user, within one scope (a centre, commune or province) where
    the role is scoped."""

    __tablename__ = "role_assignments"
    __table_args__ = (UniqueConstraint("user_id", "role", "scope_kind", "scope_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    scope_kind: Mapped[str | None] = mapped_column(String(16))
    scope_code: Mapped[str | None] = mapped_column(String(32))
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    granted_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(back_populates="roles", foreign_keys=[user_id])

    def __repr__(self) -> str:
        scope = f" {self.scope_kind}:{self.scope_code}" if self.scope_kind else ""
        return f"<RoleAssignment {self.user_id} {self.role}{scope}>"


class PasswordResetToken(db.Model):
    """A one-time link to set a new password. Only the token's SHA-256 is stored."""

    __tablename__ = "password_reset_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])

    def __repr__(self) -> str:
        return f"<PasswordResetToken {self.id} user={self.user_id}>"
