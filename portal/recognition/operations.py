"""Verbs of the yearly round: register a subject for a title, answer the form, submit,
review (adjust a score with a reason, accept, return for changes), recognise or decline, and
withdraw. Each one checks the assessment's state, writes the audit trail, rescores, flushes
and never commits; access (who may do it) is the view's check (``portal.recognition.access``).
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.accounts.models import User
from portal.extensions import db
from portal.operation_errors import OperationError
from portal.places.models import AdminUnit, Household, HouseholdMember, Relation, Village
from portal.places.queries import today as vietnam_today
from portal.recognition import calendar, sets
from portal.recognition.criteria import Definition, to_points
from portal.recognition.models import (
    Assessment,
    AssessmentEvent,
    AssessmentScore,
    Clan,
    CriteriaSet,
    Model,
    Organisation,
    Status,
)
from portal.recognition.scoring import Result, score
from portal.text import nfc

logger = logging.getLogger(__name__)

MESSAGES = {
    "wrong_model": _l("This criteria set is not for this title."),
    "set_not_in_force": _l("This criteria set is not in force in that year."),
    "wrong_subject": _l("This title cannot be given to that kind of subject."),
    "no_commune": _l("Record the commune first: every assessment belongs to a commune."),
    "already_registered": _l("Already registered for this title in that year."),
    "registration_closed": _l("Registration for this year has closed."),
    "submission_closed": _l("The deadline for submitting has passed."),
    "not_open": _l("This assessment can no longer be changed."),
    "incomplete": _l("Answer every indicator before submitting."),
    "not_submitted": _l("Only a submitted assessment can be reviewed."),
    "not_accepted": _l("Only an assessment accepted by the reviewer can be decided."),
    "not_passed": _l("The assessment does not meet the criteria for the title."),
    "bad_points": _l("Points must be a number from 0 to the indicator's maximum."),
    "unknown_indicator": _l("There is no such indicator in this criteria set."),
    "unchanged": _l("The points are the same as before."),
    "no_reason": _l("Give the reason."),
    "cannot_withdraw": _l("A decided assessment cannot be withdrawn."),
}


class RecognitionError(OperationError):
    """A recognition operation was refused; ``code`` keys :data:`MESSAGES`."""

    @property
    def message(self) -> str:
        return str(MESSAGES[self.code])


def _now() -> datetime:
    return datetime.now(UTC)


def _note(text: str | None) -> str | None:
    """A note as stored: NFC, single spaces, no control characters (PostgreSQL refuses NUL),
    at most 2,000 characters (None when empty)."""
    words = "".join(c for c in text or "" if c.isspace() or unicodedata.category(c) != "Cc")
    note = nfc(" ".join(words.split()))[:2000]
    return note or None


def _reason(text: str | None) -> str:
    reason = _note(text) or ""
    if len(reason) < 3:
        raise RecognitionError("no_reason")
    return reason


def _event(assessment: Assessment, action: str, by: User | None, **fields: Any) -> None:
    db.session.add(
        AssessmentEvent(
            assessment=assessment, action=action, actor_id=by.id if by else None, **fields
        )
    )


def definition(assessment: Assessment) -> Definition:
    return sets.definition_of(assessment.criteria_set)


# Subjects -------------------------------------------------------------------------------------


@dataclass
class Subject:
    """What an assessment needs to know about whom it assesses."""

    key: str
    name: str
    commune: AdminUnit
    fields: dict[str, Any]  # the subject's foreign key
    village_id: int | None = None
    scope_level: str = "commune"
    respondent_id: int | None = None
    people: dict[str, Any] = field(default_factory=dict)  # citizens' demographic columns


def _province_code(unit: AdminUnit) -> str:
    while unit.parent is not None and unit.level != "province":
        unit = unit.parent
    return unit.code


def subject_of(model: str, subject: Any) -> Subject:
    """The ``Subject`` of ``subject`` for ``model`` (RecognitionError when that model does not
    apply to it, or it has no commune)."""
    if model == Model.CITIZEN and isinstance(subject, User):
        member = db.session.scalar(
            select(HouseholdMember).where(HouseholdMember.user_id == subject.id)
        )
        village = member.household.village if member else None
        commune = subject.home_commune or (village.commune if village else None)
        if commune is None:
            raise RecognitionError("no_commune")
        return Subject(
            f"user:{subject.id}",
            subject.full_name,
            commune,
            {"user_id": subject.id},
            village_id=village.id if village else None,
            respondent_id=subject.id,
            people={
                "gender": subject.gender,
                "ethnicity_code": subject.ethnicity_code,
                "birth_year": subject.birth_year,
                "disability": subject.disability,
                "occupation_group": subject.occupation_group,
            },
        )
    if model == Model.CITIZEN and isinstance(subject, HouseholdMember):
        if subject.user_id is not None:
            return subject_of(model, subject.user)
        village = subject.household.village
        return Subject(
            f"member:{subject.id}",
            subject.full_name,
            village.commune,
            {"member_id": subject.id},
            village_id=village.id,
            people={"gender": subject.gender, "birth_year": subject.birth_year},
        )
    if model == Model.FAMILY and isinstance(subject, Household):
        head = next((m for m in subject.members if m.relation == Relation.HEAD and m.user_id), None)
        return Subject(
            f"household:{subject.id}",
            subject.name,
            subject.village.commune,
            {"household_id": subject.id},
            village_id=subject.village_id,
            respondent_id=head.user_id if head else None,
        )
    if model == Model.CLAN and isinstance(subject, Clan):
        return Subject(
            f"clan:{subject.id}",
            subject.name,
            subject.commune,
            {"clan_id": subject.id},
            village_id=subject.village_id,
            respondent_id=subject.head_user_id,
        )
    if model == Model.COMMUNITY and isinstance(subject, Village):
        return Subject(
            f"village:{subject.id}",
            subject.name,
            subject.commune,
            {},
            village_id=subject.id,
        )
    if model == Model.UNIT and isinstance(subject, Organisation):
        return Subject(
            f"organisation:{subject.id}",
            subject.name,
            subject.commune,
            {"organisation_id": subject.id},
            scope_level=subject.level,
            respondent_id=subject.head_user_id,
        )
    raise RecognitionError("wrong_subject")


def set_applies(row: CriteriaSet, year: int) -> bool:
    """Whether ``row`` is in force at some time in ``year``."""
    return row.effective_from <= date(year, 12, 31) and (
        row.effective_to is None or row.effective_to > date(year, 1, 1)
    )


# Registration and answers ---------------------------------------------------------------------


def register(
    subject: Any,
    *,
    model: str,
    year: int,
    criteria_set: CriteriaSet,
    by: User,
    late: bool = False,
    today: date | None = None,
) -> Assessment:
    """Register ``subject`` as a candidate for ``model``'s title in ``year`` under
    ``criteria_set``, with an empty form and its automatic evidence. After the registration
    deadline only an officer may (``late``)."""
    if criteria_set.model != model:
        raise RecognitionError("wrong_model")
    if not set_applies(criteria_set, year):
        raise RecognitionError("set_not_in_force")
    if not late and (today or vietnam_today()) > calendar.due(year, model, "register"):
        raise RecognitionError("registration_closed")
    found = subject_of(model, subject)
    taken = db.session.scalar(
        select(Assessment.id).where(
            Assessment.year == year, Assessment.model == model, Assessment.subject_key == found.key
        )
    )
    if taken is not None:
        raise RecognitionError("already_registered")
    assessment = Assessment(
        year=year,
        model=model,
        criteria_set=criteria_set,
        status=Status.REGISTERED.value,
        subject_key=found.key,
        subject_name=nfc(found.name)[:300],
        commune_code=found.commune.code,
        province_code=_province_code(found.commune),
        village_id=found.village_id,
        scope_level=found.scope_level,
        respondent_id=found.respondent_id or (by.id if model == Model.CITIZEN else None),
        registered_by_id=by.id,
        **found.fields,
        **found.people,
    )
    db.session.add(assessment)
    for indicator in sets.definition_of(criteria_set).indicators:
        db.session.add(AssessmentScore(assessment=assessment, indicator=indicator.code))
    db.session.flush()
    _event(assessment, "register", by, reason="late" if late else None)
    refresh_evidence(assessment, by=by)
    logger.info(
        "assessment %s: %s registered for %s %s by user %s",
        assessment.id,
        found.key,
        model,
        year,
        by.id,
    )
    return assessment


def refresh_evidence(assessment: Assessment, *, by: User | None = None) -> list[str]:
    """Recompute the automatic evidence and the points it gives, then the totals."""
    from portal.recognition import evidence

    changed = evidence.refresh(assessment, by=by)
    rescore(assessment)
    return changed


def rescore(assessment: Assessment) -> Result:
    """Total, grade and pass of the points that count now, stored on the assessment."""
    result = score(definition(assessment), {s.indicator: s.points for s in assessment.scores})
    assessment.total = result.total
    assessment.grade = result.grade
    assessment.passed = result.passed
    db.session.flush()
    return result


def _score(assessment: Assessment, code: str) -> AssessmentScore:
    for row in assessment.scores:
        if row.indicator == code:
            return row
    definition(assessment).indicator(code)  # KeyError for a code the set does not have
    row = AssessmentScore(assessment=assessment, indicator=code)
    db.session.add(row)
    return row


def answer(assessment: Assessment, answers: Mapping[str, Any], *, by: User) -> list[str]:
    """Save the respondent's answers (indicator code → the form's value; "" clears one) and
    rescore; returns the codes of answers that are not valid (saved answers are kept)."""
    if not assessment.is_open:
        raise RecognitionError("not_open")
    rules = definition(assessment)
    invalid: list[str] = []
    for code, raw in answers.items():
        try:
            indicator = rules.indicator(code)
        except KeyError:
            invalid.append(code)
            continue
        if indicator.answer == "auto":
            continue  # from evidence only
        blank = raw is None or (isinstance(raw, str) and not raw.strip())
        points = None if blank else indicator.answer_points(raw)
        if points is None and not blank:
            invalid.append(code)
            continue
        row = _score(assessment, code)
        if row.points == points and row.source == "self":
            continue
        _event(assessment, "answer", by, indicator=code, old_points=row.points, new_points=points)
        row.answer = None if blank else raw
        row.self_points = row.points = points
        row.source = "self"
        row.reason = None
        row.updated_by_id = by.id
    if assessment.status == Status.REGISTERED:
        assessment.status = Status.DRAFT.value
    rescore(assessment)
    return invalid


def submit(assessment: Assessment, *, by: User, today: date | None = None) -> Result:
    """Send a complete form to the commune's reviewer."""
    if not assessment.is_open:
        raise RecognitionError("not_open")
    if (today or vietnam_today()) > calendar.due(assessment.year, assessment.model, "submit"):
        raise RecognitionError("submission_closed")
    refresh_evidence(assessment, by=by)
    result = rescore(assessment)
    if not result.complete:
        raise RecognitionError("incomplete")
    assessment.status = Status.SUBMITTED.value
    assessment.submitted_at = _now()
    _event(assessment, "submit", by, new_points=result.total)
    db.session.flush()
    logger.info("assessment %s submitted by user %s", assessment.id, by.id)
    return result


