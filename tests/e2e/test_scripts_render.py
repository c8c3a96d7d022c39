"""Complex scripts render as letters, not empty boxes: the Khmer, Cham and Tai Viet endonyms
on the language page are drawn with a font that has their glyphs.

Two independent checks per endonym: Chromium's own report of the platform font that drew the
node (DevTools ``CSS.getPlatformFontsForNode``), and the drawn width compared with the same
number of U+FFFF characters, which no font has, so they show as .notdef boxes. A screenshot of
the page is kept in test-results/e2e/ for people to look at.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page

# language code → what the name of the font that draws it must contain
SCRIPTS = {"km": "Khmer", "cjm": "Cham", "blt": "Tai Viet"}

MEASURE = """(el) => {
  const style = getComputedStyle(el);
  const ctx = document.createElement("canvas").getContext("2d");
  ctx.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
  const text = el.textContent.trim();
  return {text, width: ctx.measureText(text).width,
          tofu: ctx.measureText("\\uFFFF".repeat([...text].length)).width};
}"""


def platform_fonts(page: Page, selector: str) -> list[dict]:
    cdp = page.context.new_cdp_session(page)
    try:
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        return cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    finally:
        cdp.detach()


@pytest.fixture
def language_page(page: Page, artifacts: Path) -> Page:
    page.goto("/language")
    page.evaluate("document.fonts.ready")
    page.screenshot(path=artifacts / "language-page.png", full_page=True)
    return page


@pytest.mark.parametrize("code", sorted(SCRIPTS))
def test_endonym_is_drawn_with_a_font_for_its_script(language_page: Page, code: str) -> None:
    selector = f"main button[name=lang][value={code}]"
    fonts = platform_fonts(language_page, selector)
    assert any(SCRIPTS[code] in font["familyName"] and font["glyphCount"] > 0 for font in fonts), (
        f"{code} drawn with {fonts}"
    )

    sizes = language_page.locator(selector).evaluate(MEASURE)
    assert sizes["width"] > 0 and abs(sizes["width"] - sizes["tofu"]) > 1, sizes


def test_khmer_interface_is_drawn_with_a_khmer_font(page: Page, artifacts: Path) -> None:
    page.goto("/?lang=km")
    page.evaluate("document.fonts.ready")
    page.screenshot(path=artifacts / "home-km.png")
    fonts = platform_fonts(page, "main h1")
    assert any("Khmer" in font["familyName"] for font in fonts), fonts
