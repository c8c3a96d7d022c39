"""The OAI-PMH provider at /oai: each verb, each error, resumption, sets, selective
harvesting and tombstones, every answer validated against the official schemas."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import update

from courses.oai.models import OaiRecord
from courses.resources import operations
from tests.oai.conftest import NS, error_of

HOST = "127.0.0.1"  # of the default PORTAL_BASE_URL


def ident(resource) -> str:
    return f"oai:{HOST}:resource/{resource.id}"


def identifiers(root) -> list[str]:
    return [e.text for e in root.iterfind(".//o:header/o:identifier", NS)]


def set_datestamp(db, resource, text: str) -> None:
    moment = datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    db.session.execute(
        update(OaiRecord).where(OaiRecord.resource_id == resource.id).values(datestamp=moment)
    )


def harvest_all(oai, verb="ListIdentifiers", **args):
    """Every page of a list: (headers as (identifier, deleted), the roots of the pages)."""
    root = oai(verb=verb, metadataPrefix="oai_dc", **args)
    pages = [root]
    while True:
        token = root.find(f"o:{verb}/o:resumptionToken", NS)
        if token is None or not token.text:
            break
        root = oai(verb=verb, resumptionToken=token.text)
        pages.append(root)
    headers = [
        (h.findtext("o:identifier", namespaces=NS), h.get("status") == "deleted")
        for page in pages
        for h in page.iterfind(".//o:header", NS)
    ]
    return headers, pages


def test_identify_describes_the_repository(oai, publish, db):
    first = publish("Một")
    set_datestamp(db, first, "2026-03-04T05:06:07Z")
    publish("Hai")
    root = oai(verb="Identify")
    assert root.findtext("o:Identify/o:repositoryName", namespaces=NS) == (
        "Lifelong Learning Portal"
    )
    assert root.findtext("o:Identify/o:baseURL", namespaces=NS) == "http://127.0.0.1:5000/oai"
    assert root.findtext("o:Identify/o:earliestDatestamp", namespaces=NS) == "2026-03-04T05:06:07Z"
    assert root.findtext("o:Identify/o:deletedRecord", namespaces=NS) == "persistent"
    assert root.findtext("o:Identify/o:granularity", namespaces=NS) == "YYYY-MM-DDThh:mm:ssZ"
    assert re.fullmatch(
        r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", root.findtext("o:responseDate", namespaces=NS)
    )
    assert root.find("o:request", NS).get("verb") == "Identify"


def test_identify_names_the_identifier_scheme_of_a_dotted_host(oai, app, monkeypatch, db):
    monkeypatch.setitem(app.config, "PORTAL_BASE_URL", "https://hoctap.example.vn")
    root = oai(verb="Identify")
    sample = root.findtext(
        ".//{http://www.openarchives.org/OAI/2.0/oai-identifier}sampleIdentifier"
    )
    assert sample == "oai:hoctap.example.vn:resource/1"


def test_post_is_answered_like_get_without_a_csrf_token(oai, app, monkeypatch, publish):
    resource = publish()
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    root = oai("POST", verb="GetRecord", identifier=ident(resource), metadataPrefix="oai_dc")
    assert identifiers(root) == [ident(resource)]


def test_list_metadata_formats_of_the_repository_and_of_a_record(oai, publish):
    resource = publish()
    for root in (
        oai(verb="ListMetadataFormats"),
        oai(verb="ListMetadataFormats", identifier=ident(resource)),
    ):
        prefixes = [e.text for e in root.iterfind(".//o:metadataPrefix", NS)]
        assert prefixes == ["oai_dc", "oai_dcterms"]
    schemas = [e.text for e in root.iterfind(".//o:schema", NS)]
    assert schemas[1] == "http://127.0.0.1:5000/oai/schemas/oai_dcterms.xsd"


def test_our_format_schema_is_served(client):
    response = client.get("/oai/schemas/oai_dcterms.xsd")
    assert (
        response.status_code == 200 and b"urn:lifelong-learning-portal:oai_dcterms" in response.data
    )
    assert client.get("/oai/schemas/other.xsd").status_code == 404


def test_list_sets_names_subjects_and_languages(oai):
    root = oai(verb="ListSets")
    sets = {
        s.findtext("o:setSpec", namespaces=NS): s.findtext("o:setName", namespaces=NS)
        for s in root.iterfind(".//o:set", NS)
    }
    assert sets["subject"] == "Subjects" and sets["subject:health"] == "Health"
    assert sets["language"] == "Languages" and sets["language:vi"].startswith("Vietnamese")


def test_get_record_in_dublin_core_tags_each_translation(oai, publish):
    resource = publish(texts={"en": ("Washing hands", "Six steps.")}, subjects=("health", "family"))
    root = oai(verb="GetRecord", identifier=ident(resource), metadataPrefix="oai_dc")
    titles = {
        e.get("{http://www.w3.org/XML/1998/namespace}lang"): e.text
        for e in root.iterfind(".//dc:title", NS)
    }
    assert titles == {"en": "Washing hands", "vi": "Rửa tay đúng cách"}
    specs = [e.text for e in root.iterfind(".//o:setSpec", NS)]
    assert specs == ["subject:family", "subject:health", "language:en", "language:vi"]
    assert root.findtext(".//dc:identifier", namespaces=NS).endswith(f"/resources/{resource.id}")


def test_get_record_in_dc_terms(oai, publish):
    resource = publish(texts={"en": ("Washing hands", "Six steps.")})
    root = oai(verb="GetRecord", identifier=ident(resource), metadataPrefix="oai_dcterms")
    abstracts = [e.text for e in root.iterfind(".//dcterms:abstract", NS)]
    assert abstracts == ["Six steps.", "Sáu bước rửa tay."]
    assert root.findtext(".//dcterms:license", namespaces=NS) == (
        "https://creativecommons.org/licenses/by/4.0/"
    )
    assert root.findtext(".//dcterms:educationLevel", namespaces=NS) == "Beginner"


def test_lists_are_split_and_resumed_each_record_once(oai, publish, app, monkeypatch):
    monkeypatch.setitem(app.config, "PORTAL_OAI_PAGE_SIZE", 2)
    made = [publish(f"Bài {n}") for n in range(5)]
    for verb in ("ListIdentifiers", "ListRecords"):
        headers, pages = harvest_all(oai, verb)
        assert sorted(headers) == sorted((ident(r), False) for r in made)
        assert len(pages) == 3
        tokens = [p.find(f"o:{verb}/o:resumptionToken", NS) for p in pages]
        assert [t.get("cursor") for t in tokens[1:]] == ["2", "4"]
        assert {t.get("completeListSize") for t in tokens} == {"5"}
        assert tokens[0].get("expirationDate") and not tokens[2].text
    assert len(list(pages[0].iterfind(".//oai_dc:dc", NS))) == 2


def test_records_deleted_between_pages_are_harvested_as_deleted(oai, publish, app, monkeypatch, db):
    monkeypatch.setitem(app.config, "PORTAL_OAI_PAGE_SIZE", 2)
    made = [publish(f"Bài {n}") for n in range(5)]
    for n, resource in enumerate(made):
        set_datestamp(db, resource, f"2026-01-0{n + 1}T00:00:00Z")
    first = oai(verb="ListIdentifiers", metadataPrefix="oai_dc")
    seen = identifiers(first)
    assert seen == [ident(made[0]), ident(made[1])]
    operations.archive(made[0], made[0].owner)  # already harvested
    operations.archive(made[3], made[3].owner)  # not yet
    headers = []
    root = first
    while (
        token := root.find("o:ListIdentifiers/o:resumptionToken", NS)
    ) is not None and token.text:
        root = oai(verb="ListIdentifiers", resumptionToken=token.text)
        headers += [
            (h.findtext("o:identifier", namespaces=NS), h.get("status") == "deleted")
            for h in root.iterfind(".//o:header", NS)
        ]
    live = [i for i, deleted in headers if not deleted] + seen
    assert sorted(live) == sorted([*seen, ident(made[2]), ident(made[4])])
    assert len(live) == len(set(live))
    assert sorted(i for i, deleted in headers if deleted) == sorted(
        [ident(made[0]), ident(made[3])]
    )


def test_tombstones_stay_until_the_resource_is_public_again(oai, publish, db):
    resource = publish()
    owner = resource.owner
    operations.archive(resource, owner)
    root = oai(verb="GetRecord", identifier=ident(resource), metadataPrefix="oai_dc")
    header = root.find(".//o:header", NS)
    assert header.get("status") == "deleted" and root.find(".//o:metadata", NS) is None
    operations.restore(resource, resource.latest_revision, owner)  # public again
    root = oai(verb="GetRecord", identifier=ident(resource), metadataPrefix="oai_dc")
    assert root.find(".//o:header", NS).get("status") is None
    assert root.find(".//oai_dc:dc", NS) is not None


def test_a_deleted_resource_leaves_a_tombstone(oai, publish, db):
    resource = publish()
    number = resource.id
    db.session.delete(resource)
    db.session.flush()
    headers, _ = harvest_all(oai, "ListRecords")
    assert headers == [(f"oai:{HOST}:resource/{number}", True)]


def test_unpublished_resources_are_not_records(oai, teacher, db):
    operations.create_resource(
        teacher,
        language="vi",
        title="Nháp",
        licence="cc-by",
        audience="citizen",
        level="beginner",
        author="A",
    )
    assert error_of(oai(verb="ListIdentifiers", metadataPrefix="oai_dc")) == "noRecordsMatch"


def test_new_version_restamps_the_record(oai, publish, db):
    resource = publish()
    set_datestamp(db, resource, "2026-01-01T00:00:00Z")
    operations.save_translation(
        resource, resource.owner, language="en", title="Hands", summary="", body=""
    )
    headers, _ = harvest_all(oai, until="2026-01-01")
    assert headers == [(ident(resource), False)]  # an edit in progress changes nothing
    operations.submit(resource, resource.owner)
    operations.publish(resource, resource.owner)
    root = oai(verb="ListIdentifiers", metadataPrefix="oai_dc", until="2026-01-01")
    assert error_of(root) == "noRecordsMatch"
    root = oai(query={"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "from": "2026-01-02"})
    assert identifiers(root) == [ident(resource)]


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        ({"from": "2026-01-02"}, [1, 2]),
        ({"until": "2026-01-02"}, [0, 1]),
        ({"from": "2026-01-02", "until": "2026-01-02"}, [1]),
        ({"from": "2026-01-02T12:00:00Z"}, [2]),
        ({"from": "2026-01-02T10:00:00Z", "until": "2026-01-02T10:00:00Z"}, [1]),
        ({"until": "2025-12-31"}, []),
    ],
)
def test_selective_harvesting_by_date(oai, publish, db, arguments, expected):
    made = [publish(f"Bài {n}") for n in range(3)]
    for resource, stamp in zip(
        made, ("2026-01-01T23:59:59Z", "2026-01-02T10:00:00Z", "2026-01-03T00:00:00Z"), strict=True
    ):
        set_datestamp(db, resource, stamp)
    root = oai(query={"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", **arguments})
    if expected:
        assert identifiers(root) == [ident(made[n]) for n in expected]
    else:
        assert error_of(root) == "noRecordsMatch"


def test_sets_select_subjects_and_languages(oai, publish):
    health = publish("Sức khỏe", subjects=("health",))
    law = publish("Pháp luật", subjects=("law",), texts={"en": ("Law", "")})
    assert identifiers(oai(verb="ListIdentifiers", metadataPrefix="oai_dc", set="subject:law")) == [
        ident(law)
    ]
    assert identifiers(oai(verb="ListIdentifiers", metadataPrefix="oai_dc", set="language:en")) == [
        ident(law)
    ]
    assert identifiers(oai(verb="ListIdentifiers", metadataPrefix="oai_dc", set="subject")) == [
        ident(health),
        ident(law),
    ]
    root = oai(verb="ListIdentifiers", metadataPrefix="oai_dc", set="subject:astrology")
    assert error_of(root) == "noRecordsMatch"


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ({}, "badVerb"),
        ({"verb": "Dance"}, "badVerb"),
        ({"verb": ["Identify", "Identify"]}, "badVerb"),
        ({"verb": "Identify", "set": "x"}, "badArgument"),
        ({"verb": "GetRecord", "metadataPrefix": "oai_dc"}, "badArgument"),
        ({"verb": "ListRecords"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": ["oai_dc", "oai_dc"]}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2026-1-1"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2026-02-30"}, "badArgument"),
        (
            {
                "verb": "ListRecords",
                "metadataPrefix": "oai_dc",
                "from": "2026-01-01",
                "until": "2026-01-02T00:00:00Z",
            },
            "badArgument",
        ),
        (
            {
                "verb": "ListRecords",
                "metadataPrefix": "oai_dc",
                "from": "2026-01-02",
                "until": "2026-01-01",
            },
            "badArgument",
        ),
        (
            {"verb": "ListRecords", "resumptionToken": "abc", "metadataPrefix": "oai_dc"},
            "badArgument",
        ),
        ({"verb": "ListRecords", "resumptionToken": "abc"}, "badResumptionToken"),
        ({"verb": "ListSets", "resumptionToken": "abc"}, "badResumptionToken"),
        ({"verb": "ListRecords", "metadataPrefix": "marc21"}, "cannotDisseminateFormat"),
        (
            {
                "verb": "GetRecord",
                "metadataPrefix": "oai_dc",
                "identifier": "oai:127.0.0.1:resource/999999",
            },
            "idDoesNotExist",
        ),
        (
            {"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": "nonsense"},
            "idDoesNotExist",
        ),
        (
            {"verb": "ListMetadataFormats", "identifier": "oai:127.0.0.1:resource/0999"},
            "idDoesNotExist",
        ),
        ({"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"}, "noRecordsMatch"),
    ],
)
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_every_protocol_error_is_a_valid_answer(oai, method, query, code):
    root = oai(method, query=query)
    assert error_of(root) == code
    request = root.find("o:request", NS)
    assert request.text == "http://127.0.0.1:5000/oai"
    if code in ("badVerb", "badArgument"):
        assert dict(request.attrib) == {}
    assert len(root) == 3  # responseDate, request, error


def test_tampered_and_expired_tokens_are_refused(oai, publish, app, monkeypatch):
    monkeypatch.setitem(app.config, "PORTAL_OAI_PAGE_SIZE", 1)
    publish("Một")
    publish("Hai")
    root = oai(verb="ListRecords", metadataPrefix="oai_dc")
    token = root.findtext("o:ListRecords/o:resumptionToken", namespaces=NS)
    assert identifiers(oai(verb="ListRecords", resumptionToken=token))
    assert (
        error_of(oai(verb="ListRecords", resumptionToken=token[:-2] + "xx")) == "badResumptionToken"
    )
    assert error_of(oai(verb="ListIdentifiers", resumptionToken=token)) == "badResumptionToken"
    monkeypatch.setitem(app.config, "PORTAL_OAI_TOKEN_SECONDS", -1)
    root = oai(verb="ListRecords", metadataPrefix="oai_dc")
    expired = root.findtext("o:ListRecords/o:resumptionToken", namespaces=NS)
    assert error_of(oai(verb="ListRecords", resumptionToken=expired)) == "badResumptionToken"
