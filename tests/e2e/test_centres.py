"""Learning centres in a real browser: the demo centre's officer creates a class and a session
for today, imports 200 learners from an XLSX with four bad rows, reads the rejection report,
confirms, takes the session's attendance and marks the demo learner's completion; she — her
row named her phone and her name — sees the class on her dashboard, with the session's hours
counted in the year's learning hours, and the programme certificate."""

from __future__ import annotations

import csv
import io
import random
import re
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from playwright.sync_api import BrowserContext, Page

from tests.e2e.server import PortalServer
from tests.e2e.site import DEMO_CENTRE, sign_in
from tests.e2e.test_accessibility import assert_no_violations

FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Lò", "Đinh", "K'", "Sơn", "H'")
MIDDLE = ("Thị", "Văn", "Đức", "Ngọc", "Minh")
GIVEN = ("An", "Bình", "Hoa", "Mai", "Pọm", "Sa Rươne", "Hen", "Lan", "Dũng", "Thảo")


def _xlsx(path: Path, learner_name: str, learner_phone: str) -> Path:
    """200 learners (the demo learner among them) and four bad rows: a phone that is not a
    mobile number, a commune code that does not exist, a national ID repeated from an
    earlier row, and a row without a name."""
    base = random.randrange(10_000, 90_000)
    book = Workbook()
    sheet = book.active
    sheet.append(["Họ và tên", "Số điện thoại", "Số CCCD", "Năm sinh", "Giới tính", "Mã xã"])
    sheet.append([learner_name, learner_phone, None, 1990, "Nữ", None])
    for n in range(199):
        name = f"{FAMILY[n % 10]} {MIDDLE[n % 5]} {GIVEN[(n // 10) % 10]} {n}"
        sheet.append([name, None, f"0681{base:05d}{n:03d}", 1960 + n % 40,
                      "Nam" if n % 2 else "Nữ", None])  # fmt: skip
    sheet.append(["Lò Văn Sai Số", "12345", None, 1980, "Nam", None])
    sheet.append(["Đinh Thị Xã Lạ", "0913 000 111", None, 1981, "Nữ", "00000"])
    sheet.append(["Trùng Số CCCD", None, f"0681{base:05d}000", 1982, "Nam", None])
    sheet.append([None, "0913 000 222", None, 1983, "Nữ", None])
    book.save(path)
    return path


def _submit(page: Page, selector: str) -> None:
    with page.expect_navigation():
        page.locator(selector).click()
    assert page.locator("main h1").count() == 1, page.url


def _hours(page: Page) -> Decimal:
    """The learning hours of the year on the dashboard ("12,5 giờ" in Vietnamese, "12.5
    hours" in English)."""
    page.goto("/dashboard")
    text = page.locator("section[aria-labelledby=hours-heading] .big-figure").inner_text()
    number = re.search(r"\d[\d.,]*", text)
    assert number, text
    digits = number.group()
    if "giờ" in text:
        digits = digits.replace(".", "").replace(",", ".")
    return Decimal(digits.replace(",", ""))


