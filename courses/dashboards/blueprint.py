"""URL rules of the learner's and the teacher's dashboards."""

from flask import Blueprint

from courses.dashboards import views

bp = Blueprint("dashboards", __name__, template_folder="templates")

bp.add_url_rule("/dashboard", "learner", views.learner)
bp.add_url_rule("/teach/dashboard", "teacher", views.teacher)
bp.add_url_rule("/teach/courses/<int:course_id>/stats", "course_stats", views.course_stats)
