"""Reading and checking spreadsheets of learners (hostile files included), and confirming
an import in bulk: all or nothing, nobody twice, the waitlist in file order."""

from __future__ import annotations

import io
import time
import tracemalloc
import unicodedata
import zipfile
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import pytest
from flask import Flask
from openpyxl import Workbook
from sqlalchemy import func, select

from portal.centres import bulk, imports
from portal.centres.imports import FileRefused, Limits
from portal.centres.models import (
    ClassEnrolment,
    EnrolmentImport,
    EnrolmentStatus,
    ImportStatus,
    Person,
)

pytestmark = pytest.mark.usefixtures("english")  # the tests name the English texts

TODAY = date(2026, 11, 24)
TONES = "\u0300\u0301\u0303\u0309\u0323"
HEADER = ["Họ và tên", "Số điện thoại", "Số CCCD", "Ngày sinh", "Giới tính", "Dân tộc", "Mã xã"]


def csv_bytes(rows: list[list[Any]], *, delimiter: str = ",", bom: bool = False) -> bytes:
    text = "\n".join(delimiter.join(str(c) for c in row) for row in rows) + "\n"
    return ("\ufeff" if bom else "").encode() + text.encode("utf-8")


def xlsx_bytes(rows: list[list[Any]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def to_cp1258(text: str) -> bytes:
    """``text`` as Windows-1258 writes it: base letters precomposed, tones combining."""
    out = b""
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            tones = "".join(c for c in parts if c in TONES)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES))
            out += base.encode("cp1258") + tones.encode("cp1258")
    return out


def checked(data: bytes, name: str = "learners.csv", communes: dict[str, int] | None = None):
    table = imports.read_file(name, data)
    return imports.check(table, communes=communes or {"24820": 1}, today=TODAY)


def refusal(data: bytes, name: str = "learners.csv", limits: Limits | None = None) -> FileRefused:
    with pytest.raises(FileRefused) as caught:
        imports.read_file(name, data, limits)
    return caught.value


def reasons(result: Any) -> dict[int, list[str]]:
    return {item["row"]: [r[0] for r in item["reasons"]] for item in result.rejected}


# Encodings ------------------------------------------------------------------------------------


def test_utf8_with_and_without_bom_read_alike() -> None:
    rows = [HEADER, ["Lò Thị Mai", "0912345678", "", "07/03/1985", "Nữ", "Thái", "24820"]]
    plain, with_bom = checked(csv_bytes(rows)), checked(csv_bytes(rows, bom=True))
    assert plain.valid[0].details == with_bom.valid[0].details
    details = plain.valid[0].details
    assert details.full_name == "Lò Thị Mai"
    assert details.phone == "+84912345678"
    assert details.birth_date == date(1985, 3, 7) and details.birth_year == 1985
    assert (details.gender, details.ethnicity_code, details.commune_id) == ("female", "03", 1)


def test_windows_1258_is_detected_and_composed_to_nfc() -> None:
    text = "Họ và tên;SĐT\nNguyễn Thị Hằng;0912345678\nĐặng Văn Ơn;0987654321\n"
    data = to_cp1258(text)
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    table = imports.read_file("danh-sach.csv", data)
    assert table.encoding == "cp1258"
    result = imports.check(table, communes={}, today=TODAY)
    names = [r.details.full_name for r in result.valid]
    assert names == ["Nguyễn Thị Hằng", "Đặng Văn Ơn"]
    assert all(unicodedata.is_normalized("NFC", n) for n in names)


@pytest.mark.parametrize(
    "data",
    [
        "Name,Phone\nJürgen Müller,0912345678\nSøren Ærø,0912345679\n".encode("latin-1"),
        "氏名,電話\n山田太郎,0912345678\n".encode("shift_jis"),
        "Họ và tên,SĐT\nAn,0912345678\n".encode("utf-16"),
    ],
    ids=["latin-1", "shift-jis", "utf-16"],
)
def test_other_encodings_are_refused_with_how_to_save_as_utf8(app: Flask, data: bytes) -> None:
    error = refusal(data)
    assert error.code == "encoding"
    with app.test_request_context():
        assert "CSV UTF-8" in error.message


def test_semicolon_delimiter_is_sniffed() -> None:
    rows = [["full_name", "phone"], ["Lò Thị Mai", "0912345678"]]
    result = checked(csv_bytes(rows, delimiter=";"))
    assert [r.details.full_name for r in result.valid] == ["Lò Thị Mai"]


