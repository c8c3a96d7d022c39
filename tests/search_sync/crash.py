"""Processes that die in the middle of writing the index, for the crash-recovery tests:

    python -m tests.search_sync.crash writer SEARCH_DIR
        opens a writer on the live index, adds documents and is killed (SIGKILL) before
        committing;
    python -m tests.search_sync.crash drain DATABASE_URL INSTANCE SEARCH_DIR
        drains the outbox like ``flask search worker`` and is killed once it has read the
        outbox rows and replaced their documents, just before the commit.

Each prints what it got to before dying.
"""

from __future__ import annotations

import os
import signal
import sys
from typing import Any


def _die() -> None:
    sys.stdout.flush()
    os.kill(os.getpid(), signal.SIGKILL)


def writer(search_dir: str) -> None:
    from search.schema import to_fields
    from search.store import IndexStore

    store = IndexStore(search_dir)
    ix = store.open()
    writer = ix.writer(timeout=5.0, limitmb=1)  # a small pool: data reaches the disk early
    for n in range(300):
        writer.add_document(
            **to_fields(
                {
                    "key": f"course:{90_000 + n}:vi",
                    "root": f"course:{90_000 + n}",
                    "kind": "course",
                    "language": "vi",
                    "title": f"Tài liệu dở dang zzjunk {n}",
                    "body": "chưa lưu " * 50,
                    "url": f"/courses/{90_000 + n}",
                }
            )
        )
    print("added", flush=True)
    _die()


def drain(url: str, instance: str, search_dir: str) -> None:
    from search import indexer
    from tests.conftest import make_app

    app = make_app(url, instance, PORTAL_SEARCH_DIR=search_dir, PORTAL_SEARCH_INDEXING="off")
    real_write_state = indexer.write_state

    def write_state_then_die(writer: Any, cursor: int) -> None:
        real_write_state(writer, cursor)
        print(f"replaced documents up to outbox row {cursor}", flush=True)
        _die()

    indexer.write_state = write_state_then_die  # type: ignore[assignment]
    with app.app_context():
        app.extensions["search"].drain()
    print("committed (should not happen)", flush=True)


if __name__ == "__main__":
    command, *arguments = sys.argv[1:]
    {"writer": writer, "drain": drain}[command](*arguments)
