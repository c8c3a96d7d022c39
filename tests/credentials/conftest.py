"""Factories of the credential tests: one certificate of each kind, and the W3C test key."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

# The key pair of the W3C vc-di-eddsa test vectors (TestVectors/keyPair.json).
W3C_SECRET_KEY = "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq"
W3C_PUBLIC_KEY = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"


@pytest.fixture
def certificates(make_user: Callable[..., Any], make_course: Callable[..., Any]) -> Any:
    """``certificates()`` issues one certificate of each kind and returns them by kind:
    a course (of a real course), a programme and a title."""
    from courses.certificates import operations

    def factory() -> dict[str, Any]:
        learner = make_user(
            full_name="Nguyễn Thị Ánh Tuyết", email="tuyet@example.vn", phone="0912345678"
        )
        course = make_course(title="Kỹ năng số cơ bản")
        return {
            "course": operations.issue_certificate(
                learner,
                kind="course",
                course_id=course.id,
                achievement="Kỹ năng số cơ bản",
                hours="12.5",
                issuer="Cổng học tập suốt đời",
                language="vi",
            ),
            "programme": operations.issue_programme(
                learner,
                achievement="Nuôi trồng thủy sản — Lớp K12",
                hours=40,
                issuer="Trung tâm GDTX tỉnh Lâm Đồng",
                language="vi",
            ),
            "title": operations.issue_title(
                holder_name="Gia đình ông Nguyễn Văn Ba",
                achievement="Gia đình học tập — 2026",
                issuer="Ủy ban nhân dân xã Tân Hội",
                language="vi",
            ),
        }

    return factory
