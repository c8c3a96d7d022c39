"""A class's roster page and what is done from it: enrolling a person or an account found by
the search, enrolling a person by their details (the one already recorded with them, else a
new one), each waitlisted when the class is full; withdrawing an enrolment (the waitlist moves
up); and adding, cancelling, restoring or removing sessions. Staff of the class's centre and
administrators only (404 to anyone else, ``access.centre_or_404`` and
``access.class_or_404``). Refused operations are flashed with their message, or shown on the
field they concern."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from werkzeug.routing import BuildError

from portal.accounts.models import User
from portal.centres import access, operations, queries
from portal.centres.forms import (
    ConfirmForm,
    EnrolForm,
    PersonForm,
    SearchForm,
    SeriesForm,
    SessionForm,
    WithdrawForm,
)
from portal.centres.models import Centre, CentreClass, ClassEnrolment, EnrolmentStatus, Person
from portal.centres.operations import CentreError
from portal.centres.view_helpers import get_or_none, me, refused, render_page
from portal.extensions import db


def _enrolled_message(enrolment: ClassEnrolment, name: str) -> str:
    if enrolment.status == EnrolmentStatus.WAITLISTED:
        return _("%(name)s is on the waitlist: the class is full.", name=name)
    return _("%(name)s is enrolled.", name=name)


# Pages of the class kept by the other areas of the feature, linked from its roster.
CLASS_LINKS = (
    ("centres.teaching_class", _l("Attendance")),
    ("centres.results", _l("Results")),
    ("centres.imports", _l("Import learners from a spreadsheet")),
)


def _class_links(centre_class: CentreClass) -> list[tuple[str, str]]:
    links = []
    for endpoint, text in CLASS_LINKS:
        try:
            url = url_for(endpoint, code=centre_class.centre.code, class_id=centre_class.id)
        except BuildError:  # that area is not there
            continue
        links.append((url, str(text)))
    return links


def _roster_page(centre: Centre, centre_class: CentreClass, status: int = 200, **forms: Any):  # type: ignore[no-untyped-def]
    search = SearchForm(request.args)
    found = None
    if "q" in request.args and search.validate():
        try:
            phone = operations.clean_phone(search.q.data)
        except CentreError:
            phone = None
        found = queries.search_people(centre, search.q.data, phone)
    roster = queries.roster(centre_class)
    in_class = {e.person_id: e for e in roster.enrolled + roster.waitlisted}
    return render_page(
        "centres/roster.html",
        status,
        centre=centre,
        centre_class=centre_class,
        roster=roster,
        in_class=in_class,
        search=search,
        found=found,
        places_left=max(0, centre_class.capacity - len(roster.enrolled)),
        person_form=forms.get("person_form") or PersonForm(formdata=None, prefix="person"),
        session_form=forms.get("session_form") or SessionForm(formdata=None, prefix="session"),
        series_form=forms.get("series_form") or SeriesForm(formdata=None, prefix="series"),
        withdraw_form=WithdrawForm(formdata=None),
        confirm=ConfirmForm(formdata=None),
        enrol_form=EnrolForm(formdata=None),
        class_links=_class_links(centre_class),
    )


def _manage_class(code: str, class_id: int) -> tuple[Centre, CentreClass]:
    centre = access.centre_or_404(code)
    return centre, access.class_or_404(centre, class_id)


def _to_roster(centre_class: CentreClass, anchor: str | None = None):  # type: ignore[no-untyped-def]
    return redirect(
        url_for(
            "centres.roster",
            code=centre_class.centre.code,
            class_id=centre_class.id,
            _anchor=anchor,
        )
    )


@login_required
def roster(code: str, class_id: int):  # type: ignore[no-untyped-def]
    return _roster_page(*_manage_class(code, class_id))


@login_required
def enrol(code: str, class_id: int):  # type: ignore[no-untyped-def]
    _centre, centre_class = _manage_class(code, class_id)
    form = EnrolForm()
    if not form.validate_on_submit():
        abort(400)
    if form.person_id.data:
        person = get_or_none(Person, form.person_id.data) or abort(404)
    elif form.user_id.data:
        user = get_or_none(User, form.user_id.data) or abort(404)
        person = operations.person_for_user(user)
    else:
        abort(400)
    try:
        enrolment, new = operations.enrol(centre_class, person, by=me())
    except CentreError as exc:
        db.session.rollback()
        refused(exc)
        return _to_roster(centre_class)
    if new:
        flash(_enrolled_message(enrolment, person.full_name), "success")
    else:
        flash(_("%(name)s is already in this class.", name=person.full_name), "success")
    return _to_roster(centre_class, "roster")


_PERSON_FIELD = {
    "no_name": "full_name",
    "bad_phone": "phone",
    "bad_national_id": "national_id",
    "national_id_taken": "national_id",
    "no_commune": "commune",
}


def _person_details(form: PersonForm) -> operations.PersonDetails:
    """The details typed, cleaned; raises CentreError naming the first bad one."""
    commune_id = None
    if (form.commune.data or "").strip():
        commune_id = operations.commune_id_of(form.commune.data)
    return operations.PersonDetails(
        full_name=operations.clean_name(form.full_name.data),
        phone=operations.clean_phone(form.phone.data),
        national_id=operations.clean_national_id(form.national_id.data),
        birth_date=form.birth_date.data,
        birth_year=form.birth_year.data,
        gender=form.gender.data or None,
        ethnicity_code=form.ethnicity.data or None,
        disability=form.disability.data or None,
        occupation_group=form.occupation_group.data or None,
        commune_id=commune_id,
    )


@login_required
def add_person(code: str, class_id: int):  # type: ignore[no-untyped-def]
    centre, centre_class = _manage_class(code, class_id)
    form = PersonForm(prefix="person")
    if form.validate_on_submit():
        try:
            details = _person_details(form)
            person = operations.find_person(details) or operations.add_person(
                details, centre=centre, by=me()
            )
            enrolment, new = operations.enrol(centre_class, person, by=me())
        except CentreError as exc:
            db.session.rollback()
            field = _PERSON_FIELD.get(exc.code)
            if field:
                getattr(form, field).errors.append(exc.message)
            else:
                refused(exc)
                return _to_roster(centre_class)
        else:
            if new:
                flash(_enrolled_message(enrolment, person.full_name), "success")
            else:
                flash(_("%(name)s is already in this class.", name=person.full_name), "success")
            return _to_roster(centre_class, "roster")
    return _roster_page(centre, centre_class, 422, person_form=form)


@login_required
def withdraw(code: str, class_id: int, enrolment_id: int):  # type: ignore[no-untyped-def]
    _centre, centre_class = _manage_class(code, class_id)
    enrolment = get_or_none(ClassEnrolment, enrolment_id)
    if enrolment is None or enrolment.class_id != centre_class.id:
        abort(404)
    form = WithdrawForm()
    if not form.validate_on_submit():
        flash(_("A reason has at most 300 characters."), "error")
        return _to_roster(centre_class, "roster")
    waiting = {e.id for e in queries.roster(centre_class).waitlisted}
    try:
        operations.withdraw(enrolment, by=me(), reason=form.reason.data)
    except CentreError as exc:
        db.session.rollback()
        refused(exc)
        return _to_roster(centre_class, "roster")
    moved = [e for e in queries.roster(centre_class).enrolled if e.id in waiting]
    flash(_("%(name)s withdrawn.", name=enrolment.person.full_name), "success")
    for promoted in moved:
        flash(_("%(name)s moved up from the waitlist.", name=promoted.person.full_name), "success")
    return _to_roster(centre_class, "roster")


@login_required
def add_session(code: str, class_id: int):  # type: ignore[no-untyped-def]
    centre, centre_class = _manage_class(code, class_id)
    form = SessionForm(prefix="session")
    if form.validate_on_submit():
        try:
            operations.add_session(
                centre_class,
                form.day.data,
                form.start_time.data,
                minutes=form.minutes.data,
                place=form.place.data,
                topic=form.topic.data,
            )
        except CentreError as exc:
            db.session.rollback()
            form.day.errors.append(exc.message)
        else:
            flash(_("Session added."), "success")
            return _to_roster(centre_class, "sessions")
    return _roster_page(centre, centre_class, 422, session_form=form)


@login_required
def add_session_series(code: str, class_id: int):  # type: ignore[no-untyped-def]
    centre, centre_class = _manage_class(code, class_id)
    form = SeriesForm(prefix="series")
    if form.validate_on_submit():
        try:
            added = operations.add_weekly_sessions(
                centre_class,
                form.first.data,
                form.last.data,
                set(form.weekdays.data),
                form.start_time.data,
                minutes=form.minutes.data,
                place=form.place.data,
            )
        except CentreError as exc:
            db.session.rollback()
            form.last.errors.append(exc.message)
        else:
            flash(_("%(number)d sessions added.", number=len(added)), "success")
            return _to_roster(centre_class, "sessions")
    return _roster_page(centre, centre_class, 422, series_form=form)


@login_required
def change_session(code: str, class_id: int, session_id: int, action: str):  # type: ignore[no-untyped-def]
    _centre, centre_class = _manage_class(code, class_id)
    session = access.session_or_404(centre_class, session_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        if action == "remove":
            operations.remove_session(session)
            message = _("Session removed.")
        else:
            operations.set_session_cancelled(session, action == "cancel", by=current_user)
            message = _("Session cancelled.") if action == "cancel" else _("Session restored.")
    except CentreError as exc:
        db.session.rollback()
        refused(exc)
    else:
        flash(message, "success")
    return _to_roster(centre_class, "sessions")


def register(bp: Blueprint) -> None:
    """Add this area's URL rules to the centres blueprint."""
    post = {"methods": ["POST"]}
    manage_class = "/<code>/manage/classes/<int:class_id>"
    bp.add_url_rule(manage_class, "roster", roster)
    bp.add_url_rule(f"{manage_class}/enrol", "enrol", enrol, **post)
    bp.add_url_rule(f"{manage_class}/people", "add_person", add_person, **post)
    bp.add_url_rule(
        f"{manage_class}/enrolments/<int:enrolment_id>/withdraw", "withdraw", withdraw, **post
    )
    bp.add_url_rule(f"{manage_class}/sessions", "add_session", add_session, **post)
    bp.add_url_rule(
        f"{manage_class}/sessions/series", "add_session_series", add_session_series, **post
    )
    bp.add_url_rule(
        f"{manage_class}/sessions/<int:session_id>/<any(cancel, restore, remove):action>",
        "change_session",
        change_session,
        **post,
    )
