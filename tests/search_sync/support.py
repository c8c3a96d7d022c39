"""Helpers for the tests that keep the search index true to the database: content made
through the operations and really committed, and looks at the outbox and the index."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask

from portal.extensions import db
from search.store import IndexStore, read_state
from tests.conftest import PASSWORD, make_app


def service(app: Flask) -> Any:
    return app.extensions["search"]


def teacher(app: Flask, email: str = "hoa@ex.vn") -> int:
    """A committed teacher (and reviewer: an administrator may publish); their id."""
    from portal.accounts import operations as accounts
    from portal.accounts.models import Role

    with app.app_context():
        user = accounts.create_user(
            full_name="Cô Hoa", password=PASSWORD, email=email, roles=(Role.TEACHER, Role.ADMIN)
        )
        db.session.commit()
        return int(user.id)


def user(user_id: int) -> Any:
    from portal.accounts.models import User

    return db.session.get(User, user_id)


def app_teacher(app: Any) -> Any:
    """The teacher the ``sync_app`` fixture made (in the current app context)."""
    return user(app.config["SEARCH_TEST_TEACHER"])


def committed_course(app: Any, title: str, **options: Any) -> tuple[int, list[int]]:
    """The ids of a course by the app's teacher and of its lessons, committed in an app
    context of its own."""
    with app.app_context():
        course = new_course(app_teacher(app), title, **options)
        db.session.commit()
        return course.id, [lesson.id for lesson in course.lessons]


def new_course(
    owner: Any,
    title: str,
    *,
    lessons: tuple[str, ...] = ("Bài mở đầu",),
    question: str | None = None,
    publish: bool = True,
) -> Any:
    """A course through the operations (one module), published unless told otherwise; with
    ``question``, the first lesson ends with a true/false quiz asking it."""
    from courses.courseware import operations as co

    course = co.create_course(owner, language="vi", title=title, summary="Tóm tắt")
    module = co.add_module(course, owner, title="Phần một")
    for lesson_title in lessons:
        co.add_lesson(module, owner, title=lesson_title)
    if question:
        quiz = co.add_quiz(module.lessons[0], owner, pass_mark=50)
        co.add_question(quiz, owner, kind="true_false", prompt=question, correct=True)
    if publish:
        co.submit(course, owner)
        co.publish(course, owner)
    return course


def new_resource(owner: Any, title: str, *, body: str = "Nội dung", publish: bool = True) -> Any:
    from courses.resources import operations as ro

    resource = ro.create_resource(
        owner,
        language="vi",
        title=title,
        summary="Tóm tắt",
        body=body,
        licence="cc-by",
        audience="citizen",
        level="beginner",
        subjects=("health",),
        author="Trạm Y tế xã",
    )
    if publish:
        ro.submit(resource, owner)
        ro.publish(resource, owner)
    return resource


def outbox(app: Flask) -> list[tuple[int, str]]:
    """Every outbox row, in id order (read in a fresh app context)."""
    with app.app_context():
        rows = db.session.execute(sa.text("SELECT id, root FROM search_outbox ORDER BY id"))
        return [(int(number), root) for number, root in rows]


def documents(store: IndexStore) -> dict[str, dict[str, Any]]:
    """The stored fields of every document of ``store``'s live index, by key (no state)."""
    with store.searcher() as searcher:
        return {
            fields["key"]: fields
            for fields in searcher.all_stored_fields()
            if fields["key"] != "~state"
        }


def keys(app: Flask) -> set[str]:
    return set(documents(service(app).store))


def cursor_of(store: IndexStore) -> int:
    with store.searcher() as searcher:
        return int(read_state(searcher)["cursor"])


def found(app: Flask, text: str, **filters: str) -> set[str]:
    """The keys of the documents a visitor finds for ``text``."""
    with app.app_context():
        return {hit.key for hit in service(app).search(text, filters=filters, per_page=100).hits}


@contextlib.contextmanager
def other_host(app: Flask, folder: Path, name: str, **overrides: Any) -> Iterator[Flask]:
    """Another web host on ``app``'s database, with its own index in ``folder``."""
    other = make_app(
        app.config["SQLALCHEMY_DATABASE_URI"],
        folder / "instance",
        PORTAL_SEARCH_DIR=str(folder / "search"),
        PORTAL_SEARCH_HOST=name,
        **overrides,
    )
    try:
        yield other
    finally:
        service(other).stop()
        thread = service(other)._thread
        if thread is not None:
            thread.join(10)
        service(other).store.close()
        with other.app_context():
            db.engine.dispose()


def check(app: Flask) -> Any:
    """``service.check()`` in a fresh app context."""
    with app.app_context():
        return service(app).check()
