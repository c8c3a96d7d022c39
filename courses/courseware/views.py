"""Pages of course authoring: the teacher's list, the outline, editors of texts in each
language, lessons, quizzes and questions, co-authors and prerequisites, and moderation."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from courses.courseware import operations, queries
from courses.courseware.forms import (
    AttachForm,
    AuthorForm,
    CourseTextForm,
    LessonForm,
    LessonTextForm,
    NewCourseForm,
    PrerequisiteForm,
    QuestionForm,
    QuestionTextForm,
    QuizForm,
    ReturnForm,
    SettingsForm,
    TitleForm,
)
from courses.courseware.models import Course, Lesson, Module, Question, QuestionKind
from courses.courseware.operations import MESSAGES, CourseError
from courses.resources.queries import cached_markdown
from portal.accounts.access import role_required
from portal.accounts.models import Role
from portal.i18n import LANGUAGES, current_language

EDITORS = (Role.TEACHER, Role.ADMIN)
MODERATORS = (Role.REVIEWER, Role.ADMIN)

# Which form field an operation's refusal belongs to, so the message shows beside it.
FIELD_OF = {
    "no_title": "title",
    "too_long": "title",
    "bad_language": "language",
    "bad_kind": "kind",
    "bad_level": "level",
    "bad_audience": "audience",
    "bad_licence": "licence",
    "bad_subject": "subjects",
    "no_dates": "starts_on",
    "bad_dates": "ends_on",
    "no_occupation": "occupation",
    "bad_qf_level": "qf_level",
    "bad_hours": "nominal_hours",
    "bad_min_score": "min_score",
    "bad_minutes": "estimated_minutes",
    "bad_pass_mark": "pass_mark",
    "bad_max_attempts": "max_attempts",
    "bad_feedback": "feedback",
    "bad_points": "points",
    "no_prompt": "prompt",
    "too_few_options": "options",
    "too_many_options": "options",
    "option_count": "options",
    "bad_correct": "correct",
    "one_correct": "correct",
    "no_correct": "correct",
    "no_true_false": "truth",
    "no_accepted": "accepted",
    "bad_number": "value",
    "bad_tolerance": "tolerance",
    "no_such_teacher": "identifier",
    "already_author": "identifier",
}


# --- access and helpers -------------------------------------------------------------------


def _is_moderator() -> bool:
    return current_user.is_authenticated and any(current_user.has_role(r) for r in MODERATORS)


def _editable_or_404(course_id: int) -> Course:
    course = queries.get_course(course_id)
    if course is None or not course.editable_by(current_user):
        abort(404)
    return course


def _found(item: Any) -> Any:
    if item is None:
        abort(404)
    return item


def _chain() -> tuple[str, ...]:
    return current_language().chain


def _language_arg() -> str:
    language = request.args.get("language", "")
    if language not in LANGUAGES:
        abort(404)
    return language


def _step() -> int:
    direction = request.form.get("direction")
    if direction not in ("up", "down"):
        abort(400)
    return -1 if direction == "up" else 1


def _refused(exc: CourseError, form: Any = None) -> None:
    """Show a refusal beside its field when the form has it, else as a flash message."""
    name = FIELD_OF.get(exc.code)
    if form is not None and name and name in form:
        form[name].errors = [*form[name].errors, MESSAGES[exc.code]]
    else:
        flash(MESSAGES[exc.code], "error")


def _outline(course: Course, anchor: str | None = None) -> Any:
    return redirect(url_for("courseware.outline", course_id=course.id, _anchor=anchor))


def _quiz_page(course: Course, lesson_id: int) -> Any:
    return redirect(url_for("courseware.quiz", course_id=course.id, lesson_id=lesson_id))


def _settings_page(course: Course, anchor: str) -> Any:
    return redirect(url_for("courseware.edit", course_id=course.id, _anchor=anchor))


def _act(action: Any, done: str, *args: Any, form: Any = None, **kwargs: Any) -> bool:
    """Run one operation, flashing ``done`` or the refusal (beside its field when ``form``
    has it); True when the operation went through."""
    try:
        action(*args, **kwargs)
    except CourseError as exc:
        _refused(exc, form)
        return False
    flash(done, "success")
    return True


def _saved(form: Any, action: Any, done: str, *args: Any, **kwargs: Any) -> bool:
    """True when ``form`` was sent, is valid and ``action`` took it (see ``_act``)."""
    return form.validate_on_submit() and _act(action, done, *args, form=form, **kwargs)


def _managed_or_403(course_id: int) -> Course:
    """The course, for its owner (or an admin) only: co-authors may edit, not manage."""
    course = _editable_or_404(course_id)
    if not operations.may_manage(course, current_user):
        abort(403)
    return course


def _module_or_404(course_id: int, module_id: int) -> tuple[Course, Module]:
    course = _editable_or_404(course_id)
    return course, _found(queries.get_module(course, module_id))


def _lesson_or_404(course_id: int, lesson_id: int) -> tuple[Course, Lesson]:
    course = _editable_or_404(course_id)
    return course, _found(queries.get_lesson(course, lesson_id))


def _question_or_404(course_id: int, question_id: int) -> tuple[Course, Question]:
    course = _editable_or_404(course_id)
    return course, _found(queries.get_question(course, question_id))


def _texts(form: Any) -> dict[str, str]:
    """The words a text form holds, by field name (``form.TEXTS``)."""
    return {name: form[name].data or "" for name in form.TEXTS}


def _edit_text(
    course: Course,
    item: Any,
    form_class: Any,
    save: Any,
    endpoint: str,
    *,
    saved_url: str | None = None,
    **args: Any,
) -> Any:
    """The editor of ``item``'s words in the ``language`` argument, saved with
    ``save(item, editor, language=..., **texts)``; once saved, back to this page (or to
    ``saved_url``). ``args`` are the URL arguments of ``endpoint`` but the language."""
    language = _language_arg()
    form = form_class(obj=item.translation(language))
    texts = _texts(form)
    if _saved(form, save, _("Text saved."), item, current_user, language=language, **texts):
        return redirect(saved_url or url_for(endpoint, **args, language=language))
    return _text_page(course, item, endpoint, args, form, language)


# --- the teacher's list and the course ----------------------------------------------------


@role_required(*EDITORS)
def mine() -> str:
    return render_template(
        "courseware/mine.html", courses=queries.written_by(current_user), chain=_chain()
    )


@role_required(*EDITORS)
def new() -> Any:
    form = NewCourseForm()
    if request.method == "GET":
        form.language.data = current_language().code
        form.kind.data = "self_paced"
        form.require_all_lessons.data = form.require_quizzes_passed.data = True
        form.issues_certificate.data = True
    if form.validate_on_submit():
        try:
            course = operations.create_course(
                current_user, language=form.language.data, **_texts(form), **form.settings()
            )
        except CourseError as exc:
            _refused(exc, form)
        else:
            flash(_("Draft saved. Now add modules and lessons."), "success")
            return _outline(course)
    return render_template("courseware/new.html", form=form)


@role_required(*EDITORS)
def outline(course_id: int) -> str:
    course = _editable_or_404(course_id)
    return render_template(
        "courseware/outline.html",
        course=course,
        may_manage=operations.may_manage(course, current_user),
        chain=_chain(),
    )


@role_required(*EDITORS)
def edit(course_id: int) -> Any:
    course = _editable_or_404(course_id)
    form = _settings_form(course)
    done = _("Changes saved.")
    if _saved(form, operations.update_settings, done, course, current_user, **form.settings()):
        return redirect(url_for("courseware.edit", course_id=course.id))
    return _edit_page(course, form)


def _settings_form(course: Course, **kwargs: Any) -> SettingsForm:
    form = SettingsForm(obj=course, **kwargs)
    if not form.is_submitted() or kwargs.get("formdata", True) is None:
        form.subjects.data = course.subject_codes
    return form


def _edit_page(
    course: Course, form: Any, author_form: Any = None, requires_form: Any = None
) -> str:
    requires_form = requires_form or PrerequisiteForm()
    taken = {p.required_course_id for p in course.prerequisites}
    requires_form.required.choices = [
        (str(c.id), queries.title_of(c, _chain(), c.original_language))
        for c in queries.published_courses(exclude=course.id)
        if c.id not in taken
    ]
    return render_template(
        "courseware/edit.html",
        course=course,
        form=form,
        author_form=author_form or AuthorForm(),
        requires_form=requires_form,
        may_manage=operations.may_manage(course, current_user),
        chain=_chain(),
    )


@role_required(*EDITORS)
def course_text(course_id: int) -> Any:
    course = _editable_or_404(course_id)
    return _edit_text(
        course,
        course,
        CourseTextForm,
        operations.save_course_text,
        "courseware.course_text",
        course_id=course.id,
    )


def _text_page(
    course: Course, item: Any, endpoint: str, args: dict[str, Any], form: Any, language: str
) -> str:
    text = item.translation(language)
    body = getattr(text, "body", None) or getattr(text, "description", None)
    return render_template(
        "courseware/text.html",
        course=course,
        item=item,
        endpoint=endpoint,
        endpoint_args=args,
        form=form,
        language=LANGUAGES[language],
        is_new=text is None,
        html=cached_markdown(body) if body else None,
        chain=_chain(),
    )


@role_required(*EDITORS)
def delete_text(course_id: int) -> Any:
    course = _editable_or_404(course_id)
    kind, item_id = request.form.get("item", ""), request.form.get("item_id", 0, type=int)
    language = request.form.get("language", "")
    loaders = {
        "course": lambda: course if item_id == course.id else None,
        "module": lambda: queries.get_module(course, item_id),
        "lesson": lambda: queries.get_lesson(course, item_id),
        "question": lambda: queries.get_question(course, item_id),
    }
    item = _found(loaders[kind]() if kind in loaders else None)
    done = _("Translation deleted.")
    _act(operations.delete_text, done, course, item, current_user, language)
    target = request.form.get("next_url", "")
    if not (target.startswith(f"/teach/courses/{course.id}") and "//" not in target):
        target = url_for("courseware.outline", course_id=course.id)
    return redirect(target)


@role_required(*EDITORS, Role.REVIEWER)
def preview(course_id: int) -> str:
    course = _found(queries.get_course(course_id))
    if not (course.editable_by(current_user) or _is_moderator()):
        abort(404)
    codes = [t.language for t in course.translations]
    language = request.args.get("language") or queries.pick_language(
        codes, _chain(), course.original_language
    )
    if language not in codes:
        abort(404)
    return render_template(
        "courseware/preview.html",
        course=course,
        language=language,
        chain=(language, *_chain()),
        markdown=cached_markdown,
        return_form=ReturnForm() if _is_moderator() else None,
    )


# --- modules and lessons ------------------------------------------------------------------


def _title_refused() -> None:
    flash(_("Write a title of at most 200 characters."), "error")


@role_required(*EDITORS)
def add_module(course_id: int) -> Any:
    course = _editable_or_404(course_id)
    form = TitleForm()
    if not form.validate_on_submit():
        _title_refused()
        return _outline(course)
    _act(operations.add_module, _("Module added."), course, current_user, title=form.title.data)
    return _outline(course, "modules")


@role_required(*EDITORS)
def module_text(course_id: int, module_id: int) -> Any:
    course, module = _module_or_404(course_id, module_id)
    return _edit_text(
        course,
        module,
        TitleForm,
        operations.save_module_text,
        "courseware.module_text",
        saved_url=url_for("courseware.outline", course_id=course.id, _anchor=f"module-{module.id}"),
        course_id=course.id,
        module_id=module.id,
    )


@role_required(*EDITORS)
def move_module(course_id: int, module_id: int) -> Any:
    course, module = _module_or_404(course_id, module_id)
    operations.move_module(module, current_user, _step())
    return _outline(course, f"module-{module.id}")


@role_required(*EDITORS)
def delete_module(course_id: int, module_id: int) -> Any:
    course, module = _module_or_404(course_id, module_id)
    _act(operations.delete_module, _("Module deleted."), module, current_user)
    return _outline(course, "modules")


@role_required(*EDITORS)
def add_lesson(course_id: int, module_id: int) -> Any:
    course, module = _module_or_404(course_id, module_id)
    form = TitleForm()
    if not form.validate_on_submit():
        _title_refused()
        return _outline(course, f"module-{module.id}")
    try:
        lesson = operations.add_lesson(module, current_user, title=form.title.data)
    except CourseError as exc:
        _refused(exc)
        return _outline(course, f"module-{module.id}")
    flash(_("Lesson added: now write its text."), "success")
    return redirect(url_for("courseware.lesson", course_id=course.id, lesson_id=lesson.id))


@role_required(*EDITORS)
def lesson(course_id: int, lesson_id: int) -> Any:
    course, item = _lesson_or_404(course_id, lesson_id)
    form = LessonForm(obj=item)
    minutes = form.estimated_minutes.data
    done = _("Changes saved.")
    if _saved(form, operations.update_lesson, done, item, current_user, estimated_minutes=minutes):
        return redirect(url_for("courseware.lesson", course_id=course.id, lesson_id=item.id))
    query = operations.clean(request.args.get("q", ""))[:200]
    text = queries.text_of(item, _chain(), course.original_language)
    return render_template(
        "courseware/lesson.html",
        course=course,
        lesson=item,
        form=form,
        text=text,
        html=cached_markdown(text.body) if text and text.body else None,
        query=query,
        found=queries.attachable_resources(query) if query else [],
        attach_form=AttachForm(),
        chain=_chain(),
    )


@role_required(*EDITORS)
def lesson_text(course_id: int, lesson_id: int) -> Any:
    course, item = _lesson_or_404(course_id, lesson_id)
    return _edit_text(
        course,
        item,
        LessonTextForm,
        operations.save_lesson_text,
        "courseware.lesson_text",
        course_id=course.id,
        lesson_id=item.id,
    )


@role_required(*EDITORS)
def move_lesson(course_id: int, lesson_id: int) -> Any:
    course, item = _lesson_or_404(course_id, lesson_id)
    operations.move_lesson(item, current_user, _step())
    return _outline(course, f"lesson-{item.id}")


@role_required(*EDITORS)
def delete_lesson(course_id: int, lesson_id: int) -> Any:
    course, item = _lesson_or_404(course_id, lesson_id)
    _act(operations.delete_lesson, _("Lesson deleted."), item, current_user)
    return _outline(course, "modules")


def _lesson_page(course: Course, lesson_id: int) -> Any:
    return redirect(
        url_for("courseware.lesson", course_id=course.id, lesson_id=lesson_id, _anchor="resources")
    )


@role_required(*EDITORS)
def attach(course_id: int, lesson_id: int) -> Any:
    course, item = _lesson_or_404(course_id, lesson_id)
    form = AttachForm()
    if not form.validate_on_submit():
        flash(_("Give the number of a published resource."), "error")
        return _lesson_page(course, item.id)
    resource = queries.get_resource(form.resource_id.data)
    _act(operations.attach_resource, _("Resource attached."), item, current_user, resource)
    return _lesson_page(course, item.id)


@role_required(*EDITORS)
def detach(course_id: int, lesson_id: int, resource_id: int) -> Any:
    course, item = _lesson_or_404(course_id, lesson_id)
    _act(operations.detach_resource, _("Resource detached."), item, current_user, resource_id)
    return _lesson_page(course, item.id)


@role_required(*EDITORS)
def move_resource(course_id: int, lesson_id: int, resource_id: int) -> Any:
    course, item = _lesson_or_404(course_id, lesson_id)
    step = _step()
    _act(operations.move_resource, _("Order saved."), item, current_user, resource_id, step)
    return _lesson_page(course, item.id)


# --- quizzes and questions ----------------------------------------------------------------


@role_required(*EDITORS)
def add_quiz(course_id: int, lesson_id: int) -> Any:
    course, item = _lesson_or_404(course_id, lesson_id)
    _act(operations.add_quiz, _("Quiz added: now write its questions."), item, current_user)
    return _quiz_page(course, item.id)


@role_required(*EDITORS)
def quiz(course_id: int, lesson_id: int) -> Any:
    course, item = _lesson_or_404(course_id, lesson_id)
    quiz = _found(item.quiz)
    form = QuizForm(obj=quiz)
    done = _("Changes saved.")
    if _saved(form, operations.update_quiz, done, quiz, current_user, **form.settings()):
        return _quiz_page(course, item.id)
    return render_template(
        "courseware/quiz.html", course=course, lesson=item, quiz=quiz, form=form, chain=_chain()
    )


@role_required(*EDITORS)
def delete_quiz(course_id: int, lesson_id: int) -> Any:
    course, item = _lesson_or_404(course_id, lesson_id)
    quiz = _found(item.quiz)
    _act(operations.delete_quiz, _("Quiz deleted."), quiz, current_user)
    return redirect(url_for("courseware.lesson", course_id=course.id, lesson_id=item.id))


def _question_spec(form: QuestionForm, **kind: Any) -> dict[str, Any]:
    """The question's fields as the operations take them (``kind=`` for a new question)."""
    return {
        **kind,
        "points": form.points.data,
        "prompt": form.prompt.data,
        "explanation": form.explanation.data or "",
        "options": form.options.data or "",
        "correct": form.truth.data if form.truth.data in ("true", "false") else form.correct.data,
        "accepted": form.accepted.data or "",
        "case_sensitive": form.case_sensitive.data,
        "accent_sensitive": form.accent_sensitive.data,
        "value": form.value.data,
        "tolerance": form.tolerance.data,
    }


