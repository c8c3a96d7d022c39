"""Verbs of taking a course: enrol and withdraw, note a visit, complete a lesson and credit
its time, start and submit quiz attempts, and complete the course (with its certificate).

Every learning event is recorded as an xAPI statement (:mod:`courses.records.operations`)
whose ``context.registration`` is the enrolment's registration and whose parent is the
course; progress and yearly hours are derived from those statements. Operations flush and
never commit. Time on task and its caps are explained in docs/time-on-task.md.
"""

from __future__ import annotations

import logging
import secrets
import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy.exc import IntegrityError, OperationalError

from courses.certificates.operations import issue_certificate
from courses.courseware.models import Course, CourseStatus, Lesson, Question, Quiz
from courses.learning import grading, queries
from courses.learning.models import Enrolment, EnrolmentStatus, QuestionResponse, QuizAttempt
from courses.records import iri, verbs
from courses.records.operations import record
from courses.resources.queries import pick_language
from portal.extensions import db
from portal.i18n import LANGUAGES, force_language
from portal.operation_errors import OperationError

logger = logging.getLogger(__name__)

# A lesson page's "served" token is good for this long; later, active time is not credited.
SERVED_MAX_AGE = 12 * 3600
# Active time credited for a lesson never exceeds this many times its estimate.
ESTIMATE_CAP = 4
# A visit moves "where to resume" at most this often for the same lesson (a write in a GET).
VISIT_EVERY = timedelta(minutes=10)

MESSAGES = {
    "not_open": _l("This course does not take new enrolments."),
    "enrolment_closed": _l("Enrolment in this course has closed."),
    "prerequisites": _l("Complete the courses this one requires before enrolling."),
    "not_enrolled": _l("Enrol in the course first."),
    "not_started": _l("The lessons of this course open on its start date."),
    "wrong_course": _l("This lesson is not part of the course."),
    "no_attempts_left": _l("You have used every attempt this quiz allows."),
    "no_questions": _l("This quiz has no questions yet."),
    "already_submitted": _l("This attempt was submitted already."),
}


class LearningError(OperationError):
    """A learning step refused; ``code`` keys :data:`MESSAGES`."""

    @property
    def message(self) -> str:
        return str(MESSAGES[self.code])


def _now() -> datetime:
    return datetime.now(UTC)


def _today() -> date:
    return _now().date()


# --- statements ---------------------------------------------------------------------------


def _statement(
    enrolment: Enrolment,
    verb: str,
    activity: str,
    *,
    result: dict[str, Any] | None = None,
    extensions: dict[str, Any] | None = None,
    grouping: list[str] | None = None,
) -> None:
    course_iri = iri.activity_iri("course", enrolment.course_id)
    context: dict[str, Any] = {"registration": enrolment.registration}
    if activity != course_iri:
        context["contextActivities"] = {"parent": [{"id": course_iri}]}
        if grouping:
            context["contextActivities"]["grouping"] = [{"id": g} for g in grouping]
    if extensions:
        context["extensions"] = extensions
    statement: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "actor": iri.user_agent(enrolment.user_id),
        "verb": {"id": verb, "display": verbs.display(verb)},
        "object": {"objectType": "Activity", "id": activity},
        "context": context,
    }
    if result:
        statement["result"] = result
    record(statement)


def _duration(seconds: int) -> str:
    return f"PT{int(seconds)}S"


# --- enrolment ----------------------------------------------------------------------------


def unmet_prerequisites(user: Any, course: Course) -> list[Course]:
    required = [p.required_course for p in course.prerequisites]
    done = queries.completed_courses(user, [c.id for c in required])
    return [c for c in required if c.id not in done]


def enrol(user: Any, course: Course, *, source: str = "self") -> Enrolment:
    """Enrol ``user``; enrolling again gives the same enrolment (a withdrawn one becomes
    active again). Refused for courses not published or archived, cohorts past ``ends_on``
    and learners who have not completed the prerequisites."""
    enrolment = queries.enrolment_of(user, course)
    if enrolment is not None and enrolment.status != EnrolmentStatus.WITHDRAWN:
        return enrolment
    if course.status != CourseStatus.PUBLISHED:
        raise LearningError("not_open")
    if not queries.enrolment_open(course, _today()):
        raise LearningError("enrolment_closed")
    if unmet_prerequisites(user, course):
        raise LearningError("prerequisites")
    if enrolment is None:
        enrolment = Enrolment(
            user_id=user.id,
            course_id=course.id,
            registration=str(uuid.uuid4()),
            source=source,
            status=EnrolmentStatus.ACTIVE,
        )
        try:
            with db.session.begin_nested():  # two clicks at once: one enrolment
                db.session.add(enrolment)
        except IntegrityError:
            return queries.enrolment_of(user, course)  # type: ignore[return-value]
    else:
        enrolment.status = EnrolmentStatus.ACTIVE
        enrolment.withdrawn_at = None
        enrolment.enrolled_at = _now()
    db.session.flush()
    logger.info("user %s enrolled in course %s (%s)", user.id, course.id, source)
    return enrolment


