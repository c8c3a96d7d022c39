"""URL rules of the titles' yearly round (``/titles``) and of its administration."""

from flask import Blueprint

from portal.form_fields import label
from portal.recognition import forms, queries, sets, views

bp = Blueprint("recognition", __name__, template_folder="templates", url_prefix="/titles")

bp.add_url_rule("", "index", views.index)
bp.add_url_rule("/register", "register", views.register, methods=["POST"])
bp.add_url_rule("/review", "review_list", views.review_list)
bp.add_url_rule("/decide", "decide_list", views.decide_list)
bp.add_url_rule("/commune", "commune", views.commune)
bp.add_url_rule("/commune/register", "officer_register", views.officer_register, methods=["POST"])
bp.add_url_rule("/commune/clans", "create_clan", views.create_clan, methods=["POST"])
bp.add_url_rule(
    "/commune/units", "create_organisation", views.create_organisation, methods=["POST"]
)
bp.add_url_rule("/commune/people", "add_person", views.add_person, methods=["POST"])
bp.add_url_rule("/<int:assessment_id>", "assessment", views.assessment)
bp.add_url_rule("/<int:assessment_id>/answers", "answer", views.answer, methods=["POST"])
bp.add_url_rule("/<int:assessment_id>/withdraw", "withdraw", views.withdraw, methods=["POST"])
bp.add_url_rule(
    "/<int:assessment_id>/evidence", "add_evidence", views.add_evidence, methods=["POST"]
)
bp.add_url_rule(
    "/<int:assessment_id>/evidence/<int:evidence_id>", "download_evidence", views.download_evidence
)
bp.add_url_rule(
    "/<int:assessment_id>/evidence/<int:evidence_id>/remove",
    "remove_evidence",
    views.remove_evidence,
    methods=["POST"],
)
bp.add_url_rule("/<int:assessment_id>/scores.csv", "scores_csv", views.scores_csv)
bp.add_url_rule("/<int:assessment_id>/review", "review", views.review)
bp.add_url_rule("/<int:assessment_id>/adjust", "adjust", views.adjust, methods=["POST"])
bp.add_url_rule("/<int:assessment_id>/accept", "accept", views.accept, methods=["POST"])
bp.add_url_rule("/<int:assessment_id>/return", "return_", views.return_, methods=["POST"])
bp.add_url_rule("/<int:assessment_id>/recognise", "recognise", views.recognise, methods=["POST"])
bp.add_url_rule("/<int:assessment_id>/decline", "decline", views.decline, methods=["POST"])

admin_bp = Blueprint(
    "recognition_admin", __name__, template_folder="templates", url_prefix="/admin"
)
admin_bp.add_url_rule("/titles/deadlines", "deadlines", views.deadlines)
admin_bp.add_url_rule("/titles/deadlines", "set_deadline", views.set_deadline, methods=["POST"])
admin_bp.add_url_rule("/criteria", "criteria_sets", views.criteria_sets)
admin_bp.add_url_rule("/criteria/<int:set_id>", "criteria_set", views.criteria_set)
admin_bp.add_url_rule("/criteria/<int:set_id>.yaml", "criteria_yaml", views.criteria_yaml)


@bp.context_processor
@admin_bp.context_processor
def labels() -> dict[str, object]:
    """Labels and the criteria-text picker for the recognition templates."""
    return {
        "tr": queries.text,
        "rules_of": sets.definition_of,
        "auto_items": queries.auto_items,
        "model_labels": forms.MODEL_LABELS,
        "status_labels": forms.STATUS_LABELS,
        "step_labels": forms.STEP_LABELS,
        "source_labels": forms.SOURCE_LABELS,
        "evidence_kind_labels": forms.EVIDENCE_KIND_LABELS,
        "action_labels": forms.ACTION_LABELS,
        "organisation_kind_labels": forms.ORGANISATION_KIND_LABELS,
        "level_labels": forms.LEVEL_LABELS,
        "label": label,
    }


@bp.record_once
def _register_storage_keys(state) -> None:  # type: ignore[no-untyped-def]
    from portal.storage import register_key_source

    register_key_source(state.app, "recognition", queries.evidence_keys)
