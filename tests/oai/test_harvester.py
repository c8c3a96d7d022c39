"""``flask oai harvest`` against canned feeds: records of another repository become
searchable items that link to their source, deletions upstream remove them, and a bad feed
changes nothing and says why."""

from __future__ import annotations

import io
import socket
import urllib.error
import urllib.request
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import func, select

from courses.oai import harvester
from courses.oai.models import HarvestedRecord, HarvestSource
from courses.resources.models import Resource

BASE = "https://thuvien.example.vn/oai"
IDENTIFY = f"""<?xml version="1.0" encoding="UTF-8"?>
<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">
<responseDate>2026-11-24T10:00:00Z</responseDate><request verb="Identify">{BASE}</request>
<Identify><repositoryName>Thư viện Quốc gia</repositoryName><baseURL>{BASE}</baseURL>
<protocolVersion>2.0</protocolVersion><adminEmail>oai@thuvien.example.vn</adminEmail>
<earliestDatestamp>2020-01-01</earliestDatestamp><deletedRecord>persistent</deletedRecord>
<granularity>YYYY-MM-DD</granularity></Identify></OAI-PMH>"""


def page(records: str, token: str | None = None) -> str:
    resumption = f"<resumptionToken>{token}</resumptionToken>" if token else ""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">
<responseDate>2026-11-24T10:00:00Z</responseDate><request verb="ListRecords">{BASE}</request>
<ListRecords>{records}{resumption}</ListRecords></OAI-PMH>"""


def record(number: int, title: str, day: str = "2026-05-01", **extra: str) -> str:
    identifier = extra.get("identifier", f"https://thuvien.example.vn/item/{number}")
    return f"""<record><header><identifier>oai:thuvien.example.vn:{number}</identifier>
<datestamp>{day}</datestamp><setSpec>nongnghiep</setSpec></header><metadata>
<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/"
 xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:title xml:lang="vi">{title}</dc:title><dc:creator>Viện Lúa</dc:creator>
<dc:subject>agriculture</dc:subject><dc:description>Kỹ thuật trồng lúa nước.</dc:description>
<dc:identifier>{identifier}</dc:identifier><dc:language>vie</dc:language>
</oai_dc:dc></metadata></record>"""


def deleted(number: int, day: str) -> str:
    return f"""<record><header status="deleted"><identifier>oai:thuvien.example.vn:{number}