def _question_form(kind: str, **kwargs: Any) -> QuestionForm:
    form = QuestionForm(**kwargs)
    if kind == QuestionKind.ORDERING:
        form.options.label.text = _("Items in the correct order, one per line")
    return form


@role_required(*EDITORS)
def new_question(course_id: int, lesson_id: int) -> Any:
    course, item = _lesson_or_404(course_id, lesson_id)
    quiz = _found(item.quiz)
    kind = request.args.get("kind", "")
    if kind not in set(QuestionKind):
        abort(404)
    form = _question_form(kind)
    spec = _question_spec(form, kind=kind)
    if _saved(form, operations.add_question, _("Question added."), quiz, current_user, **spec):
        return _quiz_page(course, item.id)
    return render_template(
        "courseware/question.html", course=course, lesson=item, kind=kind, question=None, form=form
    )


@role_required(*EDITORS)
def question(course_id: int, question_id: int) -> Any:
    course, item = _question_or_404(course_id, question_id)
    form = _question_form(item.kind, obj=item)
    if not form.is_submitted():
        _fill_question_form(form, item, course.original_language)
    done = _("Question saved.")
    if _saved(form, operations.update_question, done, item, current_user, **_question_spec(form)):
        return _quiz_page(course, item.quiz.lesson_id)
    return render_template(
        "courseware/question.html",
        course=course,
        lesson=item.quiz.lesson,
        kind=item.kind,
        question=item,
        form=form,
        stale=queries.stale_translations(item),
    )