# Columns --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "header",
    [
        ["Họ và tên", "Số điện thoại", "Số CCCD"],
        ["Ho ten", "SĐT", "CCCD"],
        ["full_name", "phone", "national_id"],
        ["Name", "PHONE", "National ID"],
        ["HỌ_VÀ_TÊN", "so dien thoai", "so cccd"],
    ],
)
def test_columns_are_matched_folded_in_either_language(header: list[str]) -> None:
    result = checked(csv_bytes([header, ["Lò Thị Mai", "0912345678", "011190001234"]]))
    assert result.columns == {"full_name": 0, "phone": 1, "national_id": 2}
    assert result.valid[0].details.national_id == "011190001234"


def test_unknown_columns_are_listed_as_ignored() -> None:
    rows = [["Họ và tên", "SĐT", "Ghi chú", "Lớp cũ"], ["Lò Thị Mai", "0912345678", "x", "y"]]
    assert checked(csv_bytes(rows)).ignored == ["Ghi chú", "Lớp cũ"]


@pytest.mark.parametrize(
    ("header", "missing"),
    [
        (["Số điện thoại", "Số CCCD"], "Họ và tên"),
        (["Họ và tên", "Ngày sinh"], "Số điện thoại / Số CCCD"),
        (["Tên đầy đủ", "Điện thoại di động số"], "Họ và tên, Số điện thoại / Số CCCD"),
    ],
)
def test_missing_or_renamed_required_columns_refuse_the_file(
    app: Flask, header: list[str], missing: str
) -> None:
    table = imports.read_file("a.csv", csv_bytes([header, ["x"] * len(header)]))
    with pytest.raises(FileRefused) as caught:
        imports.check(table, communes={}, today=TODAY)
    assert caught.value.code == "missing_columns"
    with app.test_request_context():
        message = caught.value.message
    assert f"Required columns are missing: {missing}." in message
    assert all(f"“{name}”" in message for name in header)  # the columns found
    assert "Expected: Họ và tên, Số điện thoại, Số CCCD" in message


def test_the_same_column_twice_refuses_the_file() -> None:
    table = imports.read_file("a.csv", csv_bytes([["Họ và tên", "SĐT", "phone"], ["A", "1", "2"]]))
    with pytest.raises(FileRefused) as caught:
        imports.check(table, communes={}, today=TODAY)
    assert caught.value.code == "duplicate_column"


# Rows -----------------------------------------------------------------------------------------


def test_each_row_is_checked_with_every_reason() -> None:
    rows = [
        [*HEADER, "Năm sinh"],
        ["Lò Thị Mai", "0912345678", "", "", "", "", "", ""],  # 2: valid
        ["", "0912345679", "", "", "", "", "", ""],  # 3: no name
        ["Vi Văn Bảo", "", "", "", "", "", "", ""],  # 4: neither phone nor ID
        ["Hà Thị Cúc", "12345", "0123", "31/02/1990", "X", "99", "99999", ""],  # 5
        ["Lê Văn Dũng", "0912345670", "", "01/01/2090", "", "", "", "1850"],  # 6
        ["Kiều Thị Én", "0912345671", "", "", "male", "H'Mông", "24820", "1990"],  # 7: valid
    ]
    result = checked(csv_bytes(rows))
    assert [r.number for r in result.valid] == [2, 7]
    assert result.valid[1].details.ethnicity_code == "08"
    assert result.valid[1].details.birth_year == 1990
    assert reasons(result) == {
        3: ["no_name"],
        4: ["no_contact"],
        5: ["bad_phone", "bad_national_id", "bad_birth_date", "bad_gender", "bad_ethnicity",
            "unknown_commune"],
        6: ["bad_birth_date", "bad_birth_year"],
    }  # fmt: skip


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("07/03/1985", date(1985, 3, 7)),
        ("7/3/1985", date(1985, 3, 7)),
        ("1985-03-07", date(1985, 3, 7)),
        ("07.03.1985", date(1985, 3, 7)),
        (datetime(1985, 3, 7), date(1985, 3, 7)),
        (31113, date(1985, 3, 7)),  # an Excel serial in a cell not formatted as a date
    ],
)
def test_dates_in_the_forms_people_type_and_excel_stores(value: Any, expected: date) -> None:
    data = xlsx_bytes([["Họ và tên", "SĐT", "Ngày sinh"], ["Lò Thị Mai", "0912345678", value]])
    assert checked(data, "a.xlsx").valid[0].details.birth_date == expected


