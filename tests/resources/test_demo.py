"""``flask demo load`` adds the demo resources once, from the demo content package; demo
resources made before the package existed are taken over, not copied."""

from __future__ import annotations

from sqlalchemy import func, select

from courses.content.models import ContentKey
from courses.resources import operations
from courses.resources.models import Resource, Status


def _status_by_key(db) -> dict[str, str]:
    rows = db.session.execute(
        select(ContentKey.key, Resource.status).join(
            Resource, (ContentKey.kind == "resource") & (ContentKey.object_id == Resource.id)
        )
    )
    return dict(rows.all())


def test_demo_resources_are_loaded_once_in_several_languages(app, db):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo", "load"])
    assert first.exit_code == 0, first.output
    assert first.output.count("demo resource (") == 4
    runner.invoke(args=["demo", "load"])
    assert db.session.scalar(select(func.count()).select_from(Resource)) == 4
    assert _status_by_key(db) == {
        "rua-tay-dung-cach": Status.PUBLISHED,
        "trong-rau-sach-tai-nha": Status.PUBLISHED,
        "dung-dien-thoai-an-toan": Status.IN_REVIEW,
        "lich-cham-soc-ca-phe": Status.PUBLISHED,
    }
    washing = db.session.scalar(select(Resource).where(Resource.source == "Demo: Trạm Y tế xã"))
    assert sorted(t.language for t in washing.translations) == ["en", "km", "vi"]
    assert [a.filename for a in washing.attachments] == ["giot-nuoc.png"]


def test_demo_resources_made_before_the_package_are_taken_over(app, db, make_user):
    teacher = make_user(roles=("teacher",))
    older = operations.create_resource(
        teacher,
        language="vi",
        title="Rửa tay đúng cách",
        licence="cc-by",
        audience="citizen",
        level="beginner",
        author="Trần Văn Minh",
        source="Demo: Trạm Y tế xã",
    )
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(func.count()).select_from(Resource)) == 4
    assert _status_by_key(db)["rua-tay-dung-cach"] == Status.PUBLISHED
    db.session.refresh(older)
    assert sorted(t.language for t in older.translations) == ["en", "km", "vi"]
