"""Forms of the spreadsheet imports: the upload, and the confirm and discard buttons."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SubmitField

from portal.centres.models import ImportStatus


class UploadForm(FlaskForm):
    file = FileField(
        _l("Spreadsheet of learners"),
        description=_l(
            "A CSV file (UTF-8) or an Excel workbook (.xlsx), one learner a row under a "
            "header row. Nobody is enrolled before you check the preview and confirm."
        ),
        validators=[FileRequired(_l("Choose a CSV or XLSX file to upload."))],
    )
    submit = SubmitField(_l("Upload and check"))


class ConfirmImportForm(FlaskForm):
    """Only the CSRF token: importing the valid rows."""

    submit = SubmitField(_l("Import the valid rows"))


class DiscardImportForm(FlaskForm):
    """Only the CSRF token: forgetting the uploaded file."""

    submit = SubmitField(_l("Discard this file"))


STATUS_LABELS = {
    ImportStatus.PREVIEWED: _l("Checked, waiting for confirmation"),
    ImportStatus.IMPORTED: _l("Imported"),
    ImportStatus.DISCARDED: _l("Discarded"),
}

FIELD_LABELS = {
    "full_name": _l("Full name"),
    "phone": _l("Phone"),
    "national_id": _l("National ID"),
    "birth_date": _l("Date of birth"),
    "birth_year": _l("Year of birth"),
    "gender": _l("Gender"),
    "ethnicity": _l("Ethnicity"),
    "commune_code": _l("Commune code"),
    "disability": _l("Disability"),
    "occupation_group": _l("Occupation group"),
}
