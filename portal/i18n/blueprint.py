"""URL rules of the language switcher."""

from flask import Blueprint

from portal.i18n import views

bp = Blueprint("language", __name__, template_folder="templates")
bp.add_url_rule("/language", "choose", views.choose, methods=["GET", "POST"])
