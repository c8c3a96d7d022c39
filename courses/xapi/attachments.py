"""Statement attachments: the ``multipart/mixed`` requests that carry them (RFC 2046, parsed
with the standard library's ``email`` package, which keeps binary parts byte for byte), the
SHA-2 checks of each part, their storage (:class:`courses.xapi.models.LrsAttachment`, once
per hash) and the ``multipart/mixed`` answer of ``GET /statements?attachments=true``."""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from email import policy
from email.parser import BytesParser
from typing import Any

import sqlalchemy as sa
from flask import current_app

from courses.records.summaries import dialect_insert
from courses.xapi.models import LrsAttachment
from courses.xapi.validation import Invalid
from portal.extensions import db

HASH_HEADER = "X-Experience-API-Hash"
SIGNATURE_USAGE = "http://adlnet.gov/expapi/attachments/signature"
_HASHES = {56: hashlib.sha224, 64: hashlib.sha256, 96: hashlib.sha384, 128: hashlib.sha512}


@dataclass
class Body:
    """A statement request's JSON and the attachment parts that came with it, by hash."""

    document: Any
    parts: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # sha2: (type, content)


def parse_multipart(content_type: str, raw: bytes) -> Body:
    """The JSON first part and the attachment parts of a ``multipart/mixed`` request body."""
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
    message = BytesParser(policy=policy.HTTP).parsebytes(head + raw)
    if not message.is_multipart() or message.defects:
        raise Invalid("the multipart/mixed body needs a boundary parameter and parts")
    parts = message.get_payload()
    if not parts:
        raise Invalid("the multipart/mixed body has no parts")
    first = parts[0]
    if first.get_content_type() != "application/json":
        raise Invalid("the first part of a multipart/mixed body is the application/json")
    document = _json(first.get_payload(decode=True) or b"")
    found: dict[str, tuple[str, bytes]] = {}
    for index, part in enumerate(parts[1:], start=2):
        sha2 = (part.get(HASH_HEADER) or "").strip().lower()
        if not sha2:
            raise Invalid(f"part {index} has no {HASH_HEADER} header")
        if (part.get("Content-Transfer-Encoding") or "").strip().lower() != "binary":
            raise Invalid(f"part {index} needs Content-Transfer-Encoding: binary")
        content = part.get_payload(decode=True) or b""
        digest = _HASHES.get(len(sha2))
        if digest is None or digest(content).hexdigest() != sha2:
            raise Invalid(f"the content of part {index} does not have the hash {sha2}")
        found[sha2] = (part.get_content_type(), content)
    return Body(document, found)


def _json(raw: bytes) -> Any:

    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise Invalid("the body is not valid JSON") from None


def check(statements: list[dict[str, Any]], parts: dict[str, tuple[str, bytes]]) -> None:
    """Every attachment without a ``fileUrl`` has its part, and every part an attachment."""
    wanted: set[str] = set()
    named: set[str] = set()
    for statement in statements:
        for attachment in _attachments(statement):
            sha2 = str(attachment.get("sha2", "")).lower()
            named.add(sha2)
            if "fileUrl" not in attachment:
                wanted.add(sha2)
    missing = wanted - set(parts)
    if missing:
        raise Invalid(f"no part carries the attachment {sorted(missing)[0]}")
    extra = set(parts) - named
    if extra:
        raise Invalid(f"the part {sorted(extra)[0]} is no attachment of the statements")
    limit = current_app.config["PORTAL_XAPI_MAX_ATTACHMENT_BYTES"]
    if any(len(content) > limit for _type, content in parts.values()):
        raise Invalid(f"an attachment is larger than {limit} bytes")


def _attachments(statement: dict[str, Any]) -> Iterable[dict[str, Any]]:
    items = statement.get("attachments")
    yield from (a for a in items if isinstance(a, dict)) if isinstance(items, list) else ()
    obj = statement.get("object")
    if isinstance(obj, dict) and obj.get("objectType") == "SubStatement":
        yield from _attachments(obj)


def store(parts: dict[str, tuple[str, bytes]]) -> None:
    """Keep the parts' contents (one ``INSERT``; contents already stored are skipped)."""
    if not parts:
        return
    rows = [
        {"sha2": sha2, "content_type": kind[:255], "length": len(content), "content": content}
        for sha2, (kind, content) in parts.items()
    ]
    insert = dialect_insert(LrsAttachment).on_conflict_do_nothing(index_elements=["sha2"])
    db.session.execute(insert, rows)


def contents(statements: list[dict[str, Any]]) -> list[LrsAttachment]:
    """The stored contents of the statements' attachments (one ``SELECT``)."""
    hashes = {str(a.get("sha2", "")).lower() for s in statements for a in _attachments(s)}
    if not hashes:
        return []
    query = sa.select(LrsAttachment).where(LrsAttachment.sha2.in_(sorted(hashes)))
    return list(db.session.scalars(query))


def multipart(document: bytes, files: list[LrsAttachment]) -> tuple[bytes, str]:
    """A ``multipart/mixed`` body: the JSON, then one part per attachment content."""
    boundary = secrets.token_hex(16)
    chunks = [
        f"--{boundary}\r\nContent-Type: application/json\r\n\r\n".encode(),
        document,
        b"\r\n",
    ]
    for item in files:
        chunks += [
            f"--{boundary}\r\nContent-Type: {item.content_type}\r\n"
            f"Content-Transfer-Encoding: binary\r\n{HASH_HEADER}: {item.sha2}\r\n\r\n".encode(),
            item.content,
            b"\r\n",
        ]
    chunks.append(f"--{boundary}--\r\n".encode())
    return b"".join(chunks), f"multipart/mixed; boundary={boundary}"
