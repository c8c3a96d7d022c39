"""URL rules of the open educational resources."""

from flask import Blueprint

from courses.resources import views

bp = Blueprint("resources", __name__, template_folder="templates")

bp.add_url_rule("/resources", "index", views.index)
bp.add_url_rule("/resources/<int:resource_id>", "detail", views.detail)
bp.add_url_rule("/resources/<int:resource_id>/dc.xml", "dublin_core", views.dublin_core_xml)
bp.add_url_rule(
    "/resources/<int:resource_id>/files/<int:attachment_id>", "download", views.download
)

bp.add_url_rule("/teach/resources", "mine", views.mine)
bp.add_url_rule("/teach/resources/new", "new", views.new, methods=["GET", "POST"])
bp.add_url_rule(
    "/teach/resources/<int:resource_id>/edit", "edit", views.edit, methods=["GET", "POST"]
)
bp.add_url_rule(
    "/teach/resources/<int:resource_id>/text", "text", views.text, methods=["GET", "POST"]
)
bp.add_url_rule("/teach/resources/<int:resource_id>/preview", "preview", views.preview)
bp.add_url_rule(
    "/teach/resources/<int:resource_id>/submit", "submit", views.submit, methods=["POST"]
)
bp.add_url_rule(
    "/teach/resources/<int:resource_id>/archive", "archive", views.archive, methods=["POST"]
)
bp.add_url_rule("/teach/resources/<int:resource_id>/history", "history", views.history)
bp.add_url_rule("/teach/resources/<int:resource_id>/compare", "compare", views.compare)
bp.add_url_rule(
    "/teach/resources/<int:resource_id>/restore/<int:number>",
    "restore",
    views.restore,
    methods=["POST"],
)
bp.add_url_rule(
    "/teach/resources/<int:resource_id>/files", "upload", views.upload, methods=["POST"]
)
bp.add_url_rule(
    "/teach/resources/<int:resource_id>/files/<int:attachment_id>/delete",
    "delete_attachment",
    views.delete_attachment,
    methods=["POST"],
)

bp.add_url_rule("/review/resources", "queue", views.queue)
bp.add_url_rule(
    "/review/resources/<int:resource_id>/publish", "publish", views.publish, methods=["POST"]
)
bp.add_url_rule(
    "/review/resources/<int:resource_id>/return", "return_", views.return_, methods=["POST"]
)


@bp.context_processor
def resource_context() -> dict[str, object]:
    """Names the resource templates share."""
    from courses.resources import queries, vocabulary
    from portal.i18n import LANGUAGES

    return {
        "languages_by_code": LANGUAGES,
        "subjects": vocabulary.SUBJECTS,
        "audiences": vocabulary.AUDIENCES,
        "levels": vocabulary.LEVELS,
        "statuses": vocabulary.STATUSES,
        "field_labels": vocabulary.FIELD_LABELS,
        "licences": list(vocabulary.LICENCES),
        "licence_label": vocabulary.licence_label,
        "licence_url": vocabulary.licence_url,
        "working_title": queries.working_title,
        "format_size": vocabulary.format_size,
    }


@bp.record_once
def _register_storage_keys(state) -> None:  # type: ignore[no-untyped-def]
    from courses.resources.queries import attachment_keys
    from portal.storage import register_key_source

    register_key_source(state.app, "resources", attachment_keys)
