"""Reads of certificates."""

from __future__ import annotations

import unicodedata

from sqlalchemy import Select, or_, select

from courses.certificates.codes import normalise_code
from courses.certificates.models import Certificate
from portal.accounts.models import User
from portal.extensions import db
from portal.text import nfc


def without_controls(text: str) -> str:
    """``text`` without control characters (NUL and the like, which PostgreSQL refuses);
    joiners and zero-width spaces, which Khmer needs, stay."""
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cc")


def certificate_by_code(raw: str | None) -> Certificate | None:
    """The certificate with the code someone typed (forgivingly read), or None."""
    code = normalise_code(raw)
    if code is None:
        return None
    return db.session.scalar(select(Certificate).where(Certificate.code == code))


def certificates_of(user: User) -> list[Certificate]:
    """The user's certificates, newest first, revoked ones included."""
    return list(
        db.session.scalars(
            select(Certificate)
            .where(Certificate.user_id == user.id)
            .order_by(Certificate.issued_at.desc(), Certificate.id.desc())
        )
    )


def search_certificates(text: str = "", status: str | None = None) -> Select[tuple[Certificate]]:
    """Certificates whose code is ``text`` or whose learner name contains it, newest first;
    ``status`` is "valid", "revoked" or None for both."""
    query = select(Certificate).order_by(Certificate.issued_at.desc(), Certificate.id.desc())
    text = nfc(without_controls(text).strip())[:200]
    if text:
        code = normalise_code(text)
        escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        name_match = Certificate.learner_name.ilike(f"%{escaped}%", escape="\\")
        query = query.where(or_(Certificate.code == code, name_match) if code else name_match)
    if status == "valid":
        query = query.where(Certificate.revoked_at.is_(None))
    elif status == "revoked":
        query = query.where(Certificate.revoked_at.is_not(None))
    return query
