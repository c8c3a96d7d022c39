"""The documented example is a valid package; paths, keys and defaults are checked."""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest

from courses.content.format import (
    FolderPackage,
    PackageError,
    open_package,
    safe_package_path,
    validate,
)
from courses.content.keys import slugify
from tests.content.conftest import DEMO

DOCS = Path(__file__).resolve().parents[2] / "docs" / "content-format.md"


def _example(tmp_path: Path) -> FolderPackage:
    text = DOCS.read_text(encoding="utf-8")
    example = re.findall(r"```json\n(.*?)```", text, re.S)[-1]
    (tmp_path / "content.json").write_text(example, encoding="utf-8")
    shutil.copytree(DEMO / "files" / "rua-tay-dung-cach", tmp_path / "files" / "rua-tay-dung-cach")
    return FolderPackage(tmp_path)


def test_documented_example_is_valid_and_short_items_take_defaults(tmp_path):
    checked = validate(_example(tmp_path), max_file_bytes=1024 * 1024)
    digital, coffee = checked.courses
    kinds = [q["kind"] for q in digital["modules"][0]["lessons"][0]["quiz"]["questions"]]
    assert kinds == ["single", "multiple", "true_false", "short_text", "numeric", "ordering"]
    assert coffee["completion"] == {
        "require_all_lessons": True,
        "require_quizzes_passed": True,
        "min_score": None,
    }
    assert (coffee["licence"], coffee["issues_certificate"], coffee["subjects"]) == (
        "cc-by",
        True,
        [],
    )
    assert coffee["translations"]["vi"] == {
        "title": "Kỹ thuật trồng cà phê",
        "summary": "",
        "description": "",
    }
    attachment = checked.resources[0]["attachments"][0]
    assert len(attachment["sha256"]) == 64


def test_a_file_over_the_limit_is_refused(tmp_path):
    with pytest.raises(PackageError, match="more than the 10 allowed"):
        validate(_example(tmp_path), max_file_bytes=10)


def test_the_original_language_must_have_a_text(tmp_path):
    package = _example(tmp_path)
    document = json.loads((tmp_path / "content.json").read_text(encoding="utf-8"))
    del document["courses"][0]["modules"][0]["translations"]["vi"]
    (tmp_path / "content.json").write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(PackageError) as caught:
        validate(package, max_file_bytes=1024 * 1024)
    assert caught.value.problems == [
        "courses[ky-nang-so-co-ban].modules[0].translations: has no text in the original "
        "language 'vi'"
    ]


@pytest.mark.parametrize(
    ("path", "safe"),
    [
        ("files/a.png", True),
        ("files/rua-tay/Ảnh 1.png", True),
        ("files/../content.json", False),
        ("files/./a.png", False),
        ("files/.hidden", False),
        ("/files/a.png", False),
        ("files\\a.png", False),
        ("content.json", False),
        ("files", False),
        (None, False),
    ],
)
def test_package_paths(path, safe):
    assert (safe_package_path(path) is not None) is safe


def test_slugs():
    assert slugify("Kỹ năng số cơ bản") == "ky-nang-so-co-ban"
    assert slugify("Đọc chữ Việt — cho người lớn!") == "doc-chu-viet-cho-nguoi-lon"
    assert slugify("ការអាន") == ""


def test_a_zipped_folder_reads_like_a_zipped_package(tmp_path):
    archive = tmp_path / "demo.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for path in DEMO.rglob("*"):
            if path.is_file():
                z.write(path, "demo/" + str(path.relative_to(DEMO)))
    package = open_package(archive)
    try:
        checked = validate(package, max_file_bytes=1024 * 1024)
    finally:
        package.close()
    assert len(checked.courses) == 4 and len(checked.files) == 2


def test_the_demo_package_stays_small():
    size = sum(p.stat().st_size for p in DEMO.rglob("*") if p.is_file())
    assert size < 300 * 1024