</identifier><datestamp>{day}</datestamp></header></record>"""


NO_RECORDS = f"""<?xml version="1.0" encoding="UTF-8"?>
<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">
<responseDate>2026-11-24T10:00:00Z</responseDate><request>{BASE}</request>
<error code="noRecordsMatch">Nothing</error></OAI-PMH>"""


@pytest.fixture
def feed(monkeypatch):
    """``feed(pages)``: the repository (``urlopen``) answers Identify, then ``pages`` in
    turn (str, or an exception to raise); ``feed.asked`` lists the query of each request."""

    class Feed:
        def __init__(self) -> None:
            self.asked: list[dict[str, list[str]]] = []
            self.pages: list[object] = []

        def __call__(self, pages: list[object]) -> Feed:
            self.pages = list(pages)
            return self

        def urlopen(self, request: urllib.request.Request, timeout: float) -> io.BytesIO:
            return io.BytesIO(self.fetch(request.full_url))

        def fetch(self, url: str) -> bytes:
            query = parse_qs(urlsplit(url).query)
            self.asked.append(query)
            if query["verb"] == ["Identify"]:
                return IDENTIFY.encode()
            answer = self.pages.pop(0)
            if isinstance(answer, Exception):
                raise answer
            return str(answer).encode()

    made = Feed()
    monkeypatch.setattr(harvester.urllib.request, "urlopen", made.urlopen)
    return made


def harvest(app, *args):
    return app.test_cli_runner().invoke(args=["oai", "harvest", BASE, *args])


def count(db, model=HarvestedRecord) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_records_of_another_library_are_searchable_and_link_to_it(app, db, feed, indexed, client):
    feed(
        [
            page(
                record(1, "Trồng lúa nước") + record(2, "Nuôi cá ruộng", identifier="urn:x"), "t1"
            ),
            page(record(3, "Làm phân hữu cơ")),
        ]
    )
    result = harvest(app, "--set", "nongnghiep")
    assert result.exit_code == 0, result.output
    assert "3 added, 0 updated, 0 deleted" in result.output
    assert feed.asked[1]["set"] == ["nongnghiep"] and feed.asked[2]["resumptionToken"] == ["t1"]
    assert count(db, Resource) == 0  # never a local resource
    row = db.session.scalar(
        select(HarvestedRecord).where(HarvestedRecord.title == "Trồng lúa nước")
    )
    assert row.language == "vi" and row.link == "https://thuvien.example.vn/item/1"
    other = db.session.scalar(
        select(HarvestedRecord).where(HarvestedRecord.title == "Nuôi cá ruộng")
    )
    assert other.link.startswith(f"{BASE}?verb=GetRecord")  # no web address: the record itself
    indexed()
    response = client.get("/search?q=trong+lua+nuoc&lang=en")
    assert response.status_code == 200
    assert 'href="https://thuvien.example.vn/item/1"' in response.get_data(as_text=True)
    assert "Thư viện Quốc gia" in response.get_data(as_text=True)


def test_deleted_upstream_removes_the_item_and_harvest_resumes_from_the_last_day(
    app, db, feed, indexed, client
):
    feed([page(record(1, "Trồng lúa nước") + record(2, "Nuôi cá ruộng", day="2026-05-03"))])
    assert harvest(app).exit_code == 0
    source = db.session.scalar(select(HarvestSource))
    assert source.last_datestamp == "2026-05-03"
    indexed()
    feed([page(deleted(1, "2026-05-04") + record(2, "Nuôi cá ruộng lúa", day="2026-05-04"))])
    result = harvest(app)
    assert "0 added, 1 updated, 1 deleted" in result.output
    assert feed.asked[-1]["from"] == ["2026-05-03"]  # the source's day granularity
    indexed()
    page_text = client.get("/search?q=trong+lua+nuoc&lang=en").get_data(as_text=True)
    assert "item/1" not in page_text
    assert count(db) == 1
    feed([NO_RECORDS])
    assert "0 added, 0 updated, 0 deleted" in harvest(app).output


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.parametrize(
    ("pages", "message"),
    [
        (["<html>Not found</html"], "not XML"),
        (["<html/>"], "not an OAI-PMH response"),
        ([NO_RECORDS.replace("noRecordsMatch", "badArgument")], "OAI-PMH error badArgument"),
        ([page(record(1, "Một"), "t1"), "garbage"], "not XML"),
        ([page(record(1, "Một"), "t1"), OSError("connection reset")], "connection reset"),
        ([urllib.error.HTTPError(BASE, 503, "Busy", {}, None)], "HTTP status 503"),  # type: ignore[arg-type]
    ],
)
def test_a_bad_feed_changes_nothing_and_says_why(app, db, feed, pages, message):
    feed(pages)
    result = harvest(app)
    assert result.exit_code != 0
    assert "Nothing was harvested." in result.output and message in result.output
    assert count(db) == 0 and count(db, HarvestSource) == 0


def test_an_unreachable_repository_is_reported(app, db):
    url = f"http://127.0.0.1:{closed_port()}/oai"
    result = app.test_cli_runner().invoke(args=["oai", "harvest", url])
    assert result.exit_code != 0
    assert "could not be reached" in result.output
    assert count(db, HarvestSource) == 0


def test_only_web_addresses_are_harvested(app, db):
    result = app.test_cli_runner().invoke(args=["oai", "harvest", "file:///etc/passwd"])
    assert result.exit_code != 0 and "http://" in result.output
