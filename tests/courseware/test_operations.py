"""Course authoring operations, called directly: every check and refusal, every kind of
question saved and read back, translations, co-authors, prerequisites and moderation."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

import pytest

from courses.courseware import operations as ops
from courses.courseware.models import Course, CourseStatus, Question
from courses.courseware.operations import CourseError


def refused(code: str):
    return pytest.raises(CourseError, match=f"^{code}$")


def course_with_lesson(new_course, teacher):
    course = new_course()
    module = ops.add_module(course, teacher, title="Phần 1")
    lesson = ops.add_lesson(module, teacher, title="Bài 1")
    return course, module, lesson


# --- the course ---------------------------------------------------------------------------


def test_a_new_course_is_a_draft_in_its_original_language(db, new_course, teacher):
    course = new_course(subjects=["agriculture", "environment"], min_score="60")
    db.session.expire_all()
    course = db.session.get(Course, course.id)
    assert course.status == CourseStatus.DRAFT and course.owner_id == teacher.id
    assert course.original_language == "vi" and course.kind == "self_paced"
    assert course.translation("vi").title == "Nuôi ong lấy mật"
    assert course.subject_codes == ["agriculture", "environment"]
    assert course.min_score == 60 and course.published_at is None
    assert course.editable_by(teacher)


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"title": "  "}, "no_title"),
        ({"title": "x" * 201}, "too_long"),
        ({"language": "xx"}, "bad_language"),
        ({"kind": "weekly"}, "bad_kind"),
        ({"level": "expert"}, "bad_level"),
        ({"audience": "aliens"}, "bad_audience"),
        ({"licence": "gpl"}, "bad_licence"),
        ({"subjects": ["health", "magic"]}, "bad_subject"),
        ({"kind": "cohort", "starts_on": date(2027, 1, 1)}, "no_dates"),
        (
            {"kind": "cohort", "starts_on": date(2027, 2, 1), "ends_on": date(2027, 1, 31)},
            "bad_dates",
        ),
        ({"kind": "vocational", "qf_level": 2, "nominal_hours": 40}, "no_occupation"),
        ({"kind": "vocational", "occupation": "Thợ hàn", "qf_level": 9}, "bad_qf_level"),
        ({"kind": "vocational", "occupation": "Thợ hàn", "qf_level": 0}, "bad_qf_level"),
        ({"kind": "vocational", "occupation": "Thợ hàn", "qf_level": 2}, "bad_hours"),
        (
            {"kind": "vocational", "occupation": "Thợ hàn", "qf_level": 2, "nominal_hours": "-1"},
            "bad_hours",
        ),
        (
            {"kind": "vocational", "occupation": "Thợ hàn", "qf_level": 2, "nominal_hours": "nan"},
            "bad_hours",
        ),
        ({"min_score": 101}, "bad_min_score"),
        ({"min_score": "abc"}, "bad_min_score"),
    ],
)
def test_bad_course_values_are_refused(db, teacher, fields, code):
    values = {"language": "vi", "title": "Khoá học"} | fields
    with refused(code):
        ops.create_course(teacher, **values)


def test_cohort_and_vocational_courses_keep_their_own_fields(db, new_course, teacher):
    cohort = new_course(kind="cohort", starts_on=date(2027, 1, 1), ends_on=date(2027, 1, 1))
    assert (cohort.starts_on, cohort.ends_on) == (date(2027, 1, 1), date(2027, 1, 1))
    vocational = new_course(
        kind="vocational", occupation=" Thợ  hàn ", qf_level="3", nominal_hours="120,5"
    )
    assert vocational.occupation == "Thợ hàn" and vocational.qf_level == 3
    assert vocational.nominal_hours == Decimal("120.50")
    # Switching kind clears the other kind's fields.
    ops.update_settings(vocational, teacher, kind="self_paced")
    assert vocational.occupation is None and vocational.nominal_hours is None
    ops.update_settings(cohort, teacher, min_score=None, issues_certificate=False)
    assert cohort.min_score is None and not cohort.issues_certificate
    assert cohort.starts_on == date(2027, 1, 1)  # untouched settings stay
    with pytest.raises(TypeError):
        ops.update_settings(cohort, teacher, owner_id=1)


def test_texts_in_other_languages_are_added_replaced_and_deleted(db, new_course, teacher):
    course = new_course()
    ops.save_course_text(
        course, teacher, language="en", title="Beekeeping", summary="", description="Bees."
    )
    ops.save_course_text(
        course, teacher, language="en", title=" Honey  bees ", summary="S", description="D"
    )
    assert course.translation("en").title == "Honey bees"
    with refused("bad_language"):
        ops.save_course_text(course, teacher, language="zz", title="T", summary="", description="")
    with refused("no_title"):
        ops.save_course_text(course, teacher, language="km", title="", summary="", description="")
    with refused("original_text"):
        ops.delete_text(course, course, teacher, "vi")
    with refused("no_text"):
        ops.delete_text(course, course, teacher, "km")
    ops.delete_text(course, course, teacher, "en")
    db.session.expire_all()
    assert [t.language for t in db.session.get(Course, course.id).translations] == ["vi"]


def test_deleting_a_course_is_for_its_owner_and_only_before_publication(
    db, new_course, teacher, make_user
):
    coauthor = make_user(roles=("teacher",))
    course = new_course()
    ops.add_coauthor(course, teacher, coauthor.sign_in_name)
    with refused("not_owner"):
        ops.delete_course(course, coauthor)
    published = new_course()
    published.published_at = published.created_at
    with refused("published_once"):
        ops.delete_course(published, teacher)
    course_id = course.id
    ops.delete_course(course, teacher)
    assert db.session.get(Course, course_id) is None


# --- modules, lessons and resources -------------------------------------------------------


def test_modules_and_lessons_are_added_moved_and_deleted(db, new_course, teacher):
    course = new_course()
    first = ops.add_module(course, teacher, title="Một")
    second = ops.add_module(course, teacher, title="Hai")
    a = ops.add_lesson(first, teacher, title="A")
    b = ops.add_lesson(first, teacher, title="B")
    c = ops.add_lesson(second, teacher, title="C")
    ops.move_module(second, teacher, -1)
    assert course.modules == [second, first] and [m.position for m in course.modules] == [0, 1]
    ops.move_module(second, teacher, -1)  # already first: nothing moves
    assert course.modules == [second, first]
    ops.move_lesson(b, teacher, -1)
    assert first.lessons == [b, a]
    ops.move_lesson(c, teacher, 1)  # past the end of its module: to the start of the next
    assert second.lessons == [] and first.lessons == [c, b, a]
    assert [lesson.position for lesson in first.lessons] == [0, 1, 2]
    ops.move_lesson(c, teacher, -1)  # and back to the end of the previous one
    assert second.lessons == [c]
    ops.save_module_text(first, teacher, language="vi", title="Phần một")
    ops.save_module_text(first, teacher, language="en", title="Part one")
    assert first.translation("vi").title == "Phần một"
    ops.save_lesson_text(a, teacher, language="en", title="A", body="**Bold**")
    with refused("no_title"):
        ops.add_lesson(first, teacher, title=" ")
    with refused("bad_minutes"):
        ops.update_lesson(a, teacher, estimated_minutes=0)
    ops.update_lesson(a, teacher, estimated_minutes="25")
    assert a.estimated_minutes == 25
    ops.delete_lesson(b, teacher)
    assert first.lessons == [a] and a.position == 0
    ops.delete_module(second, teacher)
    db.session.expire_all()
    course = db.session.get(Course, course.id)
    assert [m.translation("en").title for m in course.modules] == ["Part one"]
    assert course.modules[0].position == 0
    assert course.lessons[0].translation("en").body == "**Bold**"


def test_only_published_resources_are_attached_in_order(db, new_course, teacher):
    from courses.resources import operations as resource_ops

    def resource(published: bool):
        made = resource_ops.create_resource(
            teacher,
            language="vi",
            title="Tài liệu",
            licence="cc-by",
            audience="citizen",
            level="beginner",
            author="Xã",
        )
        if published:
            resource_ops.submit(made, teacher)
            resource_ops.publish(made, teacher)
        return made

    _, _, lesson = course_with_lesson(new_course, teacher)
    draft, first, second = resource(False), resource(True), resource(True)
    with refused("resource_not_published"):
        ops.attach_resource(lesson, teacher, draft)
    with refused("resource_not_published"):
        ops.attach_resource(lesson, teacher, None)
    ops.attach_resource(lesson, teacher, first)
    ops.attach_resource(lesson, teacher, second)
    with refused("already_attached"):
        ops.attach_resource(lesson, teacher, first)
    ops.move_resource(lesson, teacher, second.id, -1)
    assert [link.resource_id for link in lesson.resources] == [second.id, first.id]
    ops.detach_resource(lesson, teacher, second.id)
    with refused("not_attached"):
        ops.detach_resource(lesson, teacher, second.id)
    db.session.expire_all()
    assert [(r.resource_id, r.position) for r in lesson.resources] == [(first.id, 0)]


# --- quizzes and questions ----------------------------------------------------------------


def test_a_quiz_is_added_once_with_checked_settings(db, new_course, teacher):
    _, _, lesson = course_with_lesson(new_course, teacher)
    quiz = ops.add_quiz(lesson, teacher, pass_mark="80", max_attempts="", feedback="result")
    assert (quiz.pass_mark, quiz.max_attempts, quiz.feedback) == (80, None, "result")
    with refused("quiz_exists"):
        ops.add_quiz(lesson, teacher)
    settings = {"shuffle_questions": True, "shuffle_options": True, "feedback": "none"}
    for pass_mark, attempts, feedback, code in [
        (101, None, "none", "bad_pass_mark"),
        (-1, None, "none", "bad_pass_mark"),
        ("x", None, "none", "bad_pass_mark"),
        (50, 0, "none", "bad_max_attempts"),
        (50, None, "everything", "bad_feedback"),
    ]:
        with refused(code):
            ops.update_quiz(
                quiz,
                teacher,
                pass_mark=pass_mark,
                max_attempts=attempts,
                **settings | {"feedback": feedback},
            )
    ops.update_quiz(quiz, teacher, pass_mark=0, max_attempts=3, **settings)
    db.session.expire_all()
    assert (quiz.pass_mark, quiz.max_attempts, quiz.shuffle_options) == (0, 3, True)
    ops.delete_quiz(quiz, teacher)
    assert lesson.quiz is None


KINDS = [
    (
        "single",
        {"options": "Đỏ\nXanh\n\nVàng", "correct": "2"},
        ["a", "b", "c"],
        {"correct": "b"},
    ),
    (
        "multiple",
        {"options": ["Ong", "Bướm", "Ruồi"], "correct": "1, 3"},
        ["a", "b", "c"],
        {"correct": ["a", "c"]},
    ),
    ("true_false", {"correct": False}, [], {"correct": False}),
    ("true_false", {"correct": "true"}, [], {"correct": True}),
    (
        "short_text",
        {"accepted": "mật ong\nmat ong", "case_sensitive": True},
        [],
        {"case_sensitive": True, "accent_sensitive": False},
    ),
    ("numeric", {"value": "3,5", "tolerance": "0,1"}, [], {"value": 3.5, "tolerance": 0.1}),
    ("numeric", {"value": "-2", "tolerance": ""}, [], {"value": -2.0, "tolerance": 0.0}),
    ("ordering", {"options": "Một\nHai\nBa"}, ["a", "b", "c"], {}),
]


@pytest.mark.parametrize(("kind", "spec", "keys", "answer"), KINDS)
def test_every_kind_of_question_is_saved_as_the_models_say(
    db, new_course, teacher, kind, spec, keys, answer
):
    _, _, lesson = course_with_lesson(new_course, teacher)
    quiz = ops.add_quiz(lesson, teacher)
    question = ops.add_question(
        quiz, teacher, kind=kind, points="2", prompt="Câu hỏi?", explanation="Vì thế.", **spec
    )
    db.session.expire_all()
    saved = db.session.get(Question, question.id)
    assert (saved.kind, saved.points, saved.option_keys, saved.answer) == (kind, 2, keys, answer)
    text = saved.translation("vi")
    assert text.prompt == "Câu hỏi?" and text.explanation == "Vì thế."
    if keys:
        assert list(text.options) == keys and all(text.options.values())
    assert text.accepted == (["mật ong", "mat ong"] if kind == "short_text" else [])


@pytest.mark.parametrize(
    ("kind", "spec", "code"),
    [
        ("essay", {}, "bad_question_kind"),
        ("single", {"prompt": " ", "options": "a\nb", "correct": "1"}, "no_prompt"),
        ("single", {"options": "only one", "correct": "1"}, "too_few_options"),
        (
            "single",
            {"options": "\n".join(str(i) for i in range(21)), "correct": "1"},
            "too_many_options",
        ),
        ("single", {"options": "a\nb", "correct": "1, 2"}, "one_correct"),
        ("single", {"options": "a\nb", "correct": ""}, "one_correct"),
        ("single", {"options": "a\nb", "correct": "3"}, "bad_correct"),
        ("single", {"options": "a\nb", "correct": "b"}, "bad_correct"),
        ("multiple", {"options": "a\nb", "correct": " "}, "no_correct"),
        ("true_false", {"correct": None}, "no_true_false"),
        ("true_false", {"correct": "maybe"}, "no_true_false"),
        ("short_text", {"accepted": "\n  \n"}, "no_accepted"),
        ("numeric", {"value": "ba"}, "bad_number"),
        ("numeric", {"value": "inf"}, "bad_number"),
        ("numeric", {"value": "1", "tolerance": "-0.5"}, "bad_tolerance"),
        ("ordering", {"options": "one"}, "too_few_options"),
        ("single", {"options": "a\nb", "correct": "1", "points": 0}, "bad_points"),
        ("single", {"options": "a\nb", "correct": "1", "points": 101}, "bad_points"),
    ],
)
def test_bad_questions_are_refused(db, new_course, teacher, kind, spec, code):
    _, _, lesson = course_with_lesson(new_course, teacher)
    quiz = ops.add_quiz(lesson, teacher)
    values = {"prompt": "Hỏi?", "points": 1} | spec
    with refused(code):
        ops.add_question(quiz, teacher, kind=kind, **values)
    assert quiz.questions == []


def test_question_translations_align_with_the_option_keys(db, new_course, teacher):
    _, _, lesson = course_with_lesson(new_course, teacher)
    quiz = ops.add_quiz(lesson, teacher)
    choice = ops.add_question(
        quiz, teacher, kind="single", prompt="Màu?", options="Đỏ\nXanh", correct="2"
    )
    words = ops.add_question(quiz, teacher, kind="short_text", prompt="Con gì?", accepted="ong")
    with refused("option_count"):
        ops.save_question_text(choice, teacher, language="en", prompt="Colour?", options="Red")
    ops.save_question_text(
        choice, teacher, language="en", prompt="Colour?", options="Red\nBlue", explanation="Sky."
    )
    assert choice.translation("en").options == {"a": "Red", "b": "Blue"}
    with refused("no_accepted"):
        ops.save_question_text(words, teacher, language="en", prompt="Which?", accepted="")
    ops.save_question_text(words, teacher, language="en", prompt="Which?", accepted="bee\nBee")
    assert words.translation("en").accepted == ["bee", "Bee"]
    # Editing the original with the same number of options keeps the keys and translations.
    ops.update_question(
        choice, teacher, points=3, prompt="Màu trời?", options="Đỏ\nLam", correct="2"
    )
    from courses.courseware.queries import stale_translations

    assert choice.answer == {"correct": "b"} and stale_translations(choice) == []
    ops.update_question(
        choice, teacher, points=3, prompt="Màu?", options="Đỏ\nLam\nTím", correct="3"
    )
    assert choice.option_keys == ["a", "b", "c"] and stale_translations(choice) == ["en"]
    with refused("original_text"):
        ops.delete_text(choice.quiz.lesson.module.course, choice, teacher, "vi")
    ops.delete_text(choice.quiz.lesson.module.course, choice, teacher, "en")
    assert [t.language for t in choice.translations] == ["vi"]


def test_questions_are_reordered_and_deleted(db, new_course, teacher):
    _, _, lesson = course_with_lesson(new_course, teacher)
    quiz = ops.add_quiz(lesson, teacher)
    first = ops.add_question(quiz, teacher, kind="true_false", prompt="1", correct=True)
    second = ops.add_question(quiz, teacher, kind="true_false", prompt="2", correct=False)
    ops.move_question(second, teacher, -1)
    assert quiz.questions == [second, first] and [q.position for q in quiz.questions] == [0, 1]
    ops.delete_question(second, teacher)
    assert quiz.questions == [first] and first.position == 0


def test_quizzes_learners_answered_cannot_be_deleted(db, make_course, make_user):
    from courses.learning.models import Enrolment, QuizAttempt

    course = make_course()
    learner = make_user()
    lesson = course.lessons[-1]
    enrolment = Enrolment(user_id=learner.id, course_id=course.id, registration=str(uuid.uuid4()))
    db.session.add(enrolment)
    db.session.flush()
    db.session.add(QuizAttempt(enrolment_id=enrolment.id, quiz_id=lesson.quiz.id, number=1))
    db.session.flush()
    owner = course.owner
    for action, item in [
        (ops.delete_question, lesson.quiz.questions[0]),
        (ops.delete_quiz, lesson.quiz),
        (ops.delete_lesson, lesson),
        (ops.delete_module, lesson.module),
    ]:
        with refused("has_attempts"):
            action(item, owner)
    ops.delete_lesson(course.lessons[0], owner)  # a lesson without a quiz still can be
    assert len(course.lessons) == 1


# --- co-authors and prerequisites ---------------------------------------------------------


def test_the_owner_adds_and_removes_co_authors(db, new_course, teacher, make_user):
    course = new_course()
    by_phone = make_user(roles=("teacher",), phone="0987654321")
    by_email = make_user(roles=("teacher",), email="giao.vien@example.org")
    learner = make_user(phone="0977111222")
    ops.add_coauthor(course, teacher, "0987 654 321")
    ops.add_coauthor(course, teacher, "Giao.Vien@Example.org")
    assert course.editable_by(by_phone) and course.editable_by(by_email)
    assert not ops.may_manage(course, by_phone)
    with refused("no_such_teacher"):
        ops.add_coauthor(course, teacher, "0977111222")  # not a teacher
    with refused("no_such_teacher"):
        ops.add_coauthor(course, teacher, "nobody@example.org")
    with refused("no_such_teacher"):
        ops.add_coauthor(course, teacher, "not an identifier")
    with refused("already_author"):
        ops.add_coauthor(course, teacher, "0987654321")
    with refused("already_author"):
        ops.add_coauthor(course, teacher, teacher.sign_in_name)
    with refused("not_owner"):
        ops.add_coauthor(course, by_phone, learner.sign_in_name)
    with refused("not_owner"):
        ops.remove_coauthor(course, by_phone, by_email.id)
    ops.remove_coauthor(course, teacher, by_email.id)
    with refused("not_author"):
        ops.remove_coauthor(course, teacher, by_email.id)
    assert not course.editable_by(by_email) and course.editable_by(by_phone)
    admin = make_user(roles=("admin",))
    ops.remove_coauthor(course, admin, by_phone.id)
    assert course.authors == []


def test_prerequisites_are_published_courses_without_cycles(db, make_course, new_course, teacher):
    a = make_course(owner=teacher, title="A")
    b = make_course(owner=teacher, title="B")
    c = make_course(owner=teacher, title="C")
    draft = new_course()
    ops.add_prerequisite(b, teacher, a)  # B requires A
    ops.add_prerequisite(c, teacher, b)  # C requires B
    with refused("prerequisite_cycle"):
        ops.add_prerequisite(a, teacher, c)  # A would require C: A → C → B → A
    with refused("prerequisite_cycle"):
        ops.add_prerequisite(a, teacher, b)
    with refused("self_prerequisite"):
        ops.add_prerequisite(a, teacher, a)
    with refused("already_prerequisite"):
        ops.add_prerequisite(b, teacher, a)
    with refused("prerequisite_not_published"):
        ops.add_prerequisite(a, teacher, draft)
    ops.add_prerequisite(draft, teacher, c)
    ops.remove_prerequisite(b, teacher, a.id)
    with refused("not_prerequisite"):
        ops.remove_prerequisite(b, teacher, a.id)
    ops.add_prerequisite(a, teacher, c)  # the circle is broken now
    assert [p.required_course_id for p in a.prerequisites] == [c.id]


# --- moderation ---------------------------------------------------------------------------


def test_the_moderation_cycle(db, new_course, teacher, reviewer):
    course = new_course()
    with refused("no_lessons"):
        ops.submit(course, teacher)
    module = ops.add_module(course, teacher, title="Phần 1")
    lesson = ops.add_lesson(module, teacher, title="Bài 1")
    quiz = ops.add_quiz(lesson, teacher)
    with refused("empty_quiz"):
        ops.submit(course, teacher)
    ops.add_question(quiz, teacher, kind="true_false", prompt="Đúng?", correct=True)
    with refused("not_in_review"):
        ops.publish(course, reviewer)
    ops.submit(course, teacher)
    assert course.status == "in_review" and course.submitted_at is not None
    with refused("not_draft"):
        ops.submit(course, teacher)
    with refused("no_note"):
        ops.return_for_changes(course, reviewer, "   ")
    ops.return_for_changes(course, reviewer, "Thêm ví dụ.")
    assert course.status == "draft" and course.review_note == "Thêm ví dụ."
    with refused("not_in_review_return"):
        ops.return_for_changes(course, reviewer, "Again")
    with refused("not_published"):
        ops.archive(course, teacher)
    ops.submit(course, teacher)
    ops.publish(course, reviewer)
    assert course.status == "published" and course.review_note is None
    first_published = course.published_at
    assert first_published is not None and course.is_public
    ops.archive(course, teacher)
    assert course.status == "archived" and course.archived_at is not None and course.is_public
    assert course.published_at == first_published
    with refused("not_published"):
        ops.archive(course, teacher)


def test_every_refusal_has_a_message(app):
    import re
    from pathlib import Path

    package = Path(ops.__file__).parent
    source = "".join(path.read_text() for path in sorted(package.glob("*.py")))
    codes = set(re.findall(r'CourseError\("(\w+)"\)', source))
    codes |= set(re.findall(r'required="(\w+)"', source))
    codes |= set(re.findall(r'"(bad_\w+)"\)', source))
    assert len(codes) > 40  # the whole package was read
    assert codes <= set(ops.MESSAGES), codes - set(ops.MESSAGES)
