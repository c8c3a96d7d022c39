"""The learner's pages through the test client."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from courses.learning import operations
from courses.learning.models import Enrolment, QuizAttempt
from courses.records.models import Statement
from portal.extensions import db as _db


def text(response):
    return response.get_data(as_text=True)


@pytest.fixture(autouse=True)
def english_interface(client):
    """The interface in English, whose strings these tests look for (Vietnamese, the
    default and the learners' saved language, is translated); the courses stay Vietnamese."""
    client.set_cookie("lang", "en")


@pytest.fixture
def course(make_course):
    return make_course(modules=1, lessons=2)


@pytest.fixture
def enrolled(course, learner, sign_in):
    sign_in(learner)
    return operations.enrol(learner, course)


# --- catalogue ----------------------------------------------------------------------------


def test_catalogue_lists_published_courses_only(client, db, make_course):
    make_course(title="Khóa công khai", subjects=",digital,")
    make_course(title="Khóa nháp", status="draft")
    make_course(title="Khóa lưu trữ", status="archived")
    page = text(client.get("/courses"))
    assert "Khóa công khai" in page and "Khóa nháp" not in page and "Khóa lưu trữ" not in page
    assert "Khóa công khai" in text(client.get("/courses?subject=digital&language=vi"))
    assert "Khóa công khai" not in text(client.get("/courses?subject=law"))
    assert "Khóa công khai" not in text(client.get("/courses?kind=cohort"))


@pytest.mark.parametrize(
    "query", ["?page=-3", "?page=abc", "?page=99999", "?subject=%00", "?kind=x&level=y&language=zz"]
)
def test_catalogue_ignores_junk(client, db, query):
    assert client.get("/courses" + query).status_code == 200


def test_catalogue_shows_the_title_in_the_readers_language(client, db, make_course):
    from courses.courseware import models as cw

    course = make_course(title="Kỹ năng số")
    course.translations.append(cw.CourseTranslation(language="en", title="Digital skills"))
    _db.session.flush()
    assert "Digital skills" in text(client.get("/courses?lang=en"))
    assert "Kỹ năng số" in text(client.get("/courses?lang=vi"))


# --- course page --------------------------------------------------------------------------


def test_course_page_for_a_visitor(client, db, course):
    page = text(client.get(f"/courses/{course.id}"))
    assert "Kỹ năng số cơ bản" in page and "Bài 1.1" in page and "Sign in to enrol" in page


def test_course_page_notes_a_missing_language_and_links_the_others(client, db, course):
    page = text(client.get(f"/courses/{course.id}?lang=en"))
    assert "is not available in English" in page
    assert "Also in" not in page  # only Vietnamese exists, and it is shown


def test_drafts_404_except_to_editors_and_reviewers(
    client, db, make_course, make_user, sign_in, teacher
):
    draft = make_course(status="draft")
    lesson = draft.lessons[0]
    assert client.get(f"/courses/{draft.id}").status_code == 404
    assert client.get(f"/courses/{draft.id}/lessons/{lesson.id}").status_code == 404
    sign_in(make_user())
    assert client.get(f"/courses/{draft.id}").status_code == 404
    assert client.post(f"/courses/{draft.id}/enrol").status_code == 404
    client.post("/sign-out")
    sign_in(make_user(roles=("reviewer",), scopes={"reviewer": ("province", "01")}))
    assert client.get(f"/courses/{draft.id}").status_code == 200
    client.post("/sign-out")
    sign_in(teacher)
    assert client.get(f"/courses/{draft.id}/lessons/{lesson.id}").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/courses/999999",
        "/courses/999999/lessons/1",
        "/courses/{c}/lessons/999999",
        "/courses/{c}/lessons/{other}",
        "/courses/{c}/quizzes/999999",
        "/courses/{c}/quizzes/{q}/attempts/999",
    ],
)
def test_junk_ids_answer_404(client, db, course, make_course, enrolled, path):
    other = make_course()
    path = path.format(c=course.id, other=other.lessons[0].id, q=course.lessons[-1].quiz.id)
    assert client.get(path).status_code == 404


def test_enrol_resume_and_progress(client, db, course, learner, sign_in):
    sign_in(learner)
    response = client.post(f"/courses/{course.id}/enrol")
    assert response.status_code == 302
    page = text(client.get(f"/courses/{course.id}"))
    assert "0 of 2 lessons done" in page and "Start the first lesson" in page
    first, second = course.lessons
    resume = client.get(f"/courses/{course.id}/resume")
    assert resume.headers["Location"].endswith(f"/courses/{course.id}/lessons/{first.id}")
    done = client.post(
        f"/courses/{course.id}/lessons/{first.id}/complete",
        data={"served": "", "active_seconds": ""},
    )
    assert done.headers["Location"].endswith(f"/lessons/{second.id}")
    page = text(client.get(f"/courses/{course.id}"))
    assert "1 of 2 lessons done" in page and "✓" in page
    resume = client.get(f"/courses/{course.id}/resume")
    assert resume.headers["Location"].endswith(f"/lessons/{second.id}")


