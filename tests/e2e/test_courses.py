"""Courses in a real browser: a teacher writes a course, a reviewer publishes it, a new learner
takes it to the certificate and a stranger checks that certificate; a learner without
JavaScript learns and is credited; hostile course texts run nothing; a Khmer lesson is drawn
in Khmer letters."""

from __future__ import annotations

import io
import json
import random
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import segno
from babel.numbers import format_decimal
from playwright.sync_api import BrowserContext, Page
from pypdf import PdfWriter

from tests.e2e.server import ROOT, PortalServer, flask
from tests.e2e.site import sign_in
from tests.e2e.test_accessibility import assert_no_violations
from tests.e2e.test_journeys import _numbers, sign_up, urlpath
from tests.e2e.test_resources import INJECTED, _recorder
from tests.e2e.test_scripts_render import MEASURE, platform_fonts
from tests.resources.vectors import XSS_VECTORS

DEMO_CONTENT = ROOT / "courses" / "content" / "demo" / "content.json"
KHMER = re.compile(r"[\u1780-\u17FF]")
PDF_NAME = "so-tay-nuoc-sach.pdf"


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
    """The page says the last action succeeded."""
    assert page.locator(".flash-success").count() >= 1, page.locator("main").inner_text()


def _small_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": "Sổ tay nước sạch"})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _demo_course(key: str) -> dict[str, Any]:
    data = json.loads(DEMO_CONTENT.read_text(encoding="utf-8"))
    return next(course for course in data["courses"] if course["key"] == key)


# --- the journey ---------------------------------------------------------------------------


def _teacher_writes_a_resource(page: Page, title: str) -> int:
    page.goto("/teach/resources/new")
    page.fill("#title", title)
    page.fill("#summary", "Sổ tay ngắn về cách giữ nước sạch trong gia đình.")
    page.fill("#body", "Đun sôi nước trước khi uống. Rửa tay bằng **xà phòng**.")
    page.select_option("#licence", "cc-by")
    page.select_option("#audience", "citizen")
    page.select_option("#level", "beginner")
    _click(page, "main form [type=submit]")
    match = re.search(r"/teach/resources/(\d+)/edit$", page.url)
    assert match, page.url
    page.set_input_files(
        "input[name=file]",
        files=[{"name": PDF_NAME, "mimeType": "application/pdf", "buffer": _small_pdf()}],
    )
    _click(page, "form[action$='/files'] [type=submit]")
    assert page.locator("main ul.files a", has_text=PDF_NAME).count() == 1
    _click(page, "form[action$='/submit'] button")
    _flashed(page)
    return int(match.group(1))


def _reviewer_publishes(page: Page, title: str) -> None:
    """From a review queue: open the item's preview, publish it, back to the queue."""
    _click(page, f"main li a:text-is('{title}')")
    _click(page, "main form[action$='/publish'] button")
    _flashed(page)
    assert page.locator("main li a", has_text=title).count() == 0  # gone from the queue


def _teacher_writes_lesson_text(page: Page, lesson_path: str, body: str) -> None:
    _click(page, "main ul.cw-langs a[lang=vi]")
    page.fill("#body", body)
    _click(page, "main form[method=post][novalidate] [type=submit]")
    _flashed(page)
    _click(page, f"main a[href='{lesson_path}']")


def _teacher_adds_lesson(page: Page, title: str) -> str:
    page.fill("main form[action$='/lessons'] input[name=title]", title)
    _click(page, "main form[action$='/lessons'] button")
    assert re.search(r"/teach/courses/\d+/lessons/\d+$", page.url), page.url
    return urlpath(page)


def _teacher_adds_question(page: Page, kind: str, fields: dict[str, str]) -> None:
    page.select_option("#new-question-kind", kind)
    _click(page, "main form[action$='/questions/new'] button")
    for name, value in fields.items():
        page.fill(f"#{name}", value)
    _click(page, "main form [type=submit]")
    _flashed(page)


