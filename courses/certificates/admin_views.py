"""Administration of certificates: find one by code or learner's name, revoke it."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from courses.certificates import operations, queries
from courses.certificates.forms import (
    STATUS_LABELS,
    CertificateSearchForm,
    RevokeForm,
)
from courses.certificates.models import Certificate
from portal.accounts.access import role_required
from portal.accounts.models import Role
from portal.extensions import db

PAGE_SIZE = 50


@role_required(Role.ADMIN)
def certificates():  # type: ignore[no-untyped-def]
    form = CertificateSearchForm(request.args)
    form.validate()
    page = db.paginate(
        queries.search_certificates(form.q.data or "", form.status.data or None),
        per_page=PAGE_SIZE,
        error_out=False,
    )
    return render_template(
        "certificates/admin_list.html", form=form, page=page, status_labels=STATUS_LABELS
    )


@role_required(Role.ADMIN)
def certificate(certificate_id: int):  # type: ignore[no-untyped-def]
    return render_template(
        "certificates/admin_detail.html",
        certificate=db.get_or_404(Certificate, certificate_id),
        form=RevokeForm(),
    )


@role_required(Role.ADMIN)
def revoke(certificate_id: int):  # type: ignore[no-untyped-def]
    target = db.get_or_404(Certificate, certificate_id)
    form = RevokeForm()
    if not form.validate_on_submit():
        return render_template("certificates/admin_detail.html", certificate=target, form=form), 422
    try:
        operations.revoke(target, by=current_user, reason=form.reason.data)
    except operations.CertificateError as exc:
        flash(exc.message, "error")
    else:
        flash(_("Certificate revoked."), "success")
    return redirect(url_for("certificates_admin.certificate", certificate_id=target.id))