def withdraw(enrolment: Enrolment) -> Enrolment:
    """Leave the course: the records and attempts are kept; enrolling again resumes them."""
    if enrolment.status != EnrolmentStatus.WITHDRAWN:
        enrolment.status = EnrolmentStatus.WITHDRAWN
        enrolment.withdrawn_at = _now()
        db.session.flush()
        logger.info("user %s withdrew from course %s", enrolment.user_id, enrolment.course_id)
    return enrolment


def note_visit(enrolment: Enrolment, lesson: Lesson) -> bool:
    """Remember ``lesson`` as where to resume. Cheap: writes only when the lesson changed
    or the last note is older than :data:`VISIT_EVERY`. Returns whether it wrote."""
    now = _now()
    if (
        enrolment.last_lesson_id == lesson.id
        and enrolment.last_seen_at is not None
        and now - enrolment.last_seen_at < VISIT_EVERY
    ):
        return False
    try:
        with db.session.begin_nested():  # a busy SQLite must not fail the page being read
            enrolment.last_lesson_id = lesson.id
            enrolment.last_seen_at = now
    except OperationalError:
        logger.warning("could not note user %s at lesson %s", enrolment.user_id, lesson.id)
        return False
    return True


def _lock(enrolment: Enrolment) -> None:
    """Serialise the steps of one enrolment (PostgreSQL: the row is locked until commit;
    SQLite: writing requests hold the database's write lock anyway), so two requests at once
    cannot both start attempt 1, submit one attempt twice or complete the course twice.
    Once per transaction: a view that read the enrolment with ``for_update`` locked it."""
    if queries.holds_lock(enrolment):
        return
    db.session.refresh(enrolment, with_for_update=True)
    queries.note_locked(enrolment)


def _check_taking(enrolment: Enrolment, course: Course) -> None:
    if enrolment.status == EnrolmentStatus.WITHDRAWN:
        raise LearningError("not_enrolled")
    if not queries.lessons_open(course, _today()):
        raise LearningError("not_started")


# --- time on task -------------------------------------------------------------------------


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="learning.lesson-served")


def served_token(user_id: int, lesson_id: int) -> str:
    """The signed token a lesson page carries: who was served which lesson, and when."""
    return _serializer().dumps([user_id, lesson_id])


def served_at(token: str | None, user_id: int, lesson_id: int) -> datetime | None:
    """When the page holding ``token`` was served to this user for this lesson; None for a
    forged, expired or someone else's token."""
    if not token or len(token) > 200:
        return None
    try:
        payload, signed_at = _serializer().loads(
            token, max_age=SERVED_MAX_AGE, return_timestamp=True
        )
    except (BadSignature, SignatureExpired, ValueError, TypeError):
        return None
    if payload != [user_id, lesson_id]:
        return None
    return signed_at if signed_at.tzinfo else signed_at.replace(tzinfo=UTC)


def _measured(enrolment: Enrolment, lesson: Lesson, active_seconds: int, served: datetime) -> int:
    """Active seconds that may be credited: never more than the wall time since the page
    was served (less what was credited since), nor :data:`ESTIMATE_CAP` × the estimate for
    the lesson in all (less what was credited for it)."""
    credited, credited_since = queries.credited_ms(enrolment, lesson, since=served)
    wall = int((_now() - served).total_seconds()) - credited_since // 1000
    cap = ESTIMATE_CAP * lesson.estimated_minutes * 60 - credited // 1000
    return max(0, min(int(active_seconds), wall, cap))


def record_time(
    enrolment: Enrolment, lesson: Lesson, *, active_seconds: int, served: datetime
) -> int:
    """Credit active time sent by the page (a beacon) as an ``experienced`` statement with
    ``result.duration``; returns the seconds credited (0: nothing recorded)."""
    if lesson.module.course_id != enrolment.course_id:
        raise LearningError("wrong_course")
    _lock(enrolment)
    _check_taking(enrolment, lesson.module.course)
    seconds = _measured(enrolment, lesson, active_seconds, served)
    if seconds > 0:
        _statement(
            enrolment,
            verbs.EXPERIENCED,
            iri.activity_iri("lesson", lesson.id),
            result={"duration": _duration(seconds)},
        )
        logger.debug("user %s: %s s on lesson %s", enrolment.user_id, seconds, lesson.id)
    return seconds


