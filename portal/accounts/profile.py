"""Between the profile form and the account: place choices, and the fields to save."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from portal.accounts.forms import ProfileForm
from portal.accounts.models import User
from portal.places import queries as places


def fill_place_choices(form: ProfileForm, user: User) -> None:
    """Offer today's provinces, and the communes of the chosen (or saved) province."""
    form.home_province.choices = [SelectChoice("", _("Not chosen"))] + [
        SelectChoice(unit.code, unit.name) for unit in places.current_provinces()
    ]
    if not form.is_submitted() and user.home_commune is not None:
        parent = places.parent_of(user.home_commune)
        form.home_province.data = parent.code if parent else ""
        form.home_commune.data = user.home_commune.code
    communes = places.current_communes(form.home_province.data or "")
    form.home_commune.choices = [SelectChoice("", _("Not chosen"))] + [
        SelectChoice(unit.code, unit.name) for unit in communes
    ]


def profile_fields(form: ProfileForm) -> dict[str, Any]:
    """The validated form's values as profile fields."""
    commune = places.current_commune(form.home_commune.data) if form.home_commune.data else None
    return {
        "full_name": form.full_name.data,
        "phone": form.phone.data or None,
        "email": form.email.data or None,
        "birth_year": form.birth_year.data,
        "gender": form.gender.data or None,
        "ethnicity_code": form.ethnicity_code.data or None,
        "disability": form.disability.data or None,
        "occupation_group": form.occupation_group.data or None,
        "home_commune_id": commune.id if commune else None,
    }
