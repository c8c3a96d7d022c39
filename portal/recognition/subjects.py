"""What a round needs before it starts, kept by commune officers and administrators: clans
and units of a commune (the subjects ``portal.places`` does not hold), and the year's
deadlines. Verbs flush, log who changed what and never commit."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.accounts.models import User
from portal.extensions import db
from portal.operation_errors import OperationError
from portal.places.models import AdminUnit, Household, Village
from portal.places.queries import find_user
from portal.recognition.calendar import STEPS
from portal.recognition.models import (
    Clan,
    ClanHousehold,
    Model,
    Organisation,
    OrganisationStaff,
    RecognitionDeadline,
)
from portal.text import nfc

logger = logging.getLogger(__name__)

KINDS = ("agency", "school", "enterprise", "other")
LEVELS = ("commune", "province")
MAX_STAFF = 2000

MESSAGES = {
    "name_required": _l("Enter a name."),
    "wrong_village": _l("Choose a village of this commune."),
    "wrong_household": _l("Choose households of this commune."),
    "bad_kind": _l("Choose a kind from the list."),
    "bad_level": _l("Choose a level from the list."),
    "too_many_staff": _l("A unit can list at most 2,000 people here."),
    "bad_deadline": _l("Choose a title and a step from the list."),
}


class SubjectError(OperationError):
    """Refused; ``code`` keys :data:`MESSAGES`."""

    @property
    def message(self) -> str:
        return str(MESSAGES[self.code])


_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _name(text: str | None, limit: int) -> str:
    name = " ".join(nfc(_CONTROLS.sub("", text or "")).split())[:limit]
    if not name:
        raise SubjectError("name_required")
    return name


def create_clan(
    commune: AdminUnit,
    *,
    name: str,
    village: Village | None,
    households: Iterable[Household],
    by: User,
) -> Clan:
    """A clan recorded under ``commune`` (where its ancestral hall is), with its member
    households of that commune."""
    if village is not None and village.commune_id != commune.id:
        raise SubjectError("wrong_village")
    members = list({h.id: h for h in households}.values())
    if any(h.village.commune_id != commune.id for h in members):
        raise SubjectError("wrong_household")
    clan = Clan(
        name=_name(name, 200),
        commune_id=commune.id,
        village_id=village.id if village else None,
        created_by_id=by.id,
    )
    clan.households = [ClanHousehold(household_id=h.id) for h in members]
    db.session.add(clan)
    db.session.flush()
    logger.info("clan %s created in commune %s by user %s", clan.id, commune.code, by.id)
    return clan


def create_organisation(
    commune: AdminUnit,
    *,
    name: str,
    kind: str,
    level: str,
    staff: Iterable[str] = (),
    by: User,
) -> Organisation:
    """A unit of ``commune``; ``staff`` lines are a mobile number or e-mail address of
    someone with an account, or the full name of someone without one."""
    if kind not in KINDS:
        raise SubjectError("bad_kind")
    if level not in LEVELS:
        raise SubjectError("bad_level")
    lines = [" ".join(nfc(_CONTROLS.sub("", line)).split())[:200] for line in staff]
    lines = [line for line in lines if line]
    if len(lines) > MAX_STAFF:
        raise SubjectError("too_many_staff")
    organisation = Organisation(
        name=_name(name, 300), kind=kind, level=level, commune_id=commune.id, created_by_id=by.id
    )
    seen: set[int] = set()
    for line in lines:
        user = find_user(line) if any(ch.isdigit() or ch == "@" for ch in line) else None
        if user is not None and user.id in seen:
            continue
        if user is not None:
            seen.add(user.id)
        organisation.staff.append(
            OrganisationStaff(
                user_id=user.id if user else None, full_name=user.full_name if user else line
            )
        )
    db.session.add(organisation)
    db.session.flush()
    logger.info(
        "organisation %s (%s staff) created in commune %s by user %s",
        organisation.id,
        len(organisation.staff),
        commune.code,
        by.id,
    )
    return organisation


def set_deadline(
    year: int, model: str, step: str, due_on: date, *, by: User
) -> RecognitionDeadline:
    """The last day of ``step`` for ``model`` in the round of ``year``."""
    if model not in set(Model) or step not in STEPS:
        raise SubjectError("bad_deadline")
    row = db.session.scalar(
        select(RecognitionDeadline).where(
            RecognitionDeadline.year == year,
            RecognitionDeadline.model == model,
            RecognitionDeadline.step == step,
        )
    )
    if row is None:
        row = RecognitionDeadline(year=year, model=model, step=step)
        db.session.add(row)
    row.due_on = due_on
    row.set_by_id = by.id
    db.session.flush()
    logger.info("deadline %s %s %s set to %s by user %s", year, model, step, due_on, by.id)
    return row
