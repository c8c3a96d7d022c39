"""Querying an index: the syntax people know from web search, ranking, facets, highlights,
"did you mean", pagination and the per-searcher filter cache."""

from __future__ import annotations

import pytest

from search.query import MAX_CHARS, MAX_CLAUSES, MAX_PAGE, parse


@pytest.fixture
def electric(make_index):
    """Four documents about electricity and water, for the query syntax."""
    return make_index(
        {"key": "r:both", "title": "Điện và nước", "body": "Sửa điện nước trong nhà"},
        {"key": "r:electric", "title": "Học nghề điện", "body": "Bài học về điện dân dụng"},
        {"key": "r:reversed", "title": "Điện nghề", "body": "Nghề làm thợ"},
        {"key": "r:water", "title": "Nước sạch", "body": "Lọc nước cho gia đình"},
    )


# Query syntax


def test_words_are_anded_by_default(electric):
    assert set(electric.keys("điện")) == {"r:both", "r:electric", "r:reversed"}
    assert electric.keys("điện nước") == ["r:both"]
    assert electric.keys("dien nuoc sua") == ["r:both"]
    assert electric.keys("điện nước nghề") == []


def test_phrase_needs_the_words_adjacent_and_in_order(electric):
    assert set(electric.keys("nghề điện")) == {"r:electric", "r:reversed"}
    assert electric.keys('"nghề điện"') == ["r:electric"]
    assert electric.keys('"nghe dien"') == ["r:electric"]
    assert electric.keys('"điện nghề"') == ["r:reversed"]
    assert electric.keys('"học điện"') == []  # both words are there, not side by side


def test_minus_excludes_a_word_or_a_phrase(electric):
    assert set(electric.keys("điện -nước")) == {"r:electric", "r:reversed"}
    assert set(electric.keys("dien -nuoc")) == {"r:electric", "r:reversed"}
    assert set(electric.keys('điện -"nghề điện"')) == {"r:both", "r:reversed"}
    assert set(electric.keys('điện -"điện nghề" -nước')) == {"r:electric"}


@pytest.mark.parametrize("operator", ["OR", "|"])
def test_or_and_bar_match_either_word(electric, operator):
    assert set(electric.keys(f"sạch {operator} dân")) == {"r:water", "r:electric"}
    # OR binds the words beside it; the other words are still required.
    assert electric.keys(f"nước sạch {operator} dân") == ["r:water"]
    assert set(electric.keys(f'"nghề điện" {operator} "điện nghề"')) == {
        "r:electric",
        "r:reversed",
    }


JUNK = {
    "empty": "",
    "whitespace": "  \t\n  ",
    "none": None,
    "long word": "x" * 10_000,
    "controls": "\x00\x1b\u200b",
    "unbalanced quote": '"xyz',
    "minus": "-",
    "or": "OR",
    "bar": "|",
    "minus or": "-OR",
    "quote": '"',
    "quotes": '""""',
    "only exclusions": "-điện -nước",
    "emoji": "😀🔌",
    "punctuation": "!@#$%^&*()[]{}<>?/\\;:'",
    "field syntax": "title:điện* OR body:[a TO z]~2^3",
}


@pytest.mark.parametrize("text", JUNK.values(), ids=JUNK.keys())
def test_junk_queries_never_raise_and_find_nothing(electric, text):
    results = electric.search(text, page=3)
    assert results.hits == [] and results.total == 0
    assert len(results.query) <= MAX_CHARS


def test_junk_around_real_words_still_finds_them(electric):
    assert electric.keys("điện\x00nước\x1b") == ["r:both"]  # controls separate words
    assert electric.keys("\u200bđiện\u200b nước") == ["r:both"]
    # A stray quote is dropped: the words are then searched one by one.
    assert set(electric.keys('"nghề điện')) == {"r:electric", "r:reversed"}
    assert electric.keys('"nghề điện" "') == ["r:electric"]
    assert electric.keys("điện nước 😀 OR | -") == ["r:both"]
    assert electric.keys("OR điện nước") == ["r:both"]
    assert electric.keys("điện nước " * 2_000) == ["r:both"]  # 40,000 characters


