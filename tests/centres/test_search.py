"""Learning centres and their open classes in search: their documents, the outbox rows every
change writes, what leaves the index, hits re-checked at query time, the search page's labels
and links, the API's filter, and ``flask search check`` on really committed data."""

from __future__ import annotations

import html
import re
from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa
from jsonschema import Draft202012Validator

from courses.api.openapi import DOCUMENT
from portal.centres import discovery
from portal.extensions import db as _db
from search.schema import to_fields

KHMER_TITLE = "ថ្នាក់អក្ខរកម្មសម្រាប់ស្ត្រី"  # "literacy class for women"
KHMER_WORD = "អក្ខរកម្ម"  # "literacy"


def found(service: Any, text: str, **filters: str) -> dict[str, Any]:
    """The hits a visitor finds for ``text``, by key."""
    return {hit.key: hit for hit in service.search(text, filters=filters, per_page=100).hits}


def outbox_after(position: int) -> list[str]:
    rows = _db.session.execute(
        sa.text("SELECT root FROM search_outbox WHERE id > :after ORDER BY id"), {"after": position}
    )
    return sorted(root for (root,) in rows)


def last_row() -> int:
    return int(_db.session.execute(sa.text("SELECT max(id) FROM search_outbox")).scalar() or 0)


@pytest.fixture
def make_class(db: Any, centre: Any, programme: Any) -> Any:
    """``make_class(title, **fields)`` → a class of ``programme`` at ``centre`` (open)."""
    from portal.centres.models import CentreClass

    counter = iter(range(2, 100))

    def make(title: str, **fields: Any) -> Any:
        code = f"XMC-{next(counter):02d}"
        row = CentreClass(centre_id=centre.id, programme_id=programme.id, code=code, title=title,
                          **fields)  # fmt: skip
        db.session.add(row)
        db.session.flush()
        return row

    return make


@pytest.fixture
def en(client: Any) -> Any:
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def test_a_centre_is_found_without_diacritics_with_its_commune_and_province(
    centre, search_index, indexed
):
    centre.address = "Thôn Đạ Nhar"
    centre.description = "Lớp **buổi tối** cho người lớn."
    indexed()
    hits = found(search_index, "trung tam hoc tap")
    assert list(hits) == [f"centre:{centre.id}:vi"]
    hit = hits[f"centre:{centre.id}:vi"]
    assert (hit.kind, hit.language, hit.url) == ("centre", "vi", "/centres/clc-dam-rong")
    assert hit.context == "Xã Đam Rông 1, Tỉnh Lâm Đồng"
    for words in ("lam dong", "dam rong 1", "da nhar", "buoi toi nguoi lon"):
        assert f"centre:{centre.id}:vi" in found(search_index, words), words
    assert search_index.check().ok


def test_an_open_class_is_found_by_its_programme_centre_and_place(
    centre, programme, centre_class, search_index, indexed
):
    programme.title = "Chương trình xóa mù chữ"
    centre_class.place = "Nhà văn hóa thôn Đạ Nhar"
    indexed()
    key = f"class:{centre_class.id}:vi"
    hit = found(search_index, "lop xoa mu chu da nhar")[key]
    assert hit.url == f"/centres/clc-dam-rong/classes/{centre_class.id}"
    assert (hit.kind, hit.context, hit.subjects) == ("class", centre.name, ["languages"])
    document = discovery.documents([f"class:{centre_class.id}"])[f"class:{centre_class.id}"][0]
    assert document["body"].splitlines() == [
        "Chương trình xóa mù chữ",
        "Xóa mù chữ mức độ 1",
        "Trung tâm học tập cộng đồng xã Đam Rông",
        "Nhà văn hóa thôn Đạ Nhar",
        "Xã Đam Rông 1, Tỉnh Lâm Đồng",
        "07/09/2026 – 18/12/2026",
    ]
    for words in ("nha van hoa", "muc do 1", "lam dong", "07/09/2026"):
        assert key in found(search_index, words), words
    assert set(found(search_index, "xoa mu chu", subject="languages")) == {key}
    assert set(found(search_index, "dam rong", kind="class")) == {key}
    assert set(found(search_index, "dam rong", kind="centre")) == {f"centre:{centre.id}:vi"}


def test_a_khmer_class_is_found_by_a_khmer_word_in_its_language(make_class, search_index, indexed):
    khmer = make_class(KHMER_TITLE, language="km")
    indexed()
    key = f"class:{khmer.id}:km"
    assert set(found(search_index, KHMER_WORD)) == {key}
    assert set(found(search_index, KHMER_WORD, language="km")) == {key}
    assert found(search_index, KHMER_WORD, language="vi") == {}


