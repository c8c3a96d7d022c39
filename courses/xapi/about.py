"""The About resource: the xAPI versions this LRS speaks. Open to everyone."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from courses.records.statements import XAPI_VERSION


def about() -> Response:
    return jsonify({"version": [XAPI_VERSION]})


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/about", "about", about, methods=["GET", "HEAD"])
