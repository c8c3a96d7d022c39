"""Management pages of a centre: creating it and editing its profile, its management page,
its staff, and its programmes and classes (a class's roster and sessions are
``roster_views``). They answer 404 to everyone but the centre's staff and administrators
(``access.centre_or_404``); creating a centre and naming its staff is for administrators.
Refused operations are flashed with their message, or shown on the field they concern."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from portal.accounts import operations as accounts
from portal.accounts.access import role_required
from portal.accounts.messages import error_message as account_message
from portal.accounts.models import Role, RoleAssignment, ScopeKind, User
from portal.centres import access, operations, queries
from portal.centres.forms import (
    CentreForm,
    ClassForm,
    ConfirmForm,
    NewCentreForm,
    ProgrammeForm,
    StaffForm,
)
from portal.centres.labels import PROGRAMME_LABELS
from portal.centres.models import Centre, CentreClass, Programme
from portal.centres.operations import CentreError
from portal.centres.view_helpers import get_or_none, me, refused, render_page
from portal.extensions import db

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
            centre = operations.create_centre(form.code.data, _centre_details(form), by=me())
        except CentreError as exc:
            db.session.rollback()
            if exc.code in ("bad_code", "code_taken"):
                form.code.errors.append(exc.message)
            else:
                refused(exc)
        else:
            flash(_("%(name)s created.", name=centre.name), "success")
            return redirect(url_for("centres.manage", code=centre.code))
    status = 422 if form.is_submitted() else 200
    return render_page("centres/centre_form.html", status, form=form, centre=None)


@login_required
def manage(code: str):  # type: ignore[no-untyped-def]
    centre = access.centre_or_404(code)
    classes = queries.classes_of(centre)
    return render_page(
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
            operations.update_centre(centre, _centre_details(form), by=me())
        except CentreError as exc:
            db.session.rollback()
            refused(exc)
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("centres.manage", code=code))
    status = 422 if form.is_submitted() else 200
    return render_page("centres/centre_form.html", status, form=form, centre=centre)


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
        refused(exc)
        return redirect(url_for("centres.manage", code=code, _anchor="staff"))
    user = db.session.scalar(select(User).where(User.phone == phone))
    if user is None:
        flash(_("No account has this mobile number."), "error")
        return redirect(url_for("centres.manage", code=code, _anchor="staff"))
    try:
        accounts.grant_role(
            user, Role.STAFF, scope_kind=ScopeKind.CENTRE, scope_code=centre.code, granted_by=me()
        )
    except accounts.AccountError as exc:
        flash(account_message(exc.code), "error")
    else:
        flash(_("%(name)s is now staff of this centre.", name=user.full_name), "success")
    return redirect(url_for("centres.manage", code=code, _anchor="staff"))


@role_required(Role.ADMIN)
def remove_staff(code: str, assignment_id: int):  # type: ignore[no-untyped-def]
    centre = access.centre_or_404(code)
    assignment = get_or_none(RoleAssignment, assignment_id)
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
    accounts.revoke_role(assignment, revoked_by=me())
    flash(_("%(name)s is no longer staff of this centre.", name=name), "success")
    return redirect(url_for("centres.manage", code=code, _anchor="staff"))


# Programmes -----------------------------------------------------------------------------------


def _programme_or_404(centre: Centre, programme_id: int) -> Programme:
    programme = get_or_none(Programme, programme_id)
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
            operations.save_programme(centre, details, programme=row, by=me())
        except CentreError as exc:
            db.session.rollback()
            (form.qf_level if exc.code == "vocational_needs" else form.title).errors.append(
                exc.message
            )
        else:
            flash(_("Programme saved."), "success")
            return redirect(url_for("centres.manage", code=code, _anchor="programmes"))
    status = 422 if form.is_submitted() else 200
    return render_page(
        "centres/programme_form.html", status, form=form, centre=centre, programme=row
    )


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
                saved = operations.save_class(centre, details, centre_class=row, by=me())
            except CentreError as exc:
                db.session.rollback()
                getattr(form, _CLASS_FIELD.get(exc.code, "title")).errors.append(exc.message)
            else:
                flash(_("Class saved."), "success")
                return redirect(url_for("centres.roster", code=code, class_id=saved.id))
    status = 422 if form.is_submitted() else 200
    return render_page(
        "centres/class_form.html", status, form=form, centre=centre, centre_class=row
    )


def register(bp: Blueprint) -> None:
    """Add this area's URL rules to the centres blueprint."""
    post = {"methods": ["POST"]}
    both = {"methods": ["GET", "POST"]}
    bp.add_url_rule("/new", "new_centre", new_centre, **both)
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
    bp.add_url_rule("/<code>/manage/classes/<int:class_id>/edit", "edit_class", edit_class, **both)
