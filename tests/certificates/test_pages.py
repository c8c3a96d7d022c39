"""The public verify pages, the QR code, the PDF, the learner's list and the administration,
through the test client."""

from __future__ import annotations

import io
import re
from xml.etree import ElementTree

import pytest
import segno

from courses.certificates import operations


def fresh(row):
    """``row`` as the database holds it now, after requests changed it in their own session."""
    from portal.extensions import db

    db.session.refresh(row)
    return row


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def test_the_verify_form_works_without_javascript(client):
    response = client.get("/verify?lang=en")
    assert response.status_code == 200
    page = text_of(response)
    assert 'method="get"' in page and 'name="code"' in page and "<script" not in page
    assert '<label for="code"' in page


def test_the_form_sends_a_typed_code_to_its_verify_page(client, issue):
    certificate = issue()
    typed = certificate.display_code.lower().replace("-", " ")
    response = client.get("/verify", query_string={"code": typed})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/verify/{certificate.display_code}")


def test_the_form_explains_a_code_that_cannot_be_one(client):
    response = client.get("/verify", query_string={"code": "hello", "lang": "en"})
    assert response.status_code == 422
    assert "not a certificate code" in text_of(response)
    assert 'aria-invalid="true"' in text_of(response)


def test_a_valid_certificate_shows_what_it_attests(client, make_user, issue):
    certificate = issue(
        make_user(full_name="Nguyễn Thị Ánh Tuyết"),
        achievement="Kỹ năng số cơ bản",
        hours="12.5",
        issuer="Trung tâm GDTX tỉnh Lâm Đồng",
    )
    response = client.get(f"/verify/{certificate.display_code}?lang=en")
    assert response.status_code == 200
    assert response.headers["X-Robots-Tag"] == "noindex"
    page = text_of(response)
    for text in (
        "This certificate is valid.",
        "Nguyễn Thị Ánh Tuyết",
        "Kỹ năng số cơ bản",
        "12.5",
        "Trung tâm GDTX tỉnh Lâm Đồng",
        certificate.display_code,
        f"/certificates/{certificate.display_code}.pdf",
        f"/verify/{certificate.display_code}/qr.svg",
    ):
        assert text in page, text


def test_a_valid_certificate_is_valid_in_vietnamese_too(client, issue):
    certificate = issue()
    page = text_of(client.get(f"/verify/{certificate.display_code}?lang=vi"))
    assert 'lang="vi"' in page and certificate.learner_name in page


def test_a_loosely_typed_address_redirects_to_the_printed_one(client, issue):
    certificate = issue()
    response = client.get(f"/verify/{certificate.code.lower()}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/verify/{certificate.display_code}")


def test_a_revoked_certificate_says_when_and_why(client, make_user, issue):
    certificate = issue()
    operations.revoke(certificate, by=make_user(roles=("admin",)), reason="Cấp nhầm người học")
    response = client.get(f"/verify/{certificate.display_code}?lang=en")
    assert response.status_code == 200
    page = text_of(response)
    assert "This certificate has been revoked." in page
    assert "Cấp nhầm người học" in page
    assert "This certificate is valid." not in page
    assert ".pdf" not in page  # no printable copy of a revoked certificate
    pdf = client.get(f"/certificates/{certificate.display_code}.pdf")
    assert pdf.status_code == 302
    assert pdf.headers["Location"].endswith(f"/verify/{certificate.display_code}")


@pytest.mark.parametrize(
    "junk",
    [
        "0000-0000-0000-0000",  # well formed, unknown
        "hello",
        "A" * 10_000,
        "%00%01%1b[31m",
        "%E1%9E%9F%E1%9E%BB%E1%9E%81",  # Khmer
        "%F0%9F%98%80" * 50,  # emoji
        "%FF%FE",  # not UTF-8
        "..%2F..%2Fetc",
        "<script>alert(1)<%2Fscript>",
        "' OR 1=1 --",
    ],
)
def test_an_unknown_or_junk_code_gets_a_helpful_404(client, junk):
    response = client.get(f"/verify/{junk}?lang=en")
    assert response.status_code == 404
    page = text_of(response)
    assert "Certificate not found" in page
    assert 'name="code"' in page  # a form to type the code again
    assert "<script>alert" not in page
    assert client.get(f"/verify/{junk}/qr.svg").status_code == 404
    assert client.get(f"/certificates/{junk}.pdf").status_code == 404


def test_a_well_formed_unknown_code_is_named_on_its_page(client):
    page = text_of(client.get("/verify/oooo-oooo-oooo-oooo?lang=en"))
    assert "0000-0000-0000-0000" in page


def test_the_qr_code_is_a_small_svg_of_the_absolute_verify_address(app, client, issue):
    certificate = issue()
    response = client.get(f"/verify/{certificate.display_code}/qr.svg")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    body = response.get_data()
    assert len(body) < 10_000
    root = ElementTree.fromstring(body)  # noqa: S314 (our own response: well-formed XML)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    url = app.config["PORTAL_BASE_URL"].rstrip("/") + f"/verify/{certificate.display_code}"
    expected = io.BytesIO()
    segno.make(url, error="m").save(
        expected, kind="svg", scale=4, border=2, xmldecl=False, svgclass=None, lineclass=None
    )
    assert body == expected.getvalue()  # the same matrix: the QR encodes the verify address
    assert client.get(f"/verify/{certificate.display_code}/qr.svg").get_data() == body


