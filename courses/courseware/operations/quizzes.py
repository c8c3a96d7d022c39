"""Quizzes and their questions: quiz settings, questions of every kind with their
answers, the questions' words in each language, their order."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from courses.courseware.models import (
    Course,
    FeedbackMode,
    Lesson,
    Question,
    QuestionKind,
    QuestionTranslation,
    Quiz,
)
from courses.courseware.operations.common import (
    MAX_OPTIONS,
    MAX_POINTS,
    OPTION_MAX,
    PROMPT_MAX,
    CourseError,
    _int,
    _language,
    _line,
    _move,
    _optional_int,
    _refuse_if_answered,
    _renumber,
    _text,
    _touch,
    parse_number,
)

# --- quizzes ------------------------------------------------------------------------------


def _quiz_settings(
    pass_mark: Any, max_attempts: Any, shuffle_questions: bool, shuffle_options: bool, feedback: str
) -> dict[str, Any]:
    if feedback not in set(FeedbackMode):
        raise CourseError("bad_feedback")
    return {
        "pass_mark": _int(pass_mark, 0, 100, "bad_pass_mark"),
        "max_attempts": _optional_int(max_attempts, 1, 1000, "bad_max_attempts"),
        "shuffle_questions": bool(shuffle_questions),
        "shuffle_options": bool(shuffle_options),
        "feedback": str(feedback),
    }


def add_quiz(
    lesson: Lesson,
    editor: Any,
    *,
    pass_mark: Any = 70,
    max_attempts: Any = None,
    shuffle_questions: bool = False,
    shuffle_options: bool = False,
    feedback: str = FeedbackMode.FULL,
) -> Quiz:
    """A quiz at the end of ``lesson`` (one per lesson)."""
    if lesson.quiz is not None:
        raise CourseError("quiz_exists")
    settings = _quiz_settings(pass_mark, max_attempts, shuffle_questions, shuffle_options, feedback)
    lesson.quiz = Quiz(**settings)
    _touch(lesson.module.course, editor, "added a quiz to lesson %s", lesson.id)
    return lesson.quiz


def update_quiz(
    quiz: Quiz,
    editor: Any,
    *,
    pass_mark: Any,
    max_attempts: Any,
    shuffle_questions: bool,
    shuffle_options: bool,
    feedback: str,
) -> None:
    settings = _quiz_settings(pass_mark, max_attempts, shuffle_questions, shuffle_options, feedback)
    for name, value in settings.items():
        setattr(quiz, name, value)
    _touch(quiz.lesson.module.course, editor, "quiz %s settings", quiz.id)


def delete_quiz(quiz: Quiz, editor: Any) -> None:
    lesson = quiz.lesson
    _refuse_if_answered([quiz])
    lesson.quiz = None
    _touch(lesson.module.course, editor, "deleted quiz %s", quiz.id)


# --- questions ----------------------------------------------------------------------------


def option_key(index: int) -> str:
    """Stable keys: a, b, ..., z, then aa, ab, ..."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    return letters[index] if index < 26 else letters[index // 26 - 1] + letters[index % 26]


def _lines(value: str | Sequence[str] | None) -> list[str]:
    raw = value.splitlines() if isinstance(value, str) else list(value or ())
    return [line for line in (_line(item, OPTION_MAX) for item in raw) if line]


def _options(value: str | Sequence[str] | None) -> list[str]:
    options = _lines(value)
    if len(options) < 2:
        raise CourseError("too_few_options")
    if len(options) > MAX_OPTIONS:
        raise CourseError("too_many_options")
    return options


def _correct_numbers(value: str | Sequence[int] | None, count: int) -> list[int]:
    """Option numbers (1-based) from "2", "1, 3" or "1 3"; each must name an option."""
    if isinstance(value, str):
        parts = value.replace(",", " ").replace(";", " ").split()
    else:
        parts = [str(v) for v in value or ()]
    numbers = []
    for part in parts:
        if not part.isdigit() or not 1 <= int(part) <= count:
            raise CourseError("bad_correct")
        numbers.append(int(part))
    return sorted(set(numbers))


