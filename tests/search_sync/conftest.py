"""Fixtures of the index-sync tests: an app on its own, really committed scratch database
(``committed_app``) with a teacher who may also publish."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from tests.search_sync.support import teacher


@pytest.fixture
def sync_app(committed_app: Flask) -> Any:
    """``committed_app`` with a committed teacher (id in ``config["SEARCH_TEST_TEACHER"]``)."""
    committed_app.config["SEARCH_TEST_TEACHER"] = teacher(committed_app)
    return committed_app
