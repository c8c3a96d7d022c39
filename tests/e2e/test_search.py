"""Search in a real browser: the box in every page's header, accents that need not be typed,
Khmer words found inside runs of letters without spaces, facets that narrow and widen, each
result opening its own translation, all of it without JavaScript too, and a teacher's edit
that is found within two seconds (the demo server indexes in a thread of each process)."""

from __future__ import annotations

import random
import re
import time
from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

import pytest
from babel.support import Translations
from playwright.sync_api import BrowserContext, Locator, Page

from portal.i18n.languages import LANGUAGES
from tests.e2e.audit import Visit
from tests.e2e.server import TRANSLATIONS, PortalServer
from tests.e2e.site import sign_in
from tests.e2e.test_courses import _demo_course
from tests.e2e.test_journeys import html_lang, urlpath

DIGITAL = _demo_course("ky-nang-so-co-ban")
LITERACY = _demo_course("doc-chu-viet-cho-nguoi-lon")
COFFEE = _demo_course("ky-thuat-trong-ca-phe")["translations"]["vi"]["title"]
FINANCES = _demo_course("quan-ly-tai-chinh-gia-dinh")  # no other browser test reads its title
PASSWORDS = DIGITAL["modules"][0]["lessons"][0]["translations"]  # vi "Mật khẩu an toàn", en
KHMER_LESSON = LITERACY["modules"][0]["lessons"][0]["translations"]["km"]["title"]
INDEXED_WITHIN = 2.0  # seconds from a saved edit to a search that finds it


def translated(language: str, message: str) -> str:
    """``message`` as the interface shows it in ``language``: from the compiled catalogues
    along the language's fallback chain (Khmer: km → vi → en), as the portal looks it up."""
    for code in LANGUAGES[language].chain:
        text = Translations.load(str(TRANSLATIONS), [code]).gettext(message)
        if text != message:
            return text
    return message


def _go(page: Page, locator: Locator | str) -> None:
    """Follow a link or press a button that loads a new page, and wait for it."""
    target = page.locator(locator) if isinstance(locator, str) else locator
    with page.expect_navigation():
        target.click()
    assert page.locator("main h1").count() == 1, page.url


def header_search(page: Page, language: str, words: str) -> None:
    """Type ``words`` in the search box of the page's header, found by its accessible name in
    the interface ``language``, and submit it."""
    box = page.get_by_role("search", name=translated(language, "Search the portal"), exact=True)
    assert box.count() == 1, page.url
    box.get_by_role("searchbox").fill(words)
    with page.expect_navigation():
        box.get_by_role("searchbox").press("Enter")
    assert urlpath(page) == "/search", page.url
    assert parse_qs(urlsplit(page.url).query)["q"] == [words]


def total(page: Page) -> int:
    """The number of results the page announces ("6 kết quả")."""
    text = page.locator("main p[role=status]").inner_text()
    match = re.search(r"\d+", text)
    assert match, text
    return int(match.group())


def results(page: Page) -> Locator:
    return page.locator("main ol.results > li")


def result_titles(page: Page) -> list[str]:
    return [text.strip() for text in page.locator("main ol.results h3").all_inner_texts()]


def result(page: Page, title: str) -> Locator:
    """The one result titled ``title`` exactly."""
    found = results(page).filter(has=page.locator("h3 a", has_text=re.compile(rf"^{title}$")))
    assert found.count() == 1, (title, result_titles(page))
    return found


def facet_link(page: Page, facet: str, value: str) -> tuple[Locator, int]:
    """The facet's link to the value and the count written after it ("(3)")."""
    link = page.locator(f"main section.facets a[href*='{facet}={value}']")
    assert link.count() == 1, (facet, value, page.locator("main section.facets").inner_text())
    item = link.locator("xpath=..")
    match = re.search(r"\((\d+)\)\s*$", item.inner_text())
    assert match, item.inner_text()
    return link, int(match.group(1))


# --- accents, Khmer, facets, translations ---------------------------------------------------


def test_words_typed_without_accents_find_the_lesson_with_its_words_marked(page: Page) -> None:
    page.goto("/")
    assert html_lang(page) == "vi"
    header_search(page, "vi", "mat khau an toan")
    assert page.locator("main #search-q").input_value() == "mat khau an toan"
    assert page.locator("header #site-q").input_value() == "mat khau an toan"
    hit = result(page, PASSWORDS["vi"]["title"])
    assert hit.locator("h3").get_attribute("lang") == "vi"
    marked = hit.locator("h3 a mark").all_inner_texts()
    assert marked == ["Mật", "khẩu", "an", "toàn"], marked
    assert hit.locator("p.snippet mark").count() >= 2  # the body's words are marked too
    assert results(page).first.locator("h3").inner_text() == PASSWORDS["vi"]["title"]  # best
    _go(page, hit.locator("h3 a"))
    assert re.fullmatch(r"/courses/\d+/lessons/\d+", urlpath(page)), page.url
    assert page.locator("main article").get_attribute("lang") == "vi"
    assert page.locator("main article h1").inner_text() == PASSWORDS["vi"]["title"]
    assert html_lang(page) == "vi"


