"""The storage package's shape: one public entry (``portal.storage``) and one module that
imports boto3."""

from __future__ import annotations

import re
from pathlib import Path

import portal.storage

ROOT = Path(__file__).resolve().parents[2]
IMPORTS_BOTO = re.compile(r"^\s*(?:import|from)\s+(?:boto3|botocore)\b", re.MULTILINE)


def test_only_the_s3_module_imports_boto3():
    importing = sorted(
        path.relative_to(ROOT).as_posix()
        for folder in ("portal", "courses", "search")
        if (ROOT / folder).is_dir()
        for path in (ROOT / folder).rglob("*.py")
        if IMPORTS_BOTO.search(path.read_text(encoding="utf-8"))
    )
    assert importing == ["portal/storage/s3.py"]


def test_the_package_exports_what_callers_import():
    for name in portal.storage.__all__:
        assert getattr(portal.storage, name) is not None, name
    assert issubclass(portal.storage.S3Storage, portal.storage.Storage)
    assert issubclass(portal.storage.LocalStorage, portal.storage.Storage)
    assert portal.storage.storage_cli.name == "storage"
