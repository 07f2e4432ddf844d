"""统计表: member units × indicators as a live spreadsheet (counts, rate formulas,
group total, targets with conditional formatting, print set-up, form footer).

Every rate is a formula over the count cells, so a corrected count recomputes its
rate and the 合计 row.  The total's rate is the rate of summed counts over the units
that reported all of the indicator's counts, like ``compute.pooled_value``.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.formatting.rule import Rule
from openpyxl.styles import Font, PatternFill
from openpyxl.styles.differential import DifferentialStyle
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from generators.core.dates import format_date
from generators.core.errors import InputError
from generators.core.output import atomic_path
from generators.indicators.compute import NO_VALUE, PLACES
from generators.indicators.dictionary import UNIT_MULTIPLIER, Indicator, IndicatorDictionary
from generators.indicators.targets import Target, check_unit, format_target
from generators.sheets.stat_yoy import add_yoy_sheet
from generators.sheets.xlsx_print import page_columns, print_scale, set_up_a4
from generators.sheets.xlsx_safe import (
    BODY,
    BOLD,
    LEFT,
    RIGHT,
    TITLE_FONT,
    SheetWriter,
    cell_ref,
    column_span,
    display_width,
    row_runs,
    workbook_bytes,
)

SHEET_TITLE = "统计表"
TITLE_ROW, INFO_ROW, DOMAIN_ROW, NAME_ROW, COUNT_ROW, TARGET_ROW = 1, 2, 3, 4, 5, 6
FIRST_DATA_ROW = 7
COUNT_FORMAT = "#,##0"
RATE_FORMATS = {"%": '0.00"%"', "‰": '0.00"‰"', "/10万": '0.00"/10万"'}
# Judged like compute.attainment: the rate rounded to PLACES against the target; the
# formula colours the side that does NOT meet the target.
_MISSED = {">=": "<", ">": "<=", "<=": ">", "<": ">=", "==": "<>"}

_MISSED_STYLE = DifferentialStyle(
    font=Font(color="9C0006", bold=True), fill=PatternFill("solid", start_color="FFC7CE", end_color="FFC7CE")
)
UNIT_COL_WIDTH = (10.0, 28.0)
COUNT_COL_WIDTH = 10.0
RATE_COL_WIDTH = 10.0


@dataclass(frozen=True)
class Block:
    """One indicator's columns: its distinct counts (numerator first), then the rate."""

    indicator: Indicator
    count_cols: dict[str, int]
    rate_col: int

    @property
    def first_col(self) -> int:
        return min(self.count_cols.values())


def layout(indicators: Sequence[Indicator]) -> list[Block]:
    """Column blocks from column B. A count that is both numerator and part of the
    denominator (废证数 in 废证率) has one column, used in both places."""
    blocks, col = [], 2
    for ind in indicators:
        cols = {code: col + k for k, code in enumerate(ind.counts)}
        col += len(cols)
        blocks.append(Block(ind, cols, col))
        col += 1
    return blocks


def unit_rate_formula(block: Block, row: int) -> str:
    """=IF(OR(COUNT(B7,C7)<2,C7=0),"—",B7/C7*100): no value unless every count is a number."""
    ind = block.indicator
    cells = [cell_ref(c, row) for c in block.count_cols.values()]
    den = "+".join(cell_ref(block.count_cols[c], row) for c in ind.denominator)
    den = f"({den})" if len(ind.denominator) > 1 else den
    num = cell_ref(block.count_cols[ind.numerator], row)
    test = f"OR(COUNT({','.join(cells)})<{len(cells)},{den}=0)"
    return f'=IF({test},"{NO_VALUE}",{num}/{den}*{ind.multiplier})'


def total_rate_formula(block: Block, first: int, last: int) -> str:
    """Pooled rate: SUMPRODUCT over the units whose counts are all numbers."""
    ind = block.indicator
    mask = "*".join(f"ISNUMBER({column_span(c, first, last)})" for c in block.count_cols.values())
    mask = mask if len(block.count_cols) > 1 else f"{mask}*1"  # booleans alone sum to 0

    def total(code: str) -> str:
        return f"SUMPRODUCT({mask},{column_span(block.count_cols[code], first, last)})"

    den = "+".join(total(c) for c in ind.denominator)
    den = f"({den})" if len(ind.denominator) > 1 else den
    return f'=IF({den}=0,"{NO_VALUE}",{total(ind.numerator)}/{den}*{ind.multiplier})'


