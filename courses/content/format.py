"""The content package: a folder or a ``.zip`` holding ``content.json`` and ``files/…``
(docs/content-format.md describes every field).

The code lives in two modules; this one keeps the names importable from here:
:mod:`courses.content.package` reads a package safely (:func:`open_package`, limits against
zip bombs and paths leading out, :class:`PackageError`), and
:mod:`courses.content.validation` checks ``content.json`` and returns it normalised
(:func:`validate`, :class:`Checked`).
"""

from __future__ import annotations

from courses.content.package import (
    FILES,
    MANIFEST,
    MAX_MANIFEST_BYTES,
    MAX_MEMBERS,
    MAX_RATIO,
    MAX_TOTAL_BYTES,
    RATIO_CHECK_BYTES,
    FolderPackage,
    Package,
    PackageError,
    ZipPackage,
    open_package,
    safe_package_path,
)
from courses.content.validation import (
    COURSE_STATUSES,
    FORMAT,
    KEY,
    KEY_MAX,
    MAX_HOURS,
    MAX_OPTIONS,
    OPTION_KEY,
    OPTION_KINDS,
    RESOURCE_STATUSES,
    SUMMARY_MAX,
    TEXT_MAX,
    TITLE_MAX,
    VERSION,
    Checked,
    hours_number,
    validate,
)

__all__ = [
    "COURSE_STATUSES",
    "FILES",
    "FORMAT",
    "KEY",
    "KEY_MAX",
    "MANIFEST",
    "MAX_HOURS",
    "MAX_MANIFEST_BYTES",
    "MAX_MEMBERS",
    "MAX_OPTIONS",
    "MAX_RATIO",
    "MAX_TOTAL_BYTES",
    "OPTION_KEY",
    "OPTION_KINDS",
    "RATIO_CHECK_BYTES",
    "RESOURCE_STATUSES",
    "SUMMARY_MAX",
    "TEXT_MAX",
    "TITLE_MAX",
    "VERSION",
    "Checked",
    "FolderPackage",
    "Package",
    "PackageError",
    "ZipPackage",
    "hours_number",
    "open_package",
    "safe_package_path",
    "validate",
]
