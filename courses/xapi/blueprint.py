"""URL rules of the learning record store (``/xapi/``). Its clients are programs holding
Basic-auth credentials, not browsers with a session, so the blueprint is exempt from CSRF."""

from __future__ import annotations

from flask import Blueprint, Flask

from courses.xapi import (
    about,
    admin_views,
    documents_views,
    protocol,
    resources_views,
    statements_views,
)
from portal.extensions import csrf

bp = Blueprint("xapi", __name__, url_prefix="/xapi")
csrf.exempt(bp)
protocol.install(bp)
about.register(bp)
documents_views.register(bp)
resources_views.register(bp)
statements_views.register(bp)

# The credentials page, for administrators (a session, CSRF-protected forms).
admin_bp = Blueprint(
    "xapi_admin", __name__, template_folder="templates", url_prefix="/admin/lrs-clients"
)
admin_bp.add_url_rule("/", "index", admin_views.index)
admin_bp.add_url_rule("/new", "issue", admin_views.issue, methods=["POST"])
admin_bp.add_url_rule("/<int:client_id>/revoke", "revoke", admin_views.revoke, methods=["POST"])


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.register_blueprint(admin_bp)
    protocol.init_app(app)
