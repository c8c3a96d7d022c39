"""Concurrent writers through the web path: nothing fails, nothing is lost."""

from __future__ import annotations

import threading

from portal.accounts.models import User
from portal.extensions import db
from tests.conftest import PASSWORD


def test_concurrent_sign_ups_all_succeed(committed_app):
    """Each sign-up reads (is the number taken?) before it writes; on SQLite a write request
    takes the write lock at BEGIN, so a stale read never turns into "database is locked"."""
    writers, each = 4, 6
    statuses: list[int] = []
    lock = threading.Lock()

    def sign_up(writer: int) -> None:
        client = committed_app.test_client()
        for n in range(each):
            response = client.post(
                "/sign-up",
                data={
                    "full_name": f"Người học {writer}-{n}",
                    "identifier": f"09{writer}{n:07d}"[:10].ljust(10, "0"),
                    "password": PASSWORD,
                    "confirm": PASSWORD,
                },
            )
            signed_out = client.post("/sign-out")
            with lock:
                # A failed sign-out would turn the next sign-up into a redirect that creates
                # nobody: count both.
                statuses.extend([response.status_code, signed_out.status_code])

    threads = [threading.Thread(target=sign_up, args=(w,)) for w in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [302] * (2 * writers * each)
    with committed_app.app_context():
        assert db.session.query(User).count() == writers * each
