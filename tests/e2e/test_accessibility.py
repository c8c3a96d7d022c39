"""axe-core audits every page: zero WCAG 2.0/2.1 level A and AA violations."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page

from portal.i18n.languages import LANGUAGES
from tests.e2e.audit import Visit, axe_audit
from tests.e2e.server import PortalServer
from tests.e2e.site import PAGE_NAMES, SitePage, make_reset_link


def assert_no_violations(page: Page) -> None:
    count, report = axe_audit(page)
    assert count == 0, f"{page.url}\n{report}"


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_page_has_no_wcag21_aa_violations_in_vietnamese(
    name: str, site_pages: dict[str, SitePage], visited: Callable[..., Visit]
) -> None:
    seen = visited(name)
    assert seen.status == site_pages[name].status
    assert seen.lang == "vi"
    assert seen.violations == 0, f"{seen.url}\n{seen.report}"


@pytest.mark.parametrize("language", sorted(set(LANGUAGES) - {"vi"}))
def test_home_page_has_no_violations_in_every_language(
    language: str, visited: Callable[..., Visit]
) -> None:
    seen = visited("home", lang=language)
    assert seen.lang == language
    assert seen.violations == 0, f"{seen.url}\n{seen.report}"


@pytest.mark.parametrize("language", ["km", "rad"])
@pytest.mark.parametrize("name", ["sign-up", "language", "profile", "places-household"])
def test_pages_have_no_violations_in_khmer_and_ede(
    name: str, language: str, site_pages: dict[str, SitePage], visited: Callable[..., Visit]
) -> None:
    seen = visited(name, lang=language)
    assert seen.status == site_pages[name].status
    assert seen.lang == language
    assert seen.violations == 0, f"{seen.url}\n{seen.report}"


def test_forms_showing_errors_have_no_violations(open_as: Callable[..., Page]) -> None:
    page = open_as("anonymous")
    page.goto("/sign-up")
    page.fill("input[name=identifier]", "not a number")
    page.fill("input[name=password]", "short")
    with page.expect_navigation():
        page.click("main form [type=submit]")
    assert page.locator("[aria-invalid=true]").count() >= 3
    assert_no_violations(page)

    page = open_as("learner")
    page.goto("/profile")
    page.fill("input[name=phone]", "12")
    with page.expect_navigation():
        page.click("main form [name=submit]")
    assert page.locator("input[name=phone][aria-invalid=true]").count() == 1
    assert_no_violations(page)


def test_reset_link_page_has_no_violations(
    open_as: Callable[..., Page], portal: PortalServer
) -> None:
    page = open_as("admin")
    link = make_reset_link(page, portal.demo_user(role="staff").sign_in)
    assert "/reset/" in link
    assert_no_violations(page)
