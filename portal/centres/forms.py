"""Forms of the centres' pages. Labels are translated lazily; stored values are codes. Choices
that come from the database (programmes, courses) are filled in by the view."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    SubmitField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from portal.accounts.reference import DISABILITIES, ETHNICITIES, GENDERS, OCCUPATION_GROUPS
from portal.centres.labels import CLASS_STATUS_LABELS, KIND_LABELS, PROGRAMME_LABELS
from portal.centres.models import ClassStatus
from portal.form_fields import PlainString, PlainText
from portal.i18n.languages import LANGUAGES


def _choices(table: dict, blank: object = None) -> list[SelectChoice]:  # type: ignore[type-arg]
    first = [SelectChoice("", blank)] if blank is not None else []
    return first + [SelectChoice(code, text) for code, text in table.items()]


LANGUAGE_CHOICES = [SelectChoice(code, lang.endonym) for code, lang in LANGUAGES.items()]
WEEKDAYS = {
    0: _l("Monday"),
    1: _l("Tuesday"),
    2: _l("Wednesday"),
    3: _l("Thursday"),
    4: _l("Friday"),
    5: _l("Saturday"),
    6: _l("Sunday"),
}
PHONE_HINT = _l("A Vietnamese mobile number, for example 0912 345 678.")


class DirectoryForm(FlaskForm):
    """The filters of the public directory; sent by GET, so without CSRF token."""

    class Meta:
        csrf = False

    province = PlainString(_l("Province code"), validators=[Optional(), Length(max=8)])
    commune = PlainString(_l("Commune code"), validators=[Optional(), Length(max=8)])
    kind = SelectField(
        _l("Kind of provider"),
        choices=_choices(KIND_LABELS, _l("All kinds")),
        validators=[Optional()],
    )


class ConfirmForm(FlaskForm):
    """A button that changes something: only the CSRF token."""

    submit = SubmitField(_l("Confirm"))


class CentreForm(FlaskForm):
    name = PlainString(_l("Name"), validators=[DataRequired(), Length(max=300)])
    kind = SelectField(
        _l("Kind of provider"), choices=_choices(KIND_LABELS), validators=[InputRequired()]
    )
    commune = PlainString(
        _l("Commune code"),
        validators=[DataRequired(), Length(max=8)],
        description=_l("The statistics office's code of the commune, for example 24820."),
    )
    address = PlainString(_l("Address"), validators=[Optional(), Length(max=300)])
    phone = PlainString(
        _l("Phone"), validators=[Optional(), Length(max=20)], description=PHONE_HINT
    )
    email = PlainString(_l("E-mail address"), validators=[Optional(), Email(), Length(max=254)])
    website = PlainString(_l("Website"), validators=[Optional(), Length(max=300)])
    description = PlainText(_l("Description"), validators=[Optional(), Length(max=5000)])
    is_active = BooleanField(_l("Shown in the directory"), default=True)
    submit = SubmitField(_l("Save"))


class NewCentreForm(CentreForm):
    code = PlainString(
        _l("Code"),
        validators=[DataRequired(), Length(min=2, max=32)],
        description=_l("Lower-case letters, digits and hyphens, for example clc-ea-tul."),
    )
    submit = SubmitField(_l("Create the centre"))


class StaffForm(FlaskForm):
    phone = PlainString(
        _l("Mobile number of the account"),
        validators=[DataRequired(), Length(max=20)],
        description=_l("The person must already have an account on the portal."),
    )
    submit = SubmitField(_l("Add staff"))


class ProgrammeForm(FlaskForm):
    type = SelectField(
        _l("Type of programme"), choices=_choices(PROGRAMME_LABELS), validators=[InputRequired()]
    )
    title = PlainString(_l("Title"), validators=[DataRequired(), Length(max=300)])
    occupation = PlainString(
        _l("Occupation"),
        validators=[Optional(), Length(max=200)],
        description=_l("Vocational short courses: the trade taught."),
    )
    qf_level = IntegerField(
        _l("Qualifications-framework level"),
        validators=[Optional(), NumberRange(1, 8, message=_l("Enter a level from 1 to 8."))],
        description=_l("Vocational short courses: 1 to 8."),
    )
    hours = DecimalField(
        _l("Hours"),
        places=2,
        validators=[Optional(), NumberRange(0, 9999, message=_l("Enter hours from 0 to 9999."))],
    )
    description = PlainText(_l("Description"), validators=[Optional(), Length(max=5000)])
    gives_certificate = BooleanField(_l("Gives a certificate"), default=True)
    submit = SubmitField(_l("Save"))


class ClassForm(FlaskForm):
    programme = SelectField(_l("Programme"), coerce=int, validators=[InputRequired()])
    code = PlainString(
        _l("Code"),
        validators=[DataRequired(), Length(max=32)],
        description=_l("The centre's own reference, for example XMC-2026-01."),
    )
    title = PlainString(_l("Title"), validators=[DataRequired(), Length(max=300)])
    teacher_phone = PlainString(
        _l("Teacher's mobile number"),
        validators=[Optional(), Length(max=20)],
        description=_l("For a teacher with an account on the portal."),
    )
    teacher_name = PlainString(
        _l("Teacher's name"),
        validators=[Optional(), Length(max=200)],
        description=_l("For a teacher without an account."),
    )
    capacity = IntegerField(
        _l("Number of places"),
        validators=[
            InputRequired(),
            NumberRange(1, 1000, message=_l("Enter from 1 to 1000 places.")),
        ],
    )
    language = SelectField(
        _l("Language of instruction"), choices=LANGUAGE_CHOICES, validators=[InputRequired()]
    )
    course = SelectField(
        _l("Online course (blended learning)"), coerce=int, validators=[Optional()]
    )
    place = PlainString(_l("Venue"), validators=[Optional(), Length(max=300)])
    starts_on = DateField(_l("Starts on"), validators=[Optional()])
    ends_on = DateField(_l("Ends on"), validators=[Optional()])
    status = SelectField(
        _l("Status"),
        choices=[
            SelectChoice(s.value, CLASS_STATUS_LABELS[s.value])
            for s in (ClassStatus.OPEN, ClassStatus.CANCELLED)
        ],
        validators=[InputRequired()],
    )
    submit = SubmitField(_l("Save"))


MINUTES = [NumberRange(1, 720, message=_l("A session lasts 1 to 720 minutes."))]


class SessionForm(FlaskForm):
    day = DateField(_l("Date"), validators=[InputRequired()])
    start_time = TimeField(_l("Start time"), validators=[InputRequired()])
    minutes = IntegerField(_l("Minutes"), default=90, validators=[InputRequired(), *MINUTES])
    place = PlainString(_l("Venue"), validators=[Optional(), Length(max=300)])
    topic = PlainString(_l("Topic"), validators=[Optional(), Length(max=300)])
    submit = SubmitField(_l("Add the session"))


class SeriesForm(FlaskForm):
    first = DateField(_l("From"), validators=[InputRequired()])
    last = DateField(_l("To"), validators=[InputRequired()])
    weekdays = SelectMultipleField(
        _l("Weekdays"),
        coerce=int,
        choices=[SelectChoice(day, text) for day, text in WEEKDAYS.items()],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validators=[DataRequired(message=_l("Choose at least one weekday."))],
    )
    start_time = TimeField(_l("Start time"), validators=[InputRequired()])
    minutes = IntegerField(_l("Minutes"), default=90, validators=[InputRequired(), *MINUTES])
    place = PlainString(_l("Venue"), validators=[Optional(), Length(max=300)])
    submit = SubmitField(_l("Add weekly sessions"))


class SearchForm(FlaskForm):
    """Finding a person to enrol; sent by GET, so without CSRF token."""

    class Meta:
        csrf = False

    q = PlainString(
        _l("Phone, national ID or name"),
        validators=[DataRequired(), Length(max=200)],
        description=_l('Accents may be left out: "nguyen thi lan" finds Nguyễn Thị Lan.'),
    )


class EnrolForm(FlaskForm):
    """The "Enrol" button of a search result: a person or an account."""

    person_id = IntegerField(validators=[Optional()])
    user_id = IntegerField(validators=[Optional()])


class PersonForm(FlaskForm):
    """A person without an account, added and enrolled."""

    full_name = PlainString(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    phone = PlainString(
        _l("Phone"), validators=[Optional(), Length(max=20)], description=PHONE_HINT
    )
    national_id = PlainString(
        _l("National ID number"),
        validators=[Optional(), Length(max=20)],
        description=_l("12 digits, or 9 on an old identity card."),
    )
    birth_date = DateField(_l("Date of birth"), validators=[Optional()])
    birth_year = IntegerField(
        _l("Year of birth"),
        validators=[
            Optional(),
            NumberRange(1900, date.today().year, message=_l("Enter a year such as 1985.")),
        ],
        description=_l("When the date is not known."),
    )
    gender = SelectField(_l("Gender"), choices=_choices(GENDERS, "—"), validators=[Optional()])
    ethnicity = SelectField(
        _l("Ethnic group"),
        choices=[SelectChoice("", "—")] + [SelectChoice(c, n) for c, n in ETHNICITIES.items()],
        validators=[Optional()],
    )
    disability = SelectField(
        _l("Disability"), choices=_choices(DISABILITIES, "—"), validators=[Optional()]
    )
    occupation_group = SelectField(
        _l("Occupation group"), choices=_choices(OCCUPATION_GROUPS, "—"), validators=[Optional()]
    )
    commune = PlainString(_l("Commune code"), validators=[Optional(), Length(max=8)])
    submit = SubmitField(_l("Add and enrol"))


class WithdrawForm(FlaskForm):
    reason = PlainString(_l("Reason (optional)"), validators=[Optional(), Length(max=300)])
    submit = SubmitField(_l("Withdraw"))