def test_a_hundred_word_query_is_capped(electric):
    words = [f"w{i:02d}" for i in range(100)]
    assert len(parse(" ".join(words)).words) == MAX_CLAUSES
    # Only the first MAX_CLAUSES words count: a document with just those is found.
    electric.add({"key": "r:words", "title": " ".join(words[:MAX_CLAUSES])})
    assert electric.keys(" ".join(words)) == ["r:words"]
    assert electric.keys(" ".join(words[1 : MAX_CLAUSES + 1])) == []


# Ranking


def test_title_match_outranks_the_same_word_only_in_the_body(make_index):
    index = make_index(
        # Same words, same field lengths: only the field the word is in differs.
        {"key": "r:body", "title": "roof kit", "body": "solar panel"},
        {"key": "r:title", "title": "solar panel", "body": "roof kit"},
    )
    hits = index.search("solar").hits
    assert [hit.key for hit in hits] == ["r:title", "r:body"]
    assert hits[0].score > 1.5 * hits[1].score  # equal without the boost


# Facets

FACETED = (
    {"key": "r:1", "language": "vi", "kind": "resource", "subjects": ["digital", "health"],
     "level": "beginner", "licence": "cc-by"},
    {"key": "r:2", "language": "vi", "kind": "course", "subjects": ["digital"],
     "level": "advanced", "licence": "cc-by-sa"},
    {"key": "r:3", "language": "en", "kind": "lesson", "subjects": ["health"],
     "level": "beginner", "licence": "cc-by"},
    {"key": "r:4", "language": "km", "kind": "resource"},
    {"key": "r:5", "language": "en", "kind": "resource", "subjects": ["agriculture"],
     "level": "beginner", "licence": "cc0"},
)  # fmt: skip


@pytest.fixture
def faceted(make_index):
    index = make_index(*({**doc, "title": "Sổ tay chung"} for doc in FACETED))
    index.add({"key": "r:unrelated", "language": "vi", "subjects": ["digital"], "title": "Khác"})
    return index


def test_facet_counts_match_hand_counts(faceted):
    results = faceted.search("chung")
    assert results.total == 5
    assert results.facets == {
        "language": [("en", 2), ("vi", 2), ("km", 1)],
        "kind": [("resource", 3), ("course", 1), ("lesson", 1)],
        "subject": [("digital", 2), ("health", 2), ("agriculture", 1)],
        "level": [("beginner", 3), ("advanced", 1)],
        "licence": [("cc-by", 2), ("cc-by-sa", 1), ("cc0", 1)],
    }


def test_filters_narrow_results_and_counts(faceted):
    results = faceted.search("chung", filters={"language": "en"})
    assert {hit.key for hit in results.hits} == {"r:3", "r:5"}
    assert results.total == 2
    assert results.facets["language"] == [("en", 2)]
    assert results.facets["kind"] == [("lesson", 1), ("resource", 1)]
    assert results.facets["subject"] == [("agriculture", 1), ("health", 1)]

    both = faceted.search("chung", filters={"subject": "health", "level": "beginner"})
    assert {hit.key for hit in both.hits} == {"r:1", "r:3"}
    assert both.facets["language"] == [("en", 1), ("vi", 1)]
    assert set(faceted.keys("chung", filters={"subject": "digital", "language": "vi"})) == {
        "r:1",
        "r:2",
    }


def test_subject_facet_counts_a_document_in_each_of_its_subjects(faceted):
    results = faceted.search("chung", filters={"subject": "health"})
    assert {hit.key for hit in results.hits} == {"r:1", "r:3"}
    # r:1 is also about digital skills: it counts there too.
    assert results.facets["subject"] == [("health", 2), ("digital", 1)]
    assert faceted.search("chung", filters={"subject": "digital"}).total == 2
    assert [hit.subjects for hit in results.hits if hit.key == "r:1"] == [["digital", "health"]]


@pytest.mark.parametrize(
    "filters",
    [
        {"language": "xx"},
        {"kind": "spaceship"},
        {"subject": "digital,health"},
        {"level": "\x00"},
        {"licence": "x" * 1_000},
        {"language": "vi", "subject": "agriculture"},
    ],
)
def test_filters_with_unknown_values_give_no_results(faceted, filters):
    results = faceted.search("chung", filters=filters)
    assert results.total == 0 and results.hits == []


def test_filters_on_unknown_facets_or_empty_values_are_ignored(faceted):
    assert faceted.search("chung", filters={"colour": "red"}).total == 5
    assert faceted.search("chung", filters={"language": ""}).total == 5


# Highlights


