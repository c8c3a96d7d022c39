"""The outbox: a row per changed search root, in the transaction that changed the content, and
the index following it (real commits on a scratch database per test, both backends)."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from courses.courseware import models as cw
from courses.courseware import operations as co
from courses.resources import models as rm
from courses.resources import operations as ro
from portal.extensions import db
from tests.search_sync.support import (
    app_teacher,
    check,
    committed_course,
    documents,
    found,
    keys,
    new_course,
    new_resource,
    outbox,
    service,
)

_course = committed_course


def _resource(app, title, **options):
    with app.app_context():
        resource = new_resource(app_teacher(app), title, **options)
        db.session.commit()
        return resource.id


# --- one row per root, in the same transaction ---------------------------------------------


def test_a_committed_course_writes_one_row_for_its_root_and_is_indexed(sync_app):
    before = outbox(sync_app)
    course_id, [lesson_id] = _course(sync_app, "Nuôi ong mật", lessons=("Chăm sóc tổ ong",))
    # A course, its text, a module, a lesson and their texts changed: one root, one row.
    assert [root for _, root in outbox(sync_app)[len(before) :]] == [f"course:{course_id}"]
    assert keys(sync_app) == {f"course:{course_id}:vi", f"lesson:{lesson_id}:vi"}
    assert found(sync_app, "nuoi ong") == {f"course:{course_id}:vi"}
    assert found(sync_app, "cham soc to") == {f"lesson:{lesson_id}:vi"}
    assert check(sync_app).ok


def test_one_commit_touching_two_roots_writes_one_row_each(sync_app):
    with sync_app.app_context():
        owner = app_teacher(sync_app)
        course = new_course(owner, "Trồng lúa", publish=False)
        resource = new_resource(owner, "Phân bón hữu cơ", publish=False)
        db.session.flush()
        course.translations[0].title = "Trồng lúa nước"
        db.session.commit()
        roots = {f"course:{course.id}", f"resource:{resource.id}"}
    assert sorted(root for _, root in outbox(sync_app)) == sorted(roots)


def test_a_rolled_back_change_writes_no_row_and_leaves_the_index_unchanged(sync_app):
    course_id, _ = _course(sync_app, "Nuôi ong mật")
    resource_id = _resource(sync_app, "Rửa tay đúng cách", publish=False)
    rows, index = outbox(sync_app), documents(service(sync_app).store)
    with sync_app.app_context():
        owner = app_teacher(sync_app)
        course = db.session.get(cw.Course, course_id)
        co.save_course_text(
            course, owner, language="vi", title="Tiêu đề bỏ đi", summary="", description=""
        )
        resource = db.session.get(rm.Resource, resource_id)
        ro.submit(resource, owner)
        ro.publish(resource, owner)
        db.session.rollback()
    assert outbox(sync_app) == rows
    assert documents(service(sync_app).store) == index
    assert found(sync_app, "bo di") == set() and found(sync_app, "rua tay") == set()
    assert check(sync_app).ok


def test_a_change_committed_without_an_explicit_flush_still_writes_its_row(sync_app):
    """The commit's own flush comes after ``before_commit``: the outbox must see it too."""
    course_id, _ = _course(sync_app, "Nuôi ong mật")
    with sync_app.app_context():
        db.session.get(cw.Course, course_id).translations[0].title = "Nuôi gà thả vườn"
        db.session.commit()  # no flush before: the change is still only in the session
    assert outbox(sync_app)[-1][1] == f"course:{course_id}"
    assert found(sync_app, "ga tha vuon") == {f"course:{course_id}:vi"}
    assert check(sync_app).ok


def test_a_savepoint_rolled_back_does_not_forget_the_transactions_changes(sync_app):
    """A view that tries an insert in a savepoint (two clicks at once) and catches the
    IntegrityError must not lose the outbox row of what it changed before."""
    course_id, _ = _course(sync_app, "Nuôi ong mật")
    with sync_app.app_context():
        owner = app_teacher(sync_app)
        course = db.session.get(cw.Course, course_id)
        co.save_course_text(
            course, owner, language="vi", title="Nuôi ong lấy mật", summary="", description=""
        )
        with pytest.raises(IntegrityError), db.session.begin_nested():
            db.session.add(cw.CourseTranslation(course_id=course_id, language="vi", title="x"))
            db.session.flush()
        db.session.commit()
    assert found(sync_app, "lay mat") == {f"course:{course_id}:vi"}
    assert check(sync_app).ok


