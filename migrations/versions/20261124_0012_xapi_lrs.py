"""The xAPI learning record store: client credentials, the documents of the State and
profile resources, statement attachments, activity definitions, and the agents and
activities each statement names

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-24

"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "xapi_activities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("iri", sa.String(length=512), nullable=False),
        sa.Column(
            "definition",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_xapi_activities")),
        sa.UniqueConstraint("iri", name=op.f("uq_xapi_activities_iri")),
    )
    op.create_table(
        "xapi_attachments",
        sa.Column("sha2", sa.String(length=128), nullable=False),
        sa.Column("content_type", sa.String(length=255), nullable=False),
        sa.Column("length", sa.BigInteger(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("sha2", name=op.f("pk_xapi_attachments")),
    )
    op.create_table(
        "xapi_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("activity_iri", sa.String(length=512), nullable=False),
        sa.Column("agent_key", sa.String(length=512), nullable=False),
        sa.Column("registration", sa.String(length=36), nullable=False),
        sa.Column("document_id", sa.String(length=512), nullable=False),
        sa.Column("content_type", sa.String(length=255), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("etag", sa.String(length=64), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_xapi_documents")),
        sa.UniqueConstraint(
            "kind",
            "activity_iri",
            "agent_key",
            "registration",
            "document_id",
            name="uq_xapi_documents_key",
        ),
    )
    with op.batch_alter_table("xapi_documents", schema=None) as batch_op:
        batch_op.create_index(
            "ix_xapi_documents_list", ["kind", "activity_iri", "agent_key", "updated"], unique=False
        )

    op.create_table(
        "xapi_clients",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("secret_sha256", sa.String(length=64), nullable=False),
        sa.Column(
            "scopes",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("rate_limit", sa.String(length=100), nullable=False),
        sa.Column("centre_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["centre_id"],
            ["centres.id"],
            name=op.f("fk_xapi_clients_centre_id_centres"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_xapi_clients_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_xapi_clients")),
        sa.UniqueConstraint("key", name=op.f("uq_xapi_clients_key")),
    )
    with op.batch_alter_table("xapi_clients", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_xapi_clients_centre_id"), ["centre_id"], unique=False)

    op.create_table(
        "xapi_statement_links",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "statement_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("value", sa.String(length=512), nullable=False),
        sa.Column("related", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["statement_pk"],
            ["learning_statements.id"],
            name=op.f("fk_xapi_statement_links_statement_pk_learning_statements"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_xapi_statement_links")),
    )
    with op.batch_alter_table("xapi_statement_links", schema=None) as batch_op:
        batch_op.create_index(
            "ix_xapi_statement_links_lookup", ["kind", "value", "statement_pk"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_xapi_statement_links_statement_pk"), ["statement_pk"], unique=False
        )
    _link_stored_statements()


def _link_stored_statements(batch: int = 1000) -> None:
    """The agents and activities of the statements stored before the LRS, so its filters
    find them too. The keys come from the LRS's own code (they must be the ones its filters
    compute), read in primary-key batches."""
    from courses.xapi.links import links_of

    bind = op.get_bind()
    statements = sa.table("learning_statements", sa.column("id"), sa.column("data", sa.JSON()))
    links = sa.table(
        "xapi_statement_links",
        sa.column("statement_pk"),
        sa.column("kind"),
        sa.column("value"),
        sa.column("related"),
    )
    last = 0
    while True:
        rows = bind.execute(
            sa.select(statements.c.id, statements.c.data)
            .where(statements.c.id > last)
            .order_by(statements.c.id)
            .limit(batch)
        ).all()
        if not rows:
            return
        values = [
            {"statement_pk": pk, "kind": kind, "value": value, "related": related}
            for pk, data in rows
            for kind, value, related in sorted(links_of(data))
        ]
        if values:
            bind.execute(links.insert(), values)
        last = rows[-1][0]


def downgrade():
    with op.batch_alter_table("xapi_statement_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_xapi_statement_links_statement_pk"))
        batch_op.drop_index("ix_xapi_statement_links_lookup")

    op.drop_table("xapi_statement_links")
    with op.batch_alter_table("xapi_clients", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_xapi_clients_centre_id"))

    op.drop_table("xapi_clients")
    with op.batch_alter_table("xapi_documents", schema=None) as batch_op:
        batch_op.drop_index("ix_xapi_documents_list")

    op.drop_table("xapi_documents")
    op.drop_table("xapi_attachments")
    op.drop_table("xapi_activities")
