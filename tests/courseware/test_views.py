"""Course authoring pages through the test client: forms, access, hostile input, the
language of texts, and moderation."""

from __future__ import annotations

import re

import pytest

from courses.courseware import operations as ops
from courses.courseware.models import Course, Question

NEW = {
    "language": "vi",
    "title": "Nuôi ong lấy mật",
    "summary": "Cách nuôi ong.",
    "description": "# Giới thiệu\n\n<script>alert(1)</script>Ong cần hoa.",
    "kind": "self_paced",
    "level": "beginner",
    "audience": "citizen",
    "licence": "cc-by-sa",
    "subjects": ["agriculture"],
    "require_all_lessons": "y",
    "issues_certificate": "y",
    "min_score": "",
}


def latest_course(db):
    return db.session.scalars(db.select(Course).order_by(Course.id.desc())).first()


def fresh(db, item):
    db.session.expire_all()
    return db.session.get(type(item), item.id)


def test_a_teacher_creates_a_course_and_builds_its_outline(client, db, teacher, sign_in):
    sign_in(teacher)
    page = client.get("/teach/courses/new?lang=en").get_data(as_text=True)
    assert 'name="title"' in page and 'value="cohort"' in page and 'name="qf_level"' in page
    response = client.post("/teach/courses/new", data=NEW)
    course = latest_course(db)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/teach/courses/{course.id}")
    assert course.subject_codes == ["agriculture"] and course.licence == "cc-by-sa"
    assert not course.require_quizzes_passed and course.issues_certificate

    base = f"/teach/courses/{course.id}"
    assert client.post(f"{base}/modules", data={"title": "Phần 1"}).status_code == 302
    module = fresh(db, course).modules[0]
    response = client.post(f"{base}/modules/{module.id}/lessons", data={"title": "Bài 1"})
    lesson = fresh(db, course).lessons[0]
    assert response.headers["Location"].endswith(f"{base}/lessons/{lesson.id}")
    response = client.post(
        f"{base}/lessons/{lesson.id}/text?language=vi",
        data={"title": "Bài 1", "body": "## Tổ ong\n\n<script>alert(2)</script>**Mật**"},
    )
    assert response.status_code == 302
    page = client.get(f"{base}/lessons/{lesson.id}?lang=en").get_data(as_text=True)
    assert "<strong>Mật</strong>" in page and "<script>alert(2)" not in page
    assert (
        client.post(f"{base}/lessons/{lesson.id}", data={"estimated_minutes": "15"}).status_code
        == 302
    )
    assert fresh(db, lesson).estimated_minutes == 15

    outline = client.get(f"{base}?lang=en").get_data(as_text=True)
    assert "Nuôi ong lấy mật" in outline and "Bài 1" in outline and "Send for review" in outline
    assert client.get("/teach/courses?lang=en").get_data(as_text=True).count("Nuôi ong") == 1

    assert client.post(f"{base}/submit").status_code == 302
    assert fresh(db, course).status == "in_review"