def test_enrol_refused_with_a_message_when_prerequisites_are_unmet(
    client, db, make_course, learner, sign_in
):
    from courses.courseware import models as cw

    basics, course = make_course(title="Cơ bản"), make_course(title="Nâng cao")
    course.prerequisites.append(cw.CoursePrerequisite(required_course_id=basics.id))
    _db.session.flush()
    sign_in(learner)
    page = text(client.get(f"/courses/{course.id}"))
    assert "Cơ bản" in page and "not completed yet" in page
    response = client.post(f"/courses/{course.id}/enrol", follow_redirects=True)
    assert "Complete the courses this one requires" in text(response)
    assert _db.session.scalar(sa.select(Enrolment).where(Enrolment.user_id == learner.id)) is None


def test_withdraw_asks_then_withdraws(client, db, course, enrolled):
    confirm = client.post(f"/courses/{course.id}/withdraw")
    assert confirm.status_code == 200 and "Yes, withdraw" in text(confirm)
    assert enrolled.status == "active"
    client.post(f"/courses/{course.id}/withdraw", data={"confirm": "yes"})
    _db.session.refresh(enrolled)
    assert enrolled.status == "withdrawn"
    assert "Enrol" in text(client.get(f"/courses/{course.id}"))
    assert client.get(f"/courses/{course.id}/resume").status_code == 302


# --- lessons ------------------------------------------------------------------------------


def test_lesson_for_a_learner_has_the_completion_form_and_script(client, db, course, enrolled):
    lesson = course.lessons[0]
    page = text(client.get(f"/courses/{course.id}/lessons/{lesson.id}"))
    assert 'name="served"' in page and 'name="active_seconds"' in page
    assert "time-on-task.js" in page and "<script>" not in page
    assert "Next: Bài 1.2" in page
    _db.session.refresh(enrolled)
    assert enrolled.last_lesson_id == lesson.id


def test_lesson_for_a_reader_who_is_not_enrolled(client, db, course, learner, sign_in):
    lesson = course.lessons[1]
    for who in (None, learner):
        if who:
            sign_in(who)
        page = text(client.get(f"/courses/{course.id}/lessons/{lesson.id}"))
        assert "Nội dung bài 2" in page and "enrol to keep track" in page
        assert 'name="served"' not in page
        assert "Take the quiz" in page


def test_lessons_of_a_cohort_open_on_its_start_date(client, db, make_course, learner, sign_in):
    course = make_course(kind="cohort", starts_on=date.today() + timedelta(days=5))
    sign_in(learner)
    assert "The lessons open on" in text(client.get(f"/courses/{course.id}"))
    response = client.get(
        f"/courses/{course.id}/lessons/{course.lessons[0].id}", follow_redirects=True
    )
    assert "not open to you now" in text(response)


def test_archived_course_lessons_stay_open_to_enrolled_learners(
    client, db, course, enrolled, make_user, sign_in
):
    course.status = "archived"
    _db.session.flush()
    lesson = course.lessons[0]
    assert client.get(f"/courses/{course.id}/lessons/{lesson.id}").status_code == 200
    client.post("/sign-out")
    sign_in(make_user())
    assert client.get(f"/courses/{course.id}/lessons/{lesson.id}").status_code == 302
    assert "archived" in text(client.get(f"/courses/{course.id}"))


@pytest.mark.parametrize(
    "data",
    [
        {"served": "forged.token.x", "active_seconds": "9999"},
        {"served": "", "active_seconds": "-5"},
        {"served": "x" * 5000, "active_seconds": "1e9"},
        {"active_seconds": "١٢٣"},
        {},
    ],
)
def test_junk_completion_forms_credit_the_estimate(client, db, course, enrolled, data):
    lesson = course.lessons[0]
    response = client.post(f"/courses/{course.id}/lessons/{lesson.id}/complete", data=data)
    assert response.status_code == 302
    [ms] = _db.session.scalars(
        sa.select(Statement.duration_ms).where(Statement.user_id == enrolled.user_id)
    )
    assert ms == 600_000


