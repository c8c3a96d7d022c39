"""URL rules of course authoring and moderation (teachers, co-authors, reviewers)."""

from flask import Blueprint

bp = Blueprint("courseware", __name__, template_folder="templates")
