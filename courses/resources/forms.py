"""Forms of the resource pages. Labels and messages are translated lazily."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from courses.markdown import MAX_LENGTH
from courses.resources.vocabulary import AUDIENCES, LEVELS, LICENCES, SUBJECTS, licence_label
from portal.i18n import LANGUAGES


def language_choices() -> list[tuple[str, str]]:
    return [(code, language.endonym) for code, language in LANGUAGES.items()]


class _MultiCheckbox(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class _TextFields(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    summary = TextAreaField(
        _l("Summary"),
        validators=[Optional(), Length(max=1000)],
        description=_l("Two or three sentences shown in lists and search results."),
    )
    body = TextAreaField(
        _l("Text"),
        validators=[Optional(), Length(max=MAX_LENGTH)],
        description=_l(
            "Written in Markdown: # heading, **bold**, [link](https://...), tables, "
            "fenced code and footnotes."
        ),
    )


class _MetadataFields(FlaskForm):
    licence = SelectField(_l("Licence"), validators=[DataRequired()])
    audience = SelectField(_l("Audience"), validators=[DataRequired()])
    level = SelectField(_l("Level"), validators=[DataRequired()])
    subjects = _MultiCheckbox(_l("Subjects"), validators=[Optional()])
    author = StringField(
        _l("Author"),
        validators=[DataRequired(), Length(max=200)],
        description=_l("Who wrote the resource, as the attribution line should name them."),
    )
    source = StringField(
        _l("Source"),
        validators=[Optional(), Length(max=500)],
        description=_l("Where the resource comes from, if it is adapted from another work."),
    )

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.licence.choices = [(code, licence_label(code)) for code in LICENCES]
        self.audience.choices = [(code, str(label)) for code, label in AUDIENCES.items()]
        self.level.choices = [(code, str(label)) for code, label in LEVELS.items()]
        self.subjects.choices = [(code, str(label)) for code, label in SUBJECTS.items()]


class NewResourceForm(_TextFields, _MetadataFields):
    language = SelectField(_l("Language of the text"), validators=[DataRequired()])
    submit = SubmitField(_l("Save draft"))

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.language.choices = language_choices()


class MetadataForm(_MetadataFields):
    submit = SubmitField(_l("Save"))


class TextForm(_TextFields):
    submit = SubmitField(_l("Save text"))


class ReturnForm(FlaskForm):
    note = TextAreaField(
        _l("Note to the author"),
        validators=[DataRequired(), Length(max=2000)],
        description=_l("Say what should change before the resource can be published."),
    )
    submit = SubmitField(_l("Return to the author"))


class UploadForm(FlaskForm):
    file = FileField(
        _l("File"),
        validators=[FileRequired(_l("Choose a file to upload."))],
    )
    submit = SubmitField(_l("Upload"))
