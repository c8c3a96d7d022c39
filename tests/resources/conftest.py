"""Factories for the resource tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest


@pytest.fixture
def teacher(make_user):
    return make_user(full_name="Trần Văn Minh", roles=("teacher",))


@pytest.fixture
def reviewer(make_user):
    return make_user(
        full_name="Lê Thị Hoa", roles=("reviewer",), scopes={"reviewer": ("province", "01")}
    )


@pytest.fixture
def make_resource(db, teacher) -> Callable[..., Any]:
    """A resource by ``teacher``:
    ``make_resource(published=True, texts={"en": ("Title", "Summary", "Body")})``."""
    from courses.resources import operations

    def factory(
        *,
        owner: Any = None,
        texts: dict[str, tuple[str, str, str]] | None = None,
        published: bool = False,
        licence: str = "cc-by",
        subjects: tuple[str, ...] = ("health",),
        by: Any = None,
    ) -> Any:
        texts = texts or {
            "vi": ("Rửa tay đúng cách", "Sáu bước rửa tay.", "# Bước 1\n\nLàm ướt tay.")
        }
        (language, (title, summary, body)), *others = texts.items()
        owner = owner or teacher
        resource = operations.create_resource(
            owner,
            language=language,
            title=title,
            summary=summary,
            body=body,
            licence=licence,
            audience="citizen",
            level="beginner",
            subjects=subjects,
            author="Trạm Y tế xã",
            source="",
        )
        for code, (t, s, b) in others:
            operations.save_translation(resource, owner, language=code, title=t, summary=s, body=b)
        if published:
            operations.submit(resource, owner)
            operations.publish(resource, by or owner)
        return resource

    return factory
