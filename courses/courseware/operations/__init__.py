"""Verbs that change courses: settings, texts in each language, the outline (modules and
lessons), attached resources, quizzes and questions, co-authors, prerequisites and
moderation. Each validates, flushes and logs who did it; the request commits.

Edits to a published course go live at once (no new review): that is the product's choice,
so every change is logged with the editor's id.

The verbs live in sibling modules by what they change: :mod:`.courses` (the course, its
settings, texts, co-authors, prerequisites and moderation), :mod:`.outline` (modules,
lessons and attached resources), :mod:`.quizzes` (quizzes and questions), with the shared
refusal, messages and checks in :mod:`.common`. Import them from here.
"""

from courses.courseware.operations.common import (
    BODY_MAX as BODY_MAX,
)
from courses.courseware.operations.common import (
    MAX_HOURS as MAX_HOURS,
)
from courses.courseware.operations.common import (
    MAX_MINUTES as MAX_MINUTES,
)
from courses.courseware.operations.common import (
    MAX_OPTIONS as MAX_OPTIONS,
)
from courses.courseware.operations.common import (
    MAX_POINTS as MAX_POINTS,
)
from courses.courseware.operations.common import (
    MESSAGES,
    CourseError,
    clean,
    parse_number,
)
from courses.courseware.operations.common import (
    OPTION_MAX as OPTION_MAX,
)
from courses.courseware.operations.common import (
    PROMPT_MAX as PROMPT_MAX,
)
from courses.courseware.operations.common import (
    SUMMARY_MAX as SUMMARY_MAX,
)
from courses.courseware.operations.common import (
    TITLE_MAX as TITLE_MAX,
)
from courses.courseware.operations.common import (
    logger as logger,
)
from courses.courseware.operations.courses import (
    SETTINGS_FIELDS,
    add_coauthor,
    add_prerequisite,
    archive,
    create_course,
    delete_course,
    delete_text,
    may_manage,
    publish,
    remove_coauthor,
    remove_prerequisite,
    return_for_changes,
    save_course_text,
    submit,
)
from courses.courseware.operations.courses import (
    update_settings as update_settings,
)
from courses.courseware.operations.outline import (
    add_lesson,
    add_module,
    attach_resource,
    delete_lesson,
    delete_module,
    detach_resource,
    move_lesson,
    move_module,
    move_resource,
    save_lesson_text,
    save_module_text,
    update_lesson,
)
from courses.courseware.operations.quizzes import (
    add_question,
    add_quiz,
    delete_question,
    delete_quiz,
    move_question,
    option_key,
    save_question_text,
    update_question,
    update_quiz,
)

__all__ = [
    "MESSAGES",
    "SETTINGS_FIELDS",
    "CourseError",
    "add_coauthor",
    "add_lesson",
    "add_module",
    "add_prerequisite",
    "add_question",
    "add_quiz",
    "archive",
    "attach_resource",
    "clean",
    "create_course",
    "delete_course",
    "delete_lesson",
    "delete_module",
    "delete_question",
    "delete_quiz",
    "delete_text",
    "detach_resource",
    "may_manage",
    "move_lesson",
    "move_module",
    "move_question",
    "move_resource",
    "option_key",
    "parse_number",
    "publish",
    "remove_coauthor",
    "remove_prerequisite",
    "return_for_changes",
    "save_course_text",
    "save_lesson_text",
    "save_module_text",
    "save_question_text",
    "submit",
    "update_lesson",
    "update_question",
    "update_quiz",
]
