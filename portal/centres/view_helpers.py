"""What the centres' pages share (``public_views``, ``views``, ``roster_views``): the
signed-in user, a row by an id from the URL or a form, a refused operation flashed, and a
page rendered with the labels every centres template reads."""

from __future__ import annotations

from typing import Any

from flask import flash, render_template
from flask_login import current_user

from portal.accounts.models import User
from portal.centres.labels import (
    CLASS_STATUS_LABELS,
    ENROLMENT_LABELS,
    KIND_LABELS,
    PROGRAMME_LABELS,
)
from portal.centres.operations import CentreError
from portal.extensions import db
from portal.i18n.languages import LANGUAGES

MAX_ID = 2**31 - 1


def me() -> User:
    """The signed-in user itself, not its proxy, to hand to operations."""
    user: User = current_user._get_current_object()  # type: ignore[attr-defined]
    return user


def get_or_none(model: Any, ident: Any) -> Any:
    """The row of ``model`` with this id, or None; an id out of the database's integer range
    is None too rather than an error from the database."""
    if not isinstance(ident, int) or not 0 < ident <= MAX_ID:
        return None
    return db.session.get(model, ident)


def refused(exc: CentreError) -> None:
    flash(exc.message, "error")


def _labels() -> dict[str, Any]:
    return {
        "kind_labels": KIND_LABELS,
        "programme_labels": PROGRAMME_LABELS,
        "class_status_labels": CLASS_STATUS_LABELS,
        "enrolment_labels": ENROLMENT_LABELS,
        "language_names": {code: lang.endonym for code, lang in LANGUAGES.items()},
    }


def render_page(template: str, status: int = 200, **context: Any):  # type: ignore[no-untyped-def]
    return render_template(template, **_labels(), **context), status