def _teacher_writes_a_course(page: Page, title: str, resource_id: int) -> int:
    page.goto("/teach/courses")
    _click(page, "main a[href='/teach/courses/new']")
    page.fill("#title", title)
    page.fill("#summary", "Hai bài ngắn và một bài kiểm tra về nước sạch và rửa tay.")
    page.fill("#description", "Khóa học cho **mọi gia đình**.")
    page.check("input[name=subjects][value=health]")
    _click(page, "main form [type=submit]")
    match = re.search(r"/teach/courses/(\d+)$", page.url)
    assert match, page.url
    course_id = int(match.group(1))
    outline = f"/teach/courses/{course_id}"

    page.fill("#new-module", "Nước sạch trong nhà")
    _click(page, "main form[action$='/modules'] button")

    first = _teacher_adds_lesson(page, "Nước uống an toàn")
    _teacher_writes_lesson_text(
        page, first, "Nước giếng và nước mưa cần **đun sôi** ít nhất một phút trước khi uống."
    )
    page.fill("#estimated_minutes", "12")
    _click(page, "main form[action$='" + first + "'] [type=submit]")
    _click(page, f"main .cw-crumbs a[href='{outline}']")

    second = _teacher_adds_lesson(page, "Rửa tay đúng cách")
    _teacher_writes_lesson_text(page, second, "Rửa tay bằng xà phòng trong 20 giây.")
    page.fill("#resource-search", str(resource_id))
    _click(page, "main form[action$='#resources'] button")
    _click(page, "main form[action$='/resources'] button")
    assert page.locator(f"main a[href='/resources/{resource_id}']").count() == 1
    _click(page, "main form[action$='/quiz/new'] button")
    page.fill("#pass_mark", "100")
    page.check("input[name=feedback][value=full]")
    _click(page, "main form[method=post][novalidate] [type=submit]")
    _flashed(page)
    _teacher_adds_question(
        page,
        "single",
        {
            "prompt": "Nước giếng cần làm gì trước khi uống?",
            "options": "Để lắng một đêm\nĐun sôi ít nhất một phút\nCho thêm đá",
            "correct": "2",
            "explanation": "Đun sôi diệt vi khuẩn.",
        },
    )
    _teacher_adds_question(
        page,
        "short_text",
        {
            "prompt": "Rửa tay bằng gì thì sạch nhất?",
            "accepted": "xà phòng\nnước và xà phòng",
            "explanation": "Xà phòng cuốn trôi vi khuẩn.",
        },
    )
    assert page.locator("main ol.cw-questions > li").count() == 2
    _click(page, f"main .cw-crumbs a[href='{outline}']")
    _click(page, "main form[action$='/submit'] button")
    _flashed(page)
    return course_id


def _learner_takes_the_course(page: Page, title: str, resource_id: int) -> str:
    """Enrol, read and mark both lessons, pass the quiz; return the certificate's verify
    path found on the dashboard."""
    _click(page, "header nav a[href='/courses']")
    _click(page, f"main ul.courses a:text-is('{title}')")
    course_path = urlpath(page)
    _click(page, "main form[action$='/enrol'] button")
    _flashed(page)
    _click(page, "main a[href$='/resume']")  # "Start the first lesson"
    assert page.locator("main h1").inner_text() == "Nước uống an toàn"
    assert "đun sôi" in page.locator("main article .body").inner_text()
    _click(page, "#complete-form button")
    _flashed(page)
    assert page.locator("main h1").inner_text() == "Rửa tay đúng cách"
    assert page.locator(f"main a[href='/resources/{resource_id}']").count() == 1
    download = page.locator("main a[href*='/files/']").get_attribute("href")
    response = page.request.get(download or "")
    assert response.ok and response.body().startswith(b"%PDF-"), download
    _click(page, "#complete-form button")  # done, and on to the quiz
    assert "/quizzes/" in page.url
    _click(page, "main button[name=start]")
    page.get_by_label("Đun sôi ít nhất một phút").check()
    page.fill("main form.quiz input[type=text]", "  Xà Phòng ")
    _click(page, "main form.quiz [type=submit]")
    assert page.locator("main p.score.right").count() == 1, page.locator("main").inner_text()
    assert page.locator("main p.result.right").count() == 2
    assert page.locator(f"main a[href='{course_path}']").count() >= 1

    page.goto(course_path)
    assert page.locator("main .enrolment a[href='/certificates']").count() == 1
    _click(page, "header nav a[href='/dashboard']")  # "My learning"
    certificate = page.locator(
        "main section[aria-labelledby=certificates-heading] a[href^='/verify/']"
    )
    assert title in certificate.inner_text()
    verify_path = certificate.get_attribute("href") or ""
    completed = page.locator("main section[aria-labelledby=completed-heading]")
    assert completed.get_by_role("link", name=title, exact=True).count() == 1
    page.goto("/certificates")
    assert page.locator("main ul.cards h2", has_text=title).count() == 1
    return verify_path


