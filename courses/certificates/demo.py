"""Demo certificates for ``flask demo load``: one valid, one revoked, for a demo learner."""

from __future__ import annotations

from courses.certificates import operations, queries
from courses.certificates.models import Certificate
from portal.accounts.models import User

DEMO_ISSUER = "Trung tâm Giáo dục thường xuyên (demo)"


def load_demo_certificates(learner: User, admin: User | None) -> list[Certificate]:
    """Give ``learner`` a valid course certificate and a revoked programme certificate,
    once: a learner who has certificates already is left as they are."""
    existing = queries.certificates_of(learner)
    if existing:
        return existing
    valid = operations.issue_certificate(
        learner,
        kind="course",
        achievement="Kỹ năng số cơ bản",
        hours="12.5",
        issuer=DEMO_ISSUER,
    )
    revoked = operations.issue_certificate(
        learner,
        kind="programme",
        achievement="Tin học văn phòng",
        hours="40",
        issuer=DEMO_ISSUER,
    )
    operations.revoke(revoked, by=admin, reason="Cấp nhầm khóa học (dữ liệu mẫu)")
    return [valid, revoked]
