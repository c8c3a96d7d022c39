"""Form fields and helpers shared by the feature modules' forms."""

from __future__ import annotations

import re

from wtforms import StringField, TextAreaField

# Control characters except tab, line feed and carriage return.
CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def plain(value: object) -> object:
    """Text without control characters (NUL and the like, which PostgreSQL refuses)."""
    return CONTROLS.sub("", value) if isinstance(value, str) else value


class PlainString(StringField):
    """A line of text without control characters."""

    def process_formdata(self, valuelist: list) -> None:  # type: ignore[type-arg]
        super().process_formdata([plain(v) for v in valuelist])


class PlainText(TextAreaField):
    """Text without control characters."""

    def process_formdata(self, valuelist: list) -> None:  # type: ignore[type-arg]
        super().process_formdata([plain(v) for v in valuelist])


def label(table: dict, code: str | None) -> str:  # type: ignore[type-arg]
    """The translated label of ``code`` in ``table`` (the code itself when unknown)."""
    return str(table.get(code, code or ""))
