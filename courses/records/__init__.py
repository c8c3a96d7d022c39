"""Learning records: every learning event stored once, append-only, as an xAPI 2.0
statement, with summaries (progress per learner per course, learning hours per learner per
year, completions) derived from the statements in the same transaction and rebuildable with
``flask records rebuild``.

Rooms: ``iri`` (activity, extension and actor IRIs under ``PORTAL_BASE_URL``), ``verbs`` (the
verb IRIs), ``models``, ``operations`` (``record``, ``void``, ``rebuild``: the public entry),
``statements`` (checking and normalising a statement), ``summaries`` (progress and hours kept
up to date, recomputed, rebuilt), ``queries``, ``cli``. Callers import from ``operations``.
An xAPI LRS (issue 7) is meant to be served over this same store.

Account deletion: a learner's statements and summaries go with their account (``ON DELETE
CASCADE``). The person asked to be forgotten, and a statement's actor JSON names the account
(``account.name`` is the user id), so nulling ``user_id`` would keep a pseudonymous trail of
everything they learnt; erasing is the one exception to append-only. Statements of actors who
are not portal users carry ``user_id`` NULL and are kept as sent.
"""

import logging

logger = logging.getLogger(__name__)
