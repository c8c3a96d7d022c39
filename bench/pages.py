"""How much slower is a portal page than a bare Flask page of the same size?

Starts two servers under gunicorn with the same settings (the repository's gunicorn.conf.py,
``WEB_CONCURRENCY`` workers, loopback only):

* the portal (``wsgi:app``) against a fresh SQLite database in a temporary folder, migrated
  with ``flask db upgrade``;
* bench/bare_app.py, a bare Flask app whose templates are the portal's own HTML for the same
  pages, written at run time, so both servers send the same bytes.

Then loads both with the same small client (a thread pool, one keep-alive ``http.client``
connection per thread; gunicorn's sync workers close after each response, so it reconnects as
a browser would) and prints, for the home and sign-in pages, requests per second and the
median and 95th-percentile latency, and the ratio portal/bare of requests per second.

Run from the repository root: ``.venv/bin/python bench/pages.py`` (or ``make bench``).
``--help`` lists the knobs; every run is bounded by ``--requests`` and ``--time-limit``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import get, gunicorn, load, server_env, static_template  # noqa: E402

PAGES = (("home", "/", "home.html"), ("sign-in", "/sign-in", "sign-in.html"))


@dataclass
class Result:
    page: str
    server: str
    requests: int
    errors: int
    seconds: float
    latencies_ms: list[float]

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        """Nearest-rank percentile of the latencies, in milliseconds."""
        ordered = sorted(self.latencies_ms)
        if not ordered:
            return float("nan")
        rank = max(1, round(p / 100 * len(ordered)))
        return ordered[min(rank, len(ordered)) - 1]


def _flask(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
    )


def _write_templates(portal_port: int, folder: Path) -> dict[str, int]:
    """Save the portal's HTML of each page as a static Jinja template; return the sizes."""
    sizes = {}
    for name, path, template in PAGES:
        status, body = get(portal_port, path)
        if status != 200:
            raise SystemExit(f"portal answered {status} for {path}")
        (folder / template).write_text(static_template(body.decode("utf-8")), encoding="utf-8")
        sizes[name] = len(body)
    return sizes


def run(args: argparse.Namespace) -> list[Result]:
    scratch = Path(tempfile.mkdtemp(prefix="portal-bench-"))
    try:
        instance = scratch / "instance"
        templates = scratch / "templates"
        templates.mkdir()
        env = server_env(instance, BENCH_TEMPLATE_DIR=str(templates))
        print(f"migrating a fresh SQLite database in {instance} …", file=sys.stderr, flush=True)
        _flask(env, "db", "upgrade")

        results: list[Result] = []
        with gunicorn("wsgi:app", env, scratch / "portal.log", args.workers) as portal_port:
            sizes = _write_templates(portal_port, templates)
            with gunicorn(
                "bench.bare_app:app", env, scratch / "bare.log", args.workers
            ) as bare_port:
                for name, path, _ in PAGES:
                    status, body = get(bare_port, path)
                    assert status == 200 and len(body) == sizes[name], (name, len(body))
                    for server, port in (("portal", portal_port), ("bare", bare_port)):
                        load(
                            port,
                            path,
                            requests=args.warmup,
                            concurrency=args.concurrency,
                            time_limit=args.time_limit,
                        )
                        done, errors, seconds, latencies = load(
                            port,
                            path,
                            requests=args.requests,
                            concurrency=args.concurrency,
                            time_limit=args.time_limit,
                        )
                        results.append(Result(name, server, done, errors, seconds, latencies))
        print_table(results, sizes, args)
        return results
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def print_table(results: list[Result], sizes: dict[str, int], args: argparse.Namespace) -> None:
    load1, _, _ = os.getloadavg()
    print(
        f"gunicorn.conf.py, {args.workers} sync workers, {args.concurrency} client threads, "
        f"{args.requests} requests per row after {args.warmup} warm-up, loopback; "
        f"{os.cpu_count()} CPUs, load average {load1:.1f} at the end"
    )
    header = (
        f"{'page':<8} {'bytes':>6} {'server':<7} {'requests':>8} {'errors':>6} "
        f"{'req/s':>8} {'p50 ms':>7} {'p95 ms':>7}"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        print(
            f"{r.page:<8} {sizes[r.page]:>6} {r.server:<7} {r.requests:>8} {r.errors:>6} "
            f"{r.rate:>8.0f} {r.percentile(50):>7.1f} {r.percentile(95):>7.1f}"
        )
    print()
    by_key = {(r.page, r.server): r for r in results}
    for page, _, _ in PAGES:
        portal, bare = by_key[(page, "portal")], by_key[(page, "bare")]
        ratio = portal.rate / bare.rate if bare.rate else float("nan")
        print(f"{page}: portal/bare requests/s = {ratio:.2f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--requests",
        type=int,
        default=2000,
        help="measured requests per page and server (default 2000)",
    )
    parser.add_argument(
        "--warmup", type=int, default=200, help="requests before measuring (default 200)"
    )
    parser.add_argument("--concurrency", type=int, default=4, help="client threads (default 4)")
    parser.add_argument(
        "--workers", type=int, default=2, help="gunicorn workers for each server (default 2)"
    )
    parser.add_argument(
        "--time-limit",
        type=float,
        default=60.0,
        help="seconds at most per measured run (default 60)",
    )
    args = parser.parse_args(argv)
    for name in ("requests", "concurrency", "workers"):
        if getattr(args, name) <= 0:
            parser.error(f"--{name} must be positive")
    results = run(args)
    return 1 if any(r.errors for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
