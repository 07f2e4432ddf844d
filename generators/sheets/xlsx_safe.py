"""Small XLSX helpers: text that can never become a formula, CJK-aware widths, shared
cell styles, and workbook bytes that depend only on the input (no clock, fixed zip
timestamps)."""

from __future__ import annotations

import datetime
import io
import math
import unicodedata
import zipfile

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from generators.core.output import normalised_zip

# A spreadsheet reads text starting with these as a formula (or DDE payload) when a
# user re-enters the cell or imports it as CSV: "=HYPERLINK(...)", "+cmd|…", "@SUM(…)".
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

_THIN = Side(style="thin")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
BODY = Font(name="宋体", size=10)
BOLD = Font(name="宋体", size=10, bold=True)
TITLE_FONT = Font(name="黑体", size=16)
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
RIGHT = Alignment(horizontal="right", vertical="center")
_LINE_PT = 13.5  # one wrapped line of 10 pt 宋体


def safe_text(cell: Cell, value: object) -> Cell:
    """Write ``value`` as plain text. openpyxl turns a str starting with "=" into a
    formula, so the type is forced to string; a risky first character also gets the
    quote prefix, so Excel and Calc keep it text if the cell is edited.  Characters XML
    cannot hold are dropped and CR becomes LF."""
    # XML turns a raw CR into LF on reading anyway; say so up front.
    raw = str(value)
    text = ILLEGAL_CHARACTERS_RE.sub("", raw).replace("\r\n", "\n").replace("\r", "\n")
    cell.value = text
    cell.data_type = "s"
    if raw.startswith(FORMULA_TRIGGERS):
        cell.quotePrefix = True
    return cell


def display_width(text: str) -> int:
    """Width in Latin character cells: CJK and full-width characters count 2."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def wrapped_lines(text: str, width: float) -> int:
    """Lines a wrapped cell of ``width`` column units needs for ``text`` (rough, for row heights)."""
    usable = max(width - 1.0, 1.0)  # cell padding
    return sum(max(1, math.ceil(display_width(part) / usable)) for part in text.split("\n"))


def cell_ref(col: int, row: int, absolute_col: bool = False) -> str:
    return f"{'$' if absolute_col else ''}{get_column_letter(col)}{row}"


def column_span(col: int, first: int, last: int) -> str:
    return f"{get_column_letter(col)}{first}:{get_column_letter(col)}{last}"


def row_runs(rows: list[int]) -> list[tuple[int, int]]:
    """Sorted rows → (first, last) of each run of consecutive rows."""
    runs: list[tuple[int, int]] = []
    for r in rows:
        runs = [*runs[:-1], (runs[-1][0], r)] if runs and r == runs[-1][1] + 1 else [*runs, (r, r)]
    return runs


def workbook_bytes(wb: Workbook, *, created: datetime.date, creator: str, title: str) -> bytes:
    """The XLSX package with properties taken from the input. ``openpyxl.save_workbook``
    stamps ``modified`` with the clock, so the writer is driven directly."""
    stamp = datetime.datetime.combine(created, datetime.time())
    props = wb.properties
    props.created = props.modified = stamp
    props.creator = props.lastModifiedBy = creator
    props.title = title
    buffer = io.BytesIO()
    archive = zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED)
    ExcelWriter(wb, archive).save()  # closes the archive
    return normalised_zip(buffer.getvalue())


class SheetWriter:
    """Cell writing with borders, merges and row heights that fit wrapped text."""

    def __init__(self, ws: Worksheet, widths: dict[int, float]) -> None:
        self.ws, self.widths = ws, widths
        self.heights: dict[int, float] = {}
        for col, width in widths.items():
            ws.column_dimensions[get_column_letter(col)].width = width

    def put(self, row: int, col: int, text: str, *, to_col: int = 0, to_row: int = 0, font: Font = BODY,
            align: Alignment = CENTRE, border: bool = True, line_pt: float = _LINE_PT) -> None:  # fmt: skip
        to_col, to_row = to_col or col, to_row or row
        if (to_col, to_row) != (col, row):
            self.ws.merge_cells(start_row=row, start_column=col, end_row=to_row, end_column=to_col)
        cell = safe_text(self.ws.cell(row, col), text)
        cell.font, cell.alignment = font, align
        if border:
            for r in range(row, to_row + 1):
                for c in range(col, to_col + 1):
                    self.ws.cell(r, c).border = BORDER
        if to_row == row:  # merged cells never auto-fit, so size the row here
            width = sum(self.widths.get(c, 9.0) for c in range(col, to_col + 1)) * _LINE_PT / line_pt
            lines = wrapped_lines(text, width) if align.wrap_text else 1
            self.heights[row] = max(self.heights.get(row, 0.0), lines * line_pt + 4)

    def number(self, row: int, col: int, value: object, fmt: str, font: Font = BODY) -> None:
        cell = self.ws.cell(row, col, value)
        cell.number_format, cell.border, cell.font, cell.alignment = fmt, BORDER, font, RIGHT

    def finish(self) -> None:
        for row, height in self.heights.items():
            self.ws.row_dimensions[row].height = height
