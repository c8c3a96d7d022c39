"""How many SQL statements a learner's request sends: a guard against lazy loads and repeated
queries creeping back into the hot pages (a lesson page, a completion). Counted on the test's
connection with a SQLAlchemy event, through the test client, on both backends.

Every request here runs inside a SAVEPOINT ... RELEASE pair (the test's transaction; in
production that is the driver's BEGIN and COMMIT, which the event does not see), so two of
each figure are that pair.

Before the course tree was loaded in one go (modules, lessons, quizzes, texts) and the done
lessons computed once: 22 statements for a first lesson visit, 20 for a completion, and more
with every module and lesson of the course."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from courses.learning import operations
from portal.extensions import db as _db

# Savepoint, user, course (with its titles, modules, lessons and quizzes), enrolment, done
# lessons, the texts of this lesson and the next and previous, the lesson's resources, the
# user's roles (menu), release.
MOST_PER_LESSON_PAGE = 9
# The first visit, or one 10 minutes later, also notes where to resume: savepoint, UPDATE,
# release.
MOST_PER_FIRST_LESSON_VISIT = MOST_PER_LESSON_PAGE + 3
# Savepoint, user, course (with its titles, modules, lessons and quizzes), enrolment (locked),
# credited time, done lessons, record() (5), enrolment UPDATE (where to resume), release.
MOST_PER_COMPLETION = 13
# Savepoint, user, course (with modules, lessons, quizzes), its texts, lesson and module
# titles, enrolment, done lessons, prerequisites, roles, release.
MOST_PER_COURSE_PAGE = 11
# Savepoint, user, course (with its titles, modules, lessons and quizzes), enrolment, the
# lesson's texts, questions, their texts, attempts, roles, release.
MOST_PER_QUIZ_PAGE = 10


@contextlib.contextmanager
def counted() -> Iterator[list[str]]:
    """The SQL sent on the session's connection inside the block."""
    sent: list[str] = []
    connection = _db.session.connection()

    def count(_conn, _cursor, sql, *_args) -> None:  # type: ignore[no-untyped-def]
        sent.append(" ".join(sql.split())[:200])

    sa.event.listen(connection, "before_cursor_execute", count)
    try:
        yield sent
    finally:
        sa.event.remove(connection, "before_cursor_execute", count)


@pytest.fixture(params=[(2, 3), (4, 6)], ids=["6-lessons", "24-lessons"])
def taking(request, db, make_course, learner, sign_in):
    """An enrolled, signed-in learner and a course of the given size; nothing loaded in the
    session (each request starts cold, as in production)."""
    modules, lessons = request.param
    course = make_course(modules=modules, lessons=lessons)
    sign_in(learner)
    operations.enrol(learner, course)
    ids = course.id, [lesson.id for lesson in course.lessons], course.lessons[-1].quiz.id
    db.session.expunge_all()
    return ids


def test_a_lesson_page(client, taking):
    course_id, lesson_ids, _quiz = taking
    path = f"/courses/{course_id}/lessons/{lesson_ids[1]}"
    with counted() as sent:
        page = client.get(path)
    assert page.status_code == 200
    assert "Nội dung bài 2" in page.get_data(as_text=True)
    assert "Bài 1.1" in page.get_data(as_text=True) and "Bài 1.3" in page.get_data(as_text=True)
    assert f'action="{path}/complete"' in page.get_data(as_text=True)
    assert len(sent) <= MOST_PER_FIRST_LESSON_VISIT, sent
    with counted() as sent:
        assert client.get(path).status_code == 200
    assert len(sent) <= MOST_PER_LESSON_PAGE, sent


def test_a_lesson_completion(client, taking):
    course_id, lesson_ids, _quiz = taking
    for lesson_id in lesson_ids[:2]:
        with counted() as sent:
            response = client.post(
                f"/courses/{course_id}/lessons/{lesson_id}/complete",
                data={"served": "", "active_seconds": ""},
            )
        assert response.status_code == 302
        assert len(sent) <= MOST_PER_COMPLETION, sent
        assert sum(s.startswith("INSERT INTO learning_statements") for s in sent) == 1
        # The done lessons are read once (they were read twice) and the enrolment once.
        assert sum(s.startswith("SELECT learning_statements.activity_iri") for s in sent) == 1
        assert sum(s.startswith("SELECT enrolments.") for s in sent) == 1
    page = client.get(f"/courses/{course_id}?lang=en").get_data(as_text=True)
    assert f"2 of {len(lesson_ids)} lessons done" in page


def test_the_course_page(client, taking):
    course_id, lesson_ids, _quiz = taking
    with counted() as sent:
        page = client.get(f"/courses/{course_id}?lang=en")
    assert page.status_code == 200
    assert f"0 of {len(lesson_ids)} lessons done" in page.get_data(as_text=True)
    assert len(sent) <= MOST_PER_COURSE_PAGE, sent


def test_a_quiz_page(client, taking):
    course_id, _lessons, quiz_id = taking
    path = f"/courses/{course_id}/quizzes/{quiz_id}"
    assert client.post(path, data={"start": "1"}).status_code == 302
    with counted() as sent:
        page = client.get(path)
    assert page.status_code == 200
    assert "Mật khẩu nào mạnh nhất?" in page.get_data(as_text=True)
    assert len(sent) <= MOST_PER_QUIZ_PAGE, sent


def test_attached_resources_cost_the_same_however_many(client, db, course_with_media):
    course_id, lesson_id, titles = course_with_media
    with counted() as sent:
        page = client.get(f"/courses/{course_id}/lessons/{lesson_id}")
    assert page.status_code == 200
    assert all(title in page.get_data(as_text=True) for title in titles)
    # The links, their resources, revisions and files: three queries more than none.
    assert len(sent) <= MOST_PER_FIRST_LESSON_VISIT + 3, sent


@pytest.fixture
def course_with_media(db, make_course, learner, sign_in, teacher):
    """A lesson with three published resources attached, each with a file."""
    import io

    from courses.courseware import models as cw
    from courses.resources import operations as resources

    course = make_course(modules=1, lessons=2)
    lesson = course.lessons[0]
    titles = [f"Tài liệu {n}" for n in range(3)]
    for n, title in enumerate(titles):
        resource = resources.create_resource(
            teacher,
            language="vi",
            title=title,
            summary="Tóm tắt.",
            body="Nội dung.",
            licence="cc-by",
            audience="citizen",
            level="beginner",
            subjects=["health"],
            author="Trạm Y tế xã",
            source="",
        )
        resources.add_attachment(
            resource, teacher, io.BytesIO(b"ID3" + b"\x00" * 64), f"bai{n}.mp3", max_bytes=10_000
        )
        resources.submit(resource, teacher)
        resources.publish(resource, teacher)
        lesson.resources.append(cw.LessonResource(resource_id=resource.id, position=n))
    sign_in(learner)
    operations.enrol(learner, course)
    db.session.flush()
    ids = course.id, lesson.id, titles
    db.session.expunge_all()
    return ids
