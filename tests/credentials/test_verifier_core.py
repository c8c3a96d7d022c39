"""Acceptance: npm ``@digitalcredentials/verifier-core`` verifies the portal's credentials
offline and rejects tampered copies.

The portal is served on a loopback port (its base URL is that address), so the verifier
fetches the status list from the portal itself; ``js/verify.mjs`` refuses every other host.
The node packages are installed by ``make test`` (``npm ci --prefix tests/credentials/js``).
Without node the test fails in CI (``CI`` set) and is skipped elsewhere.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from courses.certificates import operations
from portal.extensions import db
from tests.conftest import loopback_server

JS = Path(__file__).resolve().parent / "js"

pytestmark = pytest.mark.xdist_group("verifier-core")


@pytest.fixture
def node() -> str:
    path = shutil.which("node")
    if path is None:
        message = "node is not installed: the Open Badges acceptance test needs Node.js 18+"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    if not (JS / "node_modules" / "@digitalcredentials" / "verifier-core").is_dir():
        pytest.fail(f"verifier-core is not installed: run `npm ci --prefix {JS}` (make test does)")
    return path


@pytest.fixture
def served(committed_app: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Any, str]]:
    """The app on a free loopback port; its base URL is that address."""
    with loopback_server(committed_app) as base:
        monkeypatch.setitem(committed_app.config, "PORTAL_BASE_URL", base)
        yield committed_app, base


def _issue(app: Any) -> dict[str, str]:
    """One certificate of each kind and a revoked one; their codes by name."""
    from portal.accounts import operations as accounts

    with app.app_context():
        learner = accounts.create_user(
            full_name="Nguyễn Thị Ánh Tuyết", password="x" * 12, phone="0912000001"
        )
        made = {
            "course": operations.issue_certificate(
                learner,
                kind="course",
                achievement="Kỹ năng số cơ bản",
                hours="12.5",
                issuer="Cổng học tập suốt đời",
                language="vi",
            ),
            "programme": operations.issue_programme(
                learner, achievement="Nuôi trồng thủy sản", hours=40, issuer="Trung tâm GDTX"
            ),
            "title": operations.issue_title(
                holder_name="Gia đình ông Nguyễn Văn Ba",
                achievement="Gia đình học tập — 2026",
                issuer="Ủy ban nhân dân xã Tân Hội",
                language="vi",
            ),
            "revoked": operations.issue_programme(
                learner, achievement="Tin học văn phòng", hours=30, issuer="Trung tâm GDTX"
            ),
        }
        operations.revoke(made["revoked"], by=None, reason="Issued by mistake")
        db.session.commit()
        return {name: certificate.display_code for name, certificate in made.items()}


def _verify(node: str, files: list[Path]) -> dict[str, dict[str, Any]]:
    result = subprocess.run(
        [node, str(JS / "verify.mjs"), *map(str, files)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=JS,
    )
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    return {Path(line["file"]).stem: line for line in lines}


def test_verifier_core_verifies_each_credential_and_rejects_tampered_copies(node, served, tmp_path):
    app, base = served
    codes = _issue(app)
    client = app.test_client()
    files = []
    credentials = {}
    for name, code in codes.items():
        response = client.get(f"/verify/{code}/credential.json")
        assert response.status_code == 200
        credentials[name] = json.loads(response.data)
        # The verifier fetches the status list from this live server, nowhere else.
        assert credentials[name]["credentialStatus"]["statusListCredential"].startswith(base)
        files.append(tmp_path / f"{name}.json")
        files[-1].write_bytes(response.data)
    renamed = copy.deepcopy(credentials["course"])
    renamed["credentialSubject"]["name"] = "Trần Văn Minh"
    forged = copy.deepcopy(credentials["title"])
    value = forged["proof"][0]["proofValue"]
    forged["proof"][0]["proofValue"] = value[:-4] + ("2222" if value[-4:] != "2222" else "3333")
    for name, document in {"renamed": renamed, "forged": forged}.items():
        files.append(tmp_path / f"{name}.json")
        files[-1].write_text(json.dumps(document, ensure_ascii=False))

    results = _verify(node, files)

    for name in ("course", "programme", "title"):
        result = results[name]
        assert result["verified"] is True, result
        assert result["revoked"] is False, result
        steps = {step["id"]: step.get("valid") for step in result["log"]}
        assert steps["valid_signature"] and steps["revocation_status"], result
        # 1EdTech's JSON schema of an OB 3.0 AchievementCredential (VC 2.0) holds too.
        assert [check["result"]["valid"] for check in result["schema"]] == [True], result
    revoked = results["revoked"]
    assert revoked["verified"] is False and revoked["revoked"] is True, revoked
    for name in ("renamed", "forged"):
        result = results[name]
        assert result["verified"] is False, result
        assert [error["name"] for error in result["errors"]] == ["invalid_signature"], result
