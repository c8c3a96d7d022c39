"""Reading and giving the stable keys (:class:`ContentKey`) of resources and courses."""

from __future__ import annotations

import re

from sqlalchemy import select

from courses.content.models import ContentKey
from portal.extensions import db
from portal.text import fold

MAX_SLUG = 80


def slugify(text: str) -> str:
    """``"Kỹ năng số cơ bản"`` → ``"ky-nang-so-co-ban"``; other scripts give ``""``."""
    slug = re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")
    return slug[:MAX_SLUG].rstrip("-")


def find(kind: str, key: str) -> int | None:
    """The id of the row ``key`` names, if any."""
    return db.session.scalar(
        select(ContentKey.object_id).where(ContentKey.kind == kind, ContentKey.key == key)
    )


def key_of(kind: str, object_id: int) -> str | None:
    return db.session.scalar(
        select(ContentKey.key).where(ContentKey.kind == kind, ContentKey.object_id == object_id)
    )


def known_keys(kind: str) -> set[str]:
    return set(db.session.scalars(select(ContentKey.key).where(ContentKey.kind == kind)))


def assign(kind: str, key: str, object_id: int) -> None:
    """Make ``key`` name the row ``object_id`` (a stale key of a deleted row is moved)."""
    for row in db.session.scalars(
        select(ContentKey).where(
            ContentKey.kind == kind, (ContentKey.key == key) | (ContentKey.object_id == object_id)
        )
    ):
        db.session.delete(row)
    db.session.flush()
    db.session.add(ContentKey(kind=kind, key=key, object_id=object_id))
    db.session.flush()


def ensure_key(kind: str, object_id: int, title: str) -> str:
    """The row's key; one made of its title and id (and stored) when it has none."""
    key = key_of(kind, object_id)
    if key is not None:
        return key
    base = slugify(title) or kind
    key = f"{base}-{object_id}"
    n = 2
    while find(kind, key) is not None:
        key = f"{base}-{object_id}-{n}"
        n += 1
    db.session.add(ContentKey(kind=kind, key=key, object_id=object_id))
    db.session.flush()
    return key
