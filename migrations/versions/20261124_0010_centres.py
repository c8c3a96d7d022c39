"""Learning centres: centres, programmes, classes with sessions, people enrolled (with or
without an account), class enrolments, attendance and enrolment imports

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-24

"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "centres",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("commune_id", sa.Integer(), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=True),
        sa.Column("phone", sa.String(length=16), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("website", sa.String(length=300), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "kind IN ('continuing', 'clc', 'enterprise', 'union', 'library', 'other')",
            name=op.f("ck_centres_kind"),
        ),
        sa.ForeignKeyConstraint(
            ["commune_id"],
            ["admin_units.id"],
            name=op.f("fk_centres_commune_id_admin_units"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_centres_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_centres")),
        sa.UniqueConstraint("code", name=op.f("uq_centres_code")),
    )
    with op.batch_alter_table("centres", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_centres_commune_id"), ["commune_id"], unique=False)

    op.create_table(
        "people",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("name_folded", sa.String(length=200), nullable=False),
        sa.Column("phone", sa.String(length=16), nullable=True),
        sa.Column("national_id", sa.String(length=12), nullable=True),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("birth_year", sa.Integer(), nullable=True),
        sa.Column("gender", sa.String(length=16), nullable=True),
        sa.Column("ethnicity_code", sa.String(length=2), nullable=True),
        sa.Column("disability", sa.String(length=24), nullable=True),
        sa.Column("occupation_group", sa.String(length=32), nullable=True),
        sa.Column("commune_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("centre_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["centre_id"],
            ["centres.id"],
            name=op.f("fk_people_centre_id_centres"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["commune_id"],
            ["admin_units.id"],
            name=op.f("fk_people_commune_id_admin_units"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_people_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_people_user_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_people")),
        sa.UniqueConstraint("national_id", name=op.f("uq_people_national_id")),
        sa.UniqueConstraint("user_id", name=op.f("uq_people_user_id")),
    )
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_people_commune_id"), ["commune_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_people_name_folded"), ["name_folded"], unique=False)
        batch_op.create_index(batch_op.f("ix_people_phone"), ["phone"], unique=False)

    op.create_table(
        "programmes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("centre_id", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("occupation", sa.String(length=200), nullable=True),
        sa.Column("qf_level", sa.Integer(), nullable=True),
        sa.Column("hours", sa.Numeric(precision=6, scale=2), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("gives_certificate", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "type IN ('literacy_1', 'literacy_2', 'post_literacy', 'vocational', 'digital', "
            "'life_skills', 'language', 'other')",
            name=op.f("ck_programmes_type"),
        ),
        sa.CheckConstraint(
            "hours IS NULL OR hours >= 0", name=op.f("ck_programmes_hours_not_negative")
        ),
        sa.CheckConstraint(
            "qf_level IS NULL OR (qf_level >= 1 AND qf_level <= 8)",
            name=op.f("ck_programmes_qf_level"),
        ),
        sa.ForeignKeyConstraint(
            ["centre_id"],
            ["centres.id"],
            name=op.f("fk_programmes_centre_id_centres"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programmes")),
    )
    with op.batch_alter_table("programmes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_programmes_centre_id"), ["centre_id"], unique=False)

    op.create_table(
        "centre_classes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("centre_id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("teacher_id", sa.Integer(), nullable=True),
        sa.Column("teacher_name", sa.String(length=200), nullable=True),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=12), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=True),
        sa.Column("place", sa.String(length=300), nullable=True),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "status IN ('open', 'finished', 'cancelled')", name=op.f("ck_centre_classes_status")
        ),
        sa.CheckConstraint("capacity >= 1", name=op.f("ck_centre_classes_capacity")),
        sa.ForeignKeyConstraint(
            ["centre_id"],
            ["centres.id"],
            name=op.f("fk_centre_classes_centre_id_centres"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["courses.id"],
            name=op.f("fk_centre_classes_course_id_courses"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_centre_classes_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["programmes.id"],
            name=op.f("fk_centre_classes_programme_id_programmes"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["teacher_id"],
            ["users.id"],
            name=op.f("fk_centre_classes_teacher_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_centre_classes")),
        sa.UniqueConstraint("centre_id", "code", name=op.f("uq_centre_classes_centre_id_code")),
    )
    with op.batch_alter_table("centre_classes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_centre_classes_centre_id"), ["centre_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_centre_classes_programme_id"), ["programme_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_centre_classes_status"), ["status"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_centre_classes_teacher_id"), ["teacher_id"], unique=False
        )

    op.create_table(
        "class_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("class_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("start_time", sa.Time(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("place", sa.String(length=300), nullable=True),
        sa.Column("topic", sa.String(length=300), nullable=True),
        sa.Column("cancelled", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "minutes >= 1 AND minutes <= 720", name=op.f("ck_class_sessions_minutes")
        ),
        sa.ForeignKeyConstraint(
            ["class_id"],
            ["centre_classes.id"],
            name=op.f("fk_class_sessions_class_id_centre_classes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_class_sessions")),
        sa.UniqueConstraint(
            "class_id", "day", "start_time", name=op.f("uq_class_sessions_class_id_day_start_time")
        ),
    )
    with op.batch_alter_table("class_sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_class_sessions_class_id"), ["class_id"], unique=False)

    op.create_table(
        "enrolment_imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("class_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("storage_key", sa.String(length=300), nullable=True),
        sa.Column("rows_total", sa.Integer(), nullable=False),
        sa.Column("rows_valid", sa.Integer(), nullable=False),
        sa.Column("rows_rejected", sa.Integer(), nullable=False),
        sa.Column("rows_added", sa.Integer(), nullable=False),
        sa.Column("rows_waitlisted", sa.Integer(), nullable=False),
        sa.Column("rows_already", sa.Integer(), nullable=False),
        sa.Column(
            "rejected",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('previewed', 'imported', 'discarded')",
            name=op.f("ck_enrolment_imports_status"),
        ),
        sa.ForeignKeyConstraint(
            ["class_id"],
            ["centre_classes.id"],
            name=op.f("fk_enrolment_imports_class_id_centre_classes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_enrolment_imports_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enrolment_imports")),
    )
    with op.batch_alter_table("enrolment_imports", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_enrolment_imports_class_id"), ["class_id"], unique=False
        )

    op.create_table(
        "class_enrolments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("class_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("registration", sa.String(length=36), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("enrolled_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("withdrawal_reason", sa.String(length=300), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("score", sa.Numeric(precision=6, scale=2), nullable=True),
        sa.Column("literacy_level", sa.Integer(), nullable=True),
        sa.Column("certificate_id", sa.Integer(), nullable=True),
        sa.Column("import_id", sa.Integer(), nullable=True),
        sa.Column("enrolled_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "status IN ('enrolled', 'waitlisted', 'withdrawn', 'completed', 'not_completed')",
            name=op.f("ck_class_enrolments_status"),
        ),
        sa.CheckConstraint(
            "literacy_level IS NULL OR literacy_level IN (1, 2)",
            name=op.f("ck_class_enrolments_literacy"),
        ),
        sa.ForeignKeyConstraint(
            ["certificate_id"],
            ["certificates.id"],
            name=op.f("fk_class_enrolments_certificate_id_certificates"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["class_id"],
            ["centre_classes.id"],
            name=op.f("fk_class_enrolments_class_id_centre_classes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["enrolled_by_id"],
            ["users.id"],
            name=op.f("fk_class_enrolments_enrolled_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["enrolment_imports.id"],
            name=op.f("fk_class_enrolments_import_id_enrolment_imports"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_class_enrolments_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_class_enrolments")),
        sa.UniqueConstraint(
            "class_id", "person_id", name=op.f("uq_class_enrolments_class_id_person_id")
        ),
        sa.UniqueConstraint("registration", name=op.f("uq_class_enrolments_registration")),
    )
    with op.batch_alter_table("class_enrolments", schema=None) as batch_op:
        batch_op.create_index(
            "ix_class_enrolments_class_status", ["class_id", "status"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_class_enrolments_import_id"), ["import_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_class_enrolments_person_id"), ["person_id"], unique=False
        )

    op.create_table(
        "class_attendance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("enrolment_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("statement_id", sa.String(length=36), nullable=True),
        sa.CheckConstraint(
            "status IN ('present', 'absent', 'excused')", name=op.f("ck_class_attendance_status")
        ),
        sa.ForeignKeyConstraint(
            ["enrolment_id"],
            ["class_enrolments.id"],
            name=op.f("fk_class_attendance_enrolment_id_class_enrolments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["users.id"],
            name=op.f("fk_class_attendance_recorded_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["class_sessions.id"],
            name=op.f("fk_class_attendance_session_id_class_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_class_attendance")),
        sa.UniqueConstraint(
            "session_id", "enrolment_id", name=op.f("uq_class_attendance_session_id_enrolment_id")
        ),
    )
    with op.batch_alter_table("class_attendance", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_class_attendance_enrolment_id"), ["enrolment_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_class_attendance_session_id"), ["session_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("class_attendance", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_class_attendance_session_id"))
        batch_op.drop_index(batch_op.f("ix_class_attendance_enrolment_id"))

    op.drop_table("class_attendance")
    with op.batch_alter_table("class_enrolments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_class_enrolments_person_id"))
        batch_op.drop_index(batch_op.f("ix_class_enrolments_import_id"))
        batch_op.drop_index("ix_class_enrolments_class_status")

    op.drop_table("class_enrolments")
    with op.batch_alter_table("enrolment_imports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_enrolment_imports_class_id"))

    op.drop_table("enrolment_imports")
    with op.batch_alter_table("class_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_class_sessions_class_id"))

    op.drop_table("class_sessions")
    with op.batch_alter_table("centre_classes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_centre_classes_teacher_id"))
        batch_op.drop_index(batch_op.f("ix_centre_classes_status"))
        batch_op.drop_index(batch_op.f("ix_centre_classes_programme_id"))
        batch_op.drop_index(batch_op.f("ix_centre_classes_centre_id"))

    op.drop_table("centre_classes")
    with op.batch_alter_table("programmes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_programmes_centre_id"))

    op.drop_table("programmes")
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_people_phone"))
        batch_op.drop_index(batch_op.f("ix_people_name_folded"))
        batch_op.drop_index(batch_op.f("ix_people_commune_id"))

    op.drop_table("people")
    with op.batch_alter_table("centres", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_centres_commune_id"))

    op.drop_table("centres")
