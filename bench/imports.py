"""How long does a 10,000-row spreadsheet of learners take to import?

Generates ``--rows`` rows (default 10,000) of realistic learners — Vietnamese names with
their accents, mobile numbers, 12-digit citizen ID numbers, dates of birth, gender,
ethnicity, the commune code — with about 2 % bad rows (a bad phone, a missing name, an
impossible date, a formula, a duplicate of an earlier row), written as XLSX and as CSV
(UTF-8 with a byte-order mark). Against a scratch SQLite database (and, with
``--database-url``, a scratch PostgreSQL database on that server, dropped afterwards), made
by the migrations, it times for each file, in a class of ``--capacity`` places (so the last
rows go on the waitlist):

- read: :func:`portal.centres.imports.read_file` (decode or unzip, rows);
- check: :func:`portal.centres.imports.check` with the commune look-up (every row's values,
  duplicates within the file);
- preview: :func:`portal.centres.bulk.upload` as the upload page runs it (read, check, keep
  the file in storage, count who is already in the class, record the preview), committed;
- confirm: :func:`portal.centres.bulk.confirm` as the confirm button runs it (read the kept
  file again, check again, find or add every person and enrol them in bulk), committed;
- re-import: the same file uploaded and confirmed again (adds nobody: every row counted as
  already in the class).

Baseline, in the same run: ``--baseline`` rows (default 1,000) of other people enrolled one
by one through :mod:`portal.centres.operations` (``find_person``, ``add_person``,
``enrol``), as the one-by-one form does, committed once; its time is extrapolated to
``--rows`` and divided by the bulk confirm's time.

Run from the repository root: ``.venv/bin/python bench/imports.py`` (SQLite only) or
``.venv/bin/python bench/imports.py --database-url postgresql://postgres@127.0.0.1:5432/``.
Target of the centres issue: a 10,000-row file imports in under 30 s.
"""

# The SQL below names this file's own scratch database; the password is its throw-away user's.
# ruff: noqa: S106

from __future__ import annotations

import argparse
import csv
import io
import logging
import random
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the portal's packages, not this folder's search.py

FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Lò",
    "Hà",
    "Vi",
    "Sầm",
    "K'",
    "Ka",
    "Y",
    "Đinh",
    "Triệu",
    "Lương",
    "Nông",
    "Mã",
]
MIDDLE = [
    "Văn",
    "Thị",
    "Hữu",
    "Đức",
    "Minh",
    "Ngọc",
    "Thanh",
    "Thu",
    "Quang",
    "Bích",
    "Xuân",
    "Kim",
]
GIVEN = [
    "An",
    "Bình",
    "Cúc",
    "Dũng",
    "Hằng",
    "Hoa",
    "Lan",
    "Mai",
    "Nam",
    "Phúc",
    "Quân",
    "Sơn",
    "Tâm",
    "Tú",
    "Vân",
    "Xuân",
    "Yến",
    "Khoa",
    "Thảo",
    "Hương",
    "Trang",
    "Pọm",
    "Brơi",
    "Hin",
    "Ơn",
    "Nhung",
    "Quyết",
    "Thắng",
    "Tuấn",
    "Điệp",
]
ETHNIC = ("Kinh", "Tày", "Thái", "Mường", "Hmông", "Dao", "Cơ-ho", "Mnông", "Ê-đê", "01", "08")
HEADER = ["STT", "Họ và tên", "Số điện thoại", "Số CCCD", "Ngày sinh", "Giới tính", "Dân tộc",
          "Mã xã", "Ghi chú"]  # fmt: skip
COMMUNE = "24820"


