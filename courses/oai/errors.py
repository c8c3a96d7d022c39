"""OAI-PMH error conditions. Each is answered with HTTP 200 and an ``<error>`` element; the
messages are for harvesting software and follow the protocol's English."""

from __future__ import annotations

CODES = (
    "badArgument",
    "badResumptionToken",
    "badVerb",
    "cannotDisseminateFormat",
    "idDoesNotExist",
    "noRecordsMatch",
    "noMetadataFormats",
    "noSetHierarchy",
)


class OaiError(Exception):
    """A protocol error: ``code`` is one of :data:`CODES`."""

    def __init__(self, code: str, message: str) -> None:
        if code not in CODES:
            raise ValueError(code)
        super().__init__(message)
        self.code = code
        self.message = message

    @property
    def echoes_request(self) -> bool:
        """Whether the ``<request>`` element may repeat the arguments (not after a bad verb
        or bad arguments, says the protocol)."""
        return self.code not in ("badVerb", "badArgument")