# Review and decision --------------------------------------------------------------------------


def adjust(
    assessment: Assessment, code: str, points: Any, *, reason: str | None, by: User
) -> AssessmentScore:
    """A reviewer sets an indicator's points, with the reason (kept in the audit trail)."""
    if assessment.status != Status.SUBMITTED:
        raise RecognitionError("not_submitted")
    try:
        indicator = definition(assessment).indicator(code)
    except KeyError:
        raise RecognitionError("unknown_indicator") from None
    value = to_points(points)
    if value is None or not Decimal(0) <= value <= indicator.max_points:
        raise RecognitionError("bad_points")
    why = _reason(reason)
    row = _score(assessment, code)
    if row.points == value:
        raise RecognitionError("unchanged")
    _event(
        assessment,
        "adjust",
        by,
        indicator=code,
        old_points=row.points,
        new_points=value,
        reason=why,
    )
    row.points = value
    row.source = "review"
    row.reason = why
    row.updated_by_id = by.id
    rescore(assessment)
    logger.info("assessment %s: %s set to %s by user %s", assessment.id, code, value, by.id)
    return row


def accept(assessment: Assessment, *, by: User, note: str | None = None) -> None:
    """The reviewer accepts the scores; the approver decides next."""
    if assessment.status != Status.SUBMITTED:
        raise RecognitionError("not_submitted")
    assessment.status = Status.ACCEPTED.value
    assessment.reviewed_at = _now()
    assessment.reviewed_by_id = by.id
    _event(assessment, "accept", by, new_points=assessment.total, reason=_note(note))
    db.session.flush()


