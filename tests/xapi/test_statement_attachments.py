"""Attachments sent in ``multipart/mixed`` (with their SHA-2 checked) and returned with
``attachments=true``; signed statements (JWS) checked before they are stored."""

from __future__ import annotations

import hashlib
from email import policy
from email.parser import BytesParser
from typing import Any

import pytest

from courses.xapi.models import LrsAttachment
from portal.extensions import db
from tests.xapi.conftest import Lrs
from tests.xapi.statement_data import (
    attachment,
    multipart,
    part_headers,
    signed,
    signing_key,
    statement,
)

TEXT = b"Hello, learning record store.\r\n\x00\xff binary too"


def post_multipart(lrs: Lrs, body: bytes, content_type: str) -> Any:
    return lrs.post("statements", data=body, headers={"Content-Type": content_type})


def parts_of(response: Any) -> list[Any]:
    head = f"Content-Type: {response.headers['Content-Type']}\r\n\r\n".encode()
    return BytesParser(policy=policy.HTTP).parsebytes(head + response.data).get_payload()


def test_an_attachment_is_stored_and_returned_with_its_statement(lrs: Lrs) -> None:
    data = statement(attachments=[attachment(TEXT)])
    body, kind = multipart(data, [(TEXT, part_headers(TEXT))])
    assert post_multipart(lrs, body, kind).status_code == 200
    assert db.session.get(LrsAttachment, hashlib.sha256(TEXT).hexdigest()).content == TEXT
    response = lrs.get(
        "statements", query_string={"statementId": data["id"], "attachments": "true"}
    )
    assert response.mimetype == "multipart/mixed"
    first, second = parts_of(response)
    assert first.get_content_type() == "application/json"
    assert second.get_payload(decode=True) == TEXT
    assert second["X-Experience-API-Hash"] == hashlib.sha256(TEXT).hexdigest()
    listed = lrs.get("statements", query_string={"attachments": "true"})
    assert len(parts_of(listed)) == 2
    plain = lrs.get("statements", query_string={"attachments": "false"})
    assert plain.mimetype == "application/json"


def test_the_same_content_twice_is_stored_once(lrs: Lrs) -> None:
    for _ in range(2):
        data = statement(attachments=[attachment(TEXT)])
        body, kind = multipart(data, [(TEXT, part_headers(TEXT))])
        assert post_multipart(lrs, body, kind).status_code == 200
    assert db.session.query(LrsAttachment).count() == 1


def test_a_file_url_attachment_needs_no_part(lrs: Lrs) -> None:
    data = statement(attachments=[attachment(TEXT, fileUrl="http://example.com/hello.txt")])
    assert lrs.post("statements", json=data).status_code == 200
    body, kind = multipart(data | {"id": statement()["id"]}, [])
    assert post_multipart(lrs, body, kind).status_code == 200


def _without(headers: dict[str, str], name: str) -> dict[str, str]:
    return {k: v for k, v in headers.items() if k != name}


@pytest.mark.parametrize(
    "case",
    [
        "content missing (JSON body)",
        "content missing (multipart body)",
        "no hash header",
        "hash header differs",
        "no Content-Transfer-Encoding",
        "an extra part",
        "first part not JSON",
        "no boundary in the body",
        "boundary missing from the header",
        "multipart/form-data",
    ],
)
def test_attachments_that_do_not_add_up_are_refused(lrs: Lrs, case: str) -> None:
    data = statement(attachments=[attachment(TEXT)])
    headers = part_headers(TEXT)
    body, kind = multipart(data, [(TEXT, headers)])
    if case == "content missing (JSON body)":
        response = lrs.post("statements", json=data)
        assert response.status_code == 400
        return
    if case == "content missing (multipart body)":
        body, kind = multipart(data, [])
    elif case == "no hash header":
        body, kind = multipart(data, [(TEXT, _without(headers, "X-Experience-API-Hash"))])
    elif case == "hash header differs":
        body, kind = multipart(data, [(TEXT, headers | {"X-Experience-API-Hash": "ab" * 32})])
    elif case == "no Content-Transfer-Encoding":
        body, kind = multipart(data, [(TEXT, _without(headers, "Content-Transfer-Encoding"))])
    elif case == "an extra part":
        other = b"not named by any attachment"
        body, kind = multipart(data, [(TEXT, headers), (other, part_headers(other))])
    elif case == "first part not JSON":
        body, kind = multipart(data, [(TEXT, headers)], first_type="text/plain")
    elif case == "no boundary in the body":
        body = body.replace(b"--xapi-test-boundary", b"--other")
    elif case == "boundary missing from the header":
        kind = "multipart/mixed"
    else:
        kind = kind.replace("mixed", "form-data")
    assert post_multipart(lrs, body, kind).status_code == 400
    assert db.session.query(LrsAttachment).count() == 0


def test_an_attachment_over_the_limit_is_refused(app: Any, lrs: Lrs) -> None:
    data = statement(attachments=[attachment(TEXT)])
    body, kind = multipart(data, [(TEXT, part_headers(TEXT))])
    app.config["PORTAL_XAPI_MAX_ATTACHMENT_BYTES"] = 10
    try:
        assert post_multipart(lrs, body, kind).status_code == 400
    finally:
        app.config["PORTAL_XAPI_MAX_ATTACHMENT_BYTES"] = 20 * 1024 * 1024


@pytest.mark.parametrize("algorithm", ["RS256", "RS384", "RS512"])
def test_a_signed_statement_is_accepted(lrs: Lrs, algorithm: str) -> None:
    key, certificate = signing_key()
    body, kind = signed(statement(), algorithm=algorithm, key=key, x5c=certificate)
    assert post_multipart(lrs, body, kind).status_code == 200


def test_a_signature_without_a_certificate_is_checked_for_its_payload(lrs: Lrs) -> None:
    body, kind = signed(statement())
    assert post_multipart(lrs, body, kind).status_code == 200


def test_durations_are_compared_to_the_hundredth_of_a_second(lrs: Lrs) -> None:
    data = statement(result={"duration": "P1DT12H36M0.12S"})
    body, kind = signed(data)
    longer = body.replace(b'"P1DT12H36M0.12S"', b'"P1DT12H36M0.1237S"', 1)
    assert post_multipart(lrs, longer, kind).status_code == 200


@pytest.mark.parametrize(
    "case",
    ["HS256", "payload differs", "payload not JSON", "other key", "not a JWS", "content type"],
)
def test_a_bad_signature_is_refused(lrs: Lrs, case: str) -> None:
    data = statement()
    key, _certificate = signing_key()
    if case == "HS256":
        body, kind = signed(data, algorithm="HS256")
    elif case == "payload differs":
        body, kind = signed(data, payload={**data, "verb": {"id": "http://example.com/other"}})
    elif case == "payload not JSON":
        body, kind = signed(data, payload=b"{'not': 'json'}")
    elif case == "other key":
        _other, other_certificate = signing_key()
        body, kind = signed(data, key=key, x5c=other_certificate)
    elif case == "not a JWS":
        token = b"this is not a signature"
        signed_data = {
            **data,
            "attachments": [
                attachment(token, usageType="http://adlnet.gov/expapi/attachments/signature")
                | {"contentType": "application/octet-stream"}
            ],
        }
        body, kind = multipart(signed_data, [(token, part_headers(token))])
    else:
        body, kind = signed(data, content_type="text/plain; charset=ascii")
    response = post_multipart(lrs, body, kind)
    assert response.status_code == 400, response.get_json()
