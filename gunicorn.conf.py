"""Gunicorn settings for the portal: ``gunicorn -c gunicorn.conf.py wsgi:app``.

Every value can be changed from the environment, so one file serves production, the browser
tests (tests/e2e/) and the benchmark (bench/pages.py):

``PORTAL_BIND``
    Where to listen. Default ``127.0.0.1:8000``: behind a reverse proxy on the same host.
    Several addresses may be given, separated by commas (``0.0.0.0:8000,[::]:8000``);
    ``unix:/run/portal.sock`` and ``fd://3`` (an inherited, already-bound socket) work too.
``WEB_CONCURRENCY``
    Worker processes. Default ``2 × cores + 1``, at most 12: each sync worker holds one
    request at a time and about 60–80 MB, and more than a dozen mostly queue on SQLite or
    on PostgreSQL's connection limit. Set it explicitly on bigger machines.
``PORTAL_WORKER_TIMEOUT``
    Seconds a worker may spend on one request before it is restarted (default 30).
``FORWARDED_ALLOW_IPS``
    Comma-separated addresses or networks of the reverse proxies whose
    ``X-Forwarded-Proto`` gunicorn trusts (default ``127.0.0.1,::1``). The application's own
    ``PORTAL_PROXY_COUNT`` decides which ``X-Forwarded-For``/``-Host`` it trusts.
``PORTAL_ACCESS_LOG``
    ``-`` (standard output, the default), a file path, or empty to turn the access log off.
``PORTAL_CONTROL_SOCKET``
    Path of gunicorn's control socket for ``gunicornc`` (gunicorn ≥ 25.1). Off unless set:
    gunicorn's default is one path per user, which two portals on one host would share.

Workers are plain sync workers: the reverse proxy (nginx) buffers slow mobile clients, so a
worker is busy only while the portal itself works. Their heartbeat files live in /dev/shm when
it exists, so a slow disk never makes the arbiter think a worker hangs.
"""

from __future__ import annotations

import os


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))  # the CPUs this container may use
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _positive_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value <= 0:
        raise SystemExit(f"gunicorn.conf.py: {name}={raw!r} is not a positive whole number")
    return value


MAX_DEFAULT_WORKERS = 12

bind = [
    address.strip()
    for address in os.environ.get("PORTAL_BIND", "127.0.0.1:8000").split(",")
    if address.strip()
]
workers = _positive_int("WEB_CONCURRENCY", min(2 * _cores() + 1, MAX_DEFAULT_WORKERS))
worker_class = "sync"
timeout = _positive_int("PORTAL_WORKER_TIMEOUT", 30)
graceful_timeout = 20
# Recycle workers now and then so a slow leak in a library never grows without bound; the
# jitter keeps them from restarting all at once.
max_requests = 5000
max_requests_jitter = 500

# Gunicorn makes its heartbeat files there with mkstemp (private and unpredictable names).
_SHM = "/dev/shm"  # noqa: S108
if os.path.isdir(_SHM):
    worker_tmp_dir = _SHM

accesslog = os.environ.get("PORTAL_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = "info"
# Gunicorn reads FORWARDED_ALLOW_IPS itself; it is spelled out here so this file documents it.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

if os.environ.get("PORTAL_CONTROL_SOCKET"):
    control_socket = os.environ["PORTAL_CONTROL_SOCKET"]
else:
    control_socket_disable = True

proc_name = "lifelong-learning-portal"
