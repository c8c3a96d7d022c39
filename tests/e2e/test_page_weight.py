"""Every page, with everything it loads, stays under 50 KB over the wire compressed, and
loads nothing from another origin (see tests/e2e/audit.py for how bytes are counted)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.e2e.audit import Visit
from tests.e2e.site import PAGE_NAMES, SitePage

LIMIT = 50_000  # bytes


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_page_weighs_under_50_kb_compressed(
    name: str, site_pages: dict[str, SitePage], visited: Callable[..., Visit]
) -> None:
    seen = visited(name)
    assert seen.status == site_pages[name].status
    assert any(url.endswith(".css") for url in seen.sizes), f"no stylesheet: {seen.sizes}"
    assert seen.weight < LIMIT, f"{seen.url} weighs {seen.weight} bytes: {seen.sizes}"


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_page_loads_nothing_from_another_origin(name: str, visited: Callable[..., Visit]) -> None:
    seen = visited(name)
    assert seen.elsewhere == [], f"{seen.url} loads from other origins: {seen.elsewhere}"
