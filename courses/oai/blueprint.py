"""URL rules of the OAI-PMH provider (``/oai``); harvesters post forms without a CSRF
token, so the blueprint is exempt."""

from __future__ import annotations

from flask import Blueprint, Flask

from courses.oai import stamps, views
from portal.extensions import csrf

bp = Blueprint("oai", __name__, url_prefix="/oai")
bp.add_url_rule("", "endpoint", views.endpoint, methods=["GET", "POST"])
bp.add_url_rule("/schemas/<name>", "schema", views.schema)
csrf.exempt(bp)


def init_app(app: Flask) -> None:
    """Register the blueprint and keep the records' stamps in step with publication."""
    app.register_blueprint(bp)
    stamps.listen()
