"""CSV and XLSX exports of a report, streamed so memory stays flat however many rows.

CSV is written row by row from a generator. XLSX is written by openpyxl in write-only mode
(rows go to a temporary file as they come, never held as a sheet in memory), then the file
is sent in chunks. Text cells that a spreadsheet would read as a formula (starting with
= + - @, a tab or a carriage return) get a leading apostrophe."""

from __future__ import annotations

import csv
import io
import logging
import tempfile
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

logger = logging.getLogger(__name__)

__all__ = ["CHUNK", "csv_chunks", "neutralise", "xlsx_chunks"]

CHUNK = 64 * 1024
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """``value`` safe for a spreadsheet: text that would start a formula gets a ``'``."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    if isinstance(value, Decimal):
        return float(value)
    return value


def csv_chunks(rows: Iterable[tuple[Any, ...]], batch: int = 500) -> Iterator[str]:
    """UTF-8 CSV (with a byte-order mark, so spreadsheets read the accents) in pieces of
    ``batch`` rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    for i, row in enumerate(rows, 1):
        writer.writerow(["" if v is None else neutralise(v) for v in row])
        if i % batch == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def xlsx_chunks(rows: Iterable[tuple[Any, ...]], sheet_title: str = "report") -> Iterator[bytes]:
    """An XLSX workbook of one sheet holding ``rows``, written to a temporary file in
    write-only mode and read back in chunks of ``CHUNK`` bytes."""
    from openpyxl import Workbook

    with tempfile.TemporaryFile(suffix=".xlsx") as file:
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title=sheet_title[:31])
        for row in rows:
            sheet.append([neutralise(v) for v in row])
        workbook.save(file)
        file.seek(0)
        while chunk := file.read(CHUNK):
            yield chunk
