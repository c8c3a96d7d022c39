"""QR codes of verify addresses, as small SVG documents."""

from __future__ import annotations

import io

import segno


def qr_svg(url: str) -> bytes:
    """An SVG QR code (error correction M) of ``url``: one path, a few kilobytes, the same
    bytes for the same address."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(
        buffer, kind="svg", scale=4, border=2, xmldecl=False, svgclass=None, lineclass=None
    )
    return buffer.getvalue()
