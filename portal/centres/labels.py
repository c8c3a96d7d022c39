"""Translatable labels of the centres' enumerations, for forms and pages of every area."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal.centres.models import (
    AttendanceStatus,
    CentreKind,
    ClassStatus,
    EnrolmentStatus,
    ProgrammeType,
)

__all__ = [
    "ATTENDANCE_LABELS",
    "CLASS_STATUS_LABELS",
    "ENROLMENT_LABELS",
    "KIND_LABELS",
    "PROGRAMME_LABELS",
]

KIND_LABELS = {
    CentreKind.CONTINUING.value: _l("Continuing-education centre"),
    CentreKind.CLC.value: _l("Community learning centre"),
    CentreKind.ENTERPRISE.value: _l("Enterprise"),
    CentreKind.UNION.value: _l("Union or mass organisation"),
    CentreKind.LIBRARY.value: _l("Library"),
    CentreKind.OTHER.value: _l("Other provider"),
}

PROGRAMME_LABELS = {
    ProgrammeType.LITERACY_1.value: _l("Literacy, level 1"),
    ProgrammeType.LITERACY_2.value: _l("Literacy, level 2"),
    ProgrammeType.POST_LITERACY.value: _l("Post-literacy"),
    ProgrammeType.VOCATIONAL.value: _l("Vocational short course"),
    ProgrammeType.DIGITAL.value: _l("Digital skills"),
    ProgrammeType.LIFE_SKILLS.value: _l("Life skills"),
    ProgrammeType.LANGUAGE.value: _l("Language"),
    ProgrammeType.OTHER.value: _l("Other programme"),
}

CLASS_STATUS_LABELS = {
    ClassStatus.OPEN.value: _l("Open"),
    ClassStatus.FINISHED.value: _l("Finished"),
    ClassStatus.CANCELLED.value: _l("Cancelled"),
}

ENROLMENT_LABELS = {
    EnrolmentStatus.ENROLLED.value: _l("Enrolled"),
    EnrolmentStatus.WAITLISTED.value: _l("Waitlisted"),
    EnrolmentStatus.WITHDRAWN.value: _l("Withdrawn"),
    EnrolmentStatus.COMPLETED.value: _l("Completed"),
    EnrolmentStatus.NOT_COMPLETED.value: _l("Not completed"),
}

ATTENDANCE_LABELS = {
    AttendanceStatus.PRESENT.value: _l("Present"),
    AttendanceStatus.ABSENT.value: _l("Absent"),
    AttendanceStatus.EXCUSED.value: _l("Excused"),
}