def learners(count: int, seed: int, bad_share: float = 0.02) -> list[list[Any]]:
    """``count`` rows under :data:`HEADER`; about ``bad_share`` of them wrong in some way."""
    rng = random.Random(seed)
    rows: list[list[Any]] = []
    for i in range(count):
        born = date(1950, 1, 1) + timedelta(days=rng.randrange(365 * 55))
        woman = rng.random() < 0.55
        name = f"{rng.choice(FAMILY)} {'Thị' if woman else rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        century = (2 if born.year < 2000 else 4) + woman
        national_id = f"068{century}{born.year % 100:02d}{seed:02d}{i:04d}"[:12].ljust(12, "0")
        phone = f"09{seed % 10}{i:07d}"
        row = [i + 1, name, phone, national_id, born.strftime("%d/%m/%Y"),
               "Nữ" if woman else "Nam", rng.choice(ETHNIC), COMMUNE, ""]  # fmt: skip
        if rng.random() < bad_share:
            flaw = rng.randrange(5)
            if flaw == 0:
                row[2] = "12345"
            elif flaw == 1:
                row[1] = ""
            elif flaw == 2:
                row[4] = "31/02/1990"
            elif flaw == 3:
                row[1] = '=HYPERLINK("http://example.org","bấm")'
            elif rows:
                row = [i + 1, *rows[rng.randrange(len(rows))][1:]]  # a duplicate
        rows.append(row)
    return rows


