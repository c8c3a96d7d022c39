"""Template helpers available on every page."""

from __future__ import annotations

from flask import Flask
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


def init_app(app: Flask) -> None:
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.globals.update(
        field_attrs=field_attrs,
        format_date=format_date,
        format_datetime=format_datetime,
        format_decimal=format_decimal,
    )
