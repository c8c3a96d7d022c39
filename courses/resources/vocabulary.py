"""The fixed lists a resource's metadata is chosen from, with translated labels."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

# Licence code: (label, URL of the licence text).
LICENCES: dict[str, tuple[str, str]] = {
    "cc-by": ("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/"),
    "cc-by-sa": ("CC BY-SA 4.0", "https://creativecommons.org/licenses/by-sa/4.0/"),
    "cc-by-nc": ("CC BY-NC 4.0", "https://creativecommons.org/licenses/by-nc/4.0/"),
    "cc-by-nc-sa": ("CC BY-NC-SA 4.0", "https://creativecommons.org/licenses/by-nc-sa/4.0/"),
    "cc-by-nd": ("CC BY-ND 4.0", "https://creativecommons.org/licenses/by-nd/4.0/"),
    "cc0": ("CC0 1.0", "https://creativecommons.org/publicdomain/zero/1.0/"),
    "arr": ("", ""),  # all rights reserved: labelled below, no URL
}
ALL_RIGHTS_RESERVED = "arr"

AUDIENCES = {
    "citizen": _l("Citizens"),
    "worker": _l("Workers"),
    "teacher": _l("Teachers"),
    "learner_group": _l("Learner groups"),
}

LEVELS = {
    "beginner": _l("Beginner"),
    "intermediate": _l("Intermediate"),
    "advanced": _l("Advanced"),
}

SUBJECTS = {
    "agriculture": _l("Agriculture"),
    "health": _l("Health"),
    "digital": _l("Digital skills"),
    "languages": _l("Languages and literacy"),
    "law": _l("Law and citizenship"),
    "crafts": _l("Trades and crafts"),
    "environment": _l("Environment"),
    "culture": _l("Culture and heritage"),
    "family": _l("Family and community"),
    "finance": _l("Money and business"),
}

#: Names of the fields a version comparison shows.
FIELD_LABELS = {
    "title": _l("Title"),
    "summary": _l("Summary"),
    "body": _l("Text"),
    "licence": _l("Licence"),
    "audience": _l("Audience"),
    "level": _l("Level"),
    "subjects": _l("Subjects"),
    "author": _l("Author"),
    "source": _l("Source"),
    "original_language": _l("Original language"),
}

STATUSES = {
    "draft": _l("Draft"),
    "in_review": _l("In review"),
    "published": _l("Published"),
    "archived": _l("Archived"),
}


def licence_label(code: str) -> str:
    """The licence's name as shown to visitors."""
    if code == ALL_RIGHTS_RESERVED:
        return str(_l("All rights reserved"))
    return LICENCES[code][0] if code in LICENCES else code


def licence_url(code: str) -> str:
    return LICENCES.get(code, ("", ""))[1]


def format_size(size: int) -> str:
    """A file size for people: "350 KB", "4.2 MB"."""
    from flask_babel import format_decimal, gettext

    if size < 1024 * 1024:
        return gettext("%(size)s KB", size=format_decimal(max(1, round(size / 1024))))
    return gettext("%(size)s MB", size=format_decimal(round(size / 1024 / 1024, 1)))
