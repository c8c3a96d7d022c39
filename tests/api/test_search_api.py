"""GET /api/v1/search: the shape the OpenAPI document promises, ``lang`` as the content
language filter, facets, stable pages with links, and 400 problems for unknown filters."""

from __future__ import annotations

import pytest
from jsonschema import Draft202012Validator

from courses.api.openapi import DOCUMENT

WATER = {
    "vi": ("Nước uống an toàn", "Uống nước đun sôi.", "Nước đun sôi để nguội."),
    "en": ("Safe drinking water", "Drink boiled water.", "Boil the <b>water</b>."),
}


def conforms(body: dict, schema: str = "SearchResults") -> dict:
    """``body`` is valid against ``#/components/schemas/<schema>`` of the document."""
    validator = Draft202012Validator(
        {"$ref": f"#/components/schemas/{schema}", "components": DOCUMENT["components"]}
    )
    errors = [error.message for error in validator.iter_errors(body)]
    assert not errors, errors
    return body


def found(client, query: str = "", **params: str) -> dict:
    response = client.get("/api/v1/search", query_string={"q": query, **params})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    return conforms(response.get_json())


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    problem = response.get_json()
    conforms(problem, "Problem")
    assert problem["status"] == status and problem["detail"]
    return problem


@pytest.fixture
def water(make_resource, make_course, indexed):
    """A bilingual resource, a Vietnamese course about water, and a draft."""
    made = {
        "resource": make_resource(published=True, texts=WATER, subjects=("health", "family")),
        "course": make_course(title="Nước sạch nông thôn", subjects=",environment,"),
        "draft": make_resource(texts={"vi": ("Nước nháp", "Nháp.", "Nháp.")}),
    }
    indexed()
    return made


def test_results_have_the_documented_shape(client, water):
    body = found(client, "nuoc")
    assert (body["query"], body["total"], body["page"], body["pages"]) == ("nuoc", 2, 1, 1)
    assert body["per_page"] == 10
    assert body["links"]["self"] == "http://localhost/api/v1/search?q=nuoc&page=1"
    assert body["links"]["next"] is None and body["links"]["prev"] is None
    assert body["suggestion"] is None
    by_key = {hit["key"]: hit for hit in body["results"]}
    resource, course = water["resource"], water["course"]
    assert set(by_key) == {f"resource:{resource.id}:vi", f"course:{course.id}:vi"}
    hit = by_key[f"resource:{resource.id}:vi"]
    assert hit["url"] == f"http://localhost/resources/{resource.id}?lang=vi"
    assert (hit["kind"], hit["language"], hit["title"]) == ("resource", "vi", "Nước uống an toàn")
    assert hit["title_html"] == "<mark>Nước</mark> uống an toàn"
    assert "<mark>nước</mark>" in hit["snippet_html"]
    assert sorted(hit["subjects"]) == ["family", "health"]
    assert (hit["level"], hit["licence"], hit["context"]) == ("beginner", "cc-by", "Trạm Y tế xã")
    assert hit["score"] > 0
    assert body["facets"]["kind"] == [
        {"value": "course", "count": 1},
        {"value": "resource", "count": 1},
    ]
    assert {"value": "environment", "count": 1} in body["facets"]["subject"]


def test_lang_filters_the_content_language(client, water):
    assert [hit["language"] for hit in found(client, "water OR nuoc", lang="en")["results"]] == [
        "en"
    ]
    vietnamese = found(client, "water OR nuoc", lang="vi")
    assert {hit["language"] for hit in vietnamese["results"]} == {"vi"}
    assert vietnamese["total"] == 2
    assert vietnamese["facets"]["language"] == [{"value": "vi", "count": 2}]
    assert "lang=vi" in vietnamese["links"]["self"]


def test_filters_narrow_and_combine(client, water):
    assert found(client, "nuoc", kind="course")["total"] == 1
    assert found(client, "nuoc", subject="family")["total"] == 1
    assert found(client, "nuoc", subject="family", kind="course")["total"] == 0
    assert found(client, "nuoc", level="advanced")["total"] == 0
    assert found(client, "nuoc", licence="cc-by")["total"] == 2


def test_the_text_is_highlighted_escaped(client, water, make_resource, indexed):
    make_resource(published=True, texts={"en": ("<script>x()</script> Water", "Water.", "")})
    indexed()
    titles = [hit["title_html"] for hit in found(client, "water", lang="en")["results"]]
    assert "&lt;script&gt;x()&lt;/script&gt; <mark>Water</mark>" in titles
    assert not any("<script>" in title for title in titles)


def test_drafts_are_never_found(client, water):
    assert found(client, "nhap")["total"] == 0
    assert all("Nháp" not in hit["title"] for hit in found(client, "nuoc")["results"])


def test_pages_do_not_overlap_and_link_each_other(client, make_course, indexed):
    make_course(title="Kỹ năng số", lessons=23, quiz=False)
    indexed()
    first = found(client, "noi dung bai")
    assert (first["total"], first["pages"], first["links"]["prev"]) == (23, 3, None)
    seen = [hit["key"] for hit in first["results"]]
    link = first["links"]["next"]
    while link:
        body = conforms(client.get(link).get_json())
        assert body["links"]["prev"]
        seen += [hit["key"] for hit in body["results"]]
        link = body["links"]["next"]
    assert len(seen) == 23 == len(set(seen))
    assert body["page"] == 3 and body["links"]["prev"].endswith("page=2")


def test_an_empty_query_finds_nothing_without_error(client, water):
    body = found(client)
    assert (body["total"], body["results"], body["pages"]) == (0, [], 1)
    assert body["facets"] == {
        name: [] for name in ("language", "kind", "subject", "level", "licence")
    }


@pytest.mark.parametrize(
    "query",
    ["x" * 10_000, "nuoc\x00\x07\x1b", '"nuoc', "OR", "-", "| OR -", "-nuoc", '""', "nước " * 400],
)
def test_junk_queries_answer_200(client, water, query):
    found(client, query)


def test_a_misspelt_word_gets_a_suggestion(client, water):
    body = found(client, "nuocc")
    assert body["total"] == 0
    assert body["suggestion"] == "nuoc"


@pytest.mark.parametrize(
    ("param", "value"),
    [
        ("lang", "xx"),
        ("lang", "VI"),
        ("kind", "video"),
        ("subject", "cooking"),
        ("level", "expert"),
        ("licence", "gpl"),
    ],
)
def test_an_unknown_filter_is_a_400_problem(client, water, param, value):
    problem = assert_problem(client.get(f"/api/v1/search?q=nuoc&{param}={value}"), 400)
    assert f"{param}={value}" in problem["detail"]


@pytest.mark.parametrize("page", ["0", "101", "-1", "1.5", "abc", "١"])
def test_a_bad_page_is_a_400_problem(client, water, page):
    problem = assert_problem(client.get(f"/api/v1/search?q=nuoc&page={page}"), 400)
    assert "page" in problem["detail"]


def test_the_openapi_document_describes_search(client):
    from openapi_spec_validator import validate

    document = client.get("/api/v1/openapi.json").get_json()
    validate(document)
    operation = document["paths"]["/search"]["get"]
    names = [parameter["name"] for parameter in operation["parameters"]]
    assert names == ["q", "lang", "kind", "subject", "level", "licence", "page"]
    assert "filters the content" in operation["parameters"][1]["description"]
    assert set(operation["responses"]) == {"200", "400"}
