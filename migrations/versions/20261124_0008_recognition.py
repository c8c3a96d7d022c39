"""Recognition of the learning-society titles: criteria sets, clans and their households,
organisations and their staff, commune areas, deadlines, assessments with their scores,
evidence and audit trail

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-24

"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "commune_areas",
        sa.Column("code", sa.String(length=8), nullable=False),
        sa.Column("is_ethnic_minority_area", sa.Boolean(), nullable=False),
        sa.Column("is_mountainous", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_commune_areas")),
    )
    op.create_table(
        "criteria_sets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("model", sa.String(length=16), nullable=False),
        sa.Column("respondent_group", sa.String(length=32), nullable=True),
        sa.Column("is_sample", sa.Boolean(), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("effective_to", sa.Date(), nullable=True),
        sa.Column(
            "definition",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_criteria_sets")),
        sa.UniqueConstraint("code", "version", name=op.f("uq_criteria_sets_code_version")),
    )
    with op.batch_alter_table("criteria_sets", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_criteria_sets_model"), ["model"], unique=False)

    op.create_table(
        "organisations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("commune_id", sa.Integer(), nullable=False),
        sa.Column("head_user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("level IN ('commune', 'province')", name=op.f("ck_organisations_level")),
        sa.ForeignKeyConstraint(
            ["commune_id"],
            ["admin_units.id"],
            name=op.f("fk_organisations_commune_id_admin_units"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_organisations_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["head_user_id"],
            ["users.id"],
            name=op.f("fk_organisations_head_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisations")),
    )
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_organisations_commune_id"), ["commune_id"], unique=False
        )

    op.create_table(
        "recognition_deadlines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("model", sa.String(length=16), nullable=False),
        sa.Column("step", sa.String(length=24), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("set_by_id", sa.Integer(), nullable=True),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["set_by_id"],
            ["users.id"],
            name=op.f("fk_recognition_deadlines_set_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recognition_deadlines")),
        sa.UniqueConstraint(
            "year", "model", "step", name=op.f("uq_recognition_deadlines_year_model_step")
        ),
    )
    op.create_table(
        "clans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("commune_id", sa.Integer(), nullable=False),
        sa.Column("village_id", sa.Integer(), nullable=True),
        sa.Column("head_user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["commune_id"],
            ["admin_units.id"],
            name=op.f("fk_clans_commune_id_admin_units"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_clans_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["head_user_id"],
            ["users.id"],
            name=op.f("fk_clans_head_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["village_id"],
            ["villages.id"],
            name=op.f("fk_clans_village_id_villages"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clans")),
    )
    with op.batch_alter_table("clans", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_clans_commune_id"), ["commune_id"], unique=False)

    op.create_table(
        "organisation_staff",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_organisation_staff_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_organisation_staff_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisation_staff")),
        sa.UniqueConstraint(
            "organisation_id", "user_id", name=op.f("uq_organisation_staff_organisation_id_user_id")
        ),
    )
    with op.batch_alter_table("organisation_staff", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_organisation_staff_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_organisation_staff_user_id"), ["user_id"], unique=False
        )

    op.create_table(
        "clan_households",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clan_id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["clan_id"],
            ["clans.id"],
            name=op.f("fk_clan_households_clan_id_clans"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["households.id"],
            name=op.f("fk_clan_households_household_id_households"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clan_households")),
        sa.UniqueConstraint(
            "clan_id", "household_id", name=op.f("uq_clan_households_clan_id_household_id")
        ),
    )
    with op.batch_alter_table("clan_households", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_clan_households_clan_id"), ["clan_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_clan_households_household_id"), ["household_id"], unique=False
        )

    op.create_table(
        "assessments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("model", sa.String(length=16), nullable=False),
        sa.Column("criteria_set_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("household_id", sa.Integer(), nullable=True),
        sa.Column("clan_id", sa.Integer(), nullable=True),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("village_id", sa.Integer(), nullable=True),
        sa.Column("subject_key", sa.String(length=32), nullable=False),
        sa.Column("subject_name", sa.String(length=300), nullable=False),
        sa.Column("commune_code", sa.String(length=8), nullable=False),
        sa.Column("province_code", sa.String(length=8), nullable=False),
        sa.Column("scope_level", sa.String(length=16), nullable=False),
        sa.Column("gender", sa.String(length=16), nullable=True),
        sa.Column("ethnicity_code", sa.String(length=2), nullable=True),
        sa.Column("birth_year", sa.Integer(), nullable=True),
        sa.Column("disability", sa.String(length=24), nullable=True),
        sa.Column("occupation_group", sa.String(length=32), nullable=True),
        sa.Column(
            "total",
            sa.Numeric(precision=6, scale=2),
            nullable=True,
        ),
        sa.Column("grade", sa.String(length=24), nullable=True),
        sa.Column("passed", sa.Boolean(), nullable=True),
        sa.Column("respondent_id", sa.Integer(), nullable=True),
        sa.Column("registered_by_id", sa.Integer(), nullable=True),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reviewed_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("return_note", sa.String(length=2000), nullable=True),
        sa.Column("certificate_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["certificate_id"],
            ["certificates.id"],
            name=op.f("fk_assessments_certificate_id_certificates"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["clan_id"], ["clans.id"], name=op.f("fk_assessments_clan_id_clans"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["criteria_set_id"],
            ["criteria_sets.id"],
            name=op.f("fk_assessments_criteria_set_id_criteria_sets"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["users.id"],
            name=op.f("fk_assessments_decided_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["households.id"],
            name=op.f("fk_assessments_household_id_households"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["household_members.id"],
            name=op.f("fk_assessments_member_id_household_members"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_assessments_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["registered_by_id"],
            ["users.id"],
            name=op.f("fk_assessments_registered_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["respondent_id"],
            ["users.id"],
            name=op.f("fk_assessments_respondent_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["reviewed_by_id"],
            ["users.id"],
            name=op.f("fk_assessments_reviewed_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_assessments_user_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["village_id"],
            ["villages.id"],
            name=op.f("fk_assessments_village_id_villages"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessments")),
        sa.UniqueConstraint(
            "year", "model", "subject_key", name=op.f("uq_assessments_year_model_subject_key")
        ),
    )
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assessments_clan_id"), ["clan_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_assessments_criteria_set_id"), ["criteria_set_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_assessments_household_id"), ["household_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_assessments_member_id"), ["member_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_assessments_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(
            "ix_assessments_province", ["year", "model", "province_code", "status"], unique=False
        )
        batch_op.create_index(
            "ix_assessments_scope", ["year", "model", "commune_code", "status"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_assessments_user_id"), ["user_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_assessments_village_id"), ["village_id"], unique=False)

    op.create_table(
        "assessment_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=24), nullable=False),
        sa.Column("indicator", sa.String(length=32), nullable=True),
        sa.Column(
            "old_points",
            sa.Numeric(precision=6, scale=2),
            nullable=True,
        ),
        sa.Column(
            "new_points",
            sa.Numeric(precision=6, scale=2),
            nullable=True,
        ),
        sa.Column("reason", sa.String(length=2000), nullable=True),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["users.id"],
            name=op.f("fk_assessment_events_actor_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_assessment_events_assessment_id_assessments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_events")),
    )
    with op.batch_alter_table("assessment_events", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_assessment_events_assessment_id"), ["assessment_id"], unique=False
        )

    op.create_table(
        "assessment_evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("indicator", sa.String(length=32), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("evidence_type", sa.String(length=32), nullable=True),
        sa.Column("description", sa.String(length=2000), nullable=False),
        sa.Column(
            "details",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column("storage_key", sa.String(length=300), nullable=True),
        sa.Column("file_name", sa.String(length=255), nullable=True),
        sa.Column("media_type", sa.String(length=100), nullable=True),
        sa.Column("size", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_assessment_evidence_assessment_id_assessments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_assessment_evidence_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_evidence")),
    )
    with op.batch_alter_table("assessment_evidence", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_assessment_evidence_assessment_id"), ["assessment_id"], unique=False
        )

    op.create_table(
        "assessment_scores",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("indicator", sa.String(length=32), nullable=False),
        sa.Column(
            "answer",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column(
            "self_points",
            sa.Numeric(precision=6, scale=2),
            nullable=True,
        ),
        sa.Column(
            "auto_points",
            sa.Numeric(precision=6, scale=2),
            nullable=True,
        ),
        sa.Column(
            "points",
            sa.Numeric(precision=6, scale=2),
            nullable=True,
        ),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=1000), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_assessment_scores_assessment_id_assessments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["users.id"],
            name=op.f("fk_assessment_scores_updated_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_scores")),
        sa.UniqueConstraint(
            "assessment_id", "indicator", name=op.f("uq_assessment_scores_assessment_id_indicator")
        ),
    )
    with op.batch_alter_table("assessment_scores", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_assessment_scores_assessment_id"), ["assessment_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("assessment_scores", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assessment_scores_assessment_id"))

    op.drop_table("assessment_scores")
    with op.batch_alter_table("assessment_evidence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assessment_evidence_assessment_id"))

    op.drop_table("assessment_evidence")
    with op.batch_alter_table("assessment_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assessment_events_assessment_id"))

    op.drop_table("assessment_events")
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assessments_village_id"))
        batch_op.drop_index(batch_op.f("ix_assessments_user_id"))
        batch_op.drop_index("ix_assessments_scope")
        batch_op.drop_index("ix_assessments_province")
        batch_op.drop_index(batch_op.f("ix_assessments_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_assessments_member_id"))
        batch_op.drop_index(batch_op.f("ix_assessments_household_id"))
        batch_op.drop_index(batch_op.f("ix_assessments_criteria_set_id"))
        batch_op.drop_index(batch_op.f("ix_assessments_clan_id"))

    op.drop_table("assessments")
    with op.batch_alter_table("clan_households", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_clan_households_household_id"))
        batch_op.drop_index(batch_op.f("ix_clan_households_clan_id"))

    op.drop_table("clan_households")
    with op.batch_alter_table("organisation_staff", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organisation_staff_user_id"))
        batch_op.drop_index(batch_op.f("ix_organisation_staff_organisation_id"))

    op.drop_table("organisation_staff")
    with op.batch_alter_table("clans", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_clans_commune_id"))

    op.drop_table("clans")
    op.drop_table("recognition_deadlines")
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organisations_commune_id"))

    op.drop_table("organisations")
    with op.batch_alter_table("criteria_sets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_criteria_sets_model"))

    op.drop_table("criteria_sets")
    op.drop_table("commune_areas")
