"""Criteria sets in the database: loading a file's ``Definition`` (a new version, or an
unchanged one; never a changed text under a version an assessment uses), looking them up, and
the ``Definition`` of a stored set."""

from __future__ import annotations

import logging
from datetime import date

from sqlalchemy import exists, select

from portal.extensions import db
from portal.recognition.criteria import CriteriaError, Definition, digest, validate
from portal.recognition.models import Assessment, CriteriaSet

logger = logging.getLogger(__name__)


def load(definition: Definition) -> tuple[CriteriaSet, str]:
    """Store ``definition``; returns the row and what happened: "added", "unchanged" or
    "updated" (a version no assessment uses yet may still be corrected in place).
    ``CriteriaError`` when the version is in use and its text differs."""
    fingerprint = digest(definition)
    row = db.session.scalar(
        select(CriteriaSet).where(
            CriteriaSet.code == definition.code, CriteriaSet.version == definition.version
        )
    )
    if row is not None and row.digest == fingerprint:
        return row, "unchanged"
    if row is not None and in_use(row):
        raise CriteriaError(
            [
                f"version {definition.version} of {definition.code!r} is used by assessments "
                "and cannot change; give the new text version "
                f"{latest_version(definition.code) + 1}"
            ]
        )
    outcome = "updated" if row is not None else "added"
    if row is None:
        row = CriteriaSet(code=definition.code, version=definition.version)
        db.session.add(row)
    row.model = definition.model
    row.respondent_group = definition.respondent_group
    row.is_sample = definition.sample
    row.effective_from = definition.effective_from
    row.effective_to = definition.effective_to
    row.definition = dict(definition.document)
    row.digest = fingerprint
    db.session.flush()
    logger.info("criteria set %s v%s %s", definition.code, definition.version, outcome)
    return row, outcome


def in_use(row: CriteriaSet) -> bool:
    return bool(db.session.scalar(select(exists().where(Assessment.criteria_set_id == row.id))))


def latest_version(code: str) -> int:
    versions = db.session.scalars(select(CriteriaSet.version).where(CriteriaSet.code == code))
    return max(versions, default=0)


_PARSED: dict[str, Definition] = {}  # by digest: a stored text never changes under it


def definition_of(row: CriteriaSet) -> Definition:
    """The validated ``Definition`` of a stored set (parsed once per text and process)."""
    found = _PARSED.get(row.digest)
    if found is None:
        found = _PARSED[row.digest] = validate(row.definition)
    return found


def sets_in_force(model: str, day: date) -> list[CriteriaSet]:
    """The latest version of each set of ``model`` in force on ``day``, by code."""
    rows = db.session.scalars(
        select(CriteriaSet)
        .where(CriteriaSet.model == model, CriteriaSet.effective_from <= day)
        .order_by(CriteriaSet.code, CriteriaSet.version.desc())
    )
    latest: dict[str, CriteriaSet] = {}
    for row in rows:
        if row.code not in latest and row.in_force_on(day):
            latest[row.code] = row
    return list(latest.values())


def find(code: str, version: int | None = None) -> CriteriaSet | None:
    query = select(CriteriaSet).where(CriteriaSet.code == code)
    if version is not None:
        query = query.where(CriteriaSet.version == version)
    return db.session.scalar(query.order_by(CriteriaSet.version.desc()).limit(1))