def test_completion_with_a_valid_token_credits_measured_time(client, db, course, enrolled):
    lesson = course.lessons[0]
    served = operations.served_token(enrolled.user_id, lesson.id)
    client.post(
        f"/courses/{course.id}/lessons/{lesson.id}/complete",
        data={"served": served, "active_seconds": "40"},
    )
    [ms] = _db.session.scalars(
        sa.select(Statement.duration_ms).where(Statement.user_id == enrolled.user_id)
    )
    assert (ms or 0) <= 5_000  # the page was served just now: at most the wall time since


def test_an_idle_reader_with_javascript_is_credited_nothing(client, db, course, enrolled):
    lesson = course.lessons[0]
    served = operations.served_token(enrolled.user_id, lesson.id)
    client.post(
        f"/courses/{course.id}/lessons/{lesson.id}/complete",
        data={"served": served, "active_seconds": "0"},
    )
    [ms] = _db.session.scalars(
        sa.select(Statement.duration_ms).where(Statement.user_id == enrolled.user_id)
    )
    assert ms is None


def test_time_beacon(client, db, course, enrolled):
    lesson = course.lessons[0]
    url = f"/courses/{course.id}/lessons/{lesson.id}/time"
    served = operations.served_token(enrolled.user_id, lesson.id)
    assert client.post(url, data={"served": served, "active_seconds": "3"}).status_code == 204
    assert client.post(url, data={"served": "junk", "active_seconds": "3"}).status_code == 400
    assert client.post(url, data={"served": served, "active_seconds": "abc"}).status_code == 400


def test_not_enrolled_learners_cannot_post_progress(client, db, course, learner, sign_in):
    sign_in(learner)
    lesson = course.lessons[0]
    response = client.post(f"/courses/{course.id}/lessons/{lesson.id}/complete")
    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"/courses/{course.id}"
    )
    assert client.get(f"/courses/{course.id}/quizzes/{lesson.id}").status_code == 302
    assert _db.session.scalars(sa.select(Statement)).all() == []


# --- quizzes ------------------------------------------------------------------------------


def take_quiz(client, course, answers):
    quiz = course.lessons[-1].quiz
    url = f"/courses/{course.id}/quizzes/{quiz.id}"
    intro = text(client.get(url))
    assert "Start the quiz" in intro
    client.post(url, data={"start": "1"})
    page = text(client.get(url))
    assert "Question 1" in page and "Mật khẩu nào mạnh nhất?" in page
    single, true_false = quiz.questions
    data = {"attempt": "1"}
    data.update(
        {
            f"q{q.id}": answers[i]
            for i, q in enumerate((single, true_false))
            if answers[i] is not None
        }
    )
    return client.post(url, data=data)


@pytest.mark.parametrize(
    ("mode", "shown", "hidden"),
    [
        ("full", ["Correct", "The correct answer:", "Dài và khó đoán."], []),
        ("result", ["Correct", "Not correct"], ["The correct answer:", "Dài và khó đoán."]),
        ("none", ["Score: 50%"], ["Not correct", "The correct answer:"]),
    ],
)
def test_answering_and_feedback_modes(client, db, course, enrolled, mode, shown, hidden):
    course.lessons[-1].quiz.feedback = mode
    _db.session.flush()
    response = take_quiz(client, course, ["b", "false"])
    assert response.status_code == 302 and response.headers["Location"].endswith("/attempts/1")
    page = text(client.get(response.headers["Location"]))
    assert "Passed." in page
    for words in shown:
        assert words in page, words
    for words in hidden:
        assert words not in page, words


def test_resubmitting_an_attempt_is_refused(client, db, course, enrolled):
    take_quiz(client, course, ["b", None])
    quiz = course.lessons[-1].quiz
    again = client.post(
        f"/courses/{course.id}/quizzes/{quiz.id}", data={"attempt": "1"}, follow_redirects=True
    )
    assert "submitted already" in text(again)
    assert len(_db.session.scalars(sa.select(QuizAttempt)).all()) == 1


def test_attempt_limit_shows_a_clear_message(client, db, course, enrolled):
    quiz = course.lessons[-1].quiz
    quiz.max_attempts = 1
    _db.session.flush()
    take_quiz(client, course, [None, None])
    url = f"/courses/{course.id}/quizzes/{quiz.id}"
    assert "used every attempt" in text(client.get(url))
    assert "used every attempt" in text(
        client.post(url, data={"start": "1"}, follow_redirects=True)
    )


