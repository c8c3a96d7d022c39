"""Courses (modules, lessons, quizzes, questions, translations, co-authors, prerequisites),
enrolments and quiz attempts; certificates.course_id now references courses

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "courses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("original_language", sa.String(length=12), nullable=False),
        sa.Column("subjects", sa.String(length=300), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("audience", sa.String(length=16), nullable=False),
        sa.Column("licence", sa.String(length=16), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("occupation", sa.String(length=200), nullable=True),
        sa.Column("qf_level", sa.Integer(), nullable=True),
        sa.Column("nominal_hours", sa.Numeric(precision=6, scale=2), nullable=True),
        sa.Column("require_all_lessons", sa.Boolean(), nullable=False),
        sa.Column("require_quizzes_passed", sa.Boolean(), nullable=False),
        sa.Column("min_score", sa.Integer(), nullable=True),
        sa.Column("issues_certificate", sa.Boolean(), nullable=False),
        sa.Column("review_note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "kind IN ('self_paced', 'cohort', 'vocational')", name=op.f("ck_courses_kind")
        ),
        sa.CheckConstraint(
            "status IN ('draft', 'in_review', 'published', 'archived')",
            name=op.f("ck_courses_status"),
        ),
        sa.CheckConstraint(
            "min_score IS NULL OR (min_score >= 0 AND min_score <= 100)",
            name=op.f("ck_courses_min_score"),
        ),
        sa.CheckConstraint(
            "qf_level IS NULL OR (qf_level >= 1 AND qf_level <= 8)",
            name=op.f("ck_courses_qf_level"),
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name=op.f("fk_courses_owner_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_courses")),
    )
    with op.batch_alter_table("courses", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_courses_owner_id"), ["owner_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_courses_status"), ["status"], unique=False)

    op.create_table(
        "course_authors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["courses.id"],
            name=op.f("fk_course_authors_course_id_courses"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_course_authors_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_course_authors")),
        sa.UniqueConstraint(
            "course_id", "user_id", name=op.f("uq_course_authors_course_id_user_id")
        ),
    )
    with op.batch_alter_table("course_authors", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_course_authors_user_id"), ["user_id"], unique=False)

    op.create_table(
        "course_modules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["courses.id"],
            name=op.f("fk_course_modules_course_id_courses"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_course_modules")),
    )
    with op.batch_alter_table("course_modules", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_course_modules_course_id"), ["course_id"], unique=False
        )

    op.create_table(
        "course_prerequisites",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("required_course_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "course_id <> required_course_id", name=op.f("ck_course_prerequisites_not_itself")
        ),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["courses.id"],
            name=op.f("fk_course_prerequisites_course_id_courses"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["required_course_id"],
            ["courses.id"],
            name=op.f("fk_course_prerequisites_required_course_id_courses"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_course_prerequisites")),
        sa.UniqueConstraint(
            "course_id",
            "required_course_id",
            name=op.f("uq_course_prerequisites_course_id_required_course_id"),
        ),
    )
    with op.batch_alter_table("course_prerequisites", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_course_prerequisites_required_course_id"),
            ["required_course_id"],
            unique=False,
        )

    op.create_table(
        "course_translations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=12), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("summary", sa.String(length=1000), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["courses.id"],
            name=op.f("fk_course_translations_course_id_courses"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_course_translations")),
        sa.UniqueConstraint(
            "course_id", "language", name=op.f("uq_course_translations_course_id_language")
        ),
    )
    with op.batch_alter_table("course_translations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_course_translations_course_id"), ["course_id"], unique=False
        )

    op.create_table(
        "course_lessons",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("module_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("estimated_minutes", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["module_id"],
            ["course_modules.id"],
            name=op.f("fk_course_lessons_module_id_course_modules"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_course_lessons")),
    )
    with op.batch_alter_table("course_lessons", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_course_lessons_module_id"), ["module_id"], unique=False
        )

    op.create_table(
        "course_module_translations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("module_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=12), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["module_id"],
            ["course_modules.id"],
            name=op.f("fk_course_module_translations_module_id_course_modules"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_course_module_translations")),
        sa.UniqueConstraint(
            "module_id", "language", name=op.f("uq_course_module_translations_module_id_language")
        ),
    )
    with op.batch_alter_table("course_module_translations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_course_module_translations_module_id"), ["module_id"], unique=False
        )

    op.create_table(
        "course_lesson_resources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lesson_id", sa.Integer(), nullable=False),
        sa.Column("resource_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["lesson_id"],
            ["course_lessons.id"],
            name=op.f("fk_course_lesson_resources_lesson_id_course_lessons"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["resource_id"],
            ["resources.id"],
            name=op.f("fk_course_lesson_resources_resource_id_resources"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_course_lesson_resources")),
        sa.UniqueConstraint(
            "lesson_id",
            "resource_id",
            name=op.f("uq_course_lesson_resources_lesson_id_resource_id"),
        ),
    )
    with op.batch_alter_table("course_lesson_resources", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_course_lesson_resources_resource_id"), ["resource_id"], unique=False
        )

    op.create_table(
        "course_lesson_translations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lesson_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=12), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["lesson_id"],
            ["course_lessons.id"],
            name=op.f("fk_course_lesson_translations_lesson_id_course_lessons"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_course_lesson_translations")),
        sa.UniqueConstraint(
            "lesson_id", "language", name=op.f("uq_course_lesson_translations_lesson_id_language")
        ),
    )
    with op.batch_alter_table("course_lesson_translations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_course_lesson_translations_lesson_id"), ["lesson_id"], unique=False
        )

    op.create_table(
        "course_quizzes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lesson_id", sa.Integer(), nullable=False),
        sa.Column("pass_mark", sa.Integer(), nullable=False),
        sa.Column("max_attempts", sa.Integer(), nullable=True),
        sa.Column("shuffle_questions", sa.Boolean(), nullable=False),
        sa.Column("shuffle_options", sa.Boolean(), nullable=False),
        sa.Column("feedback", sa.String(length=8), nullable=False),
        sa.CheckConstraint(
            "feedback IN ('none', 'result', 'full')", name=op.f("ck_course_quizzes_feedback")
        ),
        sa.CheckConstraint(
            "max_attempts IS NULL OR max_attempts >= 1", name=op.f("ck_course_quizzes_max_attempts")
        ),
        sa.CheckConstraint(
            "pass_mark >= 0 AND pass_mark <= 100", name=op.f("ck_course_quizzes_pass_mark")
        ),
        sa.ForeignKeyConstraint(
            ["lesson_id"],
            ["course_lessons.id"],
            name=op.f("fk_course_quizzes_lesson_id_course_lessons"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_course_quizzes")),
        sa.UniqueConstraint("lesson_id", name=op.f("uq_course_quizzes_lesson_id")),
    )
    op.create_table(
        "enrolments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("registration", sa.String(length=36), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("enrolled_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_lesson_id", sa.Integer(), nullable=True),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("certificate_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "status IN ('active', 'completed', 'withdrawn')", name=op.f("ck_enrolments_status")
        ),
        sa.ForeignKeyConstraint(
            ["certificate_id"],
            ["certificates.id"],
            name=op.f("fk_enrolments_certificate_id_certificates"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["courses.id"],
            name=op.f("fk_enrolments_course_id_courses"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["last_lesson_id"],
            ["course_lessons.id"],
            name=op.f("fk_enrolments_last_lesson_id_course_lessons"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_enrolments_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enrolments")),
        sa.UniqueConstraint("registration", name=op.f("uq_enrolments_registration")),
        sa.UniqueConstraint("user_id", "course_id", name=op.f("uq_enrolments_user_id_course_id")),
    )
    with op.batch_alter_table("enrolments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_enrolments_course_id"), ["course_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_enrolments_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_enrolments_user_id"), ["user_id"], unique=False)

    op.create_table(
        "course_questions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("quiz_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("option_keys", sa.JSON(), nullable=False),
        sa.Column("answer", sa.JSON(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('single', 'multiple', 'true_false', 'short_text', 'numeric', 'ordering')",
            name=op.f("ck_course_questions_kind"),
        ),
        sa.CheckConstraint("points >= 1", name=op.f("ck_course_questions_points")),
        sa.ForeignKeyConstraint(
            ["quiz_id"],
            ["course_quizzes.id"],
            name=op.f("fk_course_questions_quiz_id_course_quizzes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_course_questions")),
    )
    with op.batch_alter_table("course_questions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_course_questions_quiz_id"), ["quiz_id"], unique=False)

    op.create_table(
        "quiz_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("enrolment_id", sa.Integer(), nullable=False),
        sa.Column("quiz_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("layout", sa.JSON(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("points", sa.Double(), nullable=True),
        sa.Column("max_points", sa.Double(), nullable=True),
        sa.Column("score", sa.Double(), nullable=True),
        sa.Column("passed", sa.Boolean(), nullable=True),
        sa.ForeignKeyConstraint(
            ["enrolment_id"],
            ["enrolments.id"],
            name=op.f("fk_quiz_attempts_enrolment_id_enrolments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["quiz_id"],
            ["course_quizzes.id"],
            name=op.f("fk_quiz_attempts_quiz_id_course_quizzes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quiz_attempts")),
        sa.UniqueConstraint(
            "enrolment_id",
            "quiz_id",
            "number",
            name=op.f("uq_quiz_attempts_enrolment_id_quiz_id_number"),
        ),
    )
    with op.batch_alter_table("quiz_attempts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_quiz_attempts_enrolment_id"), ["enrolment_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_quiz_attempts_quiz_id"), ["quiz_id"], unique=False)

    op.create_table(
        "course_question_translations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=12), nullable=False),
        sa.Column("prompt", sa.Text(), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("accepted", sa.JSON(), nullable=False),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["course_questions.id"],
            name=op.f("fk_course_question_translations_question_id_course_questions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_course_question_translations")),
        sa.UniqueConstraint(
            "question_id",
            "language",
            name=op.f("uq_course_question_translations_question_id_language"),
        ),
    )
    with op.batch_alter_table("course_question_translations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_course_question_translations_question_id"), ["question_id"], unique=False
        )

    op.create_table(
        "question_responses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("attempt_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("response", sa.JSON(), nullable=False),
        sa.Column("correct", sa.Boolean(), nullable=False),
        sa.Column("points", sa.Double(), nullable=False),
        sa.ForeignKeyConstraint(
            ["attempt_id"],
            ["quiz_attempts.id"],
            name=op.f("fk_question_responses_attempt_id_quiz_attempts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["course_questions.id"],
            name=op.f("fk_question_responses_question_id_course_questions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_question_responses")),
        sa.UniqueConstraint(
            "attempt_id", "question_id", name=op.f("uq_question_responses_attempt_id_question_id")
        ),
    )
    with op.batch_alter_table("question_responses", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_question_responses_question_id"), ["question_id"], unique=False
        )

    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.create_foreign_key(
            batch_op.f("fk_certificates_course_id_courses"),
            "courses",
            ["course_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade():
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_certificates_course_id_courses"), type_="foreignkey"
        )

    with op.batch_alter_table("question_responses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_question_responses_question_id"))

    op.drop_table("question_responses")
    with op.batch_alter_table("course_question_translations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_course_question_translations_question_id"))

    op.drop_table("course_question_translations")
    with op.batch_alter_table("quiz_attempts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_quiz_attempts_quiz_id"))
        batch_op.drop_index(batch_op.f("ix_quiz_attempts_enrolment_id"))

    op.drop_table("quiz_attempts")
    with op.batch_alter_table("course_questions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_course_questions_quiz_id"))

    op.drop_table("course_questions")
    with op.batch_alter_table("enrolments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_enrolments_user_id"))
        batch_op.drop_index(batch_op.f("ix_enrolments_status"))
        batch_op.drop_index(batch_op.f("ix_enrolments_course_id"))

    op.drop_table("enrolments")
    op.drop_table("course_quizzes")
    with op.batch_alter_table("course_lesson_translations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_course_lesson_translations_lesson_id"))

    op.drop_table("course_lesson_translations")
    with op.batch_alter_table("course_lesson_resources", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_course_lesson_resources_resource_id"))

    op.drop_table("course_lesson_resources")
    with op.batch_alter_table("course_module_translations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_course_module_translations_module_id"))

    op.drop_table("course_module_translations")
    with op.batch_alter_table("course_lessons", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_course_lessons_module_id"))

    op.drop_table("course_lessons")
    with op.batch_alter_table("course_translations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_course_translations_course_id"))

    op.drop_table("course_translations")
    with op.batch_alter_table("course_prerequisites", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_course_prerequisites_required_course_id"))

    op.drop_table("course_prerequisites")
    with op.batch_alter_table("course_modules", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_course_modules_course_id"))

    op.drop_table("course_modules")
    with op.batch_alter_table("course_authors", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_course_authors_user_id"))

    op.drop_table("course_authors")
    with op.batch_alter_table("courses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_courses_status"))
        batch_op.drop_index(batch_op.f("ix_courses_owner_id"))

    op.drop_table("courses")
