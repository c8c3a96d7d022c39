"""The summary tables kept current by each flush equal a rebuild from the source rows, after
status changes, deletions (with cascades) and changes to what the denominators count."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from portal.reports import summaries
from portal.reports.models import Denominator, Tally


def _snapshot(db):
    conn = db.session.connection()
    tallies = sorted(tuple(r) for r in conn.execute(sa.select(Tally.__table__)))
    denominators = sorted(tuple(r) for r in conn.execute(sa.select(Denominator.__table__)))
    return tallies, denominators


def _assert_incremental_equals_rebuild(db):
    db.session.flush()
    incremental = _snapshot(db)
    summaries.rebuild(db.session.connection())
    assert _snapshot(db) == incremental
    return incremental


def test_fixture_as_flushed_equals_a_rebuild(db, country):
    tallies, denominators = _assert_incremental_equals_rebuild(db)
    assert tallies and denominators


def test_changes_keep_the_summaries_equal_to_a_rebuild(db, country):
    from portal.recognition.models import Assessment

    family = country["assessments"]
    family[2].status = "submitted"
    db.session.flush()
    family[2].status = "recognised"  # two flushes: each applies its own difference
    family[1].status = "returned"
    db.session.delete(family[4])  # h5's family assessment
    country["assessments"][9].gender = "female"  # u2
    db.session.flush()
    db.session.expire_all()  # an expired object's old values come from the database
    reloaded = db.session.get(Assessment, country["assessments"][8].id)
    reloaded.status = "withdrawn"
    db.session.delete(country["users"]["u6"])  # cascades to u6's assessment
    country["villages"]["B"].retired_at = datetime.now(UTC)
    country["households"]["h2"].village_id = country["villages"]["B"].id
    country["users"]["u3"].occupation_group = "officials"
    db.session.delete(country["organisations"][1])
    _assert_incremental_equals_rebuild(db)


def test_a_recognition_shows_at_once_in_the_report(db, country):
    from portal.reports import queries
    from portal.reports.queries import Scope

    country["assessments"][1].status = "recognised"
    db.session.flush()
    family = next(f for f in queries.summary(2026, Scope("commune", "24820")) if f.key == "family")
    assert (family.assessed, family.recognised) == (2, 2)


def test_age_groups_follow_the_report_year():
    assert summaries.age_group(2026, 2012) == "under_15"
    assert summaries.age_group(2026, 2011) == "15_24"
    assert summaries.age_group(2026, 1966) == "60_plus"
    assert summaries.age_group(2026, 1967) == "45_59"
    assert summaries.age_group(2026, None) == "unknown"


def test_changes_through_relationships_and_cascades_equal_a_rebuild(db, country):
    from portal.places.models import Household, Village
    from portal.recognition.models import Assessment, Clan

    commune = country["communes"][1]
    village = Village(commune=commune, name="Thôn Mới")  # ids set only by the flush
    household = Household(village=village, name="Hộ mới")
    clan = Clan(commune=commune, name="Dòng họ mới")
    db.session.add_all([village, household, clan])
    db.session.add(Assessment(year=2026, model="family", criteria_set_id=country["assessments"][0]
                              .criteria_set_id, status="submitted",
                              subject_key="household:new", subject_name="Hộ mới",
                              commune_code="24823", province_code="68", village=village,
                              household=household))  # fmt: skip
    country["households"]["h1"].village = village  # moved through the relationship
    db.session.delete(country["member"])  # its withdrawn assessment goes by cascade
    db.session.delete(country["households"]["h4"])  # and h4's family assessment
    _assert_incremental_equals_rebuild(db)
