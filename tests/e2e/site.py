"""The pages the browser tests audit, who opens each one, and signing in.

Pages whose URL holds a database id (a user, a unit, a village, a household) are found, or
made, through the administration pages themselves by :func:`discover`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from playwright.sync_api import BrowserContext, Page


@dataclass(frozen=True)
class SitePage:
    name: str
    path: str
    who: str  # "anonymous", "learner" or "admin"
    status: int = 200


DEMO_CENTRE = "demo-clc"  # the community learning centre of portal/centres/demo.py

# (name, who, expected status); paths with ids are filled in by discover().
PAGES: tuple[tuple[str, str, int], ...] = (
    ("home", "anonymous", 200),
    ("sign-up", "anonymous", 200),
    ("sign-in", "anonymous", 200),
    ("forgot-password", "anonymous", 200),
    ("language", "anonymous", 200),
    ("not-found", "anonymous", 404),
    ("reset-password", "anonymous", 200),
    ("reset-link-not-valid", "anonymous", 404),
    ("home-signed-in", "learner", 200),
    ("profile", "learner", 200),
    ("change-password", "learner", 200),
    ("delete-account", "learner", 200),
    ("admin-users", "admin", 200),
    ("admin-user", "admin", 200),
    ("places", "admin", 200),
    ("places-before-2025-reform", "admin", 200),
    ("places-province", "admin", 200),
    ("places-commune", "admin", 200),
    ("places-old-district", "admin", 200),
    ("places-village", "admin", 200),
    ("places-household", "admin", 200),
    ("verify-form", "anonymous", 200),
    ("verify-valid", "anonymous", 200),
    ("verify-revoked", "anonymous", 200),
    ("verify-unknown", "anonymous", 404),
    ("my-certificates", "learner", 200),
    ("admin-certificates", "admin", 200),
    ("admin-lrs-clients", "admin", 200),
    ("resources", "anonymous", 200),
    ("resource", "anonymous", 200),
    ("resources-teach", "admin", 200),
    ("resources-new", "admin", 200),
    ("resources-edit", "admin", 200),
    ("resources-text", "admin", 200),
    ("resources-text-new-language", "admin", 200),
    ("resources-preview", "admin", 200),
    ("resources-history", "admin", 200),
    ("resources-compare", "admin", 200),
    ("resources-review", "admin", 200),
    # courses: learning, dashboards, authoring and review (teacher pages as the administrator)
    ("courses", "anonymous", 200),
    ("course", "anonymous", 200),
    ("course-enrolled", "learner", 200),
    ("lesson", "learner", 200),
    ("quiz", "learner", 200),
    ("quiz-feedback", "learner", 200),
    ("dashboard", "learner", 200),
    ("teach-dashboard", "admin", 200),
    ("course-stats", "admin", 200),
    ("teach-courses", "admin", 200),
    ("teach-courses-new", "admin", 200),
    ("teach-course-outline", "admin", 200),
    ("teach-course-settings", "admin", 200),
    ("teach-lesson", "admin", 200),
    ("teach-quiz", "admin", 200),
    ("teach-question", "admin", 200),
    ("review-courses", "admin", 200),
    ("review-course-preview", "admin", 200),
    # search: results with facets, filtered, a second page, nothing found, Khmer words
    ("search", "anonymous", 200),
    ("search-filtered", "anonymous", 200),
    ("search-page-2", "anonymous", 200),
    ("search-no-results", "anonymous", 200),
    ("search-khmer", "anonymous", 200),
    # learning titles and reports (`flask demo load` makes this year's round in the demo
    # commune); the reviewer's page of one assessment is audited by test_recognition.py, as
    # its reviewer, since no state here signs a reviewer in
    ("titles", "learner", 200),
    ("titles-assessment", "learner", 200),
    ("titles-review-list", "admin", 200),
    ("titles-decide", "admin", 200),
    ("admin-criteria", "admin", 200),
    ("reports", "admin", 200),
    ("reports-province", "admin", 200),
    ("reports-commune", "admin", 200),
    # learning centres (`flask demo load` makes two centres in the demo commune, with
    # classes, sessions and learners): public pages, management, attendance, results,
    # imports and reports, as the administrator (who may manage every centre)
    ("centres", "anonymous", 200),
    ("centre", "anonymous", 200),
    ("centre-class", "anonymous", 200),
    ("centres-new", "admin", 200),
    ("centre-manage", "admin", 200),
    ("centre-edit", "admin", 200),
    ("centre-programme-new", "admin", 200),
    ("centre-class-new", "admin", 200),
    ("centre-roster", "admin", 200),
    ("centre-class-edit", "admin", 200),
    ("centre-teaching", "admin", 200),
    ("centre-teaching-class", "admin", 200),
    ("centre-attendance", "admin", 200),
    ("centre-results", "admin", 200),
    ("centre-imports", "admin", 200),
    ("centre-reports", "admin", 200),
)
PAGE_NAMES = [name for name, _who, _status in PAGES]

FIXED_PATHS = {
    "home": "/",
    "sign-up": "/sign-up",
    "sign-in": "/sign-in",
    "forgot-password": "/forgot-password",
    "language": "/language",
    "not-found": "/no-such-page",
    "reset-link-not-valid": "/reset/no-such-token",
    "home-signed-in": "/",
    "profile": "/profile",
    "change-password": "/profile/password",
    "delete-account": "/profile/delete",
    "admin-users": "/admin/users/",
    "places": "/admin/places/",
    "places-before-2025-reform": "/admin/places/?on=2025-06-30",
    "verify-form": "/verify",
    "verify-unknown": "/verify/0000-0000-0000-0000",
    "my-certificates": "/certificates",
    "admin-certificates": "/admin/certificates/",
    "admin-lrs-clients": "/admin/lrs-clients/",
    "resources": "/resources",
    "resources-teach": "/teach/resources",
    "resources-new": "/teach/resources/new",
    "resources-review": "/review/resources",
    "courses": "/courses",
    "dashboard": "/dashboard",
    "teach-dashboard": "/teach/dashboard",
    "teach-courses": "/teach/courses",
    "teach-courses-new": "/teach/courses/new",
    "review-courses": "/review/courses",
    "search": "/search?q=mat+khau",
    "search-filtered": "/search?q=hoc&language=vi&kind=lesson",
    "search-page-2": "/search?q=va&page=2",
    "search-no-results": "/search?q=zzzz",
    "search-khmer": "/search?q=ភាសា",  # test_search audits it in Khmer too
    "titles": "/titles",
    "titles-review-list": "/titles/review",
    "titles-decide": "/titles/decide",
    "admin-criteria": "/admin/criteria",
    "reports": "/reports",
    "centres": "/centres/",
    "centre": f"/centres/{DEMO_CENTRE}",
    "centres-new": "/centres/new",
    "centre-manage": f"/centres/{DEMO_CENTRE}/manage",
    "centre-edit": f"/centres/{DEMO_CENTRE}/manage/profile",
    "centre-programme-new": f"/centres/{DEMO_CENTRE}/manage/programmes/new",
    "centre-class-new": f"/centres/{DEMO_CENTRE}/manage/classes/new",
    "centre-teaching": "/centres/teaching",
    "centre-reports": "/centres/reports",
}


def sign_in(page: Page, identifier: str, password: str) -> None:
    """Sign in through the form (works with or without JavaScript)."""
    page.goto("/sign-in")
    page.fill("input[name=identifier]", identifier)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("main form [type=submit]")
    assert page.locator("form[action$='/sign-out']").count() == 1, page.locator("main").inner_text()


def _first_link(page: Page, path: str, pattern: str) -> str:
    response = page.goto(path)
    assert response is not None and response.ok, path
    href = page.locator(f"main table a[href*='{pattern}']").first.get_attribute("href")
    assert href, f"no link containing {pattern!r} on {path}"
    return href


def _submit(page: Page, form_selector: str, values: dict[str, str]) -> str:
    form = page.locator(form_selector)
    for name, value in values.items():
        form.locator(f"[name={name}]").fill(value)
    with page.expect_navigation():
        form.locator("[type=submit]").click()
    return page.url


def user_page(page: Page, sign_in_name: str) -> str:
    """The administration page of the account that signs in with ``sign_in_name``."""
    query = re.sub(r"\D", "", sign_in_name) if "@" not in sign_in_name else sign_in_name
    return _first_link(page, f"/admin/users/?q={query}", "/admin/users/")


def make_reset_link(page: Page, sign_in_name: str) -> str:
    """Make a password-reset link for an account as an administrator; return the link."""
    page.goto(user_page(page, sign_in_name))
    with page.expect_navigation():
        page.click("form[action$='/reset-link'] button")
    return page.input_value("#reset-link")


def discover(
    admin: BrowserContext,
    *,
    learner: str,
    reset_for: str,
    run_tag: str,
    learner_context: BrowserContext,
) -> dict[str, SitePage]:
    """Find a user and units of each kind; make a reset link for the account ``reset_for``,
    and a village with a household and a member; find the demo course pages and make a quiz
    attempt as the signed-in learner of ``learner_context``."""
    page = admin.new_page()
    paths = dict(FIXED_PATHS)
    paths["admin-user"] = user_page(page, learner)
    paths["reset-password"] = make_reset_link(page, reset_for)
    paths["places-province"] = _first_link(
        page, "/admin/places/?level=province", "/admin/places/units/"
    )
    paths["places-commune"] = _first_link(
        page, "/admin/places/?level=commune", "/admin/places/units/"
    )
    paths["places-old-district"] = _first_link(
        page, "/admin/places/?level=district&on=2025-06-30", "/admin/places/units/"
    )

    page.goto(paths["places-commune"])
    village_url = _submit(page, "form[action$='/villages']", {"name": f"Thôn Nà Hin {run_tag}"})
    assert "/admin/places/villages/" in village_url, village_url
    household_url = _submit(
        page, "form[action$='/households']", {"name": f"Hộ ông Lò Văn Pọm {run_tag}"}
    )
    assert "/admin/places/households/" in household_url, household_url
    _submit(page, "form[action$='/members']", {"full_name": "Lò Văn Pọm", "birth_year": "1968"})
    assert page.get_by_role("cell", name="Lò Văn Pọm", exact=True).count() == 1
    paths["places-village"] = village_url
    # `flask demo load` gives the demo learner a valid and a revoked certificate.
    paths["verify-valid"] = _first_link(page, "/admin/certificates/?status=valid", "/verify/")
    paths["verify-revoked"] = _first_link(page, "/admin/certificates/?status=revoked", "/verify/")
    paths["places-household"] = household_url
    paths.update(resource_paths(page))
    learner_page = learner_context.new_page()
    paths.update(course_paths(page, learner_page, run_tag))
    paths.update(title_paths(page, learner_page))
    paths.update(centre_paths(page))
    learner_page.close()
    page.close()
    return {
        name: SitePage(name, _relative(paths[name]), who, status) for name, who, status in PAGES
    }


def resource_paths(page: Page) -> dict[str, str]:
    """Pages of a published demo resource (`flask demo load` makes them) and of the one
    waiting for review, found through the public list and the review queue."""
    page.goto("/resources?subject=health")  # the demo "Rửa tay đúng cách": vi, en, km
    href = page.locator("main ul.resources a[href^='/resources/']").first.get_attribute("href")
    assert href and re.fullmatch(r"/resources/\d+", href), href
    number = href.rsplit("/", 1)[1]
    teach = f"/teach/resources/{number}"
    page.goto("/review/resources")
    preview = page.locator("main a[href*='/preview']").first.get_attribute("href")
    assert preview, "no resource waits for review"
    return {
        "resource": href,
        "resources-edit": f"{teach}/edit",
        "resources-text": f"{teach}/text?language=vi",
        "resources-text-new-language": f"{teach}/text?language=tyz",
        "resources-preview": preview,
        "resources-history": f"{teach}/history",
        "resources-compare": f"{teach}/compare?from=1",
    }


def course_paths(admin: Page, learner: Page, run_tag: str) -> dict[str, str]:
    """Pages of the demo digital-skills course (`flask demo load` enrols the demo learner
    with its first lesson done; its quiz has a question of every kind), found through the
    catalogue and the outline. The learner submits a blank attempt (not passed: the course
    stays in progress) and starts another, for the feedback and the answering pages. The
    administrator writes a small draft and sends it for review, for the teacher's list and
    the review queue."""
    admin.goto("/courses?subject=digital")
    links = admin.locator("main ul.courses a[href^='/courses/']")
    assert links.count() == 1, admin.locator("main").inner_text()
    course = _relative(links.first.get_attribute("href") or "")
    assert re.fullmatch(r"/courses/\d+", course), course
    teach = "/teach" + course

    admin.goto(teach)
    lesson = _relative(admin.locator("main ol.cw-lessons li > a").last.get_attribute("href") or "")
    assert re.fullmatch(rf"{teach}/lessons/\d+", lesson), lesson
    admin.goto(lesson + "/quiz")
    question = admin.locator("main ol.cw-questions a[href*='/questions/']").first
    question_path = _relative(question.get_attribute("href") or "")
    assert re.fullmatch(rf"{teach}/questions/\d+", question_path), question_path

    learner.goto(course)
    lessons = learner.locator("main ol.outline a")
    first_lesson = _relative(lessons.first.get_attribute("href") or "")
    assert re.fullmatch(rf"{course}/lessons/\d+", first_lesson), first_lesson
    learner.goto(lessons.last.get_attribute("href") or "")
    quiz = _relative(learner.locator("main a[href*='/quizzes/']").get_attribute("href") or "")
    assert re.fullmatch(rf"{course}/quizzes/\d+", quiz), quiz
    learner.goto(quiz)
    with learner.expect_navigation():
        learner.click("main button[name=start]")
    with learner.expect_navigation():
        learner.click("main form.quiz [type=submit]")  # every question blank
    feedback = _relative(learner.url)
    assert re.fullmatch(rf"{quiz}/attempts/\d+", feedback), feedback
    with learner.expect_navigation():
        learner.click("main button[name=start]")
    assert learner.locator("main form.quiz fieldset.question").count() > 1

    admin.goto("/teach/courses/new")
    draft = _submit(admin, "main form", {"title": f"Khóa học nháp {run_tag}"})
    _submit(admin, "form[action$='/modules']", {"title": "Mô-đun 1"})
    _submit(admin, "form[action$='/lessons']", {"title": "Bài 1"})
    admin.goto(draft)
    with admin.expect_navigation():
        admin.click("form[action$='/submit'] button")
    assert admin.locator(".flash-success").count() == 1, admin.locator("main").inner_text()
    return {
        "course": course,
        "course-enrolled": course,
        "lesson": first_lesson,
        "quiz": quiz,
        "quiz-feedback": feedback,
        "course-stats": f"{teach}/stats",
        "teach-course-outline": teach,
        "teach-course-settings": f"{teach}/edit",
        "teach-lesson": lesson,
        "teach-quiz": f"{lesson}/quiz",
        "teach-question": question_path,
        "review-course-preview": _relative(draft) + "/preview",
    }


def title_paths(admin: Page, learner: Page) -> dict[str, str]:
    """The demo learner's recognised Learning Citizen assessment (the first of "my
    assessments"), and the reports of the demo commune and its province, found through the
    administrator's list of assessments and the commune report's drill-down."""
    learner.goto("/titles")
    assessment = _relative(
        learner.locator("main table a[href^='/titles/']").first.get_attribute("href") or ""
    )
    assert re.fullmatch(r"/titles/\d+", assessment), learner.locator("main").inner_text()
    admin.goto("/titles/review?status=recognised&model=citizen")
    row = admin.locator("main table tbody tr").first
    code = row.locator("td").nth(3).inner_text().strip()
    assert re.fullmatch(r"\d{5}", code), admin.locator("main").inner_text()
    commune = f"/reports/communes/{code}"
    admin.goto(commune)
    province = admin.locator("main nav a[href^='/reports/provinces/']").first.get_attribute("href")
    assert province, admin.locator("main").inner_text()
    return {
        "titles-assessment": assessment,
        "reports-commune": commune,
        "reports-province": _relative(province).split("?")[0],
    }


def _link(page: Page, path: str, pattern: str) -> str:
    """The first link in ``main`` of ``path`` whose address contains ``pattern``."""
    response = page.goto(path)
    assert response is not None and response.ok, path
    href = page.locator(f"main a[href*='{pattern}']").first.get_attribute("href")
    assert href, f"no link containing {pattern!r} on {path}: {page.locator('main').inner_text()}"
    return _relative(href).split("#")[0]


def centre_paths(admin: Page) -> dict[str, str]:
    """A public class of the demo centre, its roster and pages for the administrator: the
    class's sessions, the attendance of its first session, results and imports."""
    public = _link(admin, f"/centres/{DEMO_CENTRE}", f"/centres/{DEMO_CENTRE}/classes/")
    class_id = public.rsplit("/", 1)[-1]
    roster = f"/centres/{DEMO_CENTRE}/manage/classes/{class_id}"
    teaching = f"/centres/{DEMO_CENTRE}/classes/{class_id}/teaching"
    return {
        "centre-class": public,
        "centre-roster": roster,
        "centre-class-edit": f"{roster}/edit",
        "centre-teaching-class": teaching,
        "centre-attendance": _link(admin, teaching, "/attendance"),
        "centre-results": f"/centres/{DEMO_CENTRE}/classes/{class_id}/results",
        "centre-imports": f"{roster}/imports",
    }


def _relative(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)