@pytest.mark.parametrize(
    "data",
    [
        {"attempt": "abc"},
        {"attempt": "1", "q1": "x" * 5000},
        {"attempt": "1", "q999999": "a"},
        {"attempt": "1", "q1": ["a", "b", "c"]},
    ],
)
def test_junk_answers_never_fail(client, db, course, enrolled, data):
    quiz = course.lessons[-1].quiz
    url = f"/courses/{course.id}/quizzes/{quiz.id}"
    client.post(url, data={"start": "1"})
    assert client.post(url, data=data).status_code == 302


def test_completing_the_course_through_the_pages(client, db, course, enrolled):
    for lesson in course.lessons:
        client.post(f"/courses/{course.id}/lessons/{lesson.id}/complete")
    take_quiz(client, course, ["b", "true"])
    _db.session.refresh(enrolled)
    assert enrolled.status == "completed" and enrolled.certificate_id
    page = text(client.get(f"/courses/{course.id}"))
    assert "You completed this course." in page and "See your certificate" in page


def test_every_kind_of_question_through_the_pages(
    client, db, quiz_course, add_question, learner, sign_in
):
    course, quiz = quiz_course()
    quiz.shuffle_options = True
    single = add_question(quiz, "single", {"correct": "a"}, option_keys=("a", "b"))
    multiple = add_question(quiz, "multiple", {"correct": ["a", "c"]}, option_keys=("a", "b", "c"))
    true_false = add_question(quiz, "true_false", {"correct": True})
    short = add_question(quiz, "short_text", {}, accepted=("Hà Nội",))
    numeric = add_question(quiz, "numeric", {"value": 3.5, "tolerance": 0.05})
    ordering = add_question(
        quiz,
        "ordering",
        {},
        option_keys=("x", "y", "z"),
        options={"x": "Một", "y": "Hai", "z": "Ba"},
    )
    sign_in(learner)
    operations.enrol(learner, course)
    url = f"/courses/{course.id}/quizzes/{quiz.id}"
    client.post(url, data={"start": "1"})
    page = text(client.get(url))
    assert (
        'type="checkbox"' in page
        and 'inputmode="decimal"' in page
        and f'name="q{ordering.id}-x"' in page
    )
    data = {
        "attempt": "1",
        f"q{single.id}": "a",
        f"q{multiple.id}": ["a", "c"],
        f"q{true_false.id}": "true",
        f"q{short.id}": " ha   NOI ",
        f"q{numeric.id}": "3,54",
        f"q{ordering.id}-x": "1",
        f"q{ordering.id}-y": "2",
        f"q{ordering.id}-z": "3",
    }
    response = client.post(url, data=data)
    attempt = _db.session.scalar(sa.select(QuizAttempt))
    assert attempt.score == 1.0, {r.question_id: r.response for r in attempt.responses}
    page = text(client.get(response.headers["Location"]))
    assert "Not correct" not in page and "Một; Hai; Ba" in page and "Hà Nội" in page
    client.post(url, data={"start": "1"})
    data[f"q{ordering.id}-z"] = "2"  # two items at position 2: not an order at all
    data[f"q{multiple.id}"] = ["a"]
    data["attempt"] = "2"
    client.post(url, data=data)
    second = _db.session.scalars(sa.select(QuizAttempt).order_by(QuizAttempt.id)).all()[1]
    assert {r.question_id for r in second.responses if not r.correct} == {ordering.id, multiple.id}


def test_attached_resources_play_in_the_lesson(client, db, course, teacher):
    import io

    from courses.courseware import models as cw
    from courses.resources import operations as resources

    resource = resources.create_resource(
        teacher,
        language="vi",
        title="Rửa tay đúng cách",
        summary="Sáu bước.",
        body="Làm ướt tay.",
        licence="cc-by",
        audience="citizen",
        level="beginner",
        subjects=["health"],
        author="Trạm Y tế xã",
        source="",
    )
    png = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
    image = resources.add_attachment(
        resource, teacher, io.BytesIO(png), "buoc.png", max_bytes=10_000
    )
    audio = resources.add_attachment(
        resource, teacher, io.BytesIO(b"ID3" + b"\x00" * 64), "bai.mp3", max_bytes=10_000
    )
    resources.submit(resource, teacher)
    resources.publish(resource, teacher)
    lesson = course.lessons[0]
    lesson.resources.append(cw.LessonResource(resource_id=resource.id, position=0))
    _db.session.flush()
    page = text(client.get(f"/courses/{course.id}/lessons/{lesson.id}"))
    assert "Rửa tay đúng cách" in page
    assert f'<audio controls preload="none" src="/resources/{resource.id}/files/{audio.id}"' in page
    assert (
        f'src="/resources/{resource.id}/files/{image.id}" alt="Rửa tay đúng cách: buoc.png"' in page
    )
