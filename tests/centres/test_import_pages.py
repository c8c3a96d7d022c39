"""The import pages: upload, preview, confirm, discard, the rejected rows and the template
as CSV and XLSX, and who may open them."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import func, select

from portal.centres.models import ClassEnrolment, EnrolmentImport, Person
from tests.centres.test_imports import _bomb, csv_bytes, xlsx_bytes

pytestmark = pytest.mark.usefixtures("english")  # the tests name the English texts

ROWS = [
    ["Họ và tên", "SĐT", "CCCD", "Ghi chú"],
    ["Lò Thị Mai", "0912345678", "011190001234", "tổ 3"],
    ["=1+1", "0912345679", "", ""],
    ["Hà Văn Khoa", "12345", "", ""],
    ["@SUM(A1)", "", "", ""],
]


def base(centre_class: Any) -> str:
    return f"/centres/{centre_class.centre.code}/manage/classes/{centre_class.id}/imports"


def upload(client: FlaskClient, centre_class: Any, data: bytes, name: str = "hoc-vien.csv") -> Any:
    return client.post(base(centre_class), data={"file": (io.BytesIO(data), name)})


@pytest.fixture
def signed_staff(staff: Any, sign_in: Callable[..., Any]) -> Any:
    sign_in(staff)
    return staff


def _count(db: Any, model: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_upload_preview_confirm_and_history(
    client: FlaskClient, db: Any, centre_class: Any, signed_staff: Any
) -> None:
    page = client.get(base(centre_class))
    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in page.get_data(as_text=True)

    response = upload(client, centre_class, csv_bytes(ROWS))
    assert response.status_code == 302
    preview = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Lò Thị Mai" in preview  # the first valid rows
    assert "Columns ignored: Ghi chú." in preview
    assert "holds a formula, which is never run" in preview
    assert "“12345” is not a Vietnamese mobile number." in preview
    assert "Give a phone number or a national ID number" in preview
    assert _count(db, Person) == 0

    record = db.session.scalar(select(EnrolmentImport))
    assert (record.rows_total, record.rows_valid, record.rows_rejected) == (4, 1, 3)
    done = client.post(f"{base(centre_class)}/{record.id}/confirm", follow_redirects=True)
    text = done.get_data(as_text=True)
    assert "1 learners added (0 of them on the waitlist), 0 already in the class" in text
    assert _count(db, ClassEnrolment) == 1
    db.session.refresh(record)
    assert record.status == "imported" and record.storage_key is None

    again = client.post(f"{base(centre_class)}/{record.id}/confirm", follow_redirects=True)
    assert "already confirmed or discarded" in again.get_data(as_text=True)
    assert _count(db, ClassEnrolment) == 1

    history = client.get(base(centre_class)).get_data(as_text=True)
    assert "hoc-vien.csv" in history and "Imported" in history


def test_the_same_file_again_is_flagged_and_adds_nobody(
    client: FlaskClient, db: Any, centre_class: Any, signed_staff: Any
) -> None:
    data = xlsx_bytes(ROWS)
    for _ in range(2):
        location = upload(client, centre_class, data, "a.xlsx").headers["Location"]
        client.post(location + "/confirm")
    text = client.get(location).get_data(as_text=True)
    assert "This same file was already imported into this class" in text
    assert _count(db, ClassEnrolment) == 1 and _count(db, Person) == 1


def test_rejected_rows_download_neutralises_formulas(
    client: FlaskClient, db: Any, centre_class: Any, signed_staff: Any
) -> None:
    location = upload(client, centre_class, xlsx_bytes(ROWS), "a.xlsx").headers["Location"]
    response = client.get(location + "/rejected.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0] == ["Row in the file", "Họ và tên", "SĐT", "CCCD", "Ghi chú", "Reasons"]
    assert [r[0] for r in rows[1:]] == ["3", "4", "5"]
    assert rows[1][1] == "'=1+1" and rows[3][1] == "'@SUM(A1)"
    assert "holds a formula" in rows[1][-1]
    assert "not a Vietnamese mobile number" in rows[2][-1]

    response = client.get(location + "/rejected.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.get_data()), read_only=False).active
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    assert cells[1][1] == "'=1+1" and cells[3][1] == "'@SUM(A1)"
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


def test_templates_have_the_headers_and_import_cleanly(
    client: FlaskClient, db: Any, centre_class: Any, signed_staff: Any
) -> None:
    response = client.get("/centres/import-template.csv")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:3] == ["Họ và tên", "Số điện thoại", "Số CCCD"] and len(rows) == 2
    xlsx = client.get("/centres/import-template.xlsx")
    assert xlsx.status_code == 200
    location = upload(client, centre_class, xlsx.get_data(), "mau.xlsx").headers["Location"]
    client.post(location + "/confirm")
    person = db.session.scalar(select(Person))
    assert (person.full_name, person.gender, person.ethnicity_code) == (
        "Lò Thị Mai",
        "female",
        "03",
    )
    assert (person.disability, person.occupation_group) == ("none", "rural_workers")
    assert person.commune_id == centre_class.centre.commune_id


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("a.csv", b"", "The file is empty."),
        ("a.csv", "Ghi chú\nx\n".encode(), "Required columns are missing: Họ và tên"),
        ("a.csv", "Ho ten,SDT\nJürgen Müller,0912345678\n".encode("latin-1"), "CSV UTF-8"),
        ("a.xlsx", None, "decompression bomb"),
        ("a.docx", b"hello", "Upload a CSV or an XLSX file."),
    ],
)
def test_a_refused_file_says_why_and_saves_nothing(
    client: FlaskClient, db: Any, centre_class: Any, signed_staff: Any, name: str,
    data: bytes | None, message: str,
) -> None:  # fmt: skip
    response = upload(client, centre_class, data if data is not None else _bomb(120 << 20), name)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _count(db, EnrolmentImport) == 0


def test_row_and_size_limits_come_from_the_configuration(
    app: Any, client: FlaskClient, db: Any, centre_class: Any, signed_staff: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.setitem(app.config, "PORTAL_IMPORT_MAX_ROWS", 2)
    rows = [["Họ và tên", "SĐT"]] + [[f"Người {i}", f"0913{i:06d}"] for i in range(3)]
    response = upload(client, centre_class, csv_bytes(rows))
    assert response.status_code == 422
    assert "more than 2 rows of learners" in response.get_data(as_text=True)
    monkeypatch.setitem(app.config, "PORTAL_IMPORT_MAX_BYTES", 100 * 1024)
    response = upload(client, centre_class, b"Ho ten,SDT\n" + b"a" * (100 * 1024))
    assert "larger than the limit of 0.1 MB" in response.get_data(as_text=True)


def test_discard_keeps_nobody(
    client: FlaskClient, db: Any, centre_class: Any, signed_staff: Any
) -> None:
    location = upload(client, centre_class, csv_bytes(ROWS)).headers["Location"]
    response = client.post(location + "/discard", follow_redirects=True)
    assert "The file was discarded" in response.get_data(as_text=True)
    record = db.session.scalar(select(EnrolmentImport))
    assert record.status == "discarded" and record.storage_key is None
    client.post(location + "/confirm")
    assert _count(db, Person) == 0


def test_a_closed_class_takes_no_import(
    client: FlaskClient, db: Any, centre_class: Any, signed_staff: Any
) -> None:
    centre_class.status = "finished"
    db.session.flush()
    assert "no longer takes enrolments" in client.get(base(centre_class)).get_data(as_text=True)
    response = upload(client, centre_class, csv_bytes(ROWS))
    assert response.status_code == 422 and _count(db, EnrolmentImport) == 0


def test_other_centres_staff_and_learners_get_404_and_strangers_sign_in(
    client: FlaskClient, db: Any, centre_class: Any, staff: Any,
    make_user: Callable[..., Any], sign_in: Callable[..., Any],
) -> None:  # fmt: skip
    sign_in(staff)
    location = upload(client, centre_class, csv_bytes(ROWS)).headers["Location"]
    client.post("/sign-out")
    urls = [base(centre_class), location, location + "/rejected.csv", location + "/rejected.xlsx"]
    posts = [location + "/confirm", location + "/discard"]

    assert client.get(urls[0]).status_code == 302  # to the sign-in page
    for user in (
        make_user(roles=["staff"], scopes={"staff": ("centre", "clc-other")}),
        make_user(roles=["learner"]),
    ):
        sign_in(user)
        assert {client.get(url).status_code for url in urls} == {404}
        assert {client.post(url).status_code for url in posts} == {404}
        assert upload(client, centre_class, csv_bytes(ROWS)).status_code == 404
        client.post("/sign-out")
    assert _count(db, Person) == 0 and _count(db, EnrolmentImport) == 1
    admin = make_user(roles=["admin"])
    sign_in(admin)
    assert client.get(location).status_code == 200
    assert client.get(f"{base(centre_class)}/999999").status_code == 404


def test_no_file_chosen_says_so(
    client: FlaskClient, db: Any, centre_class: Any, signed_staff: Any
) -> None:
    response = client.post(base(centre_class), data={})
    assert response.status_code == 422
    assert "Choose a CSV or XLSX file to upload." in response.get_data(as_text=True)


def test_a_kept_file_that_went_missing_is_said_and_nothing_is_saved(
    client: FlaskClient, db: Any, centre_class: Any, signed_staff: Any
) -> None:
    from portal.storage import get_storage

    location = upload(client, centre_class, csv_bytes(ROWS)).headers["Location"]
    record = db.session.scalar(select(EnrolmentImport))
    get_storage().delete(record.storage_key)
    assert "no longer kept" in client.get(location).get_data(as_text=True)
    response = client.post(location + "/confirm", follow_redirects=True)
    assert "The uploaded file is no longer kept: upload it again." in response.get_data(
        as_text=True
    )
    db.session.refresh(record)
    assert record.status == "previewed" and _count(db, Person) == 0
