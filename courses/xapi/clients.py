"""Issue and revoke the Basic-auth credentials of LRS clients, and find the client a
request's credentials name. Operations flush and never commit."""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from limits import parse_many

from courses.records import iri
from courses.xapi.models import LrsClient
from portal.extensions import db

logger = logging.getLogger(__name__)

# What each scope allows (xAPI 2.0, 4.1.7 "Authorization Scope"). "all" allows everything;
# "all/read" every GET; "statements/read/mine" only statements whose authority is the client.
SCOPES = (
    "statements/write",
    "statements/read/mine",
    "statements/read",
    "state",
    "define",
    "profile",
    "all/read",
    "all",
)
DEFAULT_SCOPES = ("statements/write", "statements/read/mine", "state")
DEFAULT_RATE_LIMIT = "1200 per minute"
CLIENTS_PATH = "/xapi/clients"
# last_used_at is written at most this often, not on every request.
_TOUCH_EVERY = timedelta(minutes=1)


class ClientError(ValueError):
    """Credentials that cannot be issued as asked (unknown scope, bad rate limit)."""


@dataclass(frozen=True)
class Issued:
    client: LrsClient
    secret: str  # shown once; only its SHA-256 is kept


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def check_scopes(scopes: list[str] | tuple[str, ...]) -> list[str]:
    unknown = [scope for scope in scopes if scope not in SCOPES]
    if unknown or not scopes:
        raise ClientError(f"unknown scopes {unknown!r}; choose among {', '.join(SCOPES)}")
    return sorted(set(scopes), key=SCOPES.index)


def check_rate_limit(text: str) -> str:
    try:
        parse_many(text)
    except ValueError:
        raise ClientError(f"{text!r} is not a rate limit such as '600 per minute'") from None
    return text


def issue(
    name: str,
    *,
    scopes: list[str] | tuple[str, ...] = DEFAULT_SCOPES,
    rate_limit: str = DEFAULT_RATE_LIMIT,
    centre_id: int | None = None,
    by: Any = None,
) -> Issued:
    """New credentials for a client: a random key (the Basic-auth user name) and secret."""
    name = " ".join(name.split())
    if not name or len(name) > 200:
        raise ClientError("a client needs a name of 1 to 200 characters")
    secret = secrets.token_hex(32)  # hex: never starts with "-", read as an option by CLIs
    client = LrsClient(
        name=name,
        key=secrets.token_hex(10),
        secret_sha256=_digest(secret),
        scopes=check_scopes(scopes),
        rate_limit=check_rate_limit(rate_limit),
        centre_id=centre_id,
        created_by_id=getattr(by, "id", None),
    )
    db.session.add(client)
    db.session.flush()
    logger.info("LRS client %s (%s) issued, scopes %s", client.key, name, client.scopes)
    return Issued(client, secret)


def revoke(client: LrsClient) -> None:
    if client.revoked_at is None:
        client.revoked_at = datetime.now(UTC)
        db.session.flush()
        logger.info("LRS client %s revoked", client.key)


def authenticate(key: str | None, secret: str | None) -> LrsClient | None:
    """The live client these credentials name, else None. The secret is compared in
    constant time, and a wrong key costs the same hash as a wrong secret."""
    if not key or not secret or len(key) > 64:
        return None
    client = db.session.scalar(sa.select(LrsClient).where(LrsClient.key == key))
    expected = client.secret_sha256 if client is not None else _digest("")
    if not hmac.compare_digest(_digest(secret), expected) or client is None:
        return None
    if client.revoked_at is not None:
        return None
    return client


def touch_due(client: LrsClient, moment: datetime) -> bool:
    """Whether the client's ``last_used_at`` is old enough to be written again."""
    last = client.last_used_at
    return last is None or moment - last.replace(tzinfo=last.tzinfo or UTC) > _TOUCH_EVERY


def touch(client_id: int, moment: datetime) -> None:
    """Write the client's ``last_used_at`` in a transaction of its own, after the request's
    (see :func:`courses.xapi.protocol.init_app`): a GET's transaction stays read-only, which
    on SQLite must not turn into a writer late (its snapshot may be stale by then). The
    ``UPDATE`` comes first in its transaction, so it just waits its turn for the lock."""
    db.session.execute(
        sa.update(LrsClient).where(LrsClient.id == client_id).values(last_used_at=moment)
    )
    db.session.commit()


def allows(client: LrsClient, scope: str) -> bool:
    """Whether the client's scopes grant ``scope`` (one of :data:`SCOPES`, or ``read`` for
    a GET of a resource that ``all/read`` covers)."""
    granted = set(client.scopes)
    if "all" in granted or scope in granted:
        return True
    if scope == "statements/read/mine" and "statements/read" in granted:
        return True
    return scope.endswith("read") and "all/read" in granted


def authority(client: LrsClient) -> dict[str, Any]:
    """The Agent that stands for the client as the ``authority`` of what it stores."""
    return {
        "objectType": "Agent",
        "name": client.name,
        "account": {"homePage": iri.base_url() + CLIENTS_PATH, "name": client.key},
    }
