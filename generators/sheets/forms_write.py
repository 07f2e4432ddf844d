"""Blank XLSX fill-in forms (数据填报表) for one quarter: one row per member unit,
one column per count, with input checks so offices send back clean whole numbers."""

from __future__ import annotations

import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from generators.core.output import atomic_path
from generators.indicators.dictionary import Count
from generators.indicators.period import Period
from generators.indicators.units import Unit
from generators.sheets.xlsx_print import page_columns, print_scale, set_up_a4
from generators.sheets.xlsx_safe import display_width, safe_text, workbook_bytes, wrapped_lines

# Layout shared with the reader (forms_read): it checks the same cells.
PERIOD_ROW = 2
PERIOD_CELL = "B2"
NAME_ROW = 3  # count names
MEASURE_ROW = 4  # 人, 例, 个 …
FIRST_DATA_ROW = 5
FIRST_COUNT_COL = 2  # column A holds the unit names
UNIT_HEADER = "单位名称"
INSTRUCTIONS_SHEET = "填表说明"

COUNT_WIDTH = 13.0
SMALLEST_PT = 10.0  # the smallest font the forms use (header cells, measures)
_LINE_PT = 14.5  # one wrapped line of 11 pt 宋体
_FONT = "宋体"
_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="FFD9D9D9")
_INPUT_FILL = PatternFill("solid", fgColor="FFFFF2CC")
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
_AGGREGATION = {"flow": "时期数（本季度发生数）", "stock": "时点数（季末数）"}


