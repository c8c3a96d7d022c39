"""Template helpers available on every page."""

from __future__ import annotations

from flask import Flask, request, url_for
from flask_babel import format_date, format_datetime, format_decimal


def url_for_language(code: str) -> str:
    """This page's URL with ``?lang=code``, keeping the other query arguments."""
    args = request.args.to_dict(flat=False)
    args["lang"] = [code]
    endpoint = request.endpoint or "pages.home"
    view_args = dict(request.view_args or {})
    try:
        return url_for(endpoint, **view_args, **args)
    except Exception:  # an error page for a URL that matched no rule
        return url_for("pages.home", lang=code)


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
        url_for_language=url_for_language,
        field_attrs=field_attrs,
        format_date=format_date,
        format_datetime=format_datetime,
        format_decimal=format_decimal,
    )
