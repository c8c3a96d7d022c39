"""URL rules of the certificate pages and of their administration."""

from flask import Blueprint

from courses.certificates import admin_views, views
from courses.certificates.forms import KIND_LABELS
from courses.credentials import views as credentials

bp = Blueprint("certificates", __name__, template_folder="templates")
bp.add_url_rule("/verify", "verify_form", views.verify_form)
bp.add_url_rule("/verify/<code>", "verify", views.verify)
# Junk holding slashes gets the same helpful "not found" page (tried after the rules above).
bp.add_url_rule("/verify/<path:code>", "verify", views.verify)
bp.add_url_rule("/verify/<code>/qr.svg", "qr", views.qr)
# Open Badges 3.0 credentials and their revocation lists (courses/credentials).
bp.add_url_rule("/verify/<code>/credential.json", "credential", credentials.credential)
bp.add_url_rule("/credentials/status/<int:number>", "status_list", credentials.status_list)
bp.add_url_rule("/certificates", "mine", views.mine)
bp.add_url_rule("/certificates/<code>.pdf", "pdf", views.pdf)

admin_bp = Blueprint(
    "certificates_admin", __name__, template_folder="templates", url_prefix="/admin/certificates"
)
admin_bp.add_url_rule("/", "certificates", admin_views.certificates)
admin_bp.add_url_rule("/<int:certificate_id>", "certificate", admin_views.certificate)
admin_bp.add_url_rule(
    "/<int:certificate_id>/revoke", "revoke", admin_views.revoke, methods=["POST"]
)


@bp.context_processor
@admin_bp.context_processor
def labels() -> dict[str, object]:
    return {"kind_labels": KIND_LABELS}
