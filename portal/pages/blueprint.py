"""URL rules of the public pages."""

from flask import Blueprint

from portal.pages import views

bp = Blueprint("pages", __name__, template_folder="templates")
bp.add_url_rule("/", "home", views.home)
bp.add_url_rule("/healthz", "health", views.health)
