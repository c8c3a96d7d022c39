"""URL rules of the centres' pages (``/centres``). Each area of the feature adds its own
rules: the public directory, centre profiles and class pages, with joining and leaving a class
(``public_views``); managing a centre, its staff, programmes and classes (``views``); a class's
roster, enrolment and sessions (``roster_views``); spreadsheet imports (``import_views``);
attendance and results (``attendance_views``); and reports (``report_views``). Signing in
links a new account to the person a centre recorded before (``operations.link_account``),
within the sign-in request's transaction."""

from typing import Any

from flask import Blueprint
from flask.blueprints import BlueprintSetupState
from flask_login import user_logged_in

from portal.centres import (
    attendance_views,
    import_views,
    operations,
    public_views,
    report_views,
    roster_views,
    views,
)

bp = Blueprint("centres", __name__, template_folder="templates", url_prefix="/centres")

for area in (public_views, views, roster_views, import_views, attendance_views, report_views):
    area.register(bp)


def _link_on_sign_in(_app: Any, user: Any, **_extra: Any) -> None:
    operations.link_account(user)


@bp.record_once
def _connect(state: BlueprintSetupState) -> None:
    user_logged_in.connect(_link_on_sign_in, state.app)
