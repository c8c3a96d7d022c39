"""Factories for the course authoring tests."""

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
def new_course(db, teacher) -> Callable[..., Any]:
    """A draft made through the operations: ``new_course(owner=None, title=..., **settings)``."""
    from courses.courseware import operations

    def factory(owner: Any = None, *, title: str = "Nuôi ong lấy mật", **settings: Any) -> Any:
        return operations.create_course(
            owner or teacher,
            language="vi",
            title=title,
            summary="Cách nuôi ong ở vùng núi.",
            description="# Giới thiệu\n\nOng cần hoa.",
            **settings,
        )

    return factory


@pytest.fixture(autouse=True)
def _cheap_password_hashing(monkeypatch):
    """Argon2 at its recommended cost makes every account and sign-in take a noticeable
    time; these tests are about courses, so they hash with the smallest parameters."""
    from argon2 import PasswordHasher

    from portal.accounts import passwords

    cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    monkeypatch.setattr(passwords, "_hasher", cheap)
