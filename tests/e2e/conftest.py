"""Fixtures of the browser tests: one portal under gunicorn and one headless Chromium for the
whole run, a fresh browser context (cookies, language, JavaScript) per test.

Chromium is Debian's ``/usr/bin/chromium`` (``scripts/ensure_chromium.sh`` installs it; ``make
test`` runs that first), driven by Playwright's sync API from PyPI. ``playwright install`` is
never used. Without Chromium these tests fail, they do not skip. ``PORTAL_E2E_CHROMIUM`` points
them at another Chromium binary.

The server's log is ``gunicorn.log`` in the instance folder under pytest's temporary directory;
screenshots go to test-results/e2e/.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from tests.e2e.audit import Visit, visit
from tests.e2e.server import PortalServer, run_portal
from tests.e2e.site import SitePage, discover, sign_in

CHROMIUM = os.environ.get("PORTAL_E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 412, "height": 915}  # CSS pixels of a common Android phone
HERE = Path(__file__).resolve().parent
ARTIFACTS = HERE.parents[1] / "test-results" / "e2e"  # gitignored


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(item.path).parents:
            item.add_marker(pytest.mark.e2e)
            # One worker runs every browser test against one gunicorn (make test uses -n 2).
            item.add_marker(pytest.mark.xdist_group("e2e"))


@pytest.fixture(scope="session")
def portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PortalServer]:
    """The portal under gunicorn (2 workers) with a migrated SQLite database in a temporary
    instance folder, administrative units and the demo accounts loaded."""
    with run_portal(tmp_path_factory.mktemp("portal-instance")) as server:
        yield server


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"{CHROMIUM} is missing: run `sh scripts/ensure_chromium.sh` (as root) to "
            "install Debian's chromium and fonts-noto-core; `make test` does it.",
            pytrace=False,
        )
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def new_context(browser: Browser, portal: PortalServer) -> Iterator[Callable[..., BrowserContext]]:
    """Make browser contexts on the portal; a Vietnamese phone browser unless told
    otherwise. Closed at the end of the test."""
    contexts: list[BrowserContext] = []

    def make(**options: Any) -> BrowserContext:
        options.setdefault("base_url", portal.base_url)
        headers = {k.lower() for k in options.get("extra_http_headers", {})}
        if "accept-language" not in headers:  # the locale would override the header
            options.setdefault("locale", "vi-VN")
        options.setdefault("viewport", PHONE)
        context = browser.new_context(**options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context: Callable[..., BrowserContext]) -> Page:
    return new_context().new_page()


@pytest.fixture(scope="session")
def admin_state(
    browser: Browser, portal: PortalServer, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """Cookies of a signed-in demo administrator, for contexts that open admin pages."""
    return _signed_in_state(
        browser,
        portal,
        tmp_path_factory,
        portal.demo_user(role="admin").sign_in,
        portal.demo_password,
    )


@pytest.fixture(scope="session")
def learner_state(
    browser: Browser, portal: PortalServer, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """Cookies of a signed-in Vietnamese-speaking demo learner."""
    return _signed_in_state(
        browser,
        portal,
        tmp_path_factory,
        portal.demo_user(role="learner", language="vi").sign_in,
        portal.demo_password,
    )


def _signed_in_state(
    browser: Browser,
    portal: PortalServer,
    tmp_path_factory: pytest.TempPathFactory,
    identifier: str,
    password: str,
) -> Path:
    context = browser.new_context(base_url=portal.base_url, locale="vi-VN")
    try:
        sign_in(context.new_page(), identifier, password)
        path = tmp_path_factory.mktemp("state") / (re.sub(r"\W", "_", identifier) + ".json")
        context.storage_state(path=path)
    finally:
        context.close()
    return path


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Where screenshots go for people to look at (test-results/e2e/, gitignored)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def site_pages(
    browser: Browser, portal: PortalServer, admin_state: Path, learner_state: Path
) -> dict[str, SitePage]:
    """Every page the tests audit, by name, with ids found (or made) by the administrator
    and the demo learner."""
    context = browser.new_context(
        base_url=portal.base_url, locale="vi-VN", storage_state=admin_state
    )
    learner = browser.new_context(
        base_url=portal.base_url, locale="vi-VN", storage_state=learner_state
    )
    try:
        return discover(
            context,
            learner=portal.demo_user(role="learner", language="vi").sign_in,
            reset_for=portal.demo_user(role="teacher").sign_in,
            run_tag=portal.base_url.rsplit(":", 1)[-1],
            learner_context=learner,
        )
    finally:
        learner.close()
        context.close()


@pytest.fixture
def open_as(
    new_context: Callable[..., BrowserContext], request: pytest.FixtureRequest
) -> Callable[..., Page]:
    """A page in a new context of a visitor: ``open_as("anonymous")``, ``open_as("learner")``
    or ``open_as("admin")``; keyword arguments go to the context."""

    def make(who: str, **options: Any) -> Page:
        state = None if who == "anonymous" else request.getfixturevalue(f"{who}_state")
        return new_context(storage_state=state, **options).new_page()

    return make


@pytest.fixture(scope="session")
def visited(
    browser: Browser,
    portal: PortalServer,
    site_pages: dict[str, SitePage],
    request: pytest.FixtureRequest,
) -> Callable[..., Visit]:
    """``visited("profile")`` or ``visited("home", lang="km")``: the page opened once in a new
    context of its visitor and measured (axe audit, weight, origins). Tests that check
    different things about the same page share the visit."""
    cache: dict[tuple[str, str | None], Visit] = {}

    def get(name: str, lang: str | None = None) -> Visit:
        if (name, lang) not in cache:
            site = site_pages[name]
            state = (
                None if site.who == "anonymous" else request.getfixturevalue(f"{site.who}_state")
            )
            context = browser.new_context(
                base_url=portal.base_url,
                locale="vi-VN",
                viewport=PHONE,
                storage_state=state,
            )
            try:
                path = site.path
                if lang is not None:
                    path += ("&" if "?" in path else "?") + f"lang={lang}"
                cache[name, lang] = visit(context, path)
            finally:
                context.close()
        return cache[name, lang]

    return get
