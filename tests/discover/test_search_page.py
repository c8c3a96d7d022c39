"""The search page and the search box: plain HTML forms and links (no JavaScript), facets that
narrow, notices instead of errors for unknown filters, stable pages, escaped highlights."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest

WATER = {
    "health": {"vi": ("Nước sạch cho gia đình", "Giữ nước sạch.", "Đun sôi nước.")},
    "farming": {"vi": ("Nước tưới cho lúa", "Tưới đúng lúc.", "Tưới nước buổi sáng.")},
    "bilingual": {
        "vi": ("Nước uống an toàn", "Uống nước đun sôi.", "Nước đun sôi để nguội."),
        "en": ("Safe drinking water", "Drink boiled water.", "Boil the water."),
    },
}


@pytest.fixture
def en(client):
    """The client, with an English interface (labels are compared in English)."""
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def water(make_resource, indexed):
    """Three published resources about water (two subjects, two licences; one in English
    too) and a draft."""
    made = {
        "health": make_resource(published=True, texts=WATER["health"], subjects=("health",)),
        "farming": make_resource(
            published=True, texts=WATER["farming"], subjects=("agriculture",), licence="cc0"
        ),
        "bilingual": make_resource(
            published=True, texts=WATER["bilingual"], subjects=("health", "family")
        ),
        "draft": make_resource(texts={"vi": ("Nước nháp bí mật", "Nháp.", "Nháp.")}),
    }
    indexed()
    return made


def page_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def result_titles(page: str) -> list[str]:
    """The titles of the results, as a reader sees them (marks removed, entities read)."""
    titles = re.findall(r'<h3 lang="[^"]+"><a href="[^"]+">(.*?)</a></h3>', page)
    return [html.unescape(re.sub(r"</?mark>", "", title)) for title in titles]


def result_links(page: str) -> list[str]:
    return re.findall(r'<h3 lang="[^"]+"><a href="([^"]+)">', page)


def facet_links(page: str, heading: str) -> dict[str, tuple[str, int]]:
    """Label → (link, count) of the facet group under ``<h3>heading</h3>``."""
    group = page.split('<h2 id="facets-heading">', 1)[1].split(f"<h3>{heading}</h3>", 1)[1]
    group = group.split("</ul>", 1)[0]
    found = re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a> \((\d+)\)', group)
    return {label: (html.unescape(href), int(count)) for href, label, count in found}


def args(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def test_vietnamese_is_found_without_its_diacritics(en, make_course, indexed):
    course = make_course(title="Học nghề điện dân dụng")
    make_course(title="Nuôi cá nước ngọt")
    indexed()
    page = page_of(en.get("/search?q=hoc+nghe+dien"))
    assert result_titles(page) == ["Học nghề điện dân dụng"]
    assert "<mark>Học</mark> <mark>nghề</mark> <mark>điện</mark>" in page
    assert result_links(page) == [f"/courses/{course.id}?lang=vi"]
    assert '<h3 lang="vi">' in page and '<p class="snippet" lang="vi">' in page
    assert '<span lang="vi">Tiếng Việt</span>' in page  # the result's language, by its name
    assert "Course ·" in page
    assert '<p role="status">1 result</p>' in page


def test_lessons_show_their_kind_and_course(en, make_course, indexed):
    make_course(title="Kỹ năng số cơ bản", lessons=1, quiz=False)
    indexed()
    page = page_of(en.get("/search?q=noi+dung+bai"))
    assert result_titles(page) == ["Bài 1.1"]
    assert 'Lesson · <span lang="vi">Tiếng Việt</span> · Kỹ năng số cơ bản' in page


def test_facets_count_and_narrow_the_results(en, water):
    page = page_of(en.get("/search?q=nuoc"))
    assert len(result_titles(page)) == 3
    subjects = facet_links(page, "Subject")
    assert {label: count for label, (_, count) in subjects.items()} == {
        "Health": 2,
        "Agriculture": 1,
        "Family and community": 1,
    }
    licences = facet_links(page, "Licence")
    assert {label: count for label, (_, count) in licences.items()} == {
        "CC BY 4.0": 2,
        "CC0 1.0": 1,
    }
    assert facet_links(page, "Language")["Tiếng Việt"][1] == 3
    assert facet_links(page, "Type")["Resource"][1] == 3

    link = subjects["Agriculture"][0]
    assert args(link) == {"q": ["nuoc"], "subject": ["agriculture"]}
    narrowed = page_of(en.get(link))
    assert result_titles(narrowed) == ["Nước tưới cho lúa"]
    assert '<p role="status">1 result</p>' in narrowed
    # The active filter can be removed; the query stays.
    removal = re.search(r'<a href="([^"]+)">Remove filter “Agriculture”</a>', narrowed)
    assert removal and args(html.unescape(removal[1])) == {"q": ["nuoc"]}
    # A second filter keeps the first one and goes back to page 1.
    cc0 = facet_links(narrowed, "Licence")["CC0 1.0"][0]
    assert args(cc0) == {"q": ["nuoc"], "subject": ["agriculture"], "licence": ["cc0"]}


def test_the_content_language_filter_is_language_not_lang(en, water):
    page = page_of(en.get("/search?q=water+OR+nuoc&language=en"))
    assert result_titles(page) == ["Safe drinking water"]
    assert '<html lang="en"' in page  # the interface stays English
    vietnamese = page_of(en.get("/search?q=water+OR+nuoc&language=vi"))
    assert len(result_titles(vietnamese)) == 3


def test_unknown_filter_values_are_ignored_with_a_notice(en, water):
    response = en.get(
        "/search?q=nuoc&language=xx&kind=video&subject=cooking&level=expert"
        "&licence=<b>gpl</b>&page=abc"
    )
    page = page_of(response)
    assert len(result_titles(page)) == 3  # every filter ignored, first page
    for notice in (
        "There is no language “xx”",
        "There is no type “video”",
        "There is no subject “cooking”",
        "There is no level “expert”",
        "There is no licence “&lt;b&gt;gpl&lt;/b&gt;”",
    ):
        assert notice in page
    assert "<b>gpl" not in page


@pytest.mark.parametrize("language", ["vi", "km"])
def test_a_notice_shows_in_any_interface_language(client, water, language):
    page = page_of(client.get(f"/search?q=nuoc&subject=cooking&lang={language}"))
    assert f'<html lang="{language}"' in page
    notices = re.findall(r'<p class="flash flash-error" role="status">([^<]*)</p>', page)
    assert len(notices) == 1 and "“cooking”" in notices[0]
    assert len(result_titles(page)) == 3


@pytest.mark.parametrize(
    "query",
    [
        "x" * 10_000,
        "nuoc\x00\x01\x1b\x7f",
        '"nuoc sach',
        'nuoc"',
        "OR",
        "-",
        "- OR | AND",
        "nuoc OR",
        "OR nuoc",
        "-nuoc",
        '-""',
        "\u200b\ufeff",
        "((( *:* ~2 ^3",
        "nước" * 300,
    ],
)
def test_junk_queries_answer_200(en, water, query):
    page = page_of(en.get("/search", query_string={"q": query}))
    assert "<h1>Search</h1>" in page


@pytest.mark.parametrize("page_arg", ["0", "-1", "101", "1.5", "two", "", "١"])
def test_a_page_number_out_of_range_means_the_first_page(en, water, page_arg):
    page = page_of(en.get("/search", query_string={"q": "nuoc", "page": page_arg}))
    assert len(result_titles(page)) == 3


def test_pages_hold_different_results_and_link_each_other(en, make_course, indexed):
    make_course(title="Kỹ năng số", lessons=13, quiz=False)
    indexed()
    first = page_of(en.get("/search?q=noi+dung+bai"))
    assert '<p role="status">13 results</p>' in first
    second = page_of(en.get("/search?q=noi+dung+bai&page=2"))
    on_first, on_second = result_links(first), result_links(second)
    assert len(on_first) == 10 and len(on_second) == 3
    assert not set(on_first) & set(on_second)
    assert len(set(on_first + on_second)) == 13
    assert re.search(r'<nav aria-label="Pages of results">', first)
    assert re.search(r'<a href="[^"]*page=2"[^>]*rel="next"', first.replace("&amp;", "&"))
    assert re.search(r'aria-current="page"><span class="visually-hidden">Page </span>2<', second)
    assert 'rel="prev"' in second and 'rel="next"' not in second
    assert '<ol class="results" start="11">' in second
    # Past the last page: no results, and a way back.
    far = page_of(en.get("/search?q=noi+dung+bai&page=9"))
    assert result_titles(far) == []
    assert "go to the first page" in far


def test_results_never_include_drafts_or_courses_in_review(en, water, make_course, indexed):
    make_course(title="Nước nháp khóa học", status="draft")
    make_course(title="Nước khóa học chờ duyệt", status="in_review")
    published = make_course(title="Nước khóa học đã duyệt")
    indexed()
    page = page_of(en.get("/search?q=nuoc"))
    titles = result_titles(page)
    assert "Nước khóa học đã duyệt" in titles
    assert not any("nháp" in title or "chờ duyệt" in title for title in titles)
    assert f"/courses/{published.id}?lang=vi" in result_links(page)
    assert page_of(en.get("/search?q=bi+mat")).count("<h3 lang=") == 0


def test_titles_and_snippets_are_escaped(en, make_resource, make_course, indexed):
    make_resource(
        published=True,
        texts={"en": ("<script>alert(1)</script> Water", "<img src=x onerror=alert(2)> water", "")},
    )
    make_course(title='Water <b onmouseover="x()">course</b>', language="en")
    indexed()
    page = page_of(en.get("/search?q=water"))
    main = page.split('<main id="main"', 1)[1]
    assert "<script>" not in main and "<img" not in main and "<b " not in main
    assert "&lt;script&gt;alert(1)&lt;/script&gt; <mark>Water</mark>" in main
    assert "onerror=alert(2)&gt; <mark>water</mark>" in main  # a snippet: cut, still escaped
    assert "<mark>Water</mark> &lt;b onmouseover=" in main
    assert result_titles(page).count("<script>alert(1)</script> Water") == 1


def test_a_misspelt_word_gets_a_did_you_mean_link(en, make_course, indexed):
    make_course(title="Học nghề điện dân dụng")
    indexed()
    page = page_of(en.get("/search?q=nghe+dienn&kind=course"))
    assert '<p role="status">0 results</p>' in page
    found = re.search(r'Did you mean: <a href="([^"]+)">([^<]+)</a>', page)
    assert found is not None
    assert args(html.unescape(found[1])) == {"q": [found[2]], "kind": ["course"]}
    assert result_titles(page_of(en.get(html.unescape(found[1])))) == ["Học nghề điện dân dụng"]


def test_an_empty_query_shows_the_form_and_a_hint(en, water):
    for path in ("/search", "/search?q=", "/search?q=+++&subject=health"):
        page = page_of(en.get(path))
        assert '<form method="get" action="/search" role="search"' in page
        assert "Type a few words" in page
        assert '<ol class="results"' not in page and 'role="status">' not in page
        assert page.count("<h1>") == 1


def test_the_search_page_is_accessible_markup(en, water):
    page = page_of(en.get("/search?q=nuoc"))
    assert page.count("<h1>") == 1
    forms = re.findall(r'<form [^>]*role="search"[^>]*aria-label="([^"]+)"', page)
    assert len(forms) == 2 and len(set(forms)) == 2  # the header box and the page's form
    assert '<label for="search-q">' in page and 'id="search-q"' in page
    assert '<h2 id="facets-heading">' in page
    assert "<h3>Subject</h3>" in page and "<h3>Licence</h3>" in page
    assert "<script" not in page  # no JavaScript at all


def test_the_search_box_is_on_every_page_and_prefilled_on_search(en, water):
    home = page_of(en.get("/"))
    box = re.search(
        r'<form class="site-search" method="get" action="/search"[^>]*>(.*?)</form>', home, re.S
    )
    assert box is not None
    assert 'name="q"' in box[1] and 'value=""' in box[1]
    assert '<label for="site-q"' in box[1] and "<button" in box[1]
    for path in ("/resources", "/courses", "/sign-in"):
        assert 'class="site-search"' in page_of(en.get(path))
    searched = page_of(en.get("/search?q=n%C6%B0%E1%BB%9Bc+%22s%E1%BA%A1ch%22"))
    assert (
        'id="site-q" name="q" type="search" maxlength="500" value="nước &#34;sạch&#34;"' in searched
    )
    # Submitting the box (a plain GET) is the search page.
    assert result_titles(page_of(en.get("/search", query_string={"q": "nuoc sach"})))


def test_an_unreadable_index_is_a_503_in_the_visitors_language_not_a_500(client, search_index):
    import shutil

    live = search_index.store.live_path()
    assert client.get("/search?q=nuoc").status_code == 200
    search_index.store.close()
    shutil.rmtree(live)  # a lost disk, a half-copied folder
    live.mkdir()
    page = client.get("/search?q=nuoc", headers={"Accept-Language": "vi"})
    assert page.status_code == 503
    assert "Tìm kiếm tạm thời không dùng được" in page.get_data(as_text=True)
    api = client.get("/api/v1/search?q=nuoc")
    assert api.status_code == 503
    assert api.mimetype == "application/problem+json"
    assert api.get_json()["detail"].startswith("Search is not available right now")
    # The rest of the portal goes on.
    assert client.get("/").status_code == 200