def return_for_changes(assessment: Assessment, *, by: User, note: str | None) -> None:
    """The reviewer sends the form back to the respondent, saying what to change."""
    if assessment.status != Status.SUBMITTED:
        raise RecognitionError("not_submitted")
    why = _reason(note)
    assessment.status = Status.RETURNED.value
    assessment.return_note = why
    assessment.reviewed_at = _now()
    assessment.reviewed_by_id = by.id
    _event(assessment, "return", by, reason=why)
    db.session.flush()


def issuer_name(assessment: Assessment, language: str) -> str:
    """Who recognises: the People's Committee of the commune (or the province)."""
    from flask_babel import force_locale, gettext

    code = (
        assessment.province_code
        if assessment.scope_level == "province"
        else (assessment.commune_code)
    )
    level = "province" if assessment.scope_level == "province" else "commune"
    unit = db.session.scalar(
        select(AdminUnit)
        .where(AdminUnit.level == level, AdminUnit.code == code)
        .order_by(AdminUnit.valid_from.desc().nulls_last())
        .limit(1)
    )
    with force_locale(language):
        return gettext("People's Committee of %(unit)s", unit=unit.name if unit else code)


def recognise(assessment: Assessment, *, by: User, language: str = "vi") -> Any:
    """The approver recognises the title: the assessment is recognised and a certificate of
    title is issued (verifiable by its code and QR code like every certificate)."""
    from courses.certificates.operations import issue_title

    if assessment.status != Status.ACCEPTED:
        raise RecognitionError("not_accepted")
    if not rescore(assessment).passed:
        raise RecognitionError("not_passed")
    rules = definition(assessment)
    title = rules.title.get(language) or rules.title["vi"]
    certificate = issue_title(
        holder_name=assessment.subject_name,
        achievement=f"{title} — {assessment.year}",
        issuer=issuer_name(assessment, language),
        language=language,
        user=assessment.user,
    )
    assessment.status = Status.RECOGNISED.value
    assessment.decided_at = _now()
    assessment.decided_by_id = by.id
    assessment.certificate_id = certificate.id
    _event(assessment, "recognise", by, new_points=assessment.total)
    db.session.flush()
    logger.info(
        "assessment %s recognised by user %s: certificate %s", assessment.id, by.id, certificate.id
    )
    return certificate


def decline(assessment: Assessment, *, by: User, reason: str | None) -> None:
    """The approver does not recognise the title this year, saying why."""
    if assessment.status != Status.ACCEPTED:
        raise RecognitionError("not_accepted")
    why = _reason(reason)
    assessment.status = Status.NOT_RECOGNISED.value
    assessment.decided_at = _now()
    assessment.decided_by_id = by.id
    _event(assessment, "decline", by, reason=why)
    db.session.flush()


def withdraw(assessment: Assessment, *, by: User, reason: str | None = None) -> None:
    """The candidacy ends before a decision (the respondent or an officer withdraws it)."""
    if assessment.status in (Status.RECOGNISED, Status.NOT_RECOGNISED, Status.WITHDRAWN):
        raise RecognitionError("cannot_withdraw")
    assessment.status = Status.WITHDRAWN.value
    _event(assessment, "withdraw", by, reason=_note(reason))
    db.session.flush()