@pytest.mark.parametrize("word", ["ភាសា", "វៀតណាម"])  # "language", "Vietnam"
def test_a_khmer_word_inside_a_run_of_letters_finds_the_khmer_lesson(
    new_context: Callable[..., BrowserContext], word: str
) -> None:
    assert word in KHMER_LESSON and not KHMER_LESSON.startswith(word)  # no space around it
    page = new_context().new_page()
    page.goto("/?lang=km")  # a Khmer reader
    assert html_lang(page) == "km"
    header_search(page, "km", word)
    hit = result(page, KHMER_LESSON)
    assert hit.locator("h3").get_attribute("lang") == "km"
    assert hit.locator("h3 a mark").all_inner_texts() == [word]
    assert hit.locator("p.hint span[lang=km]").count() == 1  # "Bài học · ខ្មែរ · …"
    _go(page, hit.locator("h3 a"))
    assert page.locator("main article").get_attribute("lang") == "km"
    assert page.locator("main article h1").inner_text() == KHMER_LESSON
    assert html_lang(page) == "km"  # the interface follows the lesson's language


def test_facets_narrow_the_results_and_a_removed_filter_restores_them(page: Page) -> None:
    page.goto("/")
    header_search(page, "vi", "OTP")  # in the Vietnamese and the English digital course
    everything = total(page)
    languages = page.locator("main ol.results h3").evaluate_all("hs => hs.map(h => h.lang)")
    assert set(languages) == {"vi", "en"}, languages
    assert results(page).count() == everything  # one page

    english, count = facet_link(page, "language", "en")
    assert english.get_attribute("lang") == "en" and english.get_attribute("hreflang") == "en"
    assert 0 < count < everything
    _go(page, english)
    assert parse_qs(urlsplit(page.url).query)["language"] == ["en"]
    assert total(page) == count
    assert results(page).count() == count
    assert set(page.locator("main ol.results h3").evaluate_all("hs => hs.map(h => h.lang)")) == {
        "en"
    }
    active = page.locator("main ul.active-filters li")
    assert active.count() == 1
    assert active.locator("span[lang=en]").inner_text() == "English"
    assert page.locator("main section.facets strong[lang=en]").inner_text() == "English"
    assert page.locator("main #search-q").input_value() == "OTP"  # the query is kept
    _go(page, active.locator("a"))  # "Remove filter “English”"
    assert "language" not in parse_qs(urlsplit(page.url).query)
    assert page.locator("main ul.active-filters").count() == 0
    assert total(page) == everything

    lessons, count = facet_link(page, "kind", "lesson")
    label = lessons.inner_text()  # "Bài học"
    assert 0 < count < everything
    _go(page, lessons)
    assert total(page) == count
    assert results(page).count() == count
    kinds = {
        hint.split(" · ")[0] for hint in page.locator("main ol.results p.hint").all_inner_texts()
    }
    assert kinds == {label}, kinds
    assert label in page.locator("main ul.active-filters li").inner_text()
    english, english_lessons = facet_link(page, "language", "en")  # the filters add up
    assert 0 < english_lessons < count
    _go(page, english)
    params = parse_qs(urlsplit(page.url).query)
    assert params["kind"] == ["lesson"] and params["language"] == ["en"], params
    assert total(page) == english_lessons
    assert page.locator("main ul.active-filters li").count() == 2


def test_each_result_opens_its_own_translation(page: Page) -> None:
    page.goto("/")
    header_search(page, "vi", f'"{PASSWORDS["en"]["title"]}" OR "mat khau an toan"')
    english, vietnamese = (
        result(page, PASSWORDS["en"]["title"]),
        result(page, PASSWORDS["vi"]["title"]),
    )
    assert english.locator("h3").get_attribute("lang") == "en"
    assert vietnamese.locator("h3").get_attribute("lang") == "vi"
    search_url = page.url

    _go(page, english.locator("h3 a"))
    lesson = urlpath(page)
    assert page.locator("main article").get_attribute("lang") == "en"
    assert page.locator("main article h1").inner_text() == PASSWORDS["en"]["title"]

    page.goto(search_url)
    _go(page, result(page, PASSWORDS["vi"]["title"]).locator("h3 a"))
    assert urlpath(page) == lesson  # the same lesson, in the other language
    assert page.locator("main article").get_attribute("lang") == "vi"
    assert page.locator("main article h1").inner_text() == PASSWORDS["vi"]["title"]


# --- without JavaScript --------------------------------------------------------------------


