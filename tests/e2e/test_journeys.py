"""Journeys through the real portal in Chromium: signing up and in, and switching languages."""

from __future__ import annotations

import itertools
import random
import re
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_date
from playwright.sync_api import BrowserContext, Page

from tests.e2e.server import PortalServer
from tests.e2e.site import SitePage, sign_in

PASSWORD = "hoc-tap-ca-doi-2030"
KHMER = re.compile(r"[\u1780-\u17FF]")
ANONYMOUS_PAGES = ["/", "/sign-up", "/sign-in", "/forgot-password", "/language"]
# Numbers no other test or demo account uses: 0912 1xx xxx–0912 9xx xxx, random per run.
_numbers = itertools.count(random.randrange(100_000, 900_000, 1000))


@pytest.fixture
def new_phone() -> Callable[[], str]:
    """A Vietnamese mobile number nobody has signed up with, written the way people type it:
    ``0912 345 678``."""

    def make() -> str:
        n = next(_numbers)
        return f"0912 {n // 1000:03d} {n % 1000:03d}"

    return make


def html_lang(page: Page) -> str | None:
    return page.locator("html").get_attribute("lang")


def sign_up(page: Page, name: str, phone: str, password: str = PASSWORD) -> None:
    page.goto("/sign-up")
    page.fill("input[name=full_name]", name)
    page.fill("input[name=identifier]", phone)
    page.fill("input[name=password]", password)
    page.fill("input[name=confirm]", password)
    with page.expect_navigation():
        page.click("main form [type=submit]")
    assert urlpath(page) == "/profile", page.locator("main").inner_text()


def sign_out(page: Page) -> None:
    with page.expect_navigation():
        page.click("form[action$='/sign-out'] button")
    assert page.locator("form[action$='/sign-out']").count() == 0


def choose_language(page: Page, code: str) -> None:
    """Open the language page from the header link and press the language's button."""
    back_to = urlpath(page)
    with page.expect_navigation():
        page.click("header a.lang-link")
    assert urlpath(page) == "/language"
    with page.expect_navigation():
        page.click(f"main button[name=lang][value={code}]")
    assert urlpath(page) == back_to
    assert html_lang(page) == code


def urlpath(page: Page) -> str:
    return re.sub(r"^https?://[^/]+", "", page.url).split("?")[0]


def vietnamese_dates() -> set[str]:
    """Today in Ho Chi Minh City as the home page writes it in Vietnamese (and tomorrow, in
    case midnight passes during the test)."""
    now = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh"))
    return {format_date(day, "full", locale="vi") for day in (now, now + timedelta(minutes=1))}


def test_sign_up_with_a_phone_number_then_sign_out_and_in_again(
    page: Page, new_phone: Callable[[], str]
) -> None:
    phone = new_phone()
    sign_up(page, "Lò Thị Xuân", phone)
    assert "Lò Thị Xuân" in page.locator(".flash").inner_text()
    assert page.input_value("input[name=full_name]") == "Lò Thị Xuân"

    sign_out(page)
    assert urlpath(page) == "/"
    assert page.locator(".flash").count() == 1

    # The same number written the international way signs in to the same account.
    sign_in(page, "+84 " + phone.removeprefix("0"), PASSWORD)
    page.goto("/profile")
    assert page.input_value("input[name=full_name]") == "Lò Thị Xuân"


def test_wrong_password_is_refused_with_a_message(page: Page, portal: PortalServer) -> None:
    page.goto("/sign-in")
    page.fill("input[name=identifier]", portal.demo_user(role="learner", language="vi").sign_in)
    page.fill("input[name=password]", "not-the-password")
    with page.expect_navigation():
        page.click("main form [type=submit]")
    assert page.locator("input[name=password][aria-invalid=true]").count() == 1
    assert page.locator("form[action$='/sign-out']").count() == 0


