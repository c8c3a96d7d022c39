"""Storage for uploaded files: one small interface, two backends.

``local`` (the default) keeps files under ``PORTAL_UPLOAD_DIR``; ``s3`` keeps them in a bucket
on any S3-compatible server (Amazon S3, SeaweedFS, MinIO, Ceph...). Keys are relative POSIX
paths made by the portal, e.g. ``resources/2025/3f/3f2a9c.pdf``, never names typed by
visitors. The storage keeps bytes only: callers keep the :class:`StoredFile` that
:meth:`Storage.save` returns (size, SHA-256, content type) in the database.

Every backend streams: nothing is held whole in memory, the SHA-256 is computed on the way
through, and ``max_bytes`` is enforced while reading, so an oversized upload stops early and
leaves nothing behind. A failing backend raises :class:`StorageUnavailable`, which the app
answers with a 503 page.

This is the only module that imports boto3, and only when the S3 backend is used.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import hashlib
import io
import logging
import os
import re
import tempfile
import threading
import uuid
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, BinaryIO, Protocol

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from flask_babel import gettext as _

from portal.errors import render_error

logger = logging.getLogger(__name__)

CHUNK_SIZE = 64 * 1024
#: Multipart uploads to S3 use parts of this size (S3 needs at least 5 MiB but the last).
S3_PART_SIZE = 8 * 1024 * 1024
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


class _MeteredReader:
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


# --- local disk ------------------------------------------------------------------------


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
        reader = _MeteredReader(stream, max_bytes)
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


# --- S3 ----------------------------------------------------------------------------------


class S3Storage(Storage):
    """Objects in a bucket on any S3-compatible server, under an optional key prefix. The
    bucket must already exist. The boto3 client is made on first use (so a forked worker
    makes its own) and is safe to share between threads."""

    def __init__(
        self,
        bucket: str,
        *,
        endpoint_url: str | None = None,
        region: str = "us-east-1",
        access_key_id: str | None = None,
        secret_access_key: str | None = None,
        prefix: str = "",
        connect_timeout: float = 5,
        read_timeout: float = 30,
        max_attempts: int = 3,
    ) -> None:
        if not bucket:
            raise ValueError("an S3 bucket is required")
        self.bucket = bucket
        self.endpoint_url = endpoint_url
        self.region = region
        self.prefix = validate_key(prefix.strip("/")) + "/" if prefix.strip("/") else ""
        self._credentials = {
            "aws_access_key_id": access_key_id,
            "aws_secret_access_key": secret_access_key,
        }
        self._timeouts = {
            "connect_timeout": connect_timeout,
            "read_timeout": read_timeout,
            "retries": {"max_attempts": max_attempts, "mode": "standard"},
        }
        self._client_obj: Any = None  # a boto3 S3 client, made by _client
        self._lock = threading.Lock()

    def describe(self) -> str:
        where = self.endpoint_url or f"Amazon S3 ({self.region})"
        return f"s3://{self.bucket}/{self.prefix} at {where}"

    @property
    def _client(self) -> Any:
        if self._client_obj is None:
            with self._lock:
                if self._client_obj is None:
                    self._client_obj = self._make_client()
        return self._client_obj

    def _make_client(self) -> Any:
        from botocore.config import Config

        config = Config(
            **self._timeouts,
            # Custom endpoints (SeaweedFS, MinIO...) rarely have wildcard DNS for buckets.
            s3={"addressing_style": "path" if self.endpoint_url else "auto"},
            signature_version="s3v4",
            # Checksums only where S3 requires them: many S3-compatible servers reject the
            # trailing checksums recent botocore sends by default.
            request_checksum_calculation="when_required",
            response_checksum_validation="when_required",
        )
        with _SESSION_LOCK:  # making clients from one session is not thread-safe
            return _boto3_session().client(
                "s3",
                endpoint_url=self.endpoint_url,
                region_name=self.region,
                config=config,
                **self._credentials,
            )

    def close(self) -> None:
        with self._lock:
            if self._client_obj is not None:
                self._client_obj.close()
                self._client_obj = None

    def _object_key(self, key: str) -> str:
        return self.prefix + validate_key(key)

    def save(self, key: str, stream: Readable, *, content_type: str, max_bytes: int) -> StoredFile:
        from boto3.s3.transfer import TransferConfig

        object_key = self._object_key(key)
        reader = _MeteredReader(stream, max_bytes)
        transfer = TransferConfig(
            multipart_threshold=S3_PART_SIZE, multipart_chunksize=S3_PART_SIZE, max_concurrency=4
        )
        with _s3_errors(key):
            # A stream over one part is sent as a multipart upload, which is aborted when the
            # reader raises TooLarge: the object appears only once every byte is there.
            self._client.upload_fileobj(
                reader,
                self.bucket,
                object_key,
                ExtraArgs={"ContentType": content_type},
                Config=transfer,
            )
        logger.debug("stored %s (%d bytes) in %s", key, reader.size, self.describe())
        return StoredFile(key, reader.size, reader.sha256, content_type)

    def open(self, key: str) -> BinaryIO:
        object_key = self._object_key(key)
        with _s3_errors(key):
            response = self._client.get_object(Bucket=self.bucket, Key=object_key)
        return io.BufferedReader(_S3Body(response["Body"], key), buffer_size=CHUNK_SIZE)

    def delete(self, key: str) -> None:
        object_key = self._object_key(key)
        with contextlib.suppress(NotFound), _s3_errors(key):
            self._client.delete_object(Bucket=self.bucket, Key=object_key)

    def exists(self, key: str) -> bool:
        object_key = self._object_key(key)
        try:
            with _s3_errors(key):
                self._client.head_object(Bucket=self.bucket, Key=object_key)
        except NotFound:
            return False
        return True

    def iter_files(self, prefix: str) -> Iterator[tuple[str, datetime]]:
        folder = self._object_key(prefix.strip("/")) + "/"
        with _s3_errors(prefix):
            pages = self._client.get_paginator("list_objects_v2").paginate(
                Bucket=self.bucket, Prefix=folder
            )
            for page in pages:
                for item in page.get("Contents", []):
                    yield item["Key"][len(self.prefix) :], item["LastModified"]

    def url(self, key: str, *, expires_in: int = 3600) -> str | None:
        object_key = self._object_key(key)
        with _s3_errors(key):
            url: str = self._client.generate_presigned_url(
                "get_object",
                Params={"Bucket": self.bucket, "Key": object_key},
                ExpiresIn=expires_in,
            )
        return url

    def check(self) -> None:
        try:
            with _s3_errors(self.bucket):
                self._client.head_bucket(Bucket=self.bucket)
        except NotFound:
            raise StorageUnavailable(f"bucket {self.bucket!r} does not exist") from None
        super().check()


_SESSION_LOCK = threading.Lock()


@functools.cache
def _boto3_session() -> Any:
    """One boto3 session per process: it loads the S3 model once (~0.2 s)."""
    import boto3

    return boto3.session.Session()


class _S3Body(io.RawIOBase):
    """A botocore response body as a raw stream whose network errors are
    :class:`StorageUnavailable`."""

    def __init__(self, body: Any, key: str) -> None:
        self._body = body
        self._key = key

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        with _s3_errors(self._key):
            data = self._body.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        if not self.closed:
            self._body.close()
        super().close()


# Error codes that mean "the storage cannot be used right now", whatever the HTTP status.
_S3_UNAVAILABLE_CODES = {
    "AccessDenied",
    "InvalidAccessKeyId",
    "SignatureDoesNotMatch",
    "NoSuchBucket",
    "SlowDown",
    "ServiceUnavailable",
    "InternalError",
    "RequestTimeout",
}


@contextlib.contextmanager
def _s3_errors(key: str) -> Iterator[None]:
    """Turn boto3/botocore exceptions into storage errors; let everything else through."""
    from boto3.exceptions import S3UploadFailedError
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        yield
    except (BotoCoreError, ClientError, S3UploadFailedError) as exc:
        raise _s3_error(exc, key) from exc


def _s3_error(exc: Exception, key: str) -> StorageError:
    from botocore.exceptions import ClientError

    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        code = str(error.get("Code", ""))
        status = int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0)
        message = f"S3 answered {status} {code} for {key}: {error.get('Message', '')}".strip()
        if code in {"NoSuchKey", "NotFound", "404"}:
            return NotFound(key)
        if status >= 500 or status in {401, 403} or code in _S3_UNAVAILABLE_CODES:
            return StorageUnavailable(message)
        return StorageError(message)
    return StorageUnavailable(f"S3 cannot be reached for {key}: {exc}")


# --- the app -----------------------------------------------------------------------------


def make_storage(config: Mapping[str, Any]) -> Storage:
    """The backend the ``PORTAL_STORAGE`` settings describe (see :mod:`portal.config`)."""
    if config["PORTAL_STORAGE"] == "s3":
        return S3Storage(
            config["PORTAL_S3_BUCKET"],
            endpoint_url=config["PORTAL_S3_ENDPOINT_URL"],
            region=config["PORTAL_S3_REGION"],
            access_key_id=config["PORTAL_S3_ACCESS_KEY_ID"],
            secret_access_key=config["PORTAL_S3_SECRET_ACCESS_KEY"],
            prefix=config["PORTAL_S3_PREFIX"],
        )
    return LocalStorage(config["PORTAL_UPLOAD_DIR"])


def get_storage() -> Storage:
    """The current app's storage."""
    storage: Storage = current_app.extensions["storage"]
    return storage


