"""The courses API: published courses with filters and stable signed cursors, one course's
outline in the asked language, the signed-in learner's enrolments (401 for anonymous
callers), and every answer valid against the OpenAPI document."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta

import pytest
from jsonschema import Draft202012Validator

from courses.api.openapi import DOCUMENT
from courses.certificates.operations import issue_certificate
from courses.courseware import models as cw


def conforms(body: dict, schema: str) -> dict:
    """``body`` is valid against ``#/components/schemas/<schema>`` of the document."""
    validator = Draft202012Validator(
        {"$ref": f"#/components/schemas/{schema}", "components": DOCUMENT["components"]}
    )
    errors = [error.message for error in validator.iter_errors(body)]
    assert not errors, errors
    return body


def ids(response) -> list[int]:
    return [item["id"] for item in conforms(response.get_json(), "CoursePage")["items"]]


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    return conforms(response.get_json(), "Problem")


def translate(course, language: str, title: str) -> None:
    """Give the course, its modules and lessons texts in ``language``."""
    course.translations.append(
        cw.CourseTranslation(language=language, title=title, description="**Hello**")
    )
    for module in course.modules:
        module.translations.append(cw.ModuleTranslation(language=language, title="Part"))
        for lesson in module.lessons:
            lesson.translations.append(cw.LessonTranslation(language=language, title="Lesson"))


def test_the_list_shows_published_courses_newest_first(client, make_course):
    older = make_course(title="Cũ")
    newer = make_course(title="Mới", kind="vocational", occupation="Thợ hàn", qf_level=2)
    for status in ("draft", "in_review", "archived"):
        make_course(status=status)
    response = client.get("/api/v1/courses")
    assert response.status_code == 200
    assert ids(response) == [newer.id, older.id]
    item = response.get_json()["items"][0]
    assert (item["title"], item["language"], item["kind"]) == ("Mới", "vi", "vocational")
    assert (item["occupation"], item["qf_level"], item["starts_on"]) == ("Thợ hàn", 2, None)
    assert item["lesson_count"] == 2 and item["estimated_minutes"] == 20
    assert item["url"].endswith(f"/courses/{newer.id}")
    assert item["published_at"].endswith("Z")


def test_the_list_filters_by_subject_level_kind_and_language(client, db, make_course):
    digital = make_course(subjects=",digital,law,")
    advanced = make_course(level="advanced")
    cohort = make_course(kind="cohort")
    english = make_course()
    translate(english, "en", "English")
    db.session.flush()
    assert ids(client.get("/api/v1/courses?subject=digital")) == [digital.id]
    assert ids(client.get("/api/v1/courses?subject=dig")) == []
    assert ids(client.get("/api/v1/courses?level=advanced")) == [advanced.id]
    assert ids(client.get("/api/v1/courses?kind=cohort")) == [cohort.id]
    assert ids(client.get("/api/v1/courses?language=en")) == [english.id]
    assert "language" in assert_problem(client.get("/api/v1/courses?language=zz"), 400)["detail"]


def test_a_course_shows_its_outline_in_the_asked_language(client, db, make_course):
    course = make_course(title="Kỹ năng số", modules=2, lessons=2)
    translate(course, "en", "Digital skills")
    db.session.flush()
    english = conforms(
        client.get(f"/api/v1/courses/{course.id}?lang=en").get_json(), "CourseDetail"
    )
    assert (english["title"], english["language"], english["languages"]) == (
        "Digital skills",
        "en",
        ["en", "vi"],
    )
    assert english["description_html"] == "<p><strong>Hello</strong></p>"
    assert [m["title"] for m in english["modules"]] == ["Part", "Part"]
    assert [len(m["lessons"]) for m in english["modules"]] == [2, 2]
    assert english["modules"][1]["lessons"][1]["has_quiz"] is True
    vietnamese = client.get(f"/api/v1/courses/{course.id}?lang=vi").get_json()
    assert vietnamese["title"] == "Kỹ năng số"
    assert vietnamese["modules"][0]["lessons"][0]["title"] == "Bài 1.1"


def test_a_course_missing_the_language_falls_back_to_one_it_has(client, make_course):
    course = make_course()
    detail = client.get(f"/api/v1/courses/{course.id}?lang=en").get_json()
    assert (detail["language"], detail["languages"]) == ("vi", ["vi"])
    assert detail["modules"][0]["language"] == "vi"


def test_unpublished_and_missing_courses_are_404_problems(client, make_course):
    for status in ("draft", "in_review", "archived"):
        assert_problem(client.get(f"/api/v1/courses/{make_course(status=status).id}"), 404)
    assert_problem(client.get("/api/v1/courses/999999"), 404)