def test_teacher_reviewer_learner_and_stranger_journey(
    new_context: Callable[..., BrowserContext], portal: PortalServer
) -> None:
    tag = f"{random.randrange(10_000):04d}"
    resource_title = f"Sổ tay nước sạch {tag}"
    course_title = f"Nước sạch cho gia đình {tag}"
    password = portal.demo_password

    teacher = new_context().new_page()
    sign_in(teacher, portal.demo_user(role="teacher").sign_in, password)
    resource_id = _teacher_writes_a_resource(teacher, resource_title)
    reviewer = new_context().new_page()
    sign_in(reviewer, portal.demo_user(role="reviewer").sign_in, password)
    reviewer.goto("/review/resources")
    _reviewer_publishes(reviewer, resource_title)
    course_id = _teacher_writes_a_course(teacher, course_title, resource_id)
    _click(reviewer, "header nav a[href='/review/courses']")  # "Review"
    _reviewer_publishes(reviewer, course_title)

    learner = new_context().new_page()
    sign_up(learner, "Hồ Thị Mai", _phone())
    verify_path = _learner_takes_the_course(learner, course_title, resource_id)
    code = verify_path.removeprefix("/verify/")
    assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){3}", code), code

    # A stranger types the code on /verify, then opens the address the QR code holds.
    stranger = new_context().new_page()
    stranger.goto("/verify")
    stranger.fill("main input[name=code]", code.lower())
    _click(stranger, "main form [type=submit]")
    assert urlpath(stranger) == verify_path
    assert stranger.locator("main .flash-success").count() == 1
    assert stranger.locator("main .flash-error").count() == 0
    assert course_title in stranger.locator("main dl.facts").inner_text()
    assert "Hồ Thị Mai" in stranger.locator("main dl.facts").inner_text()
    qr = stranger.locator("main img[src$='/qr.svg']")
    address = portal.base_url + verify_path
    assert address in (qr.get_attribute("alt") or "")
    svg = stranger.request.get(qr.get_attribute("src") or "")
    assert svg.ok and svg.headers["content-type"].startswith("image/svg+xml")
    expected = io.BytesIO()
    segno.make(address, error="m").save(
        expected, kind="svg", scale=4, border=2, xmldecl=False, svgclass=None, lineclass=None
    )
    assert svg.body() == expected.getvalue()  # the same matrix: it encodes this address
    phone = new_context().new_page()  # the stranger's phone camera opens the QR's address
    response = phone.goto(address)
    assert response is not None and response.status == 200
    assert phone.url == address
    assert phone.locator("main .flash-success").count() == 1

    # The teacher sees the learner in the course's statistics.
    _click(teacher, "header nav a[href='/teach/dashboard']")  # "Teach"
    assert teacher.locator("main svg.chart").count() >= 1  # completion rate per course
    assert_no_violations(teacher)
    _click(teacher, f"main a[href='/teach/courses/{course_id}/stats']")
    figures = teacher.locator("main section[aria-labelledby=enrolments-heading] dl.figures dd")
    assert figures.nth(0).inner_text() == "1"  # enrolments
    assert figures.nth(2).inner_text() == "1"  # completed
    assert_no_violations(teacher)


# --- without JavaScript --------------------------------------------------------------------


