"""URL rules of the learner's and the teacher's dashboards."""

from flask import Blueprint

bp = Blueprint("dashboards", __name__, template_folder="templates")
