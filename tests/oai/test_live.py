"""Harvests over HTTP against the provider served in a thread (a committed database):
sickle reads every published resource exactly once, and ``flask oai harvest`` imports our
own records incrementally."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from sickle import Sickle
from sqlalchemy import func, select

from courses.oai import harvester
from courses.oai.models import HarvestedRecord, HarvestSource
from courses.resources import operations
from courses.resources.queries import get_resource
from portal.extensions import db
from tests.conftest import loopback_server
from tests.oai.conftest import make_published


@pytest.fixture
def served(committed_app: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Any, str]]:
    """The app on a free loopback port; its base URL is that address."""
    with loopback_server(committed_app) as base:
        monkeypatch.setitem(committed_app.config, "PORTAL_BASE_URL", base)
        monkeypatch.setitem(committed_app.config, "PORTAL_OAI_PAGE_SIZE", 3)
        yield committed_app, base


def teacher_of(app: Any) -> Any:
    from portal.accounts import operations as accounts

    return accounts.create_user(full_name="Trần Văn Minh", password="x" * 12, phone="0912000001")


def test_sickle_harvests_every_published_resource_once(served):
    app, base = served
    with app.app_context():
        owner = teacher_of(app)
        made = [
            make_published(owner, f"Bài {n}", texts={"en": (f"Lesson {n}", "")}) for n in range(8)
        ]
        operations.archive(made[0], owner)
        operations.create_resource(
            owner,
            language="vi",
            title="Nháp",
            licence="cc-by",
            audience="citizen",
            level="beginner",
            author="A",
        )
        db.session.commit()
        numbers = [r.id for r in made]
    host = "127.0.0.1"
    started = time.perf_counter()
    sickle = Sickle(f"{base}/oai", timeout=10)
    records = list(sickle.ListRecords(metadataPrefix="oai_dc", ignore_deleted=False))
    elapsed = time.perf_counter() - started
    live = [r.header.identifier for r in records if not r.deleted]
    assert sorted(live) == sorted(f"oai:{host}:resource/{n}" for n in numbers[1:])
    assert [r.header.identifier for r in records if r.deleted] == [
        f"oai:{host}:resource/{numbers[0]}"
    ]
    assert all(r.metadata["title"] for r in records if not r.deleted)
    identify = sickle.Identify()
    assert identify.deletedRecord == "persistent" and identify.baseURL == f"{base}/oai"
    by_post = Sickle(f"{base}/oai", http_method="POST", timeout=10)
    assert (
        len(list(by_post.ListIdentifiers(metadataPrefix="oai_dcterms", ignore_deleted=True))) == 7
    )
    print(f"sickle harvest of 8 records in 3 pages: {elapsed:.2f} s")


def test_harvest_command_is_incremental(served, monkeypatch):
    app, base = served
    asked: list[str] = []
    fetch = harvester._fetch
    monkeypatch.setattr(harvester, "_fetch", lambda url: asked.append(url) or fetch(url))
    with app.app_context():
        owner = teacher_of(app)
        made = [make_published(owner, f"Bài {n}") for n in range(4)]
        db.session.commit()
        numbers = [r.id for r in made]
    runner = app.test_cli_runner()

    result = runner.invoke(args=["oai", "harvest", f"{base}/oai"])
    assert result.exit_code == 0, result.output
    assert "4 added, 0 updated, 0 deleted" in result.output
    assert not any("from=" in url for url in asked)

    with app.app_context():
        source = db.session.scalar(select(HarvestSource))
        last = source.last_datestamp
        links = sorted(r.link for r in db.session.scalars(select(HarvestedRecord)))
        assert links == sorted(f"{base}/resources/{n}" for n in numbers)
        assert source.repository_name == "Lifelong Learning Portal"
        first = get_resource(numbers[0])
        owner = first.owner
        operations.archive(first, owner)
        changed = get_resource(numbers[1])
        operations.save_translation(
            changed, owner, language="en", title="Hands", summary="", body=""
        )
        operations.submit(changed, owner)
        operations.publish(changed, owner)
        make_published(owner, "Bài mới")
        db.session.commit()

    asked.clear()
    result = runner.invoke(args=["oai", "harvest", f"{base}/oai"])
    assert result.exit_code == 0, result.output
    assert "1 added, 1 updated, 1 deleted" in result.output
    assert f"from={last.replace(':', '%3A')}" in asked[1]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(HarvestedRecord)) == 4
        titles = {r.title for r in db.session.scalars(select(HarvestedRecord))}
        assert "Bài 0" not in titles and "Bài mới" in titles

    result = runner.invoke(args=["oai", "harvest", f"{base}/oai", "--set", "subject:law"])
    assert result.exit_code == 0, result.output
    assert "0 added" in result.output
