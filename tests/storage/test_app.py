"""The storage inside the app: chosen by configuration, reachable with get_storage(), checked
by ``flask storage check``, and an outage answered with a 503 page."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from flask import Blueprint

from portal.config import ConfigError, load
from portal.storage import LocalStorage, S3Storage, StorageUnavailable, get_storage
from tests.conftest import make_app


@pytest.fixture
def build(tmp_path):
    """Build a separate app on its own SQLite file; ``build(**overrides)``."""
    apps = []

    def factory(**overrides):
        app = make_app(
            f"sqlite:///{tmp_path / 'portal.sqlite3'}", tmp_path / "instance", **overrides
        )
        apps.append(app)
        return app

    yield factory
    for app in apps:
        app.extensions["storage"].close()
        with app.app_context():
            app.extensions["sqlalchemy"].engine.dispose()


def test_the_default_is_local_disk_in_the_upload_folder(build, tmp_path):
    app = build()
    with app.app_context():
        storage = get_storage()
    assert isinstance(storage, LocalStorage)
    assert storage.root == (tmp_path / "instance" / "uploads").resolve()


def test_s3_settings_make_an_s3_backend(build):
    app = build(
        PORTAL_STORAGE="s3",
        PORTAL_S3_BUCKET="uploads",
        PORTAL_S3_ENDPOINT_URL="http://127.0.0.1:8333",
        PORTAL_S3_PREFIX="portal",
    )
    storage = app.extensions["storage"]
    assert isinstance(storage, S3Storage)
    assert (storage.bucket, storage.endpoint_url, storage.prefix, storage.region) == (
        "uploads",
        "http://127.0.0.1:8333",
        "portal/",
        "us-east-1",
    )


def test_a_storage_outage_in_a_view_is_a_503_page(build):
    app = build()
    bp = Blueprint("storage_outage_test", __name__)

    @bp.get("/__attachment")
    def attachment():
        raise StorageUnavailable("connection refused")

    app.register_blueprint(bp)
    response = app.test_client().get("/__attachment?lang=en")
    assert response.status_code == 503
    page = response.get_data(as_text=True)
    assert "<h1>" in page and "Service unavailable" in page
    assert "file storage" in page
    assert "connection refused" not in page


def test_the_storage_check_command_reports_ok(build, s3_server):
    local = build().test_cli_runner().invoke(args=["storage", "check"])
    assert local.exit_code == 0, local.output
    assert local.output.startswith("ok: local folder ")

    s3 = (
        build(
            PORTAL_STORAGE="s3",
            PORTAL_S3_BUCKET=s3_server.bucket,
            PORTAL_S3_ENDPOINT_URL=s3_server.endpoint_url,
            PORTAL_S3_ACCESS_KEY_ID=s3_server.access_key_id,
            PORTAL_S3_SECRET_ACCESS_KEY=s3_server.secret_access_key,
            PORTAL_S3_PREFIX="cli-check",
        )
        .test_cli_runner()
        .invoke(args=["storage", "check"])
    )
    assert s3.exit_code == 0, s3.output
    assert s3.output.startswith(f"ok: s3://{s3_server.bucket}/cli-check/ at ")


def test_the_storage_check_command_fails_on_a_missing_bucket(build, s3_server):
    app = build(
        PORTAL_STORAGE="s3",
        PORTAL_S3_BUCKET="no-such-bucket",
        PORTAL_S3_ENDPOINT_URL=s3_server.endpoint_url,
        PORTAL_S3_ACCESS_KEY_ID=s3_server.access_key_id,
        PORTAL_S3_SECRET_ACCESS_KEY=s3_server.secret_access_key,
    )
    result = app.test_cli_runner().invoke(args=["storage", "check"])
    assert result.exit_code == 1
    assert "bucket 'no-such-bucket' does not exist" in result.output
    assert s3_server.secret_access_key not in result.output


@pytest.mark.parametrize(
    ("environ", "variable"),
    [
        ({"PORTAL_STORAGE": "s3"}, "PORTAL_S3_BUCKET"),
        ({"PORTAL_STORAGE": "ftp"}, "PORTAL_STORAGE"),
        ({"PORTAL_S3_ENDPOINT_URL": "127.0.0.1:8333"}, "PORTAL_S3_ENDPOINT_URL"),
        ({"PORTAL_S3_PREFIX": "../uploads"}, "PORTAL_S3_PREFIX"),
        ({"PORTAL_S3_ACCESS_KEY_ID": "AKIA0123"}, "PORTAL_S3_SECRET_ACCESS_KEY"),
    ],
)
def test_bad_storage_settings_stop_the_app_naming_the_variable(tmp_path, environ, variable):
    with pytest.raises(ConfigError, match=variable):
        load(environ={"PORTAL_INSTANCE_PATH": str(tmp_path), **environ})


def test_s3_settings_are_read_from_the_environment(tmp_path):
    config = load(
        environ={
            "PORTAL_INSTANCE_PATH": str(tmp_path),
            "PORTAL_STORAGE": "s3",
            "PORTAL_S3_BUCKET": "uploads",
            "PORTAL_S3_PREFIX": "/portal/files/",
            "PORTAL_S3_REGION": "ap-southeast-1",
        }
    )
    assert config["PORTAL_S3_PREFIX"] == "portal/files"
    assert config["PORTAL_S3_REGION"] == "ap-southeast-1"
    assert config["PORTAL_S3_ACCESS_KEY_ID"] is None


def test_the_local_default_does_not_import_boto3(tmp_path):
    script = textwrap.dedent(f"""
        import sys
        from portal import create_app
        app = create_app({{"PORTAL_INSTANCE_PATH": {str(tmp_path)!r},
                          "PORTAL_SECRET_KEY": "test-secret-key-0123456789"}})
        loaded = sorted(m for m in sys.modules if m.split(".")[0] in {{"boto3", "botocore"}})
        assert not loaded, loaded
    """)
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