def complete_lesson(
    enrolment: Enrolment,
    lesson: Lesson,
    *,
    active_seconds: int | None = None,
    served_at: datetime | None = None,
) -> int:
    """Mark ``lesson`` done: record ``completed`` (parent course, lesson count) with the time
    credited — the measured active time when the page sent it with a valid ``served_at``,
    else the lesson's estimate less what was already credited for it. Then evaluate the
    course's completion. Returns the seconds credited."""
    course = enrolment.course
    if lesson.module.course_id != course.id:
        raise LearningError("wrong_course")
    _lock(enrolment)
    _check_taking(enrolment, course)
    if active_seconds is not None and served_at is not None:
        seconds = _measured(enrolment, lesson, active_seconds, served_at)
    else:
        credited, _since = queries.credited_ms(enrolment, lesson)
        seconds = max(0, lesson.estimated_minutes * 60 - credited // 1000)
    done = queries.done_lesson_ids(enrolment)
    already = lesson.id in done
    if not already or seconds > 0:
        result: dict[str, Any] = {"completion": True}
        if seconds > 0:
            result["duration"] = _duration(seconds)
        _statement(
            enrolment,
            verbs.COMPLETED,
            iri.activity_iri("lesson", lesson.id),
            result=result,
            extensions={iri.lesson_count_extension(): max(1, len(course.lessons))},
        )
    _before, after = queries.neighbours(course, lesson)
    enrolment.last_lesson_id = (after or lesson).id  # resume where the learner goes next
    enrolment.last_seen_at = _now()
    db.session.flush()
    logger.info("user %s completed lesson %s (%s s)", enrolment.user_id, lesson.id, seconds)
    evaluate_completion(enrolment, done=done | {lesson.id})
    return seconds


# --- quizzes ------------------------------------------------------------------------------


def start_attempt(enrolment: Enrolment, quiz: Quiz) -> QuizAttempt:
    """The open attempt at ``quiz``, or a new one with its order of questions and options
    fixed (shuffled as the quiz says; ordering questions always shuffled) and ``attempted``
    recorded. Refused when every allowed attempt is used."""
    course = enrolment.course
    if quiz.lesson.module.course_id != course.id:
        raise LearningError("wrong_course")
    _lock(enrolment)
    _check_taking(enrolment, course)
    current = queries.open_attempt(enrolment, quiz)
    if current is not None:
        return current
    if not quiz.questions:
        raise LearningError("no_questions")
    attempts = queries.attempts_of(enrolment, quiz)
    if quiz.max_attempts is not None and len(attempts) >= quiz.max_attempts:
        raise LearningError("no_attempts_left")
    rng = secrets.SystemRandom()
    questions = [q.id for q in quiz.questions]
    if quiz.shuffle_questions:
        rng.shuffle(questions)
    options: dict[str, list[str]] = {}
    for question in quiz.questions:
        keys = list(question.option_keys or [])
        if question.kind == "ordering" or (
            quiz.shuffle_options and question.kind in ("single", "multiple")
        ):
            shuffled = keys[:]
            for _try in range(5):  # an ordering question should not start solved
                rng.shuffle(shuffled)
                if question.kind != "ordering" or shuffled != keys or len(keys) < 2:
                    break
            keys = shuffled
        options[str(question.id)] = keys
    attempt = QuizAttempt(
        quiz_id=quiz.id,
        number=max((a.number for a in attempts), default=0) + 1,
        layout={"questions": questions, "options": options},
        started_at=_now(),
    )
    enrolment.attempts.append(attempt)
    db.session.flush()
    _statement(
        enrolment,
        verbs.ATTEMPTED,
        iri.activity_iri("quiz", quiz.id),
        grouping=[iri.activity_iri("lesson", quiz.lesson_id)],
    )
    logger.info("user %s started attempt %s at quiz %s", enrolment.user_id, attempt.number, quiz.id)
    return attempt


def _response_text(response: Any) -> str:
    if response is None:
        return ""
    if isinstance(response, list | tuple):
        return "[,]".join(str(r) for r in response)
    return str(response)[:1000]


def submit_attempt(
    attempt: QuizAttempt, answers: dict[int, Any], *, chain: Sequence[str] = ()
) -> QuizAttempt:
    """Grade every question of the attempt (unanswered = wrong), store the responses and the
    score, record ``answered`` per question and ``passed``/``failed`` for the quiz, then
    evaluate the course's completion. ``chain`` is the reader's language chain: each
    question is graded in the language it was shown in (short-text answers are words)."""
    enrolment = attempt.enrolment
    _lock(enrolment)
    db.session.refresh(attempt)
    if attempt.submitted_at is not None:
        raise LearningError("already_submitted")
    quiz = attempt.quiz
    course = enrolment.course
    _check_taking(enrolment, course)
    points = max_points = 0.0
    graded: list[tuple[Question, Any, bool]] = []
    for question in queries.ordered_questions(attempt):
        response = answers.get(question.id)
        language = (
            pick_language(
                [t.language for t in question.translations], chain, course.original_language
            )
            if question.translations
            else course.original_language
        )
        correct, earned = grading.grade(question, response, language)
        stored = response if isinstance(response, str | list | bool) else None
        if isinstance(stored, str):
            stored = stored[:1000]
        attempt.responses.append(
            QuestionResponse(
                question_id=question.id, response=stored, correct=correct, points=earned
            )
        )
        points += earned
        max_points += float(question.points)
        graded.append((question, stored, correct))
    attempt.points, attempt.max_points = points, max_points
    attempt.score = points / max_points if max_points else 0.0
    attempt.passed = attempt.score * 100 >= quiz.pass_mark - 1e-9
    attempt.submitted_at = _now()
    db.session.flush()
    quiz_iri = iri.activity_iri("quiz", quiz.id)
    for question, stored, correct in graded:
        _statement(
            enrolment,
            verbs.ANSWERED,
            iri.activity_iri("question", question.id),
            result={"success": correct, "response": _response_text(stored)},
            grouping=[quiz_iri],
        )
    _statement(
        enrolment,
        verbs.PASSED if attempt.passed else verbs.FAILED,
        quiz_iri,
        result={
            "score": {
                "scaled": round(attempt.score, 4),
                "raw": points,
                "min": 0,
                "max": max_points,
            },
            "success": bool(attempt.passed),
            "completion": True,
        },
        grouping=[iri.activity_iri("lesson", quiz.lesson_id)],
    )
    logger.info(
        "user %s submitted attempt %s at quiz %s: %.2f",
        enrolment.user_id,
        attempt.number,
        quiz.id,
        attempt.score,
    )
    evaluate_completion(enrolment)
    return attempt


# --- completion ---------------------------------------------------------------------------


def completion_met(enrolment: Enrolment, done: set[int] | None = None) -> bool:
    """Whether the course's completion rule holds for this enrolment; ``done``: the lessons
    it has completed when the caller knows them (else read from its statements)."""
    course = enrolment.course
    lessons = course.lessons
    if not lessons:
        return False
    if course.require_all_lessons:
        if done is None:
            done = queries.done_lesson_ids(enrolment)
        if any(lesson.id not in done for lesson in lessons):
            return False
    quizzes = queries.quizzes_of(course)
    if course.require_quizzes_passed and quizzes:
        passed = {a.quiz_id for a in enrolment.attempts if a.passed}
        if any(q.id not in passed for q in quizzes):
            return False
    if course.min_score is not None and quizzes:
        best = queries.best_scores(enrolment)
        mean = sum(best.get(q.id, 0.0) for q in quizzes) / len(quizzes)
        if mean * 100 < course.min_score - 1e-9:
            return False
    return True


def evaluate_completion(enrolment: Enrolment, *, done: set[int] | None = None) -> bool:
    """Complete the course the first time its rule is met: record ``completed`` for the
    course, mark the enrolment, and issue the certificate (with ``earned``) if the course
    gives one. Never twice. ``done``: as for :func:`completion_met`. Returns whether it
    completed the course now."""
    if enrolment.status != EnrolmentStatus.ACTIVE or enrolment.completed_at is not None:
        return False
    if not completion_met(enrolment, done):
        return False
    course = enrolment.course
    course_iri = iri.activity_iri("course", course.id)
    enrolment.status = EnrolmentStatus.COMPLETED
    enrolment.completed_at = _now()
    db.session.flush()
    _statement(enrolment, verbs.COMPLETED, course_iri, result={"completion": True})
    if course.issues_certificate:
        user = enrolment.user
        code = next(c for c in (user.language, course.original_language, "vi") if c in LANGUAGES)
        with force_language(code) as language:
            achievement = queries.title_of(course, language.chain, course.original_language)
            issuer = _("Lifelong Learning Portal")
        certificate = issue_certificate(
            user,
            kind="course",
            course_id=course.id,
            achievement=achievement,
            hours=str(queries.hours_of(course)),
            issuer=issuer,
            language=code,
        )
        enrolment.certificate_id = certificate.id
        db.session.flush()
        _statement(
            enrolment,
            verbs.earned(),
            iri.activity_iri("certificate", certificate.id),
        )
    logger.info("user %s completed course %s", enrolment.user_id, course.id)
    return True