def missed_formula(target: Target, col: int, row: int) -> str:
    """Conditional-format test for the cell at (col, row): a number that misses the target."""
    ref = cell_ref(col, row, absolute_col=True)
    value = format(target.value, "f")
    rounded = f"ROUND({ref},{PLACES})"
    # IF, not AND: AND evaluates ROUND("—") too and yields #VALUE! instead of FALSE.
    if target.upper is not None:  # a range: below its floor or above its ceiling
        return f"IF(ISNUMBER({ref}),OR({rounded}<{value},{rounded}>{format(target.upper, 'f')}),FALSE)"
    return f"IF(ISNUMBER({ref}),{rounded}{_MISSED[target.comparator]}{value},FALSE)"


def _key(target: Target | None) -> tuple[str, object, object] | None:
    return None if target is None else (target.comparator, target.value, target.upper)


def _group_target(code: str, units: Sequence[str], targets: Mapping[str, Mapping[str, Target]]) -> Target | None:
    """Without explicit group targets: the target most units (over half) are held to,
    since per-unit targets are the exceptions to the group's."""
    found = [t for u in units if (t := targets.get(u, {}).get(code)) is not None]
    tally = Counter(_key(t) for t in found)
    if not tally:
        return None
    key, n = tally.most_common(1)[0]
    return next(t for t in found if _key(t) == key) if 2 * n > len(units) else None


def _target_text(group: Target | None, per_unit: dict[str, Target | None]) -> str:
    lines = [format_target(group) if group else "无"]
    lines += [f"{u}：{format_target(t) if t else '无'}" for u, t in per_unit.items() if _key(t) != _key(group)]
    return "\n".join(lines)


def _check(
    units: Sequence[str],
    indicators: Sequence[Indicator],
    dictionary: IndicatorDictionary,
    counts: Mapping[str, Mapping[str, int | None]],
    targets: Mapping[str, Mapping[str, Target]],
    group_targets: Mapping[str, Target] | None,
) -> None:
    if not units:
        raise InputError("统计表没有成员单位")
    if not indicators:
        raise InputError("统计表没有指标")
    seen: set[str] = set()
    for unit in units:
        if unit in seen:
            raise InputError(f"成员单位“{unit}”重复出现")
        seen.add(unit)
    for ind in indicators:
        for code in ind.counts:
            if code not in dictionary.counts:
                raise InputError(f"指标“{ind.name}”用到的计数“{code}”不在指标字典中")
            for unit in units:
                value = counts.get(unit, {}).get(code)
                if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
                    raise InputError(f"单位“{unit}”的“{dictionary.counts[code].name}”应为整数，实际是“{value}”")
    for unit, by_code in [*targets.items(), ("合计", group_targets or {})]:
        for ind in indicators:
            if ind.code in by_code:
                check_unit(by_code[ind.code], ind, where=f"单位“{unit}”")


