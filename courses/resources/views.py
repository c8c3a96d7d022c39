"""Pages of the open educational resources: public list and page, the teacher's area, the
moderation queue, versions and attachments."""

from __future__ import annotations

import math
from typing import Any

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from courses.markdown import render_markdown
from courses.resources import dublin_core, operations, queries
from courses.resources.files import FileRefused
from courses.resources.forms import MetadataForm, NewResourceForm, ReturnForm, TextForm, UploadForm
from courses.resources.models import Resource
from courses.resources.vocabulary import LICENCES, SUBJECTS
from portal.accounts.access import role_required
from portal.accounts.models import Role
from portal.i18n import LANGUAGES, current_language
from portal.storage import NotFound, TooLarge, get_storage

EDITORS = (Role.TEACHER, Role.ADMIN)
MODERATORS = (Role.REVIEWER, Role.ADMIN)


# --- access -------------------------------------------------------------------------------


def _is_moderator() -> bool:
    return current_user.is_authenticated and any(current_user.has_role(r) for r in MODERATORS)


def _may_edit(resource: Resource) -> bool:
    return current_user.is_authenticated and (
        resource.owner_id == current_user.id or current_user.has_role(Role.ADMIN)
    )


def _may_see_draft(resource: Resource) -> bool:
    return _may_edit(resource) or _is_moderator()


def _editable_or_404(resource_id: int) -> Resource:
    resource = queries.get_resource(resource_id)
    if resource is None or not _may_edit(resource):
        abort(404)
    return resource


def _readable_or_404(resource_id: int) -> Resource:
    resource = queries.get_resource(resource_id)
    if resource is None or not (resource.is_public or _may_see_draft(resource)):
        abort(404)
    return resource


def _chain() -> tuple[str, ...]:
    return current_language().chain


def _language_arg() -> str:
    language = request.args.get("language", "")
    if language not in LANGUAGES:
        abort(404)
    return language


# --- public -------------------------------------------------------------------------------


def index() -> str:
    language = request.args.get("language") or None
    subject = request.args.get("subject") or None
    licence = request.args.get("licence") or None
    page = max(1, request.args.get("page", 1, type=int) or 1)
    language = language if language in LANGUAGES else None
    subject = subject if subject in SUBJECTS else None
    licence = licence if licence in LICENCES else None
    shown, total = queries.public_page(
        _chain(), language=language, subject=subject, licence=licence, page=page
    )
    pages = max(1, math.ceil(total / queries.PAGE_SIZE))
    filters = {"language": language, "subject": subject, "licence": licence}
    return render_template(
        "resources/index.html",
        shown=shown,
        total=total,
        page=page,
        pages=pages,
        filters={k: v for k, v in filters.items() if v},
    )


def detail(resource_id: int) -> Any:
    resource = _readable_or_404(resource_id)
    shown = queries.show(resource, _chain())
    if shown is None:  # never published: its author and moderators see the preview
        return redirect(url_for("resources.preview", resource_id=resource.id))
    return render_template("resources/detail.html", shown=shown, resource=resource)


def dublin_core_xml(resource_id: int) -> Response:
    resource = queries.get_resource(resource_id)
    if resource is None or not resource.is_public or resource.latest_revision is None:
        abort(404)
    xml = dublin_core.export(
        resource, url_for("resources.detail", resource_id=resource.id, _external=True)
    )
    return Response(xml, mimetype="application/xml")


def download(resource_id: int, attachment_id: int) -> Response:
    resource = _readable_or_404(resource_id)
    attachment = queries.get_attachment(resource, attachment_id)
    if attachment is None or not (
        _may_see_draft(resource) or attachment in queries.published_attachments(resource)
    ):
        abort(404)
    storage = get_storage()
    url = storage.url(attachment.storage_key, expires_in=600)
    if url:
        return redirect(url)
    try:
        stream = storage.open(attachment.storage_key)
    except NotFound:  # a row without its file: `flask storage check` reports it
        abort(404)
    response = send_file(
        stream,
        mimetype=attachment.content_type,
        as_attachment=True,
        download_name=attachment.filename,
        conditional=False,
        etag=False,
        max_age=0,
    )
    response.headers["Content-Length"] = str(attachment.size)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


# --- the teacher's area -------------------------------------------------------------------


@role_required(*EDITORS)
def mine() -> str:
    resources = queries.owned_by(current_user)
    return render_template("resources/mine.html", resources=resources, chain=_chain())