def test_numbers_of_excel_keep_their_leading_zeros() -> None:
    rows = [["Họ và tên", "SĐT", "CCCD", "Mã xã"], ["Lò Thị Mai", 912345678, 11190001234, 4]]
    result = checked(xlsx_bytes(rows), "a.xlsx", {"00004": 9})
    details = result.valid[0].details
    assert (details.phone, details.national_id, details.commune_id) == (
        "+84912345678", "011190001234", 9,
    )  # fmt: skip


def test_duplicates_within_the_file_reject_the_later_rows() -> None:
    rows = [
        ["Họ và tên", "SĐT", "CCCD"],
        ["Lò Thị Mai", "0912345678", "011190001234"],  # 2
        ["Lò Văn Pọm", "0911111111", "011190001234"],  # 3: same national ID as 2
        ["LO THI MAI", "+84 912 345 678", ""],  # 4: same phone and folded name as 2
        ["Lò Văn Mai", "0912345678", ""],  # 5: same phone, another name: a relative
    ]
    result = checked(csv_bytes(rows))
    assert [r.number for r in result.valid] == [2, 5]
    assert [item["reasons"] for item in result.rejected] == [
        [["duplicate", {"row": 2}]],
        [["duplicate", {"row": 2}]],
    ]


def test_formulas_are_never_evaluated_and_reject_their_row() -> None:
    rows = [
        ["Họ và tên", "SĐT", "Năm sinh"],
        ["Lò Thị Mai", "0912345678", "=1900+85"],
        ['=HYPERLINK("http://evil.example","Bấm")', "0912345679", ""],
        ["Hà Văn Khoa", "0912345670", 1985],
    ]
    for data, name in ((xlsx_bytes(rows), "a.xlsx"), (csv_bytes(rows), "a.csv")):
        result = checked(data, name)
        assert [r.number for r in result.valid] == [4]
        assert reasons(result) == {2: ["formula"], 3: ["formula"]}
        assert result.rejected[0]["cells"][2] == ["Năm sinh", "=1900+85"]  # kept, not run


# Hostile and empty files ----------------------------------------------------------------------