def init_app(app: Flask) -> None:
    """Put the configured backend in ``app.extensions["storage"]`` and answer
    :class:`StorageUnavailable` with a 503 page."""
    app.extensions["storage"] = make_storage(app.config)

    @app.errorhandler(StorageUnavailable)
    def storage_unavailable(exc: StorageUnavailable):  # type: ignore[no-untyped-def]
        logger.error("storage unavailable: %s", exc)
        return render_error(
            503,
            _(
                "The portal cannot reach its file storage right now. "
                "Please try again in a few minutes."
            ),
        )


def register_key_source(app: Flask, prefix: str, keys: Callable[[], Iterable[str]]) -> None:
    """Declare that the database references stored files under the folder ``prefix``:
    ``keys()`` (called in an app context) returns every key it references. ``flask storage
    check`` then reports referenced files that are missing and files nobody references."""
    app.extensions.setdefault("storage_key_sources", []).append((prefix, keys))


@dataclass
class Consistency:
    """What ``flask storage check`` found: referenced keys without a file, and files under a
    declared folder that nothing references (orphans)."""

    missing: list[str]
    orphans: list[str]


def check_consistency(storage: Storage, *, min_age: timedelta = timedelta(hours=1)) -> Consistency:
    """Compare the keys every registered source references with the stored files. Files
    younger than ``min_age`` are not orphans yet (an upload may be committing)."""
    result = Consistency([], [])
    newest = datetime.now(UTC) - min_age
    for prefix, keys in current_app.extensions.get("storage_key_sources", []):
        referenced = set(keys())
        stored = dict(storage.iter_files(prefix))
        result.missing += sorted(k for k in referenced if k not in stored)
        result.orphans += sorted(
            k for k, modified in stored.items() if k not in referenced and modified <= newest
        )
    return result


