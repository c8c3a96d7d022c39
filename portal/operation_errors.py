"""The one shape of a refused operation, shared by every feature module."""

from __future__ import annotations


class OperationError(ValueError):
    """An operation was refused; ``code`` says why and keys the feature's table of messages,
    which the view translates for the user."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code
