"""Column types shared by every model."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import DateTime, Numeric
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every database: ``timestamptz`` on PostgreSQL,
    naive UTC text on SQLite, always handed back to Python as aware UTC."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given for a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class TwoDecimals(TypeDecorator[Decimal]):
    """A number with two decimals (learning hours, points): NUMERIC(6, 2) in the database,
    ``Decimal`` in Python (4.9 is 4.9, never 4.8999…). Fetched as a float and rounded back,
    so SQLite (which has no decimal type) gives the same values as PostgreSQL without
    SQLAlchemy's lossy-decimal warning."""

    impl = Numeric(6, 2, asdecimal=False)
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: Any) -> float | None:
        return None if value is None else float(value)

    def process_result_value(self, value: Any, dialect: Any) -> Decimal | None:
        return None if value is None else Decimal(f"{float(value):.2f}")
