"""Learning titles in a real browser: a new citizen of the demo commune self-assesses (the
total follows the answers with JavaScript; without it the form still saves) and submits; the
commune's reviewer adjusts scores with their reasons and accepts; the approver recognises;
the certificate's verify page names the title and the holder; the commune's report counts
one more recognised Learning Citizen."""

from __future__ import annotations

import random
import re
from collections.abc import Callable

from playwright.sync_api import BrowserContext, Page

from tests.e2e.server import PortalServer
from tests.e2e.site import sign_in
from tests.e2e.test_accessibility import assert_no_violations
from tests.e2e.test_journeys import PASSWORD, _numbers, sign_up, urlpath

REASON = "Giấy xác nhận của trung tâm học tập cộng đồng: lớp học tại nhà văn hóa thôn."


def _phone() -> str:
    """A mobile number nobody has signed up with (the journeys' sequence, shared)."""
    n = next(_numbers)
    return f"0912 {n // 1000:03d} {n % 1000:03d}"


def _click(page: Page, selector: str) -> None:
    """Press a button or follow a link that loads a new page, and wait for it."""
    with page.expect_navigation():
        page.locator(selector).click()
    assert page.locator("main h1").count() == 1, page.url


def _flashed(page: Page) -> None:
    assert page.locator(".flash-success").count() >= 1, page.locator("main").inner_text()


def _number(text: str) -> int:
    """A whole number as the Vietnamese pages write it ("1.234")."""
    return int(re.sub(r"\D", "", text))


def _citizen_figures(page: Page, report: str, year: str) -> tuple[int, int, int]:
    """Registered, assessed and recognised Learning Citizens of ``year`` on the report."""
    page.goto(f"{report}?year={year}&model=citizen")
    row = page.locator("main section[aria-labelledby=summary-heading] tbody tr").first
    cells = row.locator("td.num")
    return (
        _number(cells.nth(0).inner_text()),
        _number(cells.nth(1).inner_text()),
        _number(cells.nth(2).inner_text()),
    )


def _total(page: Page) -> int:
    return _number(page.locator("#total").inner_text())


def _choose(page: Page, select: str, points: int) -> None:
    page.locator(select).select_option(str(points))


# --- the journey ---------------------------------------------------------------------------


def _reviewer_finds_the_demo_commune(page: Page) -> tuple[str, str]:
    """The reviewer's reports open on their commune: its report and its province's code."""
    page.goto("/reports")
    report = urlpath(page)
    assert re.fullmatch(r"/reports/communes/\d+", report), report
    href = page.locator("main nav a[href^='/reports/provinces/']").first.get_attribute("href")
    match = re.search(r"/reports/provinces/(\d+)", href or "")
    assert match, href
    return report, match.group(1)


def _citizen_of(page: Page, province: str, commune: str) -> None:
    """The new account says where its holder lives and works."""
    page.goto("/profile")
    page.select_option("select[name=occupation_group]", "rural_workers")
    page.select_option("select[name=home_province]", province)
    _click(page, "main button[name=show_communes], main input[name=show_communes]")
    page.select_option("select[name=home_commune]", commune)
    _click(page, "main form [name=submit]")
    _flashed(page)


def _registers(page: Page) -> tuple[str, str]:
    """Register for this round's Learning Citizen on /titles; the form's path and year."""
    _click(page, "header a[href='/titles']")
    form = page.locator("main form[action$='/titles/register']").filter(
        has=page.locator("input[name=model][value=citizen]")
    )
    year = form.locator("input[name=year]").input_value()
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    _flashed(page)
    path = urlpath(page)
    assert re.fullmatch(r"/titles/\d+", path), path
    return path, year


