"""The one place that writes .xlsx files: every spreadsheet the app hands out is built here.

Text stays text. openpyxl turns any string that starts with ``=`` into a live formula, and a string
that looks like an error code (``#N/A``) into an error cell. A person's name, a department or a
comment typed into a form or an import (``=HYPERLINK("http://…"&D3,"点此核对")``) must reach the
reader exactly as typed and never run. So every string is written as a string cell
(``data_type = "s"``, stored as an inline string) and, when it starts with a character a spreadsheet
program reads as the start of a formula (``= + - @``, tab, CR or LF), the cell also carries Excel's
"quote prefix" style: what Excel sets when someone types ``'=1+1``. The file then holds no formula,
Excel, WPS and LibreOffice show the text as it is, and it stays text even when the cell is edited
and confirmed again. We do not prefix the value with an apostrophe or a zero-width space: that would
change the data (a login name or password copied from the sheet would no longer work), while
openpyxl reads our cells back as plain strings with ``data_type == "s"``.

Numbers, Decimal and dates are written as real cell types (sortable, summable), with a Chinese date
format. Usage::

    return workbook_response(
        "一次性密码.xlsx",
        Sheet(title="一次性密码", headers=["姓名", "登录名"], rows=[["张三", "XT0101"]]),
    )
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# OWASP's list for CSV injection, plus LF: an XML reader turns a stored CR into LF.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
MAX_CELL_CHARS = 32_767  # Excel's limit for one cell
DATE_FORMAT = 'yyyy"年"m"月"d"日"'
DATETIME_FORMAT = 'yyyy"年"m"月"d"日" hh:mm'
MIN_WIDTH, MAX_WIDTH = 6, 60
WIDTH_SAMPLE_ROWS = 500
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="FFE9ECEF")
TITLE_FONT = Font(bold=True, size=14)
WRAP = Alignment(wrap_text=True, vertical="top")


@dataclass
class Sheet:
    """One worksheet: an optional title line, one header row (frozen), the rows, then notes.

    ``widths`` gives column widths in characters; a missing or ``None`` entry is sized from the
    content (a Chinese character counts as two).
    """

    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence[Any]] = ()
    widths: Sequence[float | None] = ()
    title_row: str = ""
    notes: Sequence[str] = field(default_factory=tuple)


def _text(value: str) -> str:
    # openpyxl refuses control characters (they are not allowed in XML); tab, LF and CR stay.
    return ILLEGAL_CHARACTERS_RE.sub("", value)[:MAX_CELL_CHARS]


def _decimal_format(value: Decimal) -> str:
    exponent = value.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return "#,##0" + ("." + "0" * min(places, 10) if places else "")


def set_cell(cell: Cell, value: Any) -> None:
    """Store one value with its real type; a string is always a string, never a formula."""
    if value is None:
        cell.value = None
    elif isinstance(value, bool):
        cell.value = "是" if value else "否"
    elif isinstance(value, Decimal):
        cell.value = value
        cell.number_format = _decimal_format(value)
    elif isinstance(value, int) or (isinstance(value, float) and math.isfinite(value)):
        cell.value = value
    elif isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value).replace(tzinfo=None)  # Excel has no time zones
        cell.value = value
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, dt.date):
        cell.value = value
        cell.number_format = DATE_FORMAT
    else:
        text = _text(str(value))
        cell.value = text
        # Set after the value: openpyxl makes "=…" a formula and "#N/A" an error on assignment.
        cell.data_type = "s"
        if text.startswith(FORMULA_START):
            cell.quotePrefix = True


def _display_width(value: Any) -> float:
    if value is None:
        return 0
    if isinstance(value, dt.datetime):
        return 18
    if isinstance(value, dt.date):
        return 12
    text = str(value)
    longest = max(text.splitlines() or [""], key=len)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in longest)


def _write_sheet(ws: Worksheet, sheet: Sheet) -> None:
    """Write one sheet into a write-only worksheet (openpyxl streams it: a 5,000-row ledger does
    not keep 50,000 cell objects). Column sizes must be known before the first row, so they come
    from the headers and a sample of the rows."""
    ws.title = _text(re.sub(r"[\\/*?:\[\]]", " ", sheet.title)).strip(" '")[:31] or "Sheet"
    rows = [list(values) for values in sheet.rows]
    ncols = max([len(sheet.headers), 1, *(len(r) for r in rows[:WIDTH_SAMPLE_ROWS])])
    widths = [_display_width(h) for h in sheet.headers] + [0] * (ncols - len(sheet.headers))
    for values in rows[:WIDTH_SAMPLE_ROWS]:
        for col, value in enumerate(values[:ncols]):
            widths[col] = max(widths[col], _display_width(value))
    for col, auto in enumerate(widths, 1):
        given = sheet.widths[col - 1] if col <= len(sheet.widths) else None
        width = given if given is not None else min(max(auto + 2, MIN_WIDTH), MAX_WIDTH)
        ws.column_dimensions[get_column_letter(col)].width = width

    def cell(value: Any, *, font: Font | None = None, fill: PatternFill | None = None) -> Cell:
        written = WriteOnlyCell(ws)
        set_cell(written, value)
        if font is not None:
            written.font = font
        if fill is not None:
            written.fill = fill
        if isinstance(value, str) and "\n" in value:
            written.alignment = WRAP
        return written

    # Everything about the sheet is set before the first row: the first append starts the stream.
    header_row = 2 if sheet.title_row else 1
    ws.freeze_panes = f"A{header_row + 1}"
    if sheet.title_row:
        if ncols > 1:
            ws.merged_cells.add(f"A1:{get_column_letter(ncols)}1")
        ws.append([cell(sheet.title_row, font=TITLE_FONT)])
    ws.append([cell(h, font=HEADER_FONT, fill=HEADER_FILL) for h in sheet.headers])
    for values in rows:
        ws.append([cell(value) for value in values])
    if sheet.notes:
        ws.append([])
        for note in sheet.notes:
            ws.append([cell(note)])


def workbook_bytes(*sheets: Sheet) -> bytes:
    """The .xlsx file with one worksheet per Sheet, in order."""
    if not sheets:
        raise ValueError("a workbook needs at least one sheet")
    wb = Workbook(write_only=True)
    for sheet in sheets:
        _write_sheet(wb.create_sheet(), sheet)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def attachment_header(filename: str) -> str:
    """Content-Disposition for a download named `filename` (Chinese allowed): RFC 6266 with an
    RFC 5987 UTF-8 ``filename*`` and a plain ASCII ``filename`` for old clients."""
    stem, dot, ext = filename.rpartition(".")
    if not dot:
        stem, ext = filename, ""
    fallback = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-.") or "download"
    if ext:
        fallback += "." + re.sub(r"[^A-Za-z0-9]+", "", ext)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def workbook_response(filename: str, *sheets: Sheet) -> HttpResponse:
    """A download of the workbook. Never cached: exports hold people's data."""
    response = HttpResponse(workbook_bytes(*sheets), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = attachment_header(filename)
    response["Cache-Control"] = "no-store"
    return response
