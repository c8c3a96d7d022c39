"""Issuing and revoking certificates, directly through the operations."""

from __future__ import annotations

from decimal import Decimal

import pytest
import sqlalchemy as sa

from courses.certificates import operations, queries
from courses.certificates.models import Certificate


def test_issuing_snapshots_the_learner_and_the_achievement(db, make_user, issue):
    learner = make_user(full_name="Nguyễn Thị Ánh Tuyết", language="km")
    certificate = issue(learner, achievement="  Tin học   văn phòng ", hours=Decimal("40"))
    assert certificate.learner_name == "Nguyễn Thị Ánh Tuyết"
    assert certificate.achievement == "Tin học văn phòng"
    assert certificate.hours == Decimal("40.00")
    assert certificate.language == "km"  # the learner's language by default
    assert certificate.kind == "course" and certificate.course_id is None
    assert certificate.issued_at.tzinfo is not None
    assert not certificate.is_revoked
    assert repr(certificate).startswith(f"<Certificate {certificate.id} ")


def test_hours_keep_two_decimals_through_the_database(db, issue):
    certificate = issue(hours="12.345")
    db.session.expire(certificate)
    assert certificate.hours == Decimal("12.35")  # rounded half up to hundredths


def test_issuing_twice_gives_one_certificate(db, make_user, make_course, issue):
    learner = make_user()
    course, other = make_course(quiz=False), make_course(quiz=False)
    first = issue(learner, course_id=course.id)
    assert issue(learner, course_id=course.id) is first
    assert issue(learner, course_id=other.id) is not first
    assert issue(learner, kind="programme") is not first
    assert issue(learner) is issue(learner)  # no course: one per kind
    assert len(queries.certificates_of(learner)) == 4


def test_a_revoked_certificate_can_be_issued_again_with_a_new_code(
    db, make_user, make_course, issue
):
    learner, admin = make_user(), make_user(roles=("admin",))
    course_id = make_course(quiz=False).id
    first = issue(learner, course_id=course_id)
    operations.revoke(first, by=admin, reason="Hồ sơ nhầm người")
    second = issue(learner, course_id=course_id)
    assert second.id != first.id and second.code != first.code


def test_revoking_records_who_when_and_why(db, make_user, issue):
    admin = make_user(roles=("admin",))
    certificate = issue()
    operations.revoke(certificate, by=admin, reason="  Gian lận trong bài kiểm tra ")
    assert certificate.is_revoked
    assert certificate.revoked_reason == "Gian lận trong bài kiểm tra"
    assert certificate.revoked_by_id == admin.id
    with pytest.raises(operations.CertificateError) as error:
        operations.revoke(certificate, by=admin, reason="again")
    assert error.value.code == "already_revoked"


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_revoking_needs_a_reason(db, issue, reason):
    with pytest.raises(operations.CertificateError) as error:
        operations.revoke(issue(), by=None, reason=reason)
    assert error.value.code == "no_reason"


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"kind": "diploma"}, "bad_kind"),
        ({"achievement": " "}, "no_achievement"),
        ({"issuer": ""}, "no_issuer"),
        ({"hours": "-1"}, "bad_hours"),
        ({"hours": "many"}, "bad_hours"),
        ({"hours": "NaN"}, "bad_hours"),
        ({"hours": "100000"}, "bad_hours"),
    ],
)
def test_bad_input_is_refused_with_a_reason(db, issue, fields, code):
    with pytest.raises(operations.CertificateError) as error:
        issue(**fields)
    assert error.value.code == code
    assert error.value.message


def test_codes_are_unique_in_the_database(db, issue):
    first = issue()
    clash = Certificate(
        code=first.code,
        kind="course",
        achievement="x",
        hours=Decimal(1),
        learner_name="x",
        issuer="x",
        language="vi",
    )
    db.session.add(clash)
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_the_certificate_outlives_the_account(db, make_user, issue):
    from portal.accounts import operations as accounts

    learner = make_user(full_name="Sơn Thị Sa Rươne")
    certificate = issue(learner)
    code = certificate.code
    accounts.delete_account(learner)
    db.session.expire_all()
    found = queries.certificate_by_code(code)
    assert found is not None and found.user_id is None
    assert found.learner_name == "Sơn Thị Sa Rươne"


def test_lookup_is_forgiving_and_search_finds_by_code_or_name(db, make_user, issue):
    certificate = issue(make_user(full_name="Lò Văn Pọm"))
    other = issue(make_user(full_name="H'Hen Niê"))
    typed = certificate.display_code.lower().replace("-", " ").replace("0", "o")
    assert queries.certificate_by_code(typed) is certificate
    assert queries.certificate_by_code("x" * 10_000) is None

    def found(text, status=None):
        return list(db.session.scalars(queries.search_certificates(text, status)))

    assert found(typed) == [certificate]
    assert found("Văn Pọm") == [certificate]
    assert found("100%_") == []
    assert set(found("")) >= {certificate, other}
    operations.revoke(other, by=None, reason="Nhầm")
    assert other in found("", "revoked") and other not in found("", "valid")