def test_snippets_mark_matched_words_as_written(make_index):
    index = make_index(
        {"key": "r:1", "title": "Học nghề ĐIỆN", "body": "Thợ điện sửa điện dân dụng"},
    )
    hit = index.search("dien tho").hits[0]
    assert hit.title_html == "Học nghề <mark>ĐIỆN</mark>"
    assert hit.snippet_html == "<mark>Thợ</mark> <mark>điện</mark> sửa <mark>điện</mark> dân dụng"
    # A decomposed (NFD) query marks the same words.
    assert index.search("\u0111ie\u0302\u0323n").hits[0].title_html == "Học nghề <mark>ĐIỆN</mark>"


def test_snippets_escape_html_in_the_text(make_index):
    index = make_index(
        {"key": "r:1", "title": "<b>Điện</b> & nước", "body": 'Xem <script>alert("điện")</script>'},
    )
    hit = index.search("điện").hits[0]
    assert hit.title_html == "&lt;b&gt;<mark>Điện</mark>&lt;/b&gt; &amp; nước"
    assert "<script>" not in hit.snippet_html
    assert hit.snippet_html.startswith('Xem &lt;script&gt;alert("<mark>điện</mark>")')
    assert hit.title == "<b>Điện</b> & nước"  # the plain field stays as written


def test_excluded_words_are_not_highlighted(make_index):
    index = make_index({"key": "r:1", "title": "Điện", "body": "điện dân dụng và điện công nghiệp"})
    hit = index.search('điện -"dụng điện"').hits[0]  # both words are there, not as a phrase
    assert hit.snippet_html == "<mark>điện</mark> dân dụng và <mark>điện</mark> công nghiệp"


def test_body_without_a_match_gives_an_empty_snippet(make_index):
    index = make_index({"key": "r:1", "title": "Điện", "body": "Nước sạch"})
    hit = index.search("điện").hits[0]
    assert hit.snippet_html == ""
    assert hit.title_html == "<mark>Điện</mark>"


def test_english_snippets_mark_other_forms_of_the_word(make_index):
    index = make_index(
        {"key": "r:en", "language": "en", "title": "Passwords", "body": "Choose a password."},
    )
    hit = index.search("passwords").hits[0]
    assert hit.title_html == "<mark>Passwords</mark>"
    assert hit.snippet_html.startswith("Choose a <mark>password</mark>")


def test_a_long_body_gives_its_snippet_from_around_the_first_match(make_index):
    filler = "Nước sạch cho mọi nhà. " * 120  # ~2,800 characters without the word
    body = filler + "Thợ điện sửa điện dân dụng. " + filler
    index = make_index({"key": "r:1", "title": "Học nghề", "body": body})
    snippet = index.search("dien").hits[0].snippet_html
    assert "Thợ <mark>điện</mark> sửa <mark>điện</mark> dân dụng" in snippet
    assert len(snippet) < 600 and not snippet.startswith(" ")


def test_a_stem_not_written_in_the_text_still_marks_the_word(make_index):
    # "happy" stems to "happi", which the text does not contain: the whole source is read.
    body = "Learning for everyone. " * 60 + "A happy learner."
    index = make_index({"key": "r:en", "language": "en", "title": "Joy", "body": body})
    assert "<mark>happy</mark> learner" in index.search("happy").hits[0].snippet_html


# "Did you mean"


def test_misspelt_word_gets_a_suggestion_from_the_index_vocabulary(make_index):
    index = make_index(
        {"key": "r:1", "title": "Học nghề điện"},
        {"key": "r:2", "title": "Nấu ăn ngon"},
    )
    results = index.search("dein")  # điện typed without diacritics, two letters swapped
    assert results.total == 0
    assert results.suggestion == "dien"
    assert index.keys(results.suggestion) == ["r:1"]
    assert index.search("hoc dein").suggestion == "hoc dien"
    assert index.search("ngje").suggestion == "nghe"  # one letter wrong
    assert index.search('"học nghề" dein').suggestion == '"học nghề" dien'


def test_known_word_gets_no_suggestion(make_index):
    index = make_index(
        {"key": "r:1", "title": "Học nghề điện"},
        {"key": "r:2", "language": "en", "title": "Reset passwords"},
    )
    assert index.search("dien").suggestion is None
    assert index.search("điện").suggestion is None
    assert index.search("password").suggestion is None  # found through its stem
    assert index.search("zzzz").suggestion is None  # nothing close: nothing offered


