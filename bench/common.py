"""What the benchmarks share: the portal (or bench/bare_app.py) under gunicorn on a loopback
port, the environment it runs with, the static template the bare app serves, and the small
load client. Used by bench/pages.py and bench/records.py; it measures nothing itself."""

from __future__ import annotations

import contextlib
import http.client
import itertools
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
# What a Vietnamese phone browser sends on a first visit; no cookies, no compression.
HEADERS = {
    "Accept": "text/html,application/xhtml+xml",
    "Accept-Language": "vi-VN,vi;q=0.9",
    "User-Agent": "portal-bench/1",
}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def get(
    port: int, path: str, timeout: float = 5.0, headers: dict[str, str] | None = None
) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request("GET", path, headers=headers or HEADERS)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def server_env(instance: Path, **settings: str) -> dict[str, str]:
    """This process's environment without its PORTAL_* and WEB_CONCURRENCY settings, plus the
    portal as deployed (production, a throw-away secret and instance folder) and
    ``settings``."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PORTAL_", "WEB_CONCURRENCY"))
    }
    env.update(
        {
            "PORTAL_ENV": "production",  # as deployed: secure cookies, no debug
            "PORTAL_SECRET_KEY": "bench-secret-key-0123456789abcdef",
            "PORTAL_INSTANCE_PATH": str(instance),
            "PORTAL_LOG_LEVEL": "WARNING",
            **settings,
        }
    )
    return env


def static_template(html: str) -> str:
    """``html`` as a Jinja template that renders to exactly ``html``."""
    if any(mark in html for mark in ("{{", "{%", "{#")):
        return "{% raw %}" + html + "{% endraw %}"
    return html


@contextlib.contextmanager
def gunicorn(
    app_spec: str, env: dict[str, str], log: Path, workers: int, wait: float = 30.0
) -> Iterator[int]:
    """Serve ``app_spec`` with gunicorn.conf.py on a free loopback port, waiting up to
    ``wait`` seconds for /healthz to answer; yield the port and stop the whole process
    group afterwards."""
    port = free_port()
    env = {
        **env,
        "PORTAL_BIND": f"{HOST}:{port}",
        "WEB_CONCURRENCY": str(workers),
        "PORTAL_ACCESS_LOG": "-",
    }
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), app_spec],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=out,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + wait
        while True:
            if process.poll() is not None:
                raise SystemExit(
                    f"{app_spec} exited with {process.returncode}; see {log}:\n"
                    + log.read_text(errors="replace")[-2000:]
                )
            with contextlib.suppress(OSError):
                if get(port, "/healthz", timeout=2)[0] == 200:
                    break
            if time.monotonic() > deadline:
                raise SystemExit(f"{app_spec} did not answer /healthz in {wait:.0f} s; see {log}")
            time.sleep(0.1)
        yield port
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def load(
    port: int,
    path: str,
    *,
    requests: int,
    concurrency: int,
    time_limit: float,
    headers: dict[str, str] | None = None,
    bodies: list[bytes] | None = None,
) -> tuple[int, int, float, list[float]]:
    """GET ``path`` ``requests`` times from ``concurrency`` threads (or until
    ``time_limit`` seconds pass); return (done, errors, seconds, latencies in ms). With
    ``bodies``, the n-th request POSTs ``bodies[n]`` instead. An error is an answer other
    than 200."""
    tickets = itertools.count()  # next() on a count is atomic in CPython
    started = time.perf_counter()
    deadline = started + time_limit

    def worker() -> tuple[list[float], int]:
        conn = http.client.HTTPConnection(HOST, port, timeout=10)
        latencies: list[float] = []
        errors = 0
        try:
            while (n := next(tickets)) < requests and time.perf_counter() < deadline:
                t0 = time.perf_counter()
                try:
                    if bodies is None:
                        conn.request("GET", path, headers=headers or HEADERS)
                    else:
                        conn.request("POST", path, bodies[n], headers=headers or HEADERS)
                    response = conn.getresponse()
                    response.read()
                    ok = response.status == 200
                except (OSError, http.client.HTTPException):
                    conn.close()
                    ok = False
                latencies.append((time.perf_counter() - t0) * 1000)
                errors += not ok
        finally:
            conn.close()
        return latencies, errors

    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        outcomes = [f.result() for f in [pool.submit(worker) for _ in range(concurrency)]]
    seconds = time.perf_counter() - started
    latencies = [ms for part, _ in outcomes for ms in part]
    return len(latencies), sum(e for _, e in outcomes), seconds, latencies