storage_cli = AppGroup("storage", help="Check where uploaded files are kept.")


@storage_cli.command("check")
@click.option(
    "--delete-orphans", is_flag=True, help="Delete stored files that no database row references."
)
@click.option(
    "--min-age",
    type=click.IntRange(min=0),
    default=60,
    show_default=True,
    help="Minutes a file must have existed before it counts as an orphan.",
)
def check_command(delete_orphans: bool, min_age: int) -> None:
    """Write, read back and delete a probe file; then report database rows whose file is
    missing and files no row references. Exit 1 when the storage cannot be used, a file is
    missing, or orphans are left."""
    from sqlalchemy.exc import SQLAlchemyError

    storage = get_storage()
    try:
        storage.check()
    except StorageError as exc:
        raise click.ClickException(f"{storage.describe()}: {exc}") from None
    click.echo(f"ok: {storage.describe()}")
    try:
        found = check_consistency(storage, min_age=timedelta(minutes=min_age))
    except SQLAlchemyError as exc:
        click.echo(f"files not compared: the database cannot be read ({type(exc).__name__})")
        return
    for key in found.missing:
        click.echo(f"missing: {key}")
    for key in found.orphans:
        if delete_orphans:
            storage.delete(key)
            click.echo(f"deleted orphan: {key}")
        else:
            click.echo(f"orphan: {key}")
    if found.missing or (found.orphans and not delete_orphans):
        raise SystemExit(1)
