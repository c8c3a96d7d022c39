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

Rooms: ``base`` (the interface, errors, keys, the metered reader), ``local`` (disk), ``s3``
(the only module that imports boto3, and only when the S3 backend is used), ``app`` (the
configured backend in the Flask app, the 503 page, key sources) and ``cli`` (``flask storage
check``). Import the names from ``portal.storage``.
"""

from portal.storage.app import get_storage, init_app, make_storage, register_key_source
from portal.storage.base import (
    CHUNK_SIZE,
    MAX_KEY_LENGTH,
    PROBE_FOLDER,
    InvalidKey,
    NotFound,
    Readable,
    Storage,
    StorageError,
    StorageUnavailable,
    StoredFile,
    TooLarge,
    validate_key,
)
from portal.storage.cli import Consistency, check_command, check_consistency, storage_cli
from portal.storage.local import LocalStorage
from portal.storage.s3 import S3_PART_SIZE, S3Storage

__all__ = [
    "CHUNK_SIZE",
    "MAX_KEY_LENGTH",
    "PROBE_FOLDER",
    "S3_PART_SIZE",
    "Consistency",
    "InvalidKey",
    "LocalStorage",
    "NotFound",
    "Readable",
    "S3Storage",
    "Storage",
    "StorageError",
    "StorageUnavailable",
    "StoredFile",
    "TooLarge",
    "check_command",
    "check_consistency",
    "get_storage",
    "init_app",
    "make_storage",
    "register_key_source",
    "storage_cli",
    "validate_key",
]
