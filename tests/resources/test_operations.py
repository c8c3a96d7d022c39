"""Resource operations: the moderation cycle, versions, restoring, and the reader's
language."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from courses.resources import operations, queries
from courses.resources.models import Status
from portal.operation_errors import OperationError

VI_CATALOGUE = Path(__file__).parents[2] / "translations" / "vi" / "LC_MESSAGES" / "messages.po"


def test_a_new_resource_is_a_draft_with_its_first_translation(make_resource, teacher):
    resource = make_resource()
    assert resource.status == Status.DRAFT
    assert resource.owner_id == teacher.id
    assert [t.language for t in resource.translations] == ["vi"]
    assert resource.subject_codes == ["health"]
    assert not resource.is_public and resource.revisions == []


def test_text_is_stored_nfc(make_resource, teacher):
    decomposed = "Ho\u0323c ta\u0302\u0323p"  # "Học tập" with combining marks
    resource = make_resource(texts={"vi": (decomposed, decomposed, decomposed)})
    assert resource.translations[0].title == "Học tập"
    assert resource.translations[0].body == "Học tập"


def test_submit_publish_makes_version_one_public(make_resource, teacher, reviewer):
    resource = make_resource()
    operations.submit(resource, teacher)
    assert resource.status == Status.IN_REVIEW and resource.submitted_at
    revision = operations.publish(resource, reviewer)
    assert revision.number == 1 and revision.published_by_id == reviewer.id
    assert resource.status == Status.PUBLISHED and resource.is_public
    assert revision.snapshot["translations"]["vi"]["title"] == "Rửa tay đúng cách"
    assert revision.snapshot["metadata"]["licence"] == "cc-by"


def test_only_a_draft_can_be_submitted_and_only_a_resource_in_review_published(
    make_resource, teacher, reviewer
):
    resource = make_resource()
    with pytest.raises(operations.ResourceError) as refused:
        operations.publish(resource, reviewer)
    assert refused.value.code == "publish_not_in_review"
    with pytest.raises(operations.ResourceError) as refused:
        operations.return_for_changes(resource, reviewer, "no")
    assert refused.value.code == "return_not_in_review"
    operations.submit(resource, teacher)
    with pytest.raises(operations.ResourceError) as refused:
        operations.submit(resource, teacher)
    assert refused.value.code == "not_a_draft"


def test_returning_keeps_the_note_for_the_author(make_resource, teacher, reviewer):
    resource = make_resource()
    operations.submit(resource, teacher)
    operations.return_for_changes(resource, reviewer, "  Thêm nguồn tham khảo.  ")
    assert resource.status == Status.DRAFT
    assert resource.review_note == "Thêm nguồn tham khảo."
    operations.submit(resource, teacher)
    operations.publish(resource, reviewer)
    assert resource.review_note is None


def test_editing_a_published_resource_keeps_the_published_version_public(
    make_resource, teacher, reviewer
):
    resource = make_resource(published=True, by=reviewer)
    operations.save_translation(
        resource, teacher, language="vi", title="Mới", summary="", body="Chưa duyệt"
    )
    assert resource.status == Status.DRAFT and resource.is_public
    shown = queries.show(resource, ("vi", "en"))
    assert shown is not None and shown.title == "Rửa tay đúng cách"
    operations.submit(resource, teacher)
    operations.publish(resource, reviewer)
    assert [r.number for r in resource.revisions] == [1, 2]
    assert queries.show(resource, ("vi",)).title == "Mới"


def test_restore_makes_a_draft_from_a_version(make_resource, teacher, reviewer):
    resource = make_resource(published=True, by=reviewer)
    operations.save_translation(
        resource, teacher, language="en", title="Hands", summary="", body=""
    )
    operations.update_metadata(resource, teacher, licence="cc0", subjects=["law"])
    operations.submit(resource, teacher)
    operations.publish(resource, reviewer)
    operations.restore(resource, resource.revisions[0], teacher)
    assert resource.status == Status.DRAFT
    assert resource.licence == "cc-by" and resource.subject_codes == ["health"]
    assert [t.language for t in resource.translations] == ["vi"]
    assert len(resource.revisions) == 2  # history is kept


def test_compare_lists_changed_fields_line_by_line(make_resource, teacher, reviewer):
    resource = make_resource(published=True, by=reviewer)
    operations.save_translation(
        resource,
        teacher,
        language="vi",
        title="Rửa tay đúng cách",
        summary="Sáu bước rửa tay.",
        body="# Bước 1\n\nLàm ướt tay bằng nước sạch.",
    )
    sections = {
        section.key: section.lines
        for section in queries.compare(
            resource.revisions[0].snapshot, operations.snapshot(resource)
        )
    }
    assert list(sections) == ["vi: body"]
    kinds = [(line.kind, line.text) for line in sections["vi: body"]]
    assert ("removed", "Làm ướt tay.") in kinds
    assert ("added", "Làm ướt tay bằng nước sạch.") in kinds
    assert ("same", "# Bước 1") in kinds


def test_archive_takes_the_resource_off_the_list_but_keeps_its_page(
    make_resource, teacher, reviewer
):
    resource = make_resource(published=True, by=reviewer)
    operations.archive(resource, teacher)
    assert resource.status == Status.ARCHIVED and resource.is_public
    shown, _total = queries.public_page(("vi",))
    assert resource.id not in [s.resource.id for s in shown]
    with pytest.raises(operations.ResourceError) as refused:
        operations.archive(resource, teacher)
    assert refused.value.code == "already_archived"


@pytest.mark.parametrize(
    ("chain", "expected"),
    [
        (("rad", "vi", "en"), "vi"),
        (("km", "vi", "en"), "km"),
        (("en",), "en"),
        (("jra", "vi", "en"), "vi"),
        (("blt",), "vi"),  # none of the chain: the original language
    ],
)
def test_the_reader_sees_the_first_language_of_their_chain(
    make_resource, reviewer, chain, expected
):
    resource = make_resource(
        texts={
            "vi": ("Rửa tay", "", "Tiếng Việt"),
            "en": ("Hand washing", "", "English"),
            "km": ("លាងដៃ", "", "ខ្មែរ"),
        },
        published=True,
        by=reviewer,
    )
    shown = queries.show(resource, chain)
    assert shown.language == expected
    assert expected not in shown.others and len(shown.others) == 2


def test_the_public_list_filters_and_pages(make_resource, reviewer):
    a = make_resource(published=True, by=reviewer, subjects=("health",), licence="cc-by")
    b = make_resource(
        texts={"en": ("Law", "", "")}, published=True, by=reviewer, subjects=("law",), licence="cc0"
    )
    make_resource()  # a draft: never listed
    ids = lambda shown: {s.resource.id for s in shown}  # noqa: E731
    assert ids(queries.public_page(("vi",))[0]) >= {a.id, b.id}
    assert ids(queries.public_page(("vi",), subject="law")[0]) == {b.id}
    assert ids(queries.public_page(("vi",), licence="cc-by")[0]) == {a.id}
    assert ids(queries.public_page(("vi",), language="en")[0]) == {b.id}
    shown, total = queries.public_page(("vi",), page=99)
    assert shown == [] and total == 2


def test_the_review_queue_holds_resources_in_review(make_resource, teacher):
    draft = make_resource()
    waiting = make_resource()
    operations.submit(waiting, teacher)
    queue = queries.review_queue()
    assert waiting in queue and draft not in queue


def test_a_refusal_is_an_operation_error_whose_code_keys_a_message(make_resource, teacher):
    resource = make_resource()
    operations.submit(resource, teacher)
    with pytest.raises(OperationError) as refused:
        operations.submit(resource, teacher)
    assert isinstance(refused.value, operations.ResourceError)
    assert refused.value.message == str(operations.MESSAGES["not_a_draft"])


def test_every_refusal_message_keeps_its_translated_msgid():
    """The texts were the messages of the exceptions before codes: reusing them verbatim
    keeps the Vietnamese translations."""
    with VI_CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle)
    for code, text in operations.MESSAGES.items():
        msgid = text._args[0]  # the lazy string's msgid, untranslated
        entry = catalogue.get(msgid)
        assert entry is not None and entry.string and not entry.fuzzy, code