def test_cursor_pages_stay_stable_when_newer_courses_appear(client, db, make_course):
    made = [make_course().id for _ in range(5)]
    first = client.get("/api/v1/courses?limit=2").get_json()
    assert [item["id"] for item in first["items"]] == made[::-1][:2]
    newest = make_course()
    newest.published_at = datetime.now(UTC) + timedelta(days=1)
    db.session.flush()
    seen = [item["id"] for item in first["items"]]
    next_url = first["next"]
    while next_url:
        page = client.get(next_url)
        seen += ids(page)
        next_url = page.get_json()["next"]
    assert seen == made[::-1]


@pytest.mark.parametrize("limit", ["0", "101", "abc", "-1"])
def test_a_bad_limit_is_a_400_problem(client, limit):
    assert "limit" in assert_problem(client.get(f"/api/v1/courses?limit={limit}"), 400)["detail"]


def test_a_tampered_or_foreign_cursor_is_a_400_problem(client, make_course, make_resource):
    for _ in range(3):
        make_course()
        make_resource(published=True)
    cursor = client.get("/api/v1/courses?limit=1").get_json()["next"].split("cursor=")[1]
    payload, signature = cursor.split(".")
    forged = json.dumps(["2999-01-01T00:00:00", 1]).encode()
    tampered = base64.urlsafe_b64encode(forged).decode().rstrip("=") + "." + signature
    resource_cursor = client.get("/api/v1/resources?limit=1").get_json()["next"]
    resource_cursor = resource_cursor.split("cursor=")[1]
    for bad in ("not-a-cursor", tampered, payload, resource_cursor):
        response = client.get(f"/api/v1/courses?cursor={bad}")
        assert "cursor" in assert_problem(response, 400)["detail"]


def test_my_enrolments_need_a_session(client):
    response = client.get("/api/v1/me/enrolments")
    assert_problem(response, 401)
    assert response.headers["WWW-Authenticate"]


def test_my_enrolments_give_progress_certificates_and_hours(
    client, db, make_user, make_course, enrol, complete_lesson, sign_in
):
    learner = make_user()
    running = make_course(title="Kỹ năng số", lessons=4)
    done = make_course(title="Sơ cứu")
    dropped = make_course(title="Trồng lúa")
    enrol(learner, running)
    finished = enrol(learner, done, status="completed")
    enrol(learner, dropped, status="withdrawn")
    enrol(make_user(), running)  # someone else's
    at = datetime.now(UTC) - timedelta(minutes=1)
    complete_lesson(learner, running, running.lessons[0], at=at, duration="PT45M")
    certificate = issue_certificate(
        learner, kind="course", achievement="Sơ cứu", hours=2, issuer="Cổng", course_id=done.id
    )
    finished.certificate_id = certificate.id
    db.session.flush()
    sign_in(learner)
    response = client.get("/api/v1/me/enrolments")
    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]
    body = conforms(response.get_json(), "MyEnrolments")
    assert body["hours_this_year"] == 0.75
    by_course = {item["course"]["id"]: item for item in body["items"]}
    assert set(by_course) == {running.id, done.id, dropped.id}
    assert by_course[running.id]["progress"] == 0.25
    assert (by_course[running.id]["lessons_completed"], by_course[running.id]["lesson_count"]) == (
        1,
        4,
    )
    assert by_course[running.id]["certificate"] is None
    assert by_course[done.id]["status"] == "completed" and by_course[done.id]["progress"] == 1
    assert by_course[done.id]["completed_at"].endswith("Z")
    assert by_course[done.id]["certificate"]["code"] == certificate.display_code
    assert by_course[dropped.id]["status"] == "withdrawn"


def test_a_new_learner_has_no_enrolments(client, make_user, sign_in):
    sign_in(make_user())
    body = conforms(client.get("/api/v1/me/enrolments").get_json(), "MyEnrolments")
    assert (body["items"], body["hours_this_year"]) == ([], 0)


def test_courses_published_at_the_same_moment_page_by_id(client, db, make_course):
    made = [make_course() for _ in range(3)]
    moment = datetime(2026, 5, 1, 8, 30, tzinfo=UTC)
    for course in made:
        course.published_at = moment
    db.session.flush()
    seen, next_url = [], "/api/v1/courses?limit=1"
    while next_url:
        page = client.get(next_url)
        seen += ids(page)
        next_url = page.get_json()["next"]
    assert seen == sorted((course.id for course in made), reverse=True)
