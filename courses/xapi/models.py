"""What the learning record store keeps beside the statements of :mod:`courses.records`:
the credentials of its clients, the documents of the document resources, statement
attachments, the canonical definitions of activities, and the agents and activities each
statement names (for the ``agent`` and ``activity`` filters)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import BigInteger, ForeignKey, Index, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from courses.records.models import IRI_LENGTH, JSONType
from portal.extensions import db

__all__ = ["LrsActivity", "LrsAttachment", "LrsClient", "LrsDocument", "StatementLink"]


def utcnow() -> datetime:
    return datetime.now(UTC)


class LrsClient(db.Model):
    """Basic-auth credentials issued to one client of the LRS (a centre's offline app, a
    partner LMS). ``key`` is the user name; the secret is random and kept only as its
    SHA-256 (it has 256 bits of entropy, so a slow password hash adds nothing but latency to
    every request). ``scopes`` are xAPI scope names (``statements/write``,
    ``statements/read``, ``statements/read/mine``, ``state``, ``define``, ``profile``,
    ``all/read``, ``all``); ``rate_limit`` a Flask-Limiter limit such as ``600 per minute``.
    Revoked clients are kept: their statements name them as authority."""

    __tablename__ = "xapi_clients"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    key: Mapped[str] = mapped_column(String(64), unique=True)
    secret_sha256: Mapped[str] = mapped_column(String(64))
    scopes: Mapped[list[str]] = mapped_column(JSONType)
    rate_limit: Mapped[str] = mapped_column(String(100))
    centre_id: Mapped[int | None] = mapped_column(
        ForeignKey("centres.id", ondelete="SET NULL"), index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def __repr__(self) -> str:
        state = " revoked" if self.is_revoked else ""
        return f"<LrsClient {self.id} {self.key} {self.name!r}{state}>"


class LrsDocument(db.Model):
    """One document of the State, Activity Profile or Agent Profile resource. Parts of the
    key a resource does not use are empty strings, not NULL, so the unique constraint holds
    on every database (NULLs are distinct in a PostgreSQL unique index). ``agent_key`` is
    the agent's key as :func:`courses.records.statements.check_agent` makes it; ``etag`` the
    SHA-1 of the content, in hex."""

    __tablename__ = "xapi_documents"
    __table_args__ = (
        UniqueConstraint(
            "kind",
            "activity_iri",
            "agent_key",
            "registration",
            "document_id",
            name="uq_xapi_documents_key",
        ),
        Index("ix_xapi_documents_list", "kind", "activity_iri", "agent_key", "updated"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # state, activity_profile, agent_profile
    activity_iri: Mapped[str] = mapped_column(String(IRI_LENGTH), default="")
    agent_key: Mapped[str] = mapped_column(String(IRI_LENGTH), default="")
    registration: Mapped[str] = mapped_column(String(36), default="")
    document_id: Mapped[str] = mapped_column(String(IRI_LENGTH))  # stateId or profileId
    content_type: Mapped[str] = mapped_column(String(255))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    etag: Mapped[str] = mapped_column(String(64))
    updated: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<LrsDocument {self.id} {self.kind} {self.document_id!r}>"


class LrsAttachment(db.Model):
    """The content of a statement attachment, stored once per SHA-2 hash however many
    statements carry it (statements keep the attachment's metadata in their JSON)."""

    __tablename__ = "xapi_attachments"

    sha2: Mapped[str] = mapped_column(String(128), primary_key=True)
    content_type: Mapped[str] = mapped_column(String(255))
    length: Mapped[int] = mapped_column(BigInteger)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<LrsAttachment {self.sha2[:12]} {self.content_type} {self.length}>"


class LrsActivity(db.Model):
    """The canonical definition of an activity, as the Activities resource returns it:
    merged from the statements that defined it."""

    __tablename__ = "xapi_activities"

    id: Mapped[int] = mapped_column(primary_key=True)
    iri: Mapped[str] = mapped_column(String(IRI_LENGTH), unique=True)
    definition: Mapped[dict[str, Any]] = mapped_column(JSONType)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<LrsActivity {self.iri}>"


class StatementLink(db.Model):
    """An agent (by key) or activity (by IRI) a statement names, for the ``agent`` and
    ``activity`` filters of the Statements resource. ``related`` is false for the actor and
    an Agent/Group object (``agent``) or the Activity object (``activity``), true for every
    other place (authority, context instructor and team, context activities, sub-statement
    parts, group members), which only ``related_agents`` / ``related_activities`` match."""

    __tablename__ = "xapi_statement_links"
    __table_args__ = (Index("ix_xapi_statement_links_lookup", "kind", "value", "statement_pk"),)

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True
    )
    statement_pk: Mapped[int] = mapped_column(
        ForeignKey("learning_statements.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(8))  # agent, activity
    value: Mapped[str] = mapped_column(String(IRI_LENGTH))
    related: Mapped[bool] = mapped_column(default=False)

    def __repr__(self) -> str:
        return f"<StatementLink {self.statement_pk} {self.kind} {self.value}>"
