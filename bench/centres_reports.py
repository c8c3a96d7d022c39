"""How fast is the centres' report (``/centres/reports``) on a province-sized register?

Creates a scratch PostgreSQL database (``--url``, a server; the database ``--database`` is
dropped first and again at the end unless ``--keep``), makes the schema with the migrations,
loads the real administrative units and generates in SQL (``generate_series``, no Python
loops), at ``--scale`` 1:

- 500 centres, one in each of the first 500 communes (by code), 4 programmes each (the 8
  programme types in turn) and 2 classes per programme (4,000 classes; every 50th
  cancelled), starting through 2026 and lasting 90 days, with 25 sessions each (100,000);
- 100,000 people with gender, ethnicity, year of birth, disability and occupation group;
- 200,000 enrolments (each person in two classes) in every status: enrolled, completed
  (with the literacy level reached in literacy classes), not completed, withdrawn,
  waitlisted;
- attendance of every enrolment that is not waitlisted at the first 11 sessions of its
  class (about 2,000,000 rows), three in four present.

After ``ANALYZE`` and with the Flask test client signed in as an administrator, it times
(``--runs`` runs after one warm-up; median and slowest, ms) the page by each dimension, with
and without a split by gender and age group, filtered to one province and one centre, and
the CSV export by centre split by gender. In the same run, the baseline: one bare
``GROUP BY`` of the year's attendance rows by programme type (the largest table the page
reads, scanned once), so the ratio says what the page costs beyond reading its data once.

Run from the repository root: ``.venv/bin/python bench/centres_reports.py`` (``--scale 0.1``
is a quick run).
"""

# The SQL below is built from this file's own numbers and names only.
# ruff: noqa: S608

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import scratch  # noqa: E402
from bench.scratch import page, step, timed  # noqa: E402

PERIOD = "from=2026-01-01&to=2026-12-31"
TYPES = "ARRAY['literacy_1','literacy_2','post_literacy','vocational','digital','life_skills'," \
    "'language','other']"  # fmt: skip


