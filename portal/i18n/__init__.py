"""Interface language selection, message fallback chains and formatting locales.

Every request gets ``g.language`` (a :class:`~portal.i18n.languages.Language`) chosen from, in
order: ``?lang=``, the ``lang`` cookie, the signed-in user's saved language, the
``Accept-Language`` header, and the configured default. Anything unknown or malformed is
ignored, so a bad code can never break a page.

The cookie comes before the profile because it records the latest choice made on this device:
the footer links (``?lang=``) set only the cookie, since a GET must not change the profile,
and without this order a signed-in user's click would last a single page. The language page
(a POST) sets both, and on a new device the profile decides.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from babel.support import NullTranslations, Translations
from flask import Flask, g, request
from flask_babel import Babel, Domain, force_locale

from portal.i18n.languages import DEFAULT_LANGUAGE, LANGUAGES, Language, best_match, parse

logger = logging.getLogger(__name__)

COOKIE = "lang"
COOKIE_MAX_AGE = 365 * 24 * 3600
TRANSLATIONS_DIR = Path(__file__).resolve().parent.parent.parent / "translations"


class ChainDomain(Domain):
    """A message domain that loads the interface language's catalogue and then each
    catalogue of its fallback chain, so a message missing in Ede is looked up in
    Vietnamese, then English. Loaded catalogues are cached per process."""

    def __init__(self, directory: Path) -> None:
        super().__init__(translation_directories=[str(directory)])
        self._chains: dict[str, NullTranslations] = {}

    def clear(self) -> None:
        """Forget the loaded catalogues (after ``flask translate compile`` in a running
        process, e.g. in tests); they are loaded again on next use."""
        self._chains.clear()

    def get_translations(self) -> NullTranslations:
        language = current_language()
        chain = self._chains.get(language.code)
        if chain is None:
            chain = self._chains[language.code] = self._load_chain(language)
        return chain

    def _load_chain(self, language: Language) -> NullTranslations:
        head: NullTranslations | None = None
        for code in language.chain:
            catalogue = Translations.load(self.translation_directories[0], [code], "messages")
            if not isinstance(catalogue, Translations):
                continue  # no compiled catalogue for this language (yet)
            if head is None:
                head = catalogue
            else:
                head.add_fallback(catalogue)
        return head or NullTranslations()


class PortalBabel(Babel):
    """Flask-Babel with the fallback-chain domain."""

    def __init__(self) -> None:
        super().__init__()
        self._domain = ChainDomain(TRANSLATIONS_DIR)

    @property
    def domain_instance(self) -> Domain:  # type: ignore[override]
        return self._domain


def current_language() -> Language:
    """The interface language of this request (the default outside a request)."""
    language = g.get("language") if g else None
    return language or LANGUAGES[DEFAULT_LANGUAGE]


@contextmanager
def force_language(code: str) -> Iterator[Language]:
    """Translate and format in ``code`` inside the block (e.g. English labels in an export
    that harvesters read), whatever the visitor's language."""
    language = LANGUAGES[code]
    previous = g.get("language")
    g.language = language
    try:
        with force_locale(language.formatting_locale):
            yield language
    finally:
        g.language = previous


def select_language(default: str) -> Language:
    """Choose the interface language for the current request."""
    from flask_login import current_user

    candidates = [request.args.get("lang"), request.cookies.get(COOKIE)]
    if current_user and current_user.is_authenticated:
        candidates.append(current_user.language)
    for tag in candidates:
        language = parse(tag)
        if language is not None:
            return language
    return best_match(list(request.accept_languages)) or LANGUAGES[default]


def _formatting_locale() -> str:
    return current_language().formatting_locale


def init_app(app: Flask, babel: Babel) -> None:
    """Wire language selection into every request and into templates."""
    babel.init_app(
        app,
        default_translation_directories=str(TRANSLATIONS_DIR),
        locale_selector=_formatting_locale,
    )
    default = app.config["PORTAL_DEFAULT_LANGUAGE"]

    @app.before_request
    def choose_language() -> None:
        g.language = select_language(default)

    @app.after_request
    def remember_query_language(response):  # type: ignore[no-untyped-def]
        chosen = parse(request.args.get("lang"))
        if chosen is not None and request.cookies.get(COOKIE) != chosen.code:
            set_language_cookie(response, chosen.code)
        response.vary.add("Accept-Language")
        response.vary.add("Cookie")
        return response

    @app.context_processor
    def language_context() -> dict[str, object]:
        language = current_language()
        return {
            "current_language": language,
            "languages": list(LANGUAGES.values()),
            "fallback_language": LANGUAGES[language.fallback[0]] if language.fallback else language,
        }


def set_language_cookie(response, code: str) -> None:  # type: ignore[no-untyped-def]
    from flask import current_app

    response.set_cookie(
        COOKIE,
        code,
        max_age=COOKIE_MAX_AGE,
        samesite="Lax",
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        httponly=True,
    )
