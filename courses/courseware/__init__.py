"""Courses: modules, lessons, quizzes and questions in several languages, written by
teachers with co-authors and published after review."""
