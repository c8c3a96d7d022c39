"""Summary tables the reports read: counts of candidacies by place and group, and the
denominators of the rates by commune. Derived data: ``flask reports rebuild`` recomputes
both from the source rows, and ``portal.reports.summaries`` keeps them current."""

from __future__ import annotations

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db

__all__ = ["Denominator", "Tally"]


class Tally(db.Model):
    """How many candidacies of one model in one year are registered (any status but
    withdrawn), assessed (submitted or beyond, ``ASSESSED``) and recognised, in one commune
    and one group.

    ``dimension`` says which group: "all" rows are per village (``village_id`` 0 for
    subjects without a village) and add up to the commune's totals; the other dimensions
    ("gender", "ethnicity", "age_group", "disability", "occupation") are per commune
    (``village_id`` 0), for citizens only, with ``value`` the group's key ("unknown" where the
    profile did not say). Empty strings and 0 stand for "none" so the key can be a primary
    key on every database."""

    __tablename__ = "report_tallies"
    __table_args__ = (
        Index("ix_report_tallies_province", "year", "model", "dimension", "province_code"),
    )

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    model: Mapped[str] = mapped_column(String(16), primary_key=True)
    commune_code: Mapped[str] = mapped_column(String(8), primary_key=True)
    village_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    dimension: Mapped[str] = mapped_column(String(16), primary_key=True)
    value: Mapped[str] = mapped_column(String(32), primary_key=True)
    province_code: Mapped[str] = mapped_column(String(8))
    registered: Mapped[int] = mapped_column(default=0)
    assessed: Mapped[int] = mapped_column(default=0)
    recognised: Mapped[int] = mapped_column(default=0)

    def __repr__(self) -> str:
        return (
            f"<Tally {self.year} {self.model} {self.commune_code} v{self.village_id}"
            f" {self.dimension}={self.value} {self.registered}/{self.assessed}/{self.recognised}>"
        )


class Denominator(db.Model):
    """How many of what a rate is taken of live in one commune now: ``measure`` is
    "households" (for families), "clans", "villages" (communities: villages not retired),
    "organisations" (units), "workers" (users whose occupation group is enterprise or rural
    workers, by home commune) or "unit_staff" (users in the officials group, by home
    commune)."""

    __tablename__ = "report_denominators"
    __table_args__ = (Index("ix_report_denominators_province", "province_code", "measure"),)

    commune_code: Mapped[str] = mapped_column(String(8), primary_key=True)
    measure: Mapped[str] = mapped_column(String(16), primary_key=True)
    province_code: Mapped[str] = mapped_column(String(8))
    count: Mapped[int] = mapped_column(default=0)

    def __repr__(self) -> str:
        return f"<Denominator {self.commune_code} {self.measure}={self.count}>"