@role_required(*EDITORS)
def new() -> Any:
    form = NewResourceForm()
    if request.method == "GET":
        form.language.data = current_language().code
        form.author.data = current_user.full_name
    if form.validate_on_submit():
        resource = operations.create_resource(
            current_user,
            language=form.language.data,
            title=form.title.data,
            summary=form.summary.data or "",
            body=form.body.data or "",
            licence=form.licence.data,
            audience=form.audience.data,
            level=form.level.data,
            subjects=form.subjects.data or [],
            author=form.author.data,
            source=form.source.data or "",
        )
        flash(_("Draft saved."), "success")
        return redirect(url_for("resources.edit", resource_id=resource.id))
    return render_template("resources/new.html", form=form)


@role_required(*EDITORS)
def edit(resource_id: int) -> Any:
    resource = _editable_or_404(resource_id)
    form = _metadata_form(resource)
    if form.validate_on_submit():
        operations.update_metadata(
            resource,
            current_user,
            licence=form.licence.data,
            audience=form.audience.data,
            level=form.level.data,
            subjects=form.subjects.data or [],
            author=form.author.data,
            source=form.source.data or "",
        )
        flash(_("Changes saved."), "success")
        return redirect(url_for("resources.edit", resource_id=resource.id))
    return render_template(
        "resources/edit.html",
        resource=resource,
        form=form,
        title=queries.working_title(resource, _chain()),
        upload=_upload_form(),
    )


def _metadata_form(resource: Resource, **kwargs: Any) -> MetadataForm:
    form = MetadataForm(obj=resource, **kwargs)
    if not form.is_submitted() or kwargs.get("formdata", True) is None:
        form.subjects.data = resource.subject_codes
    return form


@role_required(*EDITORS)
def text(resource_id: int) -> Any:
    resource = _editable_or_404(resource_id)
    language = _language_arg()
    translation = resource.translation(language)
    form = TextForm(obj=translation)
    if form.validate_on_submit():
        operations.save_translation(
            resource,
            current_user,
            language=language,
            title=form.title.data,
            summary=form.summary.data or "",
            body=form.body.data or "",
        )
        flash(_("Text saved."), "success")
        return redirect(url_for("resources.edit", resource_id=resource.id))
    return render_template(
        "resources/text.html",
        resource=resource,
        form=form,
        language=LANGUAGES[language],
        is_new=translation is None,
    )


@role_required(*EDITORS, Role.REVIEWER)
def preview(resource_id: int) -> str:
    resource = queries.get_resource(resource_id)
    if resource is None or not _may_see_draft(resource):
        abort(404)
    codes = [t.language for t in resource.translations]
    language = request.args.get("language") or queries.pick_language(
        codes, _chain(), resource.original_language
    )
    translation = resource.translation(language)
    if translation is None:
        abort(404)
    return render_template(
        "resources/preview.html",
        resource=resource,
        translation=translation,
        html=render_markdown(translation.body),
        return_form=ReturnForm() if _is_moderator() else None,
    )


@role_required(*EDITORS)
def submit(resource_id: int) -> Any:
    resource = _editable_or_404(resource_id)
    try:
        operations.submit(resource, current_user)
    except operations.ResourceError as exc:
        flash(str(operations.MESSAGES[exc.code]), "error")
    else:
        flash(_("Sent for review."), "success")
    return redirect(url_for("resources.edit", resource_id=resource.id))


@role_required(*EDITORS, Role.REVIEWER)
def archive(resource_id: int) -> Any:
    resource = queries.get_resource(resource_id)
    if resource is None or not (_may_edit(resource) or _is_moderator()):
        abort(404)
    try:
        operations.archive(resource, current_user)
    except operations.ResourceError as exc:
        flash(str(operations.MESSAGES[exc.code]), "error")
    else:
        flash(_("The resource is archived."), "success")
    return redirect(url_for("resources.detail", resource_id=resource.id))


# --- versions -----------------------------------------------------------------------------


@role_required(*EDITORS, Role.REVIEWER)
def history(resource_id: int) -> str:
    resource = queries.get_resource(resource_id)
    if resource is None or not _may_see_draft(resource):
        abort(404)
    return render_template(
        "resources/history.html", resource=resource, may_restore=_may_edit(resource)
    )


