"""Template helpers available on every page."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Flask, request
from flask_babel import format_date, format_datetime, format_decimal


def field_attrs(field, **extra: str | None) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """HTML attributes for a form field: hints and errors linked by aria-describedby."""
    attrs = {key: value for key, value in extra.items() if value}
    described = []
    if field.description:
        described.append(f"{field.id}-desc")
    if field.errors:
        described.append(f"{field.id}-err")
        attrs["aria-invalid"] = "true"
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return attrs


def with_language(code: str) -> str:
    """This page's query string with ``lang`` set to ``code`` (a search, a filter or a page
    number survives a change of language)."""
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"]
    return "?" + urlencode([*args, ("lang", code)])


def init_app(app: Flask) -> None:
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.globals.update(
        field_attrs=field_attrs,
        format_date=format_date,
        format_datetime=format_datetime,
        format_decimal=format_decimal,
        with_language=with_language,
    )
