"""Forms and labels of the places administration. Labels are translated lazily; stored
values are codes."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from portal.accounts.reference import GENDERS
from portal.places.models import Level, Relation, UnitKind, VillageKind

LEVEL_LABELS = {
    Level.PROVINCE: _l("Province level"),
    Level.DISTRICT: _l("District level (until 30 June 2025)"),
    Level.COMMUNE: _l("Commune level"),
}

KIND_LABELS = {
    (Level.PROVINCE, UnitKind.PROVINCE): _l("Province"),
    (Level.PROVINCE, UnitKind.CITY): _l("Centrally-run city"),
    (Level.DISTRICT, UnitKind.DISTRICT): _l("Rural district"),
    (Level.DISTRICT, UnitKind.URBAN_DISTRICT): _l("Urban district"),
    (Level.DISTRICT, UnitKind.TOWN): _l("District-level town"),
    (Level.DISTRICT, UnitKind.CITY): _l("Provincial city"),
    (Level.COMMUNE, UnitKind.COMMUNE): _l("Commune"),
    (Level.COMMUNE, UnitKind.WARD): _l("Ward"),
    (Level.COMMUNE, UnitKind.TOWNSHIP): _l("Township"),
    (Level.COMMUNE, UnitKind.SPECIAL_ZONE): _l("Special zone"),
}

VILLAGE_KIND_LABELS = {
    VillageKind.THON: _l("Village (thôn)"),
    VillageKind.BAN: _l("Hamlet (bản)"),
    VillageKind.AP: _l("Hamlet (ấp)"),
    VillageKind.TO_DAN_PHO: _l("Residential group (tổ dân phố)"),
    VillageKind.OTHER: _l("Other community (làng, buôn, plei, phum, sóc, khu phố…)"),
}

RELATION_LABELS = {
    Relation.HEAD: _l("Head of household"),
    Relation.SPOUSE: _l("Wife or husband"),
    Relation.CHILD: _l("Child"),
    Relation.PARENT: _l("Father or mother"),
    Relation.GRANDCHILD: _l("Grandchild"),
    Relation.GRANDPARENT: _l("Grandparent"),
    Relation.SIBLING: _l("Brother or sister"),
    Relation.OTHER: _l("Other relation"),
}

ERROR_MESSAGES = {
    "not_a_commune": _l("Villages belong to a commune, ward or special zone."),
    "unit_not_in_force": _l(
        "This unit is no longer in force; add villages to the unit that succeeded it."
    ),
    "invalid_kind": _l("Choose a kind from the list."),
    "name_required": _l("Enter a name."),
    "village_exists": _l("This commune already has a village with that name."),
    "village_retired": _l("This village has been retired."),
    "invalid_relation": _l("Choose a relation from the list."),
    "head_exists": _l("This household already has a head."),
    "user_in_household": _l("This person already belongs to a household."),
    "invalid_birth_year": _l("Enter a year such as 1985."),
    "invalid_gender": _l("Choose a gender from the list."),
    "user_not_found": _l("No account has that number or address."),
}


def kind_label(level: str, kind: str) -> str:
    """The translated name of a unit's kind ("Ward", "Centrally-run city")."""
    return str(KIND_LABELS.get((level, kind), kind))


def error_message(code: str) -> str:
    return str(ERROR_MESSAGES.get(code, _l("The change was refused.")))


class UnitSearchForm(FlaskForm):
    """The search box of the unit list; sent by GET, so without CSRF token."""

    class Meta:
        csrf = False

    q = StringField(
        _l("Name or code"),
        validators=[Optional(), Length(max=100)],
        description=_l('Accents may be left out: "thai hoa" finds Thái Hòa and Thái Hoà.'),
    )
    level = SelectField(
        _l("Level"),
        choices=[SelectChoice("", _l("All levels"))]
        + [SelectChoice(level.value, label) for level, label in LEVEL_LABELS.items()],
        validators=[Optional()],
    )
    on = DateField(
        _l("In force on"),
        validators=[Optional()],
        description=_l(
            "Units changed on 1 July 2025: pick an earlier date to see "
            "the 63 provinces and their districts."
        ),
    )


class VillageForm(FlaskForm):
    name = StringField(
        _l("Name"),
        validators=[DataRequired(), Length(max=200)],
        description=_l('As the commune writes it, for example "Thôn Nà Hin" or "Tổ dân phố 5".'),
    )
    kind = SelectField(
        _l("Kind"),
        choices=[SelectChoice(k.value, label) for k, label in VILLAGE_KIND_LABELS.items()],
        validators=[InputRequired()],
    )
    submit = SubmitField(_l("Add village"))


class RenameVillageForm(VillageForm):
    submit = SubmitField(_l("Save"))


class ConfirmForm(FlaskForm):
    """A button that changes something: only the CSRF token."""

    submit = SubmitField(_l("Confirm"))


class HouseholdForm(FlaskForm):
    name = StringField(
        _l("Household name"),
        validators=[DataRequired(), Length(max=200)],
        description=_l('As neighbours call it, for example "Hộ ông Lò Văn Pọm".'),
    )
    submit = SubmitField(_l("Add household"))


class MemberForm(FlaskForm):
    account = StringField(
        _l("Account (mobile number, e-mail address or account number)"),
        validators=[Optional(), Length(max=254)],
        description=_l(
            "For a person who has an account. Leave empty for a child or an elderly "
            "person without one, and fill in the name below."
        ),
    )
    full_name = StringField(
        _l("Full name"),
        validators=[Optional(), Length(max=200)],
        description=_l("Required for a person without an account."),
    )
    birth_year = IntegerField(
        _l("Year of birth"),
        validators=[
            Optional(),
            NumberRange(min=1900, max=date.today().year, message=_l("Enter a year such as 1985.")),
        ],
    )
    gender = SelectField(
        _l("Gender"),
        choices=[SelectChoice("", _l("Not given"))]
        + [SelectChoice(code, label) for code, label in GENDERS.items()],
        validators=[Optional()],
    )
    relation = SelectField(
        _l("Relation to the head of household"),
        choices=[SelectChoice(r.value, label) for r, label in RELATION_LABELS.items()],
        validators=[InputRequired()],
    )
    submit = SubmitField(_l("Add member"))

    def validate(self, extra_validators=None) -> bool:  # type: ignore[no-untyped-def]
        valid = super().validate(extra_validators)
        if not (self.account.data or "").strip() and not (self.full_name.data or "").strip():
            self.full_name.errors = [
                *self.full_name.errors,
                _l("Give an account, or the person's full name."),
            ]
            valid = False
        return valid
