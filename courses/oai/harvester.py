"""Harvesting another repository's oai_dc records (``flask oai harvest``).

The whole list is fetched first, page after page (following resumption tokens), and only
then applied: a feed that breaks half-way (not XML, an OAI error, a network failure)
raises :class:`HarvestError` and changes nothing. Harvests are incremental: the next one
asks ``from`` the newest datestamp seen, in the source's granularity. A deleted record
upstream removes the item here."""

from __future__ import annotations

import logging
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode, urlsplit

from flask_babel import gettext as _
from lxml import etree
from sqlalchemy import select

from courses.oai.models import HarvestedRecord, HarvestSource
from portal.extensions import db

logger = logging.getLogger(__name__)

OAI = "{http://www.openarchives.org/OAI/2.0/}"
DC = "{http://purl.org/dc/elements/1.1/}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
TIMEOUT = 30  # seconds per request
MAX_PAGES = 10_000
USER_AGENT = "LifelongLearningPortal-OAI-harvester/1.0"
METADATA_NAMES = ("title", "creator", "subject", "description", "date", "type", "identifier")
METADATA_NAMES += ("language", "rights", "publisher", "source")
# Three-letter codes (ISO 639-2) some repositories use for the languages we know.
LANGUAGE_CODES = {"vie": "vi", "eng": "en", "khm": "km", "fra": "fr", "fre": "fr"}


class HarvestError(Exception):
    """The feed could not be harvested; the message says why, for the operator."""


@dataclass
class Harvested:
    """What one harvest changed."""

    added: int = 0
    updated: int = 0
    deleted: int = 0
    seen: int = 0
    last_datestamp: str | None = None
    warnings: list[str] = field(default_factory=list)


def _fetch(url: str) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
            return bytes(response.read())
    except urllib.error.HTTPError as error:
        raise HarvestError(
            _("The repository answered with HTTP status %(status)s.", status=error.code)
        ) from error
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        raise HarvestError(
            _("The repository could not be reached: %(reason)s", reason=str(reason))
        ) from error


def _request(base_url: str, **arguments: str) -> etree._Element:
    """The parsed answer to one OAI-PMH request; :class:`HarvestError` on an error element
    other than ``noRecordsMatch``, which comes back as the root for the caller to see."""
    url = f"{base_url}?{urlencode(arguments)}"
    body = _fetch(url)
    parser = etree.XMLParser(no_network=True, resolve_entities=False, huge_tree=False)
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError as error:
        raise HarvestError(
            _("The repository's answer is not XML: %(error)s", error=str(error))
        ) from error
    if root.tag != f"{OAI}OAI-PMH":
        raise HarvestError(_("The repository's answer is not an OAI-PMH response."))
    for error in root.findall(f"{OAI}error"):
        code = error.get("code", "")
        if code != "noRecordsMatch":
            raise HarvestError(
                _(
                    "The repository answered with the OAI-PMH error %(code)s: %(message)s",
                    code=code,
                    message=(error.text or "").strip(),
                )
            )
    return root


def _texts(dc: etree._Element | None, name: str) -> list[etree._Element]:
    if dc is None:
        return []
    return [e for e in dc.iter(f"{DC}{name}") if (e.text or "").strip()]


def _language(code: str | None) -> str:
    code = (code or "").strip().lower().replace("_", "-").split("-")[0]
    code = LANGUAGE_CODES.get(code, code)
    return code if code.isalpha() and 2 <= len(code) <= 3 else ""


