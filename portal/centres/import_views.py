"""Pages of the spreadsheet imports of a class: the upload form and the history of imports,
the preview of a file (counts, the first valid rows, every rejected row with its reasons)
with its confirm and discard buttons, the rejected rows as CSV or XLSX, and the template to
fill. Staff of the class's centre and administrators only (404 to anyone else)."""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from portal.centres import bulk, imports
from portal.centres.access import centre_or_404, class_or_404
from portal.centres.import_forms import (
    FIELD_LABELS,
    STATUS_LABELS,
    ConfirmImportForm,
    DiscardImportForm,
    UploadForm,
)
from portal.centres.models import CentreClass, ClassStatus, EnrolmentImport, ImportStatus
from portal.extensions import db
from portal.operation_errors import OperationError
from portal.reports.exports import csv_chunks, xlsx_chunks
from portal.storage import StorageError

logger = logging.getLogger(__name__)

PREVIEW_ROWS = 20  # valid rows shown
GLIMPSE_ROWS = 500  # rows read again to find them (the whole file was checked at upload)
MIMETYPES = {"csv": "text/csv; charset=utf-8", "xlsx": imports.XLSX_TYPE}
MAX_ID = 2**31 - 1


def register(bp: Blueprint) -> None:
    """Add this area's URL rules to the centres blueprint."""
    base = "/<code>/manage/classes/<int:class_id>/imports"
    one = base + "/<int:import_id>"
    bp.add_url_rule(base, "imports", imports_page)
    bp.add_url_rule(base, "upload_import", upload_import, methods=["POST"])
    bp.add_url_rule(one, "import_preview", import_preview)
    bp.add_url_rule(one + "/confirm", "confirm_import", confirm_import, methods=["POST"])
    bp.add_url_rule(one + "/discard", "discard_import", discard_import, methods=["POST"])
    bp.add_url_rule(one + "/rejected.<any(csv, xlsx):kind>", "import_rejected", rejected_rows)
    bp.add_url_rule("/import-template.<any(csv, xlsx):kind>", "import_template", template)


def limits() -> imports.Limits:
    """The import limits of the configuration (``PORTAL_IMPORT_MAX_MB``,
    ``PORTAL_IMPORT_MAX_ROWS``, ``PORTAL_IMPORT_MAX_UNZIPPED_MB``, see ``portal.config``)."""
    config = current_app.config
    return imports.Limits(
        max_bytes=config["PORTAL_IMPORT_MAX_BYTES"],
        max_rows=config["PORTAL_IMPORT_MAX_ROWS"],
        max_unzipped=config["PORTAL_IMPORT_MAX_UNZIPPED_BYTES"],
    )


def _class_or_404(code: str, class_id: int) -> CentreClass:
    if not 0 < class_id <= MAX_ID:
        abort(404)
    return class_or_404(centre_or_404(code), class_id)


def _record_or_404(centre_class: CentreClass, import_id: int) -> EnrolmentImport:
    record = db.session.get(EnrolmentImport, import_id) if 0 < import_id <= MAX_ID else None
    if record is None or record.class_id != centre_class.id:
        abort(404)
    return record


def _to_preview(record: EnrolmentImport) -> Response:
    centre_class = record.centre_class
    return redirect(
        url_for("centres.import_preview", code=centre_class.centre.code,
                class_id=centre_class.id, import_id=record.id)
    )  # fmt: skip


def _list_page(centre_class: CentreClass, form: UploadForm, status: int = 200) -> Any:
    return render_template(
        "centres/import_list.html", centre_class=centre_class, centre=centre_class.centre,
        form=form, history=bulk.history(centre_class), limits=limits(),
        is_open=centre_class.status == ClassStatus.OPEN, columns=imports.COLUMNS,
        status_labels=STATUS_LABELS, field_labels=FIELD_LABELS,
    ), status  # fmt: skip


@login_required
def imports_page(code: str, class_id: int) -> Any:
    return _list_page(_class_or_404(code, class_id), UploadForm(formdata=None))


@login_required
def upload_import(code: str, class_id: int) -> Any:
    centre_class = _class_or_404(code, class_id)
    form = UploadForm()
    if not form.validate_on_submit():
        return _list_page(centre_class, form, 422)
    file, bounds = form.file.data, limits()
    try:
        data = file.stream.read(bounds.max_bytes + 1)  # one byte more says it is too large
    finally:
        file.close()
    try:
        record = bulk.upload(
            centre_class, filename=file.filename or "", data=data, limits=bounds,
            by=current_user._get_current_object(),  # type: ignore[attr-defined]
        )  # fmt: skip
    except OperationError as exc:
        form.file.errors = [getattr(exc, "message", str(exc))]
        return _list_page(centre_class, form, 422)
    return _to_preview(record)


