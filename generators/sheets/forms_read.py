"""Read a quarter's results back from a filled-in XLSX form or a CSV file.

Nothing is guessed: a value that is not a whole number ≥ 0, a formula, a row for an
unknown or repeated unit, a missing or unknown column, or a numerator larger than its
denominator is an InputError naming the file and the cell (or CSV line and column).
Rows are checked as they stream in, so a huge sheet is refused without being held.
"""

from __future__ import annotations

import csv
import difflib
import io
import math
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Container, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Literal
from xml.etree.ElementTree import ParseError

import defusedxml
import defusedxml.ElementTree as defused_et
from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from generators.core import deps, notes
from generators.core.errors import InputError
from generators.core.safefile import read_bounded
from generators.indicators.dictionary import Count, Indicator, normalize_name
from generators.indicators.model import PeriodResults, bounded_pairs
from generators.indicators.period import Period, parse_period
from generators.indicators.units import Unit, find_unit
from generators.sheets.forms_write import FIRST_DATA_ROW, INSTRUCTIONS_SHEET, NAME_ROW, PERIOD_CELL, PERIOD_ROW

MAX_BYTES = 20 * 1024 * 1024
MAX_SHEETS = 20
MAX_ROWS = 10_000
MAX_COLS = 500
MAX_UNPACKED = 100 * 1024 * 1024  # a filled form is well under 1 MiB unpacked
MAX_RATIO = 100  # XML of a real form packs about 5–20 times
MAX_MEMBERS = 200
MAX_COUNT = 10**9
UNIT_HEADERS = ("单位", "单位名称")
# Rows a clerk adds under the units: skipped (with a note), never read as a unit.
TOTAL_ROWS = ("合计", "总计", "小计", "合计数", "总数", "全市", "全县", "全区", "全市合计", "全县合计", "全区合计")
MEASURES = ("人", "人次", "例", "个", "家", "所", "篇", "份", "张", "次", "户")

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d*)?")
_MEASURE_SUFFIX = re.compile(r"^(.+?)[（(]\s*([^（）()]{1,3})\s*[）)]$")  # 活产数（人）
_PERIOD_NOTE = re.compile(r"期间\s*[:：]\s*([^\s,，。；;（(]+)")


@dataclass(frozen=True, slots=True)
class _Loc:
    line: int | None  # CSV line; None for a spreadsheet cell
    where: str

    @property
    def text(self) -> str:
        return f"第 {self.line} 行{self.where}" if self.line is not None else self.where


Locate = Callable[[int], _Loc]  # 1-based column → where that cell of the current row is


def _error(message: str, file: Path, loc: _Loc) -> InputError:
    return InputError(message, file=file, line=loc.line, where=loc.where)


def read_results(
    path: Path,
    period: Period,
    units: list[Unit],
    counts: list[Count],
    indicators: list[Indicator],
    *,
    others: Literal["error", "note"] = "error",
) -> PeriodResults:
    """The quarter's counts per unit (in ``units`` order; a unit without a row is all None).
    ``others="note"``: a row for a unit not in ``units`` is skipped with a note (the
    previous year's results may name a unit that has since left), not refused."""
    path = Path(path)
    deps.note(path)
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise InputError(f"不支持的文件类型“{path.suffix or '（无扩展名）'}”：请用 .xlsx 填报表或 .csv 文件", file=path)
    if not path.exists() and not path.is_symlink():
        raise InputError("找不到该文件", file=path)
    try:
        data = read_bounded(path, MAX_BYTES)  # a regular file: never a FIFO or /dev/zero
    except InputError as exc:
        if "过大" in exc.message:
            raise InputError(f"文件超过 {MAX_BYTES // 1024 // 1024} MiB，不像季度数据表，拒绝读取", file=path) from None
        raise
    table = _Table(path, units, counts, skip_others=others == "note")
    (_read_xlsx if suffix == ".xlsx" else _read_csv)(path, data, period, table)
    return table.result(period, indicators)


# --- XLSX ----------------------------------------------------------------------


