"""The language switcher: works without JavaScript, remembers the choice."""

from __future__ import annotations

from flask import redirect, render_template, request
from flask_login import current_user

from portal.i18n import set_language_cookie
from portal.i18n.languages import LANGUAGES, parse
from portal.safe_urls import safe_next


def choose():  # type: ignore[no-untyped-def]
    next_url = request.values.get("next")
    if request.method == "POST":
        language = parse(request.form.get("lang"))
        if language is None:
            return render_template(
                "i18n/choose.html", languages=LANGUAGES.values(), next_url=next_url
            ), 400
        if current_user.is_authenticated:
            from portal.accounts import operations

            operations.update_profile(current_user, language=language.code)
        response = redirect(_without_lang(safe_next(next_url)))
        set_language_cookie(response, language.code)
        return response
    return render_template("i18n/choose.html", languages=LANGUAGES.values(), next_url=next_url)


def _without_lang(url: str) -> str:
    """Drop a ``lang`` query argument, which would override the new choice."""
    from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "lang"]
    return urlunsplit(parts._replace(query=urlencode(query)))
