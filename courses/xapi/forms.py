"""Forms of the LRS credentials page. Labels and messages are translated lazily."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from courses.xapi import clients
from portal.form_fields import PlainString

# i18n: what each xAPI scope lets a client do; the scope's own name is shown beside it.
SCOPE_LABELS = {
    "statements/write": _l("Record statements"),
    "statements/read/mine": _l("Read the statements it recorded"),
    "statements/read": _l("Read every statement"),
    "state": _l("Keep learners' progress in activities (State resource)"),
    "define": _l("Define activities (their names and descriptions)"),
    "profile": _l("Keep activity and agent profiles"),
    "all/read": _l("Read everything"),
    "all": _l("Everything"),
}


class ScopesField(SelectMultipleField):
    """Scopes as a list of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ClientForm(FlaskForm):
    name = PlainString(
        _l("Client name"),
        description=_l("Who uses these credentials, e.g. “Tân Lập centre offline app”."),
        validators=[
            DataRequired(message=_l("Name the client.")),
            Length(max=200, message=_l("At most 200 characters.")),
        ],
    )
    scopes = ScopesField(
        _l("What it may do"),
        choices=[SelectChoice(scope, SCOPE_LABELS[scope]) for scope in clients.SCOPES],
        default=list(clients.DEFAULT_SCOPES),
    )
    rate_limit = StringField(
        _l("Rate limit"),
        description=_l("Requests allowed, e.g. “1200 per minute” or “10000 per day”."),
        default=clients.DEFAULT_RATE_LIMIT,
        validators=[
            DataRequired(message=_l("Give a rate limit.")),
            Length(max=100, message=_l("At most 100 characters.")),
        ],
    )
    centre_id = SelectField(
        _l("Learning centre"),
        description=_l("The centre the client belongs to, if any."),
        coerce=lambda value: int(value) if value not in (None, "", "None") else None,
        validators=[Optional()],
    )
    submit = SubmitField(_l("Issue credentials"))

    def validate_scopes(self, field: ScopesField) -> None:
        # Not DataRequired: its "required" flag would mark every checkbox required.
        if not field.data:
            raise ValidationError(_l("Choose at least one thing it may do."))

    def validate_rate_limit(self, field: StringField) -> None:
        try:
            clients.check_rate_limit(field.data or "")
        except clients.ClientError:
            raise ValidationError(
                _l("Write the limit as a number of requests per unit, e.g. “600 per minute”.")
            ) from None


class RevokeForm(FlaskForm):
    submit = SubmitField(_l("Revoke"))
