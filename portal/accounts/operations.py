"""Verbs that change accounts. They flush and log; the request boundary commits."""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from portal.accounts.models import (
    ROLE_SCOPES,
    PasswordResetToken,
    Role,
    RoleAssignment,
    User,
    utcnow,
)
from portal.accounts.passwords import hash_password, needs_rehash, verify_password
from portal.extensions import db
from portal.operation_errors import OperationError
from portal.text import nfc

logger = logging.getLogger(__name__)


class AccountError(OperationError):
    """An account operation was refused; ``code`` says why (the view translates it)."""


def _new_session_token() -> str:
    return secrets.token_hex(16)


def create_user(
    *,
    full_name: str,
    password: str,
    phone: str | None = None,
    email: str | None = None,
    language: str | None = None,
    roles: tuple[Role, ...] = (Role.LEARNER,),
) -> User:
    """Create an account from an already-normalised phone and/or e-mail address."""
    if not phone and not email:
        raise AccountError("identifier_required")
    if phone and db.session.scalar(select(User.id).where(User.phone == phone)):
        raise AccountError("phone_taken")
    if email and db.session.scalar(select(User.id).where(User.email == email)):
        raise AccountError("email_taken")
    user = User(
        full_name=nfc(full_name.strip()),
        phone=phone,
        email=email,
        language=language,
        password_hash=hash_password(password),
        session_token=_new_session_token(),
    )
    db.session.add(user)
    for role in roles:
        user.roles.append(RoleAssignment(role=role.value))
    db.session.flush()
    logger.info("account %s created", user.id)
    return user


def authenticate(user: User | None, password: str) -> bool:
    """Check a password, upgrading the hash when its parameters are outdated."""
    from portal.accounts.passwords import DUMMY_HASH

    if user is None:
        verify_password(DUMMY_HASH, password)
        return False
    if not verify_password(user.password_hash, password):
        return False
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_sign_in_at = utcnow()
    db.session.flush()
    return True


def change_password(user: User, new_password: str) -> None:
    """Set a new password and end every other session of this user."""
    user.password_hash = hash_password(new_password)
    user.session_token = _new_session_token()
    db.session.flush()
    logger.info("account %s changed its password", user.id)


def update_profile(user: User, **fields: Any) -> None:
    """Save profile fields (already validated by the form)."""
    allowed = {
        "full_name",
        "language",
        "birth_year",
        "gender",
        "ethnicity_code",
        "disability",
        "occupation_group",
        "home_commune_id",
        "email",
        "phone",
    }
    for name, value in fields.items():
        if name not in allowed:
            raise AccountError("unknown_field")
        if isinstance(value, str):
            value = nfc(value.strip()) or None
        setattr(user, name, value)
    if not user.full_name:
        raise AccountError("name_required")
    db.session.flush()
    logger.info("account %s updated its profile", user.id)


def grant_role(
    user: User,
    role: Role,
    *,
    scope_kind: str | None = None,
    scope_code: str | None = None,
    granted_by: User | None = None,
) -> RoleAssignment:
    """Give ``user`` a role, within a scope where the role requires one."""
    allowed = ROLE_SCOPES[role]
    if allowed and (scope_kind not in allowed or not scope_code):
        raise AccountError("scope_required")
    if not allowed and (scope_kind or scope_code):
        raise AccountError("scope_not_allowed")
    if user.has_role(role, scope_kind, scope_code):
        raise AccountError("role_held")
    assignment = RoleAssignment(
        role=role.value,
        scope_kind=scope_kind,
        scope_code=scope_code,
        granted_by_id=granted_by.id if granted_by else None,
    )
    user.roles.append(assignment)
    db.session.flush()
    logger.info(
        "user %s granted %s %s:%s to user %s",
        granted_by.id if granted_by else None,
        role.value,
        scope_kind,
        scope_code,
        user.id,
    )
    return assignment


def revoke_role(assignment: RoleAssignment, *, revoked_by: User | None = None) -> None:
    """Take a role away. The last administrator cannot be removed."""
    if assignment.role == Role.ADMIN:
        admins = db.session.scalar(
            select(db.func.count(RoleAssignment.id)).where(RoleAssignment.role == Role.ADMIN)
        )
        if admins <= 1:
            raise AccountError("last_admin")
    user = assignment.user
    user.roles.remove(assignment)
    db.session.flush()
    logger.info(
        "user %s revoked %s from user %s",
        revoked_by.id if revoked_by else None,
        assignment.role,
        user.id,
    )


def set_active(user: User, active: bool, *, by: User) -> None:
    """Suspend or restore an account; a suspended account cannot sign in."""
    if user.id == by.id and not active:
        raise AccountError("cannot_suspend_self")
    user.is_active_account = active
    user.session_token = _new_session_token()
    db.session.flush()
    logger.info("user %s set account %s active=%s", by.id, user.id, active)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_reset_token(user: User, *, hours: int, issued_by: User | None = None) -> str:
    """A one-time password-reset token; only its hash is stored. Earlier unused tokens of
    the user stop working."""
    now = utcnow()
    for old in db.session.scalars(
        select(PasswordResetToken).where(
            PasswordResetToken.user_id == user.id, PasswordResetToken.used_at.is_(None)
        )
    ):
        old.used_at = now
    token = secrets.token_urlsafe(32)
    db.session.add(
        PasswordResetToken(
            user_id=user.id,
            token_hash=_token_hash(token),
            expires_at=now + timedelta(hours=hours),
            issued_by_id=issued_by.id if issued_by else None,
        )
    )
    db.session.flush()
    logger.info(
        "password reset issued for user %s by %s",
        user.id,
        issued_by.id if issued_by else "command line",
    )
    return token


def find_reset_token(token: str) -> PasswordResetToken | None:
    """The usable (unused, unexpired) reset token for ``token``, if any."""
    row = db.session.scalar(
        select(PasswordResetToken).where(PasswordResetToken.token_hash == _token_hash(token))
    )
    if row is None or row.used_at is not None or row.expires_at <= utcnow():
        return None
    return row


def reset_password(row: PasswordResetToken, new_password: str) -> User:
    """Use a reset token: set the password and spend the token."""
    row.used_at = utcnow()
    change_password(row.user, new_password)
    if not row.user.is_active_account:
        raise AccountError("inactive")
    return row.user


def delete_account(user: User) -> None:
    """Delete a person's account and what belongs only to it. Household membership
    records stay, without the link to the account."""
    if user.has_role(Role.ADMIN):
        admins = db.session.scalar(
            select(db.func.count(RoleAssignment.id)).where(RoleAssignment.role == Role.ADMIN)
        )
        if admins <= 1:
            raise AccountError("last_admin")
    user_id = user.id
    db.session.delete(user)
    db.session.flush()
    logger.info("account %s deleted by its owner", user_id)