def test_finished_and_cancelled_classes_and_inactive_centres_leave_the_index(
    centre, centre_class, make_class, search_index, indexed
):
    finished = make_class("Lớp tin học đã học xong", status="finished")
    indexed()
    assert set(found(search_index, "dam rong")) == {
        f"centre:{centre.id}:vi",
        f"class:{centre_class.id}:vi",
    }
    assert found(search_index, "tin hoc") == {}  # never indexed
    centre_class.status = "cancelled"
    indexed()
    assert set(found(search_index, "dam rong")) == {f"centre:{centre.id}:vi"}
    centre_class.status = "open"
    finished.status = "open"
    indexed()
    assert len(found(search_index, "dam rong")) == 3
    centre.is_active = False
    indexed()
    assert found(search_index, "dam rong") == {}
    assert search_index.check().ok
    centre.is_active = True
    indexed()
    assert len(found(search_index, "dam rong")) == 3
    assert search_index.check().ok


def test_a_renamed_centre_renames_its_open_classes_too(
    centre, centre_class, make_class, search_index, indexed
):
    make_class("Lớp đã hủy", status="cancelled")
    indexed()
    before = last_row()
    centre.name = "Trung tâm học tập cộng đồng xã Phi Liêng"
    centre.code = "clc-phi-lieng"
    indexed()
    assert outbox_after(before) == [f"centre:{centre.id}", f"class:{centre_class.id}"]
    hit = found(search_index, "phi lieng", kind="class")[f"class:{centre_class.id}:vi"]
    assert hit.context == "Trung tâm học tập cộng đồng xã Phi Liêng"
    assert hit.url == f"/centres/clc-phi-lieng/classes/{centre_class.id}"
    assert search_index.check().ok


def test_every_change_writes_an_outbox_row_in_its_transaction(
    db, centre, programme, centre_class, make_class, small_places, search_index, indexed
):
    province, commune = small_places
    finished = make_class("Lớp cũ", status="finished")
    indexed()
    changes = [
        (lambda: setattr(centre_class, "title", "Lớp mới"), [f"class:{centre_class.id}"]),
        (lambda: setattr(finished, "status", "open"), [f"class:{finished.id}"]),
        (lambda: setattr(centre, "address", "Thôn 2"), [
            f"centre:{centre.id}", f"class:{centre_class.id}", f"class:{finished.id}"]),
        (lambda: setattr(programme, "occupation", "May mặc"), [
            f"class:{centre_class.id}", f"class:{finished.id}"]),
        (lambda: setattr(commune, "name", "Xã Đam Rông"), [
            f"centre:{centre.id}", f"class:{centre_class.id}", f"class:{finished.id}"]),
        (lambda: setattr(province, "name", "Tỉnh Lâm Đồng mới"), [
            f"centre:{centre.id}", f"class:{centre_class.id}", f"class:{finished.id}"]),
    ]  # fmt: skip
    for change, roots in changes:
        before = last_row()
        change()
        db.session.flush()
        assert outbox_after(before) == []  # written by the commit, with the change
        indexed()
        assert outbox_after(before) == sorted(roots)
        assert search_index.check().ok
    assert found(search_index, "lam dong moi", kind="class").keys() == {
        f"class:{centre_class.id}:vi",
        f"class:{finished.id}:vi",
    }
    # A commune that had no centre when this session last looked gets one, then a new name.
    from portal.centres.models import Centre
    from portal.places.models import AdminUnit

    other = AdminUnit(level="commune", code="24823", kind="commune", name="Xã Phi Liêng",
                      search_name="xa phi lieng", parent_id=province.id)  # fmt: skip
    db.session.add(other)
    indexed()
    newcomer = Centre(code="clc-phi-lieng", name="Trung tâm Phi Liêng", commune_id=other.id)
    db.session.add(newcomer)
    indexed()
    before = last_row()
    other.name = "Xã Phi Liêng mới"
    indexed()
    assert outbox_after(before) == [f"centre:{newcomer.id}"]
    assert search_index.check().ok
    before = last_row()
    centre.name = "Tên bị hủy"
    db.session.rollback()  # a change rolled back writes nothing
    assert outbox_after(before) == []


def test_a_deleted_class_and_centre_leave_the_index(
    db, centre, programme, centre_class, search_index, indexed
):
    indexed()
    before = last_row()
    db.session.delete(centre_class)
    indexed()
    assert outbox_after(before) == [f"class:{centre_class.id}"]
    assert set(found(search_index, "dam rong")) == {f"centre:{centre.id}:vi"}
    db.session.delete(programme)
    db.session.delete(centre)
    indexed()
    assert found(search_index, "dam rong") == {}
    assert search_index.check().ok


def test_hits_are_checked_again_when_the_index_lags(centre, centre_class, search_index, indexed):
    indexed()
    centre_class.status = "finished"
    _db.session.commit()  # not drained: the index still holds the class
    assert found(search_index, "dam rong").keys() == {f"centre:{centre.id}:vi"}
    centre.is_active = False
    _db.session.commit()
    assert found(search_index, "dam rong") == {}
    report = search_index.check()
    assert report.extra == [f"centre:{centre.id}:vi", f"class:{centre_class.id}:vi"]


