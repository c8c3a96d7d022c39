"""Fixtures for the storage tests: a real S3 server (SeaweedFS, see
:mod:`tests.storage.seaweed`) started once per session, and the ``storage`` fixture that runs
every contract test on both backends."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from portal.storage import LocalStorage, Storage
from tests.storage.seaweed import S3Server, running_s3_server


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[S3Server]:
    """One SeaweedFS for the whole session (see :func:`running_s3_server`)."""
    with running_s3_server(tmp_path_factory.mktemp("seaweedfs")) as server:
        yield server


@pytest.fixture(params=["local", "s3"])
def storage(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Storage]:
    """Each backend in turn: local disk in a fresh folder, or S3 under a fresh prefix of
    the shared bucket."""
    backend: Storage
    if request.param == "local":
        backend = LocalStorage(tmp_path / "uploads")
    else:
        server: S3Server = request.getfixturevalue("s3_server")
        backend = server.storage(prefix=f"test-{uuid.uuid4().hex[:12]}")
    yield backend
    backend.close()