_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, zlib.error, NotImplementedError)


_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def _check_zip(path: Path, data: bytes | None = None) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Refuse a zip bomb before openpyxl inflates anything: the declared sizes bound
    what zipfile will decompress (it stops at, and verifies, each member's size).
    Then parse every XML part with defusedxml, with no DTD allowed: an external entity
    (XXE), an entity bomb or a truncated part is refused here, naming its sheet.
    Returns part name → sheet name, and each sheet part's merged ranges (openpyxl's
    read-only mode does not report them)."""
    source = io.BytesIO(data) if data is not None else path
    try:
        with zipfile.ZipFile(source) as zf:
            members = zf.infolist()
            _check_sizes(path, members)
            sheets = _sheet_parts(zf, path)
            merges: dict[str, list[str]] = {}
            for member in members:
                if member.filename.endswith((".xml", ".rels", ".vml")) or member.filename == "[Content_Types].xml":
                    root = _parse_part(zf, member, path, sheets)
                    if member.filename in sheets:
                        merges[member.filename] = [m.get("ref") or "" for m in root.iter(f"{_MAIN_NS}mergeCell")]
            return sheets, merges
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        OSError,
        ValueError,
        EOFError,
        zlib.error,
        NotImplementedError,
    ) as exc:
        raise InputError(f"无法打开：不是有效的 Excel（.xlsx）文件（{type(exc).__name__}）", file=path) from exc


def _check_sizes(path: Path, members: list[zipfile.ZipInfo]) -> None:
    if len(members) > MAX_MEMBERS:
        raise InputError(f"压缩包内有 {len(members)} 个部件（上限 {MAX_MEMBERS}），不像季度填报表", file=path)
    unpacked = sum(m.file_size for m in members)
    packed = sum(m.compress_size for m in members)
    if unpacked > MAX_UNPACKED or (unpacked > 1024 * 1024 and unpacked > MAX_RATIO * max(packed, 1)):
        raise InputError(
            f"解压后达 {unpacked // 1024 // 1024} MiB（压缩比 {unpacked // max(packed, 1)}），"
            f"超过上限（{MAX_UNPACKED // 1024 // 1024} MiB、{MAX_RATIO} 倍），疑为“压缩炸弹”，拒绝读取",
            file=path,
        )


def _part_label(name: str, sheets: dict[str, str]) -> str:
    return f"工作表“{sheets[name]}”（{name}）" if name in sheets else f"部件 {name}"


def _parse_part(zf: zipfile.ZipFile, member: zipfile.ZipInfo, path: Path, sheets: dict[str, str]) -> Any:
    label = _part_label(member.filename, sheets)
    try:
        return defused_et.fromstring(zf.read(member), forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except defusedxml.DTDForbidden:
        message = f"{label}含有 DTD 或实体声明（<!DOCTYPE>/<!ENTITY>，可用于读取本机文件或“实体炸弹”），拒绝读取"
        raise InputError(message, file=path) from None
    except defusedxml.DefusedXmlException as exc:
        raise InputError(f"{label}含有不允许的 XML 结构（{type(exc).__name__}），拒绝读取", file=path) from None
    except ParseError as exc:
        line, column = getattr(exc, "position", (None, None))
        at = f"（第 {line} 行第 {column} 列）" if line else ""
        raise InputError(f"{label}的 XML 已损坏或不完整{at}：请在 Excel 中打开后另存一份", file=path) from None


def _sheet_parts(zf: zipfile.ZipFile, path: Path) -> dict[str, str]:
    """xl/worksheets/sheetN.xml → the sheet's name, from workbook.xml and its rels
    (both parsed safely here; an unreadable one is reported by the full pass)."""
    try:
        book = defused_et.fromstring(zf.read("xl/workbook.xml"), forbid_dtd=True)
        rels = defused_et.fromstring(zf.read("xl/_rels/workbook.xml.rels"), forbid_dtd=True)
    except (KeyError, ParseError, defusedxml.DefusedXmlException):
        return {}
    targets = {r.get("Id"): (r.get("Target") or "") for r in rels}
    out = {}
    for sheet in book.iter("{http://schemas.openxmlformats.org/spreadsheetml/2006/main}sheet"):
        rid = sheet.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
        target = targets.get(rid, "")
        part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        out[part] = sheet.get("name") or part
    return out


def _read_xlsx(path: Path, data: bytes, period: Period, table: _Table) -> None:
    sheets, merges = _check_zip(path, data)
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise InputError(f"无法打开：不是有效的 Excel（.xlsx）文件（{type(exc).__name__}）", file=path) from exc
    except (SyntaxError, TypeError, AttributeError, IndexError, EOFError, zlib.error) as exc:
        raise InputError(f"无法打开：Excel 文件的内容已损坏（{type(exc).__name__}）", file=path) from exc
    title = "?"
    r = 0
    try:
        if len(wb.sheetnames) > MAX_SHEETS:
            raise InputError(f"工作表多达 {len(wb.sheetnames)} 个（上限 {MAX_SHEETS}），不像季度填报表", file=path)
        names = [n for n in wb.sheetnames if n != INSTRUCTIONS_SHEET]
        if not names:
            raise InputError("没有数据工作表", file=path)
        ws = wb[str(period)] if str(period) in wb.sheetnames else wb[names[0]]
        title = ws.title
        part = next((part for part, name in sheets.items() if name == title), None)
        _check_merges(merges.get(part or "", []), title, path)
        too_big = f"工作表“{title}”超过 {MAX_ROWS} 行或 {MAX_COLS} 列，拒绝读取"
        if (ws.max_row or 0) > MAX_ROWS or (ws.max_column or 0) > MAX_COLS:
            raise InputError(too_big, file=path)
        ws.reset_dimensions()  # a wrong <dimension> must not hide cells
        ours = True  # until row 2 says otherwise
        for r, row in enumerate(ws.iter_rows(), start=1):
            if r > MAX_ROWS or len(row) > MAX_COLS:
                raise InputError(too_big, file=path)

            def locate(k: int, r: int = r) -> _Loc:
                return _Loc(None, f"工作表“{title}”单元格 {get_column_letter(k)}{r}")

            values = [c.value for c in row]
            if r == PERIOD_ROW:
                ours = _is_period_label(values[0] if values else None)
                try:
                    _check_period(values[1] if len(values) > 1 else None, period, path, locate(2))
                except InputError:
                    if not ours:  # not the tool's form: say that, not "B2 is not a quarter"
                        raise _not_our_form(title, path) from None
                    raise
            elif r == NAME_ROW:
                if normalize_name(str(values[0] if values else "")) not in UNIT_HEADERS and not ours:
                    raise _not_our_form(title, path)
                table.header(values, locate, _Loc(None, f"工作表“{title}”第 {NAME_ROW} 行（表头）"))
            elif r >= FIRST_DATA_ROW:
                table.row(values, locate, {k for k, c in enumerate(row, start=1) if c.data_type == "f"})
    except InputError:
        raise
    except Exception as exc:  # openpyxl parsing a cell it cannot read (a count of "NaN", a bad style …)
        detail = _cell_problem(exc)
        cell = _failing_cell(exc)
        where = f"工作表“{title}”单元格 {cell}" if cell else f"工作表“{title}”第 {r + 1} 行或其后"
        raise InputError(f"{where}无法读取{detail}：请在 Excel 中检查，改正后另存", file=path) from None
    finally:
        wb.close()
    if r < PERIOD_ROW:
        _check_period(None, period, path, _Loc(None, f"工作表“{title}”单元格 {PERIOD_CELL}"))
    table.note_totals()
    if table.columns is None:
        raise InputError(f"工作表“{title}”第 {NAME_ROW} 行没有表头", file=path)


PERIOD_LABEL = "统计期间"


def _is_period_label(value: object) -> bool:
    return normalize_name(str(value or "")) in (PERIOD_LABEL, "期间", "统计期")


def _not_our_form(title: str, path: Path) -> InputError:
    message = (
        f"工作表“{title}”不是本工具生成的填报表（或表的前几行被改动）：本工具的填报表第 {PERIOD_ROW} 行是"
        f"“{PERIOD_LABEL}”和季度（如 2012Q1），第 {NAME_ROW} 行是“单位名称”和各计数名称，"
        f"第 {FIRST_DATA_ROW} 行起每个单位一行。请把数据抄到空白填报表（build 生成的 tianbao/*.xlsx）中，"
        "或另存为 CSV（第一行为“单位名称”和各计数名称）"
    )
    return InputError(message, file=path)


def _merge_bounds(ref: str) -> tuple[int, int, int, int] | None:
    m = re.fullmatch(r"([A-Z]{1,3})(\d+)(?::([A-Z]{1,3})(\d+))?", ref)
    if m is None:
        return None
    first_col, first_row = column_index_from_string(m[1]), int(m[2])
    last_col, last_row = (column_index_from_string(m[3]), int(m[4])) if m[3] else (first_col, first_row)
    return first_col, first_row, last_col, last_row


def _check_merges(refs: list[str], title: str, path: Path) -> None:
    """A merged cell keeps its value in the top-left cell only: the others would read as
    blank (未报) without a word.  The form's own merges (title, note, the unit header
    over two rows) are above the data and within one column of the header."""
    for ref in refs:
        bounds = _merge_bounds(ref)
        if bounds is None:
            continue
        first_col, first_row, last_col, last_row = bounds
        in_data = last_row >= FIRST_DATA_ROW
        across_header = first_row <= NAME_ROW <= last_row and first_col != last_col
        if in_data or across_header:
            top_left = f"{get_column_letter(first_col)}{first_row}"
            what = "每个单位、每个计数各填一格" if in_data else "每个计数的名称各占一格"
            message = (
                f"工作表“{title}”单元格 {ref} 是合并单元格：合并后只有 {top_left} 有值，"
                f"其余格子会被当作未填。请取消合并，{what}"
            )
            raise InputError(message, file=path, where=f"工作表“{title}”单元格 {ref}")


def _failing_cell(exc: Exception) -> str | None:
    """The cell openpyxl was parsing when it failed (its parser keeps the coordinate
    in a local variable), or None."""
    tb = exc.__traceback__
    found = None
    while tb is not None:
        coordinate = tb.tb_frame.f_locals.get("coordinate")
        if isinstance(coordinate, str) and re.fullmatch(r"[A-Z]{1,3}\d{1,7}", coordinate):
            found = coordinate
        tb = tb.tb_next
    return found


def _cell_problem(exc: Exception) -> str:
    text = str(exc)
    m = re.search(r"'([^']{0,40})'", text)
    if isinstance(exc, ValueError) and m:
        return f"（单元格的值“{m.group(1)}”不是有效的数字）"
    return f"（{type(exc).__name__}）"


def _check_period(value: object, period: Period, path: Path, loc: _Loc) -> None:
    found = parse_period(value, file=path, line=loc.line, where=loc.where or None)
    if found != period:
        raise _error(f"本表统计期间为 {found}，应为 {period}（{period.long_label}）", path, loc)


# --- CSV -----------------------------------------------------------------------


def _read_csv(path: Path, data: bytes, period: Period, table: _Table) -> None:
    for encoding in ("utf-8-sig", "gb18030"):  # Excel on Chinese Windows saves GBK
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise InputError("无法识别文件编码：请另存为 UTF-8 或 GBK（GB18030）编码的 CSV", file=path)
    reader = csv.reader(io.StringIO(text, newline=""))
    heads: list[str] = []
    try:
        for fields in reader:
            line = reader.line_num
            if line > MAX_ROWS or len(fields) > MAX_COLS:
                raise InputError(f"超过 {MAX_ROWS} 行或 {MAX_COLS} 列，拒绝读取", file=path, line=line)

            if table.columns is None and (not "".join(fields).strip() or fields[0].lstrip().startswith("#")):
                note = _PERIOD_NOTE.search(",".join(fields))  # "# 期间：2012Q1" must agree
                if note:
                    _check_period(note.group(1), period, path, _Loc(line, ""))
                continue
            heads = heads or [f.strip() for f in fields]

            def locate(k: int, line: int = line, heads: list[str] = heads) -> _Loc:
                return _Loc(line, f"第 {k} 列（“{heads[k - 1] if k <= len(heads) else ''}”）")

            if table.columns is None:
                table.header(fields, locate, _Loc(line, "表头"))
            else:
                table.row(fields, locate)
    except csv.Error as exc:
        raise InputError(f"CSV 格式错误：{exc}", file=path, line=reader.line_num) from exc
    if table.columns is None:
        raise InputError("文件中没有表头（第一个非注释行应为“单位名称”和各计数名称）", file=path)
    table.note_totals()


# --- both ------------------------------------------------------------------------


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class _Table:
    """Collects the header and the unit rows, checking each as it arrives."""

    def __init__(self, file: Path, units: list[Unit], counts: list[Count], skip_others: bool = False) -> None:
        self.file, self.units, self.counts, self.skip_others = file, units, counts, skip_others
        self.columns: dict[int, Count] | None = None  # 1-based column → count
        self.values: dict[str, dict[str, int | None]] = {}
        self.cells: dict[tuple[str, str], _Loc] = {}
        self.rows: dict[str, _Loc] = {}  # unit name → where its row starts
        self.totals: list[tuple[str, _Loc]] = []  # 合计 rows, skipped

    def note_totals(self) -> None:
        for name, loc in self.totals:
            notes.add(f"{loc.text}：“{name}”行是合计，不作为单位读取（合计由工具按各单位的数相加）", file=self.file)

    def header(self, cells: Sequence[object], locate: Locate, at: _Loc) -> None:
        first = cells[0] if cells else None
        if normalize_name(str(first or "")) not in UNIT_HEADERS:
            raise _error(f"第一列表头应为“单位名称”，实际是“{first or ''}”", self.file, locate(1))
        by_name = {normalize_name(n): c for c in self.counts for n in c.names}
        columns: dict[int, Count] = {}
        seen: dict[str, int] = {}
        for k, value in enumerate(cells[1:], start=2):
            if _blank(value):
                continue
            text = str(value).strip()
            count = by_name.get(normalize_name(text))
            m = _MEASURE_SUFFIX.match(text)
            if count is None and m and m.group(2) in MEASURES:
                count = by_name.get(normalize_name(m.group(1)))
            if count is None:
                hint = difflib.get_close_matches(text, [c.name for c in self.counts], n=1, cutoff=0.5)
                tip = f"，是否应为“{hint[0]}”？" if hint else ""
                message = f"表头“{text}”不是本表要填的计数{tip}（写错的列名会使数据丢失，请改正或删除该列）"
                raise _error(message, self.file, locate(k))
            if count.code in seen:
                first_at = locate(seen[count.code]).text
                raise _error(f"计数“{count.name}”的列重复（{first_at}已有）", self.file, locate(k))
            seen[count.code] = k
            columns[k] = count
        missing = [c.name for c in self.counts if c.code not in seen]
        if missing:
            raise _error(f"缺少计数列：{'、'.join(missing)}", self.file, at)
        self.columns = columns

    def row(self, cells: Sequence[object], locate: Locate, formulas: Container[int] = ()) -> None:
        assert self.columns is not None
        if all(_blank(v) for v in cells):
            return
        for k, value in enumerate(cells[1:], start=2):
            if k not in self.columns and not _blank(value):
                raise _error(f"该列没有表头却填了“{value}”：请删除或补上计数名称", self.file, locate(k))
        if _blank(cells[0]):
            raise _error("该行填了数据，却没有单位名称", self.file, locate(1))
        name = str(cells[0]).strip()
        if normalize_name(name) in TOTAL_ROWS and find_unit(self.units, name) is None:
            # The tool sums the units itself; a clerk's 合计 row is not a unit.
            self.totals.append((name, locate(1)))
            return
        unit = find_unit(self.units, name)
        if unit is None and self.skip_others:
            at = locate(1)
            notes.add(f"{at.where}：“{name}”不是本年的成员单位，该行不读取", file=self.file, line=at.line)
            return
        if unit is None:
            names = [n for u in self.units for n in (u.name, u.short_name)]
            hint = difflib.get_close_matches(name, names, n=1, cutoff=0.4)
            tip = f"，是否应为“{hint[0]}”？" if hint else "，请核对成员单位名单"
            raise _error(f"单位“{name}”不是成员单位{tip}", self.file, locate(1))
        if unit.name in self.rows:
            raise _error(f"单位“{unit.name}”重复填报（{self.rows[unit.name].text}已填）", self.file, locate(1))
        self.rows[unit.name] = locate(1)
        own: dict[str, int | None] = {}
        for k, count in self.columns.items():
            loc = locate(k)
            value = cells[k - 1] if k <= len(cells) else None
            own[count.code] = _count_value(value, k in formulas, loc, f"“{unit.name}”的“{count.name}”", self.file)
            self.cells[(unit.name, count.code)] = loc
        self.values[unit.name] = own

    def result(self, period: Period, indicators: Iterable[Indicator]) -> PeriodResults:
        self._check_bounds(indicators)
        codes = [c.code for c in self.counts]
        ordered = {u.name: {c: self.values.get(u.name, {}).get(c) for c in codes} for u in self.units}
        return PeriodResults(period, ordered, self.file, {key: loc.text for key, loc in self.cells.items()})

    def _check_bounds(self, indicators: Iterable[Indicator]) -> None:
        names = {c.code: c.name for c in self.counts}
        pairs = [(i, n, d) for i, n, d in bounded_pairs(indicators) if n in names and all(c in names for c in d)]
        for unit, own in self.values.items():
            for indicator, num, dens in pairs:
                parts = [own[c] for c in dens]
                value = own[num]
                if value is None or any(p is None for p in parts):
                    continue
                total = sum(p for p in parts if p is not None)
                if value > total:
                    den = "与".join(f"“{names[c]}”" for c in dens) + ("之和" if len(dens) > 1 else "")
                    message = (
                        f"“{unit}”的“{names[num]}”为 {value}，大于{den} {total}："
                        f"指标“{indicator.name}”的分子不能大于分母，请核对"
                    )
                    raise _error(message, self.file, self.cells[(unit, num)])


def _count_value(value: object, formula: bool, loc: _Loc, what: str, file: Path) -> int | None:
    """A whole number ≥ 0, or None for a blank cell (未报)."""
    if formula or (isinstance(value, str) and value.strip().startswith("=")):
        raise _error(f"{what}是公式“{value}”：请填写数值，不要用公式（程序不计算公式）", file, loc)
    if _blank(value):
        return None
    number: Decimal | None = None
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = Decimal(str(value)) if math.isfinite(value) else None
    elif isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip()
        if _THOUSANDS.fullmatch(text):
            text = text.replace(",", "")
        if _NUMBER.fullmatch(text):
            try:
                number = Decimal(text)
            except InvalidOperation:
                number = None
    if number is None:
        raise _error(f"{what}填写了“{value}”，不是数字：请填写整数，未报请留空", file, loc)
    if number < 0:
        raise _error(f"{what}为 {value}，计数不能为负数", file, loc)
    if number != number.to_integral_value():
        raise _error(f"{what}为 {value}，计数应为整数", file, loc)
    if number > MAX_COUNT:  # 1e308 is a whole number too; no unit counts past a billion
        raise _error(f"{what}为 {value}，超过 {MAX_COUNT:,}，不像真实计数，请核对", file, loc)
    return int(number)


def check_xlsx(path: Path, data: bytes) -> None:
    """Any XLSX a user gives (a ledger too): zip bombs and XML entities refused, naming the part."""
    _check_zip(path, data)
