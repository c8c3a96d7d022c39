"""The OAI-PMH state of each published resource, and what was harvested from elsewhere."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db

__all__ = ["HarvestSource", "HarvestedRecord", "OaiRecord"]


def utcnow() -> datetime:
    return datetime.now(UTC)


class OaiRecord(db.Model):
    """The OAI-PMH record of a resource that was ever published: its datestamp (UTC, to the
    second) and sets. When the resource is archived or deleted the row stays as a
    tombstone (``is_deleted``), so harvesters learn of it; republishing clears it. No
    foreign key: the row outlives a deleted resource."""

    __tablename__ = "oai_records"

    resource_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    datestamp: Mapped[datetime] = mapped_column(index=True)
    is_deleted: Mapped[bool] = mapped_column(default=False)
    # Codes wrapped in commas (",health,law,"), for LIKE filters on sets.
    subjects: Mapped[str] = mapped_column(String(300), default=",")
    languages: Mapped[str] = mapped_column(String(200), default=",")

    def __repr__(self) -> str:
        state = "deleted" if self.is_deleted else "live"
        return f"<OaiRecord {self.resource_id} {state} {self.datestamp:%Y-%m-%dT%H:%M:%SZ}>"


class HarvestSource(db.Model):
    """A repository (base URL) and set harvested with ``flask oai harvest``, and the
    datestamp of the newest record seen, where the next harvest starts."""

    __tablename__ = "oai_harvest_sources"
    __table_args__ = (UniqueConstraint("base_url", "set_spec"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    base_url: Mapped[str] = mapped_column(String(500))
    set_spec: Mapped[str] = mapped_column(String(200), default="")
    repository_name: Mapped[str] = mapped_column(String(300), default="")
    last_datestamp: Mapped[str | None] = mapped_column(String(32))  # as the source wrote it
    harvested_at: Mapped[datetime | None]

    def __repr__(self) -> str:
        return f"<HarvestSource {self.id} {self.base_url} {self.set_spec!r}>"


class HarvestedRecord(db.Model):
    """The metadata of one record of another repository (oai_dc), searchable on the portal
    and linking back to its source; never a local resource."""

    __tablename__ = "oai_harvested_records"
    __table_args__ = (UniqueConstraint("source_id", "identifier"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(
        db.ForeignKey("oai_harvest_sources.id", ondelete="CASCADE"), index=True
    )
    identifier: Mapped[str] = mapped_column(String(500))
    datestamp: Mapped[str] = mapped_column(String(32))
    link: Mapped[str] = mapped_column(String(1000), default="")
    language: Mapped[str] = mapped_column(String(12), default="")
    title: Mapped[str] = mapped_column(Text, default="")
    description: Mapped[str] = mapped_column(Text, default="")
    creator: Mapped[str] = mapped_column(Text, default="")
    subjects: Mapped[list[str]] = mapped_column(JSON, default=list)
    metadata_: Mapped[dict[str, Any]] = mapped_column("metadata", JSON, default=dict)
    harvested_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<HarvestedRecord {self.id} {self.identifier}>"
