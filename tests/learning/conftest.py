"""Factories for the taking-courses tests: learners, courses with quizzes of every kind."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from courses.courseware import models as cw


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch):
    """Argon2 with its cheapest parameters: these tests make many accounts and are not about
    passwords (hashes still verify; the parameters travel inside each hash)."""
    from argon2 import PasswordHasher, profiles

    from portal.accounts import passwords

    monkeypatch.setattr(passwords, "_hasher", PasswordHasher.from_parameters(profiles.CHEAPEST))


@pytest.fixture
def learner(make_user):
    return make_user(full_name="Phạm Văn Học", roles=("learner",), language="vi")


@pytest.fixture
def add_question(db) -> Callable[..., Any]:
    """``add_question(quiz, kind, answer, option_keys=(), options=None, accepted=(),
    language="vi", points=1, translations=None)``: a question with one translation (or the
    ``translations`` given as {language: accepted list})."""

    def factory(
        quiz: Any,
        kind: str,
        answer: dict[str, Any] | None = None,
        *,
        option_keys: tuple[str, ...] = (),
        options: dict[str, str] | None = None,
        accepted: tuple[str, ...] = (),
        language: str = "vi",
        points: int = 1,
        translations: dict[str, list[str]] | None = None,
    ) -> cw.Question:
        question = cw.Question(
            position=len(quiz.questions),
            kind=kind,
            points=points,
            option_keys=list(option_keys),
            answer=answer or {},
        )
        for code, words in (translations or {language: list(accepted)}).items():
            question.translations.append(
                cw.QuestionTranslation(
                    language=code,
                    prompt=f"Câu hỏi {kind}",
                    options=options or {k: f"Lựa chọn {k}" for k in option_keys},
                    accepted=list(words),
                    explanation="Giải thích.",
                )
            )
        quiz.questions.append(question)
        db.session.flush()
        return question

    return factory


@pytest.fixture
def quiz_course(make_course) -> Callable[..., Any]:
    """A published course with one lesson and a quiz (no questions yet) on it."""

    def factory(**fields: Any) -> tuple[Any, Any]:
        course = make_course(lessons=1, quiz=False, **fields)
        lesson = course.lessons[0]
        lesson.quiz = cw.Quiz(pass_mark=50)
        return course, lesson.quiz

    return factory


@pytest.fixture
def teacher(make_user):
    return make_user(full_name="Trần Văn Minh", roles=("teacher",))


@pytest.fixture
def make_course(make_course, teacher) -> Callable[..., Any]:
    """The shared factory, with one owner for every course of a test (fewer accounts)."""

    def factory(owner: Any = None, **kwargs: Any) -> Any:
        return make_course(owner or teacher, **kwargs)

    return factory
