"""Public downloads: a certificate's credential and the revocation status lists."""

from __future__ import annotations

import json
from typing import Any

from flask import Response, abort

from courses.certificates import queries
from courses.credentials import badges, status

MEDIA_TYPE = "application/ld+json"


def _json(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def credential(code: str):  # type: ignore[no-untyped-def]
    certificate = queries.certificate_by_code(code)
    if certificate is None:
        abort(404)
    # Revoked certificates download too: the status list is what says they are revoked.
    response = Response(_json(badges.credential(certificate)), mimetype=MEDIA_TYPE)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="credential-{certificate.display_code}.json"'
    )
    response.headers["X-Robots-Tag"] = "noindex"  # names are public by code, not by search
    response.headers["Cache-Control"] = "private, no-cache"
    return response


def status_list(number: int):  # type: ignore[no-untyped-def]
    document = status.status_list_credential(number)
    if document is None:
        abort(404)
    response = Response(_json(document), mimetype=MEDIA_TYPE)
    # Short: a revocation reaches verifiers within five minutes.
    response.headers["Cache-Control"] = "public, max-age=300"
    response.headers["Access-Control-Allow-Origin"] = "*"  # verifiers run in browsers too
    return response
