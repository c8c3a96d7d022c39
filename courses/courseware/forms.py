"""Forms of the course authoring pages. Labels and messages are translated lazily; the
operations check every value again (the forms only shape what was typed)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from courses.courseware.models import CourseKind, FeedbackMode
from courses.markdown import MAX_LENGTH
from courses.resources.forms import language_choices
from courses.resources.vocabulary import AUDIENCES, LEVELS, LICENCES, SUBJECTS, licence_label

MARKDOWN_HINT = _l(
    "Written in Markdown: # heading, **bold**, [link](https://...), tables, "
    "fenced code and footnotes."
)

KINDS = {
    CourseKind.SELF_PACED: _l("Self-paced: open at any time"),
    CourseKind.COHORT: _l("Cohort: runs between two dates"),
    CourseKind.VOCATIONAL: _l("Vocational: prepares for an occupation"),
}

FEEDBACK = {
    FeedbackMode.NONE: _l("Only the score"),
    FeedbackMode.RESULT: _l("The score and which answers were right"),
    FeedbackMode.FULL: _l("The score, the correct answers and the explanations"),
}

QUESTION_KINDS = {
    "single": _l("Single choice"),
    "multiple": _l("Multiple choice"),
    "true_false": _l("True or false"),
    "short_text": _l("Short text answer"),
    "numeric": _l("Number"),
    "ordering": _l("Put in order"),
}


class _MultiCheckbox(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class SettingsForm(FlaskForm):
    kind = RadioField(_l("Kind of course"), validators=[DataRequired()])
    starts_on = DateField(
        _l("Starts on"),
        validators=[Optional()],
        description=_l("Cohort courses only: lessons open on this day."),
    )
    ends_on = DateField(
        _l("Ends on"),
        validators=[Optional()],
        description=_l("Cohort courses only: the last day learners may enrol and learn."),
    )
    occupation = StringField(
        _l("Occupation"),
        validators=[Optional(), Length(max=200)],
        description=_l("Vocational courses only: the occupation the course prepares for."),
    )
    qf_level = IntegerField(
        _l("Qualifications framework level"),
        validators=[Optional(), NumberRange(min=1, max=8)],
        description=_l("Vocational courses only: level 1 to 8 of the Vietnamese framework."),
    )
    nominal_hours = StringField(
        _l("Nominal hours"),
        validators=[Optional(), Length(max=20)],
        description=_l("Vocational courses only: the hours of learning the course stands for."),
    )
    level = SelectField(_l("Level"), validators=[DataRequired()])
    audience = SelectField(_l("Audience"), validators=[DataRequired()])
    licence = SelectField(_l("Licence"), validators=[DataRequired()])
    subjects = _MultiCheckbox(_l("Subjects"), validators=[Optional()])
    require_all_lessons = BooleanField(_l("Every lesson must be read to the end"))
    require_quizzes_passed = BooleanField(_l("Every quiz must be passed"))
    min_score = IntegerField(
        _l("Minimum mean score (0–100)"),
        validators=[Optional(), NumberRange(min=0, max=100)],
        description=_l("The mean of the best quiz scores needed to complete; empty for none."),
    )
    issues_certificate = BooleanField(_l("Issue a certificate on completion"))
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.kind.choices = [(code.value, str(label)) for code, label in KINDS.items()]
        self.licence.choices = [(code, licence_label(code)) for code in LICENCES]
        self.audience.choices = [(code, str(label)) for code, label in AUDIENCES.items()]
        self.level.choices = [(code, str(label)) for code, label in LEVELS.items()]
        self.subjects.choices = [(code, str(label)) for code, label in SUBJECTS.items()]

    def settings(self) -> dict[str, object]:
        """The values as the operations take them."""
        return {
            "kind": self.kind.data,
            "level": self.level.data,
            "audience": self.audience.data,
            "licence": self.licence.data,
            "subjects": self.subjects.data or [],
            "starts_on": self.starts_on.data,
            "ends_on": self.ends_on.data,
            "occupation": self.occupation.data or "",
            "qf_level": self.qf_level.data,
            "nominal_hours": self.nominal_hours.data,
            "require_all_lessons": self.require_all_lessons.data,
            "require_quizzes_passed": self.require_quizzes_passed.data,
            "min_score": self.min_score.data,
            "issues_certificate": self.issues_certificate.data,
        }


class CourseTextForm(FlaskForm):
    TEXTS = ("title", "summary", "description")  # the fields of the words in one language

    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    summary = TextAreaField(
        _l("Summary"),
        validators=[Optional(), Length(max=1000)],
        description=_l("Two or three sentences shown in the catalogue."),
    )
    description = TextAreaField(
        _l("Description"),
        validators=[Optional(), Length(max=MAX_LENGTH)],
        description=MARKDOWN_HINT,
    )
    submit = SubmitField(_l("Save text"))


class NewCourseForm(CourseTextForm, SettingsForm):
    language = SelectField(
        _l("Language the course is written in"),
        validators=[DataRequired()],
        description=_l("Its original language: translations can be added later."),
    )
    submit = SubmitField(_l("Create the draft"))

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.language.choices = language_choices()


class TitleForm(FlaskForm):
    TEXTS = ("title",)

    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    submit = SubmitField(_l("Save"))


class LessonTextForm(FlaskForm):
    TEXTS = ("title", "body")

    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    body = TextAreaField(
        _l("Text of the lesson"),
        validators=[Optional(), Length(max=MAX_LENGTH)],
        description=MARKDOWN_HINT,
    )
    submit = SubmitField(_l("Save text"))


class LessonForm(FlaskForm):
    estimated_minutes = IntegerField(
        _l("Estimated minutes"),
        validators=[DataRequired(), NumberRange(min=1, max=1000)],
        description=_l("Time credited to a learner when no active time is measured."),
    )
    submit = SubmitField(_l("Save"))


class AttachForm(FlaskForm):
    resource_id = IntegerField(
        _l("Resource number"), validators=[DataRequired(), NumberRange(min=1)]
    )
    submit = SubmitField(_l("Attach"))


class QuizForm(FlaskForm):
    pass_mark = IntegerField(
        _l("Pass mark (percent of the points)"),
        validators=[DataRequired(message=_l("Give a pass mark.")), NumberRange(min=0, max=100)],
    )
    max_attempts = IntegerField(
        _l("Attempts allowed"),
        validators=[Optional(), NumberRange(min=1, max=1000)],
        description=_l("Empty: as many as the learner likes."),
    )
    shuffle_questions = BooleanField(_l("Show the questions in a random order"))
    shuffle_options = BooleanField(_l("Show the options in a random order"))
    feedback = RadioField(_l("After an attempt, learners see"), validators=[DataRequired()])
    submit = SubmitField(_l("Save the quiz"))

    def settings(self) -> dict[str, object]:
        """The values as the operations take them."""
        return {
            "pass_mark": self.pass_mark.data,
            "max_attempts": self.max_attempts.data,
            "shuffle_questions": self.shuffle_questions.data,
            "shuffle_options": self.shuffle_options.data,
            "feedback": self.feedback.data,
        }

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.feedback.choices = [(code.value, str(label)) for code, label in FEEDBACK.items()]


class _QuestionWords(FlaskForm):
    prompt = TextAreaField(
        _l("Question"), validators=[DataRequired(), Length(max=5000)], description=MARKDOWN_HINT
    )
    options = TextAreaField(
        _l("Options, one per line"),
        validators=[Optional(), Length(max=12000)],
        description=_l("Translations follow the line numbers: keep the same order in each."),
    )
    accepted = TextAreaField(
        _l("Accepted answers, one per line"),
        validators=[Optional(), Length(max=12000)],
    )
    explanation = TextAreaField(
        _l("Explanation"),
        validators=[Optional(), Length(max=5000)],
        description=_l("Shown with the correct answer when the quiz gives full feedback."),
    )


class QuestionForm(_QuestionWords):
    points = IntegerField(
        _l("Points"), default=1, validators=[DataRequired(), NumberRange(min=1, max=100)]
    )
    correct = StringField(
        _l("Numbers of the correct options"),
        validators=[Optional(), Length(max=200)],
        description=_l("For example 2, or 1, 3 when several options are correct."),
    )
    truth = RadioField(
        _l("The statement is"),
        validators=[Optional()],
        choices=[SelectChoice("true", _l("True")), SelectChoice("false", _l("False"))],
    )
    case_sensitive = BooleanField(_l("Upper and lower case must match"))
    accent_sensitive = BooleanField(_l("Accents must match"))
    value = StringField(
        _l("Correct number"),
        validators=[Optional(), Length(max=40)],
        description=_l("A comma or a point may separate the decimals: 3,5 or 3.5."),
    )
    tolerance = StringField(
        _l("Tolerance"),
        validators=[Optional(), Length(max=40)],
        description=_l(
            "Answers this far from the number still count as correct; 0 or empty: exact."
        ),
    )
    submit = SubmitField(_l("Save the question"))


class QuestionTextForm(_QuestionWords):
    TEXTS = ("prompt", "options", "explanation", "accepted")

    submit = SubmitField(_l("Save text"))


class AuthorForm(FlaskForm):
    identifier = StringField(
        _l("Phone number or e-mail address of a teacher"),
        validators=[DataRequired(), Length(max=320)],
    )
    submit = SubmitField(_l("Add co-author"))


class PrerequisiteForm(FlaskForm):
    required = SelectField(_l("Course required before enrolling"), validators=[DataRequired()])
    submit = SubmitField(_l("Require"))


class ReturnForm(FlaskForm):
    note = TextAreaField(
        _l("Note to the authors"),
        validators=[DataRequired(), Length(max=2000)],
        description=_l("Say what should change before the course can be published."),
    )
    submit = SubmitField(_l("Return to the authors"))
