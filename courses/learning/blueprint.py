"""URL rules of taking courses: catalogue, course pages, enrolment, lessons and quizzes."""

from flask import Blueprint

bp = Blueprint("learning", __name__, template_folder="templates")
