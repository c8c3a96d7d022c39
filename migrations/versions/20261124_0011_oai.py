"""OAI-PMH: the record stamps and tombstones of published resources (filled from the
resources published so far), and the sources and records harvested from other repositories

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-24

"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "oai_harvest_sources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("base_url", sa.String(length=500), nullable=False),
        sa.Column("set_spec", sa.String(length=200), nullable=False),
        sa.Column("repository_name", sa.String(length=300), nullable=False),
        sa.Column("last_datestamp", sa.String(length=32), nullable=True),
        sa.Column("harvested_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_oai_harvest_sources")),
        sa.UniqueConstraint(
            "base_url", "set_spec", name=op.f("uq_oai_harvest_sources_base_url_set_spec")
        ),
    )
    records = op.create_table(
        "oai_records",
        sa.Column("resource_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("datestamp", sa.DateTime(timezone=True), nullable=False),
        sa.Column("is_deleted", sa.Boolean(), nullable=False),
        sa.Column("subjects", sa.String(length=300), nullable=False),
        sa.Column("languages", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("resource_id", name=op.f("pk_oai_records")),
    )
    with op.batch_alter_table("oai_records", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_oai_records_datestamp"), ["datestamp"], unique=False)

    op.create_table(
        "oai_harvested_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("identifier", sa.String(length=500), nullable=False),
        sa.Column("datestamp", sa.String(length=32), nullable=False),
        sa.Column("link", sa.String(length=1000), nullable=False),
        sa.Column("language", sa.String(length=12), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("creator", sa.Text(), nullable=False),
        sa.Column("subjects", sa.JSON(), nullable=False),
        sa.Column("metadata", sa.JSON(), nullable=False),
        sa.Column("harvested_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["oai_harvest_sources.id"],
            name=op.f("fk_oai_harvested_records_source_id_oai_harvest_sources"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_oai_harvested_records")),
        sa.UniqueConstraint(
            "source_id", "identifier", name=op.f("uq_oai_harvested_records_source_id_identifier")
        ),
    )
    with op.batch_alter_table("oai_harvested_records", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_oai_harvested_records_source_id"), ["source_id"], unique=False
        )
    _stamp_published(records)


def _utc(moment, dialect):
    if moment is None:
        return None
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    moment = moment.replace(microsecond=0)
    return moment.replace(tzinfo=None) if dialect == "sqlite" else moment


def _wrap(codes):
    return "," + ",".join(sorted(codes)) + ("," if codes else "")


def _stamp_published(records):
    """A record for every resource published so far: stamped with its latest version, or a
    tombstone stamped with its archiving."""
    bind = op.get_bind()
    dialect = bind.dialect.name
    resources = sa.table(
        "resources",
        sa.column("id", sa.Integer()),
        sa.column("status", sa.String()),
        sa.column("published_at", sa.DateTime(timezone=True)),
        sa.column("archived_at", sa.DateTime(timezone=True)),
    )
    revisions = sa.table(
        "resource_revisions",
        sa.column("resource_id", sa.Integer()),
        sa.column("number", sa.Integer()),
        sa.column("snapshot", sa.JSON()),
        sa.column("published_at", sa.DateTime(timezone=True)),
    )
    latest = (
        sa.select(revisions.c.resource_id, sa.func.max(revisions.c.number).label("number"))
        .group_by(revisions.c.resource_id)
        .subquery()
    )
    query = (
        sa.select(
            resources.c.id,
            resources.c.status,
            resources.c.archived_at,
            revisions.c.snapshot,
            revisions.c.published_at,
        )
        .join(latest, latest.c.resource_id == resources.c.id)
        .join(
            revisions,
            sa.and_(
                revisions.c.resource_id == latest.c.resource_id,
                revisions.c.number == latest.c.number,
            ),
        )
        .where(resources.c.published_at.is_not(None))
    )
    now = datetime.now(UTC)
    rows = []
    for number, status, archived_at, snapshot, published_at in bind.execute(query):
        deleted = status == "archived"
        moment = (archived_at or now) if deleted else published_at
        rows.append(
            {
                "resource_id": number,
                "datestamp": _utc(moment, dialect),
                "is_deleted": deleted,
                "subjects": _wrap(snapshot["metadata"].get("subjects") or []),
                "languages": _wrap(list(snapshot["translations"])),
            }
        )
    if rows:
        op.bulk_insert(records, rows)


def downgrade():
    with op.batch_alter_table("oai_harvested_records", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_oai_harvested_records_source_id"))

    op.drop_table("oai_harvested_records")
    with op.batch_alter_table("oai_records", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_oai_records_datestamp"))

    op.drop_table("oai_records")
    op.drop_table("oai_harvest_sources")