def _question_values(kind: str, spec: dict[str, Any]) -> dict[str, Any]:
    """Check a question's original-language fields for ``kind``; return its
    ``option_keys``, ``answer``, option texts and accepted answers."""
    options: list[str] = []
    accepted: list[str] = []
    keys: list[str] = []
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.ORDERING):
        options = _options(spec.get("options"))
        keys = [option_key(i) for i in range(len(options))]
    if kind == QuestionKind.SINGLE:
        numbers = _correct_numbers(spec.get("correct"), len(options))
        if len(numbers) != 1:
            raise CourseError("one_correct")
        answer: dict[str, Any] = {"correct": keys[numbers[0] - 1]}
    elif kind == QuestionKind.MULTIPLE:
        numbers = _correct_numbers(spec.get("correct"), len(options))
        if not numbers:
            raise CourseError("no_correct")
        answer = {"correct": [keys[n - 1] for n in numbers]}
    elif kind == QuestionKind.TRUE_FALSE:
        value = spec.get("correct")
        if isinstance(value, str):
            value = {"true": True, "false": False}.get(value.strip().lower())
        if not isinstance(value, bool):
            raise CourseError("no_true_false")
        answer = {"correct": value}
    elif kind == QuestionKind.SHORT_TEXT:
        accepted = _lines(spec.get("accepted"))
        if not accepted:
            raise CourseError("no_accepted")
        answer = {
            "case_sensitive": bool(spec.get("case_sensitive")),
            "accent_sensitive": bool(spec.get("accent_sensitive")),
        }
    elif kind == QuestionKind.NUMERIC:
        value = parse_number(spec.get("value"))
        if value is None:
            raise CourseError("bad_number")
        raw_tolerance = spec.get("tolerance")
        tolerance = (
            0.0
            if raw_tolerance is None or str(raw_tolerance).strip() == ""
            else parse_number(raw_tolerance)
        )
        if tolerance is None or tolerance < 0:
            raise CourseError("bad_tolerance")
        answer = {"value": value, "tolerance": tolerance}
    elif kind == QuestionKind.ORDERING:
        answer = {}
    else:
        raise CourseError("bad_question_kind")
    return {"option_keys": keys, "answer": answer, "options": options, "accepted": accepted}


def add_question(quiz: Quiz, editor: Any, *, kind: str, points: Any = 1, **spec: Any) -> Question:
    """A question at the end of ``quiz``, written in the course's original language.

    ``spec``: ``prompt``, ``explanation``, and by kind ``options`` (lines, in order),
    ``correct`` (option numbers "1, 3"; for true/false a bool), ``accepted`` (lines),
    ``case_sensitive``, ``accent_sensitive``, ``value`` and ``tolerance``."""
    if kind not in set(QuestionKind):
        raise CourseError("bad_question_kind")
    question = Question(kind=str(kind), position=len(quiz.questions))
    _fill_question(question, quiz.lesson.module.course, points, spec)
    quiz.questions.append(question)
    _touch(quiz.lesson.module.course, editor, "added a %s question to quiz %s", kind, quiz.id)
    return question


def update_question(question: Question, editor: Any, *, points: Any, **spec: Any) -> Question:
    """Change a question's original-language text, options and answer (its kind stays).
    Option keys stay those of the same line numbers, so translations still match; a
    translation whose number of options no longer matches is shown as needing an update."""
    course = question.quiz.lesson.module.course
    _fill_question(question, course, points, spec)
    _touch(course, editor, "question %s", question.id)
    return question


def _fill_question(question: Question, course: Course, points: Any, spec: dict[str, Any]) -> None:
    prompt = _text(spec.get("prompt"), PROMPT_MAX, required="no_prompt")
    explanation = _text(spec.get("explanation"), PROMPT_MAX)
    values = _question_values(question.kind, spec)
    question.points = _int(points, 1, MAX_POINTS, "bad_points")
    question.option_keys = values["option_keys"]
    question.answer = values["answer"]
    language = course.original_language
    text = question.translation(language)
    if text is None:
        text = QuestionTranslation(language=language, prompt=prompt)
        question.translations.append(text)
    text.prompt, text.explanation = prompt, explanation
    text.options = dict(zip(values["option_keys"], values["options"], strict=True))
    text.accepted = values["accepted"]


def save_question_text(
    question: Question,
    editor: Any,
    *,
    language: str,
    prompt: str,
    options: str | Sequence[str] = "",
    explanation: str = "",
    accepted: str | Sequence[str] = "",
) -> QuestionTranslation:
    """Add or replace the question's words in ``language``: the prompt, the option texts
    (as many as the question has, in the order of its keys), the explanation and, for a
    short-text question, the answers accepted in that language."""
    language = _language(language)
    course = question.quiz.lesson.module.course
    prompt = _text(prompt, PROMPT_MAX, required="no_prompt")
    explanation = _text(explanation, PROMPT_MAX)
    texts: dict[str, str] = {}
    if question.option_keys:
        lines = _lines(options)
        if len(lines) != len(question.option_keys):
            raise CourseError("option_count")
        texts = dict(zip(question.option_keys, lines, strict=True))
    answers: list[str] = []
    if question.kind == QuestionKind.SHORT_TEXT:
        answers = _lines(accepted)
        if not answers:
            raise CourseError("no_accepted")
    text = question.translation(language)
    if text is None:
        text = QuestionTranslation(language=language, prompt=prompt)
        question.translations.append(text)
    text.prompt, text.explanation, text.options, text.accepted = prompt, explanation, texts, answers
    _touch(course, editor, "question %s text in %s", question.id, language)
    return text


def move_question(question: Question, editor: Any, step: int) -> None:
    quiz = question.quiz
    _move(quiz.questions, question, step)
    quiz.questions.sort(key=lambda item: item.position)
    _touch(quiz.lesson.module.course, editor, "moved question %s by %s", question.id, step)


def delete_question(question: Question, editor: Any) -> None:
    quiz = question.quiz
    _refuse_if_answered([quiz])
    quiz.questions.remove(question)
    _renumber(quiz.questions)
    _touch(quiz.lesson.module.course, editor, "deleted question %s", question.id)
