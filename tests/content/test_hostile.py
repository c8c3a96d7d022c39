"""Broken and hostile packages are refused with a clear message, a non-zero exit code, and
nothing saved (no rows, no stored files)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from courses.content import package as content_package
from courses.content.models import ContentKey
from courses.courseware.models import Course
from courses.resources.models import Resource, ResourceAttachment


def _nothing_saved(db, app) -> None:
    for model in (Resource, Course, ResourceAttachment, ContentKey):
        assert db.session.scalar(select(func.count()).select_from(model)) == 0, model
    assert not any(Path(app.config["PORTAL_UPLOAD_DIR"]).rglob("*.*"))


def _refused(result, *needles: str) -> None:
    assert result.exit_code != 0, result.output
    assert "nothing imported" in result.output
    for needle in needles:
        assert needle in result.output, result.output


def _course(document, key="ky-nang-so-co-ban"):
    return next(c for c in document["courses"] if c["key"] == key)


def _quiz(document):
    return _course(document)["modules"][1]["lessons"][0]["quiz"]


def _resource(document, key="rua-tay-dung-cach"):
    return next(r for r in document["resources"] if r["key"] == key)


def test_invalid_json(db, app, admin, demo_copy, content_cli):
    package = demo_copy()
    (package / "content.json").write_text('{"format": "hoctap-content", ', encoding="utf-8")
    _refused(content_cli("import", package), "content.json: invalid JSON at line 1")
    _nothing_saved(db, app)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("format", "moodle-backup", "content.json.format: must be 'hoctap-content'"),
        ("version", 2, "content.json.version: unsupported version 2"),
    ],
)
def test_wrong_format_or_version(db, app, admin, demo_copy, content_cli, field, value, message):
    package = demo_copy(lambda d: d.update({field: value}))
    _refused(content_cli("import", package), message)
    _nothing_saved(db, app)


def test_missing_file(db, app, admin, demo_copy, content_cli):
    package = demo_copy()
    (package / "files" / "rua-tay-dung-cach" / "giot-nuoc.png").unlink()
    _refused(
        content_cli("import", package),
        "resources[rua-tay-dung-cach].attachments[0].path: "
        "files/rua-tay-dung-cach/giot-nuoc.png is missing",
    )
    _nothing_saved(db, app)


@pytest.mark.parametrize(
    "path",
    ["files/../../etc/passwd", "/etc/passwd", "files/a/../../content.json", "elsewhere/x.png"],
)
def test_path_traversal(db, app, admin, demo_copy, content_cli, path):
    def edit(document):
        _resource(document)["attachments"][0]["path"] = path

    _refused(
        content_cli("import", demo_copy(edit)),
        "resources[rua-tay-dung-cach].attachments[0].path",
        "not a plain path under files/",
    )
    _nothing_saved(db, app)


def test_symbolic_link_out_of_the_package(db, app, admin, demo_copy, content_cli, tmp_path):
    secret = tmp_path / "secret.png"
    secret.write_bytes((demo_copy() / "files/rua-tay-dung-cach/giot-nuoc.png").read_bytes())
    package = demo_copy()
    target = package / "files" / "rua-tay-dung-cach" / "giot-nuoc.png"
    target.unlink()
    target.symlink_to(secret)
    _refused(content_cli("import", package), "is missing from the package")
    _nothing_saved(db, app)


def test_zip_bomb(db, app, admin, demo_copy, content_cli, tmp_path):
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.write(demo_copy() / "content.json", "content.json")
        with archive.open("files/zeros.pdf", "w") as member:
            for _ in range(16):
                member.write(bytes(1024 * 1024))
    _refused(content_cli("import", bomb), "zip: files/zeros.pdf is compressed more than")
    _nothing_saved(db, app)


def test_too_many_members_or_bytes(db, app, admin, demo_copy, content_cli, tmp_path, monkeypatch):
    monkeypatch.setattr(content_package, "MAX_MEMBERS", 2)  # the limits live where the reader is
    monkeypatch.setattr(content_package, "MAX_TOTAL_BYTES", 1000)
    package = tmp_path / "many.zip"
    with zipfile.ZipFile(package, "w") as archive:
        archive.write(demo_copy() / "content.json", "content.json")
        for n in range(3):
            archive.writestr(f"files/{n}.txt", "x")
    _refused(content_cli("import", package), "4 files, more than the 2 allowed", "unpacked")
    _nothing_saved(db, app)


def test_not_a_zip(db, app, admin, content_cli, tmp_path):
    package = tmp_path / "package.zip"
    package.write_bytes(b"PK\x03\x04 not really")
    _refused(content_cli("import", package), "not a readable zip file")


def test_oversized_file(db, app, admin, demo_copy, content_cli):
    package = demo_copy()
    pdf = package / "files" / "lich-cham-soc-ca-phe" / "lich-cham-soc-ca-phe.pdf"
    pdf.write_bytes(
        pdf.read_bytes() + b"%" * (app.config["PORTAL_MAX_ATTACHMENT_MB"] * 1024 * 1024)
    )
    _refused(content_cli("import", package), "PORTAL_MAX_ATTACHMENT_MB")
    _nothing_saved(db, app)


def test_duplicate_keys(db, app, admin, demo_copy, content_cli):
    def edit(document):
        document["courses"].append(dict(_course(document)))

    _refused(content_cli("import", demo_copy(edit)), "duplicate key 'ky-nang-so-co-ban'")
    _nothing_saved(db, app)


def test_unknown_question_kind(db, app, admin, demo_copy, content_cli):
    def edit(document):
        _quiz(document)["questions"][0]["kind"] = "essay"

    _refused(
        content_cli("import", demo_copy(edit)),
        "courses[ky-nang-so-co-ban].modules[1].lessons[0].quiz.questions[0].kind: 'essay' is not",
    )
    _nothing_saved(db, app)


@pytest.mark.parametrize(
    ("index", "answer", "message"),
    [
        (0, {"correct": "z"}, "questions[0].answer.correct: must be one of the option keys"),
        (1, {"correct": ["a", "x"]}, "questions[1].answer.correct: must list one or more"),
        (2, {"correct": "no"}, "questions[2].answer.correct: must be true or false"),
        (4, {"value": "twelve"}, "questions[4].answer.value: must be a number"),
    ],
)
def test_answers_inconsistent_with_kind(
    db, app, admin, demo_copy, content_cli, index, answer, message
):
    def edit(document):
        _quiz(document)["questions"][index]["answer"] = answer

    _refused(content_cli("import", demo_copy(edit)), message)
    _nothing_saved(db, app)


def test_many_problems_are_listed_together(db, app, admin, demo_copy, content_cli):
    def edit(document):
        _resource(document)["licence"] = "gpl"
        _resource(document)["translations"]["xx"] = {"title": "?"}
        _course(document)["prerequisites"] = ["no-such-course"]
        _course(document)["modules"][0]["lessons"][0]["resources"] = ["no-such-resource"]
        _quiz(document)["questions"][3]["translations"]["vi"]["accepted"] = []

    result = content_cli("import", demo_copy(edit))
    _refused(
        result,
        "resources[rua-tay-dung-cach].licence: 'gpl' is not one of",
        "resources[rua-tay-dung-cach].translations.xx: unknown language code 'xx'",
        "courses[ky-nang-so-co-ban].prerequisites[0]: no course with key 'no-such-course'",
        "lessons[0].resources[0]: no resource with key 'no-such-resource'",
        "questions[3].translations.vi.accepted: a short_text question needs accepted answers",
        "5 problem(s)",
    )
    _nothing_saved(db, app)


def test_unknown_owner(db, app, demo_copy, content_cli):
    result = content_cli("import", demo_copy(), "--owner", "nobody@example.test")
    assert result.exit_code != 0 and "no account" in result.output


def test_invalid_change_leaves_the_imported_content_alone(db, app, admin, demo_copy, content_cli):
    assert content_cli("import", demo_copy()).exit_code == 0

    def edit(document):
        _course(document)["translations"]["vi"]["title"] = "Đổi tên"
        _resource(document)["attachments"][0]["path"] = "../x.png"

    _refused(content_cli("import", demo_copy(edit)), "attachments[0].path")
    db.session.expire_all()
    titles = set(db.session.scalars(select(Course).where(Course.id > 0)))
    assert "Đổi tên" not in {c.translation("vi").title for c in titles}


def test_json_fields_are_checked(db, app, admin, demo_copy, content_cli):
    def edit(document):
        document["resources"] = {"not": "a list"}
        _course(document)["colour"] = "blue"

    _refused(content_cli("import", demo_copy(edit)), "resources: must be a list", "colour: unknown")


def test_folder_without_manifest(db, app, admin, content_cli, tmp_path):
    (tmp_path / "empty").mkdir()
    _refused(content_cli("import", tmp_path / "empty"), "content.json: missing")


def test_a_file_of_the_wrong_type(db, app, admin, demo_copy, content_cli):
    package = demo_copy()
    (package / "files" / "rua-tay-dung-cach" / "giot-nuoc.png").write_bytes(b"MZ\x90\x00 program")
    _refused(content_cli("import", package), "giot-nuoc.png: file type not allowed")
    _nothing_saved(db, app)
