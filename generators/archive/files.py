"""The files that describe an archive package: the 归档文件目录 (XLSX, A4 landscape)
and the manifest of every file with its SHA-256 (JSON, plus SHA256SUMS for
``sha256sum -c``).  Both depend only on the package's content."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

from generators.archive.model import CATEGORY, ArchiveClass, Item, file_stem
from generators.core.output import atomic_path
from generators.sheets.xlsx_safe import BOLD, CENTRE, LEFT, TITLE_FONT, SheetWriter, workbook_bytes

# DA/T 22-2015 归档文件目录, in its order; 序号 is the 件号 (one catalogue per class).
COLUMNS = ("序号", "档号", "文号", "责任者", "题名", "日期", "密级", "页数", "备注")
WIDTHS = (6, 22, 20, 22, 56, 10, 8, 6, 10)
SHEET = "归档文件目录"
HEADER_ROW = 3


def pages(pdf: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(pdf).pages)


def secrecy_level(item: Item) -> str:
    """密级 without its 保密期限: 内部★1年 → 内部."""
    header = item.document.header
    return header.secrecy.split("★")[0].strip() if header and header.secrecy else ""


def row(item: Item, page_count: int) -> tuple[object, ...]:
    """One catalogue row, in COLUMNS order."""
    meta = item.document.meta
    number = item.document.header.number if item.document.header else ""
    date = meta.date.strftime("%Y%m%d")
    return (item.number, item.code, number, meta.author, meta.title, date, secrecy_level(item), page_count, "")


def _heading(cls: ArchiveClass, fonds_name: str) -> str:
    organ = f"　　机构（问题）：{cls.organ}" if cls.organ else ""
    return f"全宗名称：{fonds_name}　　全宗号：{cls.fonds}　　年度：{cls.year}　　保管期限：{cls.retention}{organ}"


def _cover(wb: Workbook, cls: ArchiveClass, fonds_name: str, count: int) -> None:
    ws = wb.create_sheet("封面", 0)
    sheet = SheetWriter(ws, {1: 16, 2: 60})
    sheet.put(3, 1, "归档文件目录", to_col=2, font=Font(name="黑体", size=26), border=False, line_pt=36)
    lines = [("全宗名称", fonds_name), ("全宗号", cls.fonds), ("年度", str(cls.year)), ("保管期限", cls.retention)]
    lines += [("机构（问题）", cls.organ)] if cls.organ else []
    lines += [("件数", str(count))]
    for offset, (label, value) in enumerate(lines):
        sheet.put(6 + offset * 2, 1, f"{label}：", font=Font(name="宋体", size=16), border=False, line_pt=22)
        sheet.put(6 + offset * 2, 2, value, font=Font(name="宋体", size=16), align=LEFT, border=False, line_pt=22)
    sheet.finish()
    ws.page_setup.orientation, ws.page_setup.paperSize = "landscape", ws.PAPERSIZE_A4
    ws.print_options.horizontalCentered = True


def write_catalogue(folder: Path, cls: ArchiveClass, items: list[Item], counts: list[int], *, fonds_name: str) -> Path:
    """The 归档文件目录 of ``items``; ``counts`` are their page counts, read from the PDFs."""

    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    sheet = SheetWriter(ws, {c: w for c, w in enumerate(WIDTHS, start=1)})
    last = len(COLUMNS)
    sheet.put(1, 1, "归档文件目录", to_col=last, font=TITLE_FONT, border=False, line_pt=24)
    sheet.put(2, 1, _heading(cls, fonds_name), to_col=last, align=LEFT, border=False)
    for col, title in enumerate(COLUMNS, start=1):
        sheet.put(HEADER_ROW, col, title, font=BOLD)
    for r, (item, count) in enumerate(zip(items, counts, strict=True), start=HEADER_ROW + 1):
        for col, value in enumerate(row(item, count), start=1):
            if isinstance(value, int):
                sheet.number(r, col, value, "0")
                ws.cell(r, col).alignment = CENTRE
            else:
                sheet.put(r, col, str(value), align=LEFT if COLUMNS[col - 1] in ("题名", "责任者") else CENTRE)
    sheet.finish()
    ws.freeze_panes = ws.cell(HEADER_ROW + 1, 1).coordinate
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ps = ws.page_setup
    ps.orientation, ps.paperSize, ps.fitToWidth, ps.fitToHeight = "landscape", ws.PAPERSIZE_A4, 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = "第 &P 页 共 &N 页"
    ws.oddFooter.center.size = 9
    _cover(wb, cls, fonds_name, len(items))
    wb.active = 1  # open on the list, not the cover
    created = max(item.document.meta.date for item in items)
    title = f"{fonds_name}{cls.year}年归档文件目录（{cls.retention}）"
    data = workbook_bytes(wb, created=created, creator=fonds_name, title=title)
    target = folder / f"{file_stem(cls.prefix)}-mulu.xlsx"
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
    return target


def _describe(path: Path) -> dict[str, object]:
    data = path.read_bytes()
    return {"name": path.name, "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}


def write_manifest(
    folder: Path, cls: ArchiveClass, items: list[Item], counts: list[int], catalogue: Path, *, fonds_name: str
) -> Path:
    """``<class>-manifest.json`` (sorted keys, so equal content gives equal bytes) and
    ``SHA256SUMS``: every PDF and the catalogue with SHA-256 and size."""
    from importlib.metadata import version

    from generators.render.pdf import PDFA_VARIANT

    files = []
    for item, count in zip(items, counts, strict=True):
        meta = item.document.meta
        entry = _describe(folder / item.filename)
        entry.update(archival_code=item.code, item=item.number, title=meta.title, date=meta.date.strftime("%Y%m%d"))
        files.append({**entry, "pages": count})
    files.append({**_describe(catalogue), "title": "归档文件目录"})
    manifest = {
        "fonds": cls.fonds,
        "fonds_name": fonds_name,
        "category": CATEGORY,
        "year": cls.year,
        "retention": cls.retention,
        "retention_code": cls.retention_code,
        "organ": cls.organ,
        "items": len(items),
        "pdf_variant": PDFA_VARIANT,
        "producer": f"gongwen-reports, WeasyPrint {version('weasyprint')}",
        "files": files,
    }
    target = folder / f"{file_stem(cls.prefix)}-manifest.json"
    with atomic_path(target) as tmp:
        tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    with atomic_path(folder / "SHA256SUMS") as tmp:
        tmp.write_text("".join(f"{f['sha256']}  {f['name']}\n" for f in files), encoding="utf-8")
    return target
