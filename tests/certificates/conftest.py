"""Factories of the certificate tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest


@pytest.fixture
def issue(make_user: Callable[..., Any]) -> Callable[..., Any]:
    """Issue a certificate: ``issue(user=None, **fields)``; a new learner when no user."""
    from courses.certificates.operations import issue_certificate

    def factory(user: Any = None, **fields: Any) -> Any:
        fields.setdefault("kind", "course")
        fields.setdefault("achievement", "Kỹ năng số cơ bản")
        fields.setdefault("hours", "12.5")
        fields.setdefault("issuer", "Cổng học tập suốt đời")
        return issue_certificate(user or make_user(), **fields)

    return factory