def _fill_question_words(form: Any, question: Any, language: str) -> None:
    """Put ``question``'s words in ``language``, when it has them, into the form."""
    text = question.translation(language)
    if text is not None:
        form.prompt.data, form.explanation.data = text.prompt, text.explanation
        form.options.data = "\n".join(text.options.get(k, "") for k in question.option_keys)
        form.accepted.data = "\n".join(text.accepted)


def _fill_question_form(form: Any, question: Any, language: str) -> None:
    _fill_question_words(form, question, language)
    answer = question.answer or {}
    correct = answer.get("correct")
    keys = question.option_keys
    if question.kind == QuestionKind.SINGLE and correct in keys:
        form.correct.data = str(keys.index(correct) + 1)
    elif question.kind == QuestionKind.MULTIPLE:
        form.correct.data = ", ".join(str(keys.index(k) + 1) for k in correct or () if k in keys)
    elif question.kind == QuestionKind.TRUE_FALSE and isinstance(correct, bool):
        form.truth.data = "true" if correct else "false"
    form.case_sensitive.data = bool(answer.get("case_sensitive"))
    form.accent_sensitive.data = bool(answer.get("accent_sensitive"))
    if question.kind == QuestionKind.NUMERIC:
        form.value.data = f"{answer.get('value', '')}"
        form.tolerance.data = f"{answer.get('tolerance', '')}"


