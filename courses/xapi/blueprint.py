"""URL rules of the learning record store (``/xapi/``). Its clients are programs holding
Basic-auth credentials, not browsers with a session, so the blueprint is exempt from CSRF."""

from __future__ import annotations

from flask import Blueprint, Flask

from courses.xapi import about, protocol
from portal.extensions import csrf

bp = Blueprint("xapi", __name__, url_prefix="/xapi")
csrf.exempt(bp)
protocol.install(bp)
about.register(bp)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    protocol.init_app(app)
