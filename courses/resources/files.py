"""Which files may be attached to a resource: the extension and the content must agree.

The content is sniffed with puremagic (pure Python); a ``.pdf`` that is really a Windows
program, or a file whose bytes no allowed type recognises, is refused.
"""

from __future__ import annotations

import re
import unicodedata

import puremagic

#: Allowed extension: (content type sent back, extensions the sniffer may report for it).
ALLOWED: dict[str, tuple[str, frozenset[str]]] = {
    ".pdf": ("application/pdf", frozenset({".pdf"})),
    ".png": ("image/png", frozenset({".png"})),
    ".jpg": ("image/jpeg", frozenset({".jpg", ".jpeg", ".jfif"})),
    ".jpeg": ("image/jpeg", frozenset({".jpg", ".jpeg", ".jfif"})),
    ".gif": ("image/gif", frozenset({".gif"})),
    ".webp": ("image/webp", frozenset({".webp"})),
    ".mp3": ("audio/mpeg", frozenset({".mp3"})),
    ".ogg": ("audio/ogg", frozenset({".ogg", ".oga", ".ogv", ".ogx"})),
    ".m4a": ("audio/mp4", frozenset({".m4a", ".mp4", ".m4v", ".mov", ".3gp"})),
    ".wav": ("audio/wav", frozenset({".wav"})),
    ".mp4": ("video/mp4", frozenset({".mp4", ".m4v", ".m4a", ".mov", ".3gp"})),
    ".webm": ("video/webm", frozenset({".webm", ".mkv"})),
    ".doc": ("application/msword", frozenset({".doc", ".xls", ".ppt", ".msi", ".msg"})),
    ".xls": ("application/vnd.ms-excel", frozenset({".doc", ".xls", ".ppt", ".msi", ".msg"})),
    ".ppt": ("application/vnd.ms-powerpoint", frozenset({".doc", ".xls", ".ppt", ".msi", ".msg"})),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        frozenset({".docx", ".zip"}),
    ),
    ".xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        frozenset({".xlsx", ".zip"}),
    ),
    ".pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        frozenset({".pptx", ".zip"}),
    ),
    ".odt": ("application/vnd.oasis.opendocument.text", frozenset({".odt", ".zip"})),
    ".ods": ("application/vnd.oasis.opendocument.spreadsheet", frozenset({".ods", ".zip"})),
    ".odp": ("application/vnd.oasis.opendocument.presentation", frozenset({".odp", ".zip"})),
    ".zip": ("application/zip", frozenset({".zip", ".docx", ".xlsx", ".pptx", ".jar", ".epub"})),
}

#: Bytes read from the start of a file to sniff it.
SNIFF_BYTES = 8192


class FileRefused(ValueError):
    """The file's name or content is not an allowed type. ``reason`` is ``"extension"``
    or ``"content"``."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def safe_filename(name: str) -> str:
    """A plain file name to show and send back: no folders, no control characters."""
    name = unicodedata.normalize("NFC", name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = re.sub(r"[\x00-\x1f\x7f\"<>:|?*]", "", name).strip(" .")
    if len(name) > 200:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 200 - len(ext) - 1] + dot + ext) if dot and len(ext) <= 10 else name[:200]
    return name or "file"


def extension_of(name: str) -> str:
    _, dot, ext = name.rpartition(".")
    return f".{ext.lower()}" if dot else ""


def check_file(filename: str, head: bytes) -> str:
    """The content type to store for a file named ``filename`` that starts with ``head``,
    or :class:`FileRefused`."""
    ext = extension_of(filename)
    if ext not in ALLOWED:
        raise FileRefused("extension")
    content_type, accepted = ALLOWED[ext]
    try:
        found = {match.extension.lower() for match in puremagic.magic_string(head)}
    except (puremagic.PureError, ValueError):
        found = set()
    if ext == ".mp3" and (head[:3] == b"ID3" or head[:2] in {b"\xff\xfb", b"\xff\xf3"}):
        found.add(".mp3")
    if not found & accepted:
        raise FileRefused("content")
    return content_type
