"""Report pages, exports and charts through the client; officers see only their scope."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET

import pytest
from openpyxl import load_workbook

from portal.reports import charts, exports

SVG = "{http://www.w3.org/2000/svg}"


def _svgs(html: str) -> list[ET.Element]:
    found, start = [], 0
    while (start := html.find("<svg", start)) != -1:
        end = html.index("</svg>", start) + len("</svg>")
        svg = ET.fromstring(html[start:end])  # noqa: S314 (our own output)
        if svg.get("role") in ("img", "group"):
            found.append(svg)
        start = end
    return found


def test_admin_sees_the_country_with_a_tile_per_province(client, country, officer):
    officer("admin")
    response = client.get("/reports?year=2026&model=family")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Tỉnh Lâm Đồng" in html and 'href="/reports/provinces/68?' in html
    tiles, bars = _svgs(html)
    assert tiles.get("role") == "group" and tiles.find(f"{SVG}title").text
    assert len(tiles.findall(f".//{SVG}rect")) == 34 + len(charts.BINS) + 1
    assert "Tỉnh Lâm Đồng: 50%" in [t.text for t in tiles.iter(f"{SVG}title")]
    assert bars.get("role") == "img"


def test_commune_page_lists_its_villages_with_their_figures(client, country, officer):
    officer("admin")
    html = client.get("/reports/communes/24820?year=2026&model=family").get_data(as_text=True)
    assert "Thôn Đạ Nhar" in html and "Buôn Liêng Trang" in html
    assert 'href="/reports/provinces/68?' in html  # up the drill-down
    assert "33.3%" in html.replace("\xa0", "")  # 1 of 3 households


def test_citizen_page_shows_groups(client, country, officer):
    officer("admin")
    html = client.get("/reports/provinces/68?year=2026&model=citizen").get_data(as_text=True)
    for label in ("Gender", "Ethnicity", "Age group", "Disability", "Occupation group", "Tày"):
        assert label in html


def test_csv_export_holds_the_page_figures(client, country, officer):
    officer("admin")
    response = client.get("/reports/provinces/68?year=2026&format=csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    summary = {r["model"]: r for r in rows if r["section"] == "summary" and r["code"] == "family"}
    assert summary["family"]["recognised"] == "2" and summary["family"]["denominator"] == "4"
    commune = next(r for r in rows if r["section"] == "commune" and r["code"] == "24823"
                   and r["model"] == "family")  # fmt: skip
    assert (commune["registered"], commune["recognised"], float(commune["rate"])) == ("1", "1", 1)


def test_xlsx_export_reads_back_and_neutralises_formulas(client, country, officer):
    officer("admin")
    response = client.get("/reports/communes/00004?year=2026&format=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert header[:3] == ("section", "group", "code")
    village = next(r for r in rows if r[0] == "village" and r[4] == "family")
    assert village[3] == '\'=HYPERLINK("x")'
    assert village[5:8] == (1, 1, 1)


def test_every_commune_export_lists_communes_by_model(client, country, officer):
    officer("admin")
    response = client.get("/reports?year=2026&format=csv&detail=communes")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    communes = {(r[2], r[4]) for r in rows if r[0] == "commune"}
    assert ("24820", "citizen") in communes and ("00004", "family") in communes
    assert len(communes) == 9


def test_every_village_export_lists_villages_with_their_denominators(client, country, officer):
    officer("admin")
    response = client.get("/reports/provinces/68?year=2026&format=csv&detail=villages")
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    villages = {(r["name"], r["model"]): (r["registered"], r["recognised"], r["denominator"])
                for r in rows if r["section"] == "village"}  # fmt: skip
    assert villages[("Thôn Đạ Nhar", "family")] == ("2", "1", "2")
    assert villages[("Thôn Một", "citizen")] == ("1", "0", "")
    assert villages[("Thôn Đạ Nhar", "clan")] == ("1", "0", "1")
    assert not any(r["group"] == "00004" for r in rows if r["section"] == "village")


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx"])
def test_formula_starts_are_neutralised(value):
    assert exports.neutralise(value) == "'" + value
    assert exports.neutralise("Hà Nội") == "Hà Nội" and exports.neutralise(-1) == -1


def test_a_commune_officer_sees_only_their_commune(client, country, officer):
    officer("reviewer", "commune", "24820")
    assert client.get("/reports/communes/24820").status_code == 200
    assert client.get("/reports/communes/24823").status_code == 404
    assert client.get("/reports/provinces/68").status_code == 404
    response = client.get("/reports?year=2026")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/reports/communes/24820")
    assert client.get("/reports/communes/24823?format=csv").status_code == 404


def test_a_province_officer_sees_their_province_and_its_communes(client, country, officer):
    officer("approver", "province", "68")
    assert client.get("/reports/provinces/68").status_code == 200
    assert client.get("/reports/communes/24823").status_code == 200
    assert client.get("/reports/communes/00004").status_code == 404
    assert client.get("/reports/provinces/01?format=xlsx").status_code == 404
    assert client.get("/reports").headers["Location"].startswith("/reports/provinces/68")


def test_learners_and_visitors_are_refused(client, country, officer):
    assert client.get("/reports/communes/24820").status_code == 302  # to sign in
    officer("learner")
    assert client.get("/reports/communes/24820").status_code == 403
    assert client.get("/reports").status_code == 403


def test_unknown_places_and_models_answer_404(client, country, officer):
    officer("admin")
    assert client.get("/reports/provinces/99").status_code == 404
    assert client.get("/reports?model=dragon").status_code == 404
