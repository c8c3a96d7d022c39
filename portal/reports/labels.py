"""What the reports call their models, groups and areas, translated at display time."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from portal.accounts.reference import DISABILITIES, ETHNICITIES, GENDERS, OCCUPATION_GROUPS

MODEL_LABELS = {
    "citizen": _l("Learning Citizen"),
    "family": _l("Learning Family"),
    "clan": _l("Learning Clan"),
    "community": _l("Learning Community"),
    "unit": _l("Learning Unit"),
    "citizen:workers": _l("Learning Citizens among workers"),
    "citizen:unit_staff": _l("Learning Citizens among unit staff"),
}
DIMENSION_LABELS = {
    "gender": _l("Gender"),
    "ethnicity": _l("Ethnicity"),
    "age_group": _l("Age group"),
    "disability": _l("Disability"),
    "occupation": _l("Occupation group"),
}
AGE_LABELS = {
    "under_15": _l("under 15"),
    "15_24": _l("15 to 24"),
    "25_34": _l("25 to 34"),
    "35_44": _l("35 to 44"),
    "45_59": _l("45 to 59"),
    "60_plus": _l("60 and over"),
}
AREA_LABELS = {
    "ethnic_minority": _l("Communes in ethnic-minority areas"),
    "not_ethnic_minority": _l("Other communes (not in ethnic-minority areas)"),
    "mountainous": _l("Mountainous communes"),
    "not_mountainous": _l("Communes that are not mountainous"),
}
UNKNOWN_LABEL = _l("not stated")
NO_VILLAGE = _l("no village recorded")
_VALUES = {
    "gender": GENDERS,
    "ethnicity": ETHNICITIES,
    "age_group": AGE_LABELS,
    "disability": DISABILITIES,
    "occupation": OCCUPATION_GROUPS,
}


def group_label(dimension: str, value: str) -> str:
    """The label of one group of a dimension ("not stated" for unknown)."""
    if value == "unknown":
        return str(UNKNOWN_LABEL)
    return str(_VALUES.get(dimension, {}).get(value, value))


def row_label(kind: str, figures: Any) -> str:
    """The first cell of a report row: ``kind`` is "model", "place", "area" or a dimension."""
    if kind == "model":
        return str(MODEL_LABELS.get(figures.key, figures.key))
    if kind == "place":
        return figures.label or (str(NO_VILLAGE) if figures.key == "0" else figures.key)
    if kind == "area":
        return str(AREA_LABELS[figures.key])
    return group_label(kind, figures.key)