def test_a_learner_without_javascript_enrols_learns_and_takes_a_quiz(
    new_context: Callable[..., BrowserContext],
) -> None:
    course = _demo_course("doc-chu-viet-cho-nguoi-lon")
    title = course["translations"]["vi"]["title"]
    lessons = [lesson for module in course["modules"] for lesson in module["lessons"]]
    first, second, last = lessons[0], lessons[1], lessons[-1]
    assert last is not second and last["quiz"] is not None
    quiz = last["quiz"]

    page = new_context(java_script_enabled=False).new_page()
    sign_up(page, "Danh Thị Sa Rươne", _phone())
    page.goto("/dashboard")
    assert (
        page.locator("main .big-figure")
        .inner_text()
        .startswith(format_decimal(0, format="#,##0.0", locale="vi"))
    )
    page.goto("/courses?subject=languages")
    _click(page, f"main ul.courses a:text-is('{title}')")
    course_path = urlpath(page)
    _click(page, "main form[action$='/enrol'] button")
    _flashed(page)
    _click(page, "main a[href$='/resume']")
    assert page.locator("main h1").inner_text() == first["translations"]["vi"]["title"]
    assert page.locator("#complete-form input[name=active_seconds]").input_value() == ""
    _click(page, "#complete-form button")
    _flashed(page)

    # No script measured anything: the lesson's estimate is credited, lesson by lesson.
    page.goto("/dashboard")
    assert page.locator("main .big-figure").inner_text().startswith(_hours(first)), _hours(first)
    assert page.locator("main section[aria-labelledby=hours-heading] svg.chart").count() == 1
    progress = page.locator("main section[aria-labelledby=active-heading]")
    assert progress.get_by_role("link", name=title, exact=True).count() == 1
    _click(page, "main a[href$='/resume']")  # "Continue"
    assert page.locator("main h1").inner_text() == second["translations"]["vi"]["title"]
    _click(page, "#complete-form button")
    page.goto("/dashboard")
    both = _hours(first, second)
    assert page.locator("main .big-figure").inner_text().startswith(both), both
    page.goto(course_path)
    assert page.locator("main ol.outline li.done").count() == 2

    _click(page, "main ol.outline a >> nth=-1")
    _click(page, "main a[href*='/quizzes/']")
    _click(page, "main button[name=start]")
    for question in page.locator("main form.quiz fieldset.question").all():
        number = int((question.get_attribute("id") or "").rsplit("-", 1)[1])
        spec = quiz["questions"][_question_index(page, quiz, number)]
        _answer(question, spec)
    _click(page, "main form.quiz [type=submit]")
    assert page.locator("main p.score.right").count() == 1, page.locator("main").inner_text()
    assert page.locator("main p.result.wrong").count() == 0
    assert page.locator("main .explanation").count() == len(quiz["questions"])


def _hours(*lessons: dict[str, Any]) -> str:
    """The hours of the lessons' estimates as the dashboard writes them in Vietnamese."""
    minutes = sum(lesson["estimated_minutes"] for lesson in lessons)
    return format_decimal(minutes / 60, format="#,##0.0", locale="vi")


def _question_index(page: Page, quiz: dict[str, Any], question_id: int) -> int:
    """Which question of the package the fieldset shows: the prompt's words tell."""
    prompt = page.locator(f"#question-{question_id} .prompt").inner_text().strip()
    for index, spec in enumerate(quiz["questions"]):
        if spec["translations"]["vi"]["prompt"].strip() == prompt:
            return index
    raise AssertionError(f"no question of the package reads {prompt!r}")


def _answer(question: Any, spec: dict[str, Any]) -> None:
    answer = spec["answer"]
    if spec["kind"] == "single":
        text = spec["translations"]["vi"]["options"][answer["correct"]]
        question.get_by_label(text, exact=True).check()
    elif spec["kind"] == "true_false":
        question.locator(f"input[value={'true' if answer['correct'] else 'false'}]").check()
    elif spec["kind"] == "numeric":
        question.locator("input[type=text]").fill(str(answer["value"]).replace(".", ","))
    else:
        raise AssertionError(f"no answer written for {spec['kind']}")


# --- hostile texts -------------------------------------------------------------------------

