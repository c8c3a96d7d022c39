"""The six OAI-PMH verbs over the published resources. :func:`respond` checks the
arguments and returns the whole ``<OAI-PMH>`` response; protocol errors become ``<error>``
elements, never HTTP errors."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import current_app
from lxml import etree
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import selectinload

from courses.oai import records, tokens
from courses.oai.errors import OaiError
from courses.oai.models import OaiRecord
from courses.oai.stamps import to_second
from courses.resources.models import Resource
from courses.resources.vocabulary import SUBJECTS
from portal.extensions import db
from portal.i18n import LANGUAGES

OAI = "http://www.openarchives.org/OAI/2.0/"
OAI_IDENTIFIER = "http://www.openarchives.org/OAI/2.0/oai-identifier"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA = f"{OAI} http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
GRANULARITY = "YYYY-MM-DDThh:mm:ssZ"
DEFAULT_PAGE_SIZE = 100
REPOSITORY_NAME = "Lifelong Learning Portal"

LIST_ARGUMENTS = {"metadataPrefix", "from", "until", "set"}
# verb → (required, optional) arguments, besides ``verb``; a resumption token is exclusive.
VERBS: dict[str, tuple[set[str], set[str]]] = {
    "Identify": (set(), set()),
    "ListMetadataFormats": (set(), {"identifier"}),
    "ListSets": (set(), {"resumptionToken"}),
    "GetRecord": ({"identifier", "metadataPrefix"}, set()),
    "ListIdentifiers": ({"metadataPrefix"}, {"from", "until", "set"}),
    "ListRecords": ({"metadataPrefix"}, {"from", "until", "set"}),
}
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_SECOND = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")
_table = OaiRecord.__table__


def stamp(moment: datetime) -> str:
    return to_second(moment).strftime("%Y-%m-%dT%H:%M:%SZ")


def page_size() -> int:
    return int(current_app.config.get("PORTAL_OAI_PAGE_SIZE", DEFAULT_PAGE_SIZE))


def respond(arguments: Mapping[str, Sequence[str]]) -> bytes:
    """The response to a request with these arguments (each name → its values)."""
    root = etree.Element(
        f"{{{OAI}}}OAI-PMH", {f"{{{XSI}}}schemaLocation": SCHEMA}, nsmap={None: OAI, "xsi": XSI}
    )
    _sub(root, "responseDate", stamp(datetime.now(UTC)))
    request = _sub(root, "request", records.base_url() + "/oai")
    try:
        verb, args = _check(arguments)
        for name, value in args.items():
            request.set(name, value)
        request.set("verb", verb)
        HANDLERS[verb](root, args)
    except OaiError as error:
        for name in list(request.attrib):
            if not error.echoes_request:
                del request.attrib[name]
        del root[2:]
        _sub(root, "error", error.message).set("code", error.code)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _sub(parent: etree._Element, name: str, text: str | None = None) -> etree._Element:
    element = etree.SubElement(parent, f"{{{OAI}}}{name}")
    if text is not None:
        element.text = text
    return element


def _check(arguments: Mapping[str, Sequence[str]]) -> tuple[str, dict[str, str]]:
    verbs = list(arguments.get("verb", ()))
    if len(verbs) != 1 or verbs[0] not in VERBS:
        message = "The verb is repeated." if len(verbs) > 1 else "The verb is missing or unknown."
        raise OaiError("badVerb", message)
    verb = verbs[0]
    args: dict[str, str] = {}
    for name, values in arguments.items():
        if name == "verb":
            continue
        if len(values) != 1:
            raise OaiError("badArgument", f"The argument {name} is repeated.")
        args[name] = values[0]
    required, optional = VERBS[verb]
    if "resumptionToken" in args and verb in ("ListIdentifiers", "ListRecords", "ListSets"):
        if len(args) > 1:
            raise OaiError("badArgument", "A resumptionToken must be the only argument.")
        return verb, args
    illegal = sorted(set(args) - required - optional)
    if illegal:
        raise OaiError("badArgument", f"Illegal argument for {verb}: {', '.join(illegal)}.")
    missing = sorted(required - set(args))
    if missing:
        raise OaiError("badArgument", f"Missing argument for {verb}: {', '.join(missing)}.")
    return verb, args


def _earliest() -> datetime:
    found = db.session.scalar(select(func.min(_table.c.datestamp)))
    return to_second(found) if found is not None else to_second(datetime.now(UTC))


def identify(root: etree._Element, _args: dict[str, str]) -> None:
    element = _sub(root, "Identify")
    _sub(element, "repositoryName", REPOSITORY_NAME)
    _sub(element, "baseURL", records.base_url() + "/oai")
    _sub(element, "protocolVersion", "2.0")
    host = records.repository_host()
    email = current_app.config.get("PORTAL_OAI_ADMIN_EMAIL") or f"oai@{host}"
    _sub(element, "adminEmail", email)
    _sub(element, "earliestDatestamp", stamp(_earliest()))
    _sub(element, "deletedRecord", "persistent")
    _sub(element, "granularity", GRANULARITY)
    if re.fullmatch(r"[a-zA-Z][a-zA-Z0-9\-]*(\.[a-zA-Z][a-zA-Z0-9\-]+)+", host):
        description = _sub(element, "description")
        ident = etree.SubElement(
            description,
            f"{{{OAI_IDENTIFIER}}}oai-identifier",
            {
                f"{{{XSI}}}schemaLocation": f"{OAI_IDENTIFIER} "
                "http://www.openarchives.org/OAI/2.0/oai-identifier.xsd"
            },
            nsmap={None: OAI_IDENTIFIER},
        )
        for name, text in (
            ("scheme", "oai"),
            ("repositoryIdentifier", host),
            ("delimiter", ":"),
            ("sampleIdentifier", records.identifier(1)),
        ):
            etree.SubElement(ident, f"{{{OAI_IDENTIFIER}}}{name}").text = text


def _record_row(text: str) -> Any:
    number = records.resource_id(text)
    row = None
    if number is not None:
        row = db.session.execute(select(_table).where(_table.c.resource_id == number)).first()
    if row is None:
        raise OaiError("idDoesNotExist", "No record has this identifier.")
    return row


def list_metadata_formats(root: etree._Element, args: dict[str, str]) -> None:
    if "identifier" in args:
        _record_row(args["identifier"])
    element = _sub(root, "ListMetadataFormats")
    for found in records.formats().values():
        item = _sub(element, "metadataFormat")
        _sub(item, "metadataPrefix", found.prefix)
        _sub(item, "schema", found.schema)
        _sub(item, "metadataNamespace", found.namespace)


def set_names() -> dict[str, str]:
    """Every set: subjects and languages, each under its parent set."""
    from portal.i18n import force_language

    names = {"subject": "Subjects"}
    with force_language("en"):
        names.update({f"subject:{code}": str(label) for code, label in SUBJECTS.items()})
    names["language"] = "Languages"
    names.update(
        {f"language:{code}": f"{lang.english} ({lang.endonym})" for code, lang in LANGUAGES.items()}
    )
    return names


def list_sets(root: etree._Element, args: dict[str, str]) -> None:
    if "resumptionToken" in args:
        raise OaiError("badResumptionToken", "ListSets is never split: no token is valid.")
    element = _sub(root, "ListSets")
    for spec, name in set_names().items():
        item = _sub(element, "set")
        _sub(item, "setSpec", spec)
        _sub(item, "setName", name)


def _format(prefix: str) -> str:
    if prefix not in records.formats():
        raise OaiError("cannotDisseminateFormat", f"The format {prefix} is not supported.")
    return prefix


def get_record(root: etree._Element, args: dict[str, str]) -> None:
    prefix = _format(args["metadataPrefix"])
    row = _record_row(args["identifier"])
    resources = _resources([row])
    element = _sub(root, "GetRecord")
    _record(element, row, resources.get(row.resource_id), prefix, metadata=True)


def _resources(rows: Sequence[Any]) -> dict[int, Resource]:
    numbers = [row.resource_id for row in rows if not row.is_deleted]
    if not numbers:
        return {}
    query = (
        select(Resource)
        .where(Resource.id.in_(numbers))
        .options(selectinload(Resource.revisions), selectinload(Resource.attachments))
    )
    return {resource.id: resource for resource in db.session.scalars(query)}


@functools.cache
def _known_specs() -> frozenset[str]:
    return frozenset(set_names())


def _specs(row: Any) -> list[str]:
    known = _known_specs()
    specs = [f"subject:{code}" for code in row.subjects.split(",") if code]
    specs += [f"language:{code}" for code in row.languages.split(",") if code]
    return [spec for spec in specs if spec in known]


def _record(
    parent: etree._Element, row: Any, resource: Resource | None, prefix: str, *, metadata: bool
) -> None:
    deleted = row.is_deleted or (
        metadata and (resource is None or resource.latest_revision is None)
    )
    record = _sub(parent, "record") if metadata else parent
    header = _sub(record, "header")
    if deleted:
        header.set("status", "deleted")
    _sub(header, "identifier", records.identifier(row.resource_id))
    _sub(header, "datestamp", stamp(row.datestamp))
    for spec in _specs(row):
        _sub(header, "setSpec", spec)
    if metadata and not deleted:
        assert resource is not None
        _sub(record, "metadata").append(records.metadata(resource, prefix))


def _moment(value: str, *, end: bool) -> tuple[datetime, str]:
    try:
        if _SECOND.fullmatch(value):
            return datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC), "second"
        if _DAY.fullmatch(value):
            day = datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=UTC)
            return (day + timedelta(days=1, seconds=-1) if end else day), "day"
    except ValueError:
        pass
    raise OaiError("badArgument", f"Not a date of this repository's granularity: {value}.")


def _conditions(query: dict[str, str]) -> list[Any]:
    conditions: list[Any] = []
    grains = set()
    start = end = None
    if query.get("from"):
        start, grain = _moment(query["from"], end=False)
        grains.add(grain)
        conditions.append(_table.c.datestamp >= start)
    if query.get("until"):
        end, grain = _moment(query["until"], end=True)
        grains.add(grain)
        conditions.append(_table.c.datestamp <= end)
    if len(grains) > 1:
        raise OaiError("badArgument", "from and until must have the same granularity.")
    if start is not None and end is not None and start > end:
        raise OaiError("badArgument", "from is later than until.")
    spec = query.get("set")
    if spec:
        kind, _, code = spec.partition(":")
        column = {"subject": _table.c.subjects, "language": _table.c.languages}.get(kind)
        if spec not in set_names() or column is None:
            raise OaiError("noRecordsMatch", "This repository has no such set.")
        if code:
            conditions.append(column.contains(f",{code},", autoescape=True))
        else:
            conditions.append(column != ",")
    return conditions


def _list(root: etree._Element, args: dict[str, str], verb: str) -> None:
    last: tuple[str, int] | None = None
    cursor = 0
    token = args.get("resumptionToken")
    if token is not None:
        query, last, cursor = tokens.read(token)
        if query.get("verb") != verb:
            raise OaiError("badResumptionToken", "The resumption token is for another verb.")
    else:
        query = {"verb": verb, **{k: v for k, v in args.items() if k in LIST_ARGUMENTS}}
    prefix = _format(str(query.get("metadataPrefix", "")))
    conditions = _conditions(query)
    total = db.session.scalar(select(func.count()).select_from(_table).where(*conditions)) or 0
    page = select(_table).where(*conditions)
    if last is not None:
        after = datetime.strptime(last[0], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
        page = page.where(
            or_(
                _table.c.datestamp > after,
                and_(_table.c.datestamp == after, _table.c.resource_id > last[1]),
            )
        )
    size = page_size()
    rows = db.session.execute(
        page.order_by(_table.c.datestamp, _table.c.resource_id).limit(size + 1)
    ).all()
    if not rows:  # (after a token: the records left had left the set meanwhile)
        raise OaiError("noRecordsMatch", "No record matches these arguments.")
    more, rows = len(rows) > size, rows[:size]
    resources = _resources(rows) if verb == "ListRecords" else {}
    element = _sub(root, verb)
    with_metadata = verb == "ListRecords"
    for row in rows:
        _record(element, row, resources.get(row.resource_id), prefix, metadata=with_metadata)
    if more or token is not None:
        resumption = _sub(element, "resumptionToken", "")
        resumption.set("completeListSize", str(total))
        resumption.set("cursor", str(cursor))
        if more:
            last_row = rows[-1]
            text, expires = tokens.make(
                query, (stamp(last_row.datestamp), last_row.resource_id), cursor + len(rows)
            )
            resumption.text = text
            resumption.set("expirationDate", stamp(expires))


def list_identifiers(root: etree._Element, args: dict[str, str]) -> None:
    _list(root, args, "ListIdentifiers")


def list_records(root: etree._Element, args: dict[str, str]) -> None:
    _list(root, args, "ListRecords")


HANDLERS = {
    "Identify": identify,
    "ListMetadataFormats": list_metadata_formats,
    "ListSets": list_sets,
    "GetRecord": get_record,
    "ListIdentifiers": list_identifiers,
    "ListRecords": list_records,
}
