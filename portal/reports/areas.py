"""Which communes lie in ethnic-minority areas and which are mountainous, for the figures by
area: loaded from a CSV file the province keeps (the government's lists name communes; this
file names them by their statistics-office code)::

    code,ethnic_minority_area,mountainous
    24820,yes,yes
    26734,no,yes

Values are yes/no (or 1/0, true/false). Codes must be communes in force today. Loading
replaces the rows of the communes the file names and leaves the others as they are."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from sqlalchemy import select

from portal.extensions import db
from portal.places.models import AdminUnit
from portal.places.queries import in_force_on, today
from portal.recognition.models import CommuneArea

COLUMNS = ("code", "ethnic_minority_area", "mountainous")
_TRUE = {"yes", "y", "1", "true", "có"}
_FALSE = {"no", "n", "0", "false", "không"}


class AreasFileError(ValueError):
    """A file that cannot be loaded; ``problems`` lists every reason with its line."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass
class Loaded:
    added: int = 0
    changed: int = 0
    unchanged: int = 0


def _flag(value: str | None) -> bool | None:
    text = (value or "").strip().lower()
    return True if text in _TRUE else False if text in _FALSE else None


def load(text: str) -> Loaded:
    """Load the rows of a CSV text (all of them, or none when any row is wrong)."""
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    header = tuple(rows[0].keys()) if rows else ()
    missing = [c for c in COLUMNS if c not in header]
    if missing or not rows:
        raise AreasFileError([f"the file needs the columns {', '.join(COLUMNS)} and rows"])
    communes = set(
        db.session.scalars(
            select(AdminUnit.code).where(AdminUnit.level == "commune", in_force_on(today()))
        )
    )
    problems: list[str] = []
    wanted: dict[str, tuple[bool, bool]] = {}
    for line, row in enumerate(rows, start=2):
        code = (row.get("code") or "").strip()
        minority, mountain = _flag(row.get("ethnic_minority_area")), _flag(row.get("mountainous"))
        if code not in communes:
            problems.append(f"line {line}: {code!r} is not the code of a commune in force")
        elif code in wanted:
            problems.append(f"line {line}: commune {code} is listed twice")
        if minority is None or mountain is None:
            problems.append(f"line {line}: ethnic_minority_area and mountainous are yes or no")
        if not problems:
            wanted[code] = (bool(minority), bool(mountain))
    if problems:
        raise AreasFileError(problems)
    existing = {row.code: row for row in db.session.scalars(select(CommuneArea))}
    result = Loaded()
    for code, (minority, mountain) in wanted.items():
        row = existing.get(code)
        if row is None:
            db.session.add(CommuneArea(code=code, is_ethnic_minority_area=minority,
                                       is_mountainous=mountain))  # fmt: skip
            result.added += 1
        elif (row.is_ethnic_minority_area, row.is_mountainous) != (minority, mountain):
            row.is_ethnic_minority_area, row.is_mountainous = minority, mountain
            result.changed += 1
        else:
            result.unchanged += 1
    db.session.flush()
    return result
