"""Dashboards: the learner's courses, hours and certificates; the teacher's enrolments,
completion rates and per-question statistics, with server-rendered SVG charts."""
