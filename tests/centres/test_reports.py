"""The centres' report figures against hand counts of ``report_data`` (period: 2026), on
every backend. A figure tuple is (enrolled, withdrawn, sessions, present, recorded, ended,
completed, literacy level 1, literacy level 2)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from tests.centres import report_data

YEAR = {"from": "2026-01-01", "to": "2026-12-31"}
TODAY = date(2026, 11, 24)


@pytest.fixture
def register(db: Any, small_places: Any) -> Any:
    return report_data.build(db, small_places)


def _everything() -> Any:
    from portal.centres.report_queries import Reach

    return Reach(everything=True)


def _report(reach: Any = None, **args: str) -> Any:
    from portal.centres import report_queries

    reach = reach or _everything()
    filters = report_queries.read_filters({**YEAR, **args}, reach, TODAY)
    return report_queries.report(filters, reach)


def figures(row: Any) -> tuple[Any, ...]:
    return (row.enrolled, row.withdrawn, row.sessions, row.present, row.recorded, row.ended,
            row.completed, row.level_1, row.level_2)  # fmt: skip


def table(data: Any) -> dict[str, tuple[Any, ...]]:
    return {row.key: figures(row) for row in data.rows}


TOTAL = (4, 1, 6, 8, 14, 3, 2, 1, 1)


def test_by_programme_type_equals_hand_counts(register):
    data = _report(by="programme")
    assert [r.key for r in data.rows] == ["literacy_1", "literacy_2", "vocational"]
    assert table(data) == {
        # K1: p1 p2 p3 (p4 waitlisted; K4 ended in 2025); p2 withdrew; 3 sessions held (one
        # cancelled); P P A / P A E / P P; ended p1 p2 p3; p1 completed at level 1.
        "literacy_1": (3, 1, 3, 5, 8, 3, 1, 1, 0),
        # K3: p3 (completed 31 Jan), p2 (withdrew 1 Jan in Vietnam); p6 completed in 2025.
        "literacy_2": (2, 1, 1, 1, 2, 2, 1, 0, 1),
        # K2: p1, p6 (withdrew 1 Jan 2027 in Vietnam); p5 enrolled 1 Jan 2027 in Vietnam.
        "vocational": (2, 0, 2, 2, 4, 0, 0, 0, 0),
    }
    assert figures(data.total) == TOTAL  # p1 counts once though in two programmes


def test_rates(register):
    data = _report(by="programme")
    rows = {r.key: r for r in data.rows}
    assert rows["literacy_1"].attendance_rate == Decimal("0.625")
    assert rows["literacy_1"].completion_rate == Decimal(1) / Decimal(3)
    assert rows["vocational"].completion_rate is None
    assert data.total.attendance_rate == Decimal(8) / Decimal(14)
    assert data.total.completion_rate == Decimal(2) / Decimal(3)


@pytest.mark.parametrize(
    ("by", "a", "b"),
    [("centre", "clc-a", "clc-b"), ("commune", "24820", "00004"), ("province", "68", "01")],
)
def test_by_centre_commune_and_province(register, by, a, b):
    data = _report(by=by)
    assert table(data) == {a: (4, 1, 5, 7, 12, 3, 1, 1, 0), b: (2, 1, 1, 1, 2, 2, 1, 0, 1)}
    labels = {r.key: r.label for r in data.rows}
    assert labels[a] == {"centre": "Trung tâm A", "commune": "Xã Đam Rông 1",
                         "province": "Tỉnh Lâm Đồng"}[by]  # fmt: skip
    assert figures(data.total) == TOTAL


def test_by_month_buckets_by_vietnam_days(register):
    data = _report(by="month")
    assert [r.key for r in data.rows] == [f"2026-{m:02d}" for m in range(1, 13)]
    rows = table(data)
    assert rows["2026-01"] == (2, 1, 1, 1, 2, 2, 1, 0, 1)
    assert rows["2026-02"] == (3, 0, 2, 3, 6, 0, 0, 0, 0)
    assert rows["2026-03"] == (4, 1, 2, 3, 4, 1, 0, 0, 0)
    assert rows["2026-04"] == (3, 0, 1, 1, 2, 0, 0, 0, 0)
    assert rows["2026-05"] == (3, 0, 0, 0, 0, 0, 0, 0, 0)
    assert rows["2026-06"] == (3, 0, 0, 0, 0, 2, 1, 1, 0)
    for month in range(7, 13):
        assert rows[f"2026-{month:02d}"] == (2, 0, 0, 0, 0, 0, 0, 0, 0)
    assert figures(data.total) == TOTAL


def test_month_buckets_follow_a_period_cut_inside_months(register):
    data = _report(by="month", **{"from": "2026-01-15", "to": "2026-02-03"})
    assert table(data) == {
        # p2 withdrew from K3 on 1 Jan, before the period; so did the session of 10 Jan.
        "2026-01": (1, 0, 0, 0, 0, 1, 1, 0, 1),
        "2026-02": (3, 0, 1, 2, 3, 0, 0, 0, 0),  # the session of 4 Feb is after it
    }


def test_the_last_evening_of_a_day_in_vietnam_belongs_to_that_day(register):
    # 2025-12-31 17:30 UTC is 1 Jan 2026 00:30 in Vietnam: p2's withdrawal from K3 is not in
    # 2025, and they were enrolled in K3 until then.
    data = _report(by="programme", **{"from": "2025-12-01", "to": "2025-12-31"})
    lit2 = table(data)["literacy_2"]
    assert lit2[:2] == (3, 0)  # p3, p6 (completed 20 Dec), p2
    assert lit2[5:] == (1, 1, 0, 1)  # p6 completed at level 2


def test_filters_narrow_the_rows(register):
    assert set(table(_report(by="centre", province="01"))) == {"clc-b"}
    assert set(table(_report(by="centre", commune="24820"))) == {"clc-a"}
    assert table(_report(by="programme", centre="clc-a")) == {
        "literacy_1": (3, 1, 3, 5, 8, 3, 1, 1, 0),
        "vocational": (2, 0, 2, 2, 4, 0, 0, 0, 0),
    }
    only = _report(by="centre", programme="literacy_2")
    assert table(only) == {"clc-b": (2, 1, 1, 1, 2, 2, 1, 0, 1)}
    assert figures(only.total) == (2, 1, 1, 1, 2, 2, 1, 0, 1)
    assert _report(by="centre", province="01", commune="24820").rows == []


def test_split_by_gender(register):
    data = _report(by="programme", group="gender")
    lit1 = {r.key: figures(r) for r in data.groups["literacy_1"]}
    assert lit1 == {
        "female": (2, 0, None, 4, 6, 2, 1, 1, 0),  # p1 P P P, p3 A E P
        "male": (1, 1, None, 1, 2, 1, 0, 0, 0),  # p2 P A
    }
    total = {r.key: figures(r) for r in data.total_groups}
    assert total == {
        "female": (2, 0, None, 6, 9, 2, 2, 1, 1),  # p1, p3
        "male": (2, 1, None, 2, 5, 1, 0, 0, 0),  # p2, p6
    }
    assert [r.key for r in data.total_groups] == ["female", "male"]


def test_split_by_age_group_ethnicity_disability_and_occupation(register):
    ages = {r.key: r.enrolled for r in _report(by="centre", group="age_group").total_groups}
    assert ages == {"25_34": 1, "35_44": 1, "45_59": 1, "60_plus": 1}
    ethnic = _report(by="centre", group="ethnicity")
    assert {r.key: r.enrolled for r in ethnic.groups["clc-b"]} == {"01": 2}
    assert {r.key: r.enrolled for r in ethnic.total_groups} == {"01": 2, "08": 1, "09": 1}
    disability = {r.key: (r.enrolled, r.completed)
                  for r in _report(group="disability").total_groups}  # fmt: skip
    assert disability == {"none": (1, 1), "seeing": (1, 1), "unknown": (2, 0)}
    assert [k for k in disability][-1] == "unknown"
    jobs = {r.key: r.withdrawn for r in _report(group="occupation").total_groups}
    assert jobs == {"enterprise_workers": 1, "rural_workers": 0, "unknown": 0}


def test_unknown_group_values_are_counted_as_not_stated(register, db):
    from portal.centres.models import ClassEnrolment

    waiting = db.session.query(ClassEnrolment).filter_by(status="waitlisted").one()
    waiting.status = "enrolled"  # p4, who stated nothing, gets a place in K1
    db.session.flush()
    data = _report(by="programme", group="gender")
    assert {r.key: r.enrolled for r in data.groups["literacy_1"]} == {
        "female": 2, "male": 1, "unknown": 1}  # fmt: skip
    ages = {r.key: r.enrolled for r in _report(group="age_group").total_groups}
    assert ages["unknown"] == 1


def test_reach_limits_every_figure(register):
    from portal.centres.report_queries import Reach

    staff = Reach(centres=("clc-b",))
    assert table(_report(staff, by="centre")) == {"clc-b": (2, 1, 1, 1, 2, 2, 1, 0, 1)}
    assert figures(_report(staff).total) == (2, 1, 1, 1, 2, 2, 1, 0, 1)
    reviewer = Reach(communes=("24820",))
    assert set(table(_report(reviewer, by="centre"))) == {"clc-a"}
    approver = Reach(provinces=("01",))
    assert set(table(_report(approver, by="province"))) == {"01"}
    both = Reach(centres=("clc-b",), provinces=("68",))
    assert figures(_report(both).total) == TOTAL


def test_a_centre_outside_the_reach_is_unknown(register):
    from portal.centres import report_queries
    from portal.centres.report_queries import FilterError, Reach

    with pytest.raises(FilterError) as raised:
        report_queries.read_filters({"centre": "clc-a"}, Reach(centres=("clc-b",)), TODAY)
    assert raised.value.problems == {"centre": "centre"}


@pytest.mark.parametrize(
    ("args", "problems"),
    [
        ({"from": "2026-13-01"}, {"from": "bad_date"}),
        ({"to": "yesterday"}, {"to": "bad_date"}),
        ({"from": "1999-12-31"}, {"from": "bad_date"}),
        ({"from": "2026-05-01", "to": "2026-04-30"}, {"to": "reversed"}),
        ({"from": "2000-01-01", "to": "2020-01-01"}, {"to": "too_long"}),
        ({"province": "99"}, {"province": "province"}),
        ({"commune": "68"}, {"commune": "commune"}),
        ({"centre": "nowhere"}, {"centre": "centre"}),
        ({"programme": "cooking"}, {"programme": "programme"}),
        ({"by": "village", "group": "religion"}, {"by": "by", "group": "group"}),
        ({"format": "pdf"}, {"format": "format"}),
    ],
)
def test_bad_filters_are_refused_with_a_reason(register, args, problems):
    from portal.centres import report_queries
    from portal.centres.report_queries import MESSAGES, FilterError

    with pytest.raises(FilterError) as raised:
        report_queries.read_filters(args, _everything(), TODAY)
    assert raised.value.problems == problems
    assert set(raised.value.messages().values()) == {str(MESSAGES[k]) for k in problems.values()}


def test_default_period_is_this_year(register):
    from portal.centres import report_queries

    filters = report_queries.read_filters({}, _everything(), TODAY)
    assert (filters.first, filters.last, filters.by) == (date(2026, 1, 1), date(2026, 12, 31),
                                                         "programme")  # fmt: skip


def test_export_rows_hold_rows_groups_and_totals(register):
    from portal.centres import report_queries

    filters = report_queries.read_filters({**YEAR, "by": "centre", "group": "gender"},
                                          _everything(), TODAY)  # fmt: skip
    rows = list(report_queries.export_rows(filters, _everything()))
    assert rows[0] == report_queries.EXPORT_HEADER
    keyed = {(r[0], r[1], r[4]): r for r in rows[1:]}
    assert keyed[("centre", "clc-a", "")][5:] == (4, 1, 5, 7, 12, 0.5833, 3, 1, 0.3333, 1, 0)
    assert keyed[("centre", "clc-b", "female")][5:8] == (1, 0, None)
    assert keyed[("total", "total", "")][5:7] == (4, 1)
    assert keyed[("total", "total", "male")][5] == 2
    assert keyed[("centre", "clc-b", "")][2] == report_data.HYPERLINK  # neutralised on export


@pytest.mark.parametrize("group", ["gender", "ethnicity", "age_group", "disability", "occupation"])
@pytest.mark.parametrize("by", ["programme", "centre", "commune", "province", "month"])
def test_a_split_report_has_the_same_rows_and_totals(register, db, by, group):
    from portal.centres.models import ClassEnrolment

    waiting = db.session.query(ClassEnrolment).filter_by(status="waitlisted").one()
    waiting.status = "enrolled"  # p4, who stated nothing, is counted too
    db.session.flush()
    plain, split = _report(by=by), _report(by=by, group=group)
    assert table(split) == table(plain)
    assert [r.label for r in split.rows] == [r.label for r in plain.rows]
    assert figures(split.total) == figures(plain.total)
    for row in split.rows:
        members = split.groups.get(row.key, [])
        assert sum(m.enrolled for m in members) == row.enrolled
        assert sum(m.recorded for m in members) == row.recorded
