"""Public pages."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import jsonify, render_template
from sqlalchemy import text

from portal.extensions import db


def home():  # type: ignore[no-untyped-def]
    return render_template("pages/home.html", today=datetime.now(UTC))


def health():  # type: ignore[no-untyped-def]
    """For load balancers: 200 when the database answers, else 503."""
    db.session.execute(text("SELECT 1"))
    return jsonify(status="ok")
