"""The metadata formats: ``oai_dc`` (the resource's Dublin Core record,
``courses.resources.dublin_core``) and ``oai_dcterms`` (DCMI Metadata Terms: the same and
more, audience, education level, licence URL, issued and modified dates), both with the
title and summary of every translation tagged with ``xml:lang``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from flask import current_app, url_for
from lxml import etree

from courses.resources import dublin_core
from courses.resources.models import Resource
from courses.resources.queries import published_attachments
from courses.resources.vocabulary import AUDIENCES, LEVELS, SUBJECTS, licence_label, licence_url
from portal.i18n import force_language

DCTERMS = "http://purl.org/dc/terms/"
OAI_DCTERMS = "urn:lifelong-learning-portal:oai_dcterms"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SCHEMA_FILE = Path(__file__).resolve().parent / "schemas" / "oai_dcterms.xsd"
PUBLISHER = "Lifelong Learning Portal"


@dataclass(frozen=True)
class Format:
    prefix: str
    schema: str
    namespace: str


def base_url() -> str:
    return str(current_app.config["PORTAL_BASE_URL"]).rstrip("/")


def formats() -> dict[str, Format]:
    """The metadata formats every record is disseminated in, by prefix."""
    return {
        "oai_dc": Format(
            "oai_dc", "http://www.openarchives.org/OAI/2.0/oai_dc.xsd", dublin_core.OAI_DC
        ),
        "oai_dcterms": Format(
            "oai_dcterms", f"{base_url()}/oai/schemas/oai_dcterms.xsd", OAI_DCTERMS
        ),
    }


def repository_host() -> str:
    return urlsplit(base_url()).hostname or "localhost"


def identifier(resource_id: int) -> str:
    return f"oai:{repository_host()}:resource/{resource_id}"


def resource_id(text: str) -> int | None:
    """The resource number in one of our identifiers, else None."""
    prefix = f"oai:{repository_host()}:resource/"
    number = text[len(prefix) :] if text.startswith(prefix) else ""
    return int(number) if number.isdigit() and number == str(int(number)) else None


def page_url(resource: Resource) -> str:
    return base_url() + url_for("resources.detail", resource_id=resource.id)


def metadata(resource: Resource, prefix: str) -> etree._Element:
    """The payload of ``<metadata>`` for ``resource`` in format ``prefix``."""
    if prefix == "oai_dc":
        return etree.fromstring(dublin_core.export(resource, page_url(resource)))
    return _dcterms(resource)


def _dcterms(resource: Resource) -> etree._Element:
    revision = resource.latest_revision
    if revision is None:
        raise ValueError("the resource was never published")
    meta = revision.snapshot["metadata"]
    texts = revision.snapshot["translations"]
    schema = formats()["oai_dcterms"].schema
    root = etree.Element(
        f"{{{OAI_DCTERMS}}}dcterms",
        {f"{{{XSI}}}schemaLocation": f"{OAI_DCTERMS} {schema}"},
        nsmap={"oai_dcterms": OAI_DCTERMS, "dcterms": DCTERMS, "xsi": XSI},
    )

    def add(name: str, value: str, language: str | None = None) -> None:
        if value:
            element = etree.SubElement(root, f"{{{DCTERMS}}}{name}")
            element.text = value
            if language:
                element.set(XML_LANG, language)

    for language, text in sorted(texts.items()):
        add("title", text["title"], language)
    for language, text in sorted(texts.items()):
        add("abstract", text["summary"], language)
    add("creator", meta["author"])
    with force_language("en"):
        for code in meta["subjects"]:
            add("subject", str(SUBJECTS.get(code, code)), "en")
        add("audience", str(AUDIENCES.get(meta["audience"], meta["audience"])), "en")
        add("educationLevel", str(LEVELS.get(meta["level"], meta["level"])), "en")
        add("rights", licence_label(meta["licence"]), "en")
    add("license", licence_url(meta["licence"]))
    add("publisher", PUBLISHER)
    if resource.published_at is not None:
        add("issued", resource.published_at.date().isoformat())
    add("modified", revision.published_at.date().isoformat())
    add("hasVersion", str(revision.number))
    add("type", "Text")
    add("format", "text/html")
    for attachment in published_attachments(resource):
        add("format", attachment.content_type)
    add("identifier", page_url(resource))
    add("source", meta["source"])
    for language in sorted(texts):
        add("language", language)
    add("spatial", "VN")
    return root
