"""Forms and labels of the recognition pages. Labels are translated lazily; stored values are
codes. The answers of an assessment are read from the request by indicator code (their
fields come from the criteria set), so their form carries only the CSRF token."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    SubmitField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from portal.accounts.reference import GENDERS
from portal.form_fields import PlainString, PlainText
from portal.recognition.models import Model, Status

MODEL_LABELS = {
    Model.CITIZEN: _l("Learning Citizen"),
    Model.FAMILY: _l("Learning Family"),
    Model.CLAN: _l("Learning Clan"),
    Model.COMMUNITY: _l("Learning Community"),
    Model.UNIT: _l("Learning Unit"),
}

STATUS_LABELS = {
    Status.REGISTERED: _l("Registered"),
    Status.DRAFT: _l("Being answered"),
    Status.SUBMITTED: _l("Submitted for review"),
    Status.RETURNED: _l("Returned for changes"),
    Status.ACCEPTED: _l("Accepted by the reviewer"),
    Status.RECOGNISED: _l("Recognised"),
    Status.NOT_RECOGNISED: _l("Not recognised"),
    Status.WITHDRAWN: lazy_pgettext("candidacy", "Withdrawn"),
}

STEP_LABELS = {
    "register": _l("Registration closes"),
    "submit": _l("Self-assessment due"),
    "review": _l("Review by the association due"),
    "recognise": _l("Recognition due"),
    "report": _l("Report to the province due"),
}

SOURCE_LABELS = {
    "self": _l("Self-assessment"),
    "auto": _l("Learning records"),
    "review": _l("Set by the reviewer"),
}

EVIDENCE_KIND_LABELS = {
    "auto": _l("From learning records"),
    "photo": _l("Photo"),
    "document": _l("Document"),
    "note": _l("Note"),
}

ACTION_LABELS = {
    "register": _l("Registered"),
    "answer": _l("Answered"),
    "submit": _l("Submitted"),
    "adjust": _l("Points adjusted"),
    "accept": _l("Accepted"),
    "return": _l("Returned for changes"),
    "recognise": _l("Recognised"),
    "decline": _l("Not recognised"),
    "withdraw": lazy_pgettext("candidacy", "Withdrawn"),
    "auto": _l("Learning records counted"),
    "evidence": _l("Evidence added"),
    "evidence_removed": _l("Evidence removed"),
}

ORGANISATION_KIND_LABELS = {
    "agency": _l("Agency"),
    "school": _l("School"),
    "enterprise": _l("Enterprise"),
    "other": _l("Other unit"),
}

LEVEL_LABELS = {"commune": _l("Commune level"), "province": _l("Province level")}


class ConfirmForm(FlaskForm):
    """A button that changes something: only the CSRF token."""

    submit = SubmitField(_l("Confirm"))


class RegisterForm(FlaskForm):
    """A learner registers themself (citizen) or their household (family)."""

    model = HiddenField(validators=[InputRequired()])
    year = IntegerField(validators=[InputRequired(), NumberRange(2000, 2100)])
    criteria_set = IntegerField(_l("Criteria set"), validators=[InputRequired()])
    submit = SubmitField(_l("Register"))


class EvidenceForm(FlaskForm):
    indicator = SelectField(_l("Indicator"), validators=[InputRequired()])
    kind = SelectField(
        _l("Kind of evidence"),
        choices=[SelectChoice(k, EVIDENCE_KIND_LABELS[k]) for k in ("photo", "document", "note")],
        validators=[InputRequired()],
    )
    file = FileField(_l("File"), description=_l("A photo (JPEG, PNG or WebP) or a PDF document."))
    description = PlainText(
        _l("Description or note"),
        validators=[Optional(), Length(max=2000)],
        description=_l("What it shows, or the note itself."),
    )
    submit = SubmitField(_l("Add evidence"))


class AdjustForm(FlaskForm):
    indicator = HiddenField(validators=[InputRequired()])
    points = PlainString(_l("Points"), validators=[DataRequired(), Length(max=10)])
    reason = PlainString(
        _l("Reason"),
        validators=[DataRequired(_l("Give the reason.")), Length(min=3, max=1000)],
    )
    submit = SubmitField(_l("Adjust"))


class AcceptForm(FlaskForm):
    note = PlainString(_l("Note (optional)"), validators=[Optional(), Length(max=2000)])
    submit = SubmitField(_l("Accept"))


class ReturnForm(FlaskForm):
    note = PlainText(
        _l("What must change"),
        validators=[DataRequired(_l("Give the reason.")), Length(min=3, max=2000)],
    )
    submit = SubmitField(_l("Return for changes"))


class DeclineForm(FlaskForm):
    reason = PlainString(
        _l("Reason"), validators=[DataRequired(_l("Give the reason.")), Length(min=3, max=2000)]
    )
    submit = SubmitField(_l("Do not recognise"))


class WithdrawForm(FlaskForm):
    reason = PlainString(_l("Reason (optional)"), validators=[Optional(), Length(max=2000)])
    submit = SubmitField(_l("Withdraw"))


class ReviewFilterForm(FlaskForm):
    """The filters of the review list; sent by GET, so without CSRF token."""

    class Meta:
        csrf = False

    year = IntegerField(_l("Year"), validators=[Optional(), NumberRange(2000, 2100)])
    model = SelectField(
        lazy_pgettext("award", "Title"),
        choices=[SelectChoice("", _l("All titles"))]
        + [SelectChoice(m.value, text) for m, text in MODEL_LABELS.items()],
        validators=[Optional()],
    )
    status = SelectField(
        _l("Status"),
        choices=[SelectChoice("", _l("All statuses"))]
        + [SelectChoice(s.value, text) for s, text in STATUS_LABELS.items()],
        validators=[Optional()],
    )
    submit = SubmitField(_l("Filter"))


class YearForm(FlaskForm):
    class Meta:
        csrf = False

    year = IntegerField(_l("Year"), validators=[Optional(), NumberRange(2000, 2100)])
    submit = SubmitField(_l("Show"))


class DeadlineForm(FlaskForm):
    year = HiddenField(validators=[InputRequired()])
    model = HiddenField(validators=[InputRequired()])
    step = HiddenField(validators=[InputRequired()])
    due_on = DateField(_l("Last day"), validators=[InputRequired()])
    submit = SubmitField(_l("Save"))


# Commune officers ----------------------------------------------------------------------------


class OfficerRegisterForm(FlaskForm):
    """An officer registers a subject of their commune."""

    model = HiddenField(validators=[InputRequired()])
    subject = IntegerField(validators=[InputRequired()])
    year = IntegerField(validators=[InputRequired(), NumberRange(2000, 2100)])
    criteria_set = IntegerField(_l("Criteria set"), validators=[InputRequired()])
    late = BooleanField(_l("Late registration"))
    submit = SubmitField(_l("Register"))


class ClanForm(FlaskForm):
    name = PlainString(
        _l("Name of the clan"),
        validators=[DataRequired(), Length(max=200)],
        description=_l('For example "Dòng họ Nguyễn Văn, thôn Đông".'),
    )
    village = SelectField(_l("Village of the ancestral hall"), coerce=int, validate_choice=False)
    households = SelectMultipleField(
        _l("Member households"),
        coerce=int,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validate_choice=False,
    )
    submit = SubmitField(_l("Add clan"))


class OrganisationForm(FlaskForm):
    name = PlainString(_l("Name of the unit"), validators=[DataRequired(), Length(max=300)])
    kind = SelectField(
        _l("Kind"),
        choices=[SelectChoice(k, text) for k, text in ORGANISATION_KIND_LABELS.items()],
        validators=[InputRequired()],
    )
    level = SelectField(
        _l("Level"),
        choices=[SelectChoice(k, text) for k, text in LEVEL_LABELS.items()],
        validators=[InputRequired()],
    )
    staff = PlainText(
        _l("Staff"),
        validators=[Optional(), Length(max=20000)],
        description=_l(
            "One person a line: the mobile number or e-mail address of someone with an "
            "account, or the full name of someone without one."
        ),
    )
    submit = SubmitField(_l("Add unit"))


class PersonForm(FlaskForm):
    household = SelectField(_l("Household"), coerce=int, validate_choice=False)
    full_name = PlainString(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    birth_year = IntegerField(
        _l("Year of birth"),
        validators=[Optional(), NumberRange(1900, 2100, message=_l("Enter a year such as 1985."))],
    )
    gender = SelectField(
        _l("Gender"),
        choices=[SelectChoice("", _l("Not given"))]
        + [SelectChoice(code, text) for code, text in GENDERS.items()],
        validators=[Optional()],
    )
    submit = SubmitField(_l("Add person"))
