"""The centres' report page through the client: who sees which centres, the table, charts
and exports, and bad filters answered with a message (data of ``report_data``)."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.centres import report_data

SVG = "{http://www.w3.org/2000/svg}"
URL = "/centres/reports?from=2026-01-01&to=2026-12-31"


@pytest.fixture
def register(db: Any, small_places: Any) -> Any:
    return report_data.build(db, small_places)


@pytest.fixture
def reader(make_user: Any, sign_in: Any) -> Any:
    """``reader("staff", ("centre", "clc-a"))`` signs in a user holding that role."""

    def make(role: str, scope: tuple[str, str] | None = None) -> Any:
        user = make_user(roles=(role,), scopes={role: scope} if scope else None, language="en")
        sign_in(user)
        return user

    return make


def _csv(response: Any) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def _svgs(html: str) -> list[ET.Element]:
    found, start = [], 0
    while (start := html.find("<svg", start)) != -1:
        end = html.index("</svg>", start) + len("</svg>")
        svg = ET.fromstring(html[start:end])  # noqa: S314 (our own output)
        if svg.get("role") == "img":
            found.append(svg)
        start = end
    return found


def test_anonymous_visitors_are_sent_to_sign_in(client, register):
    response = client.get(URL)
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


@pytest.mark.parametrize("role", ["learner", "teacher"])
def test_other_users_are_refused(client, register, reader, role):
    reader(role)
    assert client.get(URL).status_code == 403


def test_admin_sees_every_centre_with_totals_and_charts(client, register, reader):
    reader("admin")
    response = client.get(URL + "&by=centre")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Trung tâm A" in html and "=HYPERLINK(&#34;http" in html  # escaped, not markup
    assert "58.3%" in html.replace("\xa0", "")  # centre A: 7 present of 12 recorded
    assert "People enrolled" in html and "What the figures count" in html
    attendance, completion = _svgs(html)
    assert attendance.find(f"{SVG}title").text == "Attendance rate by centre"
    assert attendance.find(f"{SVG}desc").text
    assert "58%" in [t.text for t in attendance.iter(f"{SVG}text")]
    assert completion.find(f"{SVG}title").text == "Completion rate by centre"


def test_programme_rows_are_named_and_split_by_group(client, register, reader):
    reader("admin")
    html = client.get(URL + "&group=gender").get_data(as_text=True)
    for text in ("Literacy, level 1", "Literacy, level 2", "Vocational short course",
                 "Female", "Male", "Total"):  # fmt: skip
        assert text in html


def test_month_rows(client, register, reader):
    reader("admin")
    html = client.get(URL + "&by=month").get_data(as_text=True)
    assert "January 2026" in html and "December 2026" in html


def test_staff_see_only_their_centre_even_when_asking_for_another(client, register, reader):
    reader("staff", ("centre", "clc-a"))
    html = client.get(URL + "&by=centre").get_data(as_text=True)
    assert "Trung tâm A" in html and "HYPERLINK" not in html
    response = client.get(URL + "&by=centre&centre=clc-b")
    assert response.status_code == 400
    assert "There is no centre with this code among those you may see." in response.get_data(
        as_text=True
    )
    rows = _csv(client.get(URL + "&by=centre&format=csv"))
    assert {r["key"] for r in rows} == {"clc-a", "total"}
    assert next(r for r in rows if r["by"] == "total")["people_enrolled"] == "4"


def test_officers_see_their_commune_or_province(client, register, reader):
    reader("reviewer", ("commune", "00004"))
    rows = _csv(client.get(URL + "&by=province&format=csv"))
    assert [(r["key"], r["people_enrolled"]) for r in rows] == [("01", "2"), ("total", "2")]
    other = _csv(client.get(URL + "&by=centre&province=68&format=csv"))
    assert [(r["key"], r["people_enrolled"]) for r in other] == [("total", "0")]


def test_approver_of_a_province(client, register, reader):
    reader("approver", ("province", "68"))
    rows = _csv(client.get(URL + "&by=commune&format=csv"))
    assert [(r["key"], r["name"]) for r in rows] == [("24820", "Xã Đam Rông 1"),
                                                     ("total", "")]  # fmt: skip


def test_csv_export_has_the_header_and_neutralised_names(client, register, reader):
    from portal.centres.report_queries import EXPORT_HEADER

    reader("admin")
    response = client.get(URL + "&by=centre&group=gender&format=csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert (
        'filename="centres-report-centre-20260101-20261231.csv"'
        in (response.headers["Content-Disposition"])
    )
    text = response.get_data(as_text=True).lstrip("\ufeff")
    assert next(csv.reader(io.StringIO(text))) == list(EXPORT_HEADER)
    rows = _csv(response)
    b = next(r for r in rows if r["key"] == "clc-b" and r["group_value"] == "")
    assert b["name"] == "'" + report_data.HYPERLINK
    assert (b["people_enrolled"], b["attendance_rate"], b["literacy_level_2"]) == ("2", "0.5", "1")
    assert {r["group_value"] for r in rows if r["key"] == "clc-a"} == {"", "female", "male"}
    assert ",=HYPERLINK" not in text


def test_xlsx_export_reads_back_with_neutralised_names(client, register, reader):
    reader("admin")
    response = client.get(URL + "&by=centre&format=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("by", "key", "name", "group", "group_value")
    b = next(r for r in rows if r[1] == "clc-b")
    assert b[2] == "'" + report_data.HYPERLINK and b[5:7] == (2, 1)
    assert rows[-1][:2] == ("total", "total") and rows[-1][5] == 4


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?from=2026-13-01", "Give the dates as year-month-day, between 2000 and 2099."),
        ("?from=2026-05-01&to=2026-04-30", "The period ends before it starts."),
        ("?province=99", "There is no province with this code."),
        ("?commune=nowhere", "There is no commune with this code."),
        ("?centre=nowhere", "There is no centre with this code among those you may see."),
        ("?by=village", "Figures cannot be shown by this."),
        ("?group=religion", "People cannot be grouped by this."),
        ("?format=pdf", "The report can be downloaded as CSV or XLSX only."),
    ],
)
def test_bad_filters_get_a_message_not_an_error(client, register, reader, query, message):
    reader("admin")
    response = client.get("/centres/reports" + query)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in html
    assert 'aria-invalid="true"' in html or query == "?format=pdf"
    assert "<table" not in html


def test_a_reviewer_cannot_name_a_centre_outside_their_area(client, register, reader):
    reader("reviewer", ("province", "01"))
    response = client.get(URL + "&centre=clc-a&format=csv")
    assert response.status_code == 400 and response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert "There is no centre with this code among those you may see." in html
    assert "Trung tâm A" not in html
    assert client.get(URL + "&centre=clc-b&format=csv").status_code == 200
