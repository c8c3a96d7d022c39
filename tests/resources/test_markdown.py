"""courses.markdown: Markdown is rendered, and nothing hostile survives sanitising."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from markupsafe import Markup

from courses.markdown import ALLOWED_TAGS, render_markdown, sanitise_html
from tests.resources.vectors import XSS_VECTORS

SAFE_TAGS = ALLOWED_TAGS
URL_ATTRIBUTES = {"href", "src", "cite"}
C0_AND_SPACE = "".join(map(chr, range(0x21)))


class _Elements(HTMLParser):
    """Every element and attribute of a fragment, as a browser's tokenizer sees them."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        self.elements.append((tag, attrs))


def assert_harmless(html: str) -> None:
    for tag, attrs in _Elements(html).elements:
        assert tag in SAFE_TAGS, (tag, html)
        for name, value in attrs:
            assert not name.startswith("on"), (name, html)
            assert name != "style", html
            if name in URL_ATTRIBUTES and value:
                # What a browser does to a URL: trim C0 controls and spaces, drop tabs and
                # newlines anywhere.
                url = re.sub(r"[\t\n\r]", "", value.strip(C0_AND_SPACE))
                scheme = url.lower().split(":", 1)[0]
                assert scheme not in {"javascript", "vbscript"}, html
                if scheme == "data":
                    assert tag == "img" and re.match(r"data:image/(png|jpeg|gif|webp);", value)


def test_there_are_at_least_fifty_vectors():
    assert len(XSS_VECTORS) >= 50


@pytest.mark.parametrize("vector", XSS_VECTORS)
def test_no_vector_keeps_a_script_an_event_handler_or_a_script_url(vector):
    assert_harmless(str(render_markdown(vector)))
    assert_harmless(sanitise_html(vector))


def test_markdown_features_survive():
    html = render_markdown(
        "# Title\n\n**bold** *em*\n\n| a | b |\n|:--|--:|\n| 1 | 2 |\n\n"
        "```python\nprint(1)\n```\n\nText[^n]\n\n[^n]: A note."
    )
    assert isinstance(html, Markup)
    assert "<h2>Title</h2>" in html  # headings move one level down, under the page's h1
    assert "<strong>bold</strong>" in html and "<em>em</em>" in html
    assert '<th align="left">a</th>' in html and '<td align="right">2</td>' in html
    assert '<code class="language-python">print(1)' in html
    assert '<sup id="fnref:n"><a class="footnote-ref" href="#fn:n">' in html
    assert '<li id="fn:n">' in html


def test_external_links_get_nofollow_noopener_and_local_links_do_not():
    html = render_markdown("[a](https://example.org/x) [b](/resources/2) [c](#fn:1) [d](//e.org)")
    assert '<a href="https://example.org/x" rel="nofollow noopener">a</a>' in html
    assert '<a href="/resources/2">b</a>' in html
    assert '<a href="#fn:1">c</a>' in html
    assert '<a href="//e.org" rel="nofollow noopener">d</a>' in html


def test_a_rel_written_by_the_author_is_replaced():
    html = sanitise_html('<a href="https://e.org" rel="opener">x</a>')
    assert html == '<a href="https://e.org" rel="nofollow noopener">x</a>'


def test_data_urls_are_kept_only_for_raster_images():
    html = render_markdown(
        "![ok](data:image/png;base64,iVBORw0KGgo=) [no](data:image/png;base64,iVBORw0KGgo=)"
    )
    assert '<img alt="ok" src="data:image/png;base64,iVBORw0KGgo=">' in html
    assert "<a>no</a>" in html
    svg = render_markdown("![svg](data:image/svg+xml;base64,PHN2Zz4=)")
    assert "data:" not in svg


def test_classes_and_ids_that_could_spoof_the_page_are_dropped():
    html = sanitise_html('<p class="flash" id="main">x</p><div class="footnote" id="x">y</div>')
    assert html == '<p>x</p><div class="footnote">y</div>'


def test_empty_text_is_empty_markup():
    assert render_markdown("") == Markup("") and render_markdown(None) == Markup("")


def test_vietnamese_and_khmer_text_is_kept():
    html = render_markdown("Học tập suốt đời — ការសិក្សា")
    assert "Học tập suốt đời — ការសិក្សា" in html
