"""Who may manage a centre and its classes: administrators everywhere, centre staff (the
``staff`` role scoped to ``("centre", code)``) in their own centres; a class's teacher may
take its attendance and record its results. Also as SQL conditions, so lists never load what
they would then hide."""

from __future__ import annotations

from typing import Any

from flask import abort
from flask_login import current_user
from sqlalchemy import false, select, true

from portal.accounts.models import Role, ScopeKind
from portal.centres.models import Centre, CentreClass, ClassSession
from portal.extensions import db


def staff_codes(user: Any) -> list[str]:
    """Codes of the centres where ``user`` holds the staff role."""
    if not user.is_authenticated:
        return []
    return [code for kind, code in user.scopes(Role.STAFF) if kind == ScopeKind.CENTRE]


def can_manage(user: Any, centre: Centre) -> bool:
    return bool(user.is_authenticated) and (
        user.has_role(Role.ADMIN) or user.has_role(Role.STAFF, ScopeKind.CENTRE, centre.code)
    )


def can_teach(user: Any, centre_class: CentreClass) -> bool:
    """May take attendance and record results: the centre's staff and the class's teacher."""
    return can_manage(user, centre_class.centre) or (
        bool(user.is_authenticated) and centre_class.teacher_id == user.id
    )


def managed_centres(user: Any) -> Any:
    """SQL condition on ``Centre``: the centres ``user`` manages."""
    if not user.is_authenticated:
        return false()
    if user.has_role(Role.ADMIN):
        return true()
    codes = staff_codes(user)
    return Centre.code.in_(codes) if codes else false()


def taught_classes(user: Any) -> Any:
    """SQL condition on ``CentreClass``: the classes ``user`` may teach (manage or teach)."""
    if not user.is_authenticated:
        return false()
    managed = select(Centre.id).where(managed_centres(user)).scalar_subquery()
    return CentreClass.centre_id.in_(managed) | (CentreClass.teacher_id == user.id)


def centre_or_404(code: str) -> Centre:
    """The centre ``code`` when the current user manages it; 404 otherwise (also when it
    exists but lies outside their scope: they learn nothing from the answer)."""
    centre = db.session.scalar(select(Centre).where(Centre.code == code))
    if centre is None or not can_manage(current_user, centre):
        abort(404)
    return centre


def class_or_404(centre: Centre, class_id: int) -> CentreClass:
    centre_class = db.session.get(CentreClass, class_id)
    if centre_class is None or centre_class.centre_id != centre.id:
        abort(404)
    return centre_class


def taught_class_or_404(class_id: int) -> CentreClass:
    """A class the current user may teach (staff of its centre or its teacher); else 404."""
    centre_class = db.session.get(CentreClass, class_id)
    if centre_class is None or not can_teach(current_user, centre_class):
        abort(404)
    return centre_class


def session_or_404(centre_class: CentreClass, session_id: int) -> ClassSession:
    session = db.session.get(ClassSession, session_id)
    if session is None or session.class_id != centre_class.id:
        abort(404)
    return session
