"""The Dublin Core export is valid ``oai_dc`` with a language-tagged title per translation."""

from __future__ import annotations

from pathlib import Path

import pytest

lxml_etree = pytest.importorskip("lxml.etree")

SCHEMA = Path("/work/shared/standards/oai/oai_dc.xsd")
NS = {
    "dc": "http://purl.org/dc/elements/1.1/",
    "oai_dc": "http://www.openarchives.org/OAI/2.0/oai_dc/",
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@pytest.fixture(scope="module")
def schema():
    if not SCHEMA.exists():
        pytest.skip("the OAI schemas are not on this machine")
    parser = lxml_etree.XMLParser(no_network=True)
    return lxml_etree.XMLSchema(lxml_etree.parse(str(SCHEMA), parser))


def test_the_export_validates_and_tags_each_title_with_its_language(
    client, make_resource, reviewer, schema
):
    resource = make_resource(
        texts={
            "vi": ("Rửa tay <đúng> cách & an toàn", "Tóm tắt", "Nội dung"),
            "km": ("លាងដៃ", "សង្ខេប", "ខ្មែរ"),
        },
        published=True,
        by=reviewer,
        licence="cc-by-sa",
        subjects=("health", "family"),
    )
    response = client.get(f"/resources/{resource.id}/dc.xml")
    assert response.status_code == 200
    assert response.mimetype == "application/xml"
    document = lxml_etree.fromstring(response.data, lxml_etree.XMLParser(no_network=True))
    schema.assertValid(document)
    titles = {t.get(XML_LANG): t.text for t in document.findall("dc:title", NS)}
    assert titles == {"vi": "Rửa tay <đúng> cách & an toàn", "km": "លាងដៃ"}
    assert [e.text for e in document.findall("dc:language", NS)] == ["km", "vi"]
    assert document.find("dc:creator", NS).text == "Trạm Y tế xã"
    assert document.find("dc:identifier", NS).text.endswith(f"/resources/{resource.id}")
    assert "CC BY-SA 4.0" in document.find("dc:rights", NS).text
    assert {e.text for e in document.findall("dc:subject", NS)} == {
        "Health",
        "Family and community",
    }


def test_a_draft_has_no_export(client, make_resource):
    assert client.get(f"/resources/{make_resource().id}/dc.xml").status_code == 404
