"""Messages for refused account operations, in the visitor's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

ERRORS = {
    "identifier_required": _l("Enter a mobile number or an e-mail address."),
    "phone_taken": _l("An account with this mobile number already exists. Sign in instead."),
    "email_taken": _l("An account with this e-mail address already exists. Sign in instead."),
    "name_required": _l("Enter your full name."),
    "scope_required": _l("This role needs a scope."),
    "scope_not_allowed": _l("This role is held without a scope."),
    "role_held": _l("The user already holds this role."),
    "last_admin": _l(
        "The portal needs at least one administrator: grant the role to someone else first."
    ),
    "cannot_suspend_self": _l("You cannot suspend your own account."),
    "inactive": _l("This account is suspended. Ask an administrator."),
    "unknown_field": _l("That field cannot be changed here."),
}


def error_message(code: str) -> str:
    return str(ERRORS.get(code, _l("That could not be done.")))
