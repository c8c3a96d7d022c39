"""Verbs that change certificates: issue and revoke. They flush and log; the request (or
the CLI command) commits."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from courses.certificates.codes import generate_code
from courses.certificates.models import Certificate, CertificateKind
from courses.certificates.queries import without_controls
from portal.accounts.models import User
from portal.extensions import db
from portal.operation_errors import OperationError
from portal.text import nfc

logger = logging.getLogger(__name__)

MAX_HOURS = Decimal("9999.99")

MESSAGES = {
    "bad_kind": _l("Unknown kind of certificate."),
    "no_achievement": _l("Say what was achieved."),
    "no_issuer": _l("Say who issues the certificate."),
    "bad_hours": _l("Hours must be a number from 0 to 9999.99."),
    "no_reason": _l("Give the reason for revoking this certificate."),
    "already_revoked": _l("This certificate is already revoked."),
}


class CertificateError(OperationError):
    """A certificate cannot be issued or revoked as asked; ``code`` keys :data:`MESSAGES`."""

    @property
    def message(self) -> str:
        return str(MESSAGES[self.code])


def _text(value: str | None, limit: int, error: str) -> str:
    text = " ".join((value or "").split())  # tabs and line breaks become single spaces
    text = nfc(without_controls(text)).strip()
    if not text:
        raise CertificateError(error)
    return text[:limit]


def _hours(value: Decimal | int | str) -> Decimal:
    try:
        hours = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        raise CertificateError("bad_hours") from None
    if not hours.is_finite() or hours < 0 or hours > MAX_HOURS:
        raise CertificateError("bad_hours")
    return hours


def _unused_code() -> str:
    while True:  # 80 random bits: a clash is practically impossible, but cheap to rule out
        code = generate_code()
        if db.session.scalar(select(Certificate.id).where(Certificate.code == code)) is None:
            return code


def issue_certificate(
    user: User,
    *,
    kind: CertificateKind | str,
    achievement: str,
    hours: Decimal | int | str,
    issuer: str,
    course_id: int | None = None,
    language: str | None = None,
) -> Certificate:
    """Issue ``user`` a certificate for an achievement, or return the one they already hold
    (not revoked) for the same kind and course: issuing twice gives one certificate.
    ``language`` (of the printed texts) defaults to the user's interface language."""
    if kind not in set(CertificateKind):
        raise CertificateError("bad_kind")
    kind = CertificateKind(kind)
    existing = db.session.scalar(
        select(Certificate)
        .where(
            Certificate.user_id == user.id,
            Certificate.kind == kind.value,
            Certificate.course_id.is_(None)
            if course_id is None
            else Certificate.course_id == course_id,
            Certificate.revoked_at.is_(None),
        )
        .order_by(Certificate.id)
        .limit(1)
    )
    if existing is not None:
        return existing
    certificate = Certificate(
        code=_unused_code(),
        kind=kind.value,
        course_id=course_id,
        achievement=_text(achievement, 300, "no_achievement"),
        hours=_hours(hours),
        user_id=user.id,
        learner_name=nfc(user.full_name)[:200],
        issuer=_text(issuer, 200, "no_issuer"),
        language=language or user.language or "vi",
    )
    db.session.add(certificate)
    db.session.flush()
    logger.info(
        "certificate %s issued to user %s: %s %s", certificate.id, user.id, kind.value, course_id
    )
    return certificate


def issue_programme(
    user: User,
    *,
    achievement: str,
    hours: Decimal | int | str,
    issuer: str,
    language: str | None = None,
) -> Certificate:
    """Issue ``user`` a certificate of a programme completed at a centre (one class). One per
    completion — a learner may complete several classes of one programme — so the caller
    keeps the certificate it gets, and issuing again is the caller's to avoid."""
    certificate = Certificate(
        code=_unused_code(),
        kind=CertificateKind.PROGRAMME.value,
        achievement=_text(achievement, 300, "no_achievement"),
        hours=_hours(hours),
        user_id=user.id,
        learner_name=nfc(user.full_name)[:200],
        issuer=_text(issuer, 200, "no_issuer"),
        language=language or user.language or "vi",
    )
    db.session.add(certificate)
    db.session.flush()
    logger.info("programme certificate %s issued to user %s", certificate.id, user.id)
    return certificate


def issue_title(
    *,
    holder_name: str,
    achievement: str,
    issuer: str,
    language: str,
    user: User | None = None,
) -> Certificate:
    """Issue a certificate of a learning-society title (Learning Citizen, Family, Clan,
    Community or Unit) to ``holder_name`` — a person, a household, a clan, a village or an
    organisation; ``user`` when the holder is a person with an account. One per decision: the
    caller keeps the certificate it gets."""
    certificate = Certificate(
        code=_unused_code(),
        kind=CertificateKind.TITLE.value,
        achievement=_text(achievement, 300, "no_achievement"),
        hours=Decimal(0),
        user_id=user.id if user is not None else None,
        learner_name=_text(holder_name, 200, "no_achievement"),
        issuer=_text(issuer, 200, "no_issuer"),
        language=language,
    )
    db.session.add(certificate)
    db.session.flush()
    logger.info("title certificate %s issued: %s", certificate.id, certificate.achievement)
    return certificate


def revoke(certificate: Certificate, *, by: User | None, reason: str) -> Certificate:
    """Revoke ``certificate`` for ``reason``; its verify page says so from now on."""
    if certificate.is_revoked:
        raise CertificateError("already_revoked")
    certificate.revoked_reason = _text(reason, 500, "no_reason")
    certificate.revoked_at = datetime.now(UTC)
    certificate.revoked_by_id = by.id if by is not None else None
    db.session.flush()
    logger.info(
        "certificate %s revoked by user %s", certificate.id, by.id if by is not None else None
    )
    return certificate
