"""Learning content and learning records: open educational resources, courses, lessons,
quizzes, enrolment, learning records (xAPI-shaped statements) and certificates.

May use ``portal.extensions``, ``portal.storage`` and the account model; never the
learning-society modules or their views.
"""
