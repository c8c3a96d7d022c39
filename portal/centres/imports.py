"""Reading and checking spreadsheets of learners: pure functions of the file's bytes (no
request, no database; the commune codes in force are passed in).

A file is refused as a whole when it cannot be trusted or read: not CSV or XLSX, larger than
the limit, an XLSX that expands too much when unzipped (a decompression bomb), a CSV that is
neither UTF-8 nor Vietnamese Windows-1258, required columns missing, no learners, or more
rows than the limit (reading stops at the limit + 1 row, so a million-row file costs no more
than a full one). Otherwise every row is checked on its own and either becomes a
:class:`ValidRow` or is rejected with its original cells and every reason found.

Formulas are never evaluated: XLSX is opened by openpyxl in read-only mode without cached
values, and a cell that starts with ``=`` (a formula, or text that a spreadsheet would take
for one) rejects its row.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l

from portal.accounts.reference import DISABILITIES, ETHNICITIES, OCCUPATION_GROUPS
from portal.centres.operations import (
    CentreError,
    PersonDetails,
    clean_name,
    clean_national_id,
    clean_phone,
)
from portal.operation_errors import OperationError
from portal.text import fold, nfc

__all__ = [
    "COLUMNS",
    "Checked",
    "FileRefused",
    "Limits",
    "Table",
    "ValidRow",
    "check",
    "commune_codes",
    "decode_cp1258",
    "read_file",
    "reason_text",
]

MAX_COLUMNS = 100
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CELL_LIMIT = 300  # characters of a rejected cell kept for the rejection report
_DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%Y/%m/%d")
_EXCEL_SERIALS = (1, 2_958_465)  # 1900-01-01 .. 9999-12-31


@dataclass(frozen=True)
class Limits:
    """How much of a file is read. ``max_unzipped`` and ``max_ratio`` bound an XLSX's
    declared uncompressed size, in total and per entry against its compressed size."""

    max_bytes: int = 5 * 1024 * 1024
    max_rows: int = 20_000
    max_unzipped: int = 100 * 1024 * 1024
    max_ratio: int = 200
    max_entries: int = 1_000


# Columns: field → (header written in the template, names accepted). Names are compared
# folded (accents, case) without spaces, underscores, hyphens, dots or slashes.
COLUMNS: dict[str, tuple[str, tuple[str, ...]]] = {
    "full_name": ("Họ và tên", ("hovaten", "hoten", "ten", "fullname", "name", "hotennguoihoc")),
    "phone": (
        "Số điện thoại",
        ("sodienthoai", "dienthoai", "sdt", "didong", "phone", "phonenumber", "mobile"),
    ),
    "national_id": (
        "Số CCCD",
        (
            "socccd",
            "cccd",
            "socancuoc",
            "cancuoc",
            "cancuoccongdan",
            "cmnd",
            "socmnd",
            "cmndcccd",
            "socmndcccd",
            "madinhdanh",
            "nationalid",
            "idnumber",
        ),
    ),
    "birth_date": ("Ngày sinh", ("ngaysinh", "ngaythangnamsinh", "birthdate", "dateofbirth")),
    "birth_year": ("Năm sinh", ("namsinh", "birthyear", "yearofbirth")),
    "gender": ("Giới tính", ("gioitinh", "gender", "sex")),
    "ethnicity": ("Dân tộc", ("dantoc", "madantoc", "ethnicity", "ethnicitycode")),
    "commune_code": ("Mã xã", ("maxa", "maxaphuong", "communecode", "commune")),
    "disability": ("Khuyết tật", ("khuyettat", "disability")),
    "occupation_group": ("Nhóm nghề", ("nhomnghe", "nhomnghenghiep", "occupationgroup")),
}
REQUIRED = ("full_name",)
CONTACT = ("phone", "national_id")  # at least one of them, in the file and in each row
_ALIASES = {alias: name for name, (_header, aliases) in COLUMNS.items() for alias in aliases}

FILE_MESSAGES = {
    "file_type": _l(
        "Upload a CSV or an XLSX file. An old Excel workbook (.xls) must first be saved as "
        "“Excel Workbook (.xlsx)”."
    ),
    "empty": _l("The file is empty."),
    "no_rows": _l("The file has a header row but no learners under it."),
    "too_large": _l(
        "The file is larger than the limit of %(limit)s MB: split it in smaller files."
    ),
    "too_many_rows": _l(
        "The file has more than %(limit)s rows of learners, the most one import takes: "
        "split it in files of at most %(limit)s rows. Nothing was read further."
    ),
    "too_many_columns": _l(
        "The file has more than %(limit)s columns: keep only the learners' columns."
    ),
    "not_xlsx": _l(
        "This file is not a readable XLSX workbook. Save it again as “Excel Workbook (.xlsx)” "
        "or as “CSV UTF-8”."
    ),
    "bomb": _l(
        "This workbook would expand to more than %(limit)s MB or is compressed abnormally "
        "(a “decompression bomb”); it was not opened. Save it again from your spreadsheet "
        "program, or as “CSV UTF-8”."
    ),
    "encoding": _l(
        "The file's characters are neither UTF-8 nor Vietnamese Windows-1258, so names "
        "would be garbled; nothing was read. In Excel, choose Save As → “CSV UTF-8 (Comma "
        "delimited) (*.csv)”; in LibreOffice, tick “Edit filter settings” and choose the "
        "character set “Unicode (UTF-8)”."
    ),
    "bad_csv": _l("The CSV file could not be read: %(detail)s."),
    "missing_columns": _l(
        "Required columns are missing: %(missing)s. Columns found: %(found)s. Expected: "
        "%(expected)s."
    ),
    "duplicate_column": _l(
        "The columns “%(first)s” and “%(second)s” are the same column: keep one."
    ),
}

ROW_MESSAGES = {
    "no_name": _l("The full name is missing."),
    "no_contact": _l(
        "Give a phone number or a national ID number: the centre needs one to find the "
        "person again and never to add them twice."
    ),
    "bad_phone": _l("“%(value)s” is not a Vietnamese mobile number."),
    "bad_national_id": _l(
        "“%(value)s” is not a national ID number (12 digits, or 9 on an old identity card)."
    ),
    "bad_birth_date": _l(
        "“%(value)s” is not a date of birth (day/month/year, e.g. 07/03/1985, or 1985-03-07)."
    ),
    "bad_birth_year": _l("“%(value)s” is not a year of birth between 1900 and this year."),
    "bad_gender": _l("“%(value)s” is not a gender (Nam, Nữ or Khác; male, female or other)."),
    "bad_ethnicity": _l(
        "“%(value)s” is not an ethnic group: give its code (01 to 54) or its name, e.g. Kinh, "
        "Tày, Hmông."
    ),
    "unknown_commune": _l("“%(value)s” is not the code of a commune in force today."),
    "bad_disability": _l("“%(value)s” is not a kind of disability of the list."),
    "bad_occupation": _l("“%(value)s” is not an occupation group of the list."),
    "formula": _l("The column “%(column)s” holds a formula, which is never run: type the value."),
    "duplicate": _l(
        "Duplicate of row %(row)s of the file (same national ID, or same phone and name)."
    ),
}


class FileRefused(OperationError):
    """The whole file was refused; ``code`` keys :data:`FILE_MESSAGES`, ``params`` fill it."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.params = params

    @property
    def message(self) -> str:
        return (
            str(FILE_MESSAGES[self.code]) % self.params
            if self.params
            else str(FILE_MESSAGES[self.code])
        )