def test_search_box_facets_and_pages_work_without_javascript(
    new_context: Callable[..., BrowserContext],
) -> None:
    page = new_context(java_script_enabled=False).new_page()
    page.goto("/resources")
    header_search(page, "vi", "va")  # "và" ("and"): in most Vietnamese texts
    everything = total(page)
    assert everything > 10, everything  # more than one page
    first_page = [a.get_attribute("href") for a in page.locator("main ol.results h3 a").all()]
    assert 0 < len(first_page) <= 10
    pager = page.locator("main nav ul.pager")
    assert pager.locator("a[aria-current=page]").inner_text().strip().endswith("1")

    _go(page, pager.locator("a[rel=next]"))
    assert parse_qs(urlsplit(page.url).query)["page"] == ["2"]
    assert page.locator("main ol.results").get_attribute("start") == "11"
    second_page = [a.get_attribute("href") for a in page.locator("main ol.results h3 a").all()]
    assert second_page and not set(second_page) & set(first_page)
    assert page.locator("main nav ul.pager a[aria-current=page]").inner_text().strip().endswith("2")
    _go(page, page.locator("main nav ul.pager a[rel=prev]"))
    assert [a.get_attribute("href") for a in page.locator("main ol.results h3 a").all()] == (
        first_page
    )

    courses, count = facet_link(page, "kind", "course")
    _go(page, courses)
    assert total(page) == count < everything
    assert "page" not in parse_qs(urlsplit(page.url).query)  # a new filter starts at page 1
    # A new query in the page's own form keeps the filter (a hidden field carries it).
    form = page.locator("main form[role=search]")
    form.locator("#search-q").fill("ca phe")
    with page.expect_navigation():
        form.locator("[type=submit]").click()
    params = parse_qs(urlsplit(page.url).query)
    assert params["q"] == ["ca phe"] and params["kind"] == ["course"], params
    assert result_titles(page) == [COFFEE], result_titles(page)
    _go(page, page.locator("main ul.active-filters a"))
    assert total(page) > 1


# --- an edit becomes searchable ------------------------------------------------------------


def _course_text_form(page: Page, title: str) -> str:
    """From the teacher's course list to the Vietnamese text of the course titled ``title``;
    the form's address."""
    page.goto("/teach/courses")
    _go(page, page.locator("main table a", has_text=re.compile(rf"^{re.escape(title)}$")))
    _go(page, page.locator("main ul.cw-langs a[lang=vi]").first)
    assert page.locator("main form #title").input_value() == title
    return page.url


def _save_title(page: Page, title: str) -> None:
    page.fill("main form #title", title)
    _go(page, "main form[method=post][novalidate] [type=submit]")
    assert page.locator(".flash-success").count() >= 1, page.locator("main").inner_text()


def _wait_for_search(page: Page, word: str, found: Callable[[list[str]], bool]) -> float:
    """Search for ``word`` again and again until ``found(titles)``; the seconds it took."""
    start = time.monotonic()
    while True:
        page.goto(f"/search?q={word}")
        titles = result_titles(page)
        elapsed = time.monotonic() - start
        if found(titles):
            return elapsed
        if elapsed > INDEXED_WITHIN:
            raise AssertionError(f"not found within {INDEXED_WITHIN} s: {word!r} → {titles}")
        time.sleep(0.05)


@pytest.fixture
def teacher_page(new_context: Callable[..., BrowserContext], portal: PortalServer) -> Page:
    """The demo teacher, signed in; the demo courses are theirs."""
    page = new_context().new_page()
    sign_in(page, portal.demo_user(role="teacher").sign_in, portal.demo_password)
    return page


def test_a_saved_title_is_found_within_two_seconds(teacher_page: Page) -> None:
    page = teacher_page
    original = FINANCES["translations"]["vi"]["title"]
    word = "".join(random.choices("bcdghklmnpqrstvx", k=10))  # in no other text
    edited = f"{original} {word}"
    form = _course_text_form(page, original)
    page.goto(f"/search?q={word}")
    assert total(page) == 0
    page.goto(form)
    try:
        _save_title(page, edited)
        seconds = _wait_for_search(page, word, lambda titles: titles == [edited])
        hit = result(page, edited)
        assert hit.locator("h3 a mark").all_inner_texts() == [word]
        assert seconds <= INDEXED_WITHIN
    finally:
        page.goto(form)
        _save_title(page, original)
    # The old words leave the index just as fast.
    _wait_for_search(page, word, lambda titles: titles == [])
    page.goto("/search?q=tai+chinh+gia+dinh")
    assert original in result_titles(page)


# --- audits of the search pages in Khmer ---------------------------------------------------


def test_search_page_in_khmer_has_no_violations(visited: Callable[..., Visit]) -> None:
    seen = visited("search-khmer", lang="km")
    assert seen.status == 200
    assert seen.lang == "km"
    assert seen.violations == 0, f"{seen.url}\n{seen.report}"
