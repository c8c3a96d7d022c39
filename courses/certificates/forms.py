"""Forms of the certificate pages. Labels and messages are translated lazily."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from courses.certificates.codes import normalise_code

STATUS_LABELS = {"valid": _l("Valid"), "revoked": _l("Revoked")}


class VerifyForm(FlaskForm):
    """The public form to type a code from a paper certificate (GET, no CSRF)."""

    class Meta:
        csrf = False

    code = StringField(
        _l("Certificate code"),
        description=_l(
            "16 letters and digits, printed on the certificate, e.g. 7KQ4-M2XD-9TNE-B1HC."
        ),
        validators=[DataRequired(message=_l("Type the code printed on the certificate."))],
    )

    def validate_code(self, field: StringField) -> None:
        if normalise_code(field.data) is None:
            raise ValidationError(
                _l("This is not a certificate code: codes have 16 letters and digits.")
            )


class CertificateSearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Code or learner's name"), validators=[Optional(), Length(max=200)])
    status = SelectField(
        _l("Status"),
        choices=[SelectChoice("", _l("Any status"))]
        + [SelectChoice(value, label) for value, label in STATUS_LABELS.items()],
        validators=[Optional()],
    )


class RevokeForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason"),
        description=_l("Shown to everyone who checks this certificate."),
        validators=[
            DataRequired(message=_l("Give the reason for revoking this certificate.")),
            Length(max=500),
        ],
    )
    submit = SubmitField(_l("Revoke this certificate"))


KIND_LABELS = {
    "course": _l("Course"),
    "programme": _l("Programme"),
    "title": _l("Learning-society title"),
}
