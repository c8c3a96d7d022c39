"""The credential download and the link to it on the verify page."""

from __future__ import annotations

import json
import re

from courses.certificates import operations
from courses.credentials import proofs


def _download(client, certificate):
    response = client.get(f"/verify/{certificate.display_code}/credential.json")
    assert response.status_code == 200
    return response, json.loads(response.data)


def test_every_kind_downloads_as_a_signed_open_badge(client, db, certificates):
    made = certificates()
    base = client.application.config["PORTAL_BASE_URL"]
    types = {"course": "Course", "programme": "LearningProgram", "title": "Award"}
    for kind, certificate in made.items():
        response, credential = _download(client, certificate)
        assert response.mimetype == "application/ld+json"
        assert response.headers["Content-Disposition"] == (
            f'attachment; filename="credential-{certificate.display_code}.json"'
        )
        assert response.headers["X-Robots-Tag"] == "noindex"
        proofs.verify(credential)
        assert credential["@context"] == [proofs.VC_V2, proofs.OB_V3]
        assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
        assert credential["id"] == f"{base}/verify/{certificate.display_code}"
        assert credential["issuer"]["id"].startswith("did:key:z6Mk")
        assert credential["issuer"]["name"] == certificate.issuer
        subject = credential["credentialSubject"]
        assert subject["name"] == certificate.learner_name
        assert subject["identifier"][0]["identityHash"] == certificate.learner_name
        achievement = subject["achievement"]
        assert achievement["achievementType"] == types[kind]
        assert achievement["name"] == certificate.achievement
        assert achievement["criteria"]["narrative"]
        status = credential["credentialStatus"]
        assert status["statusListIndex"] == str(certificate.id)
        assert status["statusListCredential"] == f"{base}/credentials/status/0"
    course = made["course"]
    _, credential = _download(client, course)
    achievement = credential["credentialSubject"]["achievement"]
    assert achievement["id"] == f"{base}/courses/{course.course_id}"
    assert "12,5" in achievement["criteria"]["narrative"]  # the hours, in Vietnamese
    assert credential["validFrom"] == proofs.xsd_datetime(course.issued_at)


def test_the_credential_says_no_more_than_the_verify_page(client, db, certificates):
    certificate = certificates()["course"]
    _, credential = _download(client, certificate)
    text = json.dumps(credential, ensure_ascii=False)
    user = certificate.user
    assert user.email and user.email not in text
    assert user.phone not in text
    # No learner id either: the subject is named only by the name as printed.
    assert set(credential["credentialSubject"]) == {"type", "name", "identifier", "achievement"}


def test_the_same_certificate_gives_the_same_credential(client, db, certificates):
    certificate = certificates()["title"]
    first, _ = _download(client, certificate)
    again, _ = _download(client, certificate)
    assert first.data == again.data


def test_a_revoked_certificate_still_downloads(client, db, certificates):
    certificate = certificates()["programme"]
    _, before = _download(client, certificate)
    operations.revoke(certificate, by=None, reason="Issued by mistake")
    db.session.commit()
    _, after = _download(client, certificate)
    assert after == before  # the status list, not the credential, says it is revoked


def test_an_unknown_code_is_a_not_found_page(client, db):
    for code in ("0000-0000-0000-0000", "hello", "%00", "A" * 300):
        response = client.get(f"/verify/{code}/credential.json")
        assert response.status_code == 404, code


def test_the_verify_page_links_to_the_credential(client, db, certificates):
    certificate = certificates()["course"]
    page = client.get(f"/verify/{certificate.display_code}?lang=en").get_data(as_text=True)
    link = f"/verify/{certificate.display_code}/credential.json"
    assert re.search(
        rf'<a href="{re.escape(link)}" download>Download the digital credential '
        r"\(Open Badges 3.0\)</a>",
        page,
    )
    operations.revoke(certificate, by=None, reason="Issued by mistake")
    db.session.commit()
    assert link in client.get(f"/verify/{certificate.display_code}").get_data(as_text=True)