def _answers_with_javascript(page: Page) -> tuple[list[str], int]:
    """Answer the first half of the questions, watching the total follow; save. Returns the
    questions' selects and the total saved."""
    selects = [
        f"select[name='{name}']"
        for name in page.locator("main form#answers select[name^=answer-]").evaluate_all(
            "els => els.map(e => e.name)"
        )
    ]
    assert len(selects) >= 4, page.locator("main").inner_text()
    assert _total(page) == 0
    expected = 0
    for n, select in enumerate(selects[: len(selects) // 2]):
        points = 8 if n == 0 else 10
        _choose(page, select, points)
        expected += points
        assert _total(page) == expected  # recomputed in the page, nothing sent yet
    _click(page, "main form#answers button[value=save]")
    _flashed(page)
    assert _total(page) == expected
    return selects, expected


def _answers_without_javascript(context: BrowserContext, path: str, phone: str,
                                selects: list[str], saved: int) -> int:  # fmt: skip
    """The rest of the answers from a browser without JavaScript: the total changes only
    when the server has saved them."""
    page = context.new_page()
    sign_in(page, phone, PASSWORD)
    page.goto(path)
    assert _total(page) == saved
    total = saved
    for select in selects[len(selects) // 2 :]:
        _choose(page, select, 10)
        total += 10
    assert _total(page) == saved  # no script: the figure waits for the server
    _click(page, "main form#answers button[value=save]")
    _flashed(page)
    assert _total(page) == total
    return total


def _reviewer_adjusts_and_accepts(page: Page, name: str, automatic: list[str]) -> None:
    page.goto("/titles/review?status=submitted")
    _click(page, f"main table a:text-is('{name}')")
    assert re.fullmatch(r"/titles/\d+/review", urlpath(page)), page.url
    assert page.locator("main .score.wrong").count() == 1  # learning records show nothing yet
    assert_no_violations(page)
    before = _number(page.locator("main #result .big-figure").inner_text().split("/")[0])
    for code in automatic:
        form = page.locator(f"main [id='i-{code}'] form[action$='/adjust']")
        form.locator("input[name=points]").fill("7")
        form.locator("input[name=reason]").fill(REASON)
        with page.expect_navigation():
            form.locator("button[type=submit]").click()
        _flashed(page)
    after = _number(page.locator("main #result .big-figure").inner_text().split("/")[0])
    assert after == before + 7 * len(automatic)
    assert page.locator("main .score.right").count() == 1, page.locator("main #result").inner_text()
    trail = page.locator("main table").last
    assert trail.locator("tr", has_text=REASON).count() == len(automatic)
    page.fill("#accept-note", "Đã đối chiếu minh chứng.")
    _click(page, "main form[action$='/accept'] button")
    _flashed(page)


def _approver_recognises(page: Page, name: str) -> None:
    page.goto("/titles/decide")
    candidate = page.locator("main section").filter(has=page.locator("h2", has_text=name))
    assert candidate.count() == 1, page.locator("main").inner_text()
    assert_no_violations(page)
    with page.expect_navigation():
        candidate.locator("form[action$='/recognise'] button").click()
    _flashed(page)
    assert page.locator("main section h2", has_text=name).count() == 0


def test_citizen_reviewer_approver_and_report_journey(
    new_context: Callable[..., BrowserContext], portal: PortalServer
) -> None:
    name = f"Lò Thị Bình {random.randrange(10_000):04d}"
    phone = _phone()
    password = portal.demo_password

    reviewer = new_context().new_page()
    sign_in(reviewer, portal.demo_user(role="reviewer").sign_in, password)
    report, province = _reviewer_finds_the_demo_commune(reviewer)
    commune = report.rsplit("/", 1)[1]

    learner = new_context().new_page()
    sign_up(learner, name, phone)
    _citizen_of(learner, province, commune)
    learner.goto("/titles")
    offered = learner.locator("main form[action$='/titles/register'] input[name=year]")
    year = offered.first.input_value()  # next year's round once this year's has closed
    before = _citizen_figures(reviewer, report, year)

    path, registered_year = _registers(learner)
    assert registered_year == year
    automatic = [
        (el or "").removeprefix("i-")
        for el in learner.locator("main .indicator:has([data-fixed])").evaluate_all(
            "els => els.map(e => e.id)"
        )
    ]
    assert automatic, "the citizen's form draws some points from learning records"
    selects, saved = _answers_with_javascript(learner)
    assert_no_violations(learner)
    total = _answers_without_javascript(
        new_context(java_script_enabled=False), path, phone, selects, saved
    )
    learner.reload()
    assert _total(learner) == total
    _click(learner, "main form#answers button[value=submit]")
    _flashed(learner)
    assert learner.locator("main form#answers").count() == 0  # no longer open

    _reviewer_adjusts_and_accepts(reviewer, name, automatic)
    approver = new_context().new_page()
    sign_in(approver, portal.demo_user(role="approver").sign_in, password)
    _approver_recognises(approver, name)

    learner.goto(path)
    _click(learner, "main a[href^='/verify/']")
    assert learner.locator("main .flash-success").count() == 1
    facts = learner.locator("main dl.facts").inner_text()
    assert name in facts and "Công dân học tập" in facts and year in facts, facts

    after = _citizen_figures(reviewer, report, year)
    assert after == (before[0] + 1, before[1] + 1, before[2] + 1), (before, after)
