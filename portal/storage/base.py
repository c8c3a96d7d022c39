"""The storage interface every backend implements, its errors, and what the backends share:
key checking and the metered reader that hashes, counts and bounds an upload as it streams."""

from __future__ import annotations

import hashlib
import io
import logging
import re
import uuid
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import BinaryIO, Protocol

logger = logging.getLogger(__name__)

CHUNK_SIZE = 64 * 1024
MAX_KEY_LENGTH = 512
#: Folder of the probe objects written by :meth:`Storage.check`.
PROBE_FOLDER = "_storage-check"

# One or more segments joined by "/"; a segment is letters, digits, "_", "-" and "." but
# never starts with "." (so no ".", "..", hidden files, or our own ".upload-*" temp files).
_KEY = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]*(?:/[A-Za-z0-9_-][A-Za-z0-9._-]*)*")


class StorageError(Exception):
    """Something went wrong storing or reading a file."""


class InvalidKey(StorageError, ValueError):
    """A key that is not a plain relative path of safe characters."""


class NotFound(StorageError):
    """No file is stored under the key."""


class TooLarge(StorageError):
    """The stream is larger than ``max_bytes``; nothing was stored."""

    def __init__(self, max_bytes: int) -> None:
        super().__init__(f"larger than {max_bytes} bytes")
        self.max_bytes = max_bytes


class StorageUnavailable(StorageError):
    """The backend cannot be used right now: connection refused, timeout, a 5xx answer,
    refused credentials, a missing bucket, a full disk or a folder the portal may not write."""


@dataclass(frozen=True)
class StoredFile:
    """What was stored: keep it in the database beside the record that owns the file."""

    key: str
    size: int
    sha256: str
    content_type: str


class Readable(Protocol):
    """Anything with a binary ``read(size)``: an open file, ``request.files[...]``, BytesIO."""

    def read(self, size: int = -1, /) -> bytes: ...


def validate_key(key: str) -> str:
    """Return ``key`` when it is a safe relative POSIX path, else raise :class:`InvalidKey`:
    segments of ``A-Z a-z 0-9 _ - .`` not starting with a dot, joined by single slashes."""
    if not isinstance(key, str) or not key:
        raise InvalidKey("a key must be a non-empty string")
    if len(key) > MAX_KEY_LENGTH:
        raise InvalidKey(f"a key must be at most {MAX_KEY_LENGTH} characters")
    if not _KEY.fullmatch(key):
        raise InvalidKey(f"{key!r} is not a relative path of letters, digits, '_', '-', '.'")
    return key


class MeteredReader:
    """Reads a stream for a backend: fills every read it can, hashes and counts the bytes,
    and raises :class:`TooLarge` as soon as more than ``max_bytes`` have come through.
    Deliberately not seekable, so boto3 streams it instead of measuring it first."""

    def __init__(self, stream: Readable, max_bytes: int) -> None:
        if max_bytes < 0:
            raise ValueError("max_bytes must not be negative")
        self._stream = stream
        self._max_bytes = max_bytes
        self._hash = hashlib.sha256()
        self.size = 0
        #: True when the *source* stream raised, so its error is not blamed on the storage.
        self.source_failed = False

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def read(self, size: int | None = -1) -> bytes:
        unbounded = size is None or size < 0
        wanted = CHUNK_SIZE if unbounded else size
        parts: list[bytes] = []
        while unbounded or wanted > 0:
            try:
                chunk = self._stream.read(wanted)
            except Exception:
                self.source_failed = True
                raise
            if not chunk:
                break
            self.size += len(chunk)
            if self.size > self._max_bytes:
                raise TooLarge(self._max_bytes)
            self._hash.update(chunk)
            parts.append(chunk)
            if not unbounded:
                wanted -= len(chunk)
        return b"".join(parts)

    @property
    def sha256(self) -> str:
        return self._hash.hexdigest()


class Storage(ABC):
    """Where uploaded files are kept. Every method may raise :class:`StorageUnavailable`;
    every key goes through :func:`validate_key` (:class:`InvalidKey`)."""

    @abstractmethod
    def save(self, key: str, stream: Readable, *, content_type: str, max_bytes: int) -> StoredFile:
        """Store ``stream`` under ``key``, replacing what was there, and describe it.
        Raises :class:`TooLarge` (and stores nothing) past ``max_bytes`` bytes."""

    @abstractmethod
    def open(self, key: str) -> BinaryIO:
        """The stored bytes as a binary file to read and close (a context manager).
        Raises :class:`NotFound`."""

    @abstractmethod
    def delete(self, key: str) -> None:
        """Remove the file; nothing happens when there is none."""

    @abstractmethod
    def exists(self, key: str) -> bool:
        """Whether a file is stored under ``key``."""

    def url(self, key: str, *, expires_in: int = 3600) -> str | None:
        """A time-limited URL where a browser can fetch the file directly, or ``None`` when
        the portal must serve it itself (local disk)."""
        validate_key(key)
        return None

    @abstractmethod
    def describe(self) -> str:
        """Where the files go, for logs and ``flask storage check`` (never a secret)."""

    def iter_files(self, prefix: str) -> Iterator[tuple[str, datetime]]:
        """Every stored key under the folder ``prefix`` (e.g. ``"resources/"``) with the
        time it was last written, for ``flask storage check``."""
        raise NotImplementedError

    def check(self) -> None:
        """Write a probe file, read it back and delete it. Raises
        :class:`StorageUnavailable` saying what failed."""
        key = f"{PROBE_FOLDER}/{uuid.uuid4().hex}"
        payload = f"portal storage check {key}".encode()
        try:
            self.save(key, io.BytesIO(payload), content_type="text/plain", max_bytes=len(payload))
            try:
                with self.open(key) as stored:
                    if stored.read() != payload:
                        raise StorageUnavailable(f"{key} read back different bytes")
            finally:
                self.delete(key)
        except StorageUnavailable:
            raise
        except StorageError as exc:
            raise StorageUnavailable(f"probe {key} failed: {exc}") from exc

    def close(self) -> None:  # noqa: B027  (a no-op unless the backend holds connections)
        """Release connections held by the backend."""
