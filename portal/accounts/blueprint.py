"""URL rules of the accounts pages and of their administration."""

from flask import Blueprint

from portal.accounts import admin_views, views

bp = Blueprint("accounts", __name__, template_folder="templates")
bp.add_url_rule("/sign-up", "sign_up", views.sign_up, methods=["GET", "POST"])
bp.add_url_rule("/sign-in", "sign_in", views.sign_in, methods=["GET", "POST"])
bp.add_url_rule("/sign-out", "sign_out", views.sign_out, methods=["POST"])
bp.add_url_rule("/forgot-password", "forgot_password", views.forgot_password)
bp.add_url_rule("/reset/<token>", "reset_password", views.reset_password, methods=["GET", "POST"])
bp.add_url_rule("/profile", "profile", views.profile, methods=["GET", "POST"])
bp.add_url_rule(
    "/profile/password", "change_password", views.change_password, methods=["GET", "POST"]
)
bp.add_url_rule("/profile/data.json", "download_data", views.download_data)
bp.add_url_rule("/profile/delete", "delete_account", views.delete_account, methods=["GET", "POST"])

admin_bp = Blueprint(
    "accounts_admin", __name__, template_folder="templates", url_prefix="/admin/users"
)
admin_bp.add_url_rule("/", "users", admin_views.users)
admin_bp.add_url_rule("/<int:user_id>", "user", admin_views.user)
admin_bp.add_url_rule(
    "/<int:user_id>/roles", "grant_role", admin_views.grant_role, methods=["POST"]
)
admin_bp.add_url_rule(
    "/<int:user_id>/roles/<int:assignment_id>/revoke",
    "revoke_role",
    admin_views.revoke_role,
    methods=["POST"],
)
admin_bp.add_url_rule(
    "/<int:user_id>/reset-link", "reset_link", admin_views.reset_link, methods=["POST"]
)
admin_bp.add_url_rule(
    "/<int:user_id>/active", "set_active", admin_views.set_active, methods=["POST"]
)
