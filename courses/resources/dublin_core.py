"""Dublin Core (``oai_dc``) records of published resources, as OAI-PMH harvesters read."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from courses.resources.models import Resource
from courses.resources.queries import published_attachments
from courses.resources.vocabulary import SUBJECTS, licence_label, licence_url
from portal.i18n import force_language

OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = "http://purl.org/dc/elements/1.1/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SCHEMA_LOCATION = f"{OAI_DC} http://www.openarchives.org/OAI/2.0/oai_dc.xsd"

ET.register_namespace("oai_dc", OAI_DC)
ET.register_namespace("dc", DC)
ET.register_namespace("xsi", XSI)


def export(resource: Resource, url: str) -> bytes:
    """The ``oai_dc:dc`` record of the resource's latest published version."""
    revision = resource.latest_revision
    if revision is None:
        raise ValueError("the resource was never published")
    meta = revision.snapshot["metadata"]
    texts = revision.snapshot["translations"]
    root = ET.Element(f"{{{OAI_DC}}}dc", {f"{{{XSI}}}schemaLocation": SCHEMA_LOCATION})

    def add(name: str, value: str, language: str | None = None) -> None:
        if value:
            element = ET.SubElement(root, f"{{{DC}}}{name}")
            element.text = value
            if language:
                element.set(XML_LANG, language)

    for language, text in sorted(texts.items()):
        add("title", text["title"], language)
    add("creator", meta["author"])
    with force_language("en"):
        for code in meta["subjects"]:
            add("subject", str(SUBJECTS.get(code, code)), "en")
    for language, text in sorted(texts.items()):
        add("description", text["summary"], language)
    add("publisher", "Lifelong Learning Portal")
    add("date", revision.published_at.date().isoformat())
    add("type", "Text")
    add("format", "text/html")
    for attachment in published_attachments(resource):
        add("format", attachment.content_type)
    add("identifier", url)
    add("source", meta["source"])
    for language in sorted(texts):
        add("language", language)
    add("coverage", "VN")
    with force_language("en"):
        rights = licence_label(meta["licence"])
    if licence_url(meta["licence"]):
        rights = f"{rights} {licence_url(meta['licence'])}"
    add("rights", rights)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