def test_a_commit_made_while_a_savepoint_is_open_writes_the_rows_of_both(sync_app):
    course_id, _ = _course(sync_app, "Nuôi ong mật")
    other_id, _ = _course(sync_app, "Trồng lúa nước")
    rows = len(outbox(sync_app))
    with sync_app.app_context():
        db.session.get(cw.Course, course_id).translations[0].title = "Nuôi ong lấy mật"
        db.session.flush()
        db.session.begin_nested()
        db.session.get(cw.Course, other_id).translations[0].title = "Trồng lúa nếp"
        db.session.commit()  # commits the savepoint and the transaction
    assert sorted(root for _, root in outbox(sync_app)[rows:]) == sorted(
        [f"course:{course_id}", f"course:{other_id}"]
    )
    assert found(sync_app, "lay mat") == {f"course:{course_id}:vi"}
    assert found(sync_app, "lua nep") == {f"course:{other_id}:vi"}


def test_a_published_resource_writes_its_row_and_becomes_searchable(sync_app):
    resource_id = _resource(sync_app, "Rửa tay đúng cách", publish=False)
    assert outbox(sync_app)[-1][1] == f"resource:{resource_id}"
    assert found(sync_app, "rua tay") == set()  # a draft has no document
    rows = len(outbox(sync_app))
    with sync_app.app_context():
        resource = db.session.get(rm.Resource, resource_id)
        ro.submit(resource, app_teacher(sync_app))
        ro.publish(resource, app_teacher(sync_app))
        db.session.commit()
    assert [root for _, root in outbox(sync_app)[rows:]] == [f"resource:{resource_id}"]
    assert found(sync_app, "rua tay") == {f"resource:{resource_id}:vi"}


def test_an_edited_lesson_translation_writes_its_courses_row(sync_app):
    course_id, [lesson_id] = _course(sync_app, "Nuôi ong mật", lessons=("Chăm sóc tổ ong",))
    rows = len(outbox(sync_app))
    with sync_app.app_context():
        text = db.session.scalars(
            sa.select(cw.LessonTranslation).where(cw.LessonTranslation.lesson_id == lesson_id)
        ).one()
        text.title = "Chia đàn ong"  # the translation alone: the course row is not touched
        db.session.commit()
    assert [root for _, root in outbox(sync_app)[rows:]] == [f"course:{course_id}"]
    assert found(sync_app, "chia dan") == {f"lesson:{lesson_id}:vi"}
    assert found(sync_app, "cham soc") == set()


def test_a_question_deleted_as_an_orphan_writes_its_courses_row(sync_app):
    course_id, [lesson_id] = _course(sync_app, "Nuôi ong mật", question="Ong chúa đẻ trứng?")
    assert found(sync_app, "trung") == {f"lesson:{lesson_id}:vi"}
    rows = len(outbox(sync_app))
    with sync_app.app_context():
        quiz = db.session.scalars(sa.select(cw.Quiz).where(cw.Quiz.lesson_id == lesson_id)).one()
        quiz.questions.remove(quiz.questions[0])  # delete-orphan, nothing else touched
        db.session.commit()
        assert db.session.scalar(sa.select(sa.func.count(cw.Question.id))) == 0
    assert [root for _, root in outbox(sync_app)[rows:]] == [f"course:{course_id}"]
    assert found(sync_app, "trung") == set()
    assert check(sync_app).ok


def test_enrolment_and_lesson_completion_write_no_row(sync_app):
    from courses.learning import operations as learning
    from portal.accounts import operations as accounts

    course_id, [lesson_id] = _course(sync_app, "Nuôi ong mật")
    rows = outbox(sync_app)
    with sync_app.app_context():
        learner = accounts.create_user(full_name="Anh Ba", password="x" * 16, email="ba@ex.vn")
        course = db.session.get(cw.Course, course_id)
        enrolment = learning.enrol(learner, course)
        learning.complete_lesson(enrolment, db.session.get(cw.Lesson, lesson_id))
        db.session.commit()
    assert outbox(sync_app) == rows


# --- what the index holds follows what is public --------------------------------------------


def test_an_unpublished_course_leaves_the_index_with_its_lessons(sync_app):
    course_id, _ = _course(sync_app, "Nuôi ong mật")
    kept_id, [kept_lesson] = _course(sync_app, "Trồng lúa nước")
    with sync_app.app_context():
        course = db.session.get(cw.Course, course_id)
        course.status, course.published_at = cw.CourseStatus.DRAFT, None
        db.session.commit()
    assert keys(sync_app) == {f"course:{kept_id}:vi", f"lesson:{kept_lesson}:vi"}
    assert found(sync_app, "nuoi ong") == set()
    assert check(sync_app).ok


def test_an_archived_course_keeps_its_document_but_its_lessons_leave(sync_app):
    course_id, [lesson_id] = _course(sync_app, "Nuôi ong mật", lessons=("Chia đàn ong",))
    assert f"lesson:{lesson_id}:vi" in keys(sync_app)
    with sync_app.app_context():
        co.archive(db.session.get(cw.Course, course_id), app_teacher(sync_app))
        db.session.commit()
    assert keys(sync_app) == {f"course:{course_id}:vi"}
    assert found(sync_app, "chia dan") == set()
    assert check(sync_app).ok


