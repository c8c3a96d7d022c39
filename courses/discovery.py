"""What of the learning content is searchable, as plain documents for ``search``.

Two roots: ``resource:<id>`` (one document per translation of the latest published version)
and ``course:<id>`` (one document per translation of the course, and of each lesson with its
quiz questions: prompts and options, never accepted answers or explanations). Only public
content has documents; lessons of archived courses have none, since only their former
learners may open them; a cohort's lessons carry the day they open (``opens_on``) and stay
out of results until then. ``visible`` re-checks each hit at query time, for what changed
since it was indexed.
"""

from __future__ import annotations

import html
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import nh3
from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from courses.courseware import models as cw
from courses.courseware.queries import title_of
from courses.markdown import render_markdown
from courses.resources import models as rm
from courses.resources.vocabulary import LEVELS, LICENCES, SUBJECTS
from portal.extensions import db
from portal.i18n import LANGUAGES

RESOURCE, COURSE, LESSON = "resource", "course", "lesson"
# Kinds of document the portal adds beside the content's: learning centres and their classes
# (``portal.centres.discovery``, wired in ``portal.searching``). Named here so that the search
# filters and the API accept them; this package never imports the portal's modules.
CENTRE, CLASS = "centre", "class"
# Records harvested from other repositories over OAI-PMH (``courses.oai.discovery``): their
# documents link to the source.
HARVESTED = "harvested"
SEARCH_KINDS = (RESOURCE, COURSE, LESSON, CENTRE, CLASS, HARVESTED)


def watch(register: Any) -> None:
    """Tell the outbox which changes touch which root (``register(Model, roots)``)."""
    register(rm.Resource, lambda r: [f"{RESOURCE}:{r.id}"])
    register(rm.ResourceRevision, lambda r: [f"{RESOURCE}:{r.resource_id}"])
    register(cw.Course, lambda c: [f"{COURSE}:{c.id}"])
    register(cw.CourseTranslation, lambda t: [f"{COURSE}:{t.course_id}"])
    register(cw.Module, lambda m: [f"{COURSE}:{m.course_id}"])
    register(cw.ModuleTranslation, lambda t: _course_of(cw.Module, t.module_id))
    register(cw.Lesson, lambda lesson: _course_of(cw.Module, lesson.module_id))
    register(cw.LessonTranslation, lambda t: _course_of(cw.Lesson, t.lesson_id))
    register(cw.Quiz, lambda quiz: _course_of(cw.Lesson, quiz.lesson_id))
    register(cw.Question, lambda question: _course_of(cw.Quiz, question.quiz_id))
    register(cw.QuestionTranslation, lambda t: _course_of(cw.Question, t.question_id))


# From a part of a course to the course, by foreign keys (relationships may already be cut
# when a part is deleted as an orphan).
_UP = {
    cw.Module: None,
    cw.Lesson: (cw.Lesson.module_id, cw.Module),
    cw.Quiz: (cw.Quiz.lesson_id, cw.Lesson),
    cw.Question: (cw.Question.quiz_id, cw.Quiz),
}


def _course_of(model: Any, number: int | None) -> list[str]:
    """``course:<id>`` of the course that part ``model`` #``number`` belongs to."""
    with db.session.no_autoflush:
        while number is not None and model is not cw.Module:
            column, model = _UP[model]
            number = db.session.scalar(select(column).where(column.table.c.id == number))
        if number is None:
            return []
        course_id = db.session.scalar(select(cw.Module.course_id).where(cw.Module.id == number))
    return [f"{COURSE}:{course_id}"] if course_id is not None else []


def plain_text(markdown: str | None) -> str:
    """The words of a Markdown text as a reader sees them (no markup, no HTML)."""
    if not markdown:
        return ""
    return html.unescape(nh3.clean(str(render_markdown(markdown)), tags=set()))


def _path(endpoint: str, **values: Any) -> str:
    return current_app.url_map.bind("localhost").build(endpoint, values)


def _split(roots: Sequence[str]) -> dict[str, list[int]]:
    ids: dict[str, list[int]] = {RESOURCE: [], COURSE: []}
    for root in roots:
        kind, _, number = root.partition(":")
        if kind in ids and number.isdigit():
            ids[kind].append(int(number))
    return ids


