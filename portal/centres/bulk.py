"""Spreadsheet imports of learners into a class: upload (read, check, keep the file and
record the preview), confirm (import every valid row in the request's one transaction) and
discard. Like the operations they flush and never commit.

Confirming enrols in bulk, with the rules of the one-by-one verbs
(:mod:`portal.centres.operations`): a row names the person with its national ID when one has
it, else the person with the same phone and folded name; a new person is linked to the
account with their phone and folded name when it is not linked yet; someone already in the
class is counted, not enrolled twice; places go in file order and the rest are waitlisted.
People and enrolments are looked up and inserted in batches (``IN`` lists of
:data:`CHUNK`, multi-row inserts), so 10,000 rows take seconds, not minutes.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, TypeVar

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, insert, select

from portal.accounts.models import User
from portal.centres import imports
from portal.centres.imports import Checked, Limits, Table, ValidRow
from portal.centres.models import (
    CentreClass,
    ClassEnrolment,
    ClassStatus,
    EnrolmentImport,
    EnrolmentStatus,
    ImportStatus,
    Person,
)
from portal.centres.operations import NAME_LIMIT, lock_class, places_taken
from portal.extensions import db
from portal.operation_errors import OperationError
from portal.places.models import AdminUnit, Level
from portal.places.queries import in_force_on
from portal.places.queries import today as vietnam_today
from portal.storage import NotFound, TooLarge, get_storage
from portal.text import fold

logger = logging.getLogger(__name__)

CHUNK = 500
T = TypeVar("T")

MESSAGES = {
    "class_closed": _l("This class no longer takes enrolments, so nothing can be imported."),
    "not_previewed": _l("This import was already confirmed or discarded."),
    "file_gone": _l("The uploaded file is no longer kept: upload it again."),
    "no_file": _l("Choose a CSV or XLSX file to upload."),
}


class ImportRefused(OperationError):
    """An import was refused; ``code`` keys :data:`MESSAGES`."""

    @property
    def message(self) -> str:
        return str(MESSAGES[self.code])


@dataclass
class Outcome:
    added: int = 0  # new enrolments, enrolled or waitlisted
    waitlisted: int = 0
    already: int = 0  # already in the class (or twice in the file under two identities)


def _listed(values: Sequence[Any]) -> Any:
    """An ``IN`` list written into the SQL (values are cleaned digits and ``+``): each
    chunk's statement is its own, so PostgreSQL plans it with the values at hand, never
    with a generic plan made while the table was small (psycopg prepares a statement run
    five times; a generic plan of ``IN ($1 .. $500)`` scans the whole table per chunk)."""
    return bindparam("listed", list(values), expanding=True, literal_execute=True)


def _chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def utcnow() -> datetime:
    return datetime.now(UTC)


# Reading ----------------------------------------------------------------------------------------


def commune_ids(codes: set[str], day: date | None = None) -> dict[str, int]:
    """Ids of the communes in force (today in Vietnam) with these codes."""
    found: dict[str, int] = {}
    day = day or vietnam_today()
    codes = {code for code in codes if code.isdigit() and len(code) <= 8}  # no other matches
    for chunk in _chunks(sorted(codes)):
        found.update(
            db.session.execute(
                select(AdminUnit.code, AdminUnit.id).where(
                    AdminUnit.level == Level.COMMUNE,
                    AdminUnit.code.in_(_listed(chunk)),
                    in_force_on(day),
                )
            ).all()
        )
    return found


def read_and_check(
    filename: str, data: bytes, limits: Limits, first: int | None = None
) -> tuple[Table, Checked]:
    """Read a file (or its ``first`` rows) and check its rows (raises
    :class:`imports.FileRefused`)."""
    table = imports.read_file(filename, data, limits, first)
    checked = imports.check(
        table, communes=commune_ids(imports.commune_codes(table)), today=vietnam_today()
    )
    return table, checked


def already_in_class(centre_class: CentreClass, rows: list[ValidRow]) -> int:
    """How many valid rows name someone already in the class (not withdrawn)."""
    people = _existing_people([r.details for r in rows])
    ids = {pid for pid in (_match(r.details, *people) for r in rows) if pid is not None}
    present = _enrolments(centre_class)
    return sum(1 for pid in ids if pid in present and present[pid][1] != EnrolmentStatus.WITHDRAWN)


# Upload, confirm, discard ---------------------------------------------------------------------


def upload(
    centre_class: CentreClass, *, filename: str, data: bytes, limits: Limits, by: User | None
) -> EnrolmentImport:
    """Check a file and record its preview; the file is kept in storage until it is imported
    or discarded. A file refused as a whole (:class:`imports.FileRefused`) is not kept."""
    if centre_class.status != ClassStatus.OPEN:
        raise ImportRefused("class_closed")
    if not filename:
        raise ImportRefused("no_file")
    table, checked = read_and_check(filename, data, limits)
    extension = "xlsx" if table.kind == "xlsx" else "csv"
    key = f"centres/imports/{centre_class.id}/{uuid.uuid4().hex}.{extension}"
    storage = get_storage()
    try:
        stored = storage.save(
            key,
            _Bytes(data),
            content_type="text/csv" if extension == "csv" else imports.XLSX_TYPE,
            max_bytes=limits.max_bytes,
        )
    except TooLarge:
        raise imports.FileRefused("too_large", limit=imports.megabytes(limits.max_bytes)) from None
    try:
        with db.session.begin_nested():
            record = EnrolmentImport(
                class_id=centre_class.id,
                filename=imports.safe_name(filename),
                sha256=stored.sha256,
                size=stored.size,
                storage_key=key,
                rows_total=checked.total,
                rows_valid=len(checked.valid),
                rows_rejected=len(checked.rejected),
                rows_already=already_in_class(centre_class, checked.valid),
                rejected=checked.rejected,
                created_by_id=by.id if by else None,
            )
            db.session.add(record)
            db.session.flush()
    except Exception:
        storage.delete(key)
        raise
    logger.info(
        "user %s previewed import %s into class %s: %s valid, %s rejected",
        by.id if by else None, record.id, centre_class.id, record.rows_valid,
        record.rows_rejected,
    )  # fmt: skip
    return record


def stored_data(record: EnrolmentImport) -> bytes:
    if not record.storage_key:
        raise ImportRefused("file_gone")
    try:
        with get_storage().open(record.storage_key) as file:
            return bytes(file.read())
    except NotFound:
        raise ImportRefused("file_gone") from None


def reread(
    record: EnrolmentImport, limits: Limits, first: int | None = None
) -> tuple[Table, Checked]:
    """The kept file read and checked again (the database may have changed since); with
    ``first``, only its first rows, for the preview page."""
    return read_and_check(record.filename, stored_data(record), limits, first)


def confirm(record: EnrolmentImport, *, limits: Limits, by: User | None) -> Outcome:
    """Import every valid row of a previewed file. All or nothing: the caller's transaction
    holds every person and enrolment added, and any failure rolls them all back. The kept
    file is deleted by :func:`forget_file` once the transaction is committed."""
    if record.status != ImportStatus.PREVIEWED:
        raise ImportRefused("not_previewed")
    centre_class = record.centre_class
    if centre_class.status != ClassStatus.OPEN:
        raise ImportRefused("class_closed")
    _table, checked = reread(record, limits)
    outcome = enrol_rows(centre_class, checked.valid, by=by, import_id=record.id)
    record.status = ImportStatus.IMPORTED.value
    record.imported_at = utcnow()
    record.rows_total = checked.total
    record.rows_valid = len(checked.valid)
    record.rows_rejected = len(checked.rejected)
    record.rejected = checked.rejected
    record.rows_added = outcome.added
    record.rows_waitlisted = outcome.waitlisted
    record.rows_already = outcome.already
    db.session.flush()
    logger.info(
        "user %s imported %s into class %s: %s added (%s waitlisted), %s already there",
        by.id if by else None, record.id, centre_class.id, outcome.added, outcome.waitlisted,
        outcome.already,
    )  # fmt: skip
    return outcome


def discard(record: EnrolmentImport, *, by: User | None) -> None:
    if record.status != ImportStatus.PREVIEWED:
        raise ImportRefused("not_previewed")
    record.status = ImportStatus.DISCARDED.value
    db.session.flush()
    logger.info("user %s discarded import %s", by.id if by else None, record.id)


def forget_file(record: EnrolmentImport) -> None:
    """Delete the kept file of an import that is no longer previewed (after the commit)."""
    if record.storage_key and record.status != ImportStatus.PREVIEWED:
        get_storage().delete(record.storage_key)
        record.storage_key = None
        db.session.flush()


class _Bytes:
    def __init__(self, data: bytes) -> None:
        self._data = memoryview(data)
        self._at = 0

    def read(self, size: int = -1, /) -> bytes:
        end = len(self._data) if size is None or size < 0 else self._at + size
        piece = bytes(self._data[self._at : end])
        self._at += len(piece)
        return piece


# Enrolling in bulk ----------------------------------------------------------------------------


def _folded(name: str) -> str:
    return fold(name)[:NAME_LIMIT]


def _existing_people(
    details: list[Any],
) -> tuple[dict[str, int], dict[tuple[str, str], int]]:
    """Existing people by national ID, and by (phone, folded name) → the oldest one."""
    by_national_id: dict[str, int] = {}
    national_ids = sorted({d.national_id for d in details if d.national_id})
    for chunk in _chunks(national_ids):
        by_national_id.update(
            db.session.execute(
                select(Person.national_id, Person.id).where(Person.national_id.in_(_listed(chunk)))
            ).all()
        )
    by_phone_name: dict[tuple[str, str], int] = {}
    phones = sorted({d.phone for d in details if d.phone})
    for chunk in _chunks(phones):
        for phone, folded, pid in db.session.execute(
            select(Person.phone, Person.name_folded, Person.id)
            .where(Person.phone.in_(_listed(chunk)))
            .order_by(Person.id)
        ).all():
            by_phone_name.setdefault((phone, folded), pid)
    return by_national_id, by_phone_name


def _match(
    details: Any, by_national_id: dict[str, int], by_phone_name: dict[tuple[str, str], int]
) -> int | None:
    """:func:`operations.find_person` on the preloaded maps."""
    if details.national_id and details.national_id in by_national_id:
        return by_national_id[details.national_id]
    if details.phone:
        return by_phone_name.get((details.phone, _folded(details.full_name)))
    return None


def _accounts(new: list[Any]) -> list[int | None]:
    """:func:`operations.account_for` for each new person, at most once per account."""
    phones = sorted({d.phone for d in new if d.phone})
    users: dict[str, tuple[int, str]] = {}
    for chunk in _chunks(phones):
        for uid, phone, name in db.session.execute(
            select(User.id, User.phone, User.full_name).where(User.phone.in_(_listed(chunk)))
        ).all():
            users[phone] = (uid, fold(name))
    taken: set[int] = set()
    candidates = sorted(uid for uid, _name in users.values())
    for chunk in _chunks(candidates):
        taken.update(
            db.session.scalars(
                select(Person.user_id).where(Person.user_id.in_(_listed(chunk)))
            ).all()
        )
    found: list[int | None] = []
    for details in new:
        user = users.get(details.phone or "")
        if user is None or user[1] != fold(details.full_name) or user[0] in taken:
            found.append(None)
            continue
        taken.add(user[0])
        found.append(user[0])
    return found


def _enrolments(centre_class: CentreClass) -> dict[int, tuple[int, str]]:
    """person id → (enrolment id, status) of everyone in the class."""
    rows = db.session.execute(
        select(ClassEnrolment.person_id, ClassEnrolment.id, ClassEnrolment.status).where(
            ClassEnrolment.class_id == centre_class.id
        )
    ).all()
    return {pid: (eid, status) for pid, eid, status in rows}


def _add_people(new: list[Any], *, centre_id: int, by: User | None) -> list[int]:
    if not new:
        return []
    accounts = _accounts(new)
    now = utcnow()
    values = [
        {
            "full_name": d.full_name,
            "name_folded": _folded(d.full_name),
            "phone": d.phone,
            "national_id": d.national_id,
            "birth_date": d.birth_date,
            "birth_year": d.birth_year or (d.birth_date.year if d.birth_date else None),
            "gender": d.gender,
            "ethnicity_code": d.ethnicity_code,
            "disability": d.disability,
            "occupation_group": d.occupation_group,
            "commune_id": d.commune_id,
            "user_id": user_id,
            "created_at": now,
            "created_by_id": by.id if by else None,
            "centre_id": centre_id,
        }
        for d, user_id in zip(new, accounts, strict=True)
    ]
    ids: list[int] = []
    for chunk in _chunks(values):
        ids.extend(
            db.session.scalars(
                insert(Person).returning(Person.id, sort_by_parameter_order=True), list(chunk)
            ).all()
        )
    return ids


def _insert_enrolments(values: list[dict[str, Any]]) -> None:
    for chunk in _chunks(values):
        db.session.execute(insert(ClassEnrolment), list(chunk))


def enrol_rows(
    centre_class: CentreClass, rows: list[ValidRow], *, by: User | None, import_id: int | None
) -> Outcome:
    """Find or add the person of every row and enrol them, in file order, while the class
    has places; the rest are waitlisted. Someone already enrolled, waitlisted or with a
    result is counted in ``already``; someone who withdrew is enrolled again."""
    if centre_class.status != ClassStatus.OPEN:
        raise ImportRefused("class_closed")
    lock_class(centre_class)
    details = [r.details for r in rows]
    by_national_id, by_phone_name = _existing_people(details)
    person_ids: list[int | None] = [_match(d, by_national_id, by_phone_name) for d in details]
    new_at = [i for i, pid in enumerate(person_ids) if pid is None]
    new_ids = _add_people([details[i] for i in new_at], centre_id=centre_class.centre_id, by=by)
    for i, pid in zip(new_at, new_ids, strict=True):
        person_ids[i] = pid

    present = _enrolments(centre_class)
    free = centre_class.capacity - places_taken(centre_class)
    outcome = Outcome()
    seen: set[int] = set()
    now = utcnow()
    inserts: list[dict[str, Any]] = []
    for pid in person_ids:
        assert pid is not None
        enrolment = present.get(pid)
        if pid in seen or (enrolment and enrolment[1] != EnrolmentStatus.WITHDRAWN):
            outcome.already += 1
            continue
        seen.add(pid)
        status = EnrolmentStatus.ENROLLED if free > 0 else EnrolmentStatus.WAITLISTED
        free -= status == EnrolmentStatus.ENROLLED
        outcome.added += 1
        outcome.waitlisted += status == EnrolmentStatus.WAITLISTED
        if enrolment is not None:  # withdrew earlier: enrolled again, as enrol() does
            again = db.session.get(ClassEnrolment, enrolment[0])
            assert again is not None
            again.status = status.value
            again.enrolled_at = now
            again.withdrawn_at = None
            again.withdrawal_reason = None
            again.enrolled_by_id = by.id if by else None
            continue
        inserts.append(
            {
                "class_id": centre_class.id,
                "person_id": pid,
                "registration": str(uuid.uuid4()),
                "status": status.value,
                "enrolled_at": now,
                "import_id": import_id,
                "enrolled_by_id": by.id if by else None,
            }
        )
    _insert_enrolments(inserts)
    db.session.flush()
    return outcome


def history(centre_class: CentreClass) -> list[EnrolmentImport]:
    return list(
        db.session.scalars(
            select(EnrolmentImport)
            .where(EnrolmentImport.class_id == centre_class.id)
            .order_by(EnrolmentImport.created_at.desc(), EnrolmentImport.id.desc())
        )
    )


def imported_before(record: EnrolmentImport) -> EnrolmentImport | None:
    """An earlier import of the same file (same SHA-256) into the same class."""
    return db.session.scalar(
        select(EnrolmentImport)
        .where(
            EnrolmentImport.class_id == record.class_id,
            EnrolmentImport.sha256 == record.sha256,
            EnrolmentImport.status == ImportStatus.IMPORTED,
            EnrolmentImport.id != record.id,
        )
        .order_by(EnrolmentImport.imported_at.desc())
        .limit(1)
    )
