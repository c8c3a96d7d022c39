"""Fixtures of the OAI-PMH tests: published resources, the official schemas, and a parser
of the provider's answers."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

ROOT = Path(__file__).resolve().parents[2]
STANDARDS = ROOT.parent / "shared" / "standards" / "oai"
OWN_SCHEMA = ROOT / "courses" / "oai" / "schemas" / "oai_dcterms.xsd"
NS = {
    "o": "http://www.openarchives.org/OAI/2.0/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "oai_dc": "http://www.openarchives.org/OAI/2.0/oai_dc/",
    "dcterms": "http://purl.org/dc/terms/",
}
PARSER = etree.XMLParser(no_network=True)


@pytest.fixture(scope="session")
def oai_schema(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The official OAI-PMH schema with oai_dc and oai-identifier (``oai-all.xsd``), and our
    own ``oai_dcterms`` container, loaded without network."""
    if not (STANDARDS / "oai-all.xsd").exists():
        pytest.skip(f"the official OAI-PMH schemas are not at {STANDARDS}")
    wrapper = tmp_path_factory.mktemp("xsd") / "all.xsd"
    imports = {
        "http://www.openarchives.org/OAI/2.0/": STANDARDS / "OAI-PMH.xsd",
        "http://www.openarchives.org/OAI/2.0/oai_dc/": STANDARDS / "oai_dc.xsd",
        "http://www.openarchives.org/OAI/2.0/oai-identifier": STANDARDS / "oai-identifier.xsd",
        "urn:lifelong-learning-portal:oai_dcterms": OWN_SCHEMA,
    }
    wrapper.write_text(
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">'
        + "".join(
            f'<xs:import namespace="{ns}" schemaLocation="{path.as_uri()}"/>'
            for ns, path in imports.items()
        )
        + "</xs:schema>"
    )
    return etree.XMLSchema(etree.parse(str(wrapper), PARSER))


@pytest.fixture(scope="session")
def official_schema() -> Any:
    """``oai-all.xsd`` exactly as the standards folder gives it."""
    if not (STANDARDS / "oai-all.xsd").exists():
        pytest.skip(f"the official OAI-PMH schemas are not at {STANDARDS}")
    return etree.XMLSchema(etree.parse(str(STANDARDS / "oai-all.xsd"), PARSER))


@pytest.fixture
def oai(client: Any, oai_schema: Any, official_schema: Any) -> Callable[..., Any]:
    """``oai(verb=..., **args)``: the parsed answer of a GET (or ``method="POST"``), checked
    to be valid against the schemas, HTTP 200 and text/xml."""

    def ask(method: str = "GET", query: Any = None, **args: str) -> Any:
        data = query if query is not None else args
        if method == "POST":
            response = client.post("/oai", data=data)
        else:
            response = client.get("/oai", query_string=data)
        assert response.status_code == 200
        assert response.headers["Content-Type"] == "text/xml; charset=utf-8"
        root = etree.fromstring(response.data, PARSER)
        oai_schema.assertValid(root)
        if b"oai_dcterms:dcterms" not in response.data:
            official_schema.assertValid(root)
        return root

    return ask


def error_of(root: Any) -> str | None:
    found = root.find("o:error", NS)
    return None if found is None else found.get("code")


@pytest.fixture
def teacher(make_user: Callable[..., Any]) -> Any:
    return make_user(full_name="Trần Văn Minh", roles=("teacher",))


@pytest.fixture
def publish(db: Any, teacher: Any) -> Callable[..., Any]:
    """``publish(title, texts={"en": (...)}, subjects=("health",))``: a published resource."""
    return lambda *args, **kwargs: make_published(teacher, *args, **kwargs)


def make_published(
    owner: Any,
    title: str = "Rửa tay đúng cách",
    *,
    texts: dict[str, tuple[str, str]] | None = None,
    subjects: tuple[str, ...] = ("health",),
    licence: str = "cc-by",
) -> Any:
    from courses.resources import operations

    resource = operations.create_resource(
        owner,
        language="vi",
        title=title,
        summary="Sáu bước rửa tay.",
        body="# Bước 1",
        licence=licence,
        audience="citizen",
        level="beginner",
        subjects=subjects,
        author="Trạm Y tế xã",
    )
    for code, (other_title, summary) in (texts or {}).items():
        operations.save_translation(
            resource, owner, language=code, title=other_title, summary=summary, body="Text"
        )
    operations.submit(resource, owner)
    operations.publish(resource, owner)
    return resource


@pytest.fixture(autouse=True)
def english_outside_requests(monkeypatch: pytest.MonkeyPatch) -> None:
    """The harvester's messages (CLI and operations, outside a request) in English, as the
    tests name them; the portal's default outside a request is Vietnamese."""
    monkeypatch.setattr("portal.i18n.DEFAULT_LANGUAGE", "en")