# Pagination


def test_pages_of_equal_scores_give_every_hit_once_in_a_stable_order(make_index):
    index = make_index()
    for _ in range(3):  # several commits, so several segments
        index.add(*({"title": "Sách giống nhau", "body": "cùng nội dung"} for _ in range(9)))

    def walk() -> list[str]:
        keys: list[str] = []
        for page in range(1, 10):
            results = index.search("sách", page=page, per_page=4)
            assert results.total == 27 and results.pages == 7
            if not results.hits:
                break
            assert len({hit.score for hit in results.hits}) == 1
            keys += [hit.key for hit in results.hits]
        return keys

    first = walk()
    assert sorted(first) == sorted(f"resource:{n}" for n in range(1, 28))
    assert len(set(first)) == len(first) == 27
    assert walk() == first


@pytest.mark.parametrize("page", [8, 50, MAX_PAGE, MAX_PAGE + 1, 10**9])
def test_page_beyond_the_end_is_empty(make_index, page):
    index = make_index(*({"title": "Sách"} for _ in range(27)))
    results = index.search("sách", page=page, per_page=4)
    assert results.hits == []
    assert results.total == 27
    assert 1 <= results.page <= MAX_PAGE


@pytest.mark.parametrize("page", [0, -1])
def test_page_below_one_is_the_first_page(make_index, page):
    index = make_index(*({"title": "Sách"} for _ in range(5)))
    results = index.search("sách", page=page, per_page=2)
    assert results.page == 1
    assert [hit.key for hit in results.hits] == index.keys("sách", page=1, per_page=2)


# Filter cache


def test_filter_docset_is_cached_per_searcher_and_cleared_by_a_commit(make_index):
    index = make_index(
        {"key": "r:1", "language": "vi", "title": "Điện"},
        {"key": "r:2", "language": "vi", "title": "Điện nước"},
        {"key": "r:3", "language": "en", "title": "Điện"},
    )
    key = ("facet", "language", "vi")
    assert index.search("điện", filters={"language": "vi"}).total == 2
    cached = index.store.cache[key]
    assert cached.sum() == 2

    assert index.search("điện", filters={"language": "vi"}).total == 2
    assert index.store.cache[key] is cached  # reused, not rebuilt

    index.add({"key": "r:4", "language": "vi", "title": "Điện mới"})
    results = index.search("điện", filters={"language": "vi"})
    assert results.total == 3
    assert "r:4" in {hit.key for hit in results.hits}
    assert index.store.cache[key] is not cached
    assert index.store.cache[key].sum() == 3


def test_documents_that_open_later_stay_out_of_hits_counts_and_facets(make_index):
    from datetime import date

    index = make_index(
        {"key": "lesson:open", "kind": "lesson", "title": "Tiết kiệm hằng tháng"},
        {
            "key": "lesson:soon",
            "kind": "lesson",
            "title": "Tiết kiệm cho con",
            "opens_on": 20261207,
        },
        {"key": "course:1", "kind": "course", "title": "Tiết kiệm gia đình"},
    )
    before = index.search("tiet kiem", today=date(2026, 12, 6))
    assert sorted(hit.key for hit in before.hits) == ["course:1", "lesson:open"]
    assert before.total == 2
    assert dict(before.facets["kind"]) == {"course": 1, "lesson": 1}
    on_the_day = index.search("tiet kiem", today=date(2026, 12, 7))
    assert on_the_day.total == 3
    assert dict(on_the_day.facets["kind"]) == {"course": 1, "lesson": 2}


def test_a_page_asked_again_comes_from_the_cache_until_the_index_changes(make_index):
    index = make_index({"key": "r:1", "title": "Nuôi cá rô phi"})
    first = index.search("ca ro", filters={"language": "vi"})
    pages = index.store.cache["pages"]
    assert len(pages) == 1
    again = index.search("cá rô", filters={"language": "vi"})  # another spelling, another key
    same = index.search("ca ro", filters={"language": "vi"})
    assert len(pages) == 2
    assert [h.key for h in same.hits] == [h.key for h in first.hits] == ["r:1"]
    assert same.hits is not first.hits  # callers may filter their copy
    assert again.total == 1
    index.add({"key": "r:2", "title": "Cá rô đồng"})
    assert sorted(h.key for h in index.search("ca ro").hits) == ["r:1", "r:2"]