def reason_text(reason: list[Any] | tuple[Any, ...]) -> str:
    """The translated sentence of a stored reason ``[code, params]``."""
    code, params = reason[0], reason[1] if len(reason) > 1 else {}
    text = str(ROW_MESSAGES.get(code, code))
    return text % params if params else text


# Reading ----------------------------------------------------------------------------------------


@dataclass
class Table:
    """The header and the non-blank rows of a file; ``rows`` are (row number in the file,
    cells). ``encoding`` is what a CSV was read as."""

    kind: str
    header: list[str]
    rows: list[tuple[int, list[Any]]]
    encoding: str | None = None


def kind_of(filename: str, data: bytes) -> str:
    """The kind of file, ``xlsx`` or ``csv``, from its content (a zip is an XLSX) and its
    name; other kinds are refused."""
    name = (filename or "").lower()
    if data[:4] == b"PK\x03\x04" or name.endswith((".xlsx", ".xlsm")):
        return "xlsx"
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" or name.endswith(".xls"):
        raise FileRefused("file_type")  # an old binary workbook
    if name.endswith((".csv", ".txt")):
        return "csv"
    raise FileRefused("file_type")


def read_file(
    filename: str, data: bytes, limits: Limits | None = None, first: int | None = None
) -> Table:
    """The table of a CSV or XLSX file, or :class:`FileRefused`; with ``first``, only its
    first rows (for a glimpse of a file already checked whole)."""
    limits = limits or Limits()
    if first is not None:
        limits = replace(limits, max_rows=first)
    if len(data) > limits.max_bytes:
        raise FileRefused("too_large", limit=megabytes(limits.max_bytes))
    if not data or data.isspace():  # (``strip()`` would copy a large file)
        raise FileRefused("empty")
    kind = kind_of(filename, data)
    if kind == "xlsx":
        return _table("xlsx", _xlsx_rows(data, limits, bool(first)), limits, first=bool(first))
    delimiter = _delimiter(data)
    try:  # UTF-8, decoded as it is read: a huge file costs no more than its first rows
        text = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline="")
        return _table("csv", _csv_rows(text, delimiter), limits, "utf-8", bool(first))
    except UnicodeDecodeError:
        pass
    text = io.StringIO(decode_cp1258(data), newline="")
    return _table("csv", _csv_rows(text, delimiter), limits, "cp1258", bool(first))


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.2f}".rstrip("0").rstrip(".")


