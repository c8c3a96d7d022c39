"""The dashboard pages: empty and populated, who may open them, charts without inline
styles, and another teacher's course statistics answering 404."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from lxml import html as lxml_html

from courses.certificates.operations import issue_certificate
from courses.courseware.models import CourseAuthor


def page(response):
    assert response.status_code == 200, response.status_code
    text = response.get_data(as_text=True)
    assert not re.search(r"<[^>]+\sstyle=", text), "inline style attribute (CSP)"
    assert len(re.findall(r"<h1[\s>]", text)) == 1
    return text


def test_the_learner_dashboard_needs_a_sign_in(client):
    response = client.get("/dashboard")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_a_new_learner_sees_empty_states(client, make_user, sign_in):
    sign_in(make_user())
    text = page(client.get("/dashboard?lang=en"))
    assert "You are not taking any course right now." in text
    assert "You have not completed a course yet." in text
    assert "No learning time recorded this year yet." in text
    assert "You have no certificates yet." in text
    assert 'class="chart"' not in text


def test_the_learner_dashboard_shows_progress_hours_chart_and_certificates(
    client, db, make_user, make_course, enrol, complete_lesson, sign_in
):
    learner = make_user()
    running = make_course(title="Kỹ năng số", lessons=4)
    done = make_course(title="An toàn giao thông")
    enrol(learner, running)
    finished = enrol(learner, done, status="completed")
    complete_lesson(
        learner,
        running,
        running.lessons[0],
        at=datetime.now(UTC) - timedelta(minutes=1),
        duration="PT1H30M",
    )
    certificate = issue_certificate(
        learner,
        kind="course",
        achievement="An toàn giao thông",
        hours=2,
        issuer="Cổng học tập",
        course_id=done.id,
    )
    finished.certificate_id = certificate.id
    db.session.flush()
    sign_in(learner)
    text = page(client.get("/dashboard?lang=en"))
    tree = lxml_html.fromstring(text)
    [bar] = [p for p in tree.iter("progress") if p.get("value") == "25"]
    assert bar.get("max") == "100"
    assert "25% done · 1 of 4 lessons" in text
    assert "100% done" in text
    # The learning pages may not be registered: the link follows the agreed URL map.
    assert f'href="/courses/{running.id}/resume"' in text
    assert f"/verify/{certificate.display_code}" in text
    assert "1.5 hours" in text
    [svg] = tree.xpath("//*[local-name()='svg' and @role='img']")
    assert "1.5" in [t.text for t in svg.xpath(".//*[local-name()='text']")]
    assert tree.xpath("//details//table/caption")


def test_hours_are_formatted_in_the_learners_language(
    client, make_user, make_course, enrol, complete_lesson, sign_in
):
    learner = make_user()
    course = make_course()
    enrol(learner, course)
    at = datetime.now(UTC) - timedelta(minutes=1)
    complete_lesson(learner, course, course.lessons[0], at=at, duration="PT1H30M")
    sign_in(learner)
    assert "1,5" in page(client.get("/dashboard?lang=vi"))


def test_the_teacher_dashboard_is_for_teachers(client, make_user, sign_in):
    sign_in(make_user())
    assert client.get("/teach/dashboard").status_code == 403


def test_a_new_teacher_sees_empty_states(client, make_user, sign_in):
    sign_in(make_user(roles=("teacher",)))
    text = page(client.get("/teach/dashboard?lang=en"))
    assert "You have no courses yet." in text
    assert "You have not written any resource yet." in text


def test_the_teacher_dashboard_lists_courses_with_completion_rates(
    client, make_user, make_course, enrol, sign_in
):
    teacher = make_user(roles=("teacher",))
    course = make_course(teacher, title="Sơ cứu ban đầu")
    make_course(teacher, title="Chưa ai học")
    for status in ("active", "completed", "completed", "withdrawn"):
        enrol(make_user(), course, status=status)
    sign_in(teacher)
    text = page(client.get("/teach/dashboard?lang=en"))
    tree = lxml_html.fromstring(text)
    row = tree.xpath(f"//tr[th/a[contains(@href, '/teach/courses/{course.id}/stats')]]")[0]
    assert [td.text_content().strip() for td in row.findall("td")] == ["4", "1", "2", "50%"]
    assert "no enrolments" in text
    [svg] = tree.xpath("//*[local-name()='svg' and @role='img']")
    labels = [t.text for t in svg.xpath(".//*[local-name()='text']")]
    assert "Sơ cứu ban đầu" in labels and "50%" in labels
    assert "Chưa ai học" not in labels


def test_course_statistics_are_for_its_owner_co_authors_and_admins(
    client, db, make_user, make_course, sign_in
):
    owner, co_author = make_user(roles=("teacher",)), make_user(roles=("teacher",))
    course = make_course(owner)
    db.session.add(CourseAuthor(course_id=course.id, user_id=co_author.id))
    db.session.flush()
    url = f"/teach/courses/{course.id}/stats"
    sign_in(make_user(roles=("teacher",)))
    assert client.get(url).status_code == 404
    for user in (owner, co_author, make_user(roles=("admin",))):
        client.post("/sign-out")
        sign_in(user)
        page(client.get(url))
    assert client.get("/teach/courses/999999/stats").status_code == 404


def test_course_statistics_show_lessons_questions_and_distractors(
    client, make_user, make_course, enrol, complete_lesson, submit_attempt, sign_in
):
    owner = make_user(roles=("teacher",))
    course = make_course(owner)
    quiz = course.lessons[-1].quiz
    single, true_false = quiz.questions
    learners = [make_user() for _ in range(3)]
    for learner in learners:
        enrolment = enrol(learner, course)
        submit_attempt(enrolment, quiz, {single: ("a", False), true_false: (True, True)})
    complete_lesson(learners[0], course, course.lessons[0], at=datetime(2026, 2, 1, tzinfo=UTC))
    sign_in(owner)
    text = page(client.get(f"/teach/courses/{course.id}/stats?lang=en"))
    tree = lxml_html.fromstring(text)
    lessons = tree.xpath("//table[caption='Learners who completed each lesson']/tbody/tr")
    assert [r.findall("td")[-1].text for r in lessons] == ["1", "0"]
    options = tree.xpath("//table[starts-with(caption, 'Options chosen in question 1')]/tbody/tr")
    assert [(r.find("th").text, r.findall("td")[0].text) for r in options] == [
        ("123456", "3"),
        ("Trâu-Vàng-47-Lúa", "0"),
        ("matkhau", "0"),
    ]
    assert "0% correct" in text and "100% correct" in text
    assert tree.xpath("//*[local-name()='svg' and @role='img']")