@role_required(*EDITORS, Role.REVIEWER)
def compare(resource_id: int) -> str:
    resource = queries.get_resource(resource_id)
    if resource is None or not _may_see_draft(resource):
        abort(404)
    old = queries.get_revision(resource, request.args.get("from", 0, type=int))
    new_number = request.args.get("to", 0, type=int)
    if old is None:
        abort(404)
    if new_number:
        new = queries.get_revision(resource, new_number)
        if new is None:
            abort(404)
        new_snapshot, new_label = new.snapshot, new.number
    else:  # the working copy
        new_snapshot, new_label = operations.snapshot(resource), None
    sections = queries.compare(old.snapshot, new_snapshot)
    return render_template(
        "resources/compare.html",
        resource=resource,
        old=old,
        new_label=new_label,
        sections=sections,
    )


@role_required(*EDITORS)
def restore(resource_id: int, number: int) -> Any:
    resource = _editable_or_404(resource_id)
    revision = queries.get_revision(resource, number)
    if revision is None:
        abort(404)
    operations.restore(resource, revision, current_user)
    flash(_("Version %(number)d restored as a draft.", number=number), "success")
    return redirect(url_for("resources.edit", resource_id=resource.id))


# --- attachments --------------------------------------------------------------------------


def _max_bytes() -> int:
    return int(current_app.config["PORTAL_MAX_ATTACHMENT_MB"]) * 1024 * 1024


def _upload_form() -> UploadForm:
    form = UploadForm()
    form.file.description = _(
        "PDF, images, audio, video, office documents or a zip package, up to %(size)d MB.",
        size=current_app.config["PORTAL_MAX_ATTACHMENT_MB"],
    )
    return form


@role_required(*EDITORS)
def upload(resource_id: int) -> Any:
    resource = _editable_or_404(resource_id)
    form = _upload_form()
    if form.validate_on_submit():
        file = form.file.data
        try:
            operations.add_attachment(
                resource, current_user, file.stream, file.filename or "", max_bytes=_max_bytes()
            )
        except FileRefused as exc:
            form.file.errors.append(
                _("Only PDF, images, audio, video, office documents and zip files can be attached.")
                if exc.reason == "extension"
                else _("The file's content does not match its name: it was not attached.")
            )
        except TooLarge:
            form.file.errors.append(
                _(
                    "The file is larger than %(size)d MB.",
                    size=current_app.config["PORTAL_MAX_ATTACHMENT_MB"],
                )
            )
        else:
            flash(_("File attached."), "success")
            return redirect(url_for("resources.edit", resource_id=resource.id))
    return render_template(
        "resources/edit.html",
        resource=resource,
        form=_metadata_form(resource, formdata=None),
        title=queries.working_title(resource, _chain()),
        upload=form,
    ), 422


@role_required(*EDITORS)
def delete_attachment(resource_id: int, attachment_id: int) -> Any:
    resource = _editable_or_404(resource_id)
    attachment = queries.get_attachment(resource, attachment_id)
    if attachment is None:
        abort(404)
    operations.delete_attachment(attachment, current_user)
    flash(_("File deleted."), "success")
    return redirect(url_for("resources.edit", resource_id=resource.id))


# --- moderation ---------------------------------------------------------------------------


@role_required(*MODERATORS)
def queue() -> str:
    return render_template("resources/queue.html", resources=queries.review_queue(), chain=_chain())


@role_required(*MODERATORS)
def publish(resource_id: int) -> Any:
    resource = queries.get_resource(resource_id) or abort(404)
    try:
        revision = operations.publish(resource, current_user)
    except operations.ResourceError as exc:
        flash(str(operations.MESSAGES[exc.code]), "error")
    else:
        flash(_("Version %(number)d published.", number=revision.number), "success")
    return redirect(url_for("resources.queue"))


@role_required(*MODERATORS)
def return_(resource_id: int) -> Any:
    resource = queries.get_resource(resource_id) or abort(404)
    form = ReturnForm()
    if not form.validate_on_submit():
        flash(_("Write a note to the author before returning the resource."), "error")
        return redirect(url_for("resources.preview", resource_id=resource.id))
    try:
        operations.return_for_changes(resource, current_user, form.note.data)
    except operations.ResourceError as exc:
        flash(str(operations.MESSAGES[exc.code]), "error")
    else:
        flash(_("The resource was returned to its author."), "success")
    return redirect(url_for("resources.queue"))
