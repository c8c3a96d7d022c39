"""The outline: modules and lessons (added, written in each language, moved, deleted)
and the resources attached to lessons."""

from __future__ import annotations

from typing import Any

from courses.courseware.models import (
    Course,
    Lesson,
    LessonResource,
    LessonTranslation,
    Module,
    ModuleTranslation,
)
from courses.courseware.operations.common import (
    BODY_MAX,
    MAX_MINUTES,
    TITLE_MAX,
    CourseError,
    _int,
    _language,
    _line,
    _move,
    _now,
    _refuse_if_answered,
    _renumber,
    _text,
    _touch,
)
from portal.extensions import db

# --- modules and lessons ------------------------------------------------------------------


def add_module(course: Course, editor: Any, *, title: str) -> Module:
    """A new module at the end, titled in the course's original language."""
    module = Module(position=len(course.modules))
    module.translations.append(
        ModuleTranslation(
            language=course.original_language,
            title=_line(title, TITLE_MAX, required="no_title"),
        )
    )
    course.modules.append(module)
    _touch(course, editor, "added a module")
    return module


def save_module_text(module: Module, editor: Any, *, language: str, title: str) -> None:
    language = _language(language)
    title = _line(title, TITLE_MAX, required="no_title")
    text = module.translation(language)
    if text is None:
        module.translations.append(ModuleTranslation(language=language, title=title))
    else:
        text.title = title
    _touch(module.course, editor, "module %s text in %s", module.id, language)


def move_module(module: Module, editor: Any, step: int) -> None:
    _move(module.course.modules, module, step)
    module.course.modules.sort(key=lambda m: m.position)
    _touch(module.course, editor, "moved module %s by %s", module.id, step)


def delete_module(module: Module, editor: Any) -> None:
    course = module.course
    _refuse_if_answered([lesson.quiz for lesson in module.lessons if lesson.quiz])
    course.modules.remove(module)
    _renumber(course.modules)
    _touch(course, editor, "deleted module %s", module.id)


def add_lesson(module: Module, editor: Any, *, title: str) -> Lesson:
    """A new lesson at the end of ``module``, titled in the course's original language."""
    course = module.course
    lesson = Lesson(position=len(module.lessons), estimated_minutes=10)
    lesson.translations.append(
        LessonTranslation(
            language=course.original_language,
            title=_line(title, TITLE_MAX, required="no_title"),
            body="",
        )
    )
    module.lessons.append(lesson)
    _touch(course, editor, "added a lesson to module %s", module.id)
    return lesson


def save_lesson_text(
    lesson: Lesson, editor: Any, *, language: str, title: str, body: str
) -> LessonTranslation:
    language = _language(language)
    title = _line(title, TITLE_MAX, required="no_title")
    body = _text(body, BODY_MAX)
    text = lesson.translation(language)
    if text is None:
        text = LessonTranslation(language=language, title=title)
        lesson.translations.append(text)
    text.title, text.body, text.updated_at = title, body, _now()
    _touch(lesson.module.course, editor, "lesson %s text in %s", lesson.id, language)
    return text


def update_lesson(lesson: Lesson, editor: Any, *, estimated_minutes: Any) -> None:
    lesson.estimated_minutes = _int(estimated_minutes, 1, MAX_MINUTES, "bad_minutes")
    _touch(lesson.module.course, editor, "lesson %s settings", lesson.id)


def move_lesson(lesson: Lesson, editor: Any, step: int) -> None:
    """Move a lesson up or down in its module; past the module's first or last place it
    goes to the end of the previous module or the start of the next one."""
    module = lesson.module
    modules = module.course.modules
    index = module.lessons.index(lesson)
    target = index + step
    if 0 <= target < len(module.lessons):
        _move(module.lessons, lesson, step)
        module.lessons.sort(key=lambda item: item.position)
    else:
        neighbour = modules.index(module) + step
        if 0 <= neighbour < len(modules):
            other = modules[neighbour]
            with db.session.no_autoflush:  # never flush the lesson while it has no module
                target = other.lessons
                module.lessons.remove(lesson)
                target.insert(len(target) if step < 0 else 0, lesson)
                _renumber(module.lessons)
                _renumber(target)
    _touch(module.course, editor, "moved lesson %s by %s", lesson.id, step)


def delete_lesson(lesson: Lesson, editor: Any) -> None:
    module = lesson.module
    _refuse_if_answered([lesson.quiz] if lesson.quiz else [])
    module.lessons.remove(lesson)
    _renumber(module.lessons)
    _touch(module.course, editor, "deleted lesson %s", lesson.id)


def attach_resource(lesson: Lesson, editor: Any, resource: Any) -> LessonResource:
    """Attach a published resource at the end of the lesson's list."""
    from courses.resources.models import Status

    if resource is None or not resource.is_public or resource.status == Status.ARCHIVED:
        raise CourseError("resource_not_published")
    if any(link.resource_id == resource.id for link in lesson.resources):
        raise CourseError("already_attached")
    link = LessonResource(resource_id=resource.id, position=len(lesson.resources))
    lesson.resources.append(link)
    _touch(
        lesson.module.course, editor, "attached resource %s to lesson %s", resource.id, lesson.id
    )
    return link


def detach_resource(lesson: Lesson, editor: Any, resource_id: int) -> None:
    link = next((r for r in lesson.resources if r.resource_id == resource_id), None)
    if link is None:
        raise CourseError("not_attached")
    lesson.resources.remove(link)
    _renumber(lesson.resources)
    _touch(
        lesson.module.course, editor, "detached resource %s from lesson %s", resource_id, lesson.id
    )


def move_resource(lesson: Lesson, editor: Any, resource_id: int, step: int) -> None:
    link = next((r for r in lesson.resources if r.resource_id == resource_id), None)
    if link is None:
        raise CourseError("not_attached")
    _move(lesson.resources, link, step)
    lesson.resources.sort(key=lambda item: item.position)
    _touch(lesson.module.course, editor, "moved resource %s in lesson %s", resource_id, lesson.id)
