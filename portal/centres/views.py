"""Pages of centres, programmes, classes and enrolment one by one.

Public pages (no sign-in) show active centres and their open classes; a signed-in learner
joins or leaves an open class from its page. Management pages answer 404 to everyone but the
centre's staff and administrators (``access.centre_or_404``); creating a centre and naming
its staff is for administrators. Refused operations are flashed with their message."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.routing import BuildError

from portal.accounts import operations as accounts
from portal.accounts.access import role_required
from portal.accounts.messages import error_message as account_message
from portal.accounts.models import Role, RoleAssignment, ScopeKind, User
from portal.centres import access, operations, queries
from portal.centres.forms import (
    CentreForm,
    ClassForm,
    ConfirmForm,
    DirectoryForm,
    EnrolForm,
    NewCentreForm,
    PersonForm,
    ProgrammeForm,
    SearchForm,
    SeriesForm,
    SessionForm,
    StaffForm,
    WithdrawForm,
)
from portal.centres.labels import (
    CLASS_STATUS_LABELS,
    ENROLMENT_LABELS,
    KIND_LABELS,
    PROGRAMME_LABELS,
)
from portal.centres.models import (
    Centre,
    CentreClass,
    ClassEnrolment,
    ClassStatus,
    EnrolmentStatus,
    Person,
    Programme,
)
from portal.centres.operations import CentreError
from portal.extensions import db
from portal.i18n.languages import LANGUAGES

PAGE_SIZE = 30
MAX_ID = 2**31 - 1


def _me() -> User:
    user: User = current_user._get_current_object()  # type: ignore[attr-defined]
    return user


def _get(model: Any, ident: Any) -> Any:
    if not isinstance(ident, int) or not 0 < ident <= MAX_ID:
        return None
    return db.session.get(model, ident)


def _refused(exc: CentreError) -> None:
    flash(exc.message, "error")


def _labels() -> dict[str, Any]:
    return {
        "kind_labels": KIND_LABELS,
        "programme_labels": PROGRAMME_LABELS,
        "class_status_labels": CLASS_STATUS_LABELS,
        "enrolment_labels": ENROLMENT_LABELS,
        "language_names": {code: lang.endonym for code, lang in LANGUAGES.items()},
    }


def _render(template: str, status: int = 200, **context: Any):  # type: ignore[no-untyped-def]
    return render_template(template, **_labels(), **context), status


def _enrolled_message(enrolment: ClassEnrolment, name: str) -> str:
    if enrolment.status == EnrolmentStatus.WAITLISTED:
        return _("%(name)s is on the waitlist: the class is full.", name=name)
    return _("%(name)s is enrolled.", name=name)


# Public pages ---------------------------------------------------------------------------------


def directory():  # type: ignore[no-untyped-def]
    form = DirectoryForm(request.args)
    form.validate()
    kind = form.kind.data if form.kind.data in KIND_LABELS else None
    query = queries.directory(
        province_code=(form.province.data or "").strip() or None,
        commune_code=(form.commune.data or "").strip() or None,
        kind=kind,
    )
    page = db.paginate(query, per_page=PAGE_SIZE, error_out=False)
    args = {
        "province": (form.province.data or "").strip() or None,
        "commune": (form.commune.data or "").strip() or None,
        "kind": kind,
    }
    return _render("centres/directory.html", form=form, page=page, args=args)


def _public_centre(code: str) -> Centre:
    centre = queries.active_centre(code)
    if centre is None:
        abort(404)
    return centre


def profile(code: str):  # type: ignore[no-untyped-def]
    centre = _public_centre(code)
    classes = queries.classes_of(centre, open_only=True)
    numbers = queries.counts([c.id for c in classes])
    return _render(
        "centres/profile.html",
        centre=centre,
        classes=classes,
        places_left={c.id: max(0, c.capacity - queries.held(numbers[c.id])) for c in classes},
        can_manage=access.can_manage(current_user, centre),
    )


def _public_class(code: str, class_id: int) -> CentreClass:
    centre = _public_centre(code)
    centre_class = _get(CentreClass, class_id)
    if (
        centre_class is None
        or centre_class.centre_id != centre.id
        or centre_class.status != ClassStatus.OPEN
    ):
        abort(404)
    return centre_class


def public_class(code: str, class_id: int):  # type: ignore[no-untyped-def]
    centre_class = _public_class(code, class_id)
    person = queries.person_of_user(current_user)
    mine = queries.enrolment_of(centre_class, person) if person else None
    numbers = queries.counts([centre_class.id])[centre_class.id]
    return _render(
        "centres/class.html",
        centre=centre_class.centre,
        centre_class=centre_class,
        mine=mine,
        places_left=max(0, centre_class.capacity - queries.held(numbers)),
        confirm=ConfirmForm(formdata=None),
    )


@login_required
def join(code: str, class_id: int):  # type: ignore[no-untyped-def]
    centre_class = _public_class(code, class_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    person = operations.person_for_user(_me())
    try:
        enrolment, _new = operations.enrol(centre_class, person, by=_me())
    except CentreError as exc:
        _refused(exc)
    else:
        if enrolment.status == EnrolmentStatus.WAITLISTED:
            flash(_("The class is full: you are on its waitlist."), "success")
        else:
            flash(_("You are enrolled in this class."), "success")
    return redirect(url_for("centres.public_class", code=code, class_id=class_id))


@login_required
def leave(code: str, class_id: int):  # type: ignore[no-untyped-def]
    centre_class = _public_class(code, class_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    person = queries.person_of_user(current_user)
    enrolment = queries.enrolment_of(centre_class, person) if person else None
    if enrolment is None:
        abort(404)
    try:
        operations.withdraw(enrolment, by=_me(), reason=None)
    except CentreError as exc:
        _refused(exc)
    else:
        flash(_("You left the class."), "success")
    return redirect(url_for("centres.public_class", code=code, class_id=class_id))


# A centre: its management page, profile and staff ---------------------------------------------


def _centre_details(form: CentreForm) -> operations.CentreDetails:
    return operations.CentreDetails(
        name=form.name.data,
        kind=form.kind.data,
        commune_code=form.commune.data,
        address=form.address.data,
        phone=form.phone.data,
        email=form.email.data,
        website=form.website.data,
        description=form.description.data,
        is_active=form.is_active.data,
    )


@role_required(Role.ADMIN)
def new_centre():  # type: ignore[no-untyped-def]
    form = NewCentreForm()
    if form.validate_on_submit():
        try:
            centre = operations.create_centre(form.code.data, _centre_details(form), by=_me())
        except CentreError as exc:
            db.session.rollback()
            if exc.code in ("bad_code", "code_taken"):
                form.code.errors.append(exc.message)
            else:
                _refused(exc)
        else:
            flash(_("%(name)s created.", name=centre.name), "success")
            return redirect(url_for("centres.manage", code=centre.code))
    status = 422 if form.is_submitted() else 200
    return _render("centres/centre_form.html", status, form=form, centre=None)


@login_required
def manage(code: str):  # type: ignore[no-untyped-def]
    centre = access.centre_or_404(code)
    classes = queries.classes_of(centre)
    return _render(
        "centres/manage.html",
        centre=centre,
        classes=classes,
        counts=queries.counts([c.id for c in classes]),
        programmes=queries.programmes_of(centre),
        is_admin=current_user.has_role(Role.ADMIN),
        staff=queries.staff_of(centre) if current_user.has_role(Role.ADMIN) else [],
        staff_form=StaffForm(formdata=None),
        confirm=ConfirmForm(formdata=None),
    )


@login_required
def edit_centre(code: str):  # type: ignore[no-untyped-def]
    centre = access.centre_or_404(code)
    form = CentreForm(obj=centre) if request.method == "GET" else CentreForm()
    if request.method == "GET":
        form.commune.data = centre.commune.code if centre.commune else ""
    if form.validate_on_submit():
        try:
            operations.update_centre(centre, _centre_details(form), by=_me())
        except CentreError as exc:
            db.session.rollback()
            _refused(exc)
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("centres.manage", code=code))
    status = 422 if form.is_submitted() else 200
    return _render("centres/centre_form.html", status, form=form, centre=centre)


@role_required(Role.ADMIN)
def add_staff(code: str):  # type: ignore[no-untyped-def]
    centre = access.centre_or_404(code)
    form = StaffForm()
    if not form.validate_on_submit():
        flash(_("Enter the mobile number of an account."), "error")
        return redirect(url_for("centres.manage", code=code, _anchor="staff"))
    try:
        phone = operations.clean_phone(form.phone.data)
    except CentreError as exc:
        _refused(exc)
        return redirect(url_for("centres.manage", code=code, _anchor="staff"))
    user = db.session.scalar(select(User).where(User.phone == phone))
    if user is None:
        flash(_("No account has this mobile number."), "error")
        return redirect(url_for("centres.manage", code=code, _anchor="staff"))
    try:
        accounts.grant_role(
            user, Role.STAFF, scope_kind=ScopeKind.CENTRE, scope_code=centre.code, granted_by=_me()
        )
    except accounts.AccountError as exc:
        flash(account_message(exc.code), "error")
    else:
        flash(_("%(name)s is now staff of this centre.", name=user.full_name), "success")
    return redirect(url_for("centres.manage", code=code, _anchor="staff"))


@role_required(Role.ADMIN)
def remove_staff(code: str, assignment_id: int):  # type: ignore[no-untyped-def]
    centre = access.centre_or_404(code)
    assignment = _get(RoleAssignment, assignment_id)
    if (
        assignment is None
        or assignment.role != Role.STAFF
        or assignment.scope_kind != ScopeKind.CENTRE
        or assignment.scope_code != centre.code
    ):
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    name = assignment.user.full_name
    accounts.revoke_role(assignment, revoked_by=_me())
    flash(_("%(name)s is no longer staff of this centre.", name=name), "success")
    return redirect(url_for("centres.manage", code=code, _anchor="staff"))


# Programmes -----------------------------------------------------------------------------------


def _programme_or_404(centre: Centre, programme_id: int) -> Programme:
    programme = _get(Programme, programme_id)
    if programme is None or programme.centre_id != centre.id:
        abort(404)
    return programme


@login_required
def programme(code: str, programme_id: int | None = None):  # type: ignore[no-untyped-def]
    centre = access.centre_or_404(code)
    row = _programme_or_404(centre, programme_id) if programme_id is not None else None
    form = ProgrammeForm(obj=row) if request.method == "GET" else ProgrammeForm()
    if form.validate_on_submit():
        details = operations.ProgrammeDetails(
            type=form.type.data,
            title=form.title.data,
            occupation=form.occupation.data,
            qf_level=form.qf_level.data,
            hours=form.hours.data,
            description=form.description.data,
            gives_certificate=form.gives_certificate.data,
        )
        try:
            operations.save_programme(centre, details, programme=row, by=_me())
        except CentreError as exc:
            db.session.rollback()
            (form.qf_level if exc.code == "vocational_needs" else form.title).errors.append(
                exc.message
            )
        else:
            flash(_("Programme saved."), "success")
            return redirect(url_for("centres.manage", code=code, _anchor="programmes"))
    status = 422 if form.is_submitted() else 200
    return _render("centres/programme_form.html", status, form=form, centre=centre, programme=row)


# Classes --------------------------------------------------------------------------------------


def _class_form(centre: Centre, row: CentreClass | None) -> ClassForm:
    form = ClassForm(obj=row) if request.method == "GET" else ClassForm()
    form.programme.choices = [
        (p.id, f"{p.title} ({PROGRAMME_LABELS.get(p.type, p.type)})")
        for p in queries.programmes_of(centre)
    ]
    form.course.choices = [(0, "—")] + [(c.id, t) for c, t in queries.course_choices()]
    if request.method == "GET" and row is not None:
        form.programme.data = row.programme_id
        form.course.data = row.course_id or 0
        form.teacher_phone.data = row.teacher.phone if row.teacher else ""
    return form


def _teacher_id(form: ClassForm) -> int | bool | None:
    """The id of the teacher's account by the phone typed; None for none; False when no
    account has it (the field then carries the error)."""
    if not (form.teacher_phone.data or "").strip():
        return None
    try:
        phone = operations.clean_phone(form.teacher_phone.data)
    except CentreError as exc:
        form.teacher_phone.errors.append(exc.message)
        return False
    user = db.session.scalar(select(User).where(User.phone == phone))
    if user is None:
        form.teacher_phone.errors.append(_("No account has this mobile number."))
        return False
    return user.id


_CLASS_FIELD = {
    "class_code_taken": "code",
    "bad_code": "code",
    "capacity_below_enrolled": "capacity",
    "bad_dates": "ends_on",
}


@login_required
def edit_class(code: str, class_id: int | None = None):  # type: ignore[no-untyped-def]
    centre = access.centre_or_404(code)
    row = access.class_or_404(centre, class_id) if class_id is not None else None
    form = _class_form(centre, row)
    if request.method == "GET" and row is None and not form.programme.choices:
        flash(_("Add a programme first: every class runs a programme."), "error")
        return redirect(url_for("centres.manage", code=code, _anchor="programmes"))
    if form.validate_on_submit():
        teacher_id = _teacher_id(form)
        course_ids = {c for c, _label in form.course.choices}
        if teacher_id is not False and form.course.data in course_ids:
            details = operations.ClassDetails(
                programme=_programme_or_404(centre, form.programme.data),
                code=form.code.data,
                title=form.title.data,
                capacity=form.capacity.data,
                language=form.language.data,
                teacher_id=teacher_id,
                teacher_name=form.teacher_name.data,
                course_id=form.course.data or None,
                place=form.place.data,
                starts_on=form.starts_on.data,
                ends_on=form.ends_on.data,
                status=form.status.data,
            )
            try:
                saved = operations.save_class(centre, details, centre_class=row, by=_me())
            except CentreError as exc:
                db.session.rollback()
                getattr(form, _CLASS_FIELD.get(exc.code, "title")).errors.append(exc.message)
            else:
                flash(_("Class saved."), "success")
                return redirect(url_for("centres.roster", code=code, class_id=saved.id))
    status = 422 if form.is_submitted() else 200
    return _render("centres/class_form.html", status, form=form, centre=centre, centre_class=row)


# A class's roster, sessions and enrolment -----------------------------------------------------


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
    return _render(
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
        person = _get(Person, form.person_id.data) or abort(404)
    elif form.user_id.data:
        user = _get(User, form.user_id.data) or abort(404)
        person = operations.person_for_user(user)
    else:
        abort(400)
    try:
        enrolment, new = operations.enrol(centre_class, person, by=_me())
    except CentreError as exc:
        db.session.rollback()
        _refused(exc)
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
                details, centre=centre, by=_me()
            )
            enrolment, new = operations.enrol(centre_class, person, by=_me())
        except CentreError as exc:
            db.session.rollback()
            field = _PERSON_FIELD.get(exc.code)
            if field:
                getattr(form, field).errors.append(exc.message)
            else:
                _refused(exc)
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
    enrolment = _get(ClassEnrolment, enrolment_id)
    if enrolment is None or enrolment.class_id != centre_class.id:
        abort(404)
    form = WithdrawForm()
    if not form.validate_on_submit():
        flash(_("A reason has at most 300 characters."), "error")
        return _to_roster(centre_class, "roster")
    waiting = {e.id for e in queries.roster(centre_class).waitlisted}
    try:
        operations.withdraw(enrolment, by=_me(), reason=form.reason.data)
    except CentreError as exc:
        db.session.rollback()
        _refused(exc)
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
        _refused(exc)
    else:
        flash(message, "success")
    return _to_roster(centre_class, "sessions")


def register(bp: Blueprint) -> None:
    """Add this area's URL rules to the centres blueprint."""
    post = {"methods": ["POST"]}
    both = {"methods": ["GET", "POST"]}
    manage_class = "/<code>/manage/classes/<int:class_id>"
    bp.add_url_rule("/", "directory", directory)
    bp.add_url_rule("/new", "new_centre", new_centre, **both)
    bp.add_url_rule("/<code>", "profile", profile)
    bp.add_url_rule("/<code>/classes/<int:class_id>", "public_class", public_class)
    bp.add_url_rule("/<code>/classes/<int:class_id>/join", "join", join, **post)
    bp.add_url_rule("/<code>/classes/<int:class_id>/leave", "leave", leave, **post)
    bp.add_url_rule("/<code>/manage", "manage", manage)
    bp.add_url_rule("/<code>/manage/profile", "edit_centre", edit_centre, **both)
    bp.add_url_rule("/<code>/manage/staff", "add_staff", add_staff, **post)
    bp.add_url_rule(
        "/<code>/manage/staff/<int:assignment_id>/remove", "remove_staff", remove_staff, **post
    )
    bp.add_url_rule("/<code>/manage/programmes/new", "new_programme", programme, **both)
    bp.add_url_rule(
        "/<code>/manage/programmes/<int:programme_id>", "edit_programme", programme, **both
    )
    bp.add_url_rule("/<code>/manage/classes/new", "new_class", edit_class, **both)
    bp.add_url_rule(f"{manage_class}/edit", "edit_class", edit_class, **both)
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
