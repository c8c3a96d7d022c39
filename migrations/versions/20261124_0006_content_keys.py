"""Stable keys of imported and exported resources and courses

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "content_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("object_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("kind IN ('resource', 'course')", name=op.f("ck_content_keys_kind")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_content_keys")),
        sa.UniqueConstraint("kind", "key", name=op.f("uq_content_keys_kind_key")),
        sa.UniqueConstraint("kind", "object_id", name=op.f("uq_content_keys_kind_object_id")),
    )


def downgrade():
    op.drop_table("content_keys")
