"""Forms of the accounts pages. Labels and messages are translated lazily."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    EqualTo,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from portal.accounts.identifiers import IdentifierError, normalise_email, normalise_phone
from portal.accounts.models import ROLE_SCOPES, Role, ScopeKind
from portal.accounts.passwords import MAX_LENGTH, MIN_LENGTH
from portal.accounts.reference import DISABILITIES, ETHNICITIES, GENDERS, OCCUPATION_GROUPS

ROLE_VALUES = frozenset(r.value for r in Role)

_password_length = Length(
    min=MIN_LENGTH, max=MAX_LENGTH, message=_l("Use between %(min)d and %(max)d characters.")
)


def _identifier_check(form: FlaskForm, field: StringField) -> None:
    text = (field.data or "").strip()
    try:
        if "@" in text:
            field.normalised = ("email", normalise_email(text))
        else:
            field.normalised = ("phone", normalise_phone(text))
    except IdentifierError:
        raise ValidationError(
            _l("Enter a Vietnamese mobile number such as 0912 345 678, or an e-mail address.")
        ) from None


def _phone_check(form: FlaskForm, field: StringField) -> None:
    if field.data:
        try:
            field.data = normalise_phone(field.data)
        except IdentifierError:
            raise ValidationError(
                _l("Enter a Vietnamese mobile number such as 0912 345 678.")
            ) from None


def _email_check(form: FlaskForm, field: StringField) -> None:
    if field.data:
        try:
            field.data = normalise_email(field.data)
        except IdentifierError:
            raise ValidationError(_l("Enter an e-mail address such as name@example.vn.")) from None


def _choices(mapping: dict, blank: str) -> list[SelectChoice]:
    return [SelectChoice("", blank)] + [
        SelectChoice(code, label) for code, label in mapping.items()
    ]


class SignUpForm(FlaskForm):
    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    identifier = StringField(
        _l("Mobile number or e-mail address"),
        validators=[DataRequired(), Length(max=254), _identifier_check],
        description=_l("You will use it to sign in. We never show it to other learners."),
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(), _password_length],
        description=_l("At least 8 characters."),
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The two passwords differ."))],
    )
    submit = SubmitField(_l("Create my account"))


class SignInForm(FlaskForm):
    identifier = StringField(
        _l("Mobile number or e-mail address"), validators=[DataRequired(), Length(max=254)]
    )
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=MAX_LENGTH)])
    remember = BooleanField(_l("Keep me signed in on this device"))
    submit = SubmitField(_l("Sign in"))


class _NewPasswordFields(FlaskForm):
    """A new password typed twice."""

    password = PasswordField(
        _l("New password"),
        validators=[DataRequired(), _password_length],
        description=_l("At least 8 characters."),
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The two passwords differ."))],
    )


class PasswordChangeForm(_NewPasswordFields):
    current = PasswordField(
        _l("Current password"), validators=[DataRequired(), Length(max=MAX_LENGTH)]
    )
    submit = SubmitField(_l("Change password"))


class PasswordResetForm(_NewPasswordFields):
    submit = SubmitField(_l("Set my new password"))


class DeleteAccountForm(FlaskForm):
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=MAX_LENGTH)])
    confirm = BooleanField(
        _l("I understand that my account is deleted for good"), validators=[DataRequired()]
    )
    submit = SubmitField(_l("Delete my account"))


_SEEN_BY = _l(
    "Only you, and officers of your commune and learning centre for anonymous statistics, see it."
)


class ProfileForm(FlaskForm):
    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    phone = StringField(_l("Mobile number"), validators=[Optional(), Length(max=20), _phone_check])
    email = StringField(
        _l("E-mail address"), validators=[Optional(), Length(max=254), _email_check]
    )
    birth_year = IntegerField(
        _l("Year of birth"),
        validators=[
            Optional(),
            NumberRange(min=1900, max=date.today().year, message=_l("Enter a year such as 1985.")),
        ],
        description=_l(
            "Optional. Used to count learners by age group in reports. %(seen)s", seen=_SEEN_BY
        ),
    )
    gender = SelectField(
        _l("Gender"),
        choices=_choices(GENDERS, _l("Prefer not to say")),
        validators=[Optional()],
        description=_l(
            "Optional. Used to report learning by women and men, "
            "as the national programme asks. %(seen)s",
            seen=_SEEN_BY,
        ),
    )
    ethnicity_code = SelectField(
        _l("Ethnic group"),
        choices=_choices(ETHNICITIES, _l("Prefer not to say")),
        validators=[Optional()],
        description=_l(
            "Optional. Used to plan learning in ethnic-minority languages and to "
            "report how minority learners are reached. %(seen)s",
            seen=_SEEN_BY,
        ),
    )
    disability = SelectField(
        _l("Disability"),
        choices=_choices(DISABILITIES, _l("Prefer not to say")),
        validators=[Optional()],
        description=_l(
            "Optional. Helps centres offer accessible classes and report on "
            "learners with disabilities. %(seen)s",
            seen=_SEEN_BY,
        ),
    )
    occupation_group = SelectField(
        _l("Occupation group"),
        choices=_choices(OCCUPATION_GROUPS, _l("Not chosen")),
        validators=[Optional()],
        description=_l(
            "Optional. Chooses the Learning Citizen self-assessment form for your group. %(seen)s",
            seen=_SEEN_BY,
        ),
    )
    home_province = SelectField(_l("Home province or city"), choices=[], validators=[Optional()])
    home_commune = SelectField(
        _l("Home commune or ward"),
        choices=[],
        validators=[Optional()],
        description=_l(
            "Optional. Your learning counts toward your commune's Learning "
            "Community results. Choose the province first. %(seen)s",
            seen=_SEEN_BY,
        ),
    )
    show_communes = SubmitField(_l("Show communes"))
    submit = SubmitField(_l("Save my profile"))

    def validate(self, extra_validators=None) -> bool:  # type: ignore[no-untyped-def]
        valid = super().validate(extra_validators)
        if not self.phone.data and not self.email.data:
            self.phone.errors = [
                *self.phone.errors,
                _l("Keep a mobile number or an e-mail address to sign in."),
            ]
            valid = False
        return valid


ROLE_LABELS = {
    Role.LEARNER: _l("Learner"),
    Role.TEACHER: _l("Teacher"),
    Role.STAFF: _l("Centre staff"),
    Role.REVIEWER: _l("Reviewer (association officer)"),
    Role.APPROVER: _l("Approver (People's Committee officer)"),
    Role.ADMIN: _l("Administrator"),
}

SCOPE_LABELS = {
    ScopeKind.CENTRE: _l("Centre"),
    ScopeKind.COMMUNE: _l("Commune"),
    ScopeKind.PROVINCE: _l("Province"),
}


class GrantRoleForm(FlaskForm):
    role = SelectField(
        _l("Role"),
        choices=[SelectChoice(r.value, label) for r, label in ROLE_LABELS.items()],
        validators=[InputRequired()],
    )
    scope_kind = SelectField(
        _l("Scope"),
        choices=_choices({k.value: v for k, v in SCOPE_LABELS.items()}, _l("None")),
        description=_l(
            "Centre staff act for a centre; reviewers and approvers for a commune or a province."
        ),
    )
    scope_code = StringField(
        _l("Scope code"),
        validators=[Length(max=32)],
        description=_l("The centre's code, or the official code of the commune or province."),
    )
    submit = SubmitField(_l("Grant role"))

    def validate_scope_kind(self, field: SelectField) -> None:
        allowed = ROLE_SCOPES.get(Role(self.role.data), ()) if self.role.data in ROLE_VALUES else ()
        if allowed and field.data not in allowed:
            raise ValidationError(
                _l(
                    "This role needs a scope: %(kinds)s.",
                    kinds=", ".join(str(SCOPE_LABELS[k]) for k in allowed),
                )
            )
        if not allowed and field.data:
            raise ValidationError(_l("This role is held without a scope."))

    def validate_scope_code(self, field: StringField) -> None:
        if self.scope_kind.data and not (field.data or "").strip():
            raise ValidationError(_l("Enter the code of the centre, commune or province."))


class UserSearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Name, mobile number or e-mail"), validators=[Optional(), Length(max=200)])
    role = SelectField(
        _l("Role"),
        choices=_choices({r.value: label for r, label in ROLE_LABELS.items()}, _l("Any role")),
        validators=[Optional()],
    )