@role_required(*EDITORS)
def question_text(course_id: int, question_id: int) -> Any:
    course, item = _question_or_404(course_id, question_id)
    language = _language_arg()
    text = item.translation(language)
    form = QuestionTextForm()
    if not form.is_submitted():
        _fill_question_words(form, item, language)
    save, texts = operations.save_question_text, _texts(form)
    if _saved(form, save, _("Text saved."), item, current_user, language=language, **texts):
        return _quiz_page(course, item.quiz.lesson_id)
    return render_template(
        "courseware/question_text.html",
        course=course,
        question=item,
        form=form,
        language=LANGUAGES[language],
        is_new=text is None,
        original=item.translation(course.original_language),
    )


@role_required(*EDITORS)
def move_question(course_id: int, question_id: int) -> Any:
    course, item = _question_or_404(course_id, question_id)
    operations.move_question(item, current_user, _step())
    return _quiz_page(course, item.quiz.lesson_id)


@role_required(*EDITORS)
def delete_question(course_id: int, question_id: int) -> Any:
    course, item = _question_or_404(course_id, question_id)
    lesson_id = item.quiz.lesson_id
    _act(operations.delete_question, _("Question deleted."), item, current_user)
    return _quiz_page(course, lesson_id)


# --- co-authors and prerequisites ---------------------------------------------------------