# INJECTED of the resource tests, for course pages: the server-drawn charts are SVG (of known
# elements only), the lesson page loads its one time-on-task script, and course texts show in
# more places than a resource's.
_ANYWHERE = "'meta[http-equiv],template,math,style,main svg'"
_CONTENT = "'main article, main ul.resources, main h1, main table, main .diff, title'"
assert _ANYWHERE in INJECTED and _CONTENT in INJECTED
INJECTED_IN_COURSES = (
    INJECTED.replace("'script,", '\'script:not([src$="/static/learning/time-on-task.js"]),')
    .replace(
        _ANYWHERE,
        "'meta[http-equiv],template,math,style,main svg:not(.chart),"
        " svg.chart :not(title,desc,g,rect,line,path,text,tspan)'",
    )
    .replace(
        _CONTENT,
        "'main article, main h1, main h2, main h3, main table, main .prompt, main .explanation,"
        " main .choice label, main .body, main ul.courses, main ol.outline, main .breadcrumb,"
        " main .cards, main figure, title'",
    )
)


def _xss_package(folder: Path, tag: str) -> None:
    """One published course whose every text is a hostile vector: title, summary,
    description, module and lesson titles, lesson bodies, and a quiz of one question per
    vector (single choice with the vector as prompt, option and explanation; every third
    a short text answer with the vector as accepted answer)."""
    v = [vector for vector in XSS_VECTORS]
    lessons_per_module = 9

    def lesson(n: int) -> dict[str, Any]:
        return {
            "estimated_minutes": 5,
            "translations": {"vi": {"title": v[(n + 27) % len(v)][:200], "body": v[n]}},
            "resources": [],
            "quiz": None,
        }

    def question(n: int, vector: str) -> dict[str, Any]:
        if n % 3 == 2:
            return {
                "kind": "short_text",
                "points": 1,
                "option_keys": [],
                "answer": {"case_sensitive": False, "accent_sensitive": False},
                "translations": {
                    "vi": {
                        "prompt": vector,
                        "options": {},
                        "accepted": [vector[:200]],
                        "explanation": vector,
                    }
                },
            }
        return {
            "kind": "single",
            "points": 1,
            "option_keys": ["a", "b"],
            "answer": {"correct": "a"},
            "translations": {
                "vi": {
                    "prompt": vector,
                    "options": {"a": vector[:500], "b": "Không"},
                    "accepted": [],
                    "explanation": vector,
                }
            },
        }

    modules = [
        {
            "translations": {"vi": {"title": v[-1 - m][:200]}},
            "lessons": [lesson(m * lessons_per_module + k) for k in range(lessons_per_module)],
        }
        for m in range(3)
    ]
    modules[-1]["lessons"][-1]["quiz"] = {
        "pass_mark": 50,
        "max_attempts": None,
        "shuffle_questions": False,
        "shuffle_options": False,
        "feedback": "full",
        "questions": [question(n, vector) for n, vector in enumerate(v)],
    }
    course = {
        "key": f"xss-{tag}",
        "status": "published",
        "kind": "self_paced",
        "original_language": "vi",
        "subjects": ["law"],
        "level": "beginner",
        "audience": "citizen",
        "licence": "cc-by",
        "starts_on": None,
        "ends_on": None,
        "occupation": None,
        "qf_level": None,
        "nominal_hours": None,
        "completion": {
            "require_all_lessons": True,
            "require_quizzes_passed": True,
            "min_score": None,
        },
        "issues_certificate": False,
        "translations": {"vi": {"title": v[0], "summary": v[2], "description": v[-4]}},
        "prerequisites": [],
        "modules": modules,
    }
    package = {"format": "hoctap-content", "version": 1, "resources": [], "courses": [course]}
    folder.mkdir()
    (folder / "content.json").write_text(json.dumps(package, ensure_ascii=False), encoding="utf-8")


def _assert_inert(page: Page, path: str, dialogs: list[str]) -> None:
    response = page.goto(path, wait_until="load")
    assert response is not None and response.ok, path
    page.wait_for_timeout(30)  # let any timer or onload handler fire
    injected = page.evaluate(INJECTED_IN_COURSES)
    assert injected == [], f"{path}: {injected}"
    assert dialogs == [], f"{path}: a dialog opened: {dialogs}"


