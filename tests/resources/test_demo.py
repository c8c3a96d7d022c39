"""``flask demo load`` adds the demo resources once."""

from __future__ import annotations

from sqlalchemy import func, select

from courses.resources.models import Resource, Status


def test_demo_resources_are_loaded_once_in_several_languages(app, db):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo", "load"])
    assert first.exit_code == 0, first.output
    assert first.output.count("demo resource (") == 3
    runner.invoke(args=["demo", "load"])
    assert db.session.scalar(select(func.count()).select_from(Resource)) == 3
    resources = db.session.scalars(select(Resource).order_by(Resource.id)).all()
    assert [r.status for r in resources] == [Status.PUBLISHED, Status.PUBLISHED, Status.IN_REVIEW]
    assert sorted(t.language for t in resources[0].translations) == ["en", "km", "vi"]
