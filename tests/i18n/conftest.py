"""Fixtures of the i18n tests: catalogues compiled from the .po files as they are now."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from portal.extensions import babel
from portal.i18n import cli


@pytest.fixture(scope="session", autouse=True)
def compiled_catalogues() -> Iterator[None]:
    """Compile every catalogue (as ``make install`` does) and drop catalogues a running app
    may have loaded before, so the tests see the .po files as they are."""
    cli.compile_all()
    babel.domain_instance.clear()
    yield
    babel.domain_instance.clear()
