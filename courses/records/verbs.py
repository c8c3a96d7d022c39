"""The verb IRIs the portal records, from the ADL vocabulary
(http://adlnet.gov/expapi/verbs/...), and ``EARNED`` for certificates.

The ADL vocabulary has no "earned" verb, so ``EARNED`` is the portal's own IRI under
``PORTAL_BASE_URL`` (``{base}/xapi/verbs/earned``); use :func:`earned`.
"""

from __future__ import annotations

from courses.records.iri import VERB_PATH, base_url

ADL = "http://adlnet.gov/expapi/verbs/"

EXPERIENCED = ADL + "experienced"
COMPLETED = ADL + "completed"
ATTEMPTED = ADL + "attempted"
ANSWERED = ADL + "answered"
PASSED = ADL + "passed"
FAILED = ADL + "failed"
PROGRESSED = ADL + "progressed"
VOIDED = ADL + "voided"

ADL_VERBS = (EXPERIENCED, COMPLETED, ATTEMPTED, ANSWERED, PASSED, FAILED, PROGRESSED, VOIDED)


def earned() -> str:
    """The portal's "earned" verb (a certificate was earned): ``{base}/xapi/verbs/earned``."""
    return f"{base_url()}{VERB_PATH}earned"


def display(verb_iri: str) -> dict[str, str]:
    """A language map for ``verb.display``: the English name, as ADL gives it."""
    return {"en-US": verb_iri.rstrip("/").rsplit("/", 1)[-1]}
