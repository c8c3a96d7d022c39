"""A certificate as an Open Badges 3.0 ``OpenBadgeCredential`` (a W3C Verifiable Credential
2.0), signed with an ``eddsa-rdfc-2022`` proof.

What it says is what the verify page shows, no more: the learner's name as printed, the
achievement as printed, the issuer as printed, the hours and the issue date — no account id,
e-mail or phone. Everything comes from the certificate row, and ``validFrom``, ``awardedDate``
and the proof's ``created`` are its ``issued_at``, so the same certificate always gives the same
signed credential (Ed25519 signatures are deterministic). Revocation does not change the
credential: the Bitstring Status List it points to says so (see :mod:`.status`).
"""

from __future__ import annotations

from typing import Any

from flask import current_app, url_for
from flask_babel import format_decimal, gettext

from courses.certificates.models import Certificate, CertificateKind
from courses.credentials import proofs, status
from courses.credentials.keys import current_issuer
from portal.i18n import force_language
from portal.i18n.languages import LANGUAGES

# OB 3.0 AchievementType vocabulary: a course, a learning programme, an award (the title).
ACHIEVEMENT_TYPES = {
    CertificateKind.COURSE.value: "Course",
    CertificateKind.PROGRAMME.value: "LearningProgram",
    CertificateKind.TITLE.value: "Award",
}


def base_url() -> str:
    return str(current_app.config["PORTAL_BASE_URL"]).rstrip("/")


def credential_id(certificate: Certificate) -> str:
    """The credential's id: the certificate's verify page, where anyone can check it."""
    return base_url() + url_for("certificates.verify", code=certificate.display_code)


def _achievement_id(certificate: Certificate) -> str:
    if certificate.kind == CertificateKind.COURSE.value and certificate.course_id is not None:
        return base_url() + url_for("learning.course", course_id=certificate.course_id)
    # Programmes and titles have no page of their own: the achievement is named under the
    # certificate's verify page.
    return credential_id(certificate) + "#achievement"


def _texts(certificate: Certificate) -> tuple[str, str]:
    """The achievement's description and criteria, in the certificate's language."""
    code = certificate.language if certificate.language in LANGUAGES else "vi"
    with force_language(code):
        hours = format_decimal(certificate.hours) if certificate.hours else None
        if certificate.kind == CertificateKind.COURSE.value:
            description = gettext("A course completed on the Lifelong Learning Portal.")
            criteria = (
                gettext(
                    "Completed the course on the portal: %(hours)s hours of learning.", hours=hours
                )
                if hours
                else gettext("Completed the course on the portal.")
            )
        elif certificate.kind == CertificateKind.PROGRAMME.value:
            description = gettext("A programme completed at a continuing-education centre.")
            criteria = (
                gettext(
                    "Completed the programme at %(issuer)s: %(hours)s hours of learning.",
                    issuer=certificate.issuer,
                    hours=hours,
                )
                if hours
                else gettext("Completed the programme at %(issuer)s.", issuer=certificate.issuer)
            )
        else:
            description = gettext("A learning-society title recognised by the authorities.")
            criteria = gettext(
                "Recognised by %(issuer)s against the published criteria of the title.",
                issuer=certificate.issuer,
            )
    return description, criteria


def unsigned_credential(certificate: Certificate) -> dict[str, Any]:
    """The certificate as an unsigned ``OpenBadgeCredential``."""
    issued = proofs.xsd_datetime(certificate.issued_at)
    description, criteria = _texts(certificate)
    return {
        "@context": [proofs.VC_V2, proofs.OB_V3],
        "id": credential_id(certificate),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": certificate.achievement,
        "issuer": {
            "id": current_issuer().did,
            "type": ["Profile"],
            "name": certificate.issuer,
            "url": base_url() + "/",
        },
        "validFrom": issued,
        "awardedDate": issued,
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "name": certificate.learner_name,
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "name",
                    "hashed": False,
                    "identityHash": certificate.learner_name,
                }
            ],
            "achievement": {
                "id": _achievement_id(certificate),
                "type": ["Achievement"],
                "achievementType": ACHIEVEMENT_TYPES[certificate.kind],
                "name": certificate.achievement,
                "description": description,
                "criteria": {"narrative": criteria},
                "inLanguage": certificate.language,
            },
        },
        "credentialStatus": status.status_entry(certificate.id),
    }


def credential(certificate: Certificate) -> dict[str, Any]:
    """The certificate as a signed ``OpenBadgeCredential``. Its ``proof`` is a list of one,
    as 1EdTech's JSON schema for OB 3.0 wants; in JSON-LD a one-proof set is the same graph,
    so the signature is the same either way."""
    signed = proofs.sign(unsigned_credential(certificate), current_issuer(), certificate.issued_at)
    signed["proof"] = [signed["proof"]]
    return signed