def as_csv(rows: list[list[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode()


def as_xlsx(rows: list[list[Any]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Danh sách")
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def timed(work: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = work()
    return time.perf_counter() - started, result


def line(label: str, seconds: float, rows: int) -> None:
    print(f"  {label:<44} {seconds:8.2f} s {rows / seconds if seconds else 0:>10,.0f} rows/s")


def setup(capacity: int) -> dict[str, Any]:
    from portal.accounts import operations as accounts
    from portal.accounts.models import Role
    from portal.centres.models import Centre, Programme
    from portal.extensions import db
    from portal.places.models import AdminUnit

    province = AdminUnit(level="province", code="68", kind="province", name="Tỉnh Lâm Đồng",
                         search_name="tinh lam dong", valid_from=date(2025, 7, 1))  # fmt: skip
    commune = AdminUnit(level="commune", code=COMMUNE, kind="commune", name="Xã Đam Rông 1",
                        search_name="xa dam rong 1", valid_from=date(2025, 7, 1),
                        parent=province)  # fmt: skip
    centre = Centre(code="clc-bench", name="TTHTCĐ xã Đam Rông 1", kind="clc", commune=commune)
    programme = Programme(centre=centre, type="digital", title="Kỹ năng số cơ bản")
    staff = accounts.create_user(full_name="Cán bộ trung tâm", password="bench password 1",
                                 email="staff@example.org", roles=())  # fmt: skip
    accounts.grant_role(staff, Role.STAFF, scope_kind="centre", scope_code="clc-bench")
    db.session.add_all([province, commune, centre, programme])
    db.session.commit()
    return {"centre": centre, "programme": programme, "staff": staff, "capacity": capacity}


def new_class(world: dict[str, Any], code: str) -> Any:
    from portal.centres.models import CentreClass
    from portal.extensions import db

    centre_class = CentreClass(centre=world["centre"], programme=world["programme"], code=code,
                               title=f"Lớp {code}", capacity=world["capacity"])  # fmt: skip
    db.session.add(centre_class)
    db.session.commit()
    return centre_class


def run_file(world: dict[str, Any], kind: str, data: bytes, rows: int) -> float:
    from portal.centres import bulk, imports
    from portal.extensions import db
    from portal.places.queries import today

    limits = imports.Limits()
    name = f"hoc-vien.{kind}"
    print(f"{kind.upper()}: {len(data) / 1024:,.0f} KiB")
    seconds, table = timed(lambda: imports.read_file(name, data, limits))
    line("read", seconds, rows)
    seconds, checked = timed(
        lambda: imports.check(
            table, communes=bulk.commune_ids(imports.commune_codes(table)), today=today()
        )
    )
    line(f"check ({len(checked.valid):,} valid, {len(checked.rejected):,} rejected)", seconds, rows)
    centre_class = new_class(world, f"B-{kind}")

    def preview() -> Any:
        record = bulk.upload(centre_class, filename=name, data=data, limits=limits,
                             by=world["staff"])  # fmt: skip
        db.session.commit()
        return record

    def confirm(record: Any) -> Callable[[], Any]:
        def work() -> Any:
            outcome = bulk.confirm(record, limits=limits, by=world["staff"])
            db.session.commit()
            bulk.forget_file(record)
            db.session.commit()
            return outcome

        return work

    seconds, record = timed(preview)
    line("preview (upload page)", seconds, rows)
    confirm_seconds, outcome = timed(confirm(record))
    line(f"confirm ({outcome.added:,} added, {outcome.waitlisted:,} waitlisted)",
         confirm_seconds, rows)  # fmt: skip
    seconds, again = timed(preview)
    seconds2, outcome2 = timed(confirm(again))
    line(f"re-import: preview + confirm ({outcome2.already:,} already)", seconds + seconds2, rows)
    assert outcome2.added == 0 and outcome2.already == outcome.added
    return confirm_seconds


def baseline(world: dict[str, Any], count: int) -> float:
    from portal.centres import imports, operations
    from portal.extensions import db
    from portal.places.queries import today

    table = imports.read_file("b.csv", as_csv(learners(count, seed=77, bad_share=0)))
    checked = imports.check(table, communes={COMMUNE: world["centre"].commune_id}, today=today())
    centre_class = new_class(world, "BASE")

    def one_by_one() -> None:
        for row in checked.valid:
            person = operations.find_person(row.details)
            if person is None:
                person = operations.add_person(row.details, centre=world["centre"],
                                               by=world["staff"])  # fmt: skip
            operations.enrol(centre_class, person, by=world["staff"])
        db.session.commit()

    seconds, _none = timed(one_by_one)
    line(f"baseline: {len(checked.valid):,} rows one by one (operations)", seconds,
         len(checked.valid))  # fmt: skip
    return seconds / len(checked.valid)


def run(url: str, label: str, args: argparse.Namespace, files: dict[str, bytes]) -> None:
    from flask_migrate import upgrade

    from portal import create_app
    from portal.extensions import db

    instance = Path(tempfile.mkdtemp(prefix="bench-imports-"))
    app = create_app({
        "TESTING": True, "PORTAL_DATABASE_URL": url, "PORTAL_INSTANCE_PATH": str(instance),
        "PORTAL_SECRET_KEY": "bench-secret-key-0123456789abcdef", "PORTAL_LOG_LEVEL": "WARNING",
    })  # fmt: skip
    logging.getLogger("portal").setLevel(logging.WARNING)
    print(f"\n== {label} ==")
    with app.app_context():
        upgrade()
        world = setup(args.capacity)
        confirms = {kind: run_file(world, kind, data, args.rows) for kind, data in files.items()}
        extrapolated = baseline(world, args.baseline) * args.rows
        print(f"  one by one, extrapolated to {args.rows:,} rows: {extrapolated:.2f} s")
        for kind, seconds in confirms.items():
            print(f"  bulk confirm of the {kind.upper()} file: {seconds:.2f} s, "
                  f"{extrapolated / seconds:,.1f}× faster than one by one")  # fmt: skip
        db.session.remove()
        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--capacity", type=int, default=9_000)
    parser.add_argument("--baseline", type=int, default=1_000)
    parser.add_argument(
        "--database-url", help="a PostgreSQL server, e.g. postgresql://postgres@127.0.0.1:5432/"
    )
    parser.add_argument("--database", default="portal_bench_imports")
    args = parser.parse_args()

    rows = learners(args.rows, seed=1)
    started = time.perf_counter()
    files = {"xlsx": as_xlsx(rows), "csv": as_csv(rows)}
    print(f"{args.rows:,} rows generated as XLSX and CSV in {time.perf_counter() - started:.1f} s")

    with tempfile.TemporaryDirectory(prefix="bench-imports-db-") as folder:
        run(f"sqlite:///{folder}/portal.sqlite3", "SQLite", args, files)
    if args.database_url:
        server = make_url(args.database_url).set(drivername="postgresql+psycopg")
        admin = sa.create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
            conn.exec_driver_sql(
                f"CREATE DATABASE \"{args.database}\" ENCODING 'UTF8' TEMPLATE template0"
            )
        try:
            url = server.set(database=args.database).render_as_string(hide_password=False)
            run(url, f"PostgreSQL ({server.host})", args, files)
        finally:
            with admin.connect() as conn:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
            admin.dispose()


if __name__ == "__main__":
    main()
