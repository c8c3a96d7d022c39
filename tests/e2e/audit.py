"""One visit of a page, measured: its axe-core violations, what every response would weigh
compressed, and any request that left the portal's origin.

The portal leaves compression to the reverse proxy, so each response body is gzipped here at
level 6 (a common ``gzip_comp_level`` for nginx) and counted with its headers; a response the
server compressed already counts as sent. The page's icon counts too, even when Chromium has
not asked for it yet. Visits use a new browser context, so the cache is empty: this is a first
visit on a phone.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import BrowserContext, Page, Request, Response

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE = Axe()


@dataclass
class Visit:
    url: str
    status: int
    lang: str | None
    violations: int
    report: str
    sizes: dict[str, int] = field(default_factory=dict)  # url → compressed bytes
    elsewhere: list[str] = field(default_factory=list)  # requests to other origins

    @property
    def weight(self) -> int:
        return sum(self.sizes.values())


def axe_audit(page: Page) -> tuple[int, str]:
    """The number of WCAG 2.0/2.1 A and AA violations on the page, and axe's report."""
    results = AXE.run(
        page,
        options={
            "runOnly": {"type": "tag", "values": WCAG_TAGS},
            "resultTypes": ["violations"],
        },
    )
    return results.violations_count, results.generate_report()


def wire_size(response: Response) -> int:
    """Bytes the response takes over the wire compressed: headers plus gzip-6 body (or the
    body as sent when the server compressed it)."""
    headers = response.request.sizes()["responseHeadersSize"]
    if 300 <= response.status < 400:
        return headers
    body = response.body()
    if response.headers.get("content-encoding"):
        return headers + int(response.headers.get("content-length") or len(body))
    return headers + len(gzip.compress(body, compresslevel=6, mtime=0))


def _fetched_size(context: BrowserContext, url: str) -> int:
    """What ``url`` would weigh, fetched with the context's cookies."""
    response = context.request.get(url)
    head = len(f"HTTP/1.1 {response.status} {response.status_text}\r\n\r\n")
    head += sum(len(h["name"]) + len(h["value"]) + 4 for h in response.headers_array)
    return head + len(gzip.compress(response.body(), compresslevel=6, mtime=0))


def visit(context: BrowserContext, path: str) -> Visit:
    """Open ``path`` in a page of ``context`` and measure it."""
    page = context.new_page()
    requests: list[Request] = []
    responses: list[Response] = []
    page.on("request", lambda request: requests.append(request))
    page.on("response", lambda response: responses.append(response))
    response = page.goto(path, wait_until="load")
    assert response is not None, path
    sizes = {r.url: wire_size(r) for r in responses}
    urls = [r.url for r in requests]
    origin = urlsplit(page.url).netloc
    # Chromium asks for the icon after the load event (or later): count it all the same.
    for href in page.eval_on_selector_all("link[rel~=icon]", "els => els.map(e => e.href)"):
        if href not in sizes:
            urls.append(href)
            if urlsplit(href).netloc == origin:
                sizes[href] = _fetched_size(context, href)
    elsewhere = [u for u in urls if urlsplit(u).scheme != "data" and urlsplit(u).netloc != origin]
    violations, report = axe_audit(page)
    return Visit(
        url=page.url,
        status=response.status,
        lang=page.locator("html").get_attribute("lang"),
        violations=violations,
        report=report,
        sizes=sizes,
        elsewhere=elsewhere,
    )
