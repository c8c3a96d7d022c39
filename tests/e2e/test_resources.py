"""Open educational resources in a real browser: hostile Markdown, titles and summaries run
nothing; a reader of Ede gets the Vietnamese version with a notice; the pages pass axe."""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import APIRequestContext, BrowserContext, Dialog, Page

from tests.e2e.audit import Visit
from tests.e2e.site import SitePage
from tests.resources.vectors import XSS_VECTORS

# Elements and attributes no resource text may bring into the page.
INJECTED = """() => {
  const found = [];
  const anywhere = 'script,iframe,frame,frameset,object,embed,applet,base,link[rel=import],' +
    'meta[http-equiv],template,math,style,main svg';
  for (const el of document.querySelectorAll(anywhere)) found.push(el.outerHTML.slice(0, 120));
  // Where resource text is shown, not even a form control may appear.
  const content = 'main article, main ul.resources, main h1, main table, main .diff, title';
  for (const region of document.querySelectorAll(content)) {
    for (const el of region.querySelectorAll('form,input,button,textarea,select,video,audio')) {
      if (!el.closest('form[action*="/restore/"]')) found.push(el.outerHTML.slice(0, 120));
    }
  }
  for (const el of document.querySelectorAll('main *')) {
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      // as a browser reads a URL: trim controls and spaces, drop tabs and newlines
      const value = attr.value.replace(/^[\\u0000-\\u0020]+|[\\u0000-\\u0020]+$/g, '')
        .replace(/[\\t\\n\\r]/g, '').toLowerCase();
      if (name.startsWith('on') || name === 'style' || name === 'srcdoc' || name === 'formaction'
          || /^(javascript|vbscript):/.test(value)
          || (/^data:/.test(value) && !/^data:image\\/(png|jpeg|gif|webp);/.test(value))) {
        found.push(el.tagName + ' ' + name + '=' + attr.value.slice(0, 60));
      }
    }
  }
  return found;
}"""


def _csrf(api: APIRequestContext, path: str) -> str:
    html = api.get(path).text()
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def _publish(
    api: APIRequestContext, *, title: str, summary: str, body: str, language: str = "vi"
) -> int:
    """Create, submit and publish a resource as the administrator; return its id."""
    response = api.post(
        "/teach/resources/new",
        form={
            "csrf_token": _csrf(api, "/teach/resources/new"),
            "language": language,
            "title": title,
            "summary": summary,
            "body": body,
            "licence": "cc-by",
            "audience": "citizen",
            "level": "beginner",
            "author": "XSS test",
            "source": "",
        },
    )
    match = re.search(r"/teach/resources/(\d+)/edit", response.url)
    assert response.ok and match, (response.status, response.url, title)
    number = int(match.group(1))
    token = _csrf(api, f"/teach/resources/{number}/edit")
    assert api.post(f"/teach/resources/{number}/submit", form={"csrf_token": token}).ok
    assert api.post(f"/review/resources/{number}/publish", form={"csrf_token": token}).ok
    return number


def _assert_inert(page: Page, path: str, dialogs: list[str]) -> None:
    response = page.goto(path, wait_until="load")
    assert response is not None and response.ok, path
    page.wait_for_timeout(50)  # let any timer or onload handler fire
    injected = page.evaluate(INJECTED)
    assert injected == [], f"{path}: {injected}"
    assert dialogs == [], f"{path}: a dialog opened: {dialogs}"


def _recorder(dialogs: list[str]) -> Callable[[Dialog], None]:
    def record(dialog: Dialog) -> None:
        dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    return record


def test_fifty_and_more_xss_vectors_execute_nothing_in_chromium(
    new_context: Callable[..., BrowserContext], admin_state
) -> None:
    assert len(XSS_VECTORS) >= 50
    admin = new_context(storage_state=admin_state)
    numbers = [
        _publish(admin.request, title=vector[:200], summary=vector, body=vector)
        for vector in XSS_VECTORS
    ]
    for who in ("anonymous", "admin"):
        context = new_context(storage_state=admin_state if who == "admin" else None)
        page = context.new_page()
        dialogs: list[str] = []
        page.on("dialog", _recorder(dialogs))
        for number in numbers:
            _assert_inert(page, f"/resources/{number}", dialogs)
            if who == "admin":
                _assert_inert(page, f"/teach/resources/{number}/preview", dialogs)
                _assert_inert(page, f"/teach/resources/{number}/edit", dialogs)
        if who == "admin":
            _assert_inert(page, "/teach/resources", dialogs)
        for page_number in range(1, len(numbers) // 20 + 3):
            _assert_inert(page, f"/resources?page={page_number}", dialogs)


def test_a_reader_of_ede_gets_vietnamese_with_a_notice_and_other_languages(
    new_context: Callable[..., BrowserContext], site_pages: dict[str, SitePage]
) -> None:
    page = new_context().new_page()
    page.goto(site_pages["resource"].path + "?lang=rad")
    assert page.locator("html").get_attribute("lang") == "rad"
    assert page.locator("main article").get_attribute("lang") == "vi"
    assert page.locator("main p.notice[role=note]").count() == 1
    english = page.locator("main nav a[hreflang=en]")
    assert english.get_attribute("lang") == "en"
    with page.expect_navigation():
        english.click()
    assert page.locator("main article").get_attribute("lang") == "en"
    assert page.locator("main p.notice[role=note]").count() == 0


def test_resource_pages_have_no_violations_in_ede_and_khmer(
    visited: Callable[..., Visit],
) -> None:
    for name in ("resources", "resource"):
        for language in ("rad", "km", "en"):
            seen = visited(name, lang=language)
            assert seen.lang == language
            assert seen.violations == 0, f"{seen.url}\n{seen.report}"
