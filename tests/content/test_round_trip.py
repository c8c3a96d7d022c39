"""Export → import into a fresh database → export gives the same package, byte for byte;
and exporting the imported demo package gives the demo package itself."""

from __future__ import annotations

import contextlib
import filecmp
import zipfile
from pathlib import Path

import pytest
from flask_migrate import upgrade

from portal.accounts import operations as accounts
from portal.accounts.models import Role
from portal.extensions import db
from tests.conftest import BACKENDS, make_app, scratch_database
from tests.content.conftest import DEMO


@pytest.fixture(params=BACKENDS)
def fresh_app(request, tmp_path_factory):
    """Makes apps, each on its own new migrated database with one administrator."""
    with contextlib.ExitStack() as stack:

        def make():
            url = stack.enter_context(scratch_database(request.param, tmp_path_factory))
            application = make_app(url, tmp_path_factory.mktemp("instance"))
            with application.app_context():
                upgrade()
                user = accounts.create_user(
                    full_name="Quản trị viên", password="correct horse battery", email="a@b.test"
                )
                accounts.grant_role(user, Role.ADMIN)
                db.session.commit()
            stack.callback(_dispose, application)
            return application

        yield make


def _dispose(application):
    with application.app_context():
        db.engine.dispose()


def _run(application, *args):
    result = application.test_cli_runner().invoke(args=["content", *map(str, args)])
    assert result.exit_code == 0, result.output
    return result


def _files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_export_import_export_is_identical_and_a_selection_is_complete(fresh_app, tmp_path):
    """A selection brings what it needs: the resources its lessons attach, the courses it
    requires."""
    first, second = fresh_app(), fresh_app()
    _run(first, "import", DEMO)
    _run(first, "export", "--out", tmp_path / "a")
    _run(first, "export", "--out", tmp_path / "a.zip")
    _run(second, "import", tmp_path / "a")
    again = _run(second, "import", tmp_path / "a.zip")
    assert "courses: 0 created, 0 updated, 4 unchanged" in again.output
    _run(second, "export", "--out", tmp_path / "b")

    a, b = tmp_path / "a", tmp_path / "b"
    assert (a / "content.json").read_bytes() == (b / "content.json").read_bytes()
    assert _files(a) == _files(b) == _files(DEMO)
    for other in (b, DEMO):
        _same, mismatch, errors = filecmp.cmpfiles(a, other, _files(a), shallow=False)
        assert (mismatch, errors) == ([], [])
    # The demo package is written exactly as the exporter writes it.
    assert (a / "content.json").read_bytes() == (DEMO / "content.json").read_bytes()
    with zipfile.ZipFile(tmp_path / "a.zip") as archive:
        assert archive.read("content.json") == (a / "content.json").read_bytes()

    result = _run(
        first, "export", "--out", tmp_path / "one", "--course", "quan-ly-tai-chinh-gia-dinh"
    )
    assert "0 resources, 2 courses" in result.output  # and the course it requires
    _run(first, "export", "--out", tmp_path / "two", "--course", "doc-chu-viet-cho-nguoi-lon")
    text = (tmp_path / "two" / "content.json").read_text(encoding="utf-8")
    assert '"key": "rua-tay-dung-cach"' in text
    assert (tmp_path / "two" / "files" / "rua-tay-dung-cach" / "giot-nuoc.png").is_file()
    missing = first.test_cli_runner().invoke(
        args=["content", "export", "--out", tmp_path / "x", "--course", "no-such-course"]
    )
    assert missing.exit_code != 0 and "no-such-course" in missing.output
