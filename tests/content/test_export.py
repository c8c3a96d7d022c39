"""Items made in the portal get a key at their first export, and keep it."""

from __future__ import annotations

import json
from decimal import Decimal

from courses.content import exporter, keys


def test_unkeyed_items_get_a_stable_key(db, make_course, content_cli, tmp_path):
    course = make_course(title="Kỹ năng số cơ bản", nominal_hours=Decimal("12.5"))
    first = content_cli("export", "--out", tmp_path / "one")
    assert first.exit_code == 0, first.output
    assert keys.key_of("course", course.id) == f"ky-nang-so-co-ban-{course.id}"
    assert content_cli("export", "--out", tmp_path / "two").exit_code == 0
    one = (tmp_path / "one" / "content.json").read_text(encoding="utf-8")
    assert one == (tmp_path / "two" / "content.json").read_text(encoding="utf-8")
    item = json.loads(one)["courses"][0]
    assert item["nominal_hours"] == 12.5
    questions = item["modules"][0]["lessons"][-1]["quiz"]["questions"]
    assert [q["answer"] for q in questions] == [{"correct": "b"}, {"correct": True}]


def test_a_khmer_title_gives_a_key_of_the_kind_and_id(db, make_course):
    course = make_course(title="ការអានអក្សរ", language="km", quiz=False)
    assert exporter.course_key(course) == f"course-{course.id}"
