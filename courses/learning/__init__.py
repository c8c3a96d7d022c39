"""Taking courses: enrolment, lessons, quizzes, progress, completion and certificates."""
