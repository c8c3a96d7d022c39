"""The portal as a real server for the browser tests: migrated, loaded with places and demo
accounts, served by gunicorn with the repository's gunicorn.conf.py on a free loopback port."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "translations"
HOST = "127.0.0.1"
START_TIMEOUT = 30.0


@dataclass(frozen=True)
class DemoUser:
    """One line of ``flask demo load``'s listing."""

    sign_in: str
    role: str
    language: str
    name: str


@dataclass
class PortalServer:
    base_url: str
    instance: Path
    log: Path
    demo_password: str
    demo_users: list[DemoUser] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)  # of the CLI commands and gunicorn

    def demo_user(self, *, role: str | None = None, language: str | None = None) -> DemoUser:
        for user in self.demo_users:
            if (role is None or user.role == role) and (
                language is None or user.language == language
            ):
                return user
        raise LookupError(
            f"flask demo load printed no user with role={role!r}, "
            f"language={language!r}: {self.demo_users}"
        )


def server_env(instance: Path, base_url: str = "http://127.0.0.1:5000") -> dict[str, str]:
    """The environment of the CLI commands and of gunicorn: everything in a temporary
    instance folder (SQLite there), rate limits out of the journeys' way, the address the
    server answers at as the public one (certificates' QR codes and links name it)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("PORTAL_") and key != "WEB_CONCURRENCY"
    }
    env.update(
        {
            "PORTAL_INSTANCE_PATH": str(instance),
            "PORTAL_BASE_URL": base_url,
            "PORTAL_SECRET_KEY": "e2e-secret-key-0123456789abcdef",
            "PORTAL_LOGIN_RATE_LIMIT": "1000 per minute",
            "PORTAL_SIGNUP_RATE_LIMIT": "1000 per minute",
            "PORTAL_LOG_LEVEL": "WARNING",
            "WEB_CONCURRENCY": "2",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def flask(env: dict[str, str], *args: str, optional: bool = False) -> str | None:
    """Run ``flask --app wsgi ARGS`` and return its standard output; with ``optional``,
    ``None`` when the project has no such command (yet)."""
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", *args],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if optional and result.returncode == 2 and "No such command" in result.stderr:
        return None
    if result.returncode:
        raise RuntimeError(
            f"flask {' '.join(args)} failed ({result.returncode}):\n"
            f"{result.stdout}\n{result.stderr}"
        )
    return result.stdout


def catalogues_stale() -> bool:
    """True when a message catalogue has no compiled .mo file or an older one."""
    for po in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            return True
    return False


_DEMO_PASSWORD = re.compile(r"password '([^']+)'")
_DEMO_LINE = re.compile(r"^\s+(\S+)\s+(\S+)\s+(\S+)\s+(.+)$")


def parse_demo_listing(output: str) -> tuple[str, list[DemoUser]]:
    match = _DEMO_PASSWORD.search(output)
    if match is None:
        raise RuntimeError(f"flask demo load printed no password:\n{output}")
    users = [DemoUser(*m.groups()) for line in output.splitlines() if (m := _DEMO_LINE.match(line))]
    return match.group(1), users


def prepare(
    instance: Path, base_url: str = "http://127.0.0.1:5000"
) -> tuple[dict[str, str], str, list[DemoUser]]:
    """Migrate a fresh database and load what the project offers: administrative units and
    the demo accounts (``flask demo load`` prints them)."""
    env = server_env(instance, base_url)
    if catalogues_stale():
        flask(env, "translate", "compile", optional=True)
    flask(env, "db", "upgrade")
    flask(env, "places", "load", optional=True)
    listing = flask(env, "demo", "load", optional=True)
    if listing is None:
        return env, "", []
    password, users = parse_demo_listing(listing)
    return env, password, users


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as response:  # noqa: S310 (loopback)
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


@contextlib.contextmanager
def run_portal(instance: Path) -> Iterator[PortalServer]:
    """Prepare the database, start gunicorn, wait for /healthz, yield, stop the group."""
    port = _free_port()
    base_url = f"http://{HOST}:{port}"
    env, password, users = prepare(instance, base_url)
    env["PORTAL_BIND"] = f"{HOST}:{port}"
    log = instance / "gunicorn.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), "wsgi:app"],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while not _answers(base_url + "/healthz"):
            if process.poll() is not None:
                raise RuntimeError(
                    f"gunicorn exited with {process.returncode}:\n"
                    + log.read_text(errors="replace")[-3000:]
                )
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"gunicorn did not answer {base_url}/healthz within "
                    f"{START_TIMEOUT:.0f} s:\n" + log.read_text(errors="replace")[-3000:]
                )
            time.sleep(0.1)
        yield PortalServer(base_url, instance, log, password, users, env)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
