"""URL rules of the read-only JSON API (version 1)."""

from flask import Blueprint

from courses.api import views

bp = Blueprint("api", __name__, url_prefix="/api/v1")

bp.add_url_rule("/resources", "resources", views.resources)
bp.add_url_rule("/resources/<int:resource_id>", "resource", views.resource)
bp.add_url_rule("/courses", "courses", views.courses)
bp.add_url_rule("/courses/<int:course_id>", "course", views.course)
bp.add_url_rule("/search", "search", views.search)
bp.add_url_rule("/me/enrolments", "my_enrolments", views.my_enrolments)
bp.add_url_rule("/openapi.json", "openapi", views.openapi)
