"""Administrative units as versioned data, and the villages and households under them."""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db_types import UTCDateTime
from portal.extensions import db

__all__ = [
    "AdminUnit",
    "AdminUnitSuccession",
    "Household",
    "HouseholdMember",
    "Level",
    "Relation",
    "UnitKind",
    "Village",
    "VillageKind",
]


def utcnow() -> datetime:
    return datetime.now(UTC)


class Level(enum.StrEnum):
    """Tier of an administrative unit. Districts exist only before 1 July 2025."""

    PROVINCE = "province"
    DISTRICT = "district"
    COMMUNE = "commune"


class UnitKind(enum.StrEnum):
    """What the law calls a unit; the stored values are these codes, never the labels."""

    PROVINCE = "province"  # tỉnh
    CITY = "city"  # thành phố: centrally-run (province level) or provincial (district level)
    DISTRICT = "district"  # huyện
    URBAN_DISTRICT = "urban_district"  # quận
    TOWN = "town"  # thị xã
    COMMUNE = "commune"  # xã
    WARD = "ward"  # phường
    TOWNSHIP = "township"  # thị trấn
    SPECIAL_ZONE = "special_zone"  # đặc khu


class VillageKind(enum.StrEnum):
    """Village or residential group: the community below a commune."""

    THON = "thon"  # thôn
    BAN = "ban"  # bản
    AP = "ap"  # ấp
    TO_DAN_PHO = "to_dan_pho"  # tổ dân phố
    OTHER = "other"  # làng, buôn, plei, phum, sóc, khóm, khu phố...


class Relation(enum.StrEnum):
    """A household member's relation to the head of the household."""

    HEAD = "head"
    SPOUSE = "spouse"
    CHILD = "child"
    PARENT = "parent"
    GRANDCHILD = "grandchild"
    GRANDPARENT = "grandparent"
    SIBLING = "sibling"
    OTHER = "other"


class AdminUnit(db.Model):
    """One administrative unit (province, district or commune) during one period in which its
    level, code, kind, name and parent stayed the same: in force from ``valid_from`` (inclusive;
    empty for units of the oldest list held, in force since before it) until ``valid_to``
    (exclusive; empty while in force). Codes are the statistics office's and are unique among
    the units of a level in force on any one day, not across periods: 00004 was Phường Trúc
    Bạch until 30 June 2025 and is Phường Ba Đình since. Rows come from the data files
    (``flask places load``) and are never edited in the portal."""

    __tablename__ = "admin_units"
    __table_args__ = (
        UniqueConstraint("level", "code", "valid_from"),
        CheckConstraint(
            "valid_to IS NULL OR valid_from IS NULL OR valid_from < valid_to", name="valid_period"
        ),
        Index("ix_admin_units_level_code", "level", "code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    level: Mapped[str] = mapped_column(String(16))
    code: Mapped[str] = mapped_column(String(8))
    kind: Mapped[str] = mapped_column(String(24))
    name: Mapped[str] = mapped_column(String(200))  # official name with its prefix, NFC
    # ``portal.text.fold(name)``, for accent-insensitive search; never used to aggregate.
    search_name: Mapped[str] = mapped_column(String(200), index=True)
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("admin_units.id", ondelete="RESTRICT"), index=True
    )
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)

    parent: Mapped[AdminUnit | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[AdminUnit]] = relationship(
        back_populates="parent", order_by="AdminUnit.code"
    )

    def __repr__(self) -> str:
        return f"<AdminUnit {self.level} {self.code} {self.name} from={self.valid_from}>"

    @property
    def last_day(self) -> date | None:
        """The last day in force (the day before ``valid_to``), if it has ended."""
        return self.valid_to - timedelta(days=1) if self.valid_to else None

    def in_force_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day < self.valid_to
        )


class AdminUnitSuccession(db.Model):
    """On ``effective_on`` the territory of ``old_unit`` (or part of it, ``is_partial``)
    became part of ``new_unit``. An old unit split in several has one row per new unit."""

    __tablename__ = "admin_unit_successions"
    __table_args__ = (UniqueConstraint("old_unit_id", "new_unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    old_unit_id: Mapped[int] = mapped_column(
        ForeignKey("admin_units.id", ondelete="CASCADE"), index=True
    )
    new_unit_id: Mapped[int] = mapped_column(
        ForeignKey("admin_units.id", ondelete="CASCADE"), index=True
    )
    effective_on: Mapped[date] = mapped_column(Date)
    is_partial: Mapped[bool] = mapped_column(default=False)

    old_unit: Mapped[AdminUnit] = relationship(foreign_keys=[old_unit_id])
    new_unit: Mapped[AdminUnit] = relationship(foreign_keys=[new_unit_id])

    def __repr__(self) -> str:
        return (
            f"<AdminUnitSuccession {self.old_unit_id} → {self.new_unit_id}"
            f" on {self.effective_on}{' partial' if self.is_partial else ''}>"
        )


class Village(db.Model):
    """A village or residential group (thôn, bản, ấp, tổ dân phố...) of a commune, created by
    an administrator. Retired ones are kept, with ``retired_at``, for the records that name
    them."""

    __tablename__ = "villages"

    id: Mapped[int] = mapped_column(primary_key=True)
    commune_id: Mapped[int] = mapped_column(
        ForeignKey("admin_units.id", ondelete="RESTRICT"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16), default=VillageKind.THON.value)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    commune: Mapped[AdminUnit] = relationship()
    households: Mapped[list[Household]] = relationship(
        back_populates="village", order_by="Household.name"
    )

    def __repr__(self) -> str:
        return f"<Village {self.id} {self.name} commune={self.commune_id}>"

    @property
    def is_active(self) -> bool:
        return self.retired_at is None


class Household(db.Model):
    """A household (hộ gia đình) living in a village; the unit that registers each year as a
    candidate "Learning Family"."""

    __tablename__ = "households"

    id: Mapped[int] = mapped_column(primary_key=True)
    village_id: Mapped[int] = mapped_column(
        ForeignKey("villages.id", ondelete="RESTRICT"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))  # as people call it: "Hộ ông Lò Văn Pọm"
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    village: Mapped[Village] = relationship(back_populates="households")
    members: Mapped[list[HouseholdMember]] = relationship(
        back_populates="household",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="HouseholdMember.id",
    )

    def __repr__(self) -> str:
        return f"<Household {self.id} {self.name} village={self.village_id}>"


class HouseholdMember(db.Model):
    """A person of a household: a user of the portal, or someone without an account (a child,
    an elderly parent). The name is kept here too, so the row still says who it was if the
    account is deleted."""

    __tablename__ = "household_members"
    __table_args__ = (UniqueConstraint("household_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(
        ForeignKey("households.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    full_name: Mapped[str] = mapped_column(String(200))
    birth_year: Mapped[int | None]
    gender: Mapped[str | None] = mapped_column(String(16))  # portal.accounts.reference.GENDERS
    relation: Mapped[str] = mapped_column(String(16), default=Relation.OTHER.value)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    household: Mapped[Household] = relationship(back_populates="members")
    user = relationship("User")

    def __repr__(self) -> str:
        return f"<HouseholdMember {self.id} household={self.household_id} user={self.user_id}>"
