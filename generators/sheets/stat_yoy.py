"""The statistical table's 同比 sheet: each unit's rate this quarter (a formula on the
统计表 sheet's rate cell, so a corrected count carries through), the same quarter of
the previous year (a value: its counts are not in this workbook) and the difference.

In: the main sheet's layout and the previous year's counts of that quarter.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from openpyxl import Workbook

from generators.indicators import compute
from generators.indicators.compute import NO_VALUE, PLACES
from generators.indicators.dictionary import Indicator
from generators.sheets.xlsx_print import print_scale
from generators.sheets.xlsx_safe import BODY, BOLD, LEFT, TITLE_FONT, SheetWriter, cell_ref

SHEET = "同比"
HEAD_ROW, SUB_ROW, FIRST_ROW = 3, 4, 5


def add_yoy_sheet(
    wb: Workbook,
    *,
    main_sheet: str,
    title: str,
    units: Sequence[str],
    rate_cells: Sequence[tuple[Indicator, int]],  # (indicator, rate column on the main sheet)
    first_row: int,  # the main sheet's first unit row (the 合计 row follows the last)
    last_year: Mapping[str, Mapping[str, int | None]],
    unit_width: float,
) -> None:
    ws = wb.create_sheet(SHEET)
    widths = {1: unit_width} | {2 + k: 10.0 for k in range(3 * len(rate_cells))}
    sheet = SheetWriter(ws, widths)
    last_col = 1 + 3 * len(rate_cells)
    sheet.put(1, 1, f"{title}（同比）", to_col=min(last_col, 10), font=TITLE_FONT, border=False, line_pt=24)
    sheet.put(HEAD_ROW, 1, "单位", to_row=SUB_ROW, font=BOLD)
    rows = [*units, "合计"]
    for k, (ind, rate_col) in enumerate(rate_cells):
        col = 2 + 3 * k
        fmt = f'0.00"{ind.unit}"'
        sheet.put(HEAD_ROW, col, ind.name, to_col=col + 2, font=BOLD)
        for j, name in enumerate(("本季度", "上年同季度", "同比")):
            sheet.put(SUB_ROW, col + j, name, font=BOLD)
        before = {u: compute.indicator_value(ind, last_year.get(u, {})) for u in units}
        before["合计"] = compute.pooled_value(ind, [last_year.get(u, {}) for u in units])
        for r, unit in enumerate(rows):
            row, main_row = FIRST_ROW + r, first_row + r
            font = BOLD if unit == "合计" else BODY
            now, then = cell_ref(col, row), cell_ref(col + 1, row)
            sheet.number(row, col, f"='{main_sheet}'!{cell_ref(rate_col, main_row)}", fmt, font)
            value = before[unit].rounded
            sheet.number(row, col + 1, float(value) if value is not None else NO_VALUE, fmt, font)
            diff = f'=IF(AND(ISNUMBER({now}),ISNUMBER({then})),ROUND({now},{PLACES})-{then},"{NO_VALUE}")'
            sheet.number(row, col + 2, diff, "+0.00;-0.00;0.00", font)
    for r, unit in enumerate(rows):
        sheet.put(FIRST_ROW + r, 1, unit, align=LEFT, font=BOLD if unit == "合计" else BODY)
    note_row = FIRST_ROW + len(rows) + 1
    note = "注：同比 = 本季度率 − 上年同季度率（%为百分点）；上年同季度的率由上年数据计算，“—”表示无数据。"
    sheet.put(note_row, 2, note, to_col=max(min(last_col, 10), 2), align=LEFT, border=False)
    sheet.finish()
    ws.freeze_panes = ws.cell(FIRST_ROW, 2).coordinate
    ws.page_setup.paperSize, ws.page_setup.orientation = ws.PAPERSIZE_A4, "landscape"
    ws.page_setup.scale = print_scale(BODY.size)
    ws.print_title_rows = f"{HEAD_ROW}:{SUB_ROW}"
    ws.print_title_cols = "A:A"
