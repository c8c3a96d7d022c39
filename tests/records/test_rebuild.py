"""Rebuilding the summaries from the statements gives what the live updates gave."""

from __future__ import annotations

import random

import pytest

from courses.records import operations
from tests.records.conftest import random_statement, summaries


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_rebuild_equals_live_for_a_random_mix_of_events(db, learners, seed):
    rng = random.Random(seed)
    users = learners
    ids = [u.id for u in users]
    recorded = []
    for _ in range(150):
        roll = rng.random()
        if roll < 0.08 and recorded:
            target = rng.choice(recorded)
            operations.void(target.statement_id, by=rng.choice(users))
        elif roll < 0.12 and recorded:
            again = rng.choice(recorded)
            operations.record(dict(again.data))  # a resent statement changes nothing
        else:
            recorded.append(operations.record(random_statement(rng, ids)))
    live = summaries()
    assert live[0] and live[1]

    counts = operations.rebuild(batch=40)

    db.session.expire_all()
    assert summaries() == live
    assert counts.progress_rows == len(live[0]) and counts.hours_rows == len(live[1])


def test_rebuild_of_an_empty_store_empties_the_summaries(db, learners):
    user = learners[0]
    rng = random.Random(7)
    operations.record(random_statement(rng, [user.id]))
    operations.rebuild()
    assert summaries() != ({}, {})
    db.session.execute(operations.sa.delete(operations.Statement))
    counts = operations.rebuild()
    assert (counts.statements, counts.progress_rows, counts.hours_rows) == (0, 0, 0)
    assert summaries() == ({}, {})