def generate(conn: sa.Connection, scale: float) -> dict[str, int]:
    """Fill the register; returns the sizes generated."""
    centres = max(int(500 * scale), 4)
    people = max(int(100_000 * scale), 100)

    def x(sql: str) -> Any:  # the driver reads % as a placeholder mark
        return conn.exec_driver_sql(sql.replace("%", "%%"))

    x("SET synchronous_commit = off")

    def places() -> None:
        x(f"""INSERT INTO centres (code, name, kind, commune_id, is_active, created_at)
              SELECT 'c-' || c.code, 'Trung tâm ' || c.name, 'clc', c.id, true, now()
              FROM admin_units c WHERE c.level = 'commune' AND c.valid_to IS NULL
              ORDER BY c.code LIMIT {centres}""")
        x(f"""INSERT INTO programmes (centre_id, type, title, gives_certificate, created_at)
              SELECT c.id, ({TYPES})[((c.id * 4 + k) % 8) + 1], 'Chương trình ' || k, true, now()
              FROM centres c, generate_series(0, 3) k""")
        x("""INSERT INTO centre_classes (centre_id, programme_id, code, title, capacity,
                                         language, starts_on, ends_on, status, created_at)
             SELECT p.centre_id, p.id, 'L' || p.id || '-' || k, 'Lớp ' || k, 60, 'vi',
                    date '2026-01-05' + ((p.id * 2 + k) % 300),
                    date '2026-01-05' + ((p.id * 2 + k) % 300) + 90,
                    CASE WHEN (p.id * 2 + k) % 50 = 0 THEN 'cancelled' ELSE 'open' END, now()
             FROM programmes p, generate_series(0, 1) k""")
        x("""INSERT INTO class_sessions (class_id, day, start_time, minutes, cancelled)
             SELECT c.id, c.starts_on + k * 3, time '19:00', 90, k = 24
             FROM centre_classes c, generate_series(0, 24) k""")

    def register() -> None:
        x(f"""INSERT INTO people (full_name, name_folded, birth_year, gender, ethnicity_code,
                                  disability, occupation_group, created_at)
              SELECT 'Học viên ' || g, 'hoc vien ' || g, 1950 + (g * 7919) % 60,
                     (ARRAY['female', 'male', NULL])[g % 3 + 1],
                     (ARRAY['01','01','01','08','09','02','03', NULL])[g % 8 + 1],
                     CASE WHEN g % 20 = 0 THEN 'seeing' WHEN g % 7 = 0 THEN NULL
                          ELSE 'none' END,
                     (ARRAY['rural_workers','enterprise_workers','other_citizens',
                            NULL])[g % 4 + 1], now()
              FROM generate_series(1, {people}) g""")
        x("""CREATE TEMP TABLE bench_classes AS
             SELECT row_number() OVER (ORDER BY c.id) AS n, c.id, c.starts_on, c.ends_on,
                    p.type FROM centre_classes c JOIN programmes p ON p.id = c.programme_id""")
        x("CREATE INDEX ON bench_classes (n)")
        classes = x("SELECT count(*) FROM bench_classes").scalar_one()
        x("""CREATE TEMP TABLE bench_people AS
             SELECT row_number() OVER (ORDER BY id) AS n, id FROM people""")
        x("CREATE INDEX ON bench_people (n)")
        statuses = ("ARRAY['enrolled','completed','completed','completed','not_completed',"
                    "'withdrawn','enrolled','completed','waitlisted','completed']")  # fmt: skip
        x(f"""INSERT INTO class_enrolments (class_id, person_id, registration, status,
                  enrolled_at, withdrawn_at, completed_at, literacy_level)
              SELECT c.id, p.id, md5(g::text)::uuid::text, s.status,
                     c.starts_on - 10 + time '03:00',
                     CASE WHEN s.status = 'withdrawn' THEN c.starts_on + 20 + time '03:00' END,
                     CASE WHEN s.status IN ('completed', 'not_completed')
                          THEN c.ends_on + time '10:00' END,
                     CASE WHEN s.status = 'completed' AND c.type = 'literacy_1' THEN 1
                          WHEN s.status = 'completed' AND c.type = 'literacy_2' THEN 2 END
              FROM generate_series(1, {people * 2}) g
              JOIN bench_classes c ON c.n = (g - 1) % {classes} + 1
              JOIN bench_people p ON p.n = (g - 1) / 2 + 1
              CROSS JOIN LATERAL
                  (SELECT ({statuses})[((g - 1) / {classes} + g) % 10 + 1] AS status) s""")

    def attendance() -> None:
        x("""INSERT INTO class_attendance (session_id, enrolment_id, status, recorded_at)
             SELECT s.id, e.id,
                    (ARRAY['present','present','present','absent'])[(s.id + e.id) % 4 + 1],
                    now()
             FROM class_enrolments e JOIN centre_classes c ON c.id = e.class_id
             JOIN class_sessions s ON s.class_id = c.id AND s.day < c.starts_on + 33
             WHERE e.status <> 'waitlisted'""")

    step(f"{centres:,} centres, programmes, classes, sessions", places)
    step(f"{people:,} people, {people * 2:,} enrolments", register)
    step("attendance", attendance)
    conn.commit()
    return {
        table: x(f"SELECT count(*) FROM {table}").scalar_one()
        for table in (
            "centres",
            "programmes",
            "centre_classes",
            "class_sessions",
            "people",
            "class_enrolments",
            "class_attendance",
        )
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    scratch.add_arguments(parser, "portal_bench_centres")
    args = parser.parse_args()

    from portal.extensions import db

    with scratch.scratch_app(args) as app:
        with app.app_context():
            if not args.reuse:
                scratch.migrate_and_load_places()
                with db.engine.connect() as conn:
                    counts = generate(conn, args.scale)
                    conn.commit()
                    conn.execution_options(isolation_level="AUTOCOMMIT")
                    step("ANALYZE", lambda: conn.exec_driver_sql("ANALYZE"))
                for table, count in counts.items():
                    print(f"  {table:<24} {count:>12,}")
                scratch.add_admin()
            with db.engine.connect() as conn:
                province, centre = conn.exec_driver_sql("""
                    SELECT p.code, min(c.code) FROM centres c
                    JOIN admin_units u ON u.id = c.commune_id
                    JOIN admin_units p ON p.id = u.parent_id
                    GROUP BY p.code ORDER BY count(*) DESC LIMIT 1""").one()
        measure(app, args.runs, province, centre)


def measure(app: Any, runs: int, province: str, centre: str) -> None:
    from portal.extensions import db

    client = scratch.signed_in(app)
    baseline_sql = sa.text("""
        SELECT p.type, count(*) FILTER (WHERE a.status = 'present'), count(*)
        FROM class_attendance a JOIN class_sessions s ON s.id = a.session_id
        JOIN centre_classes c ON c.id = s.class_id JOIN programmes p ON p.id = c.programme_id
        WHERE s.day BETWEEN '2026-01-01' AND '2026-12-31' GROUP BY p.type""")
    with app.app_context(), db.engine.connect() as conn:
        base = timed(lambda: conn.execute(baseline_sql).all(), runs)
    print(f"\nPages ({runs} runs after a warm-up; median / slowest ms; median ÷ baseline):")
    print(f"  {'baseline: attendance GROUP BY':<44} {base[0] * 1000:8.0f} {base[1] * 1000:8.0f}")
    pages = {
        "by programme type": "by=programme",
        "by centre": "by=centre",
        "by commune": "by=commune",
        "by province": "by=province",
        "by month": "by=month",
        "by programme type, split by gender": "by=programme&group=gender",
        "by month, split by age group": "by=month&group=age_group",
        f"province {province}, by centre": f"by=centre&province={province}",
        f"centre {centre}, by month": f"by=month&centre={centre}",
        "CSV by centre, split by gender": "by=centre&group=gender&format=csv",
    }
    for label, query in pages.items():
        median, slowest = timed(page(client, f"/centres/reports?{PERIOD}&{query}"), runs)
        print(f"  {label:<44} {median * 1000:8.0f} {slowest * 1000:8.0f} {median / base[0]:6.1f}x")


if __name__ == "__main__":
    main()
