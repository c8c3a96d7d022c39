"""Courses and what they hold: modules, lessons, quizzes and questions, each with its texts in
one or more languages, plus co-authors, prerequisites and the resources a lesson attaches.

Language-independent facts (order, kind, answers, settings) live on the item; the words a
learner reads live on its ``*Translation`` rows, one per language, so a course translated into
Khmer is the same course (same enrolments, same records) with Khmer texts. A learner sees the
first language of their fallback chain that the item has (``portal.i18n``).

Question answers, by ``Question.kind`` (``Question.answer`` is JSON):

``single``      ``{"correct": "b"}`` — one option key; options in ``Question.option_keys``
``multiple``    ``{"correct": ["a", "c"]}`` — every correct key, no wrong one, for the points
``true_false``  ``{"correct": true}``
``short_text``  ``{"case_sensitive": false, "accent_sensitive": false}`` — the accepted
                answers are words, so they are per language: ``QuestionTranslation.accepted``.
                Text is always NFC-normalised and trimmed, inner spaces collapsed.
``numeric``     ``{"value": 3.5, "tolerance": 0.05}`` — correct when ``|given - value| <=
                tolerance``; a comma is accepted as the decimal separator ("3,5").
``ordering``    ``{}`` — ``Question.option_keys`` is the correct order; shown shuffled.

Option texts are per language: ``QuestionTranslation.options`` maps option key → text.
"""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db

__all__ = [
    "Course",
    "CourseAuthor",
    "CourseKind",
    "CoursePrerequisite",
    "CourseStatus",
    "CourseTranslation",
    "FeedbackMode",
    "Lesson",
    "LessonResource",
    "LessonTranslation",
    "Module",
    "ModuleTranslation",
    "Question",
    "QuestionKind",
    "QuestionTranslation",
    "Quiz",
]


def utcnow() -> datetime:
    return datetime.now(UTC)


class CourseStatus(enum.StrEnum):
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    PUBLISHED = "published"
    ARCHIVED = "archived"


class CourseKind(enum.StrEnum):
    SELF_PACED = "self_paced"  # open any time, at the learner's pace
    COHORT = "cohort"  # runs between starts_on and ends_on
    VOCATIONAL = "vocational"  # occupation, qualifications-framework level, nominal hours


class QuestionKind(enum.StrEnum):
    SINGLE = "single"
    MULTIPLE = "multiple"
    TRUE_FALSE = "true_false"
    SHORT_TEXT = "short_text"
    NUMERIC = "numeric"
    ORDERING = "ordering"


class FeedbackMode(enum.StrEnum):
    NONE = "none"  # only the score
    RESULT = "result"  # score and which questions were right
    FULL = "full"  # and the correct answers with each question's explanation


