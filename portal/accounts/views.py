"""Sign-up, sign-in, profile and personal data: views load, check, call, respond."""

from __future__ import annotations

import json

from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from portal.accounts import operations, queries
from portal.accounts.access import login_required
from portal.accounts.forms import (
    DeleteAccountForm,
    PasswordChangeForm,
    PasswordResetForm,
    ProfileForm,
    SignInForm,
    SignUpForm,
)
from portal.accounts.messages import error_message
from portal.accounts.profile import fill_place_choices, profile_fields
from portal.extensions import limiter
from portal.i18n import current_language
from portal.safe_urls import safe_next


def _signup_limit() -> str:
    return current_app.config["PORTAL_SIGNUP_RATE_LIMIT"]


def _login_limit() -> str:
    return current_app.config["PORTAL_LOGIN_RATE_LIMIT"]


@limiter.limit(_signup_limit, methods=["POST"])
def sign_up():  # type: ignore[no-untyped-def]
    if current_user.is_authenticated:
        return redirect(url_for("pages.home"))
    form = SignUpForm()
    if form.validate_on_submit():
        kind, value = form.identifier.normalised
        try:
            user = operations.create_user(
                full_name=form.full_name.data,
                password=form.password.data,
                language=current_language().code,
                **{kind: value},
            )
        except operations.AccountError as exc:
            form.identifier.errors = [error_message(exc.code)]
        else:
            login_user(user)
            flash(_("Welcome, %(name)s! Your account is ready.", name=user.full_name), "success")
            return redirect(url_for("accounts.profile"))
    return render_template("accounts/sign_up.html", form=form)


@limiter.limit(_login_limit, methods=["POST"])
def sign_in():  # type: ignore[no-untyped-def]
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    form = SignInForm()
    if form.validate_on_submit():
        user = queries.user_by_identifier(form.identifier.data)
        if operations.authenticate(user, form.password.data) and user.is_active:
            login_user(user, remember=form.remember.data)
            flash(_("You are signed in."), "success")
            return redirect(safe_next(request.args.get("next")))
        form.password.errors = [
            _("That number or address and password do not match an active account.")
        ]
    return render_template("accounts/sign_in.html", form=form)


@login_required
def sign_out():  # type: ignore[no-untyped-def]
    logout_user()
    flash(_("You are signed out."), "success")
    return redirect(url_for("pages.home"))


def forgot_password():  # type: ignore[no-untyped-def]
    return render_template("accounts/forgot_password.html")


def reset_password(token: str):  # type: ignore[no-untyped-def]
    row = operations.find_reset_token(token)
    if row is None:
        return render_template("accounts/reset_invalid.html"), 404
    form = PasswordResetForm()
    if form.validate_on_submit():
        try:
            operations.reset_password(row, form.password.data)
        except operations.AccountError as exc:
            flash(error_message(exc.code), "error")
        else:
            flash(_("Your password has been changed. Please sign in."), "success")
        return redirect(url_for("accounts.sign_in"))
    return render_template("accounts/reset_password.html", form=form)


@login_required
def profile():  # type: ignore[no-untyped-def]
    form = ProfileForm(obj=current_user)
    fill_place_choices(form, current_user)
    if form.show_communes.data or not form.validate_on_submit():
        return render_template("accounts/profile.html", form=form)
    try:
        operations.update_profile(current_user, **profile_fields(form))
    except operations.AccountError as exc:
        flash(error_message(exc.code), "error")
        return render_template("accounts/profile.html", form=form), 422
    flash(_("Your profile is saved."), "success")
    return redirect(url_for("accounts.profile"))


@login_required
def change_password():  # type: ignore[no-untyped-def]
    form = PasswordChangeForm()
    if form.validate_on_submit():
        if operations.authenticate(current_user, form.current.data):
            operations.change_password(current_user, form.password.data)
            login_user(current_user._get_current_object())  # the session carries the new token
            flash(_("Your password has been changed. Other devices are signed out."), "success")
            return redirect(url_for("accounts.profile"))
        form.current.errors = [_("That is not your current password.")]
    return render_template("accounts/change_password.html", form=form)


@login_required
def download_data():  # type: ignore[no-untyped-def]
    body = json.dumps(queries.personal_data(current_user), ensure_ascii=False, indent=2)
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="my-data-{current_user.id}.json"'},
    )


@login_required
def delete_account():  # type: ignore[no-untyped-def]
    form = DeleteAccountForm()
    if form.validate_on_submit():
        if not operations.authenticate(current_user, form.password.data):
            form.password.errors = [_("That is not your password.")]
        else:
            try:
                operations.delete_account(current_user._get_current_object())
            except operations.AccountError as exc:
                flash(error_message(exc.code), "error")
                return redirect(url_for("accounts.profile"))
            logout_user()
            flash(_("Your account and your personal data have been deleted."), "success")
            return redirect(url_for("pages.home"))
    return render_template("accounts/delete_account.html", form=form)
