"""Administration pages of places: units by date, and villages and households of a commune."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from portal.accounts.access import role_required
from portal.accounts.models import Role
from portal.extensions import db
from portal.places import operations, queries
from portal.places.forms import (
    RELATION_LABELS,
    VILLAGE_KIND_LABELS,
    ConfirmForm,
    HouseholdForm,
    MemberForm,
    RenameVillageForm,
    UnitSearchForm,
    VillageForm,
    error_message,
)
from portal.places.models import AdminUnit, Household, HouseholdMember, Village

PAGE_SIZE = 50


@role_required(Role.ADMIN)
def index():  # type: ignore[no-untyped-def]
    form = UnitSearchForm(request.args)
    form.validate()
    day = form.on.data or queries.today()
    query = queries.units_in_force(day, level=form.level.data or None, text=form.q.data or "")
    query = query.options(selectinload(AdminUnit.parent))
    page = db.paginate(query, per_page=PAGE_SIZE, error_out=False)
    args = {
        "q": form.q.data or None,
        "level": form.level.data or None,
        "on": day.isoformat() if form.on.data else None,
    }
    return render_template("places/index.html", form=form, page=page, day=day, args=args)


def _unit_page(unit: AdminUnit, form: VillageForm | None = None):  # type: ignore[no-untyped-def]
    return render_template(
        "places/unit.html",
        unit=unit,
        children=queries.children(unit),
        successors=queries.successors(unit),
        predecessors=queries.predecessors(unit),
        villages=queries.villages_of(unit, include_retired=True),
        can_add_villages=queries.is_commune_in_force(unit, queries.today()),
        form=form or VillageForm(),
        village_kinds=VILLAGE_KIND_LABELS,
    )


@role_required(Role.ADMIN)
def unit(unit_id: int):  # type: ignore[no-untyped-def]
    return _unit_page(db.get_or_404(AdminUnit, unit_id))


@role_required(Role.ADMIN)
def create_village(unit_id: int):  # type: ignore[no-untyped-def]
    commune = db.get_or_404(AdminUnit, unit_id)
    form = VillageForm()
    if not form.validate_on_submit():
        return _unit_page(commune, form), 422
    try:
        village = operations.create_village(
            commune, name=form.name.data, kind=form.kind.data, created_by=current_user
        )
    except operations.PlacesError as exc:
        flash(error_message(exc.code), "error")
        return redirect(url_for("places.unit", unit_id=commune.id))
    flash(_("%(name)s added.", name=village.name), "success")
    return redirect(url_for("places.village", village_id=village.id))


def _village_page(
    village: Village,
    rename_form: RenameVillageForm | None = None,
    household_form: HouseholdForm | None = None,
):  # type: ignore[no-untyped-def]
    return render_template(
        "places/village.html",
        village=village,
        households=queries.households_of(village),
        rename_form=rename_form or RenameVillageForm(obj=village),
        household_form=household_form or HouseholdForm(),
        retire_form=ConfirmForm(),
        village_kinds=VILLAGE_KIND_LABELS,
    )


@role_required(Role.ADMIN)
def village(village_id: int):  # type: ignore[no-untyped-def]
    return _village_page(db.get_or_404(Village, village_id))


@role_required(Role.ADMIN)
def rename_village(village_id: int):  # type: ignore[no-untyped-def]
    target = db.get_or_404(Village, village_id)
    form = RenameVillageForm()
    if not form.validate_on_submit():
        return _village_page(target, rename_form=form), 422
    try:
        operations.rename_village(
            target, name=form.name.data, kind=form.kind.data, renamed_by=current_user
        )
    except operations.PlacesError as exc:
        flash(error_message(exc.code), "error")
    else:
        flash(_("Village renamed."), "success")
    return redirect(url_for("places.village", village_id=target.id))


@role_required(Role.ADMIN)
def retire_village(village_id: int):  # type: ignore[no-untyped-def]
    target = db.get_or_404(Village, village_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    operations.retire_village(target, retired_by=current_user)
    flash(_("%(name)s retired.", name=target.name), "success")
    return redirect(url_for("places.unit", unit_id=target.commune_id))


@role_required(Role.ADMIN)
def create_household(village_id: int):  # type: ignore[no-untyped-def]
    target = db.get_or_404(Village, village_id)
    form = HouseholdForm()
    if not form.validate_on_submit():
        return _village_page(target, household_form=form), 422
    try:
        household = operations.create_household(
            target, name=form.name.data, created_by=current_user
        )
    except operations.PlacesError as exc:
        flash(error_message(exc.code), "error")
        return redirect(url_for("places.village", village_id=target.id))
    flash(_("%(name)s added.", name=household.name), "success")
    return redirect(url_for("places.household", household_id=household.id))


def _household_page(household: Household, form: MemberForm | None = None):  # type: ignore[no-untyped-def]
    return render_template(
        "places/household.html",
        household=household,
        form=form or MemberForm(),
        remove_form=ConfirmForm(),
        relations=RELATION_LABELS,
    )


@role_required(Role.ADMIN)
def household(household_id: int):  # type: ignore[no-untyped-def]
    return _household_page(db.get_or_404(Household, household_id))


@role_required(Role.ADMIN)
def add_member(household_id: int):  # type: ignore[no-untyped-def]
    target = db.get_or_404(Household, household_id)
    form = MemberForm()
    if not form.validate_on_submit():
        return _household_page(target, form), 422
    user = queries.find_user(form.account.data) if (form.account.data or "").strip() else None
    if (form.account.data or "").strip() and user is None:
        form.account.errors = [error_message("user_not_found")]
        return _household_page(target, form), 422
    try:
        operations.add_member(
            target,
            relation=form.relation.data,
            user=user,
            full_name=form.full_name.data,
            birth_year=form.birth_year.data,
            gender=form.gender.data or None,
            added_by=current_user,
        )
    except operations.PlacesError as exc:
        flash(error_message(exc.code), "error")
    else:
        flash(_("Member added."), "success")
    return redirect(url_for("places.household", household_id=target.id))


@role_required(Role.ADMIN)
def remove_member(household_id: int, member_id: int):  # type: ignore[no-untyped-def]
    member = db.get_or_404(HouseholdMember, member_id)
    if member.household_id != household_id or not ConfirmForm().validate_on_submit():
        abort(404 if member.household_id != household_id else 400)
    operations.remove_member(member, removed_by=current_user)
    flash(_("Member removed."), "success")
    return redirect(url_for("places.household", household_id=household_id))
