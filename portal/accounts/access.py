"""Access decorators for views."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort
from flask_login import current_user, login_required

from portal.accounts.models import Role

__all__ = ["login_required", "role_required"]


def role_required(*roles: Role | str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Let in signed-in users holding any of ``roles`` (in any scope); send anonymous
    visitors to sign in and answer 403 to everyone else. Views of scoped roles still check
    that the object they open lies within one of the user's scopes."""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        @login_required
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not any(current_user.has_role(role) for role in roles):
                abort(403)
            return view(*args, **kwargs)

        wrapped.required_roles = tuple(str(r) for r in roles)  # type: ignore[attr-defined]
        return wrapped

    return decorator
