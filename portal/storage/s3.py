"""Objects in a bucket on any S3-compatible server (Amazon S3, SeaweedFS, MinIO, Ceph...).
The only module that imports boto3, and only when the S3 backend is used (on first use of a
client, not on import)."""

from __future__ import annotations

import contextlib
import functools
import io
import logging
import threading
from collections.abc import Iterator
from datetime import datetime
from typing import Any, BinaryIO

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

#: Multipart uploads to S3 use parts of this size (S3 needs at least 5 MiB but the last).
S3_PART_SIZE = 8 * 1024 * 1024


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
        reader = MeteredReader(stream, max_bytes)
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
