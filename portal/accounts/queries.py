"""Reads about accounts."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, or_, select

from portal.accounts.identifiers import IdentifierError, parse_identifier
from portal.accounts.models import RoleAssignment, User
from portal.extensions import db
from portal.text import nfc


def user_by_identifier(raw: str) -> User | None:
    """The account for a typed phone number or e-mail address, if any."""
    try:
        kind, value = parse_identifier(raw)
    except IdentifierError:
        return None
    column = User.email if kind == "email" else User.phone
    return db.session.scalar(select(User).where(column == value))


def user_by_session_id(session_id: str) -> User | None:
    """The user for a Flask-Login id of the form ``"<id>:<session token>"``."""
    user_id, _, token = session_id.partition(":")
    if not user_id.isdigit() or not token:
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.session_token != token:
        return None
    return user


def search_users(text: str = "", role: str | None = None) -> Select[tuple[User]]:
    """Users whose name, phone or e-mail contains ``text``, newest first."""
    query = select(User).order_by(User.id.desc())
    text = nfc(text.strip())
    if text:
        pattern = f"%{text}%"
        digits = "".join(ch for ch in text if ch.isdigit())
        conditions = [User.full_name.ilike(pattern), User.email.ilike(pattern)]
        if len(digits) >= 3:
            conditions.append(User.phone.like(f"%{digits.lstrip('0')}%"))
        query = query.where(or_(*conditions))
    if role:
        query = query.where(User.roles.any(RoleAssignment.role == role))
    return query


def personal_data(user: User) -> dict[str, Any]:
    """Everything the portal holds about a person, for the JSON download."""
    from portal.accounts.reference import ETHNICITIES

    return {
        "account": {
            "id": user.id,
            "full_name": user.full_name,
            "phone": user.phone,
            "email": user.email,
            "language": user.language,
            "created_at": user.created_at.isoformat(),
            "last_sign_in_at": user.last_sign_in_at.isoformat() if user.last_sign_in_at else None,
        },
        "profile": {
            "birth_year": user.birth_year,
            "gender": user.gender,
            "ethnicity": {
                "code": user.ethnicity_code,
                "name": ETHNICITIES.get(user.ethnicity_code or ""),
            },
            "disability": user.disability,
            "occupation_group": user.occupation_group,
            "home_commune": (
                {"code": user.home_commune.code, "name": user.home_commune.name}
                if user.home_commune
                else None
            ),
        },
        "roles": [
            {
                "role": a.role,
                "scope_kind": a.scope_kind,
                "scope_code": a.scope_code,
                "granted_at": a.granted_at.isoformat(),
            }
            for a in user.roles
        ],
        "households": _household_memberships(user),
    }


def _household_memberships(user: User) -> list[dict[str, Any]]:
    from portal.places import queries as places_queries

    return places_queries.household_memberships_of_user(user.id)
