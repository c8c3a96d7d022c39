"""URL rules of the places administration."""

from flask import Blueprint

from portal.places import views
from portal.places.forms import kind_label

bp = Blueprint("places", __name__, template_folder="templates", url_prefix="/admin/places")
bp.add_app_template_global(kind_label, "unit_kind_label")

bp.add_url_rule("/", "index", views.index)
bp.add_url_rule("/units/<int:unit_id>", "unit", views.unit)
bp.add_url_rule(
    "/units/<int:unit_id>/villages", "create_village", views.create_village, methods=["POST"]
)
bp.add_url_rule("/villages/<int:village_id>", "village", views.village)
bp.add_url_rule(
    "/villages/<int:village_id>/rename", "rename_village", views.rename_village, methods=["POST"]
)
bp.add_url_rule(
    "/villages/<int:village_id>/retire", "retire_village", views.retire_village, methods=["POST"]
)
bp.add_url_rule(
    "/villages/<int:village_id>/households",
    "create_household",
    views.create_household,
    methods=["POST"],
)
bp.add_url_rule("/households/<int:household_id>", "household", views.household)
bp.add_url_rule(
    "/households/<int:household_id>/members", "add_member", views.add_member, methods=["POST"]
)
bp.add_url_rule(
    "/households/<int:household_id>/members/<int:member_id>/remove",
    "remove_member",
    views.remove_member,
    methods=["POST"],
)