def test_officer_imports_learners_takes_attendance_and_the_learner_sees_her_hours(
    portal: PortalServer,
    new_context: Callable[..., BrowserContext],
    tmp_path: Path,
) -> None:
    staff = portal.demo_user(role="staff")
    learner = portal.demo_user(role="learner", language="vi")
    learner_context = new_context()
    learner_page = learner_context.new_page()
    sign_in(learner_page, learner.sign_in, portal.demo_password)
    hours_before = _hours(learner_page)

    officer = new_context().new_page()
    sign_in(officer, staff.sign_in, portal.demo_password)

    # A new class of the centre's first programme, with a session today.
    tag = random.randrange(1000, 9999)
    officer.goto(f"/centres/{DEMO_CENTRE}/manage/classes/new")
    form = officer.locator("main form").first
    form.locator("[name=programme]").select_option(index=0)
    form.locator("[name=code]").fill(f"E2E-{tag}")
    title = f"Lớp tin học cơ bản {tag}"
    form.locator("[name=title]").fill(title)
    form.locator("[name=teacher_name]").fill("Cô Lê Thị Hoa")
    form.locator("[name=capacity]").fill("250")
    form.locator("[name=language]").select_option("vi")
    _submit(officer, "main form [type=submit]")
    roster = officer.url.split("?")[0].split("#")[0]
    assert re.search(r"/manage/classes/\d+$", roster), roster
    class_id = roster.rsplit("/", 1)[-1]
    today = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()
    session_form = officer.locator("main form[action$='/sessions']")
    session_form.locator("[name=session-day]").fill(today.isoformat())
    session_form.locator("[name=session-start_time]").fill("08:00")
    session_form.locator("[name=session-minutes]").fill("90")
    _submit(officer, "main form[action$='/sessions'] [type=submit]")

    # Import: upload, preview with the rejected rows and their reasons, confirm.
    officer.goto(f"{roster}/imports")
    assert_no_violations(officer)
    spreadsheet = _xlsx(tmp_path / "hoc-vien.xlsx", learner.name, learner.sign_in)
    officer.set_input_files("input[type=file]", str(spreadsheet))
    _submit(officer, "main form[enctype='multipart/form-data'] [type=submit]")
    preview = officer.url
    figures = officer.locator("main dl").first.inner_text()
    assert re.search(r"204", figures) and re.search(r"\b200\b", figures), figures
    main = officer.locator("main").inner_text()
    for name in ("Lò Văn Sai Số", "Đinh Thị Xã Lạ", "Trùng Số CCCD"):
        assert name in main, main
    assert_no_violations(officer)
    rejected = officer.request.get(f"{preview.split('?')[0]}/rejected.csv")
    assert rejected.ok
    rows = list(csv.reader(io.StringIO(rejected.text().lstrip("\ufeff"))))
    assert len(rows) == 1 + 4, rows  # the header and the four bad rows, each with its reason
    assert all(row[-1].strip() for row in rows[1:]), rows
    _submit(officer, "main form[action$='/confirm'] [type=submit]")
    assert officer.locator(".flash-success").count() >= 1, officer.locator("main").inner_text()
    officer.goto(roster)
    assert learner.name in officer.locator("main").inner_text()

    # Attendance of today's session: everyone present, in one press.
    teaching = f"/centres/{DEMO_CENTRE}/classes/{class_id}/teaching"
    officer.goto(teaching)
    _submit(officer, "main a[href*='/attendance']")
    assert_no_violations(officer)
    _submit(officer, "main button[value=others-present]")
    assert officer.locator(".flash-success").count() >= 1, officer.locator("main").inner_text()

    # Results: the demo learner completed the class.
    officer.goto(f"/centres/{DEMO_CENTRE}/classes/{class_id}/results")
    exact = re.compile(f"^{re.escape(learner.name)}$")  # "Nguyễn Thị Lan 70" is someone else
    mine = officer.locator("main fieldset", has=officer.locator("legend", has_text=exact))
    mine.locator("input[value=completed]").check()
    _submit(officer, "main form.register button[type=submit]")
    assert officer.locator(".flash-success").count() >= 1, officer.locator("main").inner_text()

    # The learner's dashboard: the class, one session attended, 1.5 more hours this year.
    learner_page.goto("/dashboard")
    classes = learner_page.locator("section[aria-labelledby=classes-heading]")
    card = classes.locator("li", has=learner_page.locator("h3", has_text=title))
    assert card.count() == 1, classes.inner_text()
    assert "1" in card.locator("dd").nth(1).inner_text()
    assert card.locator("a[href*='/verify/']").count() == 1
    assert_no_violations(learner_page)
    assert _hours(learner_page) == hours_before + Decimal("1.5")
