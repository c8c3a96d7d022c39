"""``flask demo load`` gives the demo learner a valid and a revoked certificate, once."""

from __future__ import annotations

import re

from courses.certificates import queries
from portal.accounts.queries import user_by_identifier


def test_demo_load_issues_two_certificates_once_and_prints_their_codes(app, db):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo", "load"])
    assert first.exit_code == 0, first.output
    printed = re.findall(r"demo certificate \((valid|revoked)\): /verify/(\S+)", first.output)
    assert sorted(state for state, _code in printed) == ["revoked", "valid"]
    second = runner.invoke(args=["demo", "load"])
    again = re.findall(r"demo certificate \((valid|revoked)\): /verify/(\S+)", second.output)
    assert sorted(again) == sorted(printed)
    learner = user_by_identifier("0912000005")
    certificates = queries.certificates_of(learner)
    assert len(certificates) == 2
    for state, code in printed:
        certificate = queries.certificate_by_code(code)
        assert certificate is not None and certificate.is_revoked == (state == "revoked")
