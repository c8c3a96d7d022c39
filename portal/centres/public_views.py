"""The centres' public pages (no sign-in): the directory of active centres, a centre's profile
with its open classes, and an open class's page, from which a signed-in learner joins or leaves
it. A centre that is not active and a class that is not open answer 404; a refused join or
leave is flashed with its message."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from portal.centres import access, operations, queries
from portal.centres.forms import ConfirmForm, DirectoryForm
from portal.centres.labels import KIND_LABELS
from portal.centres.models import Centre, CentreClass, ClassStatus, EnrolmentStatus
from portal.centres.operations import CentreError
from portal.centres.view_helpers import get_or_none, me, refused, render_page
from portal.extensions import db

PAGE_SIZE = 30


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
    return render_page("centres/directory.html", form=form, page=page, args=args)


def _public_centre(code: str) -> Centre:
    centre = queries.active_centre(code)
    if centre is None:
        abort(404)
    return centre


def profile(code: str):  # type: ignore[no-untyped-def]
    centre = _public_centre(code)
    classes = queries.classes_of(centre, open_only=True)
    numbers = queries.counts([c.id for c in classes])
    return render_page(
        "centres/profile.html",
        centre=centre,
        classes=classes,
        places_left={c.id: max(0, c.capacity - queries.held(numbers[c.id])) for c in classes},
        can_manage=access.can_manage(current_user, centre),
    )


def _public_class(code: str, class_id: int) -> CentreClass:
    centre = _public_centre(code)
    centre_class = get_or_none(CentreClass, class_id)
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
    return render_page(
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
    person = operations.person_for_user(me())
    try:
        enrolment, _new = operations.enrol(centre_class, person, by=me())
    except CentreError as exc:
        refused(exc)
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
        operations.withdraw(enrolment, by=me(), reason=None)
    except CentreError as exc:
        refused(exc)
    else:
        flash(_("You left the class."), "success")
    return redirect(url_for("centres.public_class", code=code, class_id=class_id))


def register(bp: Blueprint) -> None:
    """Add this area's URL rules to the centres blueprint."""
    post = {"methods": ["POST"]}
    public_class_url = "/<code>/classes/<int:class_id>"
    bp.add_url_rule("/", "directory", directory)
    bp.add_url_rule("/<code>", "profile", profile)
    bp.add_url_rule(public_class_url, "public_class", public_class)
    bp.add_url_rule(f"{public_class_url}/join", "join", join, **post)
    bp.add_url_rule(f"{public_class_url}/leave", "leave", leave, **post)
