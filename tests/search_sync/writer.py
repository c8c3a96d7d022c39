"""One web worker of the concurrent-writers test, run as its own process:

    python -m tests.search_sync.writer DATABASE_URL INSTANCE SEARCH_DIR NUMBER ROUNDS \
        COURSE_IDS GO_FILE

It signs the teacher in, leaves a ``ready-NUMBER`` file beside GO_FILE and waits for GO_FILE
(the test creates it once every worker is ready, so that they all write at once), then renames
courses through the web path ROUNDS times (POST, one commit per request, the index drained
inline after each), and prints one JSON line: the titles it wrote and the statuses it got.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def main(argv: list[str]) -> int:
    url, instance, search_dir, number, rounds, course_ids, go_file = argv
    from tests.conftest import PASSWORD, make_app

    app = make_app(url, instance, PORTAL_SEARCH_DIR=search_dir, PORTAL_SEARCH_LOCK_TIMEOUT=30.0)
    client = app.test_client()
    signed_in = client.post("/sign-in", data={"identifier": "hoa@ex.vn", "password": PASSWORD})
    ids = [int(n) for n in course_ids.split(",")]
    Path(go_file).with_name(f"ready-{number}").touch()
    deadline = time.monotonic() + 60
    while not Path(go_file).exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    wrote, statuses = [], []
    for n in range(int(rounds)):
        course_id = ids[(int(number) + n) % len(ids)]
        title = f"Khóa học w{number}r{n}"  # "w2r7": a word no other commit writes
        response = client.post(
            f"/teach/courses/{course_id}/text?language=vi",
            data={"title": title, "summary": "", "description": ""},
        )
        statuses.append(response.status_code)
        wrote.append([course_id, title])
    print(json.dumps({"signed_in": signed_in.status_code, "statuses": statuses, "wrote": wrote}))
    from portal.extensions import db

    with app.app_context():
        db.engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