def due_date(period: Period) -> datetime.date:
    """Forms are due on the 10th of the month after the quarter."""
    month = period.quarter * 3 + 1
    return datetime.date(period.year + month // 13, (month - 1) % 12 + 1, 10)


def form_title(group: str, period: Period) -> str:
    return f"{group}{period.long_label}妇幼保健工作数据填报表"


def write_blank_form(target: Path, period: Period, units: list[Unit], counts: list[Count], *, group: str) -> Path:
    """Write the quarter's fill-in form to ``target``; equal input gives equal bytes."""
    if not counts:
        raise ValueError("a fill-in form needs at least one count")
    wb = Workbook()
    _data_sheet(wb.active, period, units, counts, group)
    _instructions(wb.create_sheet(INSTRUCTIONS_SHEET), period, counts)
    first_day = datetime.date(period.year, period.quarter * 3 - 2, 1)
    data = workbook_bytes(wb, created=first_day, creator=group, title=form_title(group, period))
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
    return Path(target)


def _text(ws: Worksheet, coord: str, value: object, *, font: Font | None = None, align: Alignment = _CENTER) -> None:
    cell = safe_text(ws[coord], value)
    cell.font = font or Font(name=_FONT, size=11)
    cell.alignment = align


def _data_sheet(ws: Worksheet, period: Period, units: list[Unit], counts: list[Count], group: str) -> None:
    ws.title = str(period)
    last_col = get_column_letter(FIRST_COUNT_COL + len(counts) - 1)
    last_row = FIRST_DATA_ROW + len(units) - 1
    widest = max([display_width(UNIT_HEADER), *(display_width(u.name) for u in units)])
    widths = {1: widest + 4.0} | {FIRST_COUNT_COL + i: COUNT_WIDTH for i in range(len(counts))}
    scale = print_scale(SMALLEST_PT)
    pages = page_columns(widths, [(c, c) for c in range(FIRST_COUNT_COL, FIRST_COUNT_COL + len(counts))], scale)
    first_page = get_column_letter(pages[0][1])
    # Centred over the first screenful, not over all columns (it would sit off-screen).
    ws.merge_cells(f"A1:{get_column_letter(min(FIRST_COUNT_COL + len(counts) - 1, 8))}1")
    _text(ws, "A1", form_title(group, period), font=Font(name="黑体", size=14))
    ws.row_dimensions[1].height = 30

    _text(ws, f"A{PERIOD_ROW}", "统计期间", font=Font(name=_FONT, size=11, bold=True))
    _text(ws, PERIOD_CELL, str(period), font=Font(name=_FONT, size=11, bold=True))
    due = due_date(period)
    remark = f"请勿修改期间和表头；只填整数，未报留空；请于{due.year}年{due.month}月{due.day}日前报送。详见“填表说明”。"
    if pages[0][1] > FIRST_COUNT_COL:  # over the first printed page only: a merge across pages is cut
        ws.merge_cells(f"C{PERIOD_ROW}:{first_page}{PERIOD_ROW}")
        _text(ws, f"C{PERIOD_ROW}", remark, align=_LEFT)
    ws.row_dimensions[PERIOD_ROW].height = 30

    ws.merge_cells(f"A{NAME_ROW}:A{MEASURE_ROW}")
    header_font = Font(name=_FONT, size=10, bold=True)
    for coord in (f"A{NAME_ROW}", f"A{MEASURE_ROW}"):
        ws[coord].border, ws[coord].fill = _BORDER, _HEADER_FILL
    _text(ws, f"A{NAME_ROW}", UNIT_HEADER, font=header_font)
    lines = 1
    for i, count in enumerate(counts):
        col = get_column_letter(FIRST_COUNT_COL + i)
        _text(ws, f"{col}{NAME_ROW}", count.name, font=header_font)
        _text(ws, f"{col}{MEASURE_ROW}", count.measure, font=Font(name=_FONT, size=10))
        for row in (NAME_ROW, MEASURE_ROW):
            ws[f"{col}{row}"].border, ws[f"{col}{row}"].fill = _BORDER, _HEADER_FILL
        ws.column_dimensions[col].width = COUNT_WIDTH
        lines = max(lines, wrapped_lines(count.name, COUNT_WIDTH))
    ws.row_dimensions[NAME_ROW].height = 14.5 * lines + 4

    for r, unit in enumerate(units, start=FIRST_DATA_ROW):
        _text(ws, f"A{r}", unit.name, align=_LEFT)
        ws[f"A{r}"].border = _BORDER
        for i in range(len(counts)):
            cell = ws.cell(row=r, column=FIRST_COUNT_COL + i)
            cell.protection = Protection(locked=False)
            cell.border, cell.fill, cell.number_format = _BORDER, _INPUT_FILL, "0"
    ws.column_dimensions["A"].width = widths[1]

    if units and counts:
        check = DataValidation(
            type="whole",
            operator="greaterThanOrEqual",
            formula1="0",
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="stop",
            errorTitle="只能填写整数",
            error="请填写不小于 0 的整数；未报请留空，不要填写小数、文字或公式。",
            showInputMessage=True,
            promptTitle="填写说明",
            prompt="填写不小于 0 的整数；未报留空。",
        )
        check.add(f"{get_column_letter(FIRST_COUNT_COL)}{FIRST_DATA_ROW}:{last_col}{last_row}")
        ws.add_data_validation(check)
    ws.freeze_panes = f"{get_column_letter(FIRST_COUNT_COL)}{FIRST_DATA_ROW}"
    _protect(ws)
    set_up_a4(ws, pages, scale, title_rows=f"{NAME_ROW}:{MEASURE_ROW}")


def _protect(ws: Worksheet) -> None:
    # No password: protection guards against slips, not against the office itself.
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False


def _instructions(ws: Worksheet, period: Period, counts: list[Count]) -> None:
    due = due_date(period)
    rules = [
        f"1. 本表统计期间为{period.long_label}（{period}），请勿修改数据表中的“统计期间”单元格和表头。",
        "2. 每个成员单位填写一行，单位名称已预先填好，请勿修改、增删或调换。",
        "3. 各栏只填不小于 0 的整数，不要填写小数、百分比、文字或单位；不要使用公式。",
        "4. 空白单元格表示“未报”；实际为 0 的，请填 0。",
        "5. 分子不能大于分母（如新生儿访视人数不能大于活产数），请填后自查。",
        f"6. 请于{due.year}年{due.month}月{due.day}日前将本表报送集团办公室。",
        "7. 时期数填本季度（3个月）内发生的数；时点数填本季度末的数（如7岁以下儿童数），不要把各季度相加。",
    ]
    widths = {"A": 6, "B": 32, "C": 10, "D": 22, "E": 40}
    for col, width in widths.items():
        ws.column_dimensions[col].width = width
    ws.merge_cells("A1:E1")
    _text(ws, "A1", "填表说明", font=Font(name="黑体", size=16))
    for r, rule in enumerate(rules, start=2):
        ws.merge_cells(f"A{r}:E{r}")
        _text(ws, f"A{r}", rule, align=_LEFT)
        ws.row_dimensions[r].height = 20
    head = len(rules) + 3
    for col, title in zip("ABCDE", ("序号", "计数名称", "计量单位", "统计口径", "说明"), strict=True):
        _text(ws, f"{col}{head}", title, font=Font(name=_FONT, size=11, bold=True))
        ws[f"{col}{head}"].border, ws[f"{col}{head}"].fill = _BORDER, _HEADER_FILL
    for r, count in enumerate(counts, start=head + 1):
        row = (str(r - head), count.name, count.measure, _AGGREGATION[count.aggregation], count.note or "")
        for col, value in zip("ABCDE", row, strict=True):
            _text(ws, f"{col}{r}", value, align=_CENTER if col in "AC" else _LEFT)
            ws[f"{col}{r}"].border = _BORDER
        # Wrapped text gets the lines it needs (a row left at one line cuts the rest off).
        lines = max(wrapped_lines(str(v), widths[c]) for c, v in zip("ABCDE", row, strict=True))
        ws.row_dimensions[r].height = _LINE_PT * lines + 4
    ws.freeze_panes = f"A{head + 1}"
    # A4 landscape at the forms' scale: the five columns fit one page's width.
    ws.page_setup.paperSize, ws.page_setup.orientation = ws.PAPERSIZE_A4, "landscape"
    ws.page_setup.scale = print_scale(SMALLEST_PT)
    ws.print_title_rows = f"{head}:{head}"
    _protect(ws)
