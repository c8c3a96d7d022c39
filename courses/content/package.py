"""Reading a content package: a folder or a ``.zip`` holding ``content.json`` and ``files/…``
(docs/content-format.md describes every field).

:func:`open_package` reads a package without unpacking it, refusing zip bombs (too many
members, too many bytes, a suspicious compression ratio) and paths that lead out of it;
:func:`safe_package_path` accepts only plain paths under ``files/``. What is wrong is raised as
:class:`PackageError`, which lists every problem, one line each.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
from pathlib import Path
from typing import IO, Any

MANIFEST = "content.json"
FILES = "files"

#: Limits on a package (zip bombs, runaway folders).
MAX_MEMBERS = 5000
MAX_TOTAL_BYTES = 2 * 1024 * 1024 * 1024
MAX_MANIFEST_BYTES = 20 * 1024 * 1024
#: A zip member larger than this must not be compressed more than MAX_RATIO times.
RATIO_CHECK_BYTES = 1024 * 1024
MAX_RATIO = 100

# A path inside the package: "files/" then safe segments (no "..", no hidden names).
_SEGMENT = re.compile(r"[^/\\\x00-\x1f]+")


class PackageError(Exception):
    """The package cannot be imported; ``problems`` lists every reason, one line each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


class Package:
    """A package opened for reading: ``content.json`` and the files under ``files/``."""

    def read_manifest(self) -> bytes:
        raise NotImplementedError

    def size(self, path: str) -> int | None:
        """The file's size in bytes, or None when the package has no such file."""
        raise NotImplementedError

    def open(self, path: str) -> IO[bytes]:
        raise NotImplementedError

    def close(self) -> None:
        pass

    def sha256(self, path: str) -> str:
        digest = hashlib.sha256()
        with self.open(path) as stream:
            while chunk := stream.read(64 * 1024):
                digest.update(chunk)
        return digest.hexdigest()


class FolderPackage(Package):
    def __init__(self, root: Path) -> None:
        self.root = root.resolve()

    def _path(self, path: str) -> Path | None:
        target = (self.root / path).resolve()
        # A symbolic link may not lead out of the package.
        if not target.is_relative_to(self.root) or not target.is_file():
            return None
        return target

    def read_manifest(self) -> bytes:
        target = self._path(MANIFEST)
        if target is None:
            raise PackageError([f"{MANIFEST}: missing"])
        if target.stat().st_size > MAX_MANIFEST_BYTES:
            raise PackageError([f"{MANIFEST}: larger than {MAX_MANIFEST_BYTES} bytes"])
        return target.read_bytes()

    def size(self, path: str) -> int | None:
        target = self._path(path)
        return None if target is None else target.stat().st_size

    def open(self, path: str) -> IO[bytes]:
        target = self._path(path)
        if target is None:
            raise FileNotFoundError(path)
        return target.open("rb")


class ZipPackage(Package):
    def __init__(self, path: Path) -> None:
        try:
            self.zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as exc:
            raise PackageError([f"{path.name}: not a readable zip file ({exc})"]) from exc
        members = [info for info in self.zip.infolist() if not info.is_dir()]
        problems = []
        if len(members) > MAX_MEMBERS:
            problems.append(f"zip: {len(members)} files, more than the {MAX_MEMBERS} allowed")
        total = sum(info.file_size for info in members)
        if total > MAX_TOTAL_BYTES:
            problems.append(f"zip: {total} bytes unpacked, more than {MAX_TOTAL_BYTES} allowed")
        for info in members:
            if info.file_size > RATIO_CHECK_BYTES and info.file_size > MAX_RATIO * max(
                info.compress_size, 1
            ):
                problems.append(
                    f"zip: {info.filename} is compressed more than {MAX_RATIO} times (a zip bomb?)"
                )
        if problems:
            self.zip.close()
            raise PackageError(problems)
        names = {info.filename: info for info in members}
        # A zipped folder ("package/content.json") is read as if zipped from inside.
        roots = [n[: -len(MANIFEST)] for n in names if n.endswith("/" + MANIFEST)]
        prefix = roots[0] if MANIFEST not in names and len(roots) == 1 else ""
        if prefix.count("/") > 1:
            prefix = ""
        self.members = {
            name[len(prefix) :]: info for name, info in names.items() if name.startswith(prefix)
        }

    def read_manifest(self) -> bytes:
        info = self.members.get(MANIFEST)
        if info is None:
            raise PackageError([f"{MANIFEST}: missing"])
        if info.file_size > MAX_MANIFEST_BYTES:
            raise PackageError([f"{MANIFEST}: larger than {MAX_MANIFEST_BYTES} bytes"])
        with self.zip.open(info) as stream:
            return stream.read(MAX_MANIFEST_BYTES + 1)

    def size(self, path: str) -> int | None:
        info = self.members.get(path)
        return None if info is None else info.file_size

    def open(self, path: str) -> IO[bytes]:
        return self.zip.open(self.members[path])

    def close(self) -> None:
        self.zip.close()


def open_package(path: str | Path) -> Package:
    """The package at ``path``: a folder or a ``.zip`` file."""
    path = Path(path)
    if path.is_dir():
        return FolderPackage(path)
    if path.is_file():
        return ZipPackage(path)
    raise PackageError([f"{path}: no such folder or zip file"])


def safe_package_path(path: Any) -> str | None:
    """``path`` when it is a plain relative path under ``files/``, else None."""
    if not isinstance(path, str) or "\\" in path or path.startswith("/"):
        return None
    parts = path.split("/")
    if len(parts) < 2 or parts[0] != FILES or len(path) > 500:
        return None
    if any(p in (".", "..") or p.startswith(".") or not _SEGMENT.fullmatch(p) for p in parts):
        return None
    return path