class Course(db.Model):
    __tablename__ = "courses"
    __table_args__ = (
        CheckConstraint("kind IN ('self_paced', 'cohort', 'vocational')", name="kind"),
        CheckConstraint("status IN ('draft', 'in_review', 'published', 'archived')", name="status"),
        CheckConstraint(
            "min_score IS NULL OR (min_score >= 0 AND min_score <= 100)", name="min_score"
        ),
        CheckConstraint("qf_level IS NULL OR (qf_level >= 1 AND qf_level <= 8)", name="qf_level"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[str] = mapped_column(String(16), default=CourseStatus.DRAFT, index=True)
    kind: Mapped[str] = mapped_column(String(16), default=CourseKind.SELF_PACED)
    original_language: Mapped[str] = mapped_column(String(12))
    # Same vocabularies as resources (courses.resources.vocabulary).
    subjects: Mapped[str] = mapped_column(String(300), default=",")  # ",digital,law,"
    level: Mapped[str] = mapped_column(String(16), default="beginner")
    audience: Mapped[str] = mapped_column(String(16), default="citizen")
    licence: Mapped[str] = mapped_column(String(16), default="cc-by")
    # Cohort courses: learners may enrol until ends_on; lessons open from starts_on.
    starts_on: Mapped[date | None]
    ends_on: Mapped[date | None]
    # Vocational courses.
    occupation: Mapped[str | None] = mapped_column(String(200))
    qf_level: Mapped[int | None]  # Vietnamese Qualifications Framework level 1-8
    nominal_hours: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    # Completion rule: every lesson viewed to the end, every quiz passed, and the mean of the
    # best quiz scores (0-100) at least min_score. Each part can be switched off.
    require_all_lessons: Mapped[bool] = mapped_column(default=True)
    require_quizzes_passed: Mapped[bool] = mapped_column(default=True)
    min_score: Mapped[int | None]
    issues_certificate: Mapped[bool] = mapped_column(default=True)
    review_note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime | None]
    published_at: Mapped[datetime | None]  # first publication
    archived_at: Mapped[datetime | None]

    owner = relationship("User")
    translations: Mapped[list[CourseTranslation]] = relationship(
        back_populates="course",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="CourseTranslation.language",
    )
    modules: Mapped[list[Module]] = relationship(
        back_populates="course",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Module.position",
    )
    authors: Mapped[list[CourseAuthor]] = relationship(
        back_populates="course", cascade="all, delete-orphan", passive_deletes=True
    )
    prerequisites: Mapped[list[CoursePrerequisite]] = relationship(
        back_populates="course",
        cascade="all, delete-orphan",
        passive_deletes=True,
        foreign_keys="CoursePrerequisite.course_id",
    )

    def __repr__(self) -> str:
        return f"<Course {self.id} {self.status}>"

    @property
    def subject_codes(self) -> list[str]:
        return [code for code in self.subjects.split(",") if code]

    @property
    def is_public(self) -> bool:
        """Published once: visitors may open it (archived ones say so, take no enrolments)."""
        return self.published_at is not None

    def translation(self, language: str) -> CourseTranslation | None:
        return next((t for t in self.translations if t.language == language), None)

    @property
    def lessons(self) -> list[Lesson]:
        """Every lesson, in module order then lesson order."""
        return [lesson for module in self.modules for lesson in module.lessons]

    def editable_by(self, user: Any) -> bool:
        """The owner, a co-author or an administrator may edit."""
        if user is None or not getattr(user, "is_authenticated", False):
            return False
        if user.has_role("admin"):
            return True
        return user.id == self.owner_id or any(a.user_id == user.id for a in self.authors)


class CourseTranslation(db.Model):
    __tablename__ = "course_translations"
    __table_args__ = (UniqueConstraint("course_id", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    language: Mapped[str] = mapped_column(String(12))
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(String(1000), default="")
    description: Mapped[str] = mapped_column(Text, default="")  # Markdown
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    course: Mapped[Course] = relationship(back_populates="translations")


class CourseAuthor(db.Model):
    """A co-author: may edit the course like its owner (not delete it or change co-authors)."""

    __tablename__ = "course_authors"
    __table_args__ = (UniqueConstraint("course_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    added_at: Mapped[datetime] = mapped_column(default=utcnow)

    course: Mapped[Course] = relationship(back_populates="authors")
    user = relationship("User")


class CoursePrerequisite(db.Model):
    """``course`` may be enrolled in only by learners who completed ``required_course``."""

    __tablename__ = "course_prerequisites"
    __table_args__ = (
        UniqueConstraint("course_id", "required_course_id"),
        CheckConstraint("course_id <> required_course_id", name="not_itself"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    required_course_id: Mapped[int] = mapped_column(
        ForeignKey("courses.id", ondelete="CASCADE"), index=True
    )

    course: Mapped[Course] = relationship(back_populates="prerequisites", foreign_keys=[course_id])
    required_course: Mapped[Course] = relationship(foreign_keys=[required_course_id])


class Module(db.Model):
    __tablename__ = "course_modules"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)

    course: Mapped[Course] = relationship(back_populates="modules")
    translations: Mapped[list[ModuleTranslation]] = relationship(
        back_populates="module",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="ModuleTranslation.language",
    )
    lessons: Mapped[list[Lesson]] = relationship(
        back_populates="module",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Lesson.position",
    )

    def translation(self, language: str) -> ModuleTranslation | None:
        return next((t for t in self.translations if t.language == language), None)


class ModuleTranslation(db.Model):
    __tablename__ = "course_module_translations"
    __table_args__ = (UniqueConstraint("module_id", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(
        ForeignKey("course_modules.id", ondelete="CASCADE"), index=True
    )
    language: Mapped[str] = mapped_column(String(12))
    title: Mapped[str] = mapped_column(String(200))

    module: Mapped[Module] = relationship(back_populates="translations")


class Lesson(db.Model):
    """A page of a module: Markdown text, attached resources (whose audio, video and images
    play in the page), and optionally a quiz at its end."""

    __tablename__ = "course_lessons"

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(
        ForeignKey("course_modules.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    # What a learner needs to read it: the time credited when no active time is measured.
    estimated_minutes: Mapped[int] = mapped_column(default=10)

    module: Mapped[Module] = relationship(back_populates="lessons")
    translations: Mapped[list[LessonTranslation]] = relationship(
        back_populates="lesson",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="LessonTranslation.language",
    )
    resources: Mapped[list[LessonResource]] = relationship(
        back_populates="lesson",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="LessonResource.position",
    )
    quiz: Mapped[Quiz | None] = relationship(
        back_populates="lesson", cascade="all, delete-orphan", passive_deletes=True
    )

    def translation(self, language: str) -> LessonTranslation | None:
        return next((t for t in self.translations if t.language == language), None)


class LessonTranslation(db.Model):
    __tablename__ = "course_lesson_translations"
    __table_args__ = (UniqueConstraint("lesson_id", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    lesson_id: Mapped[int] = mapped_column(
        ForeignKey("course_lessons.id", ondelete="CASCADE"), index=True
    )
    language: Mapped[str] = mapped_column(String(12))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")  # Markdown
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    lesson: Mapped[Lesson] = relationship(back_populates="translations")


class LessonResource(db.Model):
    """An open educational resource attached to a lesson (read more, listen, watch)."""

    __tablename__ = "course_lesson_resources"
    __table_args__ = (UniqueConstraint("lesson_id", "resource_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    lesson_id: Mapped[int] = mapped_column(ForeignKey("course_lessons.id", ondelete="CASCADE"))
    resource_id: Mapped[int] = mapped_column(
        ForeignKey("resources.id", ondelete="RESTRICT"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)

    lesson: Mapped[Lesson] = relationship(back_populates="resources")
    resource = relationship("Resource")


class Quiz(db.Model):
    """The quiz at the end of a lesson."""

    __tablename__ = "course_quizzes"
    __table_args__ = (
        CheckConstraint("pass_mark >= 0 AND pass_mark <= 100", name="pass_mark"),
        CheckConstraint("max_attempts IS NULL OR max_attempts >= 1", name="max_attempts"),
        CheckConstraint("feedback IN ('none', 'result', 'full')", name="feedback"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    lesson_id: Mapped[int] = mapped_column(
        ForeignKey("course_lessons.id", ondelete="CASCADE"), unique=True
    )
    pass_mark: Mapped[int] = mapped_column(default=70)  # percent of the points
    max_attempts: Mapped[int | None]  # None: as many as the learner likes
    shuffle_questions: Mapped[bool] = mapped_column(default=False)
    shuffle_options: Mapped[bool] = mapped_column(default=False)
    feedback: Mapped[str] = mapped_column(String(8), default=FeedbackMode.FULL)

    lesson: Mapped[Lesson] = relationship(back_populates="quiz")
    questions: Mapped[list[Question]] = relationship(
        back_populates="quiz",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Question.position",
    )


class Question(db.Model):
    __tablename__ = "course_questions"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('single', 'multiple', 'true_false', 'short_text', 'numeric', 'ordering')",
            name="kind",
        ),
        CheckConstraint("points >= 1", name="points"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(
        ForeignKey("course_quizzes.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[str] = mapped_column(String(16))
    points: Mapped[int] = mapped_column(default=1)
    option_keys: Mapped[list[str]] = mapped_column(JSON, default=list)  # see the module doc
    answer: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # see the module doc

    quiz: Mapped[Quiz] = relationship(back_populates="questions")
    translations: Mapped[list[QuestionTranslation]] = relationship(
        back_populates="question",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="QuestionTranslation.language",
    )

    def translation(self, language: str) -> QuestionTranslation | None:
        return next((t for t in self.translations if t.language == language), None)


class QuestionTranslation(db.Model):
    __tablename__ = "course_question_translations"
    __table_args__ = (UniqueConstraint("question_id", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("course_questions.id", ondelete="CASCADE"), index=True
    )
    language: Mapped[str] = mapped_column(String(12))
    prompt: Mapped[str] = mapped_column(Text)  # Markdown
    options: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)  # key -> text
    accepted: Mapped[list[str]] = mapped_column(JSON, default=list)  # short_text answers
    explanation: Mapped[str] = mapped_column(Text, default="")  # shown with full feedback

    question: Mapped[Question] = relationship(back_populates="translations")
