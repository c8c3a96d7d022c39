"""Files on local disk, under ``PORTAL_UPLOAD_DIR`` (the default backend)."""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from portal.storage.base import (
    CHUNK_SIZE,
    MeteredReader,
    NotFound,
    Readable,
    Storage,
    StorageError,
    StorageUnavailable,
    StoredFile,
    validate_key,
)

logger = logging.getLogger(__name__)


class LocalStorage(Storage):
    """Files under a folder, one file per key. Writes go to a temporary file in the target
    folder, are flushed to disk, then renamed over the key: readers see the old file or the
    new one, never half of one."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root).resolve()
        # The mode a plain open() would give (temporary files start private).
        umask = os.umask(0o022)
        os.umask(umask)
        self._file_mode = 0o666 & ~umask

    def describe(self) -> str:
        return f"local folder {self.root}"

    def _path(self, key: str) -> Path:
        return self.root.joinpath(*validate_key(key).split("/"))

    def save(self, key: str, stream: Readable, *, content_type: str, max_bytes: int) -> StoredFile:
        path = self._path(key)
        reader = MeteredReader(stream, max_bytes)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(prefix=".upload-", suffix=".part", dir=path.parent)
        except OSError as exc:
            raise self._error(exc, key) from exc
        try:
            with os.fdopen(fd, "wb") as out:
                while chunk := reader.read(CHUNK_SIZE):
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(temp, self._file_mode)
            os.replace(temp, path)
        except BaseException as exc:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            if isinstance(exc, OSError) and not reader.source_failed:
                raise self._error(exc, key) from exc
            raise
        logger.debug("stored %s (%d bytes) in %s", key, reader.size, self.root)
        return StoredFile(key, reader.size, reader.sha256, content_type)

    def open(self, key: str) -> BinaryIO:
        path = self._path(key)
        try:
            return path.open("rb")
        except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
            raise NotFound(key) from None
        except OSError as exc:
            raise self._error(exc, key) from exc

    def delete(self, key: str) -> None:
        path = self._path(key)
        try:
            path.unlink()
        except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
            return
        except OSError as exc:
            raise self._error(exc, key) from exc

    def exists(self, key: str) -> bool:
        path = self._path(key)
        try:
            return path.is_file()
        except OSError as exc:
            raise self._error(exc, key) from exc

    def iter_files(self, prefix: str) -> Iterator[tuple[str, datetime]]:
        folder = self.root.joinpath(*validate_key(prefix.strip("/")).split("/"))
        if not folder.is_dir():
            return
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
            for name in filenames:
                if name.startswith("."):
                    continue  # our own temporary ".upload-*" files
                path = Path(dirpath, name)
                modified = datetime.fromtimestamp(path.stat().st_mtime, UTC)
                yield path.relative_to(self.root).as_posix(), modified

    def _error(self, exc: OSError, key: str) -> StorageError:
        if exc.errno in {errno.EISDIR, errno.ENOTDIR, errno.EEXIST} and self.root.is_dir():
            # A key that is a folder of other keys, or under a key that is a file.
            return StorageError(f"{key} clashes with another stored path: {exc.strerror}")
        return StorageUnavailable(f"cannot use {key} in {self.root}: {exc}")
