"""Learning centres: providers, programmes, classes with sessions, enrolment one by one and
from spreadsheets, attendance, results, and their reports."""