@login_required
def import_preview(code: str, class_id: int, import_id: int) -> Any:
    centre_class = _class_or_404(code, class_id)
    record = _record_or_404(centre_class, import_id)
    checked, problem = None, None
    if record.status == ImportStatus.PREVIEWED:
        try:
            _table, checked = bulk.reread(record, limits(), first=GLIMPSE_ROWS)
        except OperationError as exc:
            problem = getattr(exc, "message", str(exc))
    return render_template(
        "centres/import_preview.html", centre_class=centre_class, centre=centre_class.centre,
        record=record, checked=checked, problem=problem, first_rows=PREVIEW_ROWS,
        before=bulk.imported_before(record), reason_text=imports.reason_text,
        is_open=centre_class.status == ClassStatus.OPEN, confirm_form=ConfirmImportForm(),
        discard_form=DiscardImportForm(), columns=imports.COLUMNS,
        status_labels=STATUS_LABELS, field_labels=FIELD_LABELS,
    )  # fmt: skip


def _forget(record: EnrolmentImport) -> None:
    try:
        bulk.forget_file(record)
    except StorageError as exc:  # the rows are committed; the file is an orphan to clean
        logger.warning("import %s: could not delete %s: %s", record.id, record.storage_key, exc)


@login_required
def confirm_import(code: str, class_id: int, import_id: int) -> Any:
    record = _record_or_404(_class_or_404(code, class_id), import_id)
    if not ConfirmImportForm().validate_on_submit():
        abort(400)
    try:
        outcome = bulk.confirm(
            record,
            limits=limits(),
            by=current_user._get_current_object(),  # type: ignore[attr-defined]
        )
    except OperationError as exc:
        flash(getattr(exc, "message", str(exc)), "error")
        return _to_preview(record)
    db.session.commit()  # the import, whole; then its file can go
    _forget(record)
    flash(
        _("%(added)s learners added (%(waitlisted)s of them on the waitlist), %(already)s "
          "already in the class, %(rejected)s rows rejected.", added=outcome.added,
          waitlisted=outcome.waitlisted, already=outcome.already,
          rejected=record.rows_rejected),
        "success",
    )  # fmt: skip
    return _to_preview(record)


@login_required
def discard_import(code: str, class_id: int, import_id: int) -> Any:
    record = _record_or_404(_class_or_404(code, class_id), import_id)
    if not DiscardImportForm().validate_on_submit():
        abort(400)
    try:
        bulk.discard(record, by=current_user._get_current_object())  # type: ignore[attr-defined]
    except OperationError as exc:
        flash(getattr(exc, "message", str(exc)), "error")
        return _to_preview(record)
    db.session.commit()
    _forget(record)
    flash(_("The file was discarded: nobody was imported."), "success")
    return redirect(url_for("centres.imports", code=code, class_id=class_id))


def _download(rows: list[tuple[Any, ...]], name: str, kind: str, sheet: str) -> Response:
    body = csv_chunks(rows) if kind == "csv" else xlsx_chunks(rows, sheet)
    response = Response(body, mimetype=MIMETYPES[kind])
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.{kind}"'
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def rejected_rows(code: str, class_id: int, import_id: int, kind: str) -> Response:
    """The rejected rows with their original values and a column of reasons; cells that
    a spreadsheet would take for a formula are neutralised by the export helpers."""
    record = _record_or_404(_class_or_404(code, class_id), import_id)
    rejected = record.rejected or []
    header = [name for name, _value in rejected[0]["cells"]] if rejected else []
    rows: list[tuple[Any, ...]] = [(_("Row in the file"), *header, _("Reasons"))]
    for item in rejected:
        reasons = "; ".join(imports.reason_text(r) for r in item["reasons"])
        rows.append((item["row"], *(value for _name, value in item["cells"]), reasons))
    return _download(rows, f"import-{record.id}-rejected", kind, _("Rejected rows"))


@login_required
def template(kind: str) -> Response:
    return _download(imports.template_rows(), "learners-import-template", kind, "learners")