def _is_web(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def parse_record(record: etree._Element, base_url: str) -> dict[str, Any] | None:
    """A record's fields (None when the record is deleted upstream)."""
    header = record.find(f"{OAI}header")
    if header is None:
        raise HarvestError(_("A record of the repository has no header."))
    identifier = (header.findtext(f"{OAI}identifier") or "").strip()
    datestamp = (header.findtext(f"{OAI}datestamp") or "").strip()
    if not identifier or not datestamp:
        raise HarvestError(_("A record of the repository has no identifier or datestamp."))
    fields: dict[str, Any] = {"identifier": identifier, "datestamp": datestamp}
    if header.get("status") == "deleted":
        return fields | {"deleted": True}
    dc = record.find(f"{OAI}metadata/*")
    titles = _texts(dc, "title")
    languages = [_language(e.text) for e in _texts(dc, "language")]
    languages = [code for code in languages if code]
    title = titles[0] if titles else None
    language = _language(title.get(XML_LANG)) if title is not None else ""
    language = language or (languages[0] if languages else "") or "und"
    links = [e.text.strip() for e in _texts(dc, "identifier") if _is_web(e.text.strip())]
    link = links[0] if links else ""
    if not link:
        link = f"{base_url}?" + urlencode(
            {"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": identifier}
        )
    descriptions = [e for e in _texts(dc, "description")]
    same = [e for e in descriptions if _language(e.get(XML_LANG)) in ("", language)]
    return fields | {
        "deleted": False,
        "title": title.text.strip() if title is not None else identifier,
        "description": (same or descriptions)[0].text.strip() if descriptions else "",
        "creator": "; ".join(e.text.strip() for e in _texts(dc, "creator")),
        "subjects": [e.text.strip() for e in _texts(dc, "subject")],
        "language": language[:12],
        "link": link[:1000],
        "metadata": {name: [e.text.strip() for e in _texts(dc, name)] for name in METADATA_NAMES},
    }


def _from_argument(last: str, granularity: str) -> str:
    return last[:10] if granularity == "YYYY-MM-DD" else last


def fetch_all(source: HarvestSource) -> tuple[str, list[dict[str, Any]]]:
    """The repository's name and every record changed since the last harvest."""
    identify = _request(source.base_url, verb="Identify").find(f"{OAI}Identify")
    if identify is None:
        raise HarvestError(_("The repository did not identify itself."))
    name = (identify.findtext(f"{OAI}repositoryName") or "").strip()
    granularity = (identify.findtext(f"{OAI}granularity") or "").strip()
    arguments = {"verb": "ListRecords", "metadataPrefix": "oai_dc"}
    if source.set_spec:
        arguments["set"] = source.set_spec
    if source.last_datestamp:
        arguments["from"] = _from_argument(source.last_datestamp, granularity)
    found: list[dict[str, Any]] = []
    for _page in range(MAX_PAGES):
        root = _request(source.base_url, **arguments)
        listing = root.find(f"{OAI}ListRecords")
        if listing is None:
            break  # noRecordsMatch
        for record in listing.findall(f"{OAI}record"):
            parsed = parse_record(record, source.base_url)
            if parsed is not None:
                found.append(parsed)
        token = (listing.findtext(f"{OAI}resumptionToken") or "").strip()
        if not token:
            break
        arguments = {"verb": "ListRecords", "resumptionToken": token}
    else:
        raise HarvestError(_("The repository's list did not end."))
    return name, found


FIELDS = ("title", "description", "creator", "subjects", "language", "link")


def _same(row: HarvestedRecord, item: dict[str, Any]) -> bool:
    return (
        row.datestamp == item["datestamp"]
        and all(getattr(row, name) == item[name] for name in FIELDS)
        and row.metadata_ == item["metadata"]
    )


def harvest(base_url: str, set_spec: str | None = None) -> Harvested:
    """Import what changed in the repository at ``base_url`` (in ``set_spec``) since the last
    harvest; flushes, the caller commits. Raises :class:`HarvestError` before any change."""
    base_url = base_url.strip()
    if not _is_web(base_url):
        raise HarvestError(_("The repository's address must start with http:// or https://."))
    source = db.session.scalar(
        select(HarvestSource).where(
            HarvestSource.base_url == base_url, HarvestSource.set_spec == (set_spec or "")
        )
    )
    if source is None:
        source = HarvestSource(base_url=base_url, set_spec=set_spec or "")
    name, found = fetch_all(source)
    result = Harvested(seen=len(found))
    if source.id is None:
        db.session.add(source)
        db.session.flush()
    source.repository_name = name[:300]
    existing = {
        row.identifier: row
        for row in db.session.scalars(
            select(HarvestedRecord).where(HarvestedRecord.source_id == source.id)
        )
    }
    now = datetime.now(UTC)
    for item in found:
        row = existing.get(item["identifier"])
        if result.last_datestamp is None or item["datestamp"] > result.last_datestamp:
            result.last_datestamp = item["datestamp"]
        if item["deleted"]:
            if row is not None:
                db.session.delete(row)
                del existing[item["identifier"]]
                result.deleted += 1
            continue
        if row is None:
            row = HarvestedRecord(source_id=source.id, identifier=item["identifier"])
            db.session.add(row)
            existing[item["identifier"]] = row
            result.added += 1
        elif _same(row, item):
            continue  # asked again because ``from`` is inclusive: unchanged
        else:
            result.updated += 1
        row.datestamp = item["datestamp"]
        for name in FIELDS:
            setattr(row, name, item[name])
        row.metadata_ = item["metadata"]
        row.harvested_at = now
    if result.last_datestamp and (
        not source.last_datestamp or result.last_datestamp > source.last_datestamp
    ):
        source.last_datestamp = result.last_datestamp
    source.harvested_at = now
    db.session.flush()
    logger.info(
        "harvested %s set %r: %d added, %d updated, %d deleted",
        base_url,
        set_spec,
        result.added,
        result.updated,
        result.deleted,
    )
    return result
