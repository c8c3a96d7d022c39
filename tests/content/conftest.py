"""Helpers for the content package tests: the demo package, copies to spoil, a CLI runner."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

DEMO = Path(__file__).resolve().parents[2] / "courses" / "content" / "demo"


@pytest.fixture
def demo_copy(tmp_path: Path) -> Callable[..., Path]:
    """A copy of the demo package, its content.json changed by ``edit(document)``."""

    made = iter(range(1000))

    def make(edit: Callable[[dict[str, Any]], Any] | None = None) -> Path:
        target = tmp_path / f"package-{next(made)}"
        shutil.copytree(DEMO, target)
        if edit is not None:
            path = target / "content.json"
            document = json.loads(path.read_text(encoding="utf-8"))
            edit(document)
            path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
        return target

    return make


@pytest.fixture
def admin(db):
    """An administrator (no password: hashing one would make every test slow)."""
    from portal.accounts.models import RoleAssignment, User

    user = User(
        full_name="Quản trị viên",
        email="admin@example.test",
        password_hash="!",
        session_token="content-tests",
    )
    user.roles.append(RoleAssignment(role="admin"))
    db.session.add(user)
    db.session.flush()
    return user


@pytest.fixture
def content_cli(app) -> Callable[..., Any]:
    """``content_cli("import", path)``: run ``flask content ...``."""
    runner = app.test_cli_runner()

    def run(*args: str) -> Any:
        return runner.invoke(args=["content", *map(str, args)])

    return run
