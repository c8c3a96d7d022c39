"""Migration 0011 gives every resource published before it an OAI-PMH record."""

from __future__ import annotations

from datetime import UTC

from flask_migrate import downgrade, upgrade
from sqlalchemy import select

from courses.oai.models import OaiRecord
from courses.resources import operations
from portal.accounts import operations as accounts
from portal.extensions import db
from tests.oai.conftest import make_published


def test_resources_published_before_the_migration_get_records(committed_app):
    with committed_app.app_context():
        owner = accounts.create_user(full_name="Lan", password="x" * 12, phone="0912000002")
        live = make_published(owner, "Một", texts={"en": ("One", "")}, subjects=("law", "health"))
        gone = make_published(owner, "Hai")
        operations.archive(gone, owner)
        operations.create_resource(
            owner,
            language="vi",
            title="Nháp",
            licence="cc-by",
            audience="citizen",
            level="beginner",
            author="A",
        )
        db.session.commit()
        published_at = live.latest_revision.published_at.replace(microsecond=0)
        numbers = (live.id, gone.id)
        db.session.remove()
        downgrade(revision="0010")
        upgrade()
        rows = {row.resource_id: row for row in db.session.scalars(select(OaiRecord))}
        assert sorted(rows) == sorted(numbers)
        first, second = rows[numbers[0]], rows[numbers[1]]
        assert first.datestamp == published_at.astimezone(UTC) and not first.is_deleted
        assert first.subjects == ",health,law," and first.languages == ",en,vi,"
        assert second.is_deleted