def test_form_errors_are_shown_in_the_users_language_not_a_500(client, db, teacher, sign_in):
    sign_in(teacher)
    response = client.post(
        "/teach/courses/new?lang=vi",
        data={**NEW, "kind": "cohort", "starts_on": "2027-03-01", "ends_on": "2027-02-01"},
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'aria-invalid="true"' in html
    response = client.post(
        "/teach/courses/new?lang=en", data={**NEW, "kind": "vocational", "qf_level": "12"}
    )
    assert response.status_code == 200 and 'aria-invalid="true"' in response.get_data(as_text=True)
    response = client.post("/teach/courses/new?lang=en", data={**NEW, "kind": "vocational"})
    assert "needs the occupation" in response.get_data(as_text=True)
    response = client.post(
        "/teach/courses/new?lang=en", data={**NEW, "kind": "cohort", "starts_on": "tomorrow"}
    )
    assert response.status_code == 200
    assert db.session.scalar(db.select(db.func.count()).select_from(Course)) == 0


def test_hostile_input_is_refused_or_escaped(client, db, teacher, sign_in):
    sign_in(teacher)
    response = client.post("/teach/courses/new?lang=en", data={**NEW, "title": "x" * 10_000})
    assert response.status_code == 200 and 'aria-invalid="true"' in response.get_data(as_text=True)
    response = client.post(
        "/teach/courses/new?lang=en", data={**NEW, "title": "<script>alert(3)</script>"}
    )
    course = latest_course(db)
    page = client.get(f"/teach/courses/{course.id}/preview?lang=en").get_data(as_text=True)
    assert "<script>alert" not in page and "&lt;script&gt;alert(3)" in page
    assert "<h2>Giới thiệu</h2>" in page
    response = client.post(
        f"/teach/courses/{course.id}/text?language=en",
        data={"title": "Null\x00 byte\x1b", "summary": "a\r\nb", "description": ""},
    )
    assert response.status_code == 302
    text = fresh(db, course).translation("en")
    assert (text.title, text.summary) == ("Null byte", "a\nb")
    lesson_page = client.get(f"/teach/courses/{course.id}?q=%00x")
    assert lesson_page.status_code == 200
    mine = client.get("/teach/courses").get_data(as_text=True)
    assert "<script>alert(3)" not in mine
    # Bad ids, kinds and directions are 404 or 400, never a 500.
    base = f"/teach/courses/{course.id}"
    assert client.post(f"{base}/modules/999999/move", data={"direction": "up"}).status_code == 404
    ops.add_module(course, teacher, title="M")
    module = course.modules[0]
    assert (
        client.post(f"{base}/modules/{module.id}/move", data={"direction": "sideways"}).status_code
        == 400
    )
    assert client.post(f"{base}/prerequisites", data={"required": "abc"}).status_code == 302
    assert (
        client.post(f"{base}/texts/delete", data={"item": "spaceship", "item_id": "1"}).status_code
        == 404
    )


@pytest.mark.parametrize(
    "path", ["text", "modules/{module}/text", "lessons/{lesson}/text", "questions/{question}/text"]
)
def test_an_unknown_language_code_is_404(client, make_course, sign_in, path):
    course = make_course(status="draft")
    lesson = course.lessons[-1]
    values = {
        "module": lesson.module_id,
        "lesson": lesson.id,
        "question": lesson.quiz.questions[0].id,
    }
    sign_in(course.owner)
    url = f"/teach/courses/{course.id}/" + path.format(**values)
    assert client.get(url + "?language=xx").status_code == 404
    assert client.get(url).status_code == 404
    page = client.get(url + "?language=en")
    assert page.status_code == 200
    # The picker offers a language the item has no text in yet.
    assert '<option value="en" lang="en" selected>' in page.get_data(as_text=True)


def test_drafts_are_404_to_other_teachers_and_403_to_learners(
    client, make_course, make_user, sign_in
):
    course = make_course(status="draft")
    base = f"/teach/courses/{course.id}"
    sign_in(make_user(roles=("teacher",)))
    for url in (base, f"{base}/edit", f"{base}/preview", f"{base}/lessons/{course.lessons[0].id}"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"{base}/submit").status_code == 404
    client.post("/sign-out")
    sign_in(make_user())
    assert client.get(base).status_code == 403
    client.post("/sign-out")
    assert client.get(base).status_code == 302  # to sign in


def test_items_of_another_course_are_404(client, make_course, sign_in, teacher):
    mine, other = make_course(owner=teacher, status="draft"), make_course(status="draft")
    sign_in(teacher)
    lesson = other.lessons[0]
    question = other.lessons[-1].quiz.questions[0]
    base = f"/teach/courses/{mine.id}"
    assert client.get(f"{base}/lessons/{lesson.id}").status_code == 404
    assert client.get(f"{base}/questions/{question.id}").status_code == 404
    assert client.post(f"{base}/lessons/{lesson.id}/delete").status_code == 404
    assert client.post(f"{base}/modules/{lesson.module_id}/delete").status_code == 404
    response = client.post(
        f"{base}/texts/delete", data={"item": "lesson", "item_id": lesson.id, "language": "vi"}
    )
    assert response.status_code == 404


def test_every_post_form_carries_the_csrf_token(app, client, make_course, sign_in):
    course = make_course(status="draft")
    lesson = course.lessons[-1]
    question = lesson.quiz.questions[0]
    sign_in(course.owner)
    base = f"/teach/courses/{course.id}"
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        for url in (
            base,
            f"{base}/edit",
            f"{base}/lessons/{lesson.id}",
            f"{base}/lessons/{lesson.id}/quiz",
            f"{base}/questions/{question.id}",
            f"{base}/text?language=en",
            f"{base}/lessons/{lesson.id}/quiz/questions/new?kind=single",
            "/teach/courses/new",
        ):
            html = client.get(url).get_data(as_text=True)
            forms = re.findall(r"<form method=\"post\".*?</form>", html, re.S)
            assert forms, url
            assert all('name="csrf_token"' in form for form in forms), url
        assert client.post(f"{base}/submit").status_code == 400
        assert client.post(f"{base}/modules", data={"title": "Không token"}).status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_translations_of_course_module_lesson_and_question(client, db, make_course, sign_in):
    course = make_course(status="draft")
    lesson = course.lessons[-1]
    question = lesson.quiz.questions[0]  # single choice a, b, c
    sign_in(course.owner)
    base = f"/teach/courses/{course.id}"
    assert (
        client.post(
            f"{base}/text?language=en",
            data={"title": "Digital skills", "summary": "", "description": "Hello"},
        ).status_code
        == 302
    )
    assert (
        client.post(
            f"{base}/modules/{lesson.module_id}/text?language=en", data={"title": "Part 1"}
        ).status_code
        == 302
    )
    assert (
        client.post(
            f"{base}/lessons/{lesson.id}/text?language=en", data={"title": "Lesson", "body": "*Hi*"}
        ).status_code
        == 302
    )
    page = client.get(f"{base}/questions/{question.id}/text?language=en&lang=en").get_data(
        as_text=True
    )
    assert "Trâu-Vàng-47-Lúa" in page  # the original shown to the translator
    response = client.post(
        f"{base}/questions/{question.id}/text?language=en&lang=en",
        data={"prompt": "Strongest?", "options": "123456\nBuffalo"},
    )
    assert response.status_code == 200 and "as many options" in response.get_data(as_text=True)
    response = client.post(
        f"{base}/questions/{question.id}/text?language=en",
        data={"prompt": "Strongest?", "options": "123456\nBuffalo-Gold\npassword"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Question, question.id).translation("en").options["b"] == "Buffalo-Gold"
    preview = client.get(f"{base}/preview?language=en&lang=en").get_data(as_text=True)
    assert "Digital skills" in preview and "Buffalo-Gold" in preview and "<em>Hi</em>" in preview
    # The original language's text cannot be deleted; another one can.
    response = client.post(
        f"{base}/texts/delete", data={"item": "course", "item_id": course.id, "language": "vi"}
    )
    assert response.status_code == 302
    response = client.post(
        f"{base}/texts/delete",
        data={
            "item": "question",
            "item_id": question.id,
            "language": "en",
            "next_url": "//evil.example/",
        },
    )
    assert response.headers["Location"].endswith(base)
    db.session.expire_all()
    course = db.session.get(Course, course.id)
    assert course.translation("vi") is not None and course.translation("en") is not None
    assert db.session.get(Question, question.id).translation("en") is None


def test_every_kind_of_question_through_the_form(client, db, make_course, sign_in):
    course = make_course(status="draft")
    lesson = course.lessons[-1]
    sign_in(course.owner)
    url = f"/teach/courses/{course.id}/lessons/{lesson.id}/quiz/questions/new"
    forms = {
        "single": {"options": "A\nB\nC", "correct": "3"},
        "multiple": {"options": "A\nB\nC", "correct": "1,2"},
        "true_false": {"truth": "false"},
        "short_text": {"accepted": "Hà Nội\nHa Noi", "accent_sensitive": "y"},
        "numeric": {"value": "3,5", "tolerance": "0,5"},
        "ordering": {"options": "Một\nHai\nBa"},
    }
    for kind, data in forms.items():
        assert client.get(f"{url}?kind={kind}").status_code == 200
        response = client.post(
            f"{url}?kind={kind}", data={"prompt": f"{kind}?", "points": "2", **data}
        )
        assert response.status_code == 302, (kind, response.get_data(as_text=True))
    assert client.get(f"{url}?kind=essay").status_code == 404
    db.session.expire_all()
    added = {q.kind: q for q in db.session.get(Course, course.id).lessons[-1].quiz.questions[2:]}
    assert added["single"].answer == {"correct": "c"}
    assert added["multiple"].answer == {"correct": ["a", "b"]}
    assert added["true_false"].answer == {"correct": False}
    assert added["short_text"].answer == {"case_sensitive": False, "accent_sensitive": True}
    assert added["short_text"].translation("vi").accepted == ["Hà Nội", "Ha Noi"]
    assert added["numeric"].answer == {"value": 3.5, "tolerance": 0.5}
    assert added["ordering"].option_keys == ["a", "b", "c"]
    # The edit form shows what was saved and a bad change is explained beside its field.
    edit = f"/teach/courses/{course.id}/questions/{added['multiple'].id}"
    page = client.get(edit + "?lang=en").get_data(as_text=True)
    assert 'value="1, 2"' in page
    response = client.post(
        edit + "?lang=en", data={"prompt": "?", "points": "1", "options": "A\nB", "correct": ""}
    )
    assert "Mark at least one option" in response.get_data(as_text=True)
    response = client.post(
        f"{url}?kind=single&lang=en",
        data={"prompt": "?", "points": "1", "options": "A\nB", "correct": "1 2"},
    )
    assert "exactly one correct" in response.get_data(as_text=True)


def test_quiz_settings_and_removal(client, db, make_course, sign_in):
    course = make_course(status="draft")
    first, last = course.lessons
    sign_in(course.owner)
    base = f"/teach/courses/{course.id}/lessons"
    assert client.post(f"{base}/{first.id}/quiz/new").status_code == 302
    assert client.post(f"{base}/{first.id}/quiz/new").status_code == 302  # refused, flashed
    page = client.post(
        f"{base}/{last.id}/quiz?lang=en", data={"pass_mark": "150", "feedback": "full"}
    )
    assert page.status_code == 200 and 'aria-invalid="true"' in page.get_data(as_text=True)
    response = client.post(
        f"{base}/{last.id}/quiz",
        data={"pass_mark": "60", "max_attempts": "", "feedback": "none", "shuffle_options": "y"},
    )
    assert response.status_code == 302
    quiz = fresh(db, last).quiz
    assert (quiz.pass_mark, quiz.max_attempts, quiz.feedback, quiz.shuffle_options) == (
        60,
        None,
        "none",
        True,
    )
    question = quiz.questions[1]
    assert (
        client.post(
            f"/teach/courses/{course.id}/questions/{question.id}/move", data={"direction": "up"}
        ).status_code
        == 302
    )
    assert fresh(db, quiz).questions[0].id == question.id
    assert client.post(f"{base}/{first.id}/quiz/delete").status_code == 302
    assert fresh(db, first).quiz is None
    assert client.get(f"{base}/{first.id}/quiz").status_code == 404


def test_resources_are_found_and_attached(client, db, make_course, sign_in, teacher):
    from courses.resources import operations as resource_ops

    resource = resource_ops.create_resource(
        teacher,
        language="vi",
        title="Chăm sóc ong",
        licence="cc-by",
        audience="citizen",
        level="beginner",
        author="Xã",
    )
    resource_ops.submit(resource, teacher)
    resource_ops.publish(resource, teacher)
    course = make_course(owner=teacher, status="draft")
    lesson = course.lessons[0]
    sign_in(teacher)
    base = f"/teach/courses/{course.id}/lessons/{lesson.id}"
    page = client.get(f"{base}?q=ong%20_%25").get_data(as_text=True)
    assert "No published resource matches" in page or "Chăm sóc ong" not in page
    page = client.get(f"{base}?q=chăm").get_data(as_text=True)
    assert "Chăm sóc ong" in page
    assert client.post(f"{base}/resources", data={"resource_id": resource.id}).status_code == 302
    assert [r.resource_id for r in fresh(db, lesson).resources] == [resource.id]
    assert client.post(f"{base}/resources", data={"resource_id": "x"}).status_code == 302
    other = resource_ops.create_resource(
        teacher,
        language="vi",
        title="Thu hoạch mật",
        licence="cc-by",
        audience="citizen",
        level="beginner",
        author="Xã",
    )
    resource_ops.submit(other, teacher)
    resource_ops.publish(other, teacher)
    page = client.get(f"{base}?q={other.id}").get_data(as_text=True)
    assert f'name="resource_id" value="{other.id}"' in page  # found by its number
    assert f'name="resource_id" value="{resource.id}"' not in page
    assert client.post(f"{base}/resources", data={"resource_id": other.id}).status_code == 302
    move = f"{base}/resources/{other.id}/move"
    assert client.post(move, data={"direction": "up"}).status_code == 302
    assert [r.resource_id for r in fresh(db, lesson).resources] == [other.id, resource.id]
    assert client.post(f"{base}/resources/{resource.id}/delete").status_code == 302
    assert [r.resource_id for r in fresh(db, lesson).resources] == [other.id]


def test_co_authors_edit_but_do_not_manage(client, db, make_course, make_user, sign_in):
    course = make_course(status="draft")
    coauthor = make_user(roles=("teacher",), phone="0903123456")
    sign_in(course.owner)
    base = f"/teach/courses/{course.id}"
    response = client.post(f"{base}/authors?lang=en", data={"identifier": "0909999999"})
    assert response.status_code == 200 and "No teacher account" in response.get_data(as_text=True)
    assert client.post(f"{base}/authors", data={"identifier": "0903 123 456"}).status_code == 302
    client.post("/sign-out")
    sign_in(coauthor)
    assert client.get(base).status_code == 200
    assert "Nuôi" not in client.get("/teach/courses").get_data(as_text=True)
    assert "Kỹ năng số cơ bản" in client.get("/teach/courses").get_data(as_text=True)
    assert client.post(f"{base}/modules", data={"title": "Phần thêm"}).status_code == 302
    assert client.post(f"{base}/authors/{coauthor.id}/delete").status_code == 403
    assert client.post(f"{base}/authors", data={"identifier": "0909999999"}).status_code == 403
    assert client.post(f"{base}/delete").status_code == 403
    client.post("/sign-out")
    sign_in(course.owner)
    assert client.post(f"{base}/authors/{coauthor.id}/delete").status_code == 302
    assert client.post(f"{base}/delete").status_code == 302
    assert db.session.scalar(db.select(Course.id).where(Course.id == course.id)) is None


def test_prerequisite_cycles_are_refused_with_a_clear_message(
    client, db, make_course, sign_in, teacher
):
    a = make_course(owner=teacher, title="Khoá A")
    b = make_course(owner=teacher, title="Khoá B")
    sign_in(teacher)
    assert (
        client.post(f"/teach/courses/{b.id}/prerequisites", data={"required": a.id}).status_code
        == 302
    )
    response = client.post(
        f"/teach/courses/{a.id}/prerequisites?lang=en",
        data={"required": b.id},
        follow_redirects=True,
    )
    assert "would make a circle" in response.get_data(as_text=True)
    assert fresh(db, a).prerequisites == []
    page = client.get(f"/teach/courses/{b.id}/edit?lang=en").get_data(as_text=True)
    assert "Khoá A" in page
    assert client.post(f"/teach/courses/{b.id}/prerequisites/{a.id}/delete").status_code == 302
    assert fresh(db, b).prerequisites == []


def test_settings_page_saves_kind_fields(client, db, make_course, sign_in):
    course = make_course(status="published")
    sign_in(course.owner)
    url = f"/teach/courses/{course.id}/edit"
    page = client.get(url + "?lang=en").get_data(as_text=True)
    assert "changes go live at once" in page
    data = {
        **NEW,
        "kind": "vocational",
        "occupation": "Thợ nuôi ong",
        "qf_level": "2",
        "nominal_hours": "60,5",
        "min_score": "70",
    }
    assert client.post(url, data=data).status_code == 302
    course = fresh(db, course)
    assert (course.kind, course.qf_level, str(course.nominal_hours), course.min_score) == (
        "vocational",
        2,
        "60.50",
        70,
    )
    outline = client.get(f"/teach/courses/{course.id}?lang=en").get_data(as_text=True)
    assert "goes live at once" in outline


def test_reviewers_preview_publish_and_return(
    client, db, make_course, sign_in, reviewer, make_user
):
    first = make_course(status="in_review", title="Khoá một")
    second = make_course(status="in_review", title="Khoá hai")
    draft = make_course(status="draft", title="Bản nháp")
    sign_in(reviewer)
    queue = client.get("/review/courses?lang=en").get_data(as_text=True)
    assert f"/teach/courses/{first.id}/preview" in queue and "Bản nháp" not in queue
    preview = client.get(f"/teach/courses/{first.id}/preview?lang=en").get_data(as_text=True)
    assert "Trâu-Vàng-47-Lúa" in preview and "(correct)" in preview and "Publish" in preview
    assert client.get(f"/teach/courses/{draft.id}/preview").status_code == 200
    assert client.get(f"/teach/courses/{first.id}").status_code == 403  # reviewers do not edit
    assert client.post(f"/review/courses/{first.id}/publish").status_code == 302
    first = fresh(db, first)
    assert first.status == "published" and first.published_at is not None
    assert client.post(f"/review/courses/{second.id}/return", data={"note": ""}).status_code == 302
    assert fresh(db, second).status == "in_review"
    assert (
        client.post(
            f"/review/courses/{second.id}/return", data={"note": "Thêm bài tập."}
        ).status_code
        == 302
    )
    second = fresh(db, second)
    assert second.status == "draft" and second.review_note == "Thêm bài tập."
    client.post("/sign-out")
    sign_in(second.owner)
    assert "Thêm bài tập." in client.get(f"/teach/courses/{second.id}").get_data(as_text=True)
    sign_in_learner = make_user()
    client.post("/sign-out")
    sign_in(sign_in_learner)
    assert client.get("/review/courses").status_code == 403
    assert client.get(f"/teach/courses/{first.id}/preview").status_code == 403


def test_authors_archive_a_published_course(client, db, make_course, sign_in):
    course = make_course(status="published")
    sign_in(course.owner)
    assert client.post(f"/teach/courses/{course.id}/archive").status_code == 302
    course = fresh(db, course)
    assert course.status == "archived" and course.is_public
    page = client.get(f"/teach/courses/{course.id}?lang=en").get_data(as_text=True)
    assert "takes no new enrolments" in page


def test_outline_moves_and_deletes(client, db, make_course, sign_in):
    course = make_course(status="draft", modules=2, lessons=1, quiz=False)
    sign_in(course.owner)
    base = f"/teach/courses/{course.id}"
    first_module, second_module = course.modules
    assert (
        client.post(f"{base}/modules/{second_module.id}/move", data={"direction": "up"}).status_code
        == 302
    )
    assert fresh(db, course).modules[0].id == second_module.id
    lesson = first_module.lessons[0]
    assert (
        client.post(f"{base}/lessons/{lesson.id}/move", data={"direction": "up"}).status_code == 302
    )
    assert fresh(db, second_module).lessons[-1].id == lesson.id
    assert client.post(f"{base}/lessons/{lesson.id}/delete").status_code == 302
    assert client.post(f"{base}/modules/{first_module.id}/delete").status_code == 302
    assert [m.id for m in fresh(db, course).modules] == [second_module.id]
    page = client.get(f"{base}?lang=en").get_data(as_text=True)
    assert page.count("<h1>") == 1 and "style=" not in page and "<script" not in page


def test_administrators_edit_any_course_and_manage_its_authors(
    client, db, make_course, make_user, sign_in
):
    course = make_course(status="draft")
    helper = make_user(roles=("teacher",), email="tro.giang@example.org")
    sign_in(make_user(roles=("admin",)))
    base = f"/teach/courses/{course.id}"
    assert client.get(base).status_code == 200
    assert client.post(f"{base}/modules", data={"title": "Phần của quản trị"}).status_code == 302
    response = client.post(f"{base}/authors", data={"identifier": "tro.giang@example.org"})
    assert response.status_code == 302
    assert [a.user_id for a in fresh(db, course).authors] == [helper.id]
    assert len(fresh(db, course).modules) == 2
