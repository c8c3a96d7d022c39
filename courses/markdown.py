"""Markdown written by teachers, turned into HTML that is safe to show to everyone.

Python-Markdown (tables, fenced code, footnotes) renders the text; nh3 (the Ammonia
sanitiser) then keeps only an allowlist of tags and attributes: no script, no event
handlers, no ``style``, no ``javascript:`` URLs, ``data:`` URLs only for raster images.
Links to other sites get ``rel="nofollow noopener"`` and headings move one level down, so a
resource's own ``#`` heading sits under the page's ``<h1>``.

Titles and summaries are plain text: templates escape them with ``{{ }}``.
"""

from __future__ import annotations

import re

import markdown as _markdown
import nh3
from markupsafe import Markup

__all__ = ["ALLOWED_TAGS", "render_markdown", "sanitise_html"]

#: Largest Markdown text rendered; longer text is cut (forms refuse it before).
MAX_LENGTH = 200_000

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "div",
        "dl", "dt", "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i",
        "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "samp", "small", "span",
        "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u",
        "ul", "var",
    }
)  # fmt: skip

ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang", "class", "id"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"align", "colspan", "rowspan", "scope"},
    "td": {"align", "colspan", "rowspan"},
    "ol": {"start"},
    "li": {"id"},
    "sup": {"id"},
    "div": {"class"},
    "code": {"class"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "*": {"lang", "dir"},
}

URL_SCHEMES = frozenset({"http", "https", "mailto", "tel", "data"})

_DATA_IMAGE = re.compile(r"data:image/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]*\Z", re.I)
_CLASS_VALUES = {
    "a": re.compile(r"footnote-(?:ref|backref)\Z"),
    "div": re.compile(r"footnote\Z"),
    "code": re.compile(r"language-[A-Za-z0-9_+-]{1,32}\Z"),
}
# Footnote anchors made by the footnotes extension; any other id could clobber the page's.
_ID = re.compile(r"(?:fn|fnref)(?::|-)[A-Za-z0-9_:-]{1,64}\Z")
_ALIGN = frozenset({"left", "right", "center"})
_DIR = frozenset({"ltr", "rtl", "auto"})
_LANG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*\Z")

# nh3's output is well-formed and quotes every attribute with '"' (escaped as &quot; inside),
# so these patterns read it exactly.
_A_TAG = re.compile(r'<a((?: [^\s="<>/]+="[^"]*")*)>')
_HREF = re.compile(r' href="([^"]*)"')
_EXTERNAL = re.compile(r"(?:[A-Za-z][A-Za-z0-9+.-]*:|//)")
_HEADING = re.compile(r"<(/?)h([1-6])([ >])")


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    """Keep an attribute's value, or drop the attribute (``None``)."""
    if attribute in {"href", "src", "cite"}:
        stripped = value.strip()
        if stripped[:5].lower() == "data:":
            # data: only as a raster image's source (SVG could carry script).
            return (
                stripped
                if tag == "img" and attribute == "src" and _DATA_IMAGE.match(stripped)
                else None
            )
        return value
    if attribute == "class":
        pattern = _CLASS_VALUES.get(tag)
        return value if pattern and pattern.match(value) else None
    if attribute == "id":
        return value if _ID.match(value) else None
    if attribute == "align":
        return value if value.lower() in _ALIGN else None
    if attribute == "dir":
        return value if value.lower() in _DIR else None
    if attribute == "lang" or attribute == "hreflang":
        return value if _LANG.match(value) else None
    if attribute in {"width", "height", "colspan", "rowspan", "start"}:
        return value if value.isdigit() and len(value) <= 5 else None
    if attribute == "scope":
        return value if value in {"row", "col", "rowgroup", "colgroup"} else None
    return value


def _is_external(href: str) -> bool:
    return bool(_EXTERNAL.match(href.strip()))


def _add_rel(match: re.Match[str]) -> str:
    attributes = match.group(1)
    href = _HREF.search(attributes)
    if href and _is_external(href.group(1)):
        return f'<a{attributes} rel="nofollow noopener">'
    return match.group(0)


def _lower_heading(match: re.Match[str]) -> str:
    level = min(int(match.group(2)) + 1, 6)
    return f"<{match.group(1)}h{level}{match.group(3)}"


def sanitise_html(html: str) -> str:
    """Keep only the allowed tags, attributes and URLs of ``html``; mark external links."""
    cleaned = nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags={"script", "style"},
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        attribute_filter=_attribute_filter,
        strip_comments=True,
        link_rel=None,
        url_schemes=set(URL_SCHEMES),
    )
    return _A_TAG.sub(_add_rel, cleaned)


def render_markdown(text: str | None) -> Markup:
    """Safe HTML for Markdown ``text``: headings start at ``<h2>``."""
    if not text:
        return Markup("")
    md = _markdown.Markdown(
        extensions=["tables", "fenced_code", "footnotes"],
        extension_configs={"tables": {"use_align_attribute": True}},
        output_format="html",
    )
    html = md.convert(text[:MAX_LENGTH])
    html = _HEADING.sub(_lower_heading, html)
    return Markup(sanitise_html(html))  # noqa: S704  (sanitised by nh3 just above)
