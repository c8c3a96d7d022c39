"""Open educational resources, their translations, versions and attachments

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "resources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("licence", sa.String(length=16), nullable=False),
        sa.Column("audience", sa.String(length=16), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("subjects", sa.String(length=300), nullable=False),
        sa.Column("author", sa.String(length=200), nullable=False),
        sa.Column("source", sa.String(length=500), nullable=False),
        sa.Column("original_language", sa.String(length=12), nullable=False),
        sa.Column("review_note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["users.id"],
            name=op.f("fk_resources_owner_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resources")),
    )
    with op.batch_alter_table("resources", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_resources_owner_id"), ["owner_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_resources_status"), ["status"], unique=False)

    op.create_table(
        "resource_translations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("resource_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=12), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("summary", sa.String(length=1000), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["resource_id"],
            ["resources.id"],
            name=op.f("fk_resource_translations_resource_id_resources"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resource_translations")),
        sa.UniqueConstraint(
            "resource_id", "language", name=op.f("uq_resource_translations_resource_id_language")
        ),
    )
    with op.batch_alter_table("resource_translations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_resource_translations_resource_id"), ["resource_id"], unique=False
        )

    op.create_table(
        "resource_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("resource_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.Column("published_by_id", sa.Integer(), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["published_by_id"],
            ["users.id"],
            name=op.f("fk_resource_revisions_published_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["resource_id"],
            ["resources.id"],
            name=op.f("fk_resource_revisions_resource_id_resources"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resource_revisions")),
        sa.UniqueConstraint(
            "resource_id", "number", name=op.f("uq_resource_revisions_resource_id_number")
        ),
    )
    with op.batch_alter_table("resource_revisions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_resource_revisions_resource_id"), ["resource_id"], unique=False
        )

    op.create_table(
        "resource_attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("resource_id", sa.Integer(), nullable=False),
        sa.Column("storage_key", sa.String(length=512), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=120), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["resource_id"],
            ["resources.id"],
            name=op.f("fk_resource_attachments_resource_id_resources"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resource_attachments")),
        sa.UniqueConstraint("storage_key", name=op.f("uq_resource_attachments_storage_key")),
    )
    with op.batch_alter_table("resource_attachments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_resource_attachments_resource_id"), ["resource_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("resource_attachments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_resource_attachments_resource_id"))
    op.drop_table("resource_attachments")
    with op.batch_alter_table("resource_revisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_resource_revisions_resource_id"))
    op.drop_table("resource_revisions")
    with op.batch_alter_table("resource_translations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_resource_translations_resource_id"))
    op.drop_table("resource_translations")
    with op.batch_alter_table("resources", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_resources_status"))
        batch_op.drop_index(batch_op.f("ix_resources_owner_id"))
    op.drop_table("resources")
