"""Pages of the registers: the classes a user teaches, a class's sessions, the attendance of
one session (made for a phone: one radio group per learner, one submit, no JavaScript), the
results of a class and finishing it; and the "My classes" section of the learner's dashboard.

Every page answers 404 to whoever may not teach the class (another class's teacher, a
learner, staff of another centre): they learn nothing of it. Refused changes are explained
on the page, and nothing of them is saved."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_percent
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from portal.accounts.access import login_required
from portal.centres import access, attendance_queries
from portal.centres import attendance as ops
from portal.centres.attendance import AttendanceError
from portal.centres.attendance_forms import (
    MARK_LABELS,
    RESULT_LABELS,
    STATUS_LABELS,
    FinishForm,
    RegisterForm,
    read_marks,
    read_results,
)
from portal.centres.models import LITERACY_LEVELS, CentreClass, ClassSession, ClassStatus


def _class_or_404(code: str, class_id: int) -> CentreClass:
    centre_class = access.taught_class_or_404(class_id)
    if centre_class.centre.code != code:
        abort(404)
    return centre_class


def _rate(rate: attendance_queries.Rate | None) -> str:
    if rate is None or rate.share is None:
        return _("no attendance taken yet")
    return _(
        "%(present)s of %(taken)s sessions (%(share)s)",
        present=rate.present,
        taken=rate.taken,
        share=format_percent(rate.share),
    )


@login_required
def teaching():  # type: ignore[no-untyped-def]
    day = attendance_queries.today()
    return render_template(
        "centres/teaching_list.html",
        classes=attendance_queries.taught(current_user, day),
        day=day,
    )


@login_required
def teaching_class(code: str, class_id: int):  # type: ignore[no-untyped-def]
    centre_class = _class_or_404(code, class_id)
    return render_template(
        "centres/teaching_class.html",
        centre_class=centre_class,
        sessions=attendance_queries.session_figures(centre_class),
        day=attendance_queries.today(),
    )


def _attendance_page(centre_class: CentreClass, session: ClassSession, **extra: Any) -> str:
    return render_template(
        "centres/attendance_session.html",
        centre_class=centre_class,
        session=session,
        lines=extra.pop("lines", None) or ops.register(session),
        form=RegisterForm(),
        labels=MARK_LABELS,
        errors=extra.pop("errors", {}),
        sent=extra.pop("sent", {}),
        **extra,
    )


@login_required
def take_attendance(code: str, class_id: int, session_id: int):  # type: ignore[no-untyped-def]
    centre_class = _class_or_404(code, class_id)
    session = access.session_or_404(centre_class, session_id)
    if request.method == "GET":
        return _attendance_page(centre_class, session)
    if not RegisterForm().validate_on_submit():
        abort(400)
    lines = ops.register(session)
    sent = read_marks(request.form, [line.enrolment.id for line in lines])
    if sent.errors:
        flash(_("Nothing was saved: check the rows marked below."), "error")
        return _attendance_page(centre_class, session, errors=sent.errors, sent=sent.values), 422
    others = request.form.get("action") == "others-present"
    try:
        taken = ops.take_attendance(session, sent.values, by=current_user, others_present=others)
    except AttendanceError as exc:
        flash(exc.message, "error")
        return _attendance_page(centre_class, session, lines=lines), 422
    flash(
        _(
            "Attendance saved: %(present)s present, %(unmarked)s not marked yet.",
            present=taken.present,
            unmarked=taken.unmarked,
        ),
        "success",
    )
    return redirect(request.path)


def _results_page(centre_class: CentreClass, **extra: Any) -> str:
    return render_template(
        "centres/results_class.html",
        centre_class=centre_class,
        rows=ops.results_roster(centre_class),
        rates=attendance_queries.attendance_rates(centre_class),
        rate=_rate,
        literacy=centre_class.programme.type in LITERACY_LEVELS,
        finished=centre_class.status == ClassStatus.FINISHED,
        form=RegisterForm(),
        labels=RESULT_LABELS,
        status_labels=STATUS_LABELS,
        errors=extra.pop("errors", {}),
        sent=extra.pop("sent", {}),
        **extra,
    )


@login_required
def results(code: str, class_id: int):  # type: ignore[no-untyped-def]
    centre_class = _class_or_404(code, class_id)
    if request.method == "GET":
        return _results_page(centre_class)
    if not RegisterForm().validate_on_submit():
        abort(400)
    ids = [enrolment.id for enrolment, _person in ops.results_roster(centre_class)]
    sent = read_results(request.form, ids)
    if sent.errors:
        flash(_("Nothing was saved: check the rows marked below."), "error")
        return _results_page(centre_class, errors=sent.errors, sent=request.form), 422
    try:
        saved = ops.set_results(centre_class, sent.values, by=current_user)
    except AttendanceError as exc:
        flash(exc.message, "error")
        return _results_page(centre_class, sent=request.form), 422
    flash(
        _(
            "Results saved: %(changed)s changed, %(issued)s certificates issued, "
            "%(revoked)s revoked.",
            changed=saved.changed,
            issued=saved.certificates_issued,
            revoked=saved.certificates_revoked,
        ),
        "success",
    )
    return redirect(request.path)


@login_required
def finish(code: str, class_id: int):  # type: ignore[no-untyped-def]
    centre_class = _class_or_404(code, class_id)
    form = FinishForm()
    if request.method == "POST" and form.validate_on_submit():
        try:
            count = ops.finish_class(centre_class, by=current_user)
        except AttendanceError as exc:
            flash(exc.message, "error")
        else:
            flash(_("The class is finished. %(count)s learners did not complete it.", count=count),
                  "success")  # fmt: skip
            return redirect(url_for("centres.results", code=code, class_id=class_id))
    status = 422 if request.method == "POST" else 200
    pending = sum(1 for e, _p in ops.results_roster(centre_class) if e.status == "enrolled")
    return render_template(
        "centres/results_finish.html", centre_class=centre_class, form=form, pending=pending
    ), status


def my_classes_section(user: Any) -> Markup | None:
    """The "My classes" section of the learner's dashboard, or None when ``user`` has no
    class. Its sessions' hours are in the dashboard's yearly hours already (the statements
    feed ``LearnerYearHours``)."""
    classes = attendance_queries.my_classes(user.id, attendance_queries.now_local())
    if not classes:
        return None
    # The template escapes what it shows (autoescape): its output is safe markup.
    return Markup(  # noqa: S704
        render_template("centres/attendance_my_classes.html", classes=classes, labels=STATUS_LABELS)
    )


def _add_dashboard_section(state: Any) -> None:
    state.app.extensions.setdefault("learner_dashboard_sections", []).append(my_classes_section)


def register(bp: Blueprint) -> None:
    """Add this area's URL rules to the centres blueprint."""
    bp.add_url_rule("/teaching", "teaching", teaching)
    bp.add_url_rule("/<code>/classes/<int:class_id>/teaching", "teaching_class", teaching_class)
    bp.add_url_rule(
        "/<code>/classes/<int:class_id>/sessions/<int:session_id>/attendance",
        "attendance",
        take_attendance,
        methods=["GET", "POST"],
    )
    bp.add_url_rule(
        "/<code>/classes/<int:class_id>/results", "results", results, methods=["GET", "POST"]
    )
    bp.add_url_rule(
        "/<code>/classes/<int:class_id>/finish", "finish_class", finish, methods=["GET", "POST"]
    )
    bp.record_once(_add_dashboard_section)