@role_required(*EDITORS)
def add_author(course_id: int) -> Any:
    course = _managed_or_403(course_id)
    form = AuthorForm()
    done = _("Co-author added.")
    if _saved(form, operations.add_coauthor, done, course, current_user, form.identifier.data):
        return _settings_page(course, "authors")
    return _edit_page(course, _settings_form(course, formdata=None), author_form=form)


@role_required(*EDITORS)
def remove_author(course_id: int, user_id: int) -> Any:
    course = _managed_or_403(course_id)
    _act(operations.remove_coauthor, _("Co-author removed."), course, current_user, user_id)
    return _settings_page(course, "authors")


@role_required(*EDITORS)
def add_prerequisite(course_id: int) -> Any:
    course = _editable_or_404(course_id)
    raw = request.form.get("required", "")
    required = queries.get_course(int(raw)) if raw.isdigit() else None
    done = _("Prerequisite added.")
    _act(operations.add_prerequisite, done, course, current_user, required)
    return _settings_page(course, "prerequisites")


@role_required(*EDITORS)
def remove_prerequisite(course_id: int, required_id: int) -> Any:
    course = _editable_or_404(course_id)
    done = _("Prerequisite removed.")
    _act(operations.remove_prerequisite, done, course, current_user, required_id)
    return _settings_page(course, "prerequisites")