def _blank(cells: Iterable[Any]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def _table(
    kind: str,
    rows: Iterator[tuple[int, list[Any]]],
    limits: Limits,
    encoding: str | None = None,
    first: bool = False,
) -> Table:
    header: list[str] | None = None
    body: list[tuple[int, list[Any]]] = []
    for number, cells in rows:
        if _blank(cells):
            continue
        if header is None:
            header = [_header_text(c) for c in cells]
            while header and not header[-1]:
                header.pop()
            if len(header) > MAX_COLUMNS:
                raise FileRefused("too_many_columns", limit=MAX_COLUMNS)
            continue
        if len(body) >= limits.max_rows:
            if first:
                break
            raise FileRefused("too_many_rows", limit=limits.max_rows)
        body.append((number, list(cells[: len(header)])))
    if header is None:
        raise FileRefused("empty")
    if not body:
        raise FileRefused("no_rows")
    return Table(kind=kind, header=header, rows=body, encoding=encoding)


def _header_text(value: Any) -> str:
    return " ".join(nfc(cell_text(value)).split())[:CELL_LIMIT]


# CSV


_VIETNAMESE = {
    unicodedata.normalize("NFC", base + tone)
    for base in "aăâeêioôơuưyAĂÂEÊIOÔƠUƯY"
    for tone in ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323")
} | {"đ", "Đ"}
_NEUTRAL = set("\u00a0\u2013\u2014\u2018\u2019\u201c\u201d\u2026\u00b0\u00ab\u00bb\u20ab")


def looks_vietnamese(text: str) -> bool:
    """Whether the letters beyond ASCII in ``text`` are nearly all Vietnamese ones."""
    others = [ch for ch in text if ord(ch) > 127 and ch not in _NEUTRAL]
    if not others:
        return False
    vietnamese = sum(ch in _VIETNAMESE for ch in others)
    return vietnamese >= 0.95 * len(others)


def decode_cp1258(data: bytes) -> str:
    """The text of a CSV file that is not UTF-8, read as Vietnamese Windows-1258 (and
    composed to NFC) when the result reads as Vietnamese; anything else is refused rather
    than guessed."""
    try:
        text = nfc(data.decode("cp1258"))
    except UnicodeDecodeError:
        raise FileRefused("encoding") from None
    if not looks_vietnamese(text):
        raise FileRefused("encoding")
    return text


def _delimiter(data: bytes) -> str:
    """The delimiter, ``,`` or ``;`` (or a tab): the one the first line uses most."""
    head = data[:65536].decode("latin-1")
    first = next((line for line in head.splitlines() if line.strip()), "")
    counts = {d: first.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: (counts[d], d == ","))


def _csv_rows(text: io.TextIOBase | io.StringIO, delimiter: str) -> Iterator[tuple[int, list[Any]]]:
    reader = csv.reader(text, delimiter=delimiter)
    try:
        for number, row in enumerate(reader, 1):
            yield number, [nfc(cell) for cell in row]
    except csv.Error as exc:
        raise FileRefused("bad_csv", detail=str(exc)[:200]) from None


# XLSX


def check_zip(data: bytes, limits: Limits) -> None:
    """Refuse what is not a zip, and a zip whose entries would expand beyond the limits
    (declared sizes: Python's zipfile never inflates an entry past its declared size)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise FileRefused("not_xlsx") from None
    with archive:
        entries = archive.infolist()
        if len(entries) > limits.max_entries:
            raise FileRefused("bomb", limit=megabytes(limits.max_unzipped))
        total = 0
        for entry in entries:
            total += entry.file_size
            ratio = entry.file_size / max(entry.compress_size, 1)
            if total > limits.max_unzipped or (
                entry.file_size > 1024 * 1024 and ratio > limits.max_ratio
            ):
                raise FileRefused("bomb", limit=megabytes(limits.max_unzipped))
        if "xl/workbook.xml" not in {e.filename for e in entries}:
            raise FileRefused("not_xlsx")


def _xlsx_rows(data: bytes, limits: Limits, first: bool = False) -> Iterator[tuple[int, list[Any]]]:
    """The rows of the first sheet that are not blank, numbered, read at once (warnings of
    odd workbooks silenced); a sheet of more rows than the limit, or of rows mostly blank
    (as many as twice the limit), is refused as soon as it shows."""
    check_zip(data, limits)
    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = load_workbook(
                io.BytesIO(data), read_only=True, data_only=False, keep_links=False
            )
    except Exception:  # openpyxl raises many kinds on a broken workbook
        raise FileRefused("not_xlsx") from None
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            raise FileRefused("empty")
        rows: list[tuple[int, list[Any]]] = []
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for number, row in enumerate(
                sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS + 1), 1
            ):
                if not _blank(row):
                    rows.append((number, list(row)))
                if len(rows) > limits.max_rows + 1 or number > 2 * limits.max_rows + 1000:
                    if first:
                        break
                    raise FileRefused("too_many_rows", limit=limits.max_rows)
    except FileRefused:
        raise
    except Exception:  # openpyxl raises many kinds on a broken sheet
        raise FileRefused("not_xlsx") from None
    finally:
        workbook.close()
    yield from rows


# Checking ---------------------------------------------------------------------------------------


@dataclass
class ValidRow:
    number: int  # the row's number in the file (the header is row 1 in most files)
    details: PersonDetails


@dataclass
class Checked:
    """What checking found: the column of each field, the columns ignored, the valid rows
    and the rejected ones (``{"row", "cells": [[header, value]...], "reasons": [[code,
    params]...]}``, ready to store as JSON)."""

    header: list[str]
    columns: dict[str, int]
    ignored: list[str]
    valid: list[ValidRow] = field(default_factory=list)
    rejected: list[dict[str, Any]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.valid) + len(self.rejected)


def _key(header: str) -> str:
    return re.sub(r"[\s_\-./'’]+", "", fold(header))


def match_columns(header: list[str]) -> tuple[dict[str, int], list[str]]:
    """The column index of each known field and the headers ignored; refuses a file
    without the required columns (saying which it found and which it expects)."""
    columns: dict[str, int] = {}
    ignored: list[str] = []
    for index, name in enumerate(header):
        known = _ALIASES.get(_key(name))
        if known is None:
            if name:
                ignored.append(name)
            continue
        if known in columns:
            raise FileRefused("duplicate_column", first=header[columns[known]], second=name)
        columns[known] = index
    missing = [COLUMNS[f][0] for f in REQUIRED if f not in columns]
    if not any(f in columns for f in CONTACT):
        missing.append(" / ".join(COLUMNS[f][0] for f in CONTACT))
    if missing:
        raise FileRefused(
            "missing_columns",
            missing=", ".join(missing),
            found=", ".join(f"“{h}”" for h in header if h) or "—",
            expected=", ".join(COLUMNS[f][0] for f in COLUMNS),
        )
    return columns, ignored


def cell_text(value: Any) -> str:
    """A cell as text: numbers without a trailing ``.0``, dates as ``yyyy-mm-dd``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def commune_codes(table: Table) -> set[str]:
    """The commune codes the file names (normalised), for the caller to look up."""
    try:
        columns, _ignored = match_columns(table.header)
    except FileRefused:
        return set()
    index = columns.get("commune_code")
    if index is None:
        return set()
    codes = {_commune_code(cells[index]) for _n, cells in table.rows if index < len(cells)}
    return {c for c in codes if c}


def _commune_code(value: Any) -> str:
    text = cell_text(value)
    return text.zfill(5) if text.isdigit() and len(text) < 5 else text


class _Bad(Exception):
    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.reason = [code, params]


def _value(cells: list[Any], columns: dict[str, int], name: str) -> Any:
    index = columns.get(name)
    if index is None or index >= len(cells):
        return None
    value = cells[index]
    return None if isinstance(value, str) and not value.strip() else value


def _shown(value: Any) -> str:
    return cell_text(value)[:60]


def _national_id(value: Any) -> str | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        # A number column drops the leading zeros: citizen IDs start with a province code
        # 001-096, old identity cards with 0 too.
        digits = cell_text(value)
        if digits.isdigit():
            value = digits.zfill(12) if len(digits) > 9 else digits.zfill(9)
    try:
        return clean_national_id(cell_text(value) if value is not None else None)
    except CentreError:
        raise _Bad("bad_national_id", value=_shown(value)) from None


def _phone(value: Any) -> str | None:
    try:
        return clean_phone(cell_text(value) if value is not None else None)
    except CentreError:
        raise _Bad("bad_phone", value=_shown(value)) from None


def _birth_date(value: Any, today: date) -> date | None:
    if value is None:
        return None
    found: date | None = None
    if isinstance(value, datetime):
        found = value.date()
    elif isinstance(value, date):
        found = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        if _EXCEL_SERIALS[0] <= value <= _EXCEL_SERIALS[1]:
            from openpyxl.utils.datetime import from_excel

            found = from_excel(value).date()
    else:
        text = cell_text(value)
        for pattern in _DATE_FORMATS:
            try:
                found = datetime.strptime(text, pattern).date()
                break
            except ValueError:
                continue
    if found is None or not date(1900, 1, 1) <= found <= today:
        raise _Bad("bad_birth_date", value=_shown(value))
    return found


def _birth_year(value: Any, today: date) -> int | None:
    if value is None:
        return None
    text = cell_text(value)
    if not text.isdigit() or not 1900 <= int(text) <= today.year:
        raise _Bad("bad_birth_year", value=_shown(value))
    return int(text)


_GENDERS = {
    "nam": "male", "male": "male", "m": "male", "trai": "male",
    "nu": "female", "female": "female", "f": "female", "gai": "female",
    "khac": "other", "other": "other",
}  # fmt: skip
_ETHNICITY_NAMES = {_key(name): code for code, name in ETHNICITIES.items()}
_DISABILITIES = {
    **{_key(code): code for code in DISABILITIES},
    "khong": "none", "khongco": "none", "no": "none",
    "nhin": "seeing", "khiemthi": "seeing",
    "nghe": "hearing", "khiemthinh": "hearing",
    "vandong": "walking", "dilai": "walking",
    "nho": "remembering", "tritue": "remembering", "thankinh": "remembering",
    "giaotiep": "communicating", "noi": "communicating",
    "tuchamsoc": "self_care", "selfcare": "self_care",
    "khac": "other", "co": "other",
}  # fmt: skip
_OCCUPATIONS = {
    **{_key(code): code for code in OCCUPATION_GROUPS},
    "canbo": "officials", "congchuc": "officials", "vienchuc": "officials",
    "canbocongchucvienchuc": "officials", "lucluongvutrang": "officials",
    "congnhan": "enterprise_workers", "nguoilaodongtrongdoanhnghiep": "enterprise_workers",
    "doanhnghiep": "enterprise_workers", "hoptacxa": "enterprise_workers",
    "nongdan": "rural_workers", "laodongnongthon": "rural_workers",
    "khac": "other_citizens", "hocsinh": "other_citizens", "sinhvien": "other_citizens",
    "noitro": "other_citizens", "huutri": "other_citizens", "nguoidankhac": "other_citizens",
}  # fmt: skip


def _coded(value: Any, table: Mapping[str, str], code: str) -> str | None:
    if value is None:
        return None
    found = table.get(_key(cell_text(value)))
    if found is None:
        raise _Bad(code, value=_shown(value))
    return found


def _ethnicity(value: Any) -> str | None:
    if value is None:
        return None
    text = cell_text(value)
    if text.isdigit() and text.zfill(2) in ETHNICITIES:
        return text.zfill(2)
    found = _ETHNICITY_NAMES.get(_key(text))
    if found is None:
        raise _Bad("bad_ethnicity", value=_shown(value))
    return found


def _details(
    cells: list[Any], columns: dict[str, int], communes: Mapping[str, int], today: date
) -> tuple[PersonDetails | None, list[list[Any]]]:
    reasons: list[list[Any]] = []
    values: dict[str, Any] = {}

    def take(name: str, parse: Any, *args: Any) -> None:
        try:
            values[name] = parse(_value(cells, columns, name), *args)
        except _Bad as bad:
            reasons.append(bad.reason)

    try:
        values["full_name"] = clean_name(cell_text(_value(cells, columns, "full_name")))
    except CentreError:
        reasons.append(["no_name", {}])
    take("phone", _phone)
    take("national_id", _national_id)
    if (
        "phone" in values
        and "national_id" in values
        and not values["phone"]
        and not values["national_id"]
    ):
        reasons.append(["no_contact", {}])
    take("birth_date", _birth_date, today)
    take("birth_year", _birth_year, today)
    take("gender", _coded, _GENDERS, "bad_gender")
    take("ethnicity", _ethnicity)
    take("disability", _coded, _DISABILITIES, "bad_disability")
    take("occupation_group", _coded, _OCCUPATIONS, "bad_occupation")
    commune = _value(cells, columns, "commune_code")
    commune_id = None
    if commune is not None:
        commune_id = communes.get(_commune_code(commune))
        if commune_id is None:
            reasons.append(["unknown_commune", {"value": _shown(commune)}])
    if reasons:
        return None, reasons
    birth_date = values["birth_date"]
    return PersonDetails(
        full_name=values["full_name"],
        phone=values["phone"],
        national_id=values["national_id"],
        birth_date=birth_date,
        birth_year=values["birth_year"] or (birth_date.year if birth_date else None),
        gender=values["gender"],
        ethnicity_code=values["ethnicity"],
        disability=values["disability"],
        occupation_group=values["occupation_group"],
        commune_id=commune_id,
    ), []


def check(table: Table, *, communes: Mapping[str, int], today: date) -> Checked:
    """Check every row of ``table``: values (phone, national ID, dates, codes), formulas,
    and duplicates within the file (the same national ID, or the same phone and folded
    name: the later row is rejected as a duplicate of the first). ``communes`` maps the
    codes of communes in force to their ids."""
    columns, ignored = match_columns(table.header)
    checked = Checked(header=table.header, columns=columns, ignored=ignored)
    by_national_id: dict[str, int] = {}
    by_phone_name: dict[tuple[str, str], int] = {}
    for number, cells in table.rows:
        formulas = [
            table.header[i] or str(i + 1)
            for i, c in enumerate(cells)
            if isinstance(c, str) and c.lstrip().startswith("=")
        ]
        reasons = [["formula", {"column": name}] for name in formulas]
        details, more = (None, []) if formulas else _details(cells, columns, communes, today)
        reasons += more
        if details is not None:
            first = by_national_id.get(details.national_id or "")
            if first is None and details.phone:
                first = by_phone_name.get((details.phone, fold(details.full_name)))
            if first is not None:
                reasons.append(["duplicate", {"row": first}])
        if reasons or details is None:
            checked.rejected.append(
                {"row": number, "cells": _cells(table.header, cells), "reasons": reasons}
            )
            continue
        if details.national_id:
            by_national_id[details.national_id] = number
        if details.phone:
            by_phone_name.setdefault((details.phone, fold(details.full_name)), number)
        checked.valid.append(ValidRow(number=number, details=details))
    return checked


def _cells(header: list[str], cells: list[Any]) -> list[list[str]]:
    return [
        [name, cell_text(cells[i])[:CELL_LIMIT] if i < len(cells) else ""]
        for i, name in enumerate(header)
    ]


def safe_name(filename: str) -> str:
    """The uploaded file's name as shown: its last part, printable, at most 255 characters."""
    name = re.split(r"[\\/]", filename or "")[-1]
    name = "".join(ch for ch in nfc(name) if ch.isprintable()).strip()
    return name[:255] or "import"


def template_rows() -> list[tuple[str, ...]]:
    """The header of the import template and one example row."""
    header = tuple(COLUMNS[f][0] for f in COLUMNS)
    example = ("Lò Thị Mai", "0912345678", "011190001234", "07/03/1985", "1985", "Nữ", "Thái",
               "24820", "Không", "Nông dân")  # fmt: skip
    return [header, example]
