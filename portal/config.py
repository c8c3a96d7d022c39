"""Configuration: defaults with comments, ``PORTAL_*`` environment overrides.

Configuration is read once when the app starts, checked, and then treated as read-only.
A bad or missing value stops the app with a :class:`ConfigError` that names the variable.
Settings an administrator may change at run time live in the database, not here.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit


class ConfigError(RuntimeError):
    """A configuration value is missing or malformed; the message names the variable."""


def _bool(raw: str) -> bool:
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ValueError("expected one of 1/0, true/false, yes/no, on/off")


def _positive_int(raw: str) -> int:
    value = int(raw)
    if value <= 0:
        raise ValueError("expected a positive whole number")
    return value


def _database_url(raw: str) -> str:
    scheme = urlsplit(raw).scheme.split("+")[0]
    if scheme not in {"sqlite", "postgresql"}:
        raise ValueError("expected a sqlite:/// or postgresql:// URL")
    return raw


def _positive_float(raw: str) -> float:
    value = float(raw)
    if not value > 0:
        raise ValueError("expected a positive number")
    return value


def _indexing(raw: str) -> str:
    if raw not in {"thread", "inline", "off"}:
        raise ValueError("expected 'thread', 'inline' or 'off'")
    return raw


def _redis_url(raw: str) -> str:
    if urlsplit(raw).scheme not in {"redis", "rediss", "unix"}:
        raise ValueError("expected a redis:// URL")
    return raw


def _environment(raw: str) -> str:
    if raw not in {"development", "production"}:
        raise ValueError("expected 'development' or 'production'")
    return raw


def _storage(raw: str) -> str:
    if raw not in {"local", "s3"}:
        raise ValueError("expected 'local' or 's3'")
    return raw


def _http_url(raw: str) -> str:
    parts = urlsplit(raw)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ValueError("expected an http:// or https:// URL")
    return raw


def _s3_prefix(raw: str) -> str:
    from portal.storage import validate_key

    prefix = raw.strip("/")
    return validate_key(prefix) if prefix else ""


def _credential_key(raw: str) -> str:
    from courses.credentials.keys import parse_secret_key

    parse_secret_key(raw)
    return raw.strip()


def _engine_options(database_url: str) -> dict[str, object]:
    """SQLAlchemy engine options. On PostgreSQL, every plan is made for the values at hand
    (``plan_cache_mode=force_custom_plan``): psycopg prepares a query on the server after
    five runs, and PostgreSQL may then switch to a generic plan that ignores how selective
    the values are — measured on the LRS's ``related_agents`` filter: 14 ms became 110–250 ms
    after the fifth request (bench/lrs.py)."""
    options: dict[str, object] = {"pool_pre_ping": True}
    if database_url.startswith("postgresql"):
        options["connect_args"] = {"options": "-c plan_cache_mode=force_custom_plan"}
    return options


def _language(raw: str) -> str:
    from portal.i18n.languages import LANGUAGES

    if raw not in LANGUAGES:
        raise ValueError("expected one of " + ", ".join(sorted(LANGUAGES)))
    return raw


@dataclass(frozen=True)
class Setting:
    """One configuration value: its environment variable, parser, default and meaning."""

    key: str
    parse: Callable[[str], Any]
    default: Any
    doc: str

    @property
    def env(self) -> str:
        return "PORTAL_" + self.key


# The table below is the single source of the configuration reference in README.md
# (tests/test_config.py checks that every setting is documented there).
SETTINGS: tuple[Setting, ...] = (
    Setting(
        "ENV",
        _environment,
        "development",
        "`production` requires an explicit secret key and credential key, and turns on "
        "secure cookies.",
    ),
    Setting(
        "SECRET_KEY",
        str,
        None,
        "Signs sessions and tokens. Required in production; in development a random key "
        "is kept in the instance folder.",
    ),
    Setting(
        "INSTANCE_PATH",
        str,
        None,
        "Folder for the embedded defaults (SQLite file, uploads, search index). "
        "Default: `instance/` beside the code.",
    ),
    Setting(
        "DATABASE_URL",
        _database_url,
        None,
        "SQLAlchemy URL. Default: SQLite file `portal.sqlite3` in the instance folder; "
        "e.g. `postgresql+psycopg://user@host/portal`.",
    ),
    Setting(
        "UPLOAD_DIR",
        str,
        None,
        "Folder for uploaded files with `PORTAL_STORAGE=local`. Default: `instance/uploads`.",
    ),
    Setting(
        "STORAGE",
        _storage,
        "local",
        "Where uploaded files are kept: `local` (the upload folder) or `s3` (a bucket on "
        "any S3-compatible server).",
    ),
    Setting(
        "S3_BUCKET",
        str,
        None,
        "Bucket for uploaded files; required with `PORTAL_STORAGE=s3`. It must already exist.",
    ),
    Setting(
        "S3_ENDPOINT_URL",
        _http_url,
        None,
        "S3-compatible server, e.g. `http://127.0.0.1:8333` (path-style addressing). "
        "Default: Amazon S3.",
    ),
    Setting("S3_REGION", str, "us-east-1", "Region the bucket lives in."),
    Setting(
        "S3_ACCESS_KEY_ID",
        str,
        None,
        "Access key for the bucket. Default: boto3's own credential chain (environment, "
        "`~/.aws`, instance role).",
    ),
    Setting(
        "S3_SECRET_ACCESS_KEY",
        str,
        None,
        "Secret for `PORTAL_S3_ACCESS_KEY_ID`; set both or neither.",
    ),
    Setting(
        "S3_PREFIX",
        _s3_prefix,
        "",
        "Folder-like prefix for every key, to share a bucket, e.g. `portal/uploads`.",
    ),
    Setting("SEARCH_DIR", str, None, "Folder for the Whoosh index. Default: `instance/search`."),
    Setting(
        "SEARCH_INDEXING",
        _indexing,
        "thread",
        "When changes reach the index: `thread` (an indexing thread per process, woken after "
        "each commit), `inline` (at the end of the request that committed) or `off` (only "
        "`flask search worker`).",
    ),
    Setting(
        "SEARCH_POLL_SECONDS",
        _positive_float,
        5.0,
        "How often the indexer looks at the outbox for changes made by other hosts.",
    ),
    Setting(
        "SEARCH_LOCK_TIMEOUT",
        _positive_float,
        30.0,
        "Seconds a process waits for another one's index write lock before trying later.",
    ),
    Setting(
        "SEARCH_HOST",
        str,
        None,
        "Name of this host's index in `search_cursors` (for `flask search prune`). "
        "Default: the host name.",
    ),
    Setting(
        "REDIS_URL",
        _redis_url,
        None,
        "Redis for rate limits shared by every worker. Default: in-process memory.",
    ),
    Setting("MAX_UPLOAD_MB", _positive_int, 50, "Largest request body accepted, in megabytes."),
    Setting(
        "MAX_ATTACHMENT_MB",
        _positive_int,
        40,
        "Largest file attached to a resource, in megabytes (keep it under `PORTAL_MAX_UPLOAD_MB`).",
    ),
    Setting(
        "IMPORT_MAX_MB",
        _positive_int,
        5,
        "Largest spreadsheet of learners a centre may import, in megabytes.",
    ),
    Setting(
        "IMPORT_MAX_ROWS",
        _positive_int,
        20_000,
        "Most rows of learners in one imported spreadsheet (a larger file is refused whole).",
    ),
    Setting(
        "IMPORT_MAX_UNZIPPED_MB",
        _positive_int,
        100,
        "Most megabytes an imported XLSX may unpack to (guards against decompression bombs).",
    ),
    Setting(
        "OAI_PAGE_SIZE",
        _positive_int,
        100,
        "Records or identifiers per page of the OAI-PMH provider (`/oai`).",
    ),
    Setting(
        "OAI_TOKEN_SECONDS",
        _positive_int,
        3600,
        "How long an OAI-PMH resumption token stays valid, in seconds.",
    ),
    Setting(
        "OAI_ADMIN_EMAIL",
        str,
        None,
        "`adminEmail` of the OAI-PMH provider's Identify. Default: oai@ the base URL's host.",
    ),
    Setting(
        "CREDENTIAL_KEY",
        _credential_key,
        None,
        "Ed25519 key that signs the Open Badges 3.0 credentials, as a Multikey "
        "`secretKeyMultibase` (`z3u2…`; `python -m courses.credentials.keys` makes one); the "
        "issuer is its `did:key`. Required in production; in development it is derived from "
        "the secret key.",
    ),
    Setting("DEFAULT_LANGUAGE", _language, "vi", "Interface language for new visitors."),
    Setting(
        "HTTPS",
        _bool,
        None,
        "Served over HTTPS: secure cookies and HSTS. Default: on in production.",
    ),
    Setting(
        "LOGIN_RATE_LIMIT",
        str,
        "10 per minute;100 per day",
        "Flask-Limiter limit on sign-in attempts per client address.",
    ),
    Setting(
        "SIGNUP_RATE_LIMIT",
        str,
        "5 per minute;50 per day",
        "Flask-Limiter limit on sign-ups per client address.",
    ),
    Setting("RESET_TOKEN_HOURS", _positive_int, 24, "Hours a password-reset link stays valid."),
    Setting(
        "BASE_URL",
        _http_url,
        "http://127.0.0.1:5000",
        "Public address of the portal, without a trailing slash; learning records name "
        "activities and learners with IRIs under it, e.g. `https://hoctapsuotdoi.gov.vn`.",
    ),
    Setting(
        "XAPI_PAGE_SIZE",
        _positive_int,
        100,
        "Most statements per page of the LRS's `GET /xapi/statements` (a smaller `limit` wins).",
    ),
    Setting(
        "XAPI_MAX_ATTACHMENT_MB",
        _positive_int,
        20,
        "Largest statement attachment the LRS accepts, in megabytes (keep it under "
        "`PORTAL_MAX_UPLOAD_MB`).",
    ),
    Setting("LOG_LEVEL", str, "INFO", "Python logging level."),
    Setting(
        "PROXY_COUNT",
        int,
        0,
        "Reverse proxies in front of gunicorn whose X-Forwarded-* headers are trusted.",
    ),
)

_ROOT = Path(__file__).resolve().parent.parent


def load(
    overrides: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Read every setting from ``environ`` (default ``os.environ``), apply ``overrides``
    (Flask config keys, used by tests) and return the checked Flask configuration."""
    environ = os.environ if environ is None else environ
    overrides = dict(overrides or {})
    values: dict[str, Any] = {}
    for setting in SETTINGS:
        raw = environ.get(setting.env)
        if raw is None or raw == "":
            values[setting.key] = setting.default
            continue
        try:
            values[setting.key] = setting.parse(raw)
        except (ValueError, TypeError) as exc:
            raise ConfigError(f"{setting.env}={raw!r} is not valid: {exc}") from None

    for key, value in overrides.items():
        if key.startswith("PORTAL_"):
            values[key.removeprefix("PORTAL_")] = value

    production = values["ENV"] == "production"
    instance = Path(values["INSTANCE_PATH"] or _ROOT / "instance").resolve()
    https = production if values["HTTPS"] is None else values["HTTPS"]

    secret = values["SECRET_KEY"]
    if not secret:
        if production:
            raise ConfigError("PORTAL_SECRET_KEY is required when PORTAL_ENV=production")
        secret = _development_secret(instance)
    elif len(secret) < 16:
        raise ConfigError("PORTAL_SECRET_KEY is too short: use at least 16 characters")

    if production and not values["CREDENTIAL_KEY"]:
        raise ConfigError("PORTAL_CREDENTIAL_KEY is required when PORTAL_ENV=production")

    if values["STORAGE"] == "s3" and not values["S3_BUCKET"]:
        raise ConfigError("PORTAL_S3_BUCKET is required when PORTAL_STORAGE=s3")
    if bool(values["S3_ACCESS_KEY_ID"]) != bool(values["S3_SECRET_ACCESS_KEY"]):
        raise ConfigError(
            "PORTAL_S3_ACCESS_KEY_ID and PORTAL_S3_SECRET_ACCESS_KEY go together: "
            "set both, or neither to use boto3's credential chain"
        )

    database_url = values["DATABASE_URL"] or f"sqlite:///{instance / 'portal.sqlite3'}"
    config: dict[str, Any] = {
        "PORTAL_ENV": values["ENV"],
        "SECRET_KEY": secret,
        "PORTAL_INSTANCE_PATH": str(instance),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "PORTAL_UPLOAD_DIR": str(values["UPLOAD_DIR"] or instance / "uploads"),
        "PORTAL_SEARCH_DIR": str(values["SEARCH_DIR"] or instance / "search"),
        "PORTAL_SEARCH_INDEXING": values["SEARCH_INDEXING"],
        "PORTAL_SEARCH_POLL_SECONDS": values["SEARCH_POLL_SECONDS"],
        "PORTAL_SEARCH_LOCK_TIMEOUT": values["SEARCH_LOCK_TIMEOUT"],
        "PORTAL_SEARCH_HOST": values["SEARCH_HOST"],
        "PORTAL_STORAGE": values["STORAGE"],
        "PORTAL_S3_BUCKET": values["S3_BUCKET"],
        "PORTAL_S3_ENDPOINT_URL": values["S3_ENDPOINT_URL"],
        "PORTAL_S3_REGION": values["S3_REGION"],
        "PORTAL_S3_ACCESS_KEY_ID": values["S3_ACCESS_KEY_ID"],
        "PORTAL_S3_SECRET_ACCESS_KEY": values["S3_SECRET_ACCESS_KEY"],
        "PORTAL_S3_PREFIX": values["S3_PREFIX"] or "",
        "PORTAL_REDIS_URL": values["REDIS_URL"],
        "RATELIMIT_STORAGE_URI": values["REDIS_URL"] or "memory://",
        "MAX_CONTENT_LENGTH": values["MAX_UPLOAD_MB"] * 1024 * 1024,
        "PORTAL_MAX_ATTACHMENT_MB": values["MAX_ATTACHMENT_MB"],
        "PORTAL_IMPORT_MAX_BYTES": values["IMPORT_MAX_MB"] * 1024 * 1024,
        "PORTAL_IMPORT_MAX_ROWS": values["IMPORT_MAX_ROWS"],
        "PORTAL_OAI_PAGE_SIZE": values["OAI_PAGE_SIZE"],
        "PORTAL_XAPI_PAGE_SIZE": values["XAPI_PAGE_SIZE"],
        "PORTAL_XAPI_MAX_ATTACHMENT_BYTES": values["XAPI_MAX_ATTACHMENT_MB"] * 1024 * 1024,
        "PORTAL_OAI_TOKEN_SECONDS": values["OAI_TOKEN_SECONDS"],
        "PORTAL_OAI_ADMIN_EMAIL": values["OAI_ADMIN_EMAIL"],
        "PORTAL_IMPORT_MAX_UNZIPPED_BYTES": values["IMPORT_MAX_UNZIPPED_MB"] * 1024 * 1024,
        "PORTAL_CREDENTIAL_KEY": values["CREDENTIAL_KEY"],
        "PORTAL_DEFAULT_LANGUAGE": values["DEFAULT_LANGUAGE"],
        "PORTAL_HTTPS": https,
        "PREFERRED_URL_SCHEME": "https" if https else "http",
        "SESSION_COOKIE_SECURE": https,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": https,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "PORTAL_LOGIN_RATE_LIMIT": values["LOGIN_RATE_LIMIT"],
        "PORTAL_SIGNUP_RATE_LIMIT": values["SIGNUP_RATE_LIMIT"],
        "PORTAL_RESET_TOKEN_HOURS": values["RESET_TOKEN_HOURS"],
        "PORTAL_BASE_URL": values["BASE_URL"].rstrip("/"),
        "PORTAL_LOG_LEVEL": values["LOG_LEVEL"].upper(),
        "PORTAL_PROXY_COUNT": values["PROXY_COUNT"],
        "SQLALCHEMY_ENGINE_OPTIONS": _engine_options(database_url),
        "WTF_CSRF_TIME_LIMIT": None,
        "RATELIMIT_HEADERS_ENABLED": True,
        "BABEL_DEFAULT_LOCALE": "vi",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Ho_Chi_Minh",
    }
    # Plain Flask keys (tests use TESTING, WTF_CSRF_ENABLED, ...) are applied last.
    keys = {s.key for s in SETTINGS}
    config.update(
        {
            k: v
            for k, v in overrides.items()
            if not (k.startswith("PORTAL_") and k.removeprefix("PORTAL_") in keys)
        }
    )
    return config


def _development_secret(instance: Path) -> str:
    """A random key kept in the instance folder so sessions survive restarts in development."""
    path = instance / "secret_key"
    if path.exists():
        return path.read_text().strip()
    instance.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    path.write_text(key)
    path.chmod(0o600)
    return key
