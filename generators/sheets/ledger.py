"""The 整改台账 (rectification ledger): each quarter's shortfalls as an XLSX the units
fill in (measure, status), read back with the next quarter so that closed items leave
its 通报's problem list and open ones are carried forward.

In: the quarter, its shortfalls, the previous ledger's items.  Out: the ledger file;
``read_ledger`` gives its items back (errors name the cell).
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, replace
from pathlib import Path

from openpyxl import Workbook, load_workbook

from generators.core import deps
from generators.core.errors import InputError
from generators.core.output import atomic_path
from generators.core.safefile import read_bounded
from generators.indicators.period import Period
from generators.sheets.forms_read import check_xlsx
from generators.sheets.xlsx_safe import BODY, BOLD, BORDER, CENTRE, LEFT, TITLE_FONT, safe_text, workbook_bytes

SHEET = "整改台账"
COLUMNS = ("序号", "单位", "指标", "完成值", "目标", "发现季度", "整改期限", "整改措施", "整改状态", "备注")
WIDTHS = (6, 20, 22, 10, 14, 10, 12, 30, 10, 16)
OPEN, DOING, CLOSED = "未整改", "整改中", "已整改"
STATES = (OPEN, DOING, CLOSED)
HEADER_ROW = 3
MAX_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class LedgerItem:
    unit: str
    indicator: str  # the indicator's name, as the 通报 prints it
    value: str
    target: str
    found: str  # the quarter it was found in, 2012Q1
    deadline: str
    status: str = OPEN
    measure: str = ""
    remark: str = ""

    @property
    def key(self) -> tuple[str, str]:
        return (self.unit, self.indicator)

    @property
    def closed(self) -> bool:
        return self.status == CLOSED


def deadline_for(period: Period) -> str:
    """The next quarter's end: rectified by the next supervision."""
    nxt = period.next
    month = nxt.quarter * 3
    last = (datetime.date(nxt.year + month // 12, month % 12 + 1, 1) - datetime.timedelta(days=1)).day
    return f"{nxt.year}年{month}月{last}日"


def ledger_items(period: Period, shortfalls: list[LedgerItem], previous: list[LedgerItem]) -> list[LedgerItem]:
    """This quarter's ledger: the previous ledger's open items first (still open, their
    values brought up to date when the indicator is still short), then the new ones."""
    now = {item.key: item for item in shortfalls}
    carried = [
        replace(item, value=now[item.key].value, target=now[item.key].target) if item.key in now else item
        for item in previous
        if not item.closed
    ]
    seen = {item.key for item in carried}
    fresh = [replace(item, found=str(period)) for item in shortfalls if item.key not in seen]
    return carried + fresh


def write_ledger(target: Path, period: Period, group: str, items: list[LedgerItem]) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(COLUMNS))
    safe_text(ws.cell(1, 1), f"{group}{period.long_label}督导整改台账").font = TITLE_FONT
    ws.cell(1, 1).alignment = CENTRE
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(COLUMNS))
    note = (
        f"请各单位填写“整改措施”，整改完成后把“整改状态”改为“{CLOSED}”（可填：{'、'.join(STATES)}），"
        "下季度督导时随数据报送。"
    )
    safe_text(ws.cell(2, 1), note).font = BODY
    ws.cell(2, 1).alignment = LEFT
    ws.row_dimensions[2].height = 30
    for col, (name, width) in enumerate(zip(COLUMNS, WIDTHS, strict=True), 1):
        cell = safe_text(ws.cell(HEADER_ROW, col), name)
        cell.font, cell.alignment, cell.border = BOLD, CENTRE, BORDER
        ws.column_dimensions[cell.column_letter].width = width
    for n, item in enumerate(items, 1):
        values = (
            str(n), item.unit, item.indicator, item.value, item.target, item.found, item.deadline, item.measure,
            item.status, item.remark,
        )  # fmt: skip
        for col, value in enumerate(values, 1):
            cell = safe_text(ws.cell(HEADER_ROW + n, col), value)
            cell.font, cell.border = BODY, BORDER
            cell.alignment = LEFT if col in (2, 3, 8, 10) else CENTRE
    ws.freeze_panes = ws.cell(HEADER_ROW + 1, 1)
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    created = datetime.date(period.year, period.quarter * 3, 1)
    data = workbook_bytes(wb, created=created, creator=group, title=f"{period}整改台账")
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
    return Path(target)


def read_ledger(path: Path) -> list[LedgerItem]:
    """A ledger written by ``write_ledger`` and filled in by the units."""
    path = Path(path)
    deps.note(path)
    if path.suffix.lower() != ".xlsx":
        raise InputError("整改台账应为本工具生成的 .xlsx 文件", file=path)
    data = read_bounded(path, MAX_BYTES)
    check_xlsx(path, data)  # zip bombs, XML entities: refused before openpyxl reads it
    wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    if SHEET not in wb.sheetnames:
        raise InputError(f"没有名为“{SHEET}”的工作表：这不是本工具生成的整改台账", file=path)
    rows = list(wb[SHEET].iter_rows(min_row=HEADER_ROW, values_only=True))
    header = [str(v or "").strip() for v in (rows[0] if rows else ())]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise InputError(f"第 {HEADER_ROW} 行缺少列：{'、'.join(missing)}（这不是本工具生成的整改台账？）", file=path)
    at = {name: header.index(name) for name in COLUMNS}
    items = []
    for offset, row in enumerate(rows[1:], HEADER_ROW + 1):
        cells = {name: str(row[i]).strip() if i < len(row) and row[i] is not None else "" for name, i in at.items()}
        if not cells["单位"] and not cells["指标"]:
            continue
        status = cells["整改状态"] or OPEN
        if status not in STATES:
            column = chr(ord("A") + at["整改状态"])
            raise InputError(f"{column}{offset}：整改状态“{status}”应为 {'、'.join(STATES)} 之一", file=path)
        items.append(
            LedgerItem(
                cells["单位"],
                cells["指标"],
                cells["完成值"],
                cells["目标"],
                cells["发现季度"],
                cells["整改期限"],
                status,
                cells["整改措施"],
                cells["备注"],
            )
        )
    return items