def test_switch_to_khmer_then_ede_then_back_to_vietnamese(page: Page) -> None:
    page.goto("/")
    assert html_lang(page) == "vi"
    vietnamese_nav = page.locator("header nav").inner_text()
    assert page.locator(".notice").count() == 0

    # Khmer from the language page: the whole interface follows, on every page.
    choose_language(page, "km")
    assert KHMER.search(page.locator("header nav").inner_text())
    assert page.locator("footer a[hreflang=km][aria-current=true]").count() == 1
    for path in ANONYMOUS_PAGES:
        page.goto(path)
        assert html_lang(page) == "km", path
        assert KHMER.search(page.locator("main h1").inner_text()), path
        notice = page.locator(".notice")  # Khmer is awaiting review: says what falls back
        assert notice.is_visible() and "Tiếng Việt" in notice.inner_text(), path

    # Ede from the footer links: untranslated text falls back to Vietnamese, visibly.
    page.goto("/")
    with page.expect_navigation():
        page.click("footer a[hreflang=rad]")
    assert html_lang(page) == "rad"
    assert not KHMER.search(page.locator("header nav").inner_text())
    assert not KHMER.search(page.locator("main").inner_text())
    assert page.locator(".notice").is_visible()
    assert "Tiếng Việt" in page.locator(".notice").inner_text()
    today = page.locator("main .hint").first.inner_text()
    assert any(day in today for day in vietnamese_dates()), today
    for path in ANONYMOUS_PAGES:
        page.goto(path)
        assert html_lang(page) == "rad", path
        assert page.locator(".notice").is_visible(), path

    # And back to Vietnamese, as a first visitor sees the portal.
    page.goto("/")
    choose_language(page, "vi")
    assert page.locator(".notice").count() == 0
    assert page.locator("header nav").inner_text() == vietnamese_nav
    page.goto("/sign-in")
    assert html_lang(page) == "vi"


def test_language_choice_is_saved_in_the_profile_and_follows_the_user(
    new_context: Callable[..., BrowserContext], new_phone: Callable[[], str]
) -> None:
    phone = new_phone()
    page = new_context().new_page()
    sign_up(page, "Thạch Thị Sa Ly", phone)
    choose_language(page, "km")
    sign_out(page)

    # Another phone, another browser: no cookie, a Vietnamese browser; the profile decides.
    other = new_context(locale="vi-VN").new_page()
    other.goto("/")
    assert html_lang(other) == "vi"
    sign_in(other, phone, PASSWORD)
    assert html_lang(other) == "km"
    other.goto("/profile")
    assert html_lang(other) == "km"
    assert KHMER.search(other.locator("main h1").inner_text())

    # Choosing Vietnamese again is saved too.
    choose_language(other, "vi")
    sign_out(other)
    third = new_context(locale="km-KH").new_page()
    sign_in(third, phone, PASSWORD)
    assert html_lang(third) == "vi"


def test_a_demo_learner_who_chose_ede_gets_ede_after_signing_in(
    page: Page, portal: PortalServer
) -> None:
    sign_in(page, portal.demo_user(language="rad").sign_in, portal.demo_password)
    assert html_lang(page) == "rad"
    assert page.locator(".notice").is_visible()


def test_unknown_language_codes_give_vietnamese(new_context: Callable[..., BrowserContext]) -> None:
    page = new_context().new_page()
    response = page.goto("/?lang=zz")
    assert response is not None and response.status == 200
    assert html_lang(page) == "vi"

    page = new_context(extra_http_headers={"Accept-Language": "xx-YY"}).new_page()
    for path in ("/", "/sign-in", "/language"):
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        assert html_lang(page) == "vi", path

    page = new_context(extra_http_headers={"Accept-Language": "km-KH,km;q=0.9"}).new_page()
    page.goto("/")
    assert html_lang(page) == "km"


def test_every_page_works_without_javascript(
    new_context: Callable[..., BrowserContext],
    portal: PortalServer,
    site_pages: dict[str, SitePage],
    admin_state: Path,
    new_phone: Callable[[], str],
) -> None:
    learner = new_context(java_script_enabled=False).new_page()
    sign_in(learner, portal.demo_user(role="learner", language="vi").sign_in, portal.demo_password)
    visitors = {
        "anonymous": new_context(java_script_enabled=False).new_page(),
        "learner": learner,
        "admin": new_context(java_script_enabled=False, storage_state=admin_state).new_page(),
    }
    for site in site_pages.values():
        page = visitors[site.who]
        response = page.goto(site.path)
        assert response is not None and response.status == site.status, site
        assert page.locator("main h1").count() == 1, site

    # Forms need no script: sign up, switch language, sign out.
    page = visitors["anonymous"]
    sign_up(page, "Y Bhin Niê", new_phone())
    page.goto("/language")
    with page.expect_navigation():
        page.click("main button[value=rad]")
    assert html_lang(page) == "rad"
    sign_out(page)
