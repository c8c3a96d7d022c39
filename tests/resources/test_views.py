"""Resource pages through the test client: who may do what, the language fallback and the
moderation cycle."""

from __future__ import annotations

import re

from courses.resources import operations
from courses.resources.models import Resource, Status

NEW = {
    "language": "vi",
    "title": "Trồng rau sạch",
    "summary": "Cách trồng rau tại nhà.",
    "body": "# Chuẩn bị đất\n\n<script>alert(1)</script>Đất tơi xốp.",
    "licence": "cc-by-sa",
    "audience": "citizen",
    "level": "beginner",
    "subjects": ["agriculture", "environment"],
    "author": "Hội Nông dân xã",
    "source": "",
}


def test_a_teacher_creates_edits_translates_and_submits(client, db, teacher, sign_in):
    sign_in(teacher)
    assert client.get("/teach/resources/new?lang=en").status_code == 200
    response = client.post("/teach/resources/new", data=NEW)
    assert response.status_code == 302
    resource = db.session.scalars(db.select(Resource).order_by(Resource.id.desc())).first()
    assert response.headers["Location"].endswith(f"/teach/resources/{resource.id}/edit")
    assert resource.subject_codes == ["agriculture", "environment"]

    page = client.get(f"/teach/resources/{resource.id}/edit?lang=en").get_data(as_text=True)
    assert "Trồng rau sạch" in page and 'name="file"' in page

    response = client.post(
        f"/teach/resources/{resource.id}/text?language=km",
        data={"title": "ដាំបន្លែ", "summary": "", "body": "ខ្មែរ"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert resource.translation("km").title == "ដាំបន្លែ"

    preview = client.get(f"/teach/resources/{resource.id}/preview?language=vi&lang=en")
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "<h2>Chuẩn bị đất</h2>" in html and "<script>alert" not in html

    assert client.post(f"/teach/resources/{resource.id}/submit").status_code == 302
    db.session.expire_all()
    assert resource.status == Status.IN_REVIEW


def test_bad_form_input_is_a_clear_error_not_a_500(client, teacher, sign_in):
    sign_in(teacher)
    response = client.post(
        "/teach/resources/new?lang=en", data={**NEW, "title": "", "licence": "mine"}
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'aria-invalid="true"' in html and "Not a valid choice" in html


def test_an_unknown_language_for_a_text_is_404(client, make_resource, teacher, sign_in):
    resource = make_resource()
    sign_in(teacher)
    assert client.get(f"/teach/resources/{resource.id}/text?language=xx").status_code == 404


def test_a_reviewer_publishes_and_returns(client, db, make_resource, teacher, reviewer, sign_in):
    first, second = make_resource(), make_resource()
    operations.submit(first, teacher)
    operations.submit(second, teacher)
    sign_in(reviewer)
    queue = client.get("/review/resources?lang=en").get_data(as_text=True)
    assert f"/teach/resources/{first.id}/preview" in queue
    assert client.get(f"/teach/resources/{first.id}/preview?lang=en").status_code == 200
    assert client.post(f"/review/resources/{first.id}/publish").status_code == 302
    db.session.expire_all()
    assert first.status == Status.PUBLISHED and first.revisions[0].number == 1

    assert (
        client.post(f"/review/resources/{second.id}/return", data={"note": ""}).status_code == 302
    )
    db.session.expire_all()
    assert second.status == Status.IN_REVIEW  # a note is required
    client.post(f"/review/resources/{second.id}/return", data={"note": "Thiếu nguồn."})
    db.session.expire_all()
    assert second.status == Status.DRAFT and second.review_note == "Thiếu nguồn."


def test_teachers_cannot_publish_nor_edit_others_resources(
    client, make_resource, make_user, teacher, sign_in
):
    resource = make_resource()
    operations.submit(resource, teacher)
    other = make_user(roles=("teacher",))
    sign_in(other)
    assert client.post(f"/review/resources/{resource.id}/publish").status_code == 403
    assert client.get(f"/teach/resources/{resource.id}/edit").status_code == 404
    assert client.get(f"/resources/{resource.id}").status_code == 404


def test_drafts_are_404_to_the_public(client, make_resource):
    resource = make_resource()
    assert client.get(f"/resources/{resource.id}").status_code == 404
    assert client.get(f"/resources/{resource.id}/dc.xml").status_code == 404


def test_the_page_falls_back_along_the_chain_with_a_notice_and_also_in_links(
    client, make_resource, reviewer
):
    resource = make_resource(
        texts={"vi": ("Rửa tay", "Tóm tắt", "Nội dung"), "en": ("Hand washing", "", "Body")},
        published=True,
        by=reviewer,
    )
    rad = client.get(f"/resources/{resource.id}?lang=rad").get_data(as_text=True)
    assert '<article lang="vi">' in rad and "<h1>Rửa tay</h1>" in rad
    assert 'class="notice" role="note"' in rad  # not in the chosen language
    assert f'href="/resources/{resource.id}?lang=en" lang="en" hreflang="en"' in rad

    vi = client.get(f"/resources/{resource.id}?lang=vi").get_data(as_text=True)
    assert "Klei Êđê" not in vi.split("<main")[1].split("</main>")[0]

    en = client.get(f"/resources/{resource.id}?lang=en").get_data(as_text=True)
    assert '<article lang="en">' in en and "Hand washing" in en
    assert "is not available in" not in en
    assert "licensed under CC BY 4.0" in en and 'rel="license"' in en


def test_an_archived_resource_leaves_the_list_and_says_so(client, make_resource, reviewer):
    resource = make_resource(published=True, by=reviewer)
    listed = client.get("/resources?lang=en").get_data(as_text=True)
    assert f'/resources/{resource.id}"' in listed
    operations.archive(resource, reviewer)
    assert f'/resources/{resource.id}"' not in client.get("/resources?lang=en").get_data(
        as_text=True
    )
    page = client.get(f"/resources/{resource.id}?lang=en").get_data(as_text=True)
    assert "This resource is archived" in page


def test_the_list_filters_and_ignores_unknown_values(client, make_resource, reviewer):
    make_resource(published=True, by=reviewer)
    assert client.get("/resources?subject=nope&licence=x&language=zz&page=-3").status_code == 200
    html = client.get("/resources?subject=law&lang=en").get_data(as_text=True)
    assert "No resource matches" in html


def test_titles_and_summaries_are_escaped(client, make_resource, reviewer):
    hostile = '<img src=x onerror=alert(1)>"><script>alert(2)</script>'
    resource = make_resource(texts={"vi": (hostile, hostile, "x")}, published=True, by=reviewer)
    for url in (f"/resources/{resource.id}", "/resources"):
        html = client.get(url).get_data(as_text=True)
        assert "<script>alert(2)" not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert(2)" in html


def test_history_compare_and_restore(client, db, make_resource, teacher, reviewer, sign_in):
    resource = make_resource(published=True, by=reviewer)
    operations.save_translation(resource, teacher, language="vi", title="Mới", summary="", body="")
    operations.submit(resource, teacher)
    operations.publish(resource, reviewer)
    sign_in(teacher)
    history = client.get(f"/teach/resources/{resource.id}/history?lang=en").get_data(as_text=True)
    assert "Restore version 1" in history
    compare = client.get(f"/teach/resources/{resource.id}/compare?from=1&to=2&lang=en")
    html = compare.get_data(as_text=True)
    assert compare.status_code == 200
    assert re.search(
        r"<del><span class=\"visually-hidden\">Removed: </span>Rửa tay đúng cách</del>", html
    )
    assert '<ins><span class="visually-hidden">Added: </span>Mới</ins>' in html
    assert client.get(f"/teach/resources/{resource.id}/compare?from=9").status_code == 404
    assert client.post(f"/teach/resources/{resource.id}/restore/1").status_code == 302
    db.session.expire_all()
    assert resource.status == Status.DRAFT
    assert resource.translation("vi").title == "Rửa tay đúng cách"
    assert client.post(f"/teach/resources/{resource.id}/restore/7").status_code == 404


def test_my_resources_lists_only_mine(client, make_resource, make_user, teacher, sign_in):
    mine = make_resource()
    other = make_resource(owner=make_user(roles=("teacher",)))
    sign_in(teacher)
    html = client.get("/teach/resources?lang=en").get_data(as_text=True)
    assert f"/teach/resources/{mine.id}/edit" in html
    assert f"/teach/resources/{other.id}/edit" not in html


def test_the_preview_links_the_other_languages(client, make_resource, teacher, sign_in):
    resource = make_resource(
        texts={"vi": ("Rửa tay", "", "vi"), "km": ("លាងដៃ", "", "km"), "en": ("Hands", "", "en")}
    )
    sign_in(teacher)
    html = client.get(f"/teach/resources/{resource.id}/preview?language=km").get_data(as_text=True)
    assert '<article lang="km">' in html
    assert f"/teach/resources/{resource.id}/preview?language=vi" in html
    assert f"/teach/resources/{resource.id}/preview?language=en" in html
    assert client.get(f"/teach/resources/{resource.id}/preview?language=jra").status_code == 404
