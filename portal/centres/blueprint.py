"""URL rules of the centres' pages (``/centres``). Each area of the feature adds its own
rules: centres, programmes, classes and enrolment (``views``), spreadsheet imports
(``import_views``), sessions, attendance and results (``attendance_views``) and reports
(``report_views``)."""

from flask import Blueprint

from portal.centres import attendance_views, import_views, report_views, views

bp = Blueprint("centres", __name__, template_folder="templates", url_prefix="/centres")

for area in (views, import_views, attendance_views, report_views):
    area.register(bp)
