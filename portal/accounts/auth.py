"""Flask-Login wiring: loading the signed-in user, and where anonymous visitors go."""

from __future__ import annotations

import logging

from flask import Flask
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager
from sqlalchemy.exc import OperationalError

from portal.accounts.models import User

logger = logging.getLogger(__name__)


def load_user(session_id: str) -> User | None:
    from portal.accounts.queries import user_by_session_id
    from portal.extensions import db

    try:
        return user_by_session_id(session_id)
    except OperationalError:
        # The database is down: show the error page to an anonymous visitor.
        db.session.rollback()
        logger.warning("could not load user: database unavailable")
        return None


def init_app(app: Flask, login_manager: LoginManager) -> None:
    login_manager.init_app(app)
    login_manager.user_loader(load_user)
    login_manager.login_view = "accounts.sign_in"
    login_manager.login_message = _l("Please sign in to open this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