def write_stat_table(
    target: Path,
    *,
    title: str,
    period_label: str,
    units: Sequence[str],
    indicators: Sequence[Indicator],
    counts: Mapping[str, Mapping[str, int | None]],
    targets: Mapping[str, Mapping[str, Target]],
    dictionary: IndicatorDictionary,
    reporter: str,
    report_date: datetime.date,
    group_targets: Mapping[str, Target] | None = None,
    preparer: str = "",
    last_year: Mapping[str, Mapping[str, int | None]] | None = None,
) -> Path:
    """Write the table to ``target`` (XLSX) and return it.

    ``reporter`` is the reporting body (填报单位), ``preparer`` the person who drew the
    table up (填表人, a blank to sign on when empty).  ``counts``: unit → count code →
    value (None or absent = not reported) for the period the table covers;
    ``targets``: unit → indicator code → target (the unit's override included, as
    ``target_book.unit_targets`` gives); ``group_targets``: what the 合计 row is judged
    against, by default the target most units are held to; ``last_year``: the counts of
    the same quarter of the previous year, for a 同比 sheet (none without them).
    """
    _check(units, indicators, dictionary, counts, targets, group_targets)
    blocks = layout(indicators)
    last_col = blocks[-1].rate_col
    first, last = FIRST_DATA_ROW, FIRST_DATA_ROW + len(units) - 1
    total_row = last + 1
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_TITLE
    unit_width = max(display_width(u) for u in [*units, "合计"]) + 2
    widths = {1: min(max(unit_width, UNIT_COL_WIDTH[0]), UNIT_COL_WIDTH[1])}
    for b in blocks:
        widths.update(dict.fromkeys(b.count_cols.values(), COUNT_COL_WIDTH))
        widths[b.rate_col] = RATE_COL_WIDTH
    sheet = SheetWriter(ws, widths)
    put = sheet.put
    # A4 pages of whole indicators; what spans the table spans the first page only.
    scale = print_scale(min(f.size for f in (BODY, BOLD, TITLE_FONT)))
    pages = page_columns(widths, [(b.first_col, b.rate_col) for b in blocks], scale)
    page_starts = {first for first, _ in pages[1:]}
    wide = pages[0][1]

    put(TITLE_ROW, 1, title, to_col=wide, font=TITLE_FONT, border=False, line_pt=24)
    half = max(1, wide // 2)
    # Column A alone: it is printed again on every page, whole (a merge would show a slice).
    put(INFO_ROW, 1, f"填报单位：{reporter}", align=LEFT, border=False)
    put(INFO_ROW, half + 1, f"统计期间：{period_label}", to_col=wide, align=RIGHT, border=False)

    put(DOMAIN_ROW, 1, "单位", to_row=COUNT_ROW, font=BOLD)
    put(TARGET_ROW, 1, "目标值", font=BOLD)
    start = 0
    for k in range(1, len(blocks) + 1):  # a domain is merged over consecutive indicators
        if (
            k == len(blocks)
            or blocks[k].indicator.domain != blocks[start].indicator.domain
            or blocks[k].first_col in page_starts  # named again on the next page
        ):
            domain = blocks[start].indicator.domain or "其他"
            put(DOMAIN_ROW, blocks[start].first_col, domain, to_col=blocks[k - 1].rate_col, font=BOLD)
            start = k

    judged: dict[int, dict[int, Target | None]] = {}  # rate column → row → target
    for b in blocks:
        ind = b.indicator
        put(NAME_ROW, b.first_col, ind.name, to_col=b.rate_col, font=BOLD)
        for code, col in b.count_cols.items():
            put(COUNT_ROW, col, dictionary.counts[code].name, font=BOLD)
        put(COUNT_ROW, b.rate_col, f"率（{ind.unit}）", font=BOLD)
        if group_targets is not None:
            group = group_targets.get(ind.code)
        else:
            group = _group_target(ind.code, units, targets)
        per_unit = {u: targets.get(u, {}).get(ind.code) for u in units}
        put(TARGET_ROW, b.first_col, _target_text(group, per_unit), to_col=b.rate_col, font=BOLD)
        judged[b.rate_col] = {row: per_unit[u] for row, u in enumerate(units, start=first)} | {total_row: group}

    for row, unit in enumerate(units, start=first):
        put(row, 1, unit, align=LEFT)
        for b in blocks:
            for code, col in b.count_cols.items():
                sheet.number(row, col, counts.get(unit, {}).get(code), COUNT_FORMAT)
            sheet.number(row, b.rate_col, unit_rate_formula(b, row), RATE_FORMATS[b.indicator.unit])
    put(total_row, 1, "合计", font=BOLD)
    for b in blocks:
        for col in b.count_cols.values():
            span = column_span(col, first, last)
            sheet.number(total_row, col, f'=IF(COUNT({span})=0,"",SUM({span}))', COUNT_FORMAT, BOLD)
        formula = total_rate_formula(b, first, last)
        sheet.number(total_row, b.rate_col, formula, RATE_FORMATS[b.indicator.unit], BOLD)
        _colour_missed(ws, b.rate_col, judged[b.rate_col])

    row = total_row + 2
    blank = "＿＿＿＿＿＿"
    signature = f"单位负责人：{blank}　　　　填表人：{preparer or blank}　　　　报出日期：{format_date(report_date)}"
    put(row, 2, signature, to_col=max(wide, 2), align=LEFT, border=False)  # not in the repeated column
    any_target = any(t for rows in judged.values() for t in rows.values())
    for note in _notes(indicators, dictionary, any_target):
        row += 1
        put(row, 2, note, to_col=max(wide, 2), align=LEFT, border=False)
    sheet.finish()
    _print_setup(ws, last_col, row, pages, scale)
    if last_year is not None:
        add_yoy_sheet(wb, main_sheet=SHEET_TITLE, title=title, units=units, first_row=first, last_year=last_year,
                      rate_cells=[(b.indicator, b.rate_col) for b in blocks], unit_width=widths[1])  # fmt: skip
    data = workbook_bytes(wb, created=report_date, creator=reporter, title=title)
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
    return target


def _print_setup(ws: Worksheet, last_col: int, last_row: int, pages: list[tuple[int, int]], scale: int) -> None:
    ws.freeze_panes = ws.cell(FIRST_DATA_ROW, 2).coordinate
    ws.print_area = f"A1:{get_column_letter(last_col)}{last_row}"
    # The header rows and the unit column on every page; the title on the first.
    set_up_a4(ws, pages, scale, title_rows=f"{DOMAIN_ROW}:{TARGET_ROW}")
    ws.print_options.horizontalCentered = True
    m = ws.page_margins
    m.top, m.bottom, m.header, m.footer = 0.6, 0.7, 0.3, 0.3
    ws.oddFooter.center.text = "第 &P 页 共 &N 页"
    ws.oddFooter.center.size = 10  # scaled with the sheet: 8 pt on paper


def _colour_missed(ws: Worksheet, col: int, judged: dict[int, Target | None]) -> None:
    """One rule per distinct target, over the rows judged against it; the formula is
    written for the rule's top-left cell, as both Excel and Calc expect."""
    by_key: dict[tuple[str, object, object], tuple[Target, list[int]]] = {}
    for row, target in sorted(judged.items()):
        key = _key(target)
        if target is not None and key is not None:
            by_key.setdefault(key, (target, []))[1].append(row)
    for target, rows in by_key.values():
        sqref = " ".join(column_span(col, a, b) if a != b else cell_ref(col, a) for a, b in row_runs(rows))
        rule = Rule(type="expression", dxf=_MISSED_STYLE, formula=[missed_formula(target, col, rows[0])])
        ws.conditional_formatting.add(sqref, rule)


def _notes(indicators: Sequence[Indicator], dictionary: IndicatorDictionary, judged: bool) -> list[str]:
    others = [u for u in ("‰", "/10万") if any(i.unit == u for i in indicators)]
    extra = "，".join(f"单位为 {u} 的 ×{UNIT_MULTIPLIER[u]}" for u in others)
    notes = [
        f"注：1. 率 = 分子 ÷ 分母 × 100%{f'（{extra}）' if extra else ''}；合计行按各单位分子、分母之和计算，"
        "不是各单位率的平均；某项计数未填报的单位不计入该指标合计行的率。",
        "2. 空白表示未填报；“—”表示分母为 0 或数据不全，不计算率。",
    ]
    for ind in indicators:
        if len(ind.denominator) > 1:
            parts = "与".join(dictionary.counts[c].name for c in ind.denominator)
            notes.append(f"{len(notes) + 1}. {ind.name}的分母为{parts}之和。")
    if judged:
        notes.append(
            f"{len(notes) + 1}. 红色底纹表示未达到目标值（率保留两位小数后与目标值比较）；"
            "“目标值”行先列集团目标，另有目标的单位随后列出。"
        )
    return notes
