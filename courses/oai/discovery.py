"""Harvested records as search documents (wired in ``portal.searching``): one root and one
document per record, ``harvested:<id>`` → ``harvested:<id>:<language>``, whose URL is the
record's page at its source (the search links there, never to a local resource)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import select

from courses.discovery import HARVESTED
from courses.oai.models import HarvestedRecord, HarvestSource
from courses.resources.vocabulary import SUBJECTS
from portal.extensions import db

ROOT_KINDS = (HARVESTED,)


def owns(key: str) -> bool:
    """Whether a root or document key is one of this module's."""
    return key.partition(":")[0] == HARVESTED


def watch(register: Any) -> None:
    """Tell the outbox which changes touch which root (``register(Model, roots)``)."""
    register(HarvestedRecord, lambda record: [f"{HARVESTED}:{record.id}"])


def _numbers(keys: Iterable[str]) -> list[int]:
    numbers = []
    for key in keys:
        number = key.split(":")[1] if key.count(":") >= 1 else ""
        if number.isdigit():
            numbers.append(int(number))
    return numbers


def documents(roots: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
    """The current document of each root (an empty list once the record is gone)."""
    found: dict[str, list[dict[str, Any]]] = {root: [] for root in roots}
    numbers = _numbers(roots)
    if numbers:
        query = select(HarvestedRecord, HarvestSource.repository_name).join(
            HarvestSource, HarvestSource.id == HarvestedRecord.source_id
        )
        for record, repository in db.session.execute(query.where(HarvestedRecord.id.in_(numbers))):
            found[f"{HARVESTED}:{record.id}"] = [_document(record, repository)]
    return found


def all_roots() -> Iterator[str]:
    for (number,) in db.session.execute(select(HarvestedRecord.id).order_by(HarvestedRecord.id)):
        yield f"{HARVESTED}:{number}"


def _document(record: HarvestedRecord, repository: str) -> dict[str, Any]:
    # Subjects of the source that match our vocabulary's codes feed the subject facet.
    subjects = [s for s in record.subjects if s in SUBJECTS]
    words = [record.description, record.creator, *record.subjects]
    return {
        "key": f"{HARVESTED}:{record.id}:{record.language or 'und'}",
        "root": f"{HARVESTED}:{record.id}",
        "kind": HARVESTED,
        "language": record.language or "und",
        "title": record.title or record.identifier,
        "body": "\n".join(filter(None, words)),
        "url": record.link,
        "context": repository,
        "subjects": subjects,
    }


def visible(hits: Iterable[Any]) -> set[str]:
    """The keys of ``hits`` whose record is still here (everybody may follow them)."""
    hits = list(hits)
    numbers = _numbers(hit.key for hit in hits)
    if not numbers:
        return set()
    kept = set(
        db.session.scalars(select(HarvestedRecord.id).where(HarvestedRecord.id.in_(numbers)))
    )
    return {hit.key for hit in hits if _numbers([hit.key])[0] in kept}


__all__ = ["ROOT_KINDS", "all_roots", "documents", "owns", "visible", "watch"]