def test_a_deleted_course_and_a_deleted_resource_leave_the_index(sync_app):
    course_id, _ = _course(sync_app, "Nuôi ong mật")
    resource_id = _resource(sync_app, "Rửa tay đúng cách")
    kept = _resource(sync_app, "Rửa rau sạch")
    assert f"resource:{resource_id}:vi" in keys(sync_app)
    with sync_app.app_context():
        db.session.delete(db.session.get(cw.Course, course_id))
        db.session.delete(db.session.get(rm.Resource, resource_id))
        db.session.commit()
    assert keys(sync_app) == {f"resource:{kept}:vi"}
    assert check(sync_app).ok


def test_a_resources_draft_edits_reach_the_index_only_when_republished(sync_app):
    resource_id = _resource(sync_app, "Rửa tay đúng cách")
    with sync_app.app_context():
        resource = db.session.get(rm.Resource, resource_id)
        ro.save_translation(
            resource, app_teacher(sync_app), language="vi", title="Rửa tay bằng xà phòng",
            summary="", body="Bản nháp",
        )  # fmt: skip
        db.session.commit()
    # The edit wrote a row (the resource changed) but the public text is still version 1.
    assert outbox(sync_app)[-1][1] == f"resource:{resource_id}"
    assert found(sync_app, "xa phong") == set()
    assert found(sync_app, "dung cach") == {f"resource:{resource_id}:vi"}
    assert check(sync_app).ok
    with sync_app.app_context():
        resource = db.session.get(rm.Resource, resource_id)
        ro.submit(resource, app_teacher(sync_app))
        ro.publish(resource, app_teacher(sync_app))
        db.session.commit()
    assert found(sync_app, "xa phong") == {f"resource:{resource_id}:vi"}
    assert found(sync_app, "dung cach") == set()


# --- outbox ids become visible in id order ---------------------------------------------------


def test_a_follower_never_sees_an_outbox_id_before_the_ones_below_it(sync_app):
    """Writer A inserts its outbox row and holds its transaction open at the commit; writer B
    (its own session and connection) must wait for A before it gets an id and commits: on
    PostgreSQL on the advisory lock, on SQLite on the write lock. A follower polling the
    outbox meanwhile only ever sees an unbroken run of ids."""
    first, _ = _course(sync_app, "Nuôi ong mật")
    second, _ = _course(sync_app, "Trồng lúa nước")
    start = [number for number, _ in outbox(sync_app)]
    a_holds, release, b_done, stop = (threading.Event() for _ in range(4))
    errors: list[BaseException] = []
    seen: list[list[int]] = []

    def hold(_connection):
        if threading.current_thread().name == "writer-a" and not a_holds.is_set():
            a_holds.set()
            release.wait(10)

    def write(course_id, title, done=None):
        try:
            with sync_app.test_request_context(method="POST"):
                course = db.session.get(cw.Course, course_id)
                co.save_course_text(
                    course, app_teacher(sync_app), language="vi", title=title, summary="",
                    description="",
                )  # fmt: skip
                db.session.commit()
            if done:
                done.set()
        except BaseException as exc:  # reported below
            errors.append(exc)

    def follow():
        with sync_app.app_context():
            while not stop.is_set():
                with db.engine.connect() as connection:
                    seen.append(
                        list(
                            connection.scalars(sa.text("SELECT id FROM search_outbox ORDER BY id"))
                        )
                    )

    with sync_app.app_context():
        engine = db.engine
    writer_a = threading.Thread(target=write, args=(first, "Ong A"), name="writer-a")
    writer_b = threading.Thread(target=write, args=(second, "Lúa B", b_done), name="writer-b")
    follower = threading.Thread(target=follow)
    sa.event.listen(engine, "commit", hold)
    try:
        writer_a.start()
        assert a_holds.wait(10)
        writer_b.start()
        follower.start()
        # B cannot commit (nor take an id) while A holds its transaction open.
        assert not b_done.wait(0.5)
        assert outbox(sync_app)[-1][0] == start[-1]
    finally:
        release.set()
        for thread in (writer_a, writer_b):
            if thread.is_alive():
                thread.join(10)
        stop.set()
        if follower.is_alive():
            follower.join(10)
        sa.event.remove(engine, "commit", hold)
    assert errors == []
    rows = outbox(sync_app)[len(start) :]
    assert [root for _, root in rows] == [f"course:{first}", f"course:{second}"]
    new = [number for number, _ in rows]
    assert seen and all(ids == start + new[: len(ids) - len(start)] for ids in seen)
    assert found(sync_app, "ong a") >= {f"course:{first}:vi"}
    assert f"course:{second}:vi" in found(sync_app, "lua b")
