"""Report figures equal the counts made by hand on the fixture (see ``country``)."""

from __future__ import annotations

from decimal import Decimal

from portal.reports import queries
from portal.reports.queries import Scope
from tests.reports.conftest import YEAR

COUNTRY, P68, C1 = Scope("country"), Scope("province", "68"), Scope("commune", "24820")


def _row(rows, key):
    return next(r for r in rows if r.key == key)


def _counts(f):
    return (f.registered, f.assessed, f.recognised, f.denominator)


def test_family_figures_for_the_country_a_province_and_a_commune(country):
    assert _counts(_row(queries.summary(YEAR, COUNTRY), "family")) == (5, 4, 3, 5)
    assert _counts(_row(queries.summary(YEAR, P68), "family")) == (4, 3, 2, 4)
    commune = _row(queries.summary(YEAR, C1), "family")
    assert _counts(commune) == (3, 2, 1, 3)
    assert commune.rate == Decimal(1) / Decimal(3)
    assert commune.targets == {2025: Decimal("0.70"), 2030: Decimal("0.70")}
    assert commune.met(2025) is False


def test_other_models_rate_against_their_own_denominators(country):
    rows = queries.summary(YEAR, COUNTRY)
    assert _counts(_row(rows, "community")) == (1, 1, 1, 4)
    assert _counts(_row(rows, "clan")) == (1, 1, 0, 2)
    assert _counts(_row(rows, "unit")) == (1, 1, 1, 3)
    citizen = _row(rows, "citizen")
    assert _counts(citizen) == (5, 4, 3, None)  # the withdrawn member is not counted
    assert citizen.share == Decimal("0.6")


def test_learning_citizens_among_workers_and_unit_staff(country):
    rows = queries.summary(YEAR, COUNTRY)
    workers = _row(rows, "citizen:workers")
    assert _counts(workers) == (3, 2, 1, 4)
    assert workers.rate == Decimal("0.25") and workers.targets[2025] == Decimal("0.40")
    staff = _row(rows, "citizen:unit_staff")
    assert _counts(staff) == (2, 2, 2, 2)
    assert staff.met(2025) is True
    assert _counts(_row(queries.summary(YEAR, C1), "citizen:workers")) == (2, 2, 1, 3)


def test_drill_down_from_provinces_to_communes_to_villages(country):
    provinces = {f.key: _counts(f) for f in queries.breakdown(YEAR, "family", COUNTRY)}
    assert provinces == {"68": (4, 3, 2, 4), "01": (1, 1, 1, 1)}
    communes = {f.key: _counts(f) for f in queries.breakdown(YEAR, "family", P68)}
    assert communes == {"24820": (3, 2, 1, 3), "24823": (1, 1, 1, 1)}
    villages = {f.label: _counts(f) for f in queries.breakdown(YEAR, "family", C1)}
    assert villages == {"Thôn Đạ Nhar": (2, 2, 1, 2), "Buôn Liêng Trang": (1, 0, 0, 1)}
    communities = {f.label: _counts(f) for f in queries.breakdown(YEAR, "community", C1)}
    assert communities == {"Thôn Đạ Nhar": (1, 1, 1, 1), "Buôn Liêng Trang": (0, 0, 0, 1)}


def test_citizens_by_gender_ethnicity_age_disability_and_occupation(country):
    groups = queries.groups(YEAR, "citizen", P68)

    def of(dimension):
        return {f.key: (f.registered, f.recognised) for f in groups[dimension]}

    assert of("gender") == {"female": (2, 2), "male": (2, 0)}
    assert of("ethnicity") == {"01": (2, 1), "02": (2, 1)}
    assert of("age_group") == {"35_44": (1, 1), "15_24": (1, 0), "60_plus": (1, 1),
                               "45_59": (1, 0)}  # fmt: skip
    assert [f.key for f in groups["age_group"]] == ["15_24", "35_44", "45_59", "60_plus"]
    assert of("disability") == {"none": (3, 2), "walking": (1, 0)}
    assert of("occupation") == {"rural_workers": (2, 1), "enterprise_workers": (1, 0),
                                "officials": (1, 1)}  # fmt: skip
    assert queries.groups(YEAR, "family", P68) == {}


def test_communes_in_ethnic_minority_and_mountainous_areas(country):
    areas = {f.key: _counts(f) for f in queries.areas(YEAR, "family", COUNTRY)}
    assert areas == {
        "ethnic_minority": (3, 2, 1, 3),
        "not_ethnic_minority": (2, 2, 2, 2),
        "mountainous": (4, 3, 2, 4),
        "not_mountainous": (1, 1, 1, 1),
    }


def test_another_year_has_no_figures(country):
    assert all(f.registered == 0 for f in queries.summary(YEAR - 1, COUNTRY))
    assert queries.years() == [YEAR]
