"""URL rules of course authoring and moderation (teachers, co-authors, reviewers)."""

from flask import Blueprint, current_app

from courses.courseware import views

bp = Blueprint("courseware", __name__, template_folder="templates")

GET, POST, FORM = ["GET"], ["POST"], ["GET", "POST"]
C = "/teach/courses/<int:course_id>"
M = f"{C}/modules/<int:module_id>"
L = f"{C}/lessons/<int:lesson_id>"
R = f"{L}/resources/<int:resource_id>"
Q = f"{C}/questions/<int:question_id>"
REVIEW = "/review/courses/<int:course_id>"

# (rule, endpoint = the name of its view in views.py, methods)
RULES = (
    ("/teach/courses", "mine", GET),
    ("/teach/courses/new", "new", FORM),
    (C, "outline", GET),
    (f"{C}/edit", "edit", FORM),
    (f"{C}/text", "course_text", FORM),
    (f"{C}/texts/delete", "delete_text", POST),
    (f"{C}/preview", "preview", GET),
    (f"{C}/submit", "submit", POST),
    (f"{C}/archive", "archive", POST),
    (f"{C}/delete", "delete", POST),
    # modules
    (f"{C}/modules", "add_module", POST),
    (f"{M}/text", "module_text", FORM),
    (f"{M}/move", "move_module", POST),
    (f"{M}/delete", "delete_module", POST),
    (f"{M}/lessons", "add_lesson", POST),
    # lessons and their resources
    (L, "lesson", FORM),
    (f"{L}/text", "lesson_text", FORM),
    (f"{L}/move", "move_lesson", POST),
    (f"{L}/delete", "delete_lesson", POST),
    (f"{L}/resources", "attach", POST),
    (f"{R}/delete", "detach", POST),
    (f"{R}/move", "move_resource", POST),
    # quizzes and questions
    (f"{L}/quiz/new", "add_quiz", POST),
    (f"{L}/quiz", "quiz", FORM),
    (f"{L}/quiz/delete", "delete_quiz", POST),
    (f"{L}/quiz/questions/new", "new_question", FORM),
    (Q, "question", FORM),
    (f"{Q}/text", "question_text", FORM),
    (f"{Q}/move", "move_question", POST),
    (f"{Q}/delete", "delete_question", POST),
    # co-authors and prerequisites
    (f"{C}/authors", "add_author", POST),
    (f"{C}/authors/<int:user_id>/delete", "remove_author", POST),
    (f"{C}/prerequisites", "add_prerequisite", POST),
    (f"{C}/prerequisites/<int:required_id>/delete", "remove_prerequisite", POST),
    # moderation
    ("/review/courses", "queue", GET),
    (f"{REVIEW}/publish", "publish", POST),
    (f"{REVIEW}/return", "return_", POST),
)

for rule, endpoint, methods in RULES:
    bp.add_url_rule(rule, endpoint, getattr(views, endpoint), methods=methods)


@bp.context_processor
def courseware_context() -> dict[str, object]:
    """Names the course authoring templates share."""
    from courses.courseware import queries
    from courses.courseware.forms import FEEDBACK, KINDS, QUESTION_KINDS
    from courses.resources import vocabulary
    from portal.i18n import LANGUAGES

    return {
        "languages_by_code": LANGUAGES,
        "statuses": vocabulary.STATUSES,
        "subjects": vocabulary.SUBJECTS,
        "levels": vocabulary.LEVELS,
        "audiences": vocabulary.AUDIENCES,
        "licence_label": vocabulary.licence_label,
        "kinds": KINDS,
        "feedback_modes": FEEDBACK,
        "question_kinds": QUESTION_KINDS,
        "title_of": queries.title_of,
        "text_of": queries.text_of,
        "has_endpoint": lambda name: name in current_app.view_functions,
    }
