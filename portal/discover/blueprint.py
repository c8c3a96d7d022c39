"""URL rules of the search page."""

from flask import Blueprint

from portal.discover import views

bp = Blueprint("discover", __name__, template_folder="templates")
bp.add_url_rule("/search", "search", views.search)