def test_the_pdf_embeds_its_fonts_and_names_the_learner(client, make_user, issue):
    from pypdf import PdfReader

    learner = make_user(full_name="Nguyễn Thị Ánh Tuyết")
    certificate = issue(learner, achievement="Kỹ năng số cơ bản", language="vi")
    response = client.get(f"/certificates/{certificate.display_code}.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    data = response.get_data()
    assert data.startswith(b"%PDF-") and len(data) < 200_000
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    for expected in ("Nguyễn Thị", "Tuyết", "Kỹ năng số cơ bản", certificate.display_code):
        assert expected in text, (expected, text)
    fonts = [f.get_object() for f in reader.pages[0]["/Resources"]["/Font"].values()]
    names = {f["/BaseFont"].split("+")[-1] for f in fonts}
    assert "NotoSans" in names
    for font in fonts:
        descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor  # embedded, not left to the reader


def test_a_khmer_certificate_embeds_the_khmer_font(client, make_user, issue):
    from pypdf import PdfReader

    learner = make_user(full_name="សុខ សុភា")
    certificate = issue(learner, achievement="ការអានសម្រាប់មនុស្សពេញវ័យ", language="km")
    data = client.get(f"/certificates/{certificate.display_code}.pdf").get_data()
    reader = PdfReader(io.BytesIO(data))
    fonts = {
        f.get_object()["/BaseFont"].split("+")[-1]
        for f in reader.pages[0]["/Resources"]["/Font"].values()
    }
    assert "NotoSansKhmer" in fonts
    assert "សុខ" in reader.pages[0].extract_text()


def test_learners_see_their_own_certificates(client, make_user, sign_in, issue):
    learner = make_user()
    mine = issue(learner, achievement="Trồng cà phê bền vững")
    revoked = issue(learner, kind="programme", achievement="Xóa mù chữ")
    operations.revoke(revoked, by=None, reason="Nhầm")
    someone_elses = issue(achievement="Nuôi ong lấy mật")
    sign_in(learner)
    response = client.get("/certificates?lang=en")
    assert response.status_code == 200
    page = text_of(response)
    assert "Trồng cà phê bền vững" in page and "Xóa mù chữ" in page
    assert someone_elses.achievement not in page
    assert f"/verify/{mine.display_code}" in page
    assert f"/certificates/{mine.display_code}.pdf" in page
    assert f"/certificates/{revoked.display_code}.pdf" not in page


def test_a_learner_without_certificates_is_told_how_to_earn_one(client, make_user, sign_in):
    sign_in(make_user())
    assert "no certificates yet" in text_of(client.get("/certificates?lang=en"))


def test_administrators_find_and_revoke_a_certificate(client, make_user, sign_in, issue):
    admin = make_user(roles=("admin",))
    certificate = issue(make_user(full_name="Lò Văn Pọm"))
    sign_in(admin)
    listing = text_of(client.get("/admin/certificates/?lang=en&q=Văn Pọm"))
    assert certificate.display_code in listing
    by_code = text_of(client.get("/admin/certificates/", query_string={"q": certificate.code}))
    assert f"/admin/certificates/{certificate.id}" in by_code
    detail = client.get(f"/admin/certificates/{certificate.id}?lang=en")
    assert "Revoke this certificate" in text_of(detail)

    refused = client.post(f"/admin/certificates/{certificate.id}/revoke", data={"reason": " "})
    assert refused.status_code == 422
    assert not fresh(certificate).is_revoked

    response = client.post(
        f"/admin/certificates/{certificate.id}/revoke", data={"reason": "Cấp nhầm"}
    )
    assert response.status_code == 302
    found = fresh(certificate)
    assert found.is_revoked and found.revoked_reason == "Cấp nhầm"
    assert found.revoked_by_id == admin.id
    again = client.post(
        f"/admin/certificates/{certificate.id}/revoke?lang=en",
        data={"reason": "Lần nữa"},
        follow_redirects=True,
    )
    assert "already revoked" in text_of(again)
    assert found.revoked_reason == "Cấp nhầm"
    assert client.get("/admin/certificates/999999").status_code == 404


def test_revoking_needs_the_csrf_token(app, client, make_user, sign_in, issue):
    certificate = issue()
    sign_in(make_user(roles=("admin",)))
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post(
            f"/admin/certificates/{certificate.id}/revoke", data={"reason": "Cấp nhầm"}
        )
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 400
    assert not fresh(certificate).is_revoked


def test_only_administrators_open_the_administration(client, make_user, sign_in):
    assert client.get("/admin/certificates/").status_code == 302
    sign_in(make_user(roles=("teacher",)))
    assert client.get("/admin/certificates/").status_code == 403


def test_control_characters_never_reach_the_database(client, make_user, sign_in, issue):
    certificate = issue()
    sign_in(make_user(roles=("admin",)))
    assert client.get("/admin/certificates/?q=L%C3%B2%00V%C4%83n").status_code == 200
    response = client.post(
        f"/admin/certificates/{certificate.id}/revoke", data={"reason": "Cấp\x00 nhầm\x1b"}
    )
    assert response.status_code == 302
    assert fresh(certificate).revoked_reason == "Cấp nhầm"
