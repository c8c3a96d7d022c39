"""Public pages (verify a code, its QR code, the PDF) and the learner's own certificates."""

from __future__ import annotations

from flask import Response, abort, current_app, redirect, render_template, request, url_for
from flask_login import current_user

from courses.certificates import queries
from courses.certificates.codes import format_code, normalise_code
from courses.certificates.forms import VerifyForm
from courses.certificates.models import Certificate
from courses.certificates.pdf import render_pdf
from courses.certificates.qr import qr_svg
from portal.accounts.access import login_required


def verify_url(certificate: Certificate) -> str:
    """The absolute address of the certificate's verify page, as printed and in the QR."""
    path = url_for("certificates.verify", code=certificate.display_code)
    return current_app.config["PORTAL_BASE_URL"].rstrip("/") + path


def _noindex(response: Response) -> Response:
    response.headers["X-Robots-Tag"] = "noindex"  # names are public by code, not by search
    return response


def verify_form():  # type: ignore[no-untyped-def]
    form = VerifyForm(request.args)
    if "code" in request.args:
        if form.validate():
            code = normalise_code(form.code.data)
            return redirect(url_for("certificates.verify", code=format_code(code or "")))
        return render_template("certificates/verify_form.html", form=form), 422
    return render_template("certificates/verify_form.html", form=form)


def verify(code: str):  # type: ignore[no-untyped-def]
    certificate = queries.certificate_by_code(code)
    if certificate is None:
        well_formed = normalise_code(code)
        page = render_template(
            "certificates/unknown.html",
            form=VerifyForm(formdata=None),
            code=format_code(well_formed) if well_formed else None,
        )
        return _noindex(Response(page, status=404))
    if code != certificate.display_code:
        return redirect(url_for("certificates.verify", code=certificate.display_code))
    page = render_template(
        "certificates/verify.html",
        certificate=certificate,
        url=verify_url(certificate),
    )
    return _noindex(Response(page))


def qr(code: str):  # type: ignore[no-untyped-def]
    certificate = queries.certificate_by_code(code)
    if certificate is None:
        abort(404)
    response = Response(qr_svg(verify_url(certificate)), mimetype="image/svg+xml")
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response


def pdf(code: str):  # type: ignore[no-untyped-def]
    certificate = queries.certificate_by_code(code)
    if certificate is None:
        abort(404)
    if certificate.is_revoked:  # no printable copy of a revoked certificate
        return redirect(url_for("certificates.verify", code=certificate.display_code))
    response = Response(
        render_pdf(certificate, verify_url(certificate)), mimetype="application/pdf"
    )
    response.headers["Content-Disposition"] = (
        f'inline; filename="certificate-{certificate.display_code}.pdf"'
    )
    return _noindex(response)


@login_required
def mine():  # type: ignore[no-untyped-def]
    return render_template(
        "certificates/mine.html",
        certificates=queries.certificates_of(current_user),
    )