def _bomb(size: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as entry:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(size // len(chunk)):
                entry.write(chunk)
    return buffer.getvalue()


def test_a_decompression_bomb_is_refused_before_it_is_opened(app: Flask) -> None:
    data = _bomb(200 * 1024 * 1024)
    assert len(data) < 1024 * 1024  # 200 MB in under 1 MB
    started = time.perf_counter()
    error = refusal(data, "bom.xlsx")
    assert error.code == "bomb" and time.perf_counter() - started < 1
    with app.test_request_context():
        assert "100 MB" in error.message
    # Below the total limit, the ratio alone refuses it.
    assert refusal(_bomb(20 * 1024 * 1024), "bom.xlsx").code == "bomb"


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("a.xlsx", b"Ho ten,SDT\nA,0912345678\n", "not_xlsx"),
        ("a.xlsx", b"PK\x03\x04 broken zip", "not_xlsx"),
        ("a.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "file_type"),
        ("a.pdf", b"%PDF-1.4", "file_type"),
        ("a.csv", b"", "empty"),
        ("a.csv", b"\n\n  \r\n", "empty"),
        ("a.csv", b"\xef\xbb\xbf", "empty"),
        ("a.csv", b"Ho ten,SDT\n", "no_rows"),
        ("a.csv", b"Ho ten,SDT\n,\n , \n", "no_rows"),
    ],
)
def test_unreadable_and_empty_files_are_refused(name: str, data: bytes, code: str) -> None:
    assert refusal(data, name).code == code


def test_a_zip_that_is_not_a_workbook_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert refusal(buffer.getvalue(), "a.xlsx").code == "not_xlsx"


def test_an_empty_workbook_and_a_header_only_workbook_are_refused() -> None:
    assert refusal(xlsx_bytes([]), "a.xlsx").code == "empty"
    assert refusal(xlsx_bytes([["Họ và tên", "SĐT"]]), "a.xlsx").code == "no_rows"


def test_a_file_over_the_size_limit_is_refused_with_the_limit(app: Flask) -> None:
    error = refusal(b"x" * (1024 * 1024 + 1), limits=Limits(max_bytes=1024 * 1024))
    assert error.code == "too_large"
    with app.test_request_context():
        assert "limit of 1 MB" in error.message


def test_a_million_rows_are_refused_quickly_and_in_flat_memory(app: Flask) -> None:
    data = b"full_name,phone\n" + b"Lo Thi Mai,0912345678\n" * 1_000_000  # 1,000,001 lines
    limits = Limits(max_bytes=len(data), max_rows=20_000)
    tracemalloc.start()
    started = time.perf_counter()
    try:
        error = refusal(data, "million.csv", limits)
        elapsed = time.perf_counter() - started
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert error.code == "too_many_rows" and error.params == {"limit": 20_000}
    assert elapsed < 5
    assert peak < len(data) / 2  # only the rows up to the limit were ever held
    with app.test_request_context():
        assert "more than 20000 rows" in error.message


def test_a_million_row_workbook_stops_at_the_limit() -> None:
    rows = [["Họ và tên", "SĐT"]] + [["Lò Thị Mai", "0912345678"]] * 1001
    error = refusal(xlsx_bytes(rows), "a.xlsx", Limits(max_rows=1000))
    assert error.code == "too_many_rows"


def test_a_workbook_of_a_million_mostly_blank_rows_is_refused_quickly() -> None:
    workbook = Workbook()
    workbook.active.append(["Họ và tên", "SĐT"])
    workbook.active.cell(row=1_000_000, column=1, value="Lò Thị Mai")
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert len(buffer.getvalue()) < 10_000
    started = time.perf_counter()
    assert refusal(buffer.getvalue(), "a.xlsx").code == "too_many_rows"
    assert time.perf_counter() - started < 5


# Confirming in bulk ---------------------------------------------------------------------------


def _upload(centre_class: Any, rows: list[list[Any]], by: Any = None, name: str = "a.csv") -> Any:
    data = xlsx_bytes(rows) if name.endswith(".xlsx") else csv_bytes(rows)
    return bulk.upload(centre_class, filename=name, data=data, limits=Limits(), by=by)


def _count(db: Any, model: Any, *where: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _people_rows(n: int, start: int = 0) -> list[list[Any]]:
    return [[f"Học Viên {i}", f"0912{i:06d}", f"0011900{i:05d}"] for i in range(start, start + n)]


def test_confirm_imports_every_valid_row_and_waitlists_past_capacity(
    app: Flask, db: Any, centre_class: Any, staff: Any
) -> None:
    rows = [["Họ và tên", "SĐT", "CCCD"], *_people_rows(12), ["", "0912999999", ""]]
    record = _upload(centre_class, rows, staff, "a.xlsx")
    assert (record.rows_total, record.rows_valid, record.rows_rejected) == (13, 12, 1)
    assert record.status == ImportStatus.PREVIEWED and record.storage_key
    assert _count(db, Person) == 0  # a preview saves nobody

    outcome = bulk.confirm(record, limits=Limits(), by=staff)
    assert (outcome.added, outcome.waitlisted, outcome.already) == (12, 2, 0)
    enrolments = db.session.scalars(
        select(ClassEnrolment).where(ClassEnrolment.class_id == centre_class.id)
        .order_by(ClassEnrolment.id)
    ).all()  # fmt: skip
    assert [e.status for e in enrolments] == ["enrolled"] * 10 + ["waitlisted"] * 2
    assert [e.person.full_name for e in enrolments[-2:]] == ["Học Viên 10", "Học Viên 11"]
    assert {e.import_id for e in enrolments} == {record.id}
    assert all(e.enrolled_by_id == staff.id and len(e.registration) == 36 for e in enrolments)
    person = enrolments[0].person
    assert (person.centre_id, person.created_by_id, person.name_folded) == (
        centre_class.centre_id, staff.id, "hoc vien 0",
    )  # fmt: skip
    assert record.status == ImportStatus.IMPORTED and record.rows_added == 12

    key = record.storage_key
    bulk.forget_file(record)
    assert record.storage_key is None
    from portal.storage import get_storage

    assert not get_storage().exists(key)


def test_importing_the_same_file_twice_adds_nobody_twice(
    db: Any, centre_class: Any, staff: Any
) -> None:
    rows = [["Họ và tên", "SĐT", "CCCD"], *_people_rows(5), ["Lò Thị Mai", "0913000000", ""]]
    first = _upload(centre_class, rows, staff)
    bulk.confirm(first, limits=Limits(), by=staff)
    second = _upload(centre_class, rows, staff)
    assert second.rows_already == 6  # the preview says so already
    outcome = bulk.confirm(second, limits=Limits(), by=staff)
    assert (outcome.added, outcome.already) == (0, 6)
    assert (second.rows_added, second.rows_already) == (0, 6)
    assert _count(db, Person) == 6
    assert _count(db, ClassEnrolment) == 6
    assert bulk.imported_before(second) is first


def test_existing_people_are_found_as_find_person_does(
    db: Any, centre_class: Any, add_person: Callable[..., Any], make_user: Callable[..., Any]
) -> None:
    by_id = add_person("Lò Thị Mai", national_id="011190001234")
    by_phone = add_person("Hà Văn Khoa", phone="0912345678")
    account = make_user(full_name="Vi Thị Lan", phone="0987654321")
    linked = make_user(full_name="Sầm Văn Tú", phone="0987654322")
    add_person("Sầm Văn Tú", phone="0987654399").user_id = linked.id
    rows = [
        ["Họ và tên", "SĐT", "CCCD"],
        ["Lò T. Mai (tên khác)", "", "011190001234"],  # by national ID, whatever the name
        ["HÀ VĂN KHOA", "+84912345678", ""],  # by phone and folded name
        ["Hà Văn Khôi", "0912345678", ""],  # same phone, another name: a new person
        ["Vi Thị Lan", "0987654321", ""],  # new, linked to her account
        ["Sầm Văn Tú", "0987654322", ""],  # new; his account is linked to someone already
    ]
    outcome = bulk.confirm(_upload(centre_class, rows), limits=Limits(), by=None)
    assert (outcome.added, outcome.already) == (5, 0)
    assert _count(db, Person) == 6
    people = {p.full_name: p for p in db.session.scalars(select(Person).order_by(Person.id))}
    enrolled = set(
        db.session.scalars(
            select(ClassEnrolment.person_id).where(ClassEnrolment.class_id == centre_class.id)
        )
    )
    assert {by_id.id, by_phone.id, people["Hà Văn Khôi"].id} <= enrolled
    assert people["Vi Thị Lan"].user_id == account.id
    new_tu = db.session.scalar(select(Person).where(Person.phone == "+84987654322"))
    assert new_tu.user_id is None


def test_people_in_the_class_are_counted_and_those_who_withdrew_come_back(
    db: Any, centre_class: Any, add_person: Callable[..., Any]
) -> None:
    from portal.centres import operations

    stays = add_person("Lò Thị Mai", phone="0912345678")
    left = add_person("Hà Văn Khoa", phone="0912345679")
    operations.enrol(centre_class, stays, by=None)
    enrolment, _new = operations.enrol(centre_class, left, by=None)
    operations.withdraw(enrolment, by=None, reason="chuyển nhà")
    rows = [["Họ và tên", "SĐT"], ["Lò Thị Mai", "0912345678"], ["Hà Văn Khoa", "0912345679"]]
    outcome = bulk.confirm(_upload(centre_class, rows), limits=Limits(), by=None)
    assert (outcome.added, outcome.already) == (1, 1)
    db.session.refresh(enrolment)
    assert (enrolment.status, enrolment.withdrawn_at, enrolment.withdrawal_reason) == (
        EnrolmentStatus.ENROLLED, None, None,
    )  # fmt: skip
    assert _count(db, ClassEnrolment) == 2


def test_two_rows_naming_one_existing_person_enrol_them_once(
    db: Any, centre_class: Any, add_person: Callable[..., Any]
) -> None:
    person = add_person("Lò Thị Mai", phone="0912345678", national_id="011190001234")
    rows = [
        ["Họ và tên", "SĐT", "CCCD"],
        ["Lò Thị Mai", "0912345678", ""],
        ["Mai Lò", "", "011190001234"],
    ]
    outcome = bulk.confirm(_upload(centre_class, rows), limits=Limits(), by=None)
    assert (outcome.added, outcome.already) == (1, 1)
    assert _count(db, ClassEnrolment, ClassEnrolment.person_id == person.id) == 1


def test_a_class_that_is_not_open_refuses_imports(db: Any, centre_class: Any) -> None:
    rows = [["Họ và tên", "SĐT"], ["Lò Thị Mai", "0912345678"]]
    record = _upload(centre_class, rows)
    centre_class.status = "finished"
    with pytest.raises(bulk.ImportRefused) as caught:
        bulk.confirm(record, limits=Limits(), by=None)
    assert caught.value.code == "class_closed"
    with pytest.raises(bulk.ImportRefused):
        _upload(centre_class, rows)
    assert _count(db, Person) == 0


def test_discard_forgets_the_file_and_a_discarded_import_cannot_be_confirmed(
    db: Any, centre_class: Any
) -> None:
    from portal.storage import get_storage

    record = _upload(centre_class, [["Họ và tên", "SĐT"], ["Lò Thị Mai", "0912345678"]])
    key = record.storage_key
    bulk.discard(record, by=None)
    bulk.forget_file(record)
    assert record.status == ImportStatus.DISCARDED and not get_storage().exists(key)
    with pytest.raises(bulk.ImportRefused) as caught:
        bulk.confirm(record, limits=Limits(), by=None)
    assert caught.value.code == "not_previewed"
    assert _count(db, Person) == 0


def test_a_refused_file_is_neither_kept_nor_recorded(
    app: Flask, db: Any, centre_class: Any
) -> None:
    from pathlib import Path

    with pytest.raises(FileRefused):
        _upload(centre_class, [["Ghi chú"], ["x"]])
    assert _count(db, EnrolmentImport) == 0
    assert not any(Path(app.config["PORTAL_UPLOAD_DIR"]).rglob("*.csv"))


def test_an_unexpected_failure_mid_import_saves_nothing(
    committed_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Through the page, on a database that really commits: the people are inserted, then
    inserting the enrolments fails; the request's transaction is rolled back whole."""
    from portal.accounts import operations as accounts
    from portal.accounts.models import Role
    from portal.centres.models import Centre, CentreClass, Programme
    from portal.extensions import db
    from portal.places.models import AdminUnit

    with committed_app.app_context():
        commune = AdminUnit(level="commune", code="24820", kind="commune", name="Xã Đam Rông 1",
                            search_name="xa dam rong 1", valid_from=date(2025, 7, 1))  # fmt: skip
        centre = Centre(code="clc-x", name="TTHTCĐ", kind="clc", commune=commune)
        programme = Programme(centre=centre, type="literacy_1", title="Xóa mù chữ")
        centre_class = CentreClass(centre=centre, programme=programme, code="L1", title="Lớp 1",
                                   capacity=5)  # fmt: skip
        user = accounts.create_user(full_name="Cán bộ", password="correct horse battery",
                                    phone="+84912000001", roles=())  # fmt: skip
        accounts.grant_role(user, Role.STAFF, scope_kind="centre", scope_code="clc-x")
        db.session.add_all([centre, programme, centre_class])
        db.session.commit()
        class_id = centre_class.id

    client = committed_app.test_client()
    client.post(
        "/sign-in", data={"identifier": "+84912000001", "password": "correct horse battery"}
    )
    base = f"/centres/clc-x/manage/classes/{class_id}/imports"
    data = csv_bytes([["Họ và tên", "SĐT"], *([f"Người {i}", f"0913{i:06d}"] for i in range(8))])
    response = client.post(base, data={"file": (io.BytesIO(data), "a.csv")})
    assert response.status_code == 302, response.get_data(as_text=True)
    import_id = int(response.headers["Location"].rsplit("/", 1)[1])

    def failing(values: list[dict[str, Any]]) -> None:
        assert db.session.scalar(select(func.count(Person.id))) == 8  # people were inserted
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(bulk, "_insert_enrolments", failing)
    with pytest.raises(RuntimeError):
        client.post(f"{base}/{import_id}/confirm")
    with committed_app.app_context():
        assert db.session.scalar(select(func.count(Person.id))) == 0
        assert db.session.scalar(select(func.count(ClassEnrolment.id))) == 0
        record = db.session.get(EnrolmentImport, import_id)
        assert record.status == ImportStatus.PREVIEWED and record.rows_added == 0

    monkeypatch.undo()  # the same import, confirmed again, goes through whole
    assert client.post(f"{base}/{import_id}/confirm").status_code == 302
    with committed_app.app_context():
        assert db.session.scalar(select(func.count(ClassEnrolment.id))) == 8
        assert db.session.scalar(select(func.count(Person.id))) == 8