# --- moderation ---------------------------------------------------------------------------


@role_required(*EDITORS)
def submit(course_id: int) -> Any:
    course = _editable_or_404(course_id)
    _act(operations.submit, _("Sent for review."), course, current_user)
    return _outline(course)


@role_required(*EDITORS)
def archive(course_id: int) -> Any:
    course = _editable_or_404(course_id)
    _act(operations.archive, _("The course is archived."), course, current_user)
    return _outline(course)


@role_required(*EDITORS)
def delete(course_id: int) -> Any:
    course = _managed_or_403(course_id)
    if not _act(operations.delete_course, _("The course is deleted."), course, current_user):
        return _outline(course)
    return redirect(url_for("courseware.mine"))


@role_required(*MODERATORS)
def queue() -> str:
    return render_template("courseware/queue.html", courses=queries.review_queue(), chain=_chain())


@role_required(*MODERATORS)
def publish(course_id: int) -> Any:
    course = _found(queries.get_course(course_id))
    _act(operations.publish, _("The course is published."), course, current_user)
    return redirect(url_for("courseware.queue"))


@role_required(*MODERATORS)
def return_(course_id: int) -> Any:
    course = _found(queries.get_course(course_id))
    form = ReturnForm()
    if not form.validate_on_submit():
        flash(_("Write a note to the authors before returning the course."), "error")
        return redirect(url_for("courseware.preview", course_id=course.id))
    done = _("The course was returned to its authors.")
    _act(operations.return_for_changes, done, course, current_user, form.note.data)
    return redirect(url_for("courseware.queue"))
