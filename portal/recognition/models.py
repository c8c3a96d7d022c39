"""Learning-society titles: criteria sets (versioned data), who is assessed (clans and units
beside the users, households and villages of ``portal.places``), yearly assessments with their
indicator scores, evidence and audit trail."""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db_types import TwoDecimals
from portal.extensions import db

__all__ = [
    "Assessment",
    "AssessmentEvent",
    "AssessmentScore",
    "Clan",
    "ClanHousehold",
    "CommuneArea",
    "CriteriaSet",
    "Evidence",
    "Model",
    "Organisation",
    "OrganisationStaff",
    "RecognitionDeadline",
    "Status",
]

JSONType = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def utcnow() -> datetime:
    return datetime.now(UTC)


class Model(enum.StrEnum):
    """The five titles of the programme (Decision 387/QĐ-TTg)."""

    CITIZEN = "citizen"  # Công dân học tập: a person
    FAMILY = "family"  # Gia đình học tập: a household
    CLAN = "clan"  # Dòng họ học tập: a named group of households
    COMMUNITY = "community"  # Cộng đồng học tập: a village or residential group
    UNIT = "unit"  # Đơn vị học tập: an agency, school or enterprise


class Status(enum.StrEnum):
    """Where an assessment is in its year.

    registered → draft (answers saved) → submitted → accepted (by the commune's reviewer) →
    recognised or not_recognised (by the approver); a reviewer may return a submitted
    assessment (→ returned, answered again and resubmitted); withdrawn ends it."""

    REGISTERED = "registered"
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    ACCEPTED = "accepted"
    RECOGNISED = "recognised"
    NOT_RECOGNISED = "not_recognised"
    WITHDRAWN = "withdrawn"


ASSESSED = (Status.SUBMITTED, Status.ACCEPTED, Status.RECOGNISED, Status.NOT_RECOGNISED)


class CriteriaSet(db.Model):
    """One version of one criteria set, loaded from a file under ``portal/recognition/data``
    (``flask criteria load``). ``definition`` is the whole validated document (criteria →
    indicators → points, evidence types, threshold rules, grade bands, automatic evidence
    rules); ``digest`` its fingerprint. A version an assessment uses is never changed: a new
    text is a new version."""

    __tablename__ = "criteria_sets"
    __table_args__ = (UniqueConstraint("code", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64))  # e.g. citizen-workers
    version: Mapped[int]
    model: Mapped[str] = mapped_column(String(16), index=True)
    respondent_group: Mapped[str | None] = mapped_column(String(32))
    is_sample: Mapped[bool] = mapped_column(default=True)
    effective_from: Mapped[date] = mapped_column(Date)
    effective_to: Mapped[date | None] = mapped_column(Date)  # exclusive; empty: open-ended
    definition: Mapped[dict[str, Any]] = mapped_column(JSONType)
    digest: Mapped[str] = mapped_column(String(64))
    loaded_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<CriteriaSet {self.code} v{self.version} {self.model}>"

    def in_force_on(self, day: date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day < self.effective_to)


class Clan(db.Model):
    """A clan (dòng họ): a named group of households, possibly across villages and communes,
    recorded under the commune of its ancestral hall (``commune_id``), which reviews it."""

    __tablename__ = "clans"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))  # "Dòng họ Nguyễn Văn, thôn Đông"
    commune_id: Mapped[int] = mapped_column(
        ForeignKey("admin_units.id", ondelete="RESTRICT"), index=True
    )
    village_id: Mapped[int | None] = mapped_column(ForeignKey("villages.id", ondelete="SET NULL"))
    head_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    commune = relationship("AdminUnit")
    households: Mapped[list[ClanHousehold]] = relationship(
        back_populates="clan", cascade="all, delete-orphan", passive_deletes=True
    )

    def __repr__(self) -> str:
        return f"<Clan {self.id} {self.name}>"


