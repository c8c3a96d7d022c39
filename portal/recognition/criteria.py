"""Criteria sets as data: the file format, its validation, and the typed view the scoring,
the forms and the evidence rules read.

A set is one YAML (or JSON) file under ``portal/recognition/data/criteria/``; docs/criteria.md
describes every key, and the shipped files are examples of each. In short::

    code: citizen-workers         # a set's identity across versions
    version: 1                    # a new text is a new version; a used version never changes
    model: citizen                # citizen, family, clan, community, unit
    respondent_group: enterprise_workers  # optional: the occupation group that answers it
    sample: true                  # true until the official text is loaded
    title: {vi: ..., en: ...}     # every text: a mapping of language → text, "vi" required
    issuing_body: {vi: ...}
    legal_reference: "Hướng dẫn số ..."
    period: {from_year: 2021, to_year: 2030}
    effective: {from: 2021-01-01, to: null}
    pass: {min_total: 80, min_each: 5}       # threshold rules, both optional
    grades:                                  # optional bands, from the highest
      - {code: good, min: 85, label: {vi: Tốt, en: Good}}
    evidence_types:
      - {code: certificate, label: {vi: ..., en: ...}}
    criteria:
      - code: "1"
        title: {vi: ...}
        indicators:
          - code: "1.1"
            title: {vi: ...}
            help: {vi: ...}                  # optional
            max_points: 10
            min_points: 5                    # optional, overrides pass.min_each
            answer: scale                    # scale (0…max by step), choice, auto
            step: 1                          # scale only (default 1)
            options:                         # choice only
              - {points: 10, label: {vi: ...}}
            evidence_types: [certificate]
            auto:                            # optional: points from evidence
              source: learning_hours
              bands: [[0, 0], [10, 5], [30, 10]]   # [value at least, points], ascending

``validate`` returns every problem at once, each with the path of the key that has it, so
loading an official text is a matter of minutes, not of guessing.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

MODELS = ("citizen", "family", "clan", "community", "unit")
ANSWERS = ("scale", "choice", "auto")
# Where automatic evidence comes from, and which models it applies to
# (portal.recognition.evidence computes each one).
SOURCES: dict[str, tuple[str, ...]] = {
    "learning_hours": ("citizen",),  # hours of learning in the year
    "courses_completed": ("citizen",),  # courses completed in the year
    "certificates": ("citizen",),  # certificates issued in the year, not revoked
    "quiz_average": ("citizen",),  # mean best quiz score in the year, 0–100
    "sessions_attended": ("citizen",),  # class sessions attended in the year
    "members_learning_hours": ("family", "clan"),  # mean hours of the members with accounts
    "members_citizens_share": ("family",),  # % of members recognised Learning Citizens
    "households_families_share": ("clan", "community"),  # % recognised Learning Families
    "staff_citizens_share": ("unit",),  # % of the staff recognised Learning Citizens
    "staff_learning_hours": ("unit",),  # mean hours of the staff with accounts
}
CODE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,31}$")
MAX_POINTS = Decimal("1000")
TWO_PLACES = Decimal("0.01")


class CriteriaError(ValueError):
    """A criteria file that cannot be loaded; ``problems`` lists every reason with its path."""

    def __init__(self, problems: Sequence[str], source: str = "") -> None:
        self.problems = list(problems)
        self.source = source
        where = f"{source}: " if source else ""
        super().__init__(where + "; ".join(self.problems))


# The typed view -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Band:
    at_least: Decimal
    points: Decimal


@dataclass(frozen=True)
class Option:
    points: Decimal
    label: Mapping[str, str]


@dataclass(frozen=True)
class Indicator:
    code: str
    criterion: str
    title: Mapping[str, str]
    help: Mapping[str, str]
    max_points: Decimal
    min_points: Decimal | None  # None: no minimum for this indicator
    answer: str
    step: Decimal
    options: tuple[Option, ...]
    evidence_types: tuple[str, ...]
    source: str | None
    bands: tuple[Band, ...]

    def auto_points(self, value: Decimal) -> Decimal:
        """The points ``value`` of the source reaches (the highest band at or below it)."""
        points = Decimal(0)
        for band in self.bands:
            if value >= band.at_least:
                points = band.points
        return points

    def answer_points(self, answer: Any) -> Decimal | None:
        """The points an answer gives (None: not a valid answer)."""
        if self.answer == "choice":
            if isinstance(answer, bool) or not isinstance(answer, (int, str)):
                return None
            try:
                index = int(answer)
            except (TypeError, ValueError):
                return None
            return self.options[index].points if 0 <= index < len(self.options) else None
        if self.answer == "scale":
            points = to_points(answer)
            if points is None or not Decimal(0) <= points <= self.max_points:
                return None
            if (points / self.step) % 1:
                return None
            return points
        return None


@dataclass(frozen=True)
class Criterion:
    code: str
    title: Mapping[str, str]
    indicators: tuple[Indicator, ...]

    @property
    def max_points(self) -> Decimal:
        return sum((i.max_points for i in self.indicators), Decimal(0))


@dataclass(frozen=True)
class Grade:
    code: str
    min: Decimal
    label: Mapping[str, str]


@dataclass(frozen=True)
class Definition:
    """A validated criteria set."""

    code: str
    version: int
    model: str
    respondent_group: str | None
    sample: bool
    title: Mapping[str, str]
    respondent_label: Mapping[str, str]
    issuing_body: Mapping[str, str]
    legal_reference: str
    from_year: int
    to_year: int
    effective_from: date
    effective_to: date | None
    min_total: Decimal | None
    min_each: Decimal | None
    grades: tuple[Grade, ...]
    evidence_types: Mapping[str, Mapping[str, str]]
    criteria: tuple[Criterion, ...]
    document: Mapping[str, Any]  # the canonical document, as stored

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        return tuple(i for c in self.criteria for i in c.indicators)

    def indicator(self, code: str) -> Indicator:
        for indicator in self.indicators:
            if indicator.code == code:
                return indicator
        raise KeyError(code)

    @property
    def max_total(self) -> Decimal:
        return sum((c.max_points for c in self.criteria), Decimal(0))

    def minimum(self, indicator: Indicator) -> Decimal | None:
        """The fewest points ``indicator`` may have for the title (None: no minimum)."""
        return indicator.min_points if indicator.min_points is not None else self.min_each


def to_points(value: Any) -> Decimal | None:
    """A number of points from what a form or a file gives (None: not a number); at most two
    decimals, so 4.9 is exactly 4.9."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        value = repr(value)
    try:
        number = Decimal(str(value).strip().replace(",", "."))
        if not number.is_finite() or number != number.quantize(TWO_PLACES):
            return None
    except (InvalidOperation, ValueError):
        return None
    return number.quantize(TWO_PLACES)


