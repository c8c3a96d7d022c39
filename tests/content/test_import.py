"""``flask content import``: the demo package imports, re-imports change nothing, a changed
package updates in place."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from courses.content.models import ContentKey
from courses.courseware.models import Course, Lesson, Question
from courses.resources.models import Resource, ResourceAttachment, ResourceRevision, Status


def _count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_demo_package_imports_then_reimports_unchanged(db, admin, demo_copy, content_cli):
    package = demo_copy()
    first = content_cli("import", package)
    assert first.exit_code == 0, first.output
    assert "resources: 4 created, 0 updated, 0 unchanged" in first.output
    assert "courses: 4 created, 0 updated, 0 unchanged" in first.output
    counts = {m: _count(db, m) for m in (Resource, Course, Lesson, Question, ResourceAttachment)}
    revisions = _count(db, ResourceRevision)

    again = content_cli("import", package)
    assert again.exit_code == 0, again.output
    assert "resources: 0 created, 0 updated, 4 unchanged" in again.output
    assert "courses: 0 created, 0 updated, 4 unchanged" in again.output
    assert {m: _count(db, m) for m in counts} == counts
    assert _count(db, ResourceRevision) == revisions
    assert _count(db, ContentKey) == 8


def test_imported_items_keep_every_language_kind_and_status(db, admin, demo_copy, content_cli):
    assert content_cli("import", demo_copy()).exit_code == 0
    digital = db.session.get(Course, _id(db, "course", "ky-nang-so-co-ban"))
    assert digital.status == "published" and digital.published_at is not None
    assert sorted(t.language for t in digital.translations) == ["en", "vi"]
    kinds = {q.kind for lesson in digital.lessons if lesson.quiz for q in lesson.quiz.questions}
    assert kinds == {"single", "multiple", "true_false", "short_text", "numeric", "ordering"}
    coffee = db.session.get(Course, _id(db, "course", "ky-thuat-trong-ca-phe"))
    assert (coffee.kind, coffee.qf_level, float(coffee.nominal_hours)) == ("vocational", 1, 300)
    assert any(lesson.translation("rad") for lesson in coffee.lessons)
    finance = db.session.get(Course, _id(db, "course", "quan-ly-tai-chinh-gia-dinh"))
    assert [p.required_course_id for p in finance.prerequisites] == [digital.id]
    assert str(finance.starts_on) == "2026-12-07"
    statuses = {
        key: db.session.get(Resource, _id(db, "resource", key)).status
        for key in ("rua-tay-dung-cach", "dung-dien-thoai-an-toan")
    }
    assert statuses == {
        "rua-tay-dung-cach": Status.PUBLISHED,
        "dung-dien-thoai-an-toan": "in_review",
    }
    washing = db.session.get(Resource, _id(db, "resource", "rua-tay-dung-cach"))
    assert [a.filename for a in washing.attachments] == ["giot-nuoc.png"]
    assert washing.owner_id == admin.id


def _item(items, key):
    return next(item for item in items if item["key"] == key)


def _id(db, kind, key):
    return db.session.scalar(
        select(ContentKey.object_id).where(ContentKey.kind == kind, ContentKey.key == key)
    )


def test_a_changed_package_updates_texts_in_place(db, admin, demo_copy, content_cli):
    assert content_cli("import", demo_copy()).exit_code == 0
    digital_id = _id(db, "course", "ky-nang-so-co-ban")
    lesson_ids = [lesson.id for lesson in db.session.get(Course, digital_id).lessons]

    def edit(document):
        course = _item(document["courses"], "ky-nang-so-co-ban")
        course["translations"]["vi"]["title"] = "Kỹ năng số cho mọi người"
        course["modules"][0]["lessons"][0]["translations"]["en"]["body"] += "\nOne more line.\n"
        washing = _item(document["resources"], "rua-tay-dung-cach")
        washing["translations"]["vi"]["summary"] = "Sáu bước, ai cũng làm được."

    result = content_cli("import", demo_copy(edit))
    assert result.exit_code == 0, result.output
    assert "resources: 0 created, 1 updated, 3 unchanged" in result.output
    assert "courses: 0 created, 1 updated, 3 unchanged" in result.output
    db.session.expire_all()
    digital = db.session.get(Course, digital_id)
    assert digital.translation("vi").title == "Kỹ năng số cho mọi người"
    assert [lesson.id for lesson in digital.lessons] == lesson_ids
    assert digital.lessons[0].translation("en").body.endswith("One more line.\n")
    washing = db.session.get(Resource, _id(db, "resource", "rua-tay-dung-cach"))
    assert washing.translation("vi").summary == "Sáu bước, ai cũng làm được."
    assert washing.status == Status.PUBLISHED
    assert len(washing.revisions) == 2
    assert len(washing.attachments) == 1


def test_dry_run_saves_nothing(db, admin, demo_copy, content_cli):
    result = content_cli("import", demo_copy(), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "courses: 4 created" in result.output and "dry run" in result.output
    assert _count(db, Course) == 0 and _count(db, Resource) == 0


def test_owner_option_names_the_owner(db, admin, make_user, demo_copy, content_cli):
    teacher = make_user(phone="0912555001", roles=("teacher",))
    result = content_cli("import", demo_copy(), "--owner", "0912555001")
    assert result.exit_code == 0, result.output
    owners = set(db.session.scalars(select(Course.owner_id))) | set(
        db.session.scalars(select(Resource.owner_id))
    )
    assert owners == {teacher.id}


def test_a_changed_file_is_added_and_a_renamed_one_not_stored_again(
    db, app, admin, demo_copy, content_cli
):
    assert content_cli("import", demo_copy()).exit_code == 0
    uploads = Path(app.config["PORTAL_UPLOAD_DIR"])
    stored = sorted(p for p in uploads.rglob("*") if p.is_file())

    def rename(document):
        _item(document["resources"], "rua-tay-dung-cach")["attachments"][0]["filename"] = "x.png"

    result = content_cli("import", demo_copy(rename))
    assert "resources: 0 created, 1 updated, 3 unchanged" in result.output
    assert sorted(p for p in uploads.rglob("*") if p.is_file()) == stored
    washing = db.session.get(Resource, _id(db, "resource", "rua-tay-dung-cach"))
    assert [a.filename for a in washing.attachments] == ["x.png"]

    changed = demo_copy(rename)
    png = changed / "files" / "rua-tay-dung-cach" / "giot-nuoc.png"
    png.write_bytes(png.read_bytes() + b"\0")
    result = content_cli("import", changed)
    assert "resources: 0 created, 1 updated, 3 unchanged" in result.output
    db.session.refresh(washing)
    assert [a.filename for a in washing.attachments] == ["x.png", "x.png"]
    assert len({a.sha256 for a in washing.attachments}) == 2
    assert len([p for p in uploads.rglob("*") if p.is_file()]) == len(stored) + 1


def test_lessons_and_questions_left_out_are_deleted(db, admin, demo_copy, content_cli):
    assert content_cli("import", demo_copy()).exit_code == 0
    digital_id = _id(db, "course", "ky-nang-so-co-ban")

    def edit(document):
        course = _item(document["courses"], "ky-nang-so-co-ban")
        del course["modules"][0]["lessons"][1]
        del course["modules"][1]["lessons"][0]["quiz"]["questions"][2:]
        course["status"] = "archived"

    result = content_cli("import", demo_copy(edit))
    assert "courses: 0 created, 1 updated, 3 unchanged" in result.output
    db.session.expire_all()
    digital = db.session.get(Course, digital_id)
    assert len(digital.lessons) == 2
    assert [q.kind for q in digital.lessons[-1].quiz.questions] == ["single", "multiple"]
    assert digital.status == "archived" and digital.archived_at is not None
    again = content_cli("import", demo_copy(edit))
    assert "courses: 0 created, 0 updated, 4 unchanged" in again.output
