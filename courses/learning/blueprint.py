"""URL rules of taking courses: catalogue, course pages, enrolment, lessons and quizzes."""

from flask import Blueprint

from courses.learning import views

bp = Blueprint(
    "learning",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/static/learning",
)

bp.add_url_rule("/courses", "index", views.index)
bp.add_url_rule("/courses/<int:course_id>", "course", views.course)
bp.add_url_rule("/courses/<int:course_id>/enrol", "enrol", views.enrol, methods=["POST"])
bp.add_url_rule("/courses/<int:course_id>/withdraw", "withdraw", views.withdraw, methods=["POST"])
bp.add_url_rule("/courses/<int:course_id>/resume", "resume", views.resume)
bp.add_url_rule("/courses/<int:course_id>/lessons/<int:lesson_id>", "lesson", views.lesson)
bp.add_url_rule(
    "/courses/<int:course_id>/lessons/<int:lesson_id>/complete",
    "complete_lesson",
    views.complete_lesson,
    methods=["POST"],
)
bp.add_url_rule(
    "/courses/<int:course_id>/lessons/<int:lesson_id>/time",
    "lesson_time",
    views.lesson_time,
    methods=["POST"],
)
bp.add_url_rule(
    "/courses/<int:course_id>/quizzes/<int:quiz_id>",
    "quiz",
    views.quiz,
    methods=["GET", "POST"],
)
bp.add_url_rule(
    "/courses/<int:course_id>/quizzes/<int:quiz_id>/attempts/<int:number>",
    "attempt",
    views.attempt,
)


@bp.context_processor
def learning_context() -> dict[str, object]:
    """Names the learning templates share."""
    from flask_babel import format_percent

    from courses.learning import queries
    from courses.learning.forms import KINDS
    from courses.resources import vocabulary
    from courses.resources.queries import cached_markdown
    from portal.i18n import LANGUAGES

    return {
        "languages_by_code": LANGUAGES,
        "subjects": vocabulary.SUBJECTS,
        "levels": vocabulary.LEVELS,
        "kinds": KINDS,
        "format_percent": format_percent,
        "markdown": cached_markdown,
        "title_of": queries.title_of,
    }
