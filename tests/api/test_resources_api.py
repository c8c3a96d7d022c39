"""The read-only JSON API: published resources in the asked language, stable cursor
pages, RFC 9457 problems, and an OpenAPI document that validates."""

from __future__ import annotations

import base64
import io
import json

import pytest

from courses.resources import operations

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
BILINGUAL = {
    "vi": ("Rửa tay", "Sáu bước.", "# Bước 1"),
    "en": ("Hand washing", "Six steps.", "# Step 1\n\n<script>x()</script>"),
}


def ids(response) -> list[int]:
    return [item["id"] for item in response.get_json()["items"]]


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    problem = response.get_json()
    assert problem["status"] == status
    assert {"type", "title", "detail"} <= set(problem)
    return problem


def test_the_list_shows_published_resources_newest_first(client, make_resource):
    older = make_resource(published=True)
    newer = make_resource(published=True, licence="cc0", subjects=("health", "farming"))
    make_resource()  # a draft
    response = client.get("/api/v1/resources")
    assert response.status_code == 200
    assert response.headers["Content-Security-Policy"]
    assert ids(response) == [newer.id, older.id]
    item = response.get_json()["items"][0]
    assert item["licence"] == {
        "code": "cc0",
        "label": "CC0 1.0",
        "url": "https://creativecommons.org/publicdomain/zero/1.0/",
    }
    assert sorted(item["subjects"]) == ["farming", "health"]
    assert item["author"] == "Trạm Y tế xã"
    assert item["url"].endswith(f"/resources/{newer.id}")
    assert item["published_at"].endswith("Z")
    assert response.get_json()["next"] is None


def test_the_list_filters_by_subject_and_licence(client, make_resource):
    farming = make_resource(published=True, subjects=("farming",), licence="cc0")
    make_resource(published=True)
    assert ids(client.get("/api/v1/resources?subject=farming")) == [farming.id]
    assert ids(client.get("/api/v1/resources?licence=cc0")) == [farming.id]


@pytest.mark.parametrize(
    ("lang", "title", "language"),
    [("en", "Hand washing", "en"), ("vi", "Rửa tay", "vi"), ("xx", "Rửa tay", "vi")],
)
def test_texts_come_in_the_first_language_of_the_chain(
    client, make_resource, lang, title, language
):
    make_resource(published=True, texts=BILINGUAL)
    item = client.get(f"/api/v1/resources?lang={lang}").get_json()["items"][0]
    assert (item["title"], item["language"]) == (title, language)
    assert item["languages"] == ["en", "vi"]


def test_a_resource_missing_the_language_falls_back_to_one_it_has(client, make_resource):
    resource = make_resource(published=True)  # Vietnamese only
    item = client.get(f"/api/v1/resources/{resource.id}?lang=en").get_json()
    assert (item["language"], item["languages"]) == ("vi", ["vi"])


def test_the_detail_has_sanitised_body_and_attachments(client, make_resource, teacher):
    resource = make_resource(texts=BILINGUAL)
    attachment = operations.add_attachment(
        resource, teacher, io.BytesIO(PDF), "Bài học.pdf", max_bytes=10_000
    )
    operations.submit(resource, teacher)
    operations.publish(resource, teacher)
    detail = client.get(f"/api/v1/resources/{resource.id}?lang=en").get_json()
    assert "Step 1</h2>" in detail["body_html"]  # headings start below the page title
    assert "<script>" not in detail["body_html"]
    [shown] = detail["attachments"]
    assert shown["type"] == "application/pdf" and shown["size"] == len(PDF)
    assert shown["name"] == attachment.filename
    assert shown["url"].endswith(f"/resources/{resource.id}/files/{attachment.id}")


def test_drafts_archived_and_missing_resources_are_404_problems(client, make_resource, teacher):
    draft = make_resource()
    archived = make_resource(published=True)
    operations.archive(archived, teacher)
    for resource_id in (draft.id, archived.id, 999_999):
        assert_problem(client.get(f"/api/v1/resources/{resource_id}"), 404)
    assert ids(client.get("/api/v1/resources")) == []


def test_cursor_pages_stay_stable_when_newer_resources_appear(client, make_resource):
    made = [make_resource(published=True).id for _ in range(5)]
    first = client.get("/api/v1/resources?limit=2").get_json()
    assert [item["id"] for item in first["items"]] == made[::-1][:2]
    make_resource(published=True)  # newer than everything: must not shift the pages
    seen = [item["id"] for item in first["items"]]
    next_url = first["next"]
    while next_url:
        page = client.get(next_url).get_json()
        seen += [item["id"] for item in page["items"]]
        next_url = page["next"]
    assert seen == made[::-1]


@pytest.mark.parametrize("limit", ["0", "101", "abc", "-1", "2.5"])
def test_a_bad_limit_is_a_400_problem(client, limit):
    assert "limit" in assert_problem(client.get(f"/api/v1/resources?limit={limit}"), 400)["detail"]


def test_a_malformed_or_tampered_cursor_is_a_400_problem(client, make_resource):
    for _ in range(3):
        make_resource(published=True)
    cursor = client.get("/api/v1/resources?limit=1").get_json()["next"].split("cursor=")[1]
    payload, signature = cursor.split(".")
    forged = json.dumps(["2999-01-01T00:00:00", 1]).encode()
    tampered = base64.urlsafe_b64encode(forged).decode().rstrip("=") + "." + signature
    for bad in ("not-a-cursor", "x" * 40, tampered, payload):
        response = client.get(f"/api/v1/resources?cursor={bad}")
        assert "cursor" in assert_problem(response, 400)["detail"]


def test_the_openapi_document_validates(client):
    from openapi_spec_validator import validate

    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.headers["Content-Security-Policy"]
    document = response.get_json()
    validate(document)
    assert document["openapi"].startswith("3.1")
    assert set(document["paths"]) == {
        "/resources",
        "/resources/{id}",
        "/courses",
        "/courses/{id}",
        "/search",
        "/me/enrolments",
        "/openapi.json",
    }
    assert "Problem" in document["components"]["schemas"]
