"""Administration of users and roles."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.accounts import operations, queries
from portal.accounts.access import role_required
from portal.accounts.forms import ROLE_LABELS, SCOPE_LABELS, GrantRoleForm, UserSearchForm
from portal.accounts.messages import error_message
from portal.accounts.models import Role, RoleAssignment, User
from portal.extensions import db

PAGE_SIZE = 50


def _user_or_404(user_id: int) -> User:
    return db.get_or_404(User, user_id)


@role_required(Role.ADMIN)
def users():  # type: ignore[no-untyped-def]
    form = UserSearchForm(request.args)
    form.validate()
    page = db.paginate(
        queries.search_users(form.q.data or "", form.role.data or None),
        per_page=PAGE_SIZE,
        error_out=False,
    )
    return render_template(
        "accounts_admin/users.html", form=form, page=page, role_labels=ROLE_LABELS
    )


@role_required(Role.ADMIN)
def user(user_id: int):  # type: ignore[no-untyped-def]
    return render_template(
        "accounts_admin/user.html",
        user=_user_or_404(user_id),
        form=GrantRoleForm(),
        role_labels=ROLE_LABELS,
        scope_labels=SCOPE_LABELS,
    )


@role_required(Role.ADMIN)
def grant_role(user_id: int):  # type: ignore[no-untyped-def]
    target = _user_or_404(user_id)
    form = GrantRoleForm()
    if not form.validate_on_submit():
        return render_template(
            "accounts_admin/user.html",
            user=target,
            form=form,
            role_labels=ROLE_LABELS,
            scope_labels=SCOPE_LABELS,
        ), 422
    try:
        operations.grant_role(
            target,
            Role(form.role.data),
            scope_kind=form.scope_kind.data or None,
            scope_code=(form.scope_code.data or "").strip() or None,
            granted_by=current_user,
        )
    except operations.AccountError as exc:
        flash(error_message(exc.code), "error")
    else:
        flash(_("Role granted."), "success")
    return redirect(url_for("accounts_admin.user", user_id=target.id))


@role_required(Role.ADMIN)
def revoke_role(user_id: int, assignment_id: int):  # type: ignore[no-untyped-def]
    assignment = db.get_or_404(RoleAssignment, assignment_id)
    if assignment.user_id != user_id:
        abort(404)
    try:
        operations.revoke_role(assignment, revoked_by=current_user)
    except operations.AccountError as exc:
        flash(error_message(exc.code), "error")
    else:
        flash(_("Role removed."), "success")
    return redirect(url_for("accounts_admin.user", user_id=user_id))


@role_required(Role.ADMIN)
def reset_link(user_id: int):  # type: ignore[no-untyped-def]
    from flask import current_app

    target = _user_or_404(user_id)
    hours = current_app.config["PORTAL_RESET_TOKEN_HOURS"]
    token = operations.issue_reset_token(target, hours=hours, issued_by=current_user)
    link = url_for("accounts.reset_password", token=token, _external=True)
    return render_template("accounts_admin/reset_link.html", user=target, link=link, hours=hours)


@role_required(Role.ADMIN)
def set_active(user_id: int):  # type: ignore[no-untyped-def]
    target = _user_or_404(user_id)
    active = request.form.get("active") == "1"
    try:
        operations.set_active(target, active, by=current_user)
    except operations.AccountError as exc:
        flash(error_message(exc.code), "error")
    else:
        flash(_("Account restored.") if active else _("Account suspended."), "success")
    return redirect(url_for("accounts_admin.user", user_id=target.id))
