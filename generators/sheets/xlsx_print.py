"""Printing a wide sheet on A4: a fixed scale that keeps the smallest text at 8 pt or
more, columns packed into pages whole groups at a time, the unit column and the header
rows repeated on every page.

In: a worksheet, its column widths (character units), the groups of columns that must
stay on one page (an indicator's counts and rate), the smallest font size used.  Out:
the page set-up written into the sheet, and the column range of each page, so a title
or note can be merged over the first page only (a cell merged across pages is cut).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

MIN_PRINTED_PT = 8.0
A4_MM = (210.0, 297.0)
SIDE_MARGIN_IN = 0.5
LIBREOFFICE_MM_PER_UNIT = 2.469
_MM_PER_IN = 25.4


def column_mm(width: float) -> float:
    """Printed width at 100 % of a column of ``width`` character units, the wider of
    the two readers': Excel and WPS draw 7 px a unit plus 5 px at 96 dpi; LibreOffice
    measured 2.469 mm a unit (its stand-in for the workbook's default font is wider).
    Pages planned this wide never get an automatic break inside an indicator."""
    return max((width * 7 + 5) * _MM_PER_IN / 96, width * LIBREOFFICE_MM_PER_UNIT)


def print_scale(smallest_pt: float) -> int:
    """The smallest whole-percent scale that still prints ``smallest_pt`` at
    MIN_PRINTED_PT or more (10 pt text: 80 %); never enlarged."""
    return max(10, min(100, math.ceil(100 * MIN_PRINTED_PT / smallest_pt)))


def page_columns(
    widths: dict[int, float],
    groups: Sequence[tuple[int, int]],
    scale: int,
    *,
    landscape: bool = True,
    repeated: int = 1,
) -> list[tuple[int, int]]:
    """Pack ``groups`` (first, last column) into pages; each page also prints columns
    1..``repeated`` (the unit names).  Returns each page's (first, last) column, the
    first page starting at column 1."""
    paper = A4_MM[1] if landscape else A4_MM[0]
    usable = (paper - 2 * SIDE_MARGIN_IN * _MM_PER_IN) * 100 / scale
    fixed = sum(column_mm(widths.get(c, 8.43)) for c in range(1, repeated + 1))
    pages: list[tuple[int, int]] = []
    start, used = None, fixed
    for first, last in groups:
        width = sum(column_mm(widths.get(c, 8.43)) for c in range(first, last + 1))
        if start is not None and used + width > usable:
            pages.append((start, first - 1))
            start, used = None, fixed
        if start is None:
            start = first if pages else 1
        used += width
    if start is not None:
        pages.append((start, groups[-1][1]))
    return pages or [(1, repeated)]


def set_up_a4(
    ws: Worksheet,
    pages: list[tuple[int, int]],
    scale: int,
    *,
    title_rows: str,
    repeated: int = 1,
    landscape: bool = True,
) -> None:
    """A4 at ``scale`` %, a column break after every page but the last, ``title_rows``
    (e.g. "3:4") and the first ``repeated`` columns printed on every page."""
    ps = ws.page_setup
    ps.paperSize = ws.PAPERSIZE_A4
    ps.orientation = "landscape" if landscape else "portrait"
    ps.scale = scale
    ws.sheet_properties.pageSetUpPr.fitToPage = False
    ws.print_title_rows = title_rows
    ws.print_title_cols = f"A:{get_column_letter(repeated)}"
    ws.page_margins.left = ws.page_margins.right = SIDE_MARGIN_IN
    for _, last in pages[:-1]:
        ws.col_breaks.append(Break(id=last, max=1048575))
