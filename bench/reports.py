"""How fast are the report pages and exports on a country-sized database?

Creates a scratch PostgreSQL database (``--url``, a server; the database ``--database`` is
dropped first and again at the end unless ``--keep``), makes the schema with the migrations,
loads the real administrative units (``portal.places.operations.load_units``: 34 provinces
and 3,321 communes in force) and generates in SQL (``generate_series``, no Python loops), at
``--scale`` 1:

- 10 villages per commune (33,210), 3 clans and 5 units (organisations) per commune, and
  commune areas (a third of communes in ethnic-minority areas, a quarter mountainous);
- 1,000,000 households spread over the villages, and 4,000,000 citizens: users with a phone,
  year of birth, gender, ethnicity, disability, occupation group and home commune, four per
  household, each also a household member;
- 20,000,000 learning statements (minimal statement JSON) of those users — they do not enter
  the reports, but they are what a real database of this size holds; their secondary
  indexes are dropped during the load and made again afterwards, as a bulk load does;
- assessments of 2026: 60 % of households (families), half of the citizens, 80 % of clans,
  70 % of villages (communities) and 90 % of units, in every status, with commune and
  province codes and the citizens' groups copied as registration does.

Then ``portal.reports.summaries.rebuild`` fills the summary tables (timed) and ``ANALYZE``
runs. With the Flask test client, signed in as an administrator, it times (``--runs`` runs
after one warm-up; median and slowest): the national page (``/reports``, families and
citizens), a province page (the province with most communes) and a commune page (with its
villages). In the same run, a baseline: the national per-model figures computed by ``GROUP
BY`` over the raw ``assessments`` table, as the pages would without summaries; the ratio
says what the summary tables buy. Last, the XLSX export of every commune × model of the
country (``/reports?format=xlsx&detail=communes``, 16,605 rows) and of every village × model
(``detail=villages``, about 81,000 rows; also as CSV), read chunk by chunk as a browser
would: seconds, bytes, and peak Python memory (``tracemalloc``, a second run) against a small
export (one commune), to show memory stays flat as rows grow; and the process's peak RSS.

Run from the repository root: ``.venv/bin/python bench/reports.py`` (full size takes a
while; ``--scale 0.01`` is a quick run). Targets of the reports issue: each page under 1 s,
the export under 60 s with flat memory.
"""

# The SQL below is built from this file's own numbers and names only; the password is the
# scratch database's throw-away administrator's.
# ruff: noqa: S608

from __future__ import annotations

import argparse
import resource
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import scratch  # noqa: E402
from bench.scratch import page, step, timed  # noqa: E402

YEAR = 2026
STATEMENT_INDEXES = (
    "ix_learning_statements_user_id_course_iri",
    "ix_learning_statements_user_id_local_year",
    "ix_learning_statements_user_id",
    "ix_learning_statements_actor_key",
    "ix_learning_statements_verb_iri",
    "ix_learning_statements_activity_iri",
    "ix_learning_statements_registration",
    "ix_learning_statements_voids_statement_id",
    "ix_learning_statements_timestamp",
    "ix_learning_statements_stored",
)