def documents(roots: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
    """The current documents of each root (an empty list when nothing is public)."""
    found: dict[str, list[dict[str, Any]]] = {root: [] for root in roots}
    ids = _split(roots)
    if ids[RESOURCE]:
        query = select(rm.Resource).where(rm.Resource.id.in_(ids[RESOURCE]))
        for resource in db.session.scalars(query.options(selectinload(rm.Resource.revisions))):
            found[f"{RESOURCE}:{resource.id}"] = list(_resource_documents(resource))
    if ids[COURSE]:
        for course in db.session.scalars(_courses().where(cw.Course.id.in_(ids[COURSE]))):
            found[f"{COURSE}:{course.id}"] = list(_course_documents(course))
    return found


def all_roots() -> Iterator[str]:
    for (number,) in db.session.execute(
        select(rm.Resource.id).where(rm.Resource.published_at.is_not(None)).order_by(rm.Resource.id)
    ):
        yield f"{RESOURCE}:{number}"
    for (number,) in db.session.execute(
        select(cw.Course.id).where(cw.Course.published_at.is_not(None)).order_by(cw.Course.id)
    ):
        yield f"{COURSE}:{number}"


def _resource_documents(resource: rm.Resource) -> Iterator[dict[str, Any]]:
    revision = resource.latest_revision
    if not resource.is_public or revision is None:
        return
    meta = revision.snapshot["metadata"]
    for language, text in sorted(revision.snapshot["translations"].items()):
        yield {
            "key": f"{RESOURCE}:{resource.id}:{language}",
            "root": f"{RESOURCE}:{resource.id}",
            "kind": RESOURCE,
            "language": language,
            "title": text["title"],
            "body": "\n".join(filter(None, (text.get("summary"), plain_text(text.get("body"))))),
            "url": _path("resources.detail", resource_id=resource.id, lang=language),
            "context": meta.get("author", ""),
            "subjects": list(meta.get("subjects") or ()),
            "level": meta.get("level", ""),
            "licence": meta.get("licence", ""),
        }


def _courses() -> Any:
    lessons = selectinload(cw.Course.modules).selectinload(cw.Module.lessons)
    quizzes = lessons.selectinload(cw.Lesson.quiz).selectinload(cw.Quiz.questions)
    return select(cw.Course).options(
        selectinload(cw.Course.translations),
        selectinload(cw.Course.modules).selectinload(cw.Module.translations),
        lessons.selectinload(cw.Lesson.translations),
        quizzes.selectinload(cw.Question.translations),
    )


def _course_documents(course: cw.Course) -> Iterator[dict[str, Any]]:
    if not course.is_public:
        return
    shared: dict[str, Any] = {
        "subjects": course.subject_codes,
        "level": course.level,
        "licence": course.licence,
    }
    for text in course.translations:
        modules = [title_of(m, (text.language,), course.original_language) for m in course.modules]
        yield {
            "key": f"{COURSE}:{course.id}:{text.language}",
            "root": f"{COURSE}:{course.id}",
            "kind": COURSE,
            "language": text.language,
            "title": text.title,
            "body": "\n".join(filter(None, (text.summary, plain_text(text.description), *modules))),
            "url": _path("learning.course", course_id=course.id, lang=text.language),
            "context": course.occupation or "",
            **shared,
        }
    if course.status == cw.CourseStatus.ARCHIVED:
        return  # only former learners may open its lessons
    if course.kind == cw.CourseKind.COHORT and course.starts_on:
        shared["opens_on"] = int(course.starts_on.strftime("%Y%m%d"))  # lessons open then
    for lesson in course.lessons:
        for text in lesson.translations:
            yield {
                "key": f"{LESSON}:{lesson.id}:{text.language}",
                "root": f"{COURSE}:{course.id}",
                "kind": LESSON,
                "language": text.language,
                "title": text.title,
                "body": "\n".join(filter(None, (plain_text(text.body), *_questions(lesson, text)))),
                "url": _path(
                    "learning.lesson", course_id=course.id, lesson_id=lesson.id, lang=text.language
                ),
                "context": title_of(course, (text.language,), course.original_language),
                **shared,
            }


def _questions(lesson: cw.Lesson, text: cw.LessonTranslation) -> Iterator[str]:
    """What a learner reads of the quiz in this language: prompts and options."""
    if lesson.quiz is None:
        return
    for question in lesson.quiz.questions:
        shown = next((t for t in question.translations if t.language == text.language), None)
        if shown is None:
            continue
        yield plain_text(shown.prompt)
        yield from (option for option in (shown.options or {}).values() if option)


def visible(hits: Iterable[Any]) -> set[str]:
    """The keys of ``hits`` that anyone may open now."""
    hits = list(hits)
    by_kind: dict[str, set[int]] = {}
    for hit in hits:
        kind, _, rest = hit.key.partition(":")
        by_kind.setdefault(kind, set()).add(int(rest.partition(":")[0]))
    shown: set[tuple[str, int]] = set()
    if by_kind.get(RESOURCE):
        query = select(rm.Resource.id).where(
            rm.Resource.id.in_(by_kind[RESOURCE]), rm.Resource.published_at.is_not(None)
        )
        shown.update((RESOURCE, n) for n in db.session.scalars(query))
    if by_kind.get(COURSE):
        query = select(cw.Course.id).where(
            cw.Course.id.in_(by_kind[COURSE]), cw.Course.published_at.is_not(None)
        )
        shown.update((COURSE, n) for n in db.session.scalars(query))
    if by_kind.get(LESSON):
        today = datetime.now(UTC).date()
        query = (
            select(cw.Lesson.id, cw.Course.kind, cw.Course.starts_on)
            .join(cw.Module, cw.Lesson.module_id == cw.Module.id)
            .join(cw.Course, cw.Module.course_id == cw.Course.id)
            .where(
                cw.Lesson.id.in_(by_kind[LESSON]),
                cw.Course.published_at.is_not(None),
                cw.Course.status != cw.CourseStatus.ARCHIVED,
            )
        )
        for number, kind, starts_on in db.session.execute(query):
            if not (kind == cw.CourseKind.COHORT and starts_on and today < starts_on):
                shown.add((LESSON, number))
    return {
        hit.key for hit in hits if (hit.key.partition(":")[0], int(hit.key.split(":")[1])) in shown
    }


def search_filter_values() -> dict[str, Collection[str]]:
    """The values each search facet may be filtered by: the portal's languages, the kinds of
    document, and the vocabulary of resources (courses use the same codes)."""
    return {
        "language": LANGUAGES,
        "kind": SEARCH_KINDS,
        "subject": SUBJECTS,
        "level": LEVELS,
        "licence": LICENCES,
    }


def check_search_filters(
    given: Mapping[str, str | None],
) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """``given`` (facet → value; an empty value is no filter) split into the filters to
    apply and the ``(facet, value)`` pairs whose value is unknown."""
    allowed = search_filter_values()
    filters: dict[str, str] = {}
    unknown: list[tuple[str, str]] = []
    for facet, value in given.items():
        if not value:
            continue
        if value in allowed[facet]:
            filters[facet] = value
        else:
            unknown.append((facet, value))
    return filters, unknown
