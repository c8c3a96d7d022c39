"""``flask content``: import and export resources and courses."""

from __future__ import annotations

from flask.cli import AppGroup

content_cli = AppGroup("content", help="Import and export resources and courses.")