def generate(conn: sa.Connection, scale: float) -> dict[str, int]:
    """Fill the database; returns the sizes generated."""
    households = max(int(1_000_000 * scale), 100)
    citizens = households * 4
    statements = max(int(20_000_000 * scale), 1000)

    def x(sql: str) -> Any:  # the driver reads % as a placeholder mark
        return conn.exec_driver_sql(sql.replace("%", "%%"))

    x("SET synchronous_commit = off")
    x("SET maintenance_work_mem = '1GB'")
    x("""CREATE TEMP TABLE bench_communes AS
         SELECT row_number() OVER (ORDER BY c.code) AS n, c.id, c.code, p.code AS province
         FROM admin_units c JOIN admin_units p ON p.id = c.parent_id
         WHERE c.level = 'commune' AND c.valid_to IS NULL AND p.level = 'province'""")
    communes = x("SELECT count(*) FROM bench_communes").scalar_one()

    def places() -> None:
        x("""INSERT INTO villages (commune_id, name, kind, created_at)
             SELECT c.id, 'Thôn ' || v, 'thon', now()
             FROM bench_communes c, generate_series(1, 10) v ORDER BY c.n, v""")
        x("""CREATE TEMP TABLE bench_villages AS
             SELECT row_number() OVER (ORDER BY v.id) AS n, v.id, v.commune_id, c.code,
                    c.province
             FROM villages v JOIN bench_communes c ON c.id = v.commune_id""")
        x("CREATE INDEX ON bench_villages (n)")
        x("""INSERT INTO clans (name, commune_id, village_id, created_at)
             SELECT 'Dòng họ ' || k, v.commune_id, v.id, now()
             FROM bench_villages v, generate_series(1, 3) k WHERE v.n % 10 = 1""")
        x("""INSERT INTO organisations (name, kind, level, commune_id, created_at)
             SELECT 'Đơn vị ' || k, 'agency', 'commune', c.id, now()
             FROM bench_communes c, generate_series(1, 5) k""")
        x("""INSERT INTO commune_areas (code, is_ethnic_minority_area, is_mountainous)
             SELECT code, n % 3 = 0, n % 4 = 0 FROM bench_communes""")

    def people() -> None:
        x(f"""INSERT INTO households (village_id, name, created_at)
              SELECT v.id, 'Hộ ' || g, now()
              FROM generate_series(1, {households}) g
              JOIN bench_villages v ON v.n = (g - 1) % {communes * 10} + 1 ORDER BY g""")
        x("""CREATE TEMP TABLE bench_households AS
             SELECT row_number() OVER (ORDER BY h.id) AS n, h.id, h.village_id
             FROM households h""")
        x("CREATE INDEX ON bench_households (n)")
        x(f"""INSERT INTO users (phone, password_hash, session_token, full_name,
                                 is_active_account, created_at, birth_year, gender,
                                 ethnicity_code, disability, occupation_group, home_commune_id)
              SELECT '+84' || lpad(g::text, 9, '0'), 'x', md5(g::text)::varchar(32),
                     'Công dân ' || g, true, now(), 1940 + (g::bigint * 7919) % 80,
                     (ARRAY['female', 'male'])[g % 2 + 1],
                     (ARRAY['01','01','01','01','01','01','01','02','03','05'])[g % 10 + 1],
                     CASE WHEN g % 20 = 0 THEN 'walking' ELSE 'none' END,
                     (ARRAY['officials', 'enterprise_workers', 'rural_workers',
                            'rural_workers', 'other_citizens'])[g % 5 + 1],
                     v.commune_id
              FROM generate_series(1, {citizens}) g
              JOIN bench_households h ON h.n = (g - 1) / 4 + 1
              JOIN bench_villages v ON v.id = h.village_id""")
        x("""INSERT INTO household_members (household_id, user_id, full_name, birth_year,
                                            gender, relation, created_at)
             SELECT h.id, u.id, u.full_name, u.birth_year, u.gender, 'other', now()
             FROM users u JOIN bench_households h
               ON h.n = (substr(u.phone, 4)::int - 1) / 4 + 1
             WHERE u.phone LIKE '+84%'""")

    def assessments() -> None:
        x("""INSERT INTO criteria_sets (code, version, model, is_sample, effective_from,
                                        definition, digest, loaded_at)
             VALUES ('bench', 1, 'family', true, '2025-01-01', '{}', 'bench', now())""")
        statuses = (
            "ARRAY['recognised','recognised','recognised','recognised','recognised',"
            "'accepted','submitted','draft','registered','not_recognised',"
            "'returned','withdrawn']"
        )
        common = """(year, model, criteria_set_id, status, subject_key, subject_name,
                     commune_code, province_code, scope_level, village_id, registered_at,
                     updated_at"""
        x(f"""INSERT INTO assessments {common}, household_id)
              SELECT {YEAR}, 'family', 1, ({statuses})[h.n % 12 + 1], 'household:' || h.id,
                     'Hộ', v.code, v.province, 'commune', v.id, now(), now(), h.id
              FROM bench_households h JOIN bench_villages v ON v.id = h.village_id
              WHERE h.n % 10 < 6""")
        x(f"""INSERT INTO assessments {common}, user_id, gender, ethnicity_code, birth_year,
                                      disability, occupation_group)
              SELECT {YEAR}, 'citizen', 1, ({statuses})[u.id % 12 + 1], 'user:' || u.id,
                     u.full_name, v.code, v.province, 'commune', v.id, now(), now(), u.id,
                     u.gender, u.ethnicity_code, u.birth_year, u.disability, u.occupation_group
              FROM users u JOIN household_members m ON m.user_id = u.id
              JOIN households h ON h.id = m.household_id
              JOIN bench_villages v ON v.id = h.village_id
              WHERE u.id % 2 = 0""")
        x(f"""INSERT INTO assessments {common}, clan_id)
              SELECT {YEAR}, 'clan', 1, ({statuses})[k.id % 12 + 1], 'clan:' || k.id, k.name,
                     v.code, v.province, 'commune', v.id, now(), now(), k.id
              FROM clans k JOIN bench_villages v ON v.id = k.village_id WHERE k.id % 5 <> 0""")
        x(f"""INSERT INTO assessments {common})
              SELECT {YEAR}, 'community', 1, ({statuses})[v.n % 12 + 1], 'village:' || v.id,
                     'Thôn', v.code, v.province, 'commune', v.id, now(), now()
              FROM bench_villages v WHERE v.n % 10 < 7""")
        x(f"""INSERT INTO assessments {common}, organisation_id)
              SELECT {YEAR}, 'unit', 1, ({statuses})[o.id % 12 + 1], 'organisation:' || o.id,
                     o.name, c.code, c.province, 'commune', NULL, now(), now(), o.id
              FROM organisations o JOIN bench_communes c ON c.id = o.commune_id
              WHERE o.id % 10 <> 0""")

    def learning_statements() -> None:
        for name in STATEMENT_INDEXES:
            x(f"DROP INDEX IF EXISTS {name}")
        first = x("SELECT min(id) FROM users WHERE phone LIKE '+84%'").scalar_one()
        x(f"""INSERT INTO learning_statements (statement_id, user_id, actor_key, verb_iri,
                  activity_iri, course_iri, is_voided, completion, local_year, timestamp,
                  stored, data)
              SELECT md5(g::text)::uuid::text, {first} + g % {citizens},
                     'user:' || ({first} + g % {citizens}),
                     'http://adlnet.gov/expapi/verbs/completed',
                     'https://portal.example/lessons/' || g % 5000,
                     'https://portal.example/courses/' || g % 500, false, true, {YEAR},
                     now() - (g % 300) * interval '1 day', now(),
                     jsonb_build_object('id', md5(g::text)::uuid::text,
                                        'verb', jsonb_build_object('id',
                                            'http://adlnet.gov/expapi/verbs/completed'))
              FROM generate_series(1, {statements}) g""")

    def statement_indexes() -> None:
        x(
            "CREATE INDEX ix_learning_statements_user_id_course_iri"
            " ON learning_statements (user_id, course_iri)"
        )
        x(
            "CREATE INDEX ix_learning_statements_user_id_local_year"
            " ON learning_statements (user_id, local_year)"
        )
        for column in (
            "user_id",
            "actor_key",
            "verb_iri",
            "activity_iri",
            "registration",
            "voids_statement_id",
            "timestamp",
            "stored",
        ):
            x(f"CREATE INDEX ix_learning_statements_{column} ON learning_statements ({column})")

    step("villages, clans, units, commune areas", places)
    step(f"{households:,} households, {citizens:,} citizens", people)
    step("assessments", assessments)
    step(f"{statements:,} learning statements", learning_statements)
    step("learning statements' indexes", statement_indexes)
    conn.commit()
    counts = {
        table: x(f"SELECT count(*) FROM {table}").scalar_one()
        for table in (
            "admin_units",
            "villages",
            "households",
            "users",
            "household_members",
            "clans",
            "organisations",
            "assessments",
            "learning_statements",
        )
    }
    return counts


