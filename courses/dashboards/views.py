"""Dashboard pages: the learner's courses, hours and certificates; the teacher's courses
and resources; one course's statistics. Read-only: they load, check access and render."""

from __future__ import annotations

from flask import abort, current_app, render_template
from flask_babel import format_date, format_decimal, format_percent
from flask_babel import gettext as _
from flask_login import current_user

from courses.certificates.queries import certificates_of
from courses.courseware.models import Course
from courses.dashboards import charts, queries
from courses.resources.queries import cached_markdown, owned_by, working_title
from courses.resources.vocabulary import STATUSES
from portal.accounts.access import login_required, role_required
from portal.accounts.models import Role
from portal.extensions import db
from portal.i18n import current_language

TEACHERS = (Role.TEACHER, Role.ADMIN)


def format_hours(hours: float) -> str:
    return format_decimal(hours, format="#,##0.0")


def format_rate(rate: float | None) -> str:
    return _("no enrolments") if rate is None else format_percent(rate)


def _hours_chart(year: int, months: list[float]) -> charts.Chart:
    return charts.column_chart(
        "hours-per-month",
        _("Learning hours per month in %(year)s", year=year),
        _("Hours of learning recorded in each month of %(year)s, January to December.", year=year),
        [
            (format_date(start, "MMM"), hours)
            for start, hours in zip(queries.month_starts(year), months, strict=True)
        ],
        format_value=format_hours,
        label_heading=_("Month"),
        value_heading=_("Hours"),
        table_labels=[format_date(start, "MMMM") for start in queries.month_starts(year)],
    )


def extra_sections() -> list[str]:
    """Sections other modules add to the learner's dashboard: callables registered in
    ``app.extensions["learner_dashboard_sections"]`` that take the user and return markup
    (or None for nothing), so courses/ never imports them (e.g. the centres' "My classes")."""
    sections = current_app.extensions.get("learner_dashboard_sections", ())
    return [html for html in (section(current_user) for section in sections) if html]


@login_required
def learner() -> str:
    chain = current_language().chain
    year = queries.today_local().year
    courses = queries.learner_courses(current_user.id, chain)
    months = queries.hours_by_month(current_user.id, year)
    return render_template(
        "dashboards/learner.html",
        active=[c for c in courses if not c.is_completed],
        completed=[c for c in courses if c.is_completed],
        year=year,
        hours=queries.hours_in_year(current_user.id, year),
        hours_chart=_hours_chart(year, months) if any(months) else None,
        certificates=certificates_of(current_user),
        sections=extra_sections(),
        resume_url=queries.resume_url,
        course_url=queries.course_url,
        catalogue_url=queries.catalogue_url(),
        format_hours=format_hours,
    )


@role_required(*TEACHERS)
def teacher() -> str:
    chain = current_language().chain
    courses = queries.teacher_courses(current_user.id, chain)
    with_enrolments = [c for c in courses if c.enrolments]
    chart = charts.bar_chart(
        "completion-rate",
        _("Completion rate per course"),
        _("Share of each course's enrolments that ended with the course completed."),
        [(c.title or _("Untitled course"), c.completion_rate) for c in with_enrolments],
        format_value=format_percent,
        label_heading=_("Course"),
        value_heading=_("Completion rate"),
        maximum=1.0,
    )
    return render_template(
        "dashboards/teacher.html",
        courses=courses,
        completion_chart=chart if with_enrolments else None,
        resources=owned_by(current_user),
        working_title=working_title,
        statuses=STATUSES,
        chain=chain,
        format_rate=format_rate,
    )


@role_required(*TEACHERS)
def course_stats(course_id: int) -> str:
    course = db.session.get(Course, course_id)
    if course is None or not course.editable_by(current_user):
        abort(404)
    chain = current_language().chain
    title, language = queries.course_title(course, chain)
    months = queries.enrolments_by_month(course.id)
    chart = charts.column_chart(
        "enrolments-per-month",
        _("New enrolments per month"),
        _("How many learners enrolled in each of the last twelve months."),
        [(format_date(start, "MMM"), count) for start, count in months],
        format_value=lambda value: format_decimal(value, format="#,##0"),
        label_heading=_("Month"),
        value_heading=_("Enrolments"),
        table_labels=[format_date(start, "MMMM yyyy") for start, _count in months],
    )
    return render_template(
        "dashboards/course_stats.html",
        course=course,
        title=title,
        language=language,
        figures=queries.course_figures([course], chain)[0],
        enrolment_chart=chart,
        lessons=queries.lesson_completions(course, chain),
        quizzes=queries.quiz_statistics(course, chain),
        format_rate=format_rate,
        format_percent=format_percent,
        markdown=cached_markdown,
    )