def test_visitors_see_the_kind_labels_and_links_and_may_filter_by_them(
    en, centre, centre_class, search_index, indexed
):
    indexed()
    page = en.get("/search?q=trung+tam+hoc+tap").get_data(as_text=True)
    links = re.findall(r'<h3 lang="vi"><a href="([^"]+)">', page)
    assert links == ["/centres/clc-dam-rong", f"/centres/clc-dam-rong/classes/{centre_class.id}"]
    assert '<p class="hint">Learning centre · <span lang="vi">Tiếng Việt</span>' in page
    assert '<p class="hint">Class · <span lang="vi">Tiếng Việt</span>' in page
    facets = page.split('<h2 id="facets-heading">', 1)[1].split("<h3>Type</h3>", 1)[1]
    facets = html.unescape(facets.split("</ul>", 1)[0])
    assert sorted(re.findall(r">([^<]+)</a> \((\d)\)", facets)) == [
        ("Class", "1"),
        ("Learning centre", "1"),
    ]
    page = en.get("/search?q=trung+tam+hoc+tap&kind=class").get_data(as_text=True)
    assert "There is no type" not in page
    assert re.findall(r'<h3 lang="vi"><a href="([^"]+)">', page) == links[1:]
    for link in links:
        assert en.get(link).status_code == 200, link


def test_the_api_finds_centres_and_classes_in_the_documented_shape(
    client, centre, centre_class, search_index, indexed
):
    indexed()
    response = client.get("/api/v1/search", query_string={"q": "dam rong", "kind": "centre"})
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    validator = Draft202012Validator(
        {"$ref": "#/components/schemas/SearchResults", "components": DOCUMENT["components"]}
    )
    assert [error.message for error in validator.iter_errors(body)] == []
    assert [hit["key"] for hit in body["results"]] == [f"centre:{centre.id}:vi"]
    assert body["results"][0]["url"] == "http://localhost/centres/clc-dam-rong"


# Really committed, through ``flask search`` (both backends).


@pytest.fixture
def centre_rows(committed_app: Any) -> dict[str, int]:
    """A committed province, commune, centre, programme and two open classes (one in Khmer)."""
    from portal.centres.models import Centre, CentreClass, Programme
    from portal.places.models import AdminUnit
    from portal.text import fold

    with committed_app.app_context():
        province = AdminUnit(
            level="province",
            code="68",
            kind="province",
            name="Tỉnh Lâm Đồng",
            search_name=fold("Tỉnh Lâm Đồng"),
            valid_from=date(2025, 7, 1),
        )
        commune = AdminUnit(level="commune", code="24820", kind="commune", name="Xã Đam Rông 1",
                            search_name=fold("Xã Đam Rông 1"), valid_from=date(2025, 7, 1),
                            parent=province)  # fmt: skip
        centre = Centre(code="clc-dam-rong", name="Trung tâm học tập cộng đồng xã Đam Rông",
                        commune=commune)  # fmt: skip
        programme = Programme(centre=centre, type="vocational", title="Nghề may",
                              occupation="Thợ may")  # fmt: skip
        classes = [
            CentreClass(centre=centre, programme=programme, code=code, title=title, language=lang)
            for code, title, lang in (("M-1", "Lớp may thôn 1", "vi"), ("K-1", KHMER_TITLE, "km"))
        ]
        _db.session.add_all([province, commune, centre, programme, *classes])
        _db.session.commit()
        return {"centre": centre.id, "vi": classes[0].id, "km": classes[1].id}


def _flask(app: Any, *args: str) -> Any:
    return app.test_cli_runner().invoke(args=["search", *args])


def test_flask_search_check_stays_clean_finds_a_planted_inconsistency_and_reindex_mends_it(
    committed_app, centre_rows
):
    from portal.centres.models import Centre, CentreClass

    app, ids = committed_app, centre_rows
    result = _flask(app, "check")
    assert result.exit_code == 0, result.output
    with app.app_context():
        centre = _db.session.get(Centre, ids["centre"])
        centre.name = "Trung tâm học tập cộng đồng xã Phi Liêng"
        _db.session.get(CentreClass, ids["vi"]).status = "cancelled"
        _db.session.commit()
    result = _flask(app, "check")
    assert result.exit_code == 0, result.output
    service = app.extensions["search"]
    with app.app_context():
        assert set(found(service, KHMER_WORD)) == {f"class:{ids['km']}:km"}
        assert found(service, "phi lieng").keys() == {
            f"centre:{ids['centre']}:vi",
            f"class:{ids['km']}:km",
        }
    store = service.store
    writer = store.writer(store.open())
    writer.add_document(
        **to_fields({"key": f"class:{ids['vi']}:vi", "root": f"class:{ids['vi']}",
                     "kind": "class", "language": "vi", "title": "Lớp may thôn 1",
                     "url": f"/centres/clc-dam-rong/classes/{ids['vi']}"})
    )  # fmt: skip
    writer.delete_by_term("key", f"centre:{ids['centre']}:vi")
    writer.commit()
    result = _flask(app, "check")
    assert result.exit_code == 1
    assert [line for line in result.output.splitlines() if "\t" in line] == [
        f"missing\tcentre:{ids['centre']}:vi",
        f"extra\tclass:{ids['vi']}:vi",
    ]
    result = _flask(app, "reindex")
    assert result.exit_code == 0, result.output
    assert "2 documents indexed" in result.output
    result = _flask(app, "check")
    assert result.exit_code == 0, result.output
    assert "The index matches the database." in result.output