def export(client: Any, path: str) -> tuple[float, int, int]:
    """Seconds, bytes and peak traced Python memory of one streamed export."""
    tracemalloc.start()
    start = time.perf_counter()
    response = client.get(path, buffered=False)
    assert response.status_code == 200, (path, response.status_code)
    size = sum(len(chunk) for chunk in response.response)
    response.close()
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return seconds, size, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    scratch.add_arguments(parser, "portal_bench_reports")
    args = parser.parse_args()

    from portal.extensions import db

    with scratch.scratch_app(args) as app:
        with app.app_context():
            if not args.reuse:
                from portal.reports import summaries

                scratch.migrate_and_load_places()
                with db.engine.connect() as conn:
                    counts = generate(conn, args.scale)
                    step("rebuild summaries", lambda: summaries.rebuild(conn))
                    conn.commit()
                    conn.execution_options(isolation_level="AUTOCOMMIT")
                    step("ANALYZE", lambda: conn.exec_driver_sql("ANALYZE"))
                for table, count in counts.items():
                    print(f"  {table:<24} {count:>12,}")
                scratch.add_admin()
            with db.engine.connect() as conn:
                province, commune = conn.exec_driver_sql("""
                    SELECT p.code, (SELECT c.code FROM admin_units c WHERE c.parent_id = p.id
                                    AND c.valid_to IS NULL ORDER BY c.code LIMIT 1)
                    FROM admin_units p JOIN admin_units c ON c.parent_id = p.id
                    WHERE p.level = 'province' AND p.valid_to IS NULL AND c.valid_to IS NULL
                    GROUP BY p.id, p.code ORDER BY count(*) DESC LIMIT 1""").one()
                tallies = conn.exec_driver_sql("SELECT count(*) FROM report_tallies").scalar()
            print(f"  report_tallies rows: {tallies:,}")
        measure(app, args.runs, province, commune)