def test_fifty_and_more_xss_vectors_in_a_course_execute_nothing(
    new_context: Callable[..., BrowserContext],
    portal: PortalServer,
    admin_state: Path,
    tmp_path: Path,
) -> None:
    assert len(XSS_VECTORS) >= 50
    tag = f"{random.randrange(10_000):04d}"
    _xss_package(tmp_path / "package", tag)
    output = flask(portal.env, "content", "import", str(tmp_path / "package"))
    assert output is not None and "courses: 1 created" in output, output

    learner = new_context().new_page()
    dialogs: list[str] = []
    learner.on("dialog", _recorder(dialogs))
    sign_up(learner, "Y Nhi Êban", _phone())
    _assert_inert(learner, "/courses?subject=law", dialogs)
    links = learner.locator("main ul.courses a[href^='/courses/']")
    assert links.count() == 1
    course = links.get_attribute("href") or ""
    _assert_inert(learner, course, dialogs)
    assert learner.locator("main h1").inner_text() == XSS_VECTORS[0]  # shown as text
    _click(learner, "main form[action$='/enrol'] button")
    _assert_inert(learner, course, dialogs)
    lessons = [a.get_attribute("href") or "" for a in learner.locator("main ol.outline a").all()]
    assert len(lessons) == 27
    for lesson in lessons:
        _assert_inert(learner, lesson, dialogs)
    quiz = learner.locator("main a[href*='/quizzes/']").get_attribute("href") or ""
    learner.goto(quiz)
    _click(learner, "main button[name=start]")
    _assert_inert(learner, quiz, dialogs)
    for radio in learner.locator("main form.quiz input[type=radio][value=a]").all():
        radio.check()
    texts = learner.locator("main form.quiz input[type=text]").all()
    for vector, field in zip(XSS_VECTORS, texts, strict=False):
        field.fill(vector[:200])
    _click(learner, "main form.quiz [type=submit]")
    assert learner.locator("main .explanation").count() == len(XSS_VECTORS)
    _assert_inert(learner, urlpath(learner), dialogs)
    _assert_inert(learner, "/dashboard", dialogs)

    admin = new_context(storage_state=admin_state).new_page()
    admin.on("dialog", _recorder(dialogs))
    teach = "/teach" + course
    _assert_inert(admin, teach, dialogs)
    _assert_inert(admin, f"{teach}/preview", dialogs)
    _assert_inert(admin, f"{teach}/stats", dialogs)
    _assert_inert(admin, "/teach/dashboard", dialogs)
    lesson_editor = re.sub(r"^/courses/\d+/lessons/", f"{teach}/lessons/", lessons[-1])
    _assert_inert(admin, lesson_editor, dialogs)
    _assert_inert(admin, lesson_editor + "/quiz", dialogs)
    editors = admin.locator(f"main ol.cw-questions a[href^='{teach}/questions/']")
    for href in [a.get_attribute("href") or "" for a in editors.all()][:6:2]:
        _assert_inert(admin, href, dialogs)  # a single choice, a text answer, and so on


# --- Khmer ---------------------------------------------------------------------------------


def test_khmer_lesson_is_drawn_in_khmer_letters(page: Page, artifacts: Path) -> None:
    course = _demo_course("doc-chu-viet-cho-nguoi-lon")
    khmer_title = course["modules"][0]["lessons"][0]["translations"]["km"]["title"]
    page.goto("/courses?subject=languages")
    _click(page, f"main ul.courses a:text-is('{course['translations']['vi']['title']}')")
    _click(page, "main ol.outline a >> nth=0")
    assert page.locator("main article").get_attribute("lang") == "vi"
    _click(page, "main nav a[hreflang=km]")  # "Also in: ខ្មែរ"
    assert page.locator("main article").get_attribute("lang") == "km"
    assert page.locator("main article h1").inner_text() == khmer_title
    assert page.locator("html").get_attribute("lang") == "km"  # the interface follows
    assert_no_violations(page)
    page.evaluate("document.fonts.ready")
    page.screenshot(path=artifacts / "lesson-km.png", full_page=True)
    for selector in ("main article h1", "main article .body p"):
        fonts = platform_fonts(page, selector)
        assert any("Khmer" in f["familyName"] and f["glyphCount"] > 0 for f in fonts), (
            selector,
            fonts,
        )
        sizes = page.locator(selector).first.evaluate(MEASURE)
        assert KHMER.search(sizes["text"]), sizes
        assert sizes["width"] > 0 and abs(sizes["width"] - sizes["tofu"]) > 1, sizes
