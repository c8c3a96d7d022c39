"""Learning records: append-only xAPI statements and their summaries

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24

"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "learning_statements",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("statement_id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("actor_key", sa.String(length=512), nullable=False),
        sa.Column("verb_iri", sa.String(length=512), nullable=False),
        sa.Column("activity_iri", sa.String(length=512), nullable=True),
        sa.Column("course_iri", sa.String(length=512), nullable=True),
        sa.Column("registration", sa.String(length=36), nullable=True),
        sa.Column("voids_statement_id", sa.String(length=36), nullable=True),
        sa.Column("is_voided", sa.Boolean(), nullable=False),
        sa.Column("score_scaled", sa.Double(), nullable=True),
        sa.Column("success", sa.Boolean(), nullable=True),
        sa.Column("completion", sa.Boolean(), nullable=True),
        sa.Column("duration_ms", sa.BigInteger(), nullable=True),
        sa.Column("local_year", sa.SmallInteger(), nullable=False),
        sa.Column("timestamp", sa.DateTime(timezone=True), nullable=False),
        sa.Column("stored", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "data",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_learning_statements_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_learning_statements")),
        sa.UniqueConstraint("statement_id", name=op.f("uq_learning_statements_statement_id")),
    )
    with op.batch_alter_table("learning_statements", schema=None) as batch_op:
        for column in (
            "activity_iri",
            "actor_key",
            "registration",
            "stored",
            "timestamp",
            "user_id",
            "verb_iri",
            "voids_statement_id",
        ):
            batch_op.create_index(
                batch_op.f(f"ix_learning_statements_{column}"), [column], unique=False
            )
        batch_op.create_index(
            "ix_learning_statements_user_id_course_iri", ["user_id", "course_iri"], unique=False
        )
        batch_op.create_index(
            "ix_learning_statements_user_id_local_year", ["user_id", "local_year"], unique=False
        )

    op.create_table(
        "learner_course_progress",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("course_iri", sa.String(length=512), nullable=False),
        sa.Column("lessons_completed", sa.Integer(), nullable=False),
        sa.Column("lesson_count", sa.Integer(), nullable=True),
        sa.Column("lesson_count_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("progress", sa.Double(), nullable=True),
        sa.Column("last_activity_iri", sa.String(length=512), nullable=True),
        sa.Column("last_activity_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("best_score_scaled", sa.Double(), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("certificate_earned_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_learner_course_progress_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_learner_course_progress")),
        sa.UniqueConstraint(
            "user_id", "course_iri", name=op.f("uq_learner_course_progress_user_id_course_iri")
        ),
    )
    with op.batch_alter_table("learner_course_progress", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_learner_course_progress_course_iri"), ["course_iri"], unique=False
        )

    op.create_table(
        "learner_year_hours",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.SmallInteger(), nullable=False),
        sa.Column("duration_ms", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_learner_year_hours_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_learner_year_hours")),
        sa.UniqueConstraint("user_id", "year", name=op.f("uq_learner_year_hours_user_id_year")),
    )


def downgrade():
    op.drop_table("learner_year_hours")
    with op.batch_alter_table("learner_course_progress", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_learner_course_progress_course_iri"))
    op.drop_table("learner_course_progress")
    with op.batch_alter_table("learning_statements", schema=None) as batch_op:
        batch_op.drop_index("ix_learning_statements_user_id_local_year")
        batch_op.drop_index("ix_learning_statements_user_id_course_iri")
        for column in (
            "voids_statement_id",
            "verb_iri",
            "user_id",
            "timestamp",
            "stored",
            "registration",
            "actor_key",
            "activity_iri",
        ):
            batch_op.drop_index(batch_op.f(f"ix_learning_statements_{column}"))
    op.drop_table("learning_statements")