def measure(app: Any, runs: int, province: str, commune: str) -> None:
    from portal.extensions import db

    client = scratch.signed_in(app)
    print(f"\nPages ({runs} runs after a warm-up; median / slowest, ms):")
    pages = {
        "national, families": f"/reports?year={YEAR}&model=family",
        "national, citizens": f"/reports?year={YEAR}&model=citizen",
        f"province {province}, families": f"/reports/provinces/{province}?year={YEAR}",
        f"province {province}, citizens":
            f"/reports/provinces/{province}?year={YEAR}&model=citizen",
        f"commune {commune}, families": f"/reports/communes/{commune}?year={YEAR}",
        f"commune {commune}, citizens": f"/reports/communes/{commune}?year={YEAR}&model=citizen",
    }  # fmt: skip
    national = None
    for label, path in pages.items():
        median, slowest = timed(page(client, path), runs)
        national = national or median
        print(f"  {label:<32} {median * 1000:8.0f} {slowest * 1000:8.0f}")

    baseline_sql = sa.text("""
        SELECT model, count(*) FILTER (WHERE status <> 'withdrawn'),
               count(*) FILTER (WHERE status IN ('submitted','accepted','recognised',
                                                 'not_recognised')),
               count(*) FILTER (WHERE status = 'recognised')
        FROM assessments WHERE year = :year GROUP BY model""")
    summary_sql = sa.text("""
        SELECT model, sum(registered), sum(assessed), sum(recognised) FROM report_tallies
        WHERE year = :year AND dimension = 'all' GROUP BY model""")
    with app.app_context(), db.engine.connect() as conn:
        raw = timed(lambda: conn.execute(baseline_sql, {"year": YEAR}).all(), runs)
        fast = timed(lambda: conn.execute(summary_sql, {"year": YEAR}).all(), runs)
        same = sorted(conn.execute(baseline_sql, {"year": YEAR}).all()) == sorted(
            conn.execute(summary_sql, {"year": YEAR}).all()
        )
    print("\nNational figures per model (median / slowest, ms):")
    print(f"  baseline: GROUP BY over assessments   {raw[0] * 1000:8.0f} {raw[1] * 1000:8.0f}")
    print(f"  summary table query                   {fast[0] * 1000:8.1f} {fast[1] * 1000:8.1f}")
    print(
        f"  same figures: {same}; baseline / summary query: {raw[0] / fast[0]:.0f}x;"
        f" baseline / whole national page: {raw[0] / national:.1f}x"
    )

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nExports (streamed, read chunk by chunk); peak RSS before them: {before:.0f} MB")
    for label, path in (
        (f"commune {commune}", f"/reports/communes/{commune}?year={YEAR}&format=xlsx"),
        ("every commune x model", f"/reports?year={YEAR}&format=xlsx&detail=communes"),
        ("every village x model", f"/reports?year={YEAR}&format=xlsx&detail=villages"),
        ("every village x model, CSV", f"/reports?year={YEAR}&format=csv&detail=villages"),
    ):
        start = time.perf_counter()
        response = client.get(path, buffered=False)
        size = sum(len(chunk) for chunk in response.response)
        response.close()
        seconds = time.perf_counter() - start
        _, _, peak = export(client, path)
        print(
            f"  {label:<28} {seconds:6.1f} s {size / 1e6:8.2f} MB"
            f"  peak traced memory {peak / 1e6:6.1f} MB"
        )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak RSS of this process after them: {rss:.0f} MB")


if __name__ == "__main__":
    main()