# Validation -----------------------------------------------------------------------------------


class _Check:
    """Collects problems with their paths while walking a document."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def fail(self, path: str, message: str) -> None:
        self.problems.append(f"{path}: {message}")

    def mapping(self, value: Any, path: str) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            self.fail(path, "must be a mapping of keys to values")
            return {}
        return value

    def sequence(self, value: Any, path: str, *, required: bool = True) -> list[Any]:
        if value is None and not required:
            return []
        if not isinstance(value, list) or (required and not value):
            self.fail(path, "must be a non-empty list" if required else "must be a list")
            return []
        return value

    def code(self, value: Any, path: str) -> str:
        text = str(value) if isinstance(value, (str, int)) and not isinstance(value, bool) else ""
        if not CODE.match(text.lower()) or text != text.lower():
            self.fail(path, "must be a code of lower-case letters, digits, '.', '-' or '_'")
        return text

    def text(self, value: Any, path: str, *, required: bool = True) -> dict[str, str]:
        if value is None and not required:
            return {}
        if isinstance(value, str):
            value = {"vi": value}
        if not isinstance(value, Mapping) or not value.get("vi"):
            self.fail(
                path, 'must give the text in Vietnamese at least, e.g. {vi: "...", en: "..."}'
            )
            return {}
        out = {}
        for language, text in value.items():
            if not isinstance(language, str) or not isinstance(text, str) or not text.strip():
                self.fail(f"{path}.{language}", "must be a non-empty text")
            else:
                out[language] = " ".join(text.split())
        return out

    def points(self, value: Any, path: str, *, minimum: Decimal = Decimal(0)) -> Decimal:
        points = to_points(value)
        if points is None or points < minimum or points > MAX_POINTS:
            self.fail(
                path, f"must be a number from {minimum} to {MAX_POINTS}, two decimals at most"
            )
            return Decimal(0)
        return points

    def year(self, value: Any, path: str) -> int:
        if not isinstance(value, int) or isinstance(value, bool) or not 2000 <= value <= 2100:
            self.fail(path, "must be a year from 2000 to 2100")
            return 2000
        return value

    def day(self, value: Any, path: str, *, required: bool = True) -> date | None:
        if value is None and not required:
            return None
        if isinstance(value, date) and not isinstance(value, datetime):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            self.fail(path, "must be a date written YYYY-MM-DD")
            return None


# The keys of a criteria document, in the order the format describes them (and ``dump``
# writes them).
KEYS = (
    "code",
    "version",
    "model",
    "respondent_group",
    "respondent_label",
    "sample",
    "title",
    "issuing_body",
    "legal_reference",
    "period",
    "effective",
    "pass",
    "grades",
    "evidence_types",
    "criteria",
)
INDICATOR_KEYS = {
    "code",
    "title",
    "help",
    "max_points",
    "min_points",
    "answer",
    "step",
    "options",
    "evidence_types",
    "auto",
}


def validate(document: Any) -> Definition:
    """The ``Definition`` of a criteria document; ``CriteriaError`` lists every problem."""
    check = _Check()
    doc = check.mapping(document, "(file)")
    for key in sorted(set(doc) - set(KEYS), key=str):
        check.fail(str(key), f"unknown key (known: {', '.join(sorted(KEYS))})")
    code = check.code(doc.get("code"), "code")
    version = doc.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        check.fail("version", "must be a whole number from 1")
        version = 1
    model = doc.get("model")
    if model not in MODELS:
        check.fail("model", f"must be one of {', '.join(MODELS)}")
    group = doc.get("respondent_group")
    if group is not None:
        group = check.code(group, "respondent_group")
    sample = doc.get("sample", True)
    if not isinstance(sample, bool):
        check.fail("sample", "must be true or false")
    title = check.text(doc.get("title"), "title")
    respondent_label = check.text(doc.get("respondent_label"), "respondent_label", required=False)
    issuing_body = check.text(doc.get("issuing_body"), "issuing_body")
    legal = doc.get("legal_reference")
    if not isinstance(legal, str) or not legal.strip():
        check.fail("legal_reference", "must name the text the criteria come from")
        legal = ""
    period = check.mapping(doc.get("period"), "period")
    from_year = check.year(period.get("from_year"), "period.from_year")
    to_year = check.year(period.get("to_year"), "period.to_year")
    if to_year < from_year:
        check.fail("period.to_year", "must not be before period.from_year")
    effective = check.mapping(doc.get("effective"), "effective")
    effective_from = check.day(effective.get("from"), "effective.from")
    effective_to = check.day(effective.get("to"), "effective.to", required=False)
    if effective_from and effective_to and effective_to <= effective_from:
        check.fail("effective.to", "must be after effective.from")

    evidence: dict[str, Mapping[str, str]] = {}
    for n, item in enumerate(
        check.sequence(doc.get("evidence_types"), "evidence_types", required=False)
    ):
        path = f"evidence_types[{n}]"
        item = check.mapping(item, path)
        type_code = check.code(item.get("code"), f"{path}.code")
        if type_code in evidence:
            check.fail(f"{path}.code", f"{type_code!r} is given twice")
        evidence[type_code] = check.text(item.get("label"), f"{path}.label")

    criteria: list[Criterion] = []
    seen: set[str] = set()
    for n, item in enumerate(check.sequence(doc.get("criteria"), "criteria")):
        path = f"criteria[{n}]"
        item = check.mapping(item, path)
        criterion_code = check.code(item.get("code"), f"{path}.code")
        if criterion_code in seen:
            check.fail(f"{path}.code", f"{criterion_code!r} is used twice")
        seen.add(criterion_code)
        indicators = []
        for m, raw in enumerate(check.sequence(item.get("indicators"), f"{path}.indicators")):
            indicator = _indicator(
                check, raw, f"{path}.indicators[{m}]", criterion_code, evidence, model
            )
            if indicator.code in seen:
                check.fail(f"{path}.indicators[{m}].code", f"{indicator.code!r} is used twice")
            seen.add(indicator.code)
            indicators.append(indicator)
        criteria.append(
            Criterion(
                criterion_code, check.text(item.get("title"), f"{path}.title"), tuple(indicators)
            )
        )
    max_total = sum((c.max_points for c in criteria), Decimal(0))

    rules = check.mapping(doc.get("pass") or {}, "pass")
    for key in sorted(set(rules) - {"min_total", "min_each"}, key=str):
        check.fail(f"pass.{key}", "unknown rule (known: min_total, min_each)")
    min_total = min_each = None
    if rules.get("min_total") is not None:
        min_total = check.points(rules["min_total"], "pass.min_total")
        if min_total > max_total:
            check.fail("pass.min_total", f"is more than the {max_total} points the set gives")
    if rules.get("min_each") is not None:
        min_each = check.points(rules["min_each"], "pass.min_each")
        for criterion in criteria:
            for indicator in criterion.indicators:
                if indicator.min_points is None and min_each > indicator.max_points:
                    check.fail(
                        "pass.min_each",
                        f"is more than indicator {indicator.code}'s {indicator.max_points} points",
                    )

    grades: list[Grade] = []
    for n, item in enumerate(check.sequence(doc.get("grades"), "grades", required=False)):
        path = f"grades[{n}]"
        item = check.mapping(item, path)
        grade = Grade(
            check.code(item.get("code"), f"{path}.code"),
            check.points(item.get("min"), f"{path}.min"),
            check.text(item.get("label"), f"{path}.label"),
        )
        if grade.code == "not_achieved" or grade.code in {g.code for g in grades}:
            check.fail(f"{path}.code", f"{grade.code!r} is used twice or reserved")
        if grades and grade.min >= grades[-1].min:
            check.fail(f"{path}.min", "grades go from the highest band down")
        if grade.min > max_total:
            check.fail(f"{path}.min", f"is more than the {max_total} points the set gives")
        grades.append(grade)

    if check.problems:
        raise CriteriaError(check.problems)
    canonical = json.loads(json.dumps(doc, default=str, sort_keys=True))
    return Definition(
        code=code,
        version=version,
        model=str(model),
        respondent_group=group,
        sample=bool(sample),
        title=title,
        respondent_label=respondent_label,
        issuing_body=issuing_body,
        legal_reference=" ".join(str(legal).split()),
        from_year=from_year,
        to_year=to_year,
        effective_from=effective_from or date(2000, 1, 1),
        effective_to=effective_to,
        min_total=min_total,
        min_each=min_each,
        grades=tuple(grades),
        evidence_types=evidence,
        criteria=tuple(criteria),
        document=canonical,
    )


def _indicator(
    check: _Check,
    raw: Any,
    path: str,
    criterion: str,
    evidence: Mapping[str, Any],
    model: Any,
) -> Indicator:
    item = check.mapping(raw, path)
    for key in sorted(set(item) - INDICATOR_KEYS, key=str):
        check.fail(f"{path}.{key}", f"unknown key (known: {', '.join(sorted(INDICATOR_KEYS))})")
    code = check.code(item.get("code"), f"{path}.code")
    max_points = check.points(item.get("max_points"), f"{path}.max_points", minimum=TWO_PLACES)
    min_points = None
    if item.get("min_points") is not None:
        min_points = check.points(item["min_points"], f"{path}.min_points")
        if min_points > max_points:
            check.fail(f"{path}.min_points", "is more than max_points")
    answer = item.get("answer", "scale")
    if answer not in ANSWERS:
        check.fail(f"{path}.answer", f"must be one of {', '.join(ANSWERS)}")
    step = check.points(item.get("step", 1), f"{path}.step", minimum=TWO_PLACES)
    if answer == "scale" and step and (max_points / step) % 1:
        check.fail(f"{path}.step", "must divide max_points into whole steps")
    options: list[Option] = []
    if answer == "choice":
        for n, option in enumerate(check.sequence(item.get("options"), f"{path}.options")):
            option = check.mapping(option, f"{path}.options[{n}]")
            points = check.points(option.get("points"), f"{path}.options[{n}].points")
            if points > max_points:
                check.fail(f"{path}.options[{n}].points", "is more than max_points")
            options.append(
                Option(points, check.text(option.get("label"), f"{path}.options[{n}].label"))
            )
    elif item.get("options") is not None:
        check.fail(f"{path}.options", "only a choice answer has options")
    types = check.sequence(item.get("evidence_types"), f"{path}.evidence_types", required=False)
    for name in types:
        if not isinstance(name, str) or name not in evidence:
            check.fail(f"{path}.evidence_types", f"{name!r} is not one of the set's evidence_types")
    source = None
    bands: list[Band] = []
    auto = item.get("auto")
    if auto is not None:
        auto = check.mapping(auto, f"{path}.auto")
        source = auto.get("source")
        if not isinstance(source, str) or source not in SOURCES:
            check.fail(f"{path}.auto.source", f"must be one of {', '.join(SOURCES)}")
        elif model in MODELS and model not in SOURCES[source]:
            check.fail(f"{path}.auto.source", f"{source} does not apply to the {model} model")
        for n, band in enumerate(check.sequence(auto.get("bands"), f"{path}.auto.bands")):
            where = f"{path}.auto.bands[{n}]"
            if not isinstance(band, list) or len(band) != 2:
                check.fail(where, "must be [value at least, points]")
                continue
            made = Band(
                check.points(band[0], where, minimum=Decimal(0)), check.points(band[1], where)
            )
            if made.points > max_points:
                check.fail(where, "gives more than max_points")
            if bands and made.at_least <= bands[-1].at_least:
                check.fail(where, "bands go up: each value above the one before")
            bands.append(made)
    elif answer == "auto":
        check.fail(f"{path}.auto", "an automatic answer needs auto.source and auto.bands")
    return Indicator(
        code=code,
        criterion=criterion,
        title=check.text(item.get("title"), f"{path}.title"),
        help=check.text(item.get("help"), f"{path}.help", required=False),
        max_points=max_points,
        min_points=min_points,
        answer=str(answer),
        step=step,
        options=tuple(options),
        evidence_types=tuple(str(t) for t in types),
        source=source,
        bands=tuple(bands),
    )


# Files ----------------------------------------------------------------------------------------

DATA = Path(__file__).parent / "data" / "criteria"


def read_file(path: Path) -> Definition:
    """The ``Definition`` in a YAML or JSON file (``CriteriaError`` naming the file)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise CriteriaError([f"cannot be read: {error}"], str(path)) from None
    try:
        document = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as error:
        raise CriteriaError(
            [f"is not valid {path.suffix[1:].upper()}: {error}"], str(path)
        ) from None
    try:
        return validate(document)
    except CriteriaError as error:
        raise CriteriaError(error.problems, str(path)) from None


def digest(definition: Definition) -> str:
    canonical = json.dumps(definition.document, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def dump(document: Mapping[str, Any]) -> str:
    """A stored document as YAML, keys in the order the format describes them."""
    ordered = {key: document[key] for key in KEYS if key in document}
    return yaml.safe_dump(ordered, allow_unicode=True, sort_keys=False, width=100)
