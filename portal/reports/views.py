"""Report pages: the country, a province, a commune (with its villages), each for one year
and one model, with CSV and XLSX exports. Officers (reviewers and approvers) see the
provinces and communes of their scopes; administrators see everything."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from flask import (
    Flask,
    Response,
    abort,
    current_app,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import format_percent
from flask_babel import gettext as _
from flask_login import current_user

from portal.accounts.access import role_required
from portal.accounts.models import Role
from portal.reports import charts, exports, labels, queries
from portal.reports.queries import MODELS, Scope
from portal.reports.targets import OFFICIAL, TARGET_YEARS

logger = logging.getLogger(__name__)

OFFICERS = (Role.REVIEWER, Role.APPROVER, Role.ADMIN)
MIMETYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
ENDPOINTS = {"province": "reports.province", "commune": "reports.commune"}


def _held_scopes() -> set[tuple[str, str]]:
    return {s for role in (Role.REVIEWER, Role.APPROVER) for s in current_user.scopes(role)}


def can_see(scope: Scope) -> bool:
    """Whether the signed-in user may open the report of ``scope``."""
    if current_user.has_role(Role.ADMIN):
        return True
    held = _held_scopes()
    if scope.level == "commune" and ("commune", scope.code) in held:
        return True
    province = scope.code if scope.level == "province" else None
    if scope.level == "commune":
        province = queries.province_of(scope.code)
    return province is not None and ("province", province) in held


def format_rate(rate: Any) -> str:
    return "–" if rate is None else format_percent(rate, format="#,##0.0%")


def _options() -> tuple[int, str, list[int]]:
    """The year and model asked for (the latest year with figures, families by default),
    and the years with figures; read once per request."""
    if "report_options" not in g:
        known = queries.years()
        year = request.args.get("year", type=int) or (known[0] if known else None)
        model = request.args.get("model", "family")
        if model not in MODELS:
            abort(404)
        g.report_options = (year or datetime.now(UTC).year, model, known)
    return g.report_options


def _links(scope: Scope, rows: list[queries.Figures]) -> dict[str, str]:
    child = queries.CHILD_LEVEL[scope.level]
    if child not in ENDPOINTS:
        return {}
    year, model, _known = _options()
    return {f.key: url_for(ENDPOINTS[child], code=f.key, year=year, model=model) for f in rows}


def _streamed(app: Flask, scope: Scope, year: int, detail: str, kind: str) -> Iterator[Any]:
    """The export's body, produced as the server sends it, in an app context of its own
    (the request's is gone by then). Not ``stream_with_context``: it enters the request's
    context inside the request and leaves it wherever the body is read, which breaks when
    that is another ``contextvars`` context (the test client reads one piece inside the
    request and the rest outside)."""
    yield b""  # the first piece comes before the context: a server may ask for it at once
    with app.app_context():
        rows = queries.export_rows(year, scope, detail)
        name = _file_name(scope, year)
        yield from exports.csv_chunks(rows) if kind == "csv" else exports.xlsx_chunks(rows, name)


def _file_name(scope: Scope, year: int) -> str:
    return f"report-{scope.level}{'-' + scope.code if scope.code else ''}-{year}"


def _export(scope: Scope, year: int, kind: str) -> Response:
    name = _file_name(scope, year)
    logger.info("User %s exported %s as %s", current_user.id, name, kind)
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    body = _streamed(app, scope, year, request.args.get("detail", ""), kind)
    return Response(
        body,
        mimetype=MIMETYPES[kind],
        headers={"Content-Disposition": f'attachment; filename="{name}.{kind}"'},
    )


def _render(scope: Scope, title: str, rows: list[Any] | None = None, **extra: Any) -> Any:
    year, model, known = _options()
    kind = request.args.get("format", "html")
    if kind in ("csv", "xlsx"):
        return _export(scope, year, kind)
    if kind != "html":
        abort(404)
    rows = queries.breakdown(year, model, scope) if rows is None else rows
    goal = rows[0].targets.get(2025) if rows else None
    chart = charts.bar_chart(
        "rates",
        _("Rate by place, %(year)s", year=year),
        _("Share recognised in each place; the dashed line is the 2025 target."),
        [(f.label or f.key, f.rate if f.denominator is not None else f.share) for f in rows],
        goal,
        _("target 2025"),
    )
    return render_template(
        "reports/report.html", scope=scope, title=title, year=year, years=known,
        model=model, models=MODELS, summary=queries.summary(year, scope), rows=rows,
        links=_links(scope, rows), groups=queries.groups(year, model, scope),
        areas=queries.areas(year, model, scope), chart=chart, labels=labels,
        format_rate=format_rate, row_label=labels.row_label, target_years=TARGET_YEARS,
        official=OFFICIAL, **extra,
    )  # fmt: skip


@role_required(*OFFICERS)
def country() -> Any:
    if not current_user.has_role(Role.ADMIN):
        held = sorted(_held_scopes(), key=lambda s: s[0] != "province")
        if not held:
            abort(403)
        kind, code = held[0]
        return redirect(url_for(ENDPOINTS[kind], code=code, **request.args))
    year, model, _known = _options()
    if request.args.get("format", "html") != "html":
        return _render(Scope("country"), _("Viet Nam"))
    rows = queries.breakdown(year, model, Scope("country"))
    tiles = charts.tile_grid(
        "provinces",
        _("Provinces by rate, %(year)s", year=year),
        _("Each square is a province, placed roughly as on the map, coloured by its rate."),
        {f.key: f.rate if f.denominator is not None else f.share for f in rows},
        {f.key: f.label for f in rows},
        _links(Scope("country"), rows),
        (_("no data"), _("Rate")),
    )
    return _render(Scope("country"), _("Viet Nam"), rows, tiles=tiles)


@role_required(*OFFICERS)
def province(code: str) -> Any:
    scope = Scope("province", code)
    if not can_see(scope):
        abort(404)
    name = queries.unit_name("province", code) or abort(404)
    return _render(scope, name)


@role_required(*OFFICERS)
def commune(code: str) -> Any:
    scope = Scope("commune", code)
    if not can_see(scope):
        abort(404)
    name = queries.unit_name("commune", code) or abort(404)
    province = queries.province_of(code)
    parent = (province, queries.unit_name("province", province)) if province else None
    return _render(scope, name, parent=parent)
