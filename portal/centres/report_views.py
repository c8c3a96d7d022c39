"""The centres' report (``/centres/reports``): enrolment, attendance, completion and
literacy outcomes by programme type, centre, commune, province or month, split by a group
of people on request, with CSV and XLSX exports. Administrators see every centre, centre
staff their centres, reviewers and approvers the centres of their communes and provinces;
the figures are defined in :mod:`portal.centres.report_queries`."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

from flask import Blueprint, Flask, Response, abort, current_app, render_template, request
from flask_babel import format_date, format_percent
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from portal.accounts.access import role_required
from portal.accounts.models import Role, ScopeKind
from portal.centres import report_queries
from portal.centres.access import staff_codes
from portal.centres.labels import PROGRAMME_LABELS
from portal.centres.report_queries import FilterError, Filters, Reach, Row
from portal.places.queries import today
from portal.reports import charts, exports, labels

logger = logging.getLogger(__name__)

READERS = (Role.ADMIN, Role.STAFF, Role.REVIEWER, Role.APPROVER)
MIMETYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
BY_LABELS = {
    "programme": _l("Programme type"),
    "centre": _l("Centre"),
    "commune": _l("Commune"),
    "province": _l("Province"),
    "month": _l("Month"),
}


def register(bp: Blueprint) -> None:
    """Add this area's URL rules to the centres blueprint."""
    bp.add_url_rule("/reports", "reports", reports)


def reach_of(user: Any) -> Reach:
    """The centres ``user``'s reports cover."""
    if user.has_role(Role.ADMIN):
        return Reach(everything=True)
    areas = {s for role in (Role.REVIEWER, Role.APPROVER) for s in user.scopes(role)}
    return Reach(
        centres=tuple(sorted(staff_codes(user))),
        communes=tuple(sorted(code for kind, code in areas if kind == ScopeKind.COMMUNE)),
        provinces=tuple(sorted(code for kind, code in areas if kind == ScopeKind.PROVINCE)),
    )


def format_rate(rate: Decimal | None) -> str:
    return "–" if rate is None else format_percent(rate, format="#,##0.0%")


def programme_label(key: str) -> str:
    return str(PROGRAMME_LABELS.get(key, key))


def row_label(by: str, row: Row) -> str:
    """The first cell of a row: a programme type's or month's name, a place's or centre's
    name (its code when it has none)."""
    if by == "total":
        return _("Total")
    if by == "programme":
        return programme_label(row.key)
    if by == "month" and len(row.key) == 7:
        return format_date(date(int(row.key[:4]), int(row.key[5:]), 1), "LLLL y")
    return row.label or row.key or _("unknown")


def _streamed(app: Flask, filters: Filters, reach: Reach) -> Iterator[Any]:
    """The export's body, produced as the server sends it in an app context of its own
    (as ``portal.reports.views._streamed``: the request's context is gone by then)."""
    yield b""
    with app.app_context():
        rows = report_queries.export_rows(filters, reach)
        if filters.format == "csv":
            yield from exports.csv_chunks(rows)
        else:
            yield from exports.xlsx_chunks(rows, "centres")


def _export(filters: Filters, reach: Reach) -> Response:
    name = f"centres-report-{filters.by}-{filters.first:%Y%m%d}-{filters.last:%Y%m%d}"
    logger.info("User %s exported %s as %s", current_user.id, name, filters.format)
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    return Response(
        _streamed(app, filters, reach),
        mimetype=MIMETYPES[filters.format],
        headers={"Content-Disposition": f'attachment; filename="{name}.{filters.format}"'},
    )


def _charts(filters: Filters, rows: list[Row]) -> list[Any]:
    by = str(BY_LABELS[filters.by]).lower()
    return [
        charts.bar_chart(
            "attendance-chart",
            _("Attendance rate by %(by)s", by=by),
            _("Share of the attendance recorded that was present, one bar per row of the table."),
            [(row_label(filters.by, r), r.attendance_rate) for r in rows],
        ),
        charts.bar_chart(
            "completion-chart",
            _("Completion rate by %(by)s", by=by),
            _("Completed out of the people whose enrolment ended, one bar per row of the table."),
            [(row_label(filters.by, r), r.completion_rate) for r in rows],
        ),
    ]


def _page(status: int = 200, **context: Any) -> Any:
    return render_template(
        "centres/report_index.html", by_labels=BY_LABELS, group_labels=labels.DIMENSION_LABELS,
        group_label=labels.group_label, row_label=row_label, format_rate=format_rate,
        programme_types=report_queries.ProgrammeType, programme_label=programme_label, **context,
    ), status  # fmt: skip


@role_required(*READERS)
def reports() -> Any:
    reach = reach_of(current_user)
    if reach.empty:
        abort(403)
    values = {k: (request.args.get(k) or "")[:40] for k in Filters.__dataclass_fields__}
    values |= {"from": request.args.get("from", "")[:40], "to": request.args.get("to", "")[:40]}
    try:
        filters = report_queries.read_filters(request.args, reach, today())
    except FilterError as error:
        return _page(400, values=values, errors=error.messages(), filters=None, data=None)
    if filters.format != "html":
        return _export(filters, reach)
    data = report_queries.report(filters, reach)
    values |= filters.args() | {"from": filters.first.isoformat(), "to": filters.last.isoformat()}
    return _page(values=values, errors={}, filters=filters, data=data,
                 charts=_charts(filters, data.rows))  # fmt: skip
