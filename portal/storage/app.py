"""The storage in the Flask app: the backend the configuration names, in
``app.extensions["storage"]``; a 503 page when it is unavailable; and the folders whose keys
the database references (for ``flask storage check``)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from flask import Flask, current_app
from flask_babel import gettext as _

from portal.errors import render_error
from portal.storage.base import Storage, StorageUnavailable
from portal.storage.local import LocalStorage
from portal.storage.s3 import S3Storage

logger = logging.getLogger(__name__)


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