class ClanHousehold(db.Model):
    """A household belonging to a clan."""

    __tablename__ = "clan_households"
    __table_args__ = (UniqueConstraint("clan_id", "household_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    clan_id: Mapped[int] = mapped_column(ForeignKey("clans.id", ondelete="CASCADE"), index=True)
    household_id: Mapped[int] = mapped_column(
        ForeignKey("households.id", ondelete="CASCADE"), index=True
    )

    clan: Mapped[Clan] = relationship(back_populates="households")
    household = relationship("Household")


class Organisation(db.Model):
    """An agency, school, enterprise or other unit assessed as a Learning Unit. Units at
    commune level are reviewed and recognised in their commune; units above it (``level``
    "province") in their province."""

    __tablename__ = "organisations"
    __table_args__ = (CheckConstraint("level IN ('commune', 'province')", name="level"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(24))  # agency, school, enterprise, other
    level: Mapped[str] = mapped_column(String(16), default="commune")
    commune_id: Mapped[int] = mapped_column(
        ForeignKey("admin_units.id", ondelete="RESTRICT"), index=True
    )
    head_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    commune = relationship("AdminUnit")
    staff: Mapped[list[OrganisationStaff]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan", passive_deletes=True
    )

    def __repr__(self) -> str:
        return f"<Organisation {self.id} {self.name}>"


class OrganisationStaff(db.Model):
    """A member of a unit's staff: a user, or a name without an account."""

    __tablename__ = "organisation_staff"
    __table_args__ = (UniqueConstraint("organisation_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    full_name: Mapped[str] = mapped_column(String(200))

    organisation: Mapped[Organisation] = relationship(back_populates="staff")
    user = relationship("User")


class CommuneArea(db.Model):
    """What the government lists a commune as, for disaggregated reports: in an
    ethnic-minority area, mountainous. Keyed on the statistics-office code, not a unit row, so
    it holds across renamings; loaded from ``portal/recognition/data/commune_areas.csv``."""

    __tablename__ = "commune_areas"

    code: Mapped[str] = mapped_column(String(8), primary_key=True)
    is_ethnic_minority_area: Mapped[bool] = mapped_column(default=False)
    is_mountainous: Mapped[bool] = mapped_column(default=False)

    def __repr__(self) -> str:
        return f"<CommuneArea {self.code}>"


class RecognitionDeadline(db.Model):
    """A deadline of a year's round for one model, set by an administrator; the defaults of
    ``portal.recognition.calendar`` apply where there is no row."""

    __tablename__ = "recognition_deadlines"
    __table_args__ = (UniqueConstraint("year", "model", "step"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int]
    model: Mapped[str] = mapped_column(String(16))
    step: Mapped[str] = mapped_column(String(24))  # register, submit, review, recognise, report
    due_on: Mapped[date] = mapped_column(Date)  # the last day
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    set_at: Mapped[datetime] = mapped_column(default=utcnow)


class Assessment(db.Model):
    """One subject's candidacy for one title in one year, under one criteria set version.

    The subject is exactly one of: a user or a household member without an account (model
    citizen), a household (family), a clan, a village (community), an organisation (unit).
    ``commune_code``/``province_code`` (statistics-office codes of the commune that reviews
    it, kept as codes so reports aggregate on codes) and the demographic columns are copied
    when it registers, so a year's figures stay as they were reported."""

    __tablename__ = "assessments"
    __table_args__ = (
        UniqueConstraint("year", "model", "subject_key"),
        Index("ix_assessments_scope", "year", "model", "commune_code", "status"),
        Index("ix_assessments_province", "year", "model", "province_code", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int]
    model: Mapped[str] = mapped_column(String(16))
    criteria_set_id: Mapped[int] = mapped_column(
        ForeignKey("criteria_sets.id", ondelete="RESTRICT"), index=True
    )
    status: Mapped[str] = mapped_column(String(16), default=Status.REGISTERED.value)

    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    member_id: Mapped[int | None] = mapped_column(
        ForeignKey("household_members.id", ondelete="CASCADE"), index=True
    )
    household_id: Mapped[int | None] = mapped_column(
        ForeignKey("households.id", ondelete="CASCADE"), index=True
    )
    clan_id: Mapped[int | None] = mapped_column(
        ForeignKey("clans.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    # The village the subject lives in (drill-down); for a community, the subject itself.
    village_id: Mapped[int | None] = mapped_column(
        ForeignKey("villages.id", ondelete="SET NULL"), index=True
    )
    # "user:12", "member:3", "household:5", "clan:2", "village:7" or "organisation:4": one
    # candidacy per subject, model and year.
    subject_key: Mapped[str] = mapped_column(String(32))
    subject_name: Mapped[str] = mapped_column(String(300))  # as printed on the title
    commune_code: Mapped[str] = mapped_column(String(8))
    province_code: Mapped[str] = mapped_column(String(8))
    scope_level: Mapped[str] = mapped_column(String(16), default="commune")  # or province

    # Citizens only (NULL for the other models): who they are, for disaggregated reports.
    gender: Mapped[str | None] = mapped_column(String(16))
    ethnicity_code: Mapped[str | None] = mapped_column(String(2))
    birth_year: Mapped[int | None]
    disability: Mapped[str | None] = mapped_column(String(24))
    occupation_group: Mapped[str | None] = mapped_column(String(32))

    total: Mapped[Decimal | None] = mapped_column(TwoDecimals())
    grade: Mapped[str | None] = mapped_column(String(24))
    passed: Mapped[bool | None]

    respondent_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    registered_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    registered_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime | None]
    reviewed_at: Mapped[datetime | None]
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    return_note: Mapped[str | None] = mapped_column(String(2000))
    certificate_id: Mapped[int | None] = mapped_column(
        ForeignKey("certificates.id", ondelete="SET NULL")
    )
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    criteria_set: Mapped[CriteriaSet] = relationship()
    scores: Mapped[list[AssessmentScore]] = relationship(
        back_populates="assessment",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="AssessmentScore.id",
    )
    evidence: Mapped[list[Evidence]] = relationship(
        back_populates="assessment",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Evidence.id",
    )
    events: Mapped[list[AssessmentEvent]] = relationship(
        back_populates="assessment",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="AssessmentEvent.id",
    )
    user = relationship("User", foreign_keys=[user_id])
    member = relationship("HouseholdMember")
    household = relationship("Household")
    clan: Mapped[Clan | None] = relationship()
    organisation: Mapped[Organisation | None] = relationship()
    village = relationship("Village")
    certificate = relationship("Certificate")

    def __repr__(self) -> str:
        return f"<Assessment {self.id} {self.model} {self.year} {self.status}>"

    @property
    def is_open(self) -> bool:
        """Whether the respondent may still change answers."""
        return self.status in (Status.REGISTERED, Status.DRAFT, Status.RETURNED)


class AssessmentScore(db.Model):
    """The points of one indicator of one assessment: the respondent's answer and the points
    it gives (``self_points``), or the automatic points from evidence, and the points that
    count (``points``: the same, unless a reviewer adjusted them, with ``reason``)."""

    __tablename__ = "assessment_scores"
    __table_args__ = (UniqueConstraint("assessment_id", "indicator"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), index=True
    )
    indicator: Mapped[str] = mapped_column(String(32))  # the indicator's code in the set
    answer: Mapped[Any | None] = mapped_column(JSONType)
    self_points: Mapped[Decimal | None] = mapped_column(TwoDecimals())
    auto_points: Mapped[Decimal | None] = mapped_column(TwoDecimals())
    points: Mapped[Decimal | None] = mapped_column(TwoDecimals())
    source: Mapped[str] = mapped_column(String(16), default="self")  # self, auto, review
    reason: Mapped[str | None] = mapped_column(String(1000))  # of a reviewer's adjustment
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    assessment: Mapped[Assessment] = relationship(back_populates="scores")

    def __repr__(self) -> str:
        return f"<AssessmentScore {self.assessment_id} {self.indicator} {self.points}>"


class Evidence(db.Model):
    """What supports an indicator's points: drawn from learning records (``kind`` "auto",
    ``details`` says which records and the value they give) or added by a person (a photo, a
    document — kept in the portal's storage under ``storage_key`` — or a note)."""

    __tablename__ = "assessment_evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), index=True
    )
    indicator: Mapped[str | None] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(16))  # auto, photo, document, note
    evidence_type: Mapped[str | None] = mapped_column(String(32))  # the set's evidence type
    description: Mapped[str] = mapped_column(String(2000), default="")
    details: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    storage_key: Mapped[str | None] = mapped_column(String(300))
    file_name: Mapped[str | None] = mapped_column(String(255))
    media_type: Mapped[str | None] = mapped_column(String(100))
    size: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    assessment: Mapped[Assessment] = relationship(back_populates="evidence")

    def __repr__(self) -> str:
        return f"<Evidence {self.id} {self.kind} {self.indicator}>"


class AssessmentEvent(db.Model):
    """The audit trail: who did what to an assessment, when and why; score changes with the
    points before and after. Append-only."""

    __tablename__ = "assessment_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), index=True
    )
    action: Mapped[str] = mapped_column(String(24))
    indicator: Mapped[str | None] = mapped_column(String(32))
    old_points: Mapped[Decimal | None] = mapped_column(TwoDecimals())
    new_points: Mapped[Decimal | None] = mapped_column(TwoDecimals())
    reason: Mapped[str | None] = mapped_column(String(2000))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(default=utcnow)

    assessment: Mapped[Assessment] = relationship(back_populates="events")
    actor = relationship("User")

    def __repr__(self) -> str:
        return f"<AssessmentEvent {self.assessment_id} {self.action} {self.indicator}>"
