"""Report summaries: counts of candidacies by year, model, commune, village and group
(report_tallies) and the denominators of the rates by commune (report_denominators), kept
current by portal.reports.summaries and rebuilt by ``flask reports rebuild``

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-24

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "report_denominators",
        sa.Column("commune_code", sa.String(length=8), nullable=False),
        sa.Column("measure", sa.String(length=16), nullable=False),
        sa.Column("province_code", sa.String(length=8), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("commune_code", "measure", name=op.f("pk_report_denominators")),
    )
    with op.batch_alter_table("report_denominators", schema=None) as batch_op:
        batch_op.create_index(
            "ix_report_denominators_province", ["province_code", "measure"], unique=False
        )

    op.create_table(
        "report_tallies",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("model", sa.String(length=16), nullable=False),
        sa.Column("commune_code", sa.String(length=8), nullable=False),
        sa.Column("village_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("dimension", sa.String(length=16), nullable=False),
        sa.Column("value", sa.String(length=32), nullable=False),
        sa.Column("province_code", sa.String(length=8), nullable=False),
        sa.Column("registered", sa.Integer(), nullable=False),
        sa.Column("assessed", sa.Integer(), nullable=False),
        sa.Column("recognised", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "year",
            "model",
            "commune_code",
            "village_id",
            "dimension",
            "value",
            name=op.f("pk_report_tallies"),
        ),
    )
    with op.batch_alter_table("report_tallies", schema=None) as batch_op:
        batch_op.create_index(
            "ix_report_tallies_province",
            ["year", "model", "dimension", "province_code"],
            unique=False,
        )


def downgrade():
    with op.batch_alter_table("report_tallies", schema=None) as batch_op:
        batch_op.drop_index("ix_report_tallies_province")
    op.drop_table("report_tallies")
    with op.batch_alter_table("report_denominators", schema=None) as batch_op:
        batch_op.drop_index("ix_report_denominators_province")
    op.drop_table("report_denominators")
