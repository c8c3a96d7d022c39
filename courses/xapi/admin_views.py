"""The credentials page of the LRS, for administrators: the clients, issuing credentials
(the secret is shown once, on the answer to the form, and never again) and revoking them."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Response, flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from courses.records import iri
from courses.xapi import clients
from courses.xapi.forms import SCOPE_LABELS, ClientForm, RevokeForm
from courses.xapi.models import LrsClient
from portal.accounts.access import role_required
from portal.accounts.models import Role
from portal.extensions import db

# The centres' table, read for their names only (courses/ does not import the centres
# module; the clients' foreign key already points at this table).
_CENTRES = sa.table("centres", sa.column("id"), sa.column("name"), sa.column("is_active"))


def _centre_names() -> dict[int, str]:
    rows = db.session.execute(sa.select(_CENTRES.c.id, _CENTRES.c.name).order_by(_CENTRES.c.name))
    return {row.id: row.name for row in rows}


def _form(centres: dict[int, str]) -> ClientForm:
    form = ClientForm()
    form.centre_id.choices = [SelectChoice("", _("No centre"))] + [
        SelectChoice(str(centre_id), name) for centre_id, name in centres.items()
    ]
    return form


def _listing(form: ClientForm, centres: dict[int, str], status: int = 200) -> Any:
    rows = db.session.scalars(
        sa.select(LrsClient).order_by(LrsClient.revoked_at.is_not(None), LrsClient.name)
    ).all()
    return render_template(
        "xapi_admin/clients.html",
        clients=rows,
        centres=centres,
        form=form,
        revoke_form=RevokeForm(),
        scope_labels=SCOPE_LABELS,
    ), status


@role_required(Role.ADMIN)
def index():  # type: ignore[no-untyped-def]
    centres = _centre_names()
    return _listing(_form(centres), centres)


@role_required(Role.ADMIN)
def issue():  # type: ignore[no-untyped-def]
    centres = _centre_names()
    form = _form(centres)
    if not form.validate_on_submit():
        return _listing(form, centres, 422)
    try:
        issued = clients.issue(
            form.name.data,
            scopes=form.scopes.data,
            rate_limit=form.rate_limit.data,
            centre_id=form.centre_id.data,
            by=current_user,
        )
    except clients.ClientError:
        form.name.errors = [_("These credentials cannot be issued; check the fields.")]
        return _listing(form, centres, 422)
    response: Response = make_response(
        render_template(
            "xapi_admin/issued.html",
            issued=issued,
            endpoint=iri.base_url() + "/xapi/",
            scope_labels=SCOPE_LABELS,
        )
    )
    response.headers["Cache-Control"] = "no-store"  # the secret is in this page only
    return response


@role_required(Role.ADMIN)
def revoke(client_id: int):  # type: ignore[no-untyped-def]
    client = db.get_or_404(LrsClient, client_id)
    if RevokeForm().validate_on_submit():
        clients.revoke(client)
        flash(_("The credentials of %(name)s are revoked.", name=client.name), "success")
    return redirect(url_for("xapi_admin.index"))
